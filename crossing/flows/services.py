"""Writes to the money-flows compartment: imports, account details, detector runs, complaints.

Every write checks ``flows.<action>``, runs in one transaction (``refusals.service``) and is audited
without personal data (counts, formats, ids). An import is all or nothing: the file is parsed and
checked completely, compared with what is already stored (a transaction id seen before with other
values is an error naming its row), and only then written as one Parquet file that becomes visible
when its ``FlowBatch`` row commits.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pyarrow as pa
from django.utils.translation import gettext as _

from analytics.flows import schema
from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.core.errors import NotFound, ValidationFailed
from crossing.flows import formats, store
from crossing.flows.models import (
    AccountKind,
    Complaint,
    ComplaintStatus,
    DetectionRun,
    FlowAccount,
    FlowBatch,
    FlowFormat,
)

MAX_ERRORS = formats.MAX_ERRORS


@dataclass
class ImportReport:
    rows: int
    new_rows: int
    known_rows: int
    batch_id: str
    already_imported: bool = False
    accounts: int = 0


def _conflicts(parsed: formats.Parsed, name: str, key_header: str) -> pa.Table:
    """Drop rows already stored with the same values; reject the file if one differs."""
    files = store.txn_files()
    if not files:
        return parsed.table
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.register("incoming", parsed.table)
        listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        con.execute(f"CREATE VIEW stored AS SELECT txn_id, ts, src, dst, amount, currency FROM read_parquet([{listing}])")
        clashes = con.execute(f"""
            SELECT i.txn_id FROM incoming i JOIN stored s USING (txn_id)
            WHERE (i.ts, i.src, i.dst, i.amount, i.currency) IS DISTINCT FROM (s.ts, s.src, s.dst, s.amount, s.currency)
            ORDER BY i.txn_id LIMIT {MAX_ERRORS}""").fetchall()
        if clashes:
            errors = [{"row": parsed.row_of(t), "field": key_header,
                       "message": _("transaction id %(id)r was imported before with other values") % {"id": t}}
                      for (t,) in clashes]
            raise ValidationFailed(_("%(n)d problem(s) in %(f)s; nothing was imported.") % {"n": len(errors), "f": name},
                                   extra={"errors": sorted(errors, key=lambda e: (e["row"] or 0))})
        return con.sql("SELECT * FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.txn_id = i.txn_id) "
                       "ORDER BY ts, txn_id").to_arrow_table().cast(schema.TXN_SCHEMA)
    finally:
        con.close()


def _record_batch(actor: Actor, *, table: pa.Table, rows: int, fmt: str, name: str, digest: str) -> FlowBatch:
    file = store.write_table(table, "txns") if table.num_rows else ""
    stats = {"first": None, "last": None, "usd": 0.0}
    if table.num_rows:
        import pyarrow.compute as pc

        bounds = pc.min_max(table["ts"])
        stats = {"first": bounds["min"].as_py().replace(tzinfo=UTC), "last": bounds["max"].as_py().replace(tzinfo=UTC),
                 "usd": float(pc.sum(table["amount_usd"]).as_py() or 0)}
    return FlowBatch.objects.create(fmt=fmt, name=name[:200], sha256=digest, file=file, imported_by=actor.user,
                                    rows=rows, new_rows=table.num_rows, first_ts=stats["first"],
                                    last_ts=stats["last"], total_usd=stats["usd"])


@service
def import_file(*, actor: Actor, data: bytes, name: str, fmt: str, mapping: dict[str, str] | None = None,
                account: str = "", currency: str = "", source: str = "") -> ImportReport:
    """Import a transaction file (canonical, tron, bank-csv): all or nothing; the same file twice,
    or rows already stored from another file, add nothing."""
    require(actor, "flows", "import", "flows_batch")
    digest = hashlib.sha256(data).hexdigest()
    done = FlowBatch.objects.filter(sha256=digest).first()
    if done is not None:
        return ImportReport(rows=done.rows, new_rows=0, known_rows=done.rows, batch_id=str(done.pk),
                            already_imported=True)
    parsed = formats.parse(data, fmt, name=name, mapping=mapping, account=account, currency=currency, source=source)
    key_header = {"canonical": "txn_id", "tron": "txn_id", "bank-csv": "reference"}[fmt]
    fresh = _conflicts(parsed, name, key_header)
    batch = _record_batch(actor, table=fresh, rows=parsed.rows, fmt=fmt, name=name, digest=digest)
    accounts = 0
    if parsed.owner_account:
        _, created = FlowAccount.objects.get_or_create(account=parsed.owner_account)
        accounts += int(created)
    audit.record(actor, AuditEventType.FLOWS_IMPORTED, subject_type="flows_batch", subject_id=batch.pk,
                 extra={"format": fmt, "rows": parsed.rows, "new_rows": fresh.num_rows})
    return ImportReport(rows=parsed.rows, new_rows=fresh.num_rows, known_rows=parsed.table.num_rows - fresh.num_rows,
                        batch_id=str(batch.pk), accounts=accounts)


@service
def import_table(*, actor: Actor, table: pa.Table, name: str, fmt: str = FlowFormat.SCENARIO) -> ImportReport:
    """Rows already in the ``txns`` schema (the scenario generator): same guarantees as a file."""
    require(actor, "flows", "import", "flows_batch")
    table = table.cast(schema.TXN_SCHEMA)
    sink = pa.BufferOutputStream()
    import pyarrow.parquet as pq

    pq.write_table(table.select(["txn_id"]), sink)
    digest = hashlib.sha256(name.encode() + sink.getvalue().to_pybytes()).hexdigest()
    done = FlowBatch.objects.filter(sha256=digest).first()
    if done is not None:
        return ImportReport(rows=done.rows, new_rows=0, known_rows=done.rows, batch_id=str(done.pk),
                            already_imported=True)
    parsed = formats.Parsed(table=table, rows=table.num_rows, row_numbers=pa.array(range(1, table.num_rows + 1)))
    fresh = _conflicts(parsed, name, "txn_id")
    batch = _record_batch(actor, table=fresh, rows=table.num_rows, fmt=fmt, name=name, digest=digest)
    audit.record(actor, AuditEventType.FLOWS_IMPORTED, subject_type="flows_batch", subject_id=batch.pk,
                 extra={"format": fmt, "rows": table.num_rows, "new_rows": fresh.num_rows})
    return ImportReport(rows=table.num_rows, new_rows=fresh.num_rows, known_rows=table.num_rows - fresh.num_rows,
                        batch_id=str(batch.pk))


@service
def set_accounts(*, actor: Actor, rows: list[dict], reason: str = "") -> int:
    """Record what is known about accounts: ``{"account", "kind", "label", "opened", "entity_id"}``
    (only the keys given change). Cash-out kinds stop a trace; the entity links the network."""
    require(actor, "flows", "edit", "flows_account")
    errors = []
    kinds = set(AccountKind.values)
    for i, row in enumerate(rows, start=1):
        account = str(row.get("account") or "").strip()
        if not account or len(account) > formats.ID_MAX:
            errors.append({"row": i, "field": "account", "message": _("required, at most 128 characters")})
        if "kind" in row and row["kind"] not in kinds:
            errors.append({"row": i, "field": "kind", "message": _("%(v)r is not one of %(k)s")
                           % {"v": row["kind"], "k": ", ".join(sorted(kinds))}})
    if errors:
        raise ValidationFailed(_("%(n)d problem(s) in the accounts; nothing was changed.") % {"n": len(errors)},
                               extra={"errors": errors[:MAX_ERRORS]})
    existing = FlowAccount.objects.in_bulk([str(r["account"]).strip() for r in rows])
    create, update, fields = [], [], set()
    for row in rows:
        key = str(row["account"]).strip()
        obj = existing.get(key) or FlowAccount(account=key)
        for field in ("kind", "label", "opened", "entity_id"):
            if field in row:
                setattr(obj, field, row[field] if row[field] is not None or field == "opened" else "")
                fields.add(field)
        (update if key in existing else create).append(obj)
        existing[key] = obj
    FlowAccount.objects.bulk_create(create, batch_size=2000)
    if update and fields:
        FlowAccount.objects.bulk_update(update, sorted(fields | {"updated_at"}), batch_size=2000)
    audit.record(actor, AuditEventType.FLOWS_ACCOUNT_CHANGED, subject_type="flows_account",
                 subject_id=rows[0]["account"] if len(rows) == 1 else "",
                 extra={"accounts": len(rows), "fields": sorted(fields), "reason": reason[:200]})
    return len(rows)


@service
def run_detection(*, actor: Actor, params: dict | None = None, only: list[str] | None = None) -> DetectionRun:
    """Run the typology detectors over every stored transaction and keep the alerts as a file."""
    from analytics.flows import detectors

    require(actor, "flows", "view", "flows_detection")
    started = time.perf_counter()
    con = store.connect()
    try:
        transactions = con.execute("SELECT count(*) FROM txns").fetchall()[0][0]
        alerts = detectors.run_detectors(con, params=params, only=only)
    finally:
        con.close()
    file = store.write_table(alerts, "alerts")
    import pyarrow.compute as pc

    run = DetectionRun.objects.create(
        run_by=actor.user, params=params or {}, file=file, transactions=transactions,
        alerts=len(pc.unique(alerts["alert_id"])) if alerts.num_rows else 0,
        accounts=len(pc.unique(alerts["account"])) if alerts.num_rows else 0,
        seconds=round(time.perf_counter() - started, 3))
    audit.record(actor, AuditEventType.FLOWS_ANALYSED, subject_type="flows_detection", subject_id=run.pk,
                 extra={"transactions": transactions, "alerts": run.alerts})
    return run


@service
def sweep_orphans(*, actor: Actor, older_than_hours: float = 6.0) -> int:
    """Delete transaction and alert files that nothing names (an import or run that died half-way),
    if older than ``older_than_hours`` (younger ones may belong to an import still running)."""
    require(actor, "flows", "import", "flows_store")
    if not math.isfinite(older_than_hours) or older_than_hours < 1:
        raise ValidationFailed(_("older than at least 1 hour: an import may still be writing its file"),
                               extra={"errors": [{"row": None, "field": "older_than_hours", "message": _("at least 1")}]})
    removed = store.sweep(older_than_s=older_than_hours * 3600)
    audit.record(actor, AuditEventType.FLOWS_SWEPT, subject_type="flows_store", extra={"removed": removed})
    return removed


# Complaints ---------------------------------------------------------------------------------------

PAID_TO_KINDS = ("bank", "wallet")
SCAM_TYPES = ("investment", "romance", "job_or_task", "loan", "impersonation", "shopping", "other")
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over a phone


@dataclass
class ComplaintDraft:
    paid_at: datetime
    amount: Decimal
    currency: str
    paid_to_kind: str
    paid_to: str
    bank_name: str = ""
    scam_type: str = ""
    scammer_contact: str = ""
    story: str = ""
    contact: str = ""


def _reference() -> str:
    return "C-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def receive_complaint(draft: ComplaintDraft, *, client_key: str = "") -> Complaint:
    """A complaint from the public page (rate limits and bot checks are the view's; this checks the
    values). Audited without the complaint's content."""
    errors = []
    if draft.amount is None or draft.amount <= 0:
        errors.append({"row": None, "field": "amount", "message": _("must be more than 0")})
    if (draft.currency or "").upper() not in schema.USD_RATES:
        errors.append({"row": None, "field": "currency", "message": _("not a currency Crossing knows")})
    if draft.paid_to_kind not in PAID_TO_KINDS:
        errors.append({"row": None, "field": "paid_to_kind", "message": _("choose bank account or wallet")})
    if not draft.paid_to.strip() or len(draft.paid_to.strip()) > formats.ID_MAX:
        errors.append({"row": None, "field": "paid_to", "message": _("required, at most 128 characters")})
    if draft.paid_to_kind == "bank" and not draft.bank_name.strip():
        errors.append({"row": None, "field": "bank_name", "message": _("required for a bank account")})
    if draft.paid_at.tzinfo is None or draft.paid_at > datetime.now(UTC):
        errors.append({"row": None, "field": "paid_at", "message": _("must be a date in the past")})
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), extra={"errors": errors})
    for _attempt in range(5):
        reference = _reference()
        if not Complaint.objects.filter(reference=reference).exists():
            break
    complaint = Complaint.objects.create(
        reference=reference, paid_at=draft.paid_at, amount=draft.amount, currency=draft.currency.upper(),
        paid_to_kind=draft.paid_to_kind, paid_to=paid_to_key(draft.paid_to_kind, draft.paid_to, draft.bank_name),
        bank_name=draft.bank_name.strip()[:80], scam_type=draft.scam_type[:40],
        scammer_contact=draft.scammer_contact.strip()[:120], story=draft.story.strip()[:2000],
        contact=draft.contact.strip()[:200], client_key=client_key[:32])
    audit.record(None, AuditEventType.COMPLAINT_RECEIVED, subject_type="complaint", subject_id=complaint.pk)
    return complaint


