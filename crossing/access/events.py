"""Audit event types, grouped by hundreds per domain (Zulip AuditLogEventType)."""

from enum import IntEnum, unique


@unique
class AuditEventType(IntEnum):
    # Access and accounts: 100s
    LOGIN = 100
    LOGOUT = 101
    LOGIN_FAILED = 102
    ACCOUNT_LOCKED = 103
    API_TOKEN_ISSUED = 104
    TWO_FACTOR_ENROLLED = 105
    TWO_FACTOR_VERIFIED = 106
    PERMISSION_CHANGED = 110
    DENY_ADDED = 111
    DENY_REVOKED = 112
    BREAK_GLASS_GRANTED = 120
    BREAK_GLASS_REVIEWED = 121
    ACCESS_DENIED = 130
    AUDIT_VIEWED = 140
    AUDIT_EXPORTED = 141
    AUDIT_VERIFIED = 142
    # Registry: 200s
    PERSON_CREATED = 200
    PERSON_UPDATED = 201
    PERSON_VIEWED = 202
    PERSON_LISTED = 203
    PERSON_SEARCHED = 204
    PERSON_EXPORTED = 205
    PLACEMENT_CHANGED = 206
    PERSON_ACCESS_LOG_VIEWED = 207
    IMPORT_VALIDATED = 220
    IMPORT_COMMITTED = 221
    IMPORT_REJECTED = 222
    COMPOUND_VIEWED = 230
    COMPOUND_CHANGED = 231
    FACILITY_VIEWED = 240
    FACILITY_CHANGED = 241
    HEADCOUNT_RECORDED = 242
    DASHBOARD_VIEWED = 250
    SCENARIO_LOADED = 290

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower()
