"""Creating and changing people: one bulk writer for intake, imports and the demo scenario."""

from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.linkage.phones import to_e164
from crossing.access import audit
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor, access_person, may
from crossing.core.bulk_insert import Adapters, insert_rows
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.core.models import time_ordered_uuid
from crossing.registry.drafts import PersonDraft
from crossing.registry.models import (
    Custodian,
    FacilityKind,
    FamilyContact,
    HoldingFacility,
    IdentityDocument,
    ImportBatch,
    ImportedRow,
    NameKind,
    NameToken,
    Person,
    PersonLanguage,
    PersonName,
    PersonNationality,
    PersonStatus,
    PhoneNumber,
    Placement,
    Vulnerability,
    new_reference,
)
from crossing.registry.name_parts import name_parts


def normalise_document_number(number: str) -> str:
    if number.isalnum():
        return number.upper()
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _age_on(dob: date | None, estimate: int | None, today: date) -> int | None:
    if dob is not None:
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    return estimate


def _is_minor(draft: PersonDraft, today: date) -> bool:
    age = _age_on(draft.date_of_birth, draft.age_estimate, today)
    return "possible_minor" in draft.vulnerabilities or (age is not None and age < 18)


def owner_context(actor: Actor, action: tuple[str, str] = ("person", "create")):
    """The agency and team a new record belongs to: the membership that grants the creation."""
    grants = actor.grants.get(action, [])
    if not grants:
        raise PermissionDeniedError(_("Your role may not register people."))
    ctx = grants[0][1]
    return ctx.agency_id, ctx.team_id