def paid_to_key(kind: str, paid_to: str, bank_name: str = "") -> str:
    """The account as the transaction files write it: ``BANK:NUMBER`` for a bank, the address for a wallet."""
    from crossing.network import identifiers

    if kind == "bank":
        return identifiers.account(paid_to, _bank_code(bank_name))
    return identifiers.wallet(paid_to)


def _bank_code(bank_name: str) -> str:
    """Thai banks as their statements abbreviate them; anything else by its own name."""
    known = {"kasikorn": "KBANK", "kasikornbank": "KBANK", "siam commercial": "SCB", "krung thai": "KTB",
             "krungthai": "KTB", "bangkok bank": "BBL", "krungsri": "BAY", "bank of ayudhya": "BAY", "ttb": "TTB",
             "tmbthanachart": "TTB", "government savings": "GSB", "uob": "UOB"}
    name = (bank_name or "").strip().casefold()
    for key, code in known.items():
        if name.startswith(key):
            return code
    return bank_name


def _complaint(complaint_id) -> Complaint:
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound()
    return complaint


@service
def decide_complaint(*, actor: Actor, complaint_id, decision: str, txn_id: str = "", reason: str = "") -> Complaint:
    """Triage: ``link`` the complaint to a stored transaction (the victim's payment as the bank saw
    it), ``add`` it as a transaction of its own (from the anonymous complainant to the account it
    names) or ``dismiss`` it. Linked and added complaints also go into the network compartment as an
    anonymous complainant's payment to that account, so losses per ring show there."""
    require(actor, "flows", "triage", "complaint", complaint_id)
    complaint = _complaint(complaint_id)
    if complaint.status != ComplaintStatus.NEW:
        raise ValidationFailed(_("This complaint has already been decided."))
    if decision == "dismiss":
        if not reason.strip():
            raise ValidationFailed(_("Say why the complaint is dismissed."))
        complaint.status = ComplaintStatus.DISMISSED
    elif decision == "link":
        con = store.connect()
        try:
            found = con.execute("SELECT count(*) FROM txns WHERE txn_id = ?", [txn_id]).fetchall()[0][0]
        finally:
            con.close()
        if not found:
            raise ValidationFailed(_("No stored transaction has the id %(id)s.") % {"id": txn_id})
        complaint.status, complaint.txn_id = ComplaintStatus.LINKED, txn_id
    elif decision == "add":
        txn = f"complaint:{complaint.reference}"
        victim = f"victim:{complaint.reference}"
        table = pa.table({
            "txn_id": [txn], "ts": [complaint.paid_at.astimezone(UTC).replace(tzinfo=None)], "src": [victim],
            "dst": [complaint.paid_to], "amount": [float(complaint.amount)], "currency": [complaint.currency],
            "amount_usd": [schema.usd(float(complaint.amount), complaint.currency)],
            "channel": ["bank" if complaint.paid_to_kind == "bank" else "usdt_trc20"], "source": ["complaint"]},
            schema=schema.TXN_SCHEMA)
        import_table(actor=actor, table=table, name=f"complaint {complaint.reference}", fmt=FlowFormat.COMPLAINT)
        FlowAccount.objects.update_or_create(account=victim, defaults={"kind": AccountKind.VICTIM})
        complaint.status, complaint.txn_id = ComplaintStatus.ADDED, txn
    else:
        raise ValidationFailed(_("Unknown decision %(d)s.") % {"d": decision})
    complaint.decided_by = actor.user
    complaint.save(update_fields=["status", "txn_id", "decided_by", "updated_at"])
    if decision in ("link", "add"):
        _to_network(actor, complaint)
    audit.record(actor, AuditEventType.COMPLAINT_DECIDED, subject_type="complaint", subject_id=complaint.pk,
                 extra={"decision": decision})
    return complaint


