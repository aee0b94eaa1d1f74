"""Audit event types, grouped by hundreds per domain (Zulip AuditLogEventType)."""

from enum import IntEnum, unique

from django.utils.translation import gettext_lazy as _


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
    # Record linkage: 260s
    LINKAGE_RUN = 260
    MATCH_VIEWED = 261
    MATCH_DECIDED = 262
    PERSON_MERGED = 263
    PERSON_UNMERGED = 264
    LISTS_LINKED = 265
    SCENARIO_LOADED = 290
    # Screening: 300s
    SCREENING_STARTED = 300
    SCREENING_ANSWERED = 301
    SCREENING_VIEWED = 302
    SCREENING_DECIDED = 303
    SCREENING_REVIEWED = 304
    AGE_VERIFIED = 305
    IDENTIFICATION_RECORDED = 306
    HOLD_OPENED = 307
    HOLD_LIFTED = 308
    HOLD_OVERRIDDEN = 309
    SUSPECT_RECORD_OPENED = 310
    CHILD_REFERRAL_UPDATED = 311
    SCREENING_EXPORTED = 312
    SCREENING_OVERSIGHT_VIEWED = 313
    # Repatriation: 400s
    REPATRIATION_OPENED = 400
    REPATRIATION_ADVANCED = 401
    REPATRIATION_HELD = 402
    REPATRIATION_HOLD_LIFTED = 403
    TRAVEL_DOCUMENT_REQUESTED = 404
    TRAVEL_DOCUMENT_DECIDED = 405
    MOVEMENT_CHANGED = 406
    REPATRIATION_VIEWED = 407
    PLEDGE_RECORDED = 408
    BORDER_RULE_CHANGED = 409
    # Network intelligence: 500s
    NETWORK_VIEWED = 500
    NETWORK_ENTITY_CHANGED = 501
    NETWORK_IMPORTED = 502
    NETWORK_EXPORTED = 503
    NETWORK_RESOLVED = 504
    NETWORK_ANALYSED = 505
    CONFLICT_RAISED = 510
    CONFLICT_DECIDED = 511
    # Money flows: 600s
    FLOWS_VIEWED = 600
    FLOWS_IMPORTED = 601
    FLOWS_ANALYSED = 602
    FLOWS_EXPORTED = 603
    FLOWS_ACCOUNT_CHANGED = 604
    FLOWS_SWEPT = 605
    COMPLAINT_RECEIVED = 610
    COMPLAINT_VIEWED = 611
    COMPLAINT_DECIDED = 612

    @property
    def label(self) -> str:
        """The event's name for people, in the active language."""
        return str(_LABELS[self])