def person_bulk_create(
    *,
    actor: Actor,
    drafts: Iterable[PersonDraft],
    owner_agency_id,
    owner_team_id=None,
    batch: ImportBatch | None = None,
    source: str = "intake",
    chunk_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    precomputed_names=None,
) -> list[Person]:
    """Create people with all their parts, chunk by chunk; the caller owns the transaction.

    Rows go in as plain tuples (``insert_rows``) because model instances dominate the cost of
    large imports. ``precomputed_names`` (an object with ``get(name)``, see
    ``importing.name_workers``) supplies name parts computed on another core. Returns the created people only for small inputs (<= chunk_size), so memory
    stays flat for national-scale lists.
    """
    today = timezone.localdate()
    now = timezone.now()
    db = Adapters()
    now_db = db.datetime(now)
    owner_agency_db, owner_team_db = db.key(owner_agency_id), db.key(owner_team_id)
    batch_db = db.key(batch.pk) if batch else None
    created_by = actor.user.pk if actor.user is not None and actor.user.is_authenticated else None
    extra = {"source": source, **({"batch": str(batch.pk)} if batch else {})}
    created_ids: list = []
    total = 0
    iterator = iter(drafts)
    references: set[str] = set()
    while True:
        chunk = list(islice(iterator, chunk_size))
        if not chunk:
            break
        people, names, tokens, nats, langs, docs, contacts, phones, vulns, placements, rows = ([] for _i in range(11))
        ids = []
        for d in chunk:
            pid = time_ordered_uuid()
            ids.append(pid)
            pid_db = db.uuid(pid)
            ref = new_reference()
            while ref in references:
                ref = new_reference()
            references.add(ref)
            open_placement = next((p for p in d.placements if p.check_out is None), None)
            display = (d.names[0].full_name if d.names else "")[:300]
            people.append((
                pid_db, now_db, now_db, ref, display, d.sex, _date(db, d.date_of_birth), d.dob_precision, d.age_estimate,
                _is_minor(d, today), d.status, db.key(d.compound_id), db.key(d.rescue_event_id),
                db.key(open_placement.facility_id) if open_placement else None, owner_agency_db, owner_team_db,
                created_by, d.nationalities[0] if d.nationalities else "",
            ))
            person_tokens: set[str] = set()
            for n in d.names:
                parts = precomputed_names.get(n.full_name) if precomputed_names is not None and not n.script else None
                script, romanized, name_tokens = parts or name_parts(n.full_name, n.script)
                names.append((pid_db, n.full_name[:300], script, n.language, n.kind, romanized))
                person_tokens |= name_tokens
            tokens.extend((pid_db, t) for t in person_tokens)
            nats.extend((pid_db, c) for c in dict.fromkeys(d.nationalities))
            langs.extend((pid_db, code, need) for code, need in d.languages)
            docs.extend((pid_db, doc.doc_type, doc.number, normalise_document_number(doc.number), doc.issuing_country,
                         _date(db, doc.expiry), doc.custodian) for doc in d.documents)
            contacts.extend((pid_db, c.name, c.relationship, c.phone, c.consent_to_contact) for c in d.contacts)
            primary = d.nationalities[0] if d.nationalities else None
            phones.extend((pid_db, raw[:40], to_e164(raw, primary) or "") for raw in dict.fromkeys(d.phones))
            vulns.extend((pid_db, k, "") for k in dict.fromkeys(d.vulnerabilities))
            placements.extend((pid_db, db.key(p.facility_id), db.datetime(p.check_in),
                               db.datetime(p.check_out) if p.check_out else None, p.reason, "", None)
                              for p in d.placements)
            if d.source is not None and batch is not None:
                rows.append((batch_db, d.source.list_ref, d.source.row_ref, d.source.content_hash, pid_db))
        for model, columns, values in (
            (Person, _PERSON_COLUMNS, people),
            (PersonName, ["person", "full_name", "script", "language", "kind", "romanized"], names),
            (NameToken, ["person", "token"], tokens),
            (PersonNationality, ["person", "country"], nats),
            (PersonLanguage, ["person", "language", "interpreter_needed"], langs),
            (IdentityDocument, ["person", "doc_type", "number", "number_normalized", "issuing_country", "expiry",
                                "custodian"], docs),
            (FamilyContact, ["person", "name", "relationship", "phone", "consent_to_contact"], contacts),
            (PhoneNumber, ["person", "number", "e164"], phones),
            (Vulnerability, ["person", "kind", "note"], vulns),
            (Placement, ["person", "facility", "check_in", "check_out", "reason", "check_out_reason", "recorded_by"],
             placements),
            (ImportedRow, ["batch", "list_ref", "row_ref", "content_hash", "person"], rows),
        ):
            insert_rows(model, columns, values, prepared=True)
        audit.record_many(actor, [
            EventDraft(AuditEventType.PERSON_CREATED, "person", str(pk), pk, extra=extra) for pk in ids
        ])
        total += len(ids)
        if progress:
            progress(total)
        if total <= chunk_size:
            created_ids.extend(ids)
    if not created_ids or total > chunk_size:
        return []
    by_id = Person.objects.in_bulk(created_ids)
    return [by_id[pk] for pk in created_ids]


def _date(db: Adapters, value):
    return db.date(value) if value is not None else None


_PERSON_COLUMNS = [
    "id", "created_at", "updated_at", "reference", "display_name", "sex", "date_of_birth", "dob_precision",
    "age_estimate", "is_minor", "status", "compound", "rescue_event", "current_facility", "owner_agency", "owner_team",
    "created_by", "primary_nationality",
]


@transaction.atomic
def person_create(*, actor: Actor, draft: PersonDraft) -> Person:
    """Register one person (intake form, API). The actor's creating membership owns the record."""
    if not draft.names or not any(n.full_name.strip() for n in draft.names):
        raise ValidationFailed(_("A person needs at least one name."), extra={"fields": {"full_name": [_("Required.")]}})
    agency_id, team_id = owner_context(actor)
    return person_bulk_create(actor=actor, drafts=[draft], owner_agency_id=agency_id, owner_team_id=team_id)[0]