def _to_network(actor: Actor, complaint: Complaint) -> None:
    """The complaint as network entities (an anonymous complainant paid this account), when the
    actor may record intelligence; the network's complaint adapter builds them."""
    if not actor.can("network", "edit"):
        return
    from crossing.network import services as network_services
    from crossing.network import sources
    from crossing.network.models import SourceKind

    number = complaint.paid_to.split(":", 1)[1] if complaint.paid_to_kind == "bank" and ":" in complaint.paid_to \
        else complaint.paid_to
    header = "complaint_ref,date,amount,currency,paid_to_kind,paid_to,bank_name,scam_type\n"
    line = ",".join(f'"{v}"' for v in (complaint.reference, complaint.paid_at.date().isoformat(), complaint.amount,
                                       complaint.currency, complaint.paid_to_kind, number,
                                       _bank_code(complaint.bank_name), complaint.scam_type))
    try:
        entities = sources.parse("complaints", (header + line + "\n").encode(), name=complaint.reference)
    except ValidationFailed:
        # The network's complaint format is stricter (an ISO currency for a bank account); the payment
        # is traced all the same, and the analyst can record the entity by hand.
        return
    network_services.record_entities(actor=actor, entities=[e for _, e in entities],
                                     source=f"complaint:{complaint.reference}", source_kind=SourceKind.COMPLAINT)
