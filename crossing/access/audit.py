"""The only writer of the audit log, and its verifier.

Every event is chained to the previous one with HMAC-SHA-256 over a canonical JSON encoding of
its fields. Writers serialise on the single ``AuditHead`` row, which also records the newest hash so
that deleting the most recent events is detected. Events are written inside the caller's
transaction: a write that rolls back takes its audit row with it, and a committed write always has
its audit row.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent, AuditHead
from crossing.access.request_context import current_ip
from crossing.core.bulk_insert import Adapters, insert_rows

GENESIS = "0" * 64


@dataclass
class EventDraft:
    event_type: AuditEventType
    subject_type: str = ""
    subject_id: str = ""
    person_id: object = None
    outcome: str = "allowed"
    extra: dict = field(default_factory=dict)


def _canonical(row: dict) -> bytes:
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def event_digest(*, seq, event_time, event_type, actor_id, actor_username, actor_agency, subject_type, subject_id,
                 person_id, outcome, ip, extra, prev_hash) -> str:
    payload = {
        "seq": int(seq),
        "t": _time_text(event_time),
        "type": int(event_type),
        "actor": actor_id,
        "actor_name": actor_username,
        "agency": actor_agency,
        "subject": [subject_type, subject_id],
        "person": str(person_id) if person_id else None,
        "outcome": outcome,
        "ip": ip,
        "extra": extra,
        "prev": prev_hash,
    }
    return hmac.new(_chain_key(), _canonical(payload), hashlib.sha256).hexdigest()


def _chain_key() -> bytes:
    # Keyed (HMAC) so that someone with write access to the database alone cannot forge a
    # consistent chain: the key lives in the deployment's secrets, not in the database.
    key = getattr(settings, "CROSSING_AUDIT_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"crossing-audit-chain:" + key.encode()).digest()


def _time_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _actor_fields(actor) -> tuple[int | None, str, str]:
    if actor is None:
        return None, "", ""
    user = getattr(actor, "user", actor)
    if user is None or not getattr(user, "is_authenticated", False):
        return None, getattr(actor, "attempted_username", "") or "", ""
    agency = getattr(actor, "primary_agency_name", "")
    return user.pk, user.get_username(), agency


def head_signature(seq: int, digest: str) -> str:
    """The head is signed with the chain key, so rewinding it after deleting events shows."""
    return hmac.new(_chain_key(), f"head:{int(seq)}:{digest}".encode(), hashlib.sha256).hexdigest()


def ensure_head() -> None:
    """Create the signed, empty chain head (at installation, by migration)."""
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS, "signature": head_signature(0, GENESIS)})


def _lock_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ensure_head()
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def record(actor, event_type: AuditEventType, *, subject_type: str = "", subject_id="", person_id=None,
           outcome: str = "allowed", extra: dict | None = None) -> int:
    """Append one event and return its sequence number. ``actor`` is an Actor, a user, or None."""
    return record_many(actor, [EventDraft(event_type, subject_type, str(subject_id or ""), person_id, outcome, extra or {})])


def record_many(actor, drafts: Iterable[EventDraft]) -> int:
    """Append events in one chain segment and return the last sequence number.

    Bulk imports write one event per person; values shared by all events (time, actor, the extra
    dict) are prepared once.
    """
    actor_id, actor_name, agency = _actor_fields(actor)
    ip = current_ip()
    db = Adapters()
    extra_field = AuditEvent._meta.get_field("extra")
    prepared_extras: dict[int, tuple] = {}
    with transaction.atomic():
        head = _lock_head()
        seq, prev = head.seq, head.hash
        now = datetime.now(UTC)
        now_db = db.datetime(now)
        rows = []
        for d in drafts:
            seq += 1
            if id(d.extra) not in prepared_extras:
                extra = json.loads(_canonical(d.extra))  # what the database will give back
                prepared_extras[id(d.extra)] = (d.extra, extra, extra_field.get_db_prep_value(extra, connection))
            extra, extra_db = prepared_extras[id(d.extra)][1:]
            digest = event_digest(
                seq=seq, event_time=now, event_type=d.event_type, actor_id=actor_id, actor_username=actor_name,
                actor_agency=agency, subject_type=d.subject_type, subject_id=d.subject_id, person_id=d.person_id,
                outcome=d.outcome, ip=ip, extra=extra, prev_hash=prev,
            )
            rows.append((seq, now_db, int(d.event_type), actor_id, actor_name, agency, d.subject_type, d.subject_id,
                         db.uuid(d.person_id) if d.person_id else None, d.outcome, ip, extra_db, prev, digest))
            prev = digest
        insert_rows(AuditEvent, _COLUMNS, rows, prepared=True)
        head.seq, head.hash, head.signature = seq, prev, head_signature(seq, prev)
        head.save(update_fields=["seq", "hash", "signature"])
    return seq


_COLUMNS = ["seq", "event_time", "event_type", "actor_id", "actor_username", "actor_agency", "subject_type", "subject_id",
            "person_id", "outcome", "ip", "extra", "prev_hash", "hash"]


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None

    def __str__(self):
        if self.ok:
            return _("audit log intact: %(checked)s events verified") % {"checked": self.checked}
        if self.seq is not None:
            return _("audit log TAMPERED at event seq=%(seq)s: %(problem)s (%(checked)s events checked before it)") % {
                "seq": self.seq, "problem": self.problem, "checked": self.checked}
        return _("audit log TAMPERED: %(problem)s (%(checked)s events checked before it)") % {
            "problem": self.problem, "checked": self.checked}


def _iter_rows(batch: int = 5000) -> Iterator[tuple]:
    # Read by physical insertion order (rowid/ctid are not portable), ordered by id: the
    # auto-increment primary key records insertion order independently of seq.
    fields = ["id", "seq", "event_time", "event_type", "actor_id", "actor_username", "actor_agency", "subject_type",
              "subject_id", "person_id", "outcome", "ip", "extra", "prev_hash", "hash"]
    last = 0
    while True:
        chunk = list(AuditEvent.objects.filter(id__gt=last).order_by("id").values_list(*fields)[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][0]


def verify() -> VerifyResult:
    """Walk the chain; report the first event that was edited, deleted, inserted or reordered."""
    expected_seq, prev, checked = 1, GENESIS, 0
    for (_id, seq, t, etype, actor_id, actor_name, agency, stype, sid, pid, outcome, ip, extra, prev_hash, digest) in _iter_rows():
        if seq != expected_seq:
            if seq > expected_seq:
                problem = _("events %(first)s..%(last)s are missing (deleted) or reordered") % {
                    "first": expected_seq, "last": seq - 1}
                return VerifyResult(False, checked, problem, expected_seq)
            problem = _("event out of order or inserted: seq %(seq)s after %(previous)s") % {
                "seq": seq, "previous": expected_seq - 1}
            return VerifyResult(False, checked, problem, seq)
        if prev_hash != prev:
            return VerifyResult(False, checked, _("link to the previous event is broken (inserted, deleted or reordered)"), seq)
        recomputed = event_digest(
            seq=seq, event_time=t, event_type=etype, actor_id=actor_id, actor_username=actor_name, actor_agency=agency,
            subject_type=stype, subject_id=sid, person_id=pid, outcome=outcome, ip=ip, extra=extra, prev_hash=prev_hash,
        )
        if recomputed != digest:
            return VerifyResult(False, checked, _("event content does not match its hash (edited)"), seq)
        prev, expected_seq, checked = digest, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        # Created at installation: without it, the whole log (events and head) may have been deleted.
        return VerifyResult(False, checked, _("the chain head is missing"), None)
    if not hmac.compare_digest(head.signature, head_signature(head.seq, head.hash)):
        # Usually a rewind after deleting the newest events: they start right after the last good one.
        return VerifyResult(False, checked, _("the chain head was altered (its signature does not match)"), expected_seq)
    if head.seq != expected_seq - 1 or head.hash != prev:
        problem = _("the newest events after seq %(seq)s were deleted (head is at %(head)s)") % {
            "seq": expected_seq - 1, "head": head.seq}
        return VerifyResult(False, checked, problem, expected_seq)
    return VerifyResult(True, checked)


def install_append_only_guards() -> None:
    """Database triggers that refuse UPDATE and DELETE on the audit table (defence in depth).

    Someone with database-owner rights can drop them; the hash chain still reveals what they did.
    """
    vendor = connection.vendor
    with connection.cursor() as cur:
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                cur.execute(
                    f"CREATE TRIGGER IF NOT EXISTS access_auditevent_no_{op.lower()} BEFORE {op} ON access_auditevent "
                    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
                )
        elif vendor == "postgresql":
            cur.execute(
                "CREATE OR REPLACE FUNCTION access_audit_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;"
            )
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent;")
            cur.execute(
                "CREATE TRIGGER access_auditevent_append_only BEFORE UPDATE OR DELETE ON access_auditevent "
                "FOR EACH ROW EXECUTE FUNCTION access_audit_append_only();"
            )
