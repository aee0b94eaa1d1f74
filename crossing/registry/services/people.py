"""Creating and changing people: one bulk writer for intake, imports and the demo scenario."""

from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice

from django.db import transaction
from django.utils import timezone

from analytics.names import detect_script, index_tokens, romanize
from crossing.access import audit
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor, access_person, may
from crossing.core.errors import PermissionDeniedError, ValidationFailed
from crossing.registry.drafts import PersonDraft
from crossing.registry.models import (
    FamilyContact,
    HoldingFacility,
    IdentityDocument,
    ImportBatch,
    ImportedRow,
    NameToken,
    Person,
    PersonLanguage,
    PersonName,
    PersonNationality,
    PersonStatus,
    Placement,
    Vulnerability,
    new_reference,
)


def normalise_document_number(number: str) -> str:
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
        raise PermissionDeniedError("Your role may not register people.")
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
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> list[Person]:
    """Create people with all their parts in chunks; the caller owns the transaction.

    Returns the created Person objects only for small inputs (<= chunk_size) to keep memory flat.
    """
    today = timezone.localdate()
    created_small: list[Person] = []
    total = 0
    iterator = iter(drafts)
    references: set[str] = set()
    while True:
        chunk = list(islice(iterator, chunk_size))
        if not chunk:
            break
        people, names, tokens, nats, langs, docs, contacts, vulns, placements, rows = ([] for _ in range(10))
        for d in chunk:
            ref = new_reference()
            while ref in references:
                ref = new_reference()
            references.add(ref)
            open_placement = next((p for p in d.placements if p.check_out is None), None)
            first_name = d.names[0].full_name if d.names else ""
            person = Person(
                reference=ref, display_name=first_name[:300], sex=d.sex, date_of_birth=d.date_of_birth,
                dob_precision=d.dob_precision, age_estimate=d.age_estimate, is_minor=_is_minor(d, today),
                status=d.status, compound_id=d.compound_id, rescue_event_id=d.rescue_event_id,
                current_facility_id=open_placement.facility_id if open_placement else None,
                owner_agency_id=owner_agency_id, owner_team_id=owner_team_id,
                created_by_id=actor.user.pk if actor.user is not None and actor.user.is_authenticated else None,
                primary_nationality=d.nationalities[0] if d.nationalities else "",
            )
            people.append(person)
            person_tokens: set[str] = set()
            for n in d.names:
                script = n.script or detect_script(n.full_name)
                names.append(PersonName(person=person, full_name=n.full_name[:300], script=script, language=n.language,
                                        kind=n.kind, romanized=(romanize(n.full_name) if script != "Latn" else "")[:300]))
                person_tokens |= index_tokens(n.full_name)
            tokens.extend(NameToken(person=person, token=t[:64]) for t in person_tokens)
            nats.extend(PersonNationality(person=person, country=c) for c in dict.fromkeys(d.nationalities))
            langs.extend(PersonLanguage(person=person, language=code, interpreter_needed=need) for code, need in d.languages)
            docs.extend(
                IdentityDocument(person=person, doc_type=doc.doc_type, number=doc.number,
                                 number_normalized=normalise_document_number(doc.number),
                                 issuing_country=doc.issuing_country, expiry=doc.expiry, custodian=doc.custodian)
                for doc in d.documents
            )
            contacts.extend(FamilyContact(person=person, name=c.name, relationship=c.relationship, phone=c.phone,
                                          consent_to_contact=c.consent_to_contact) for c in d.contacts)
            vulns.extend(Vulnerability(person=person, kind=k) for k in dict.fromkeys(d.vulnerabilities))
            placements.extend(Placement(person=person, facility_id=p.facility_id, check_in=p.check_in, check_out=p.check_out,
                                        reason=p.reason) for p in d.placements)
            if d.source is not None and batch is not None:
                rows.append(ImportedRow(batch=batch, list_ref=d.source.list_ref, row_ref=d.source.row_ref,
                                        content_hash=d.source.content_hash, person=person))
        Person.objects.bulk_create(people, batch_size=1000)
        for model, objs in ((PersonName, names), (NameToken, tokens), (PersonNationality, nats), (PersonLanguage, langs),
                            (IdentityDocument, docs), (FamilyContact, contacts), (Vulnerability, vulns),
                            (Placement, placements), (ImportedRow, rows)):
            if objs:
                model.objects.bulk_create(objs, batch_size=2000)
        extra = {"source": source, **({"batch": str(batch.pk)} if batch else {})}
        audit.record_many(actor, [
            EventDraft(AuditEventType.PERSON_CREATED, "person", str(p.pk), p.pk, extra=extra) for p in people
        ])
        total += len(people)
        if progress:
            progress(total)
        if total <= chunk_size:
            created_small.extend(people)
        else:
            created_small = []
    return created_small


@transaction.atomic
def person_create(*, actor: Actor, draft: PersonDraft) -> Person:
    """Register one person (intake form, API). The actor's creating membership owns the record."""
    if not draft.names or not any(n.full_name.strip() for n in draft.names):
        raise ValidationFailed("A person needs at least one name.", extra={"fields": {"full_name": ["Required."]}})
    agency_id, team_id = owner_context(actor)
    return person_bulk_create(actor=actor, drafts=[draft], owner_agency_id=agency_id, owner_team_id=team_id)[0]


@transaction.atomic
def person_set_status(*, actor: Actor, person_id, status: str, reason: str = "") -> Person:
    person = access_person(actor, person_id, "update")
    if status not in PersonStatus.values:
        raise ValidationFailed(f"Unknown status {status!r}.")
    before = person.status
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.PERSON_UPDATED, subject_type="person", subject_id=person.pk, person_id=person.pk,
                 extra={"field": "status", "from": before, "to": status, "reason": reason[:300]})
    return person


@transaction.atomic
def person_move(*, actor: Actor, person_id, facility: HoldingFacility | None, reason: str, status: str | None = None) -> Person:
    """Check a person out of their current facility and, if given, into another (a transfer)."""
    person = access_person(actor, person_id, "view")
    if not may(actor, "person_placement", "update", person):
        raise PermissionDeniedError("You may not change where this person is held.")
    now = timezone.now()
    before = person.current_facility_id
    Placement.objects.filter(person=person, check_out__isnull=True).update(check_out=now, reason=reason[:200])
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