_LABELS = {
    AuditEventType.LOGIN: _("Logged in"),
    AuditEventType.LOGOUT: _("Logged out"),
    AuditEventType.LOGIN_FAILED: _("Login failed"),
    AuditEventType.ACCOUNT_LOCKED: _("Account locked"),
    AuditEventType.API_TOKEN_ISSUED: _("API token issued"),
    AuditEventType.TWO_FACTOR_ENROLLED: _("Two-factor authentication set up"),
    AuditEventType.TWO_FACTOR_VERIFIED: _("Two-factor code verified"),
    AuditEventType.PERMISSION_CHANGED: _("Permissions changed"),
    AuditEventType.DENY_ADDED: _("Deny-list entry added"),
    AuditEventType.DENY_REVOKED: _("Deny-list entry revoked"),
    AuditEventType.BREAK_GLASS_GRANTED: _("Break-glass access granted"),
    AuditEventType.BREAK_GLASS_REVIEWED: _("Break-glass access reviewed"),
    AuditEventType.ACCESS_DENIED: _("Access denied"),
    AuditEventType.AUDIT_VIEWED: _("Audit log viewed"),
    AuditEventType.AUDIT_EXPORTED: _("Audit log exported"),
    AuditEventType.AUDIT_VERIFIED: _("Audit log verified"),
    AuditEventType.LINKAGE_RUN: _("Duplicate search run"),
    AuditEventType.MATCH_VIEWED: _("Possible duplicate viewed"),
    AuditEventType.MATCH_DECIDED: _("Possible duplicate decided"),
    AuditEventType.PERSON_MERGED: _("Records merged"),
    AuditEventType.PERSON_UNMERGED: _("Merge undone"),
    AuditEventType.LISTS_LINKED: _("Two lists linked"),
    AuditEventType.PERSON_CREATED: _("Person created"),
    AuditEventType.PERSON_UPDATED: _("Person updated"),
    AuditEventType.PERSON_VIEWED: _("Person viewed"),
    AuditEventType.PERSON_LISTED: _("People listed"),
    AuditEventType.PERSON_SEARCHED: _("People searched"),
    AuditEventType.PERSON_EXPORTED: _("People exported"),
    AuditEventType.PLACEMENT_CHANGED: _("Placement changed"),
    AuditEventType.PERSON_ACCESS_LOG_VIEWED: _("Record access log viewed"),
    AuditEventType.IMPORT_VALIDATED: _("Import validated"),
    AuditEventType.IMPORT_COMMITTED: _("Import committed"),
    AuditEventType.IMPORT_REJECTED: _("Import rejected"),
    AuditEventType.COMPOUND_VIEWED: _("Compound viewed"),
    AuditEventType.COMPOUND_CHANGED: _("Compound changed"),
    AuditEventType.FACILITY_VIEWED: _("Facility viewed"),
    AuditEventType.FACILITY_CHANGED: _("Facility changed"),
    AuditEventType.HEADCOUNT_RECORDED: _("Headcount recorded"),
    AuditEventType.DASHBOARD_VIEWED: _("Dashboard viewed"),
    AuditEventType.SCENARIO_LOADED: _("Demo scenario loaded"),
    AuditEventType.SCREENING_STARTED: _("Screening started"),
    AuditEventType.SCREENING_ANSWERED: _("Screening answers saved"),
    AuditEventType.SCREENING_VIEWED: _("Screening statements viewed"),
    AuditEventType.SCREENING_DECIDED: _("Screening outcome decided"),
    AuditEventType.SCREENING_REVIEWED: _("Screening decision reviewed"),
    AuditEventType.AGE_VERIFIED: _("Age verified"),
    AuditEventType.IDENTIFICATION_RECORDED: _("MDT identification recorded"),
    AuditEventType.HOLD_OPENED: _("Non-punishment hold opened"),
    AuditEventType.HOLD_LIFTED: _("Non-punishment hold lifted"),
    AuditEventType.HOLD_OVERRIDDEN: _("Action taken despite a non-punishment hold"),
    AuditEventType.SUSPECT_RECORD_OPENED: _("Suspect record opened"),
    AuditEventType.CHILD_REFERRAL_UPDATED: _("Child-protection referral updated"),
    AuditEventType.SCREENING_EXPORTED: _("Screening data exported"),
    AuditEventType.SCREENING_OVERSIGHT_VIEWED: _("Screening oversight viewed"),
    AuditEventType.REPATRIATION_OPENED: _("Repatriation case opened"),
    AuditEventType.REPATRIATION_ADVANCED: _("Repatriation case moved on"),
    AuditEventType.REPATRIATION_HELD: _("Repatriation case put on hold"),
    AuditEventType.REPATRIATION_HOLD_LIFTED: _("Repatriation hold lifted"),
    AuditEventType.TRAVEL_DOCUMENT_REQUESTED: _("Travel document requested"),
    AuditEventType.TRAVEL_DOCUMENT_DECIDED: _("Travel document decided"),
    AuditEventType.MOVEMENT_CHANGED: _("Movement changed"),
    AuditEventType.REPATRIATION_VIEWED: _("Repatriation case viewed"),
    AuditEventType.PLEDGE_RECORDED: _("Funding pledge recorded"),
    AuditEventType.BORDER_RULE_CHANGED: _("Border processing rule changed"),
    AuditEventType.NETWORK_VIEWED: _("Intelligence viewed"),
    AuditEventType.NETWORK_ENTITY_CHANGED: _("Intelligence recorded"),
    AuditEventType.NETWORK_IMPORTED: _("Intelligence imported"),
    AuditEventType.NETWORK_EXPORTED: _("Intelligence exported"),
    AuditEventType.NETWORK_RESOLVED: _("Entities resolved"),
    AuditEventType.NETWORK_ANALYSED: _("Network analysed"),
    AuditEventType.CONFLICT_RAISED: _("Conflict of interest raised"),
    AuditEventType.CONFLICT_DECIDED: _("Conflict of interest decided"),
    AuditEventType.FLOWS_VIEWED: _("Money flows viewed"),
    AuditEventType.FLOWS_IMPORTED: _("Transactions imported"),
    AuditEventType.FLOWS_ANALYSED: _("Money flows analysed"),
    AuditEventType.FLOWS_EXPORTED: _("Money flows exported"),
    AuditEventType.FLOWS_ACCOUNT_CHANGED: _("Account details changed"),
    AuditEventType.FLOWS_SWEPT: _("Orphaned transaction files removed"),
    AuditEventType.COMPLAINT_RECEIVED: _("Complaint received"),
    AuditEventType.COMPLAINT_VIEWED: _("Complaint viewed"),
    AuditEventType.COMPLAINT_DECIDED: _("Complaint decided"),
}
if set(_LABELS) != set(AuditEventType):  # checked at import, so a new event type cannot ship without a label
    raise RuntimeError(f"audit event types without a label: {sorted(set(AuditEventType) - set(_LABELS))}")
