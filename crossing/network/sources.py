"""CSV source adapters: seized-device contact lists, chat exports and victims' complaints as FtM entities.

Each adapter reads a partner's CSV (UTF-8, with or without a byte-order mark), checks that the
required columns are there (naming the missing one), checks every row (naming row and column), and
only then hands the entities to ``services.import_batch``: a bad row anywhere rejects the whole file,
and the same file twice is a no-op. Row numbers are spreadsheet rows: the header is row 1.

Entity ids are derived from what the row identifies (a phone, a handle, an account, a wallet, a
complaint reference), never from the file or the row's position, so an edited file imported again
adds only the statements that changed. The ids are the ones ``identifiers.entity_id`` makes, so the
same handle in a contact list and in a chat export is one UserAccount.

``mapping`` maps our column names to the partner's headers (``{"phone": "Mobile No."}``); headers
are matched ignoring case and surrounding spaces. See docs/network-interop.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from followthemoney import model
from followthemoney.types import registry

from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.core.errors import ValidationFailed
from crossing.network import identifiers, services
from crossing.network.models import Entity, SourceKind

MAX_ERRORS = services.MAX_ERRORS
SERVICES = ("telegram", "whatsapp", "line", "wechat")
PAID_TO_KINDS = ("bank", "wallet", "phone")
_CURRENCY = re.compile(r"^[A-Za-z0-9]{2,10}$")
_ISO_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


@dataclass(frozen=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


DEVICE_CONTACTS = Columns(("device_owner", "contact_name", "phone"), ("handle", "service", "device_ref"))
CHAT_EXPORT = Columns(("timestamp", "sender", "recipient", "text"), ("sender_handle", "recipient_handle", "service"))
COMPLAINT = Columns(("complaint_ref", "date", "amount", "currency", "paid_to_kind", "paid_to"),
                    ("bank_name", "scam_type", "contact_phone"))


@dataclass
class _Rows:
    """The file's rows as {our column: value}, with their spreadsheet row numbers."""

    rows: list[tuple[int, dict[str, str]]]
    errors: list[dict] = field(default_factory=list)


def _fail(errors: list[dict], name: str) -> None:
    raise ValidationFailed(_("%(n)d problem(s) in %(f)s; nothing was imported.") % {"n": len(errors), "f": name},
                           extra={"errors": errors[:MAX_ERRORS]})