@transaction.atomic
def person_move(*, actor: Actor, person_id, facility: HoldingFacility | None, reason: str, status: str | None = None,
                hold_override_reason: str = "") -> Person:
    """Check a person out of their current facility and, if given, into another (a transfer).

    Placing a person under a non-punishment hold in immigration detention needs a written
    override reason (screening spec NP-3), recorded and audited with the move.
    """
    person = access_person(actor, person_id, "view")
    if not may(actor, "person_placement", "update", person):
        raise PermissionDeniedError(_("You may not change where this person is held."))
    if status and status not in PersonStatus.values:
        raise ValidationFailed(_("Unknown status."))
    if facility is not None and facility.kind == FacilityKind.IMMIGRATION_DETENTION:
        from crossing.screening.services import override_hold  # screening builds on the registry

        override_hold(actor=actor, person_id=person.pk, action="placement:immigration_detention",
                      reason=hold_override_reason)
    return _place(actor, person, facility, reason, status)


def check_out_departed(*, actor: Actor, person: Person, reason: str) -> Person:
    """A recorded departure checks the person out of where they were held and marks them
    repatriated. Called by the repatriation service, which has checked the actor's grant on the
    person's case (movement officers record departures without managing placements)."""
    return _place(actor, person, None, reason, PersonStatus.REPATRIATED)


def _place(actor: Actor, person: Person, facility: HoldingFacility | None, reason: str, status: str | None) -> Person:
    now = timezone.now()
    before = person.current_facility_id
    Placement.objects.filter(person=person, check_out__isnull=True).update(check_out=now, check_out_reason=reason[:200])
    if facility is not None:
        Placement.objects.create(person=person, facility=facility, check_in=now, reason=reason[:200], recorded_by=actor.user)
    person.current_facility = facility
    fields = ["current_facility", "updated_at"]
    if status:
        person.status = status
        fields.append("status")
    person.save(update_fields=fields)
    audit.record(actor, AuditEventType.PLACEMENT_CHANGED, subject_type="person", subject_id=person.pk, person_id=person.pk,
                 extra={"from": str(before) if before else None, "to": str(facility.pk) if facility else None,
                        "reason": reason[:200], "status": status})
    return person


@transaction.atomic
def person_add_name(*, actor: Actor, person_id, full_name: str, kind: str, language: str = "") -> PersonName:
    """Record another name (an alias, the name used in the compound, a native spelling)."""
    person = access_person(actor, person_id, "update")
    text = full_name.strip()
    if not text or len(text) > 300:
        raise ValidationFailed(_("A name of 1 to 300 characters is required."), extra={"fields": {"full_name": [_("Required.")]}})
    if kind not in NameKind.values:
        raise ValidationFailed(_("Unknown kind of name."))
    script, romanized, tokens = name_parts(text, "")
    name = PersonName.objects.create(person=person, full_name=text, script=script, language=language[:8], kind=kind,
                                     romanized=romanized)
    existing = set(NameToken.objects.filter(person=person).values_list("token", flat=True))
    NameToken.objects.bulk_create(NameToken(person=person, token=t) for t in tokens - existing)
    audit.record(actor, AuditEventType.PERSON_UPDATED, subject_type="person", subject_id=person.pk, person_id=person.pk,
                 extra={"field": "names", "change": "added", "kind": kind})
    return name


@transaction.atomic
def document_set_custodian(*, actor: Actor, person_id, document_id: int, custodian: str) -> IdentityDocument:
    """Record where an identity document is now (retrieved from the compound, handed to an embassy...)."""
    person = access_person(actor, person_id, "view")
    if not may(actor, "person_documents", "update", person):
        raise PermissionDeniedError(_("You may not change this person's documents."))
    if custodian not in Custodian.values:
        raise ValidationFailed(_("Unknown custodian."))
    document = IdentityDocument.objects.filter(person=person, pk=document_id).first()
    if document is None:
        raise NotFound()
    before = document.custodian
    document.custodian = custodian
    document.save(update_fields=["custodian"])
    audit.record(actor, AuditEventType.PERSON_UPDATED, subject_type="person", subject_id=person.pk, person_id=person.pk,
                 extra={"field": "document_custodian", "document": document.pk, "from": before, "to": custodian})
    return document