def read_csv(data: bytes, columns: Columns, mapping: dict[str, str] | None = None, *, name: str = "file") -> _Rows:
    """Decode and split the CSV; raise ValidationFailed naming a missing column or a bad encoding."""
    mapping = {k.strip(): v for k, v in (mapping or {}).items()}
    unknown = sorted(set(mapping) - set(columns.all))
    if unknown:
        _fail([{"row": None, "field": col, "message": _("not a column of this format (columns: %(c)s)")
                % {"c": ", ".join(columns.all)}} for col in unknown], name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail([{"row": None, "field": "", "message": _("not UTF-8 text (byte %(b)d); save the file as CSV UTF-8")
                % {"b": exc.start}}], name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        _fail([{"row": 1, "field": "", "message": _("the file has no header row")}], name)
    position = {h.strip().casefold(): i for i, h in enumerate(header)}
    where: dict[str, int] = {}
    errors = []
    for col in columns.all:
        theirs = mapping.get(col, col)
        if theirs.strip().casefold() in position:
            where[col] = position[theirs.strip().casefold()]
        elif col in columns.required:
            message = _("missing column") if theirs == col else _("missing column (mapped to header %(h)r)") % {"h": theirs}
            errors.append({"row": 1, "field": col, "message": message})
    if errors:
        _fail(errors, name)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((number, {col: (values[i].strip() if i < len(values) else "") for col, i in where.items()}))
    if not rows:
        _fail([{"row": None, "field": "", "message": _("the file has no data rows")}], name)
    return _Rows(rows)


class _Row:
    """One row being turned into entities; problems are collected with row number and column."""

    def __init__(self, number: int, values: dict[str, str], errors: list[dict]):
        self.number, self.values, self.errors = number, values, errors

    def get(self, col: str) -> str:
        return self.values.get(col, "")

    def problem(self, col: str, message: str) -> None:
        self.errors.append({"row": self.number, "field": col, "message": message})

    def required(self, col: str) -> str:
        value = self.get(col)
        if not value:
            self.problem(col, _("required"))
        return value

    def phone(self, col: str, *, required: bool = False) -> str:
        value = self.required(col) if required else self.get(col)
        if not value:
            return ""
        number = identifiers.phone(value)
        if not number.startswith("+") or registry.phone.clean(number) is None:
            self.problem(col, _("%(v)r is not a phone number (give it with the country code, e.g. +66 81 234 5678)")
                         % {"v": value})
            return ""
        return number

    def service(self, col: str = "service") -> str:
        value = self.get(col).lower()
        if value and value not in SERVICES:
            self.problem(col, _("%(v)r is not one of %(s)s") % {"v": self.get(col), "s": ", ".join(SERVICES)})
            return ""
        return value

    def when(self, col: str, *, with_time: bool) -> str:
        value = self.required(col)
        if not value:
            return ""
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00")) if with_time else date.fromisoformat(value)
        except ValueError:
            example = "2025-03-01T14:05:00" if with_time else "2025-03-01"
            self.problem(col, _("%(v)r is not a date (write it as %(e)s)") % {"v": value, "e": example})
            return ""
        if with_time and parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)  # FtM dates carry no offset: store UTC
        text = parsed.isoformat(timespec="seconds") if with_time else parsed.isoformat()
        cleaned = registry.date.clean(text)
        if cleaned is None:
            self.problem(col, _("%(v)r is not a date") % {"v": value})
            return ""
        return cleaned


def _person_like(entity_id: str, known: dict[str, bool]) -> bool:
    """Whether ``entity_id`` names an existing person or organization (looked up once per value)."""
    if entity_id not in known:
        schema = Entity.objects.filter(pk=entity_id).values_list("schema", flat=True).first()
        known[entity_id] = bool(schema) and model.get(schema).is_a("LegalEntity")
    return known[entity_id]


def _account(handle: str, service_name: str, owner: str) -> dict:
    return {"id": identifiers.entity_id("account", identifiers.handle(handle, service_name)), "schema": "UserAccount",
            "properties": {"username": [handle], "service": [service_name] if service_name else [], "owner": [owner]}}


def device_contacts(rows: _Rows) -> list[tuple[int, dict]]:
    """A seized phone's contact list: the owner "has in contacts" each contact (a Person with the number).

    device_owner: an existing entity id, or a name (then a Person keyed on device_ref and name);
    each contact is the Person behind the number, keyed on the number (the same number in two seized
    phones is one person, with the names each owner saved it under); a handle becomes a UserAccount
    owned by the contact, keyed on service and handle."""
    out: list[tuple[int, dict]] = []
    owners: dict[str, str] = {}
    for number, values in rows.rows:
        row = _Row(number, values, rows.errors)
        owner = row.required("device_owner")
        contact = row.required("contact_name")
        phone = row.phone("phone")
        handle = row.get("handle")
        service_name = row.service()
        device = row.get("device_ref")
        if not phone and not handle and row.get("phone") == "":
            row.problem("phone", _("give the contact's phone or handle"))
        if handle and not service_name and not row.get("service"):
            row.problem("service", _("required with a handle (one of %(s)s)") % {"s": ", ".join(SERVICES)})
        if not owner or not contact or (not phone and not handle) or len(rows.errors) >= MAX_ERRORS:
            if len(rows.errors) >= MAX_ERRORS:
                break
            continue
        if owner not in owners:
            if _person_like(owner, {}):
                owners[owner] = owner
            else:
                owners[owner] = identifiers.entity_id("device-owner", f"{device.casefold()}|{owner.casefold()}")
        owner_id = owners[owner]
        if owner_id != owner:
            props = {"name": [owner]}
            if device:
                props["description"] = [_("Owner of seized device %(d)s") % {"d": device}]
            out.append((number, {"id": owner_id, "schema": "Person", "properties": props}))
        key = phone or identifiers.handle(handle, service_name)
        contact_id = identifiers.entity_id("contact", key)
        out.append((number, {"id": contact_id, "schema": "Person",
                             "properties": {"name": [contact], "phone": [phone] if phone else []}}))
        if handle:
            out.append((number, _account(handle, service_name, contact_id)))
        link = {"subject": [owner_id], "object": [contact_id], "role": ["has in contacts"]}
        if device:
            link["description"] = [_("Contact list of seized device %(d)s") % {"d": device}]
        out.append((number, {"id": identifiers.entity_id("contacts", f"{owner_id}|{contact_id}"),
                             "schema": "UnknownLink", "properties": link}))
    return out


def chat_export(rows: _Rows) -> list[tuple[int, dict]]:
    """A seized phone's chat export: one FtM Message per row, with sender and recipient as Persons and,
    when a handle is given, as UserAccounts of the service.

    A participant is an existing entity id, or the Person behind the handle (keyed on service and
    handle), or, with no handle, a Person keyed on the name as written."""
    out: list[tuple[int, dict]] = []
    known: dict[str, bool] = {}
    for number, values in rows.rows:
        row = _Row(number, values, rows.errors)
        when = row.when("timestamp", with_time=True)
        text = row.required("text")
        service_name = row.service()
        people, accounts = {}, {}
        for side in ("sender", "recipient"):
            name, handle = row.get(side), row.get(f"{side}_handle")
            if not name and not handle:
                row.problem(side, _("give the %(s)s's name or handle") % {"s": side})
                continue
            if handle and not service_name:
                row.problem("service", _("required with a handle (one of %(s)s)") % {"s": ", ".join(SERVICES)})
                continue
            if name and not handle and _person_like(name, known):
                people[side] = name
                continue
            key = identifiers.handle(handle, service_name) if handle else f"name:{name.casefold()}"
            people[side] = identifiers.entity_id("chat-person", key)
            out.append((number, {"id": people[side], "schema": "Person",
                                 "properties": {"name": [name or handle]}}))
            if handle:
                account = _account(handle, service_name, people[side])
                accounts[side] = account["id"]
                out.append((number, account))
        if len(rows.errors) >= MAX_ERRORS:
            break
        if not when or not text or len(people) < 2:
            continue
        props = {"sender": [people["sender"]], "recipients": [people["recipient"]], "date": [when],
                 "bodyText": [text]}
        if "sender" in accounts:
            props["senderAccount"] = [accounts["sender"]]
        if "recipient" in accounts:
            props["recipientAccount"] = [accounts["recipient"]]
        key = f"{service_name}|{when}|{people['sender']}|{people['recipient']}|{text}"
        out.append((number, {"id": identifiers.entity_id("message", key), "schema": "Message", "properties": props}))
    return out


def _amount(row: _Row) -> str:
    value = row.required("amount")
    if not value:
        return ""
    try:
        number = Decimal(value.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        row.problem("amount", _("%(v)r is not a number") % {"v": value})
        return ""
    if not number.is_finite() or number <= 0:
        row.problem("amount", _("must be more than 0"))
        return ""
    return format(number.normalize(), "f")


def complaint(rows: _Rows) -> list[tuple[int, dict]]:
    """Victims' complaints: who was paid, how much, when. The complainant is an anonymous Person
    ("Complainant <ref>"): no personal data of victims enters the compartment.

    paid_to_kind bank: an FtM Payment from the complainant into a BankAccount (accountNumber,
    bankName). wallet: FtM's Payment takes bank accounts only, so a payment into a CryptoWallet
    (publicKey) is an UnknownLink with role "paid" from the complainant to the wallet, dated, the
    amount in its description. phone: money sent to a phone number (PromptPay and the like) is an
    UnknownLink "paid" to the Person "Scammer behind <phone>" carrying that phone. contact_phone, the
    number the scammer called from, is such a Person too, linked to the complainant as "contacted"."""
    out: list[tuple[int, dict]] = []
    for number, values in rows.rows:
        row = _Row(number, values, rows.errors)
        ref = row.required("complaint_ref")
        when = row.when("date", with_time=False)
        amount = _amount(row)
        currency = row.required("currency").upper()
        kind = row.required("paid_to_kind").lower()
        paid_to = row.required("paid_to")
        bank_name = row.get("bank_name")
        scam_type = row.get("scam_type")
        contact_phone = row.phone("contact_phone")
        if kind and kind not in PAID_TO_KINDS:
            row.problem("paid_to_kind", _("%(v)r is not one of %(k)s") % {"v": row.get("paid_to_kind"),
                                                                        "k": ", ".join(PAID_TO_KINDS)})
            kind = ""
        if currency:
            pattern = _CURRENCY if kind == "wallet" else _ISO_CURRENCY
            if not pattern.match(currency):
                row.problem("currency", _("%(v)r is not a currency code (e.g. THB, USD; USDT for a wallet)")
                            % {"v": row.get("currency")})
                currency = ""
        if kind == "bank" and not bank_name:
            row.problem("bank_name", _("required for a bank account (account numbers are per bank)"))
        payee_phone = ""
        if kind == "phone" and paid_to:
            payee_phone = row.phone("paid_to")
        if kind == "wallet" and paid_to and not re.fullmatch(r"[A-Za-z0-9]{20,120}", paid_to):
            row.problem("paid_to", _("%(v)r is not a wallet address") % {"v": paid_to})
        if len(rows.errors) >= MAX_ERRORS:
            break
        if not (ref and when and amount and currency and kind and paid_to) or (kind == "bank" and not bank_name) \
                or (kind == "phone" and not payee_phone) or any(e["row"] == number for e in rows.errors):
            continue
        complainant = identifiers.entity_id("complainant", ref)
        out.append((number, {"id": complainant, "schema": "Person",
                             "properties": {"name": [_("Complainant %(r)s") % {"r": ref}]}}))
        key = f"{ref}|{when}|{amount}|{currency}|{kind}|{paid_to}"
        summary = [_("Reported scam: %(t)s") % {"t": scam_type}] if scam_type else []
        if kind == "bank":
            account = identifiers.entity_id("account", identifiers.account(paid_to, bank_name))
            out.append((number, {"id": account, "schema": "BankAccount",
                                 "properties": {"accountNumber": [paid_to], "bankName": [bank_name]}}))
            out.append((number, {"id": identifiers.entity_id("payment", key), "schema": "Payment", "properties": {
                "payer": [complainant], "beneficiaryAccount": [account], "amount": [amount], "currency": [currency],
                "date": [when], "recordId": [ref], "summary": summary}}))
        else:
            if kind == "wallet":
                payee = identifiers.entity_id("wallet", identifiers.wallet(paid_to))
                out.append((number, {"id": payee, "schema": "CryptoWallet", "properties": {
                    "publicKey": [paid_to], "currencySymbol": [currency]}}))
            else:
                payee = identifiers.entity_id("scammer-phone", payee_phone)
                out.append((number, {"id": payee, "schema": "Person", "properties": {
                    "name": [_("Scammer behind %(p)s") % {"p": payee_phone}], "phone": [payee_phone]}}))
            out.append((number, {"id": identifiers.entity_id("payment", key), "schema": "UnknownLink", "properties": {
                "subject": [complainant], "object": [payee], "role": ["paid"], "date": [when], "recordId": [ref],
                "description": [_("Paid %(a)s %(c)s") % {"a": amount, "c": currency}], "summary": summary}}))
        if contact_phone:
            scammer = identifiers.entity_id("scammer-phone", contact_phone)
            out.append((number, {"id": scammer, "schema": "Person", "properties": {
                "name": [_("Scammer behind %(p)s") % {"p": contact_phone}], "phone": [contact_phone]}}))
            out.append((number, {"id": identifiers.entity_id("contacted", f"{ref}|{contact_phone}"),
                                 "schema": "UnknownLink", "properties": {
                                     "subject": [scammer], "object": [complainant], "role": ["contacted"],
                                     "date": [when], "recordId": [ref]}}))
    return out


@dataclass(frozen=True)
class Adapter:
    kind: str
    columns: Columns
    build: Callable[[_Rows], list[tuple[int, dict]]]


ADAPTERS: dict[str, Adapter] = {
    "contacts": Adapter(SourceKind.DEVICE_CONTACTS, DEVICE_CONTACTS, device_contacts),
    "chat": Adapter(SourceKind.CHAT_EXPORT, CHAT_EXPORT, chat_export),
    "complaints": Adapter(SourceKind.COMPLAINT, COMPLAINT, complaint),
}


def parse(fmt: str, data: bytes, mapping: dict[str, str] | None = None, *, name: str = "file") -> list[tuple[int, dict]]:
    """The FtM entities of a partner's CSV, each with its row number; ValidationFailed naming every
    problem's row and column when any row is bad."""
    adapter = ADAPTERS[fmt]
    rows = read_csv(data, adapter.columns, mapping, name=name)
    entities = adapter.build(rows)
    if rows.errors:
        _fail(rows.errors, name)
    return entities


@service
def import_csv(*, actor: Actor, fmt: str, data: bytes, name: str, mapping: dict[str, str] | None = None,
               confidence: float = 1.0) -> services.ImportReport:
    """Import a contact list, chat export or complaints CSV: all or nothing, idempotent by file."""
    require(actor, "network", "import", "network_batch")
    if fmt not in ADAPTERS:
        raise ValidationFailed(_("Unknown source format %(f)s.") % {"f": fmt})
    entities = parse(fmt, data, mapping, name=name)
    return services.import_batch(actor=actor, rows=entities, data=data, name=name, source_kind=ADAPTERS[fmt].kind,
                                 confidence=confidence)


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``["ours=theirs", ...]`` from the command line; ValueError naming a malformed pair."""
    mapping = {}
    for pair in pairs or []:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise ValueError(f"--map {pair!r}: write it as ours=theirs, e.g. --map phone='Mobile No.'")
        mapping[ours.strip()] = theirs.strip()
    return mapping
