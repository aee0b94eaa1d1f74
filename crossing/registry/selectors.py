"""Reads of the registry, always through the access layer and always audited.

Views, the API and the CLI call these; none of them touches Person.objects directly.
"""

import uuid
from dataclasses import dataclass, field
from math import ceil

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet, Window

from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import NotFound
from crossing.registry.models import Person, PersonName, PersonNationality, PersonStatus, Placement
from crossing.registry.search import search_people


@dataclass
class PersonFilters:
    q: str = ""
    nationality: str = ""
    status: str = ""
    facility: str = ""
    compound: str = ""

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def _filtered(actor: Actor, filters: PersonFilters, action: str) -> QuerySet[Person]:
    qs = policy.people(actor, action)
    if filters.nationality:
        qs = qs.filter(id__in=PersonNationality.objects.filter(country=filters.nationality.upper()).values("person_id"))
    if filters.status:
        qs = qs.filter(status=filters.status) if filters.status in PersonStatus.values else qs.none()
    if filters.facility:
        qs = _filter_uuid(qs, "current_facility_id", filters.facility)
    if filters.compound:
        qs = _filter_uuid(qs, "compound_id", filters.compound)
    if filters.q:
        qs = search_people(qs, filters.q, by_document=actor.can("person_documents", "view"))
    return qs


def _filter_uuid(qs, field_name: str, value: str):
    try:
        return qs.filter(**{field_name: uuid.UUID(str(value))})
    except ValueError:
        return qs.none()


def person_list(*, actor: Actor, filters: PersonFilters, page=1, per_page: int = 25) -> Page:
    """One page of the people the actor may list, audited with the ids shown.

    One query returns the page's ids and the total (a window count), so a broad search such as a
    common surname is matched and sorted once, not twice; the 25 rows are then loaded by id.
    """
    scoped = _filtered(actor, filters, "list").order_by("display_name", "reference")
    try:
        number = max(1, min(int(str(page)), 100_000))
    except ValueError:
        number = 1
    rows = _window(scoped, number, per_page)
    if not rows and number > 1:  # past the end: show the last page, as Paginator.get_page does
        number = max(1, ceil(scoped.count() / per_page))
        rows = _window(scoped, number, per_page)
    ids = [pk for pk, _total in rows]
    loaded = Person.objects.filter(pk__in=ids).select_related("current_facility").prefetch_related(
        Prefetch("nationalities", queryset=PersonNationality.objects.order_by("country")))
    by_id = {p.pk: p for p in loaded}
    paginator = Paginator([], per_page)
    paginator.count = rows[0][1] if rows else 0  # overrides the cached property: no second count query
    page_obj = Page([by_id[pk] for pk in ids if pk in by_id], number, paginator)
    audit.record(
        actor, AuditEventType.PERSON_SEARCHED if filters.q else AuditEventType.PERSON_LISTED,
        subject_type="person", extra={"filters": filters.as_dict(), "page": number, "person_ids": [str(pk) for pk in ids]},
    )
    return page_obj


def _window(scoped: QuerySet[Person], number: int, per_page: int) -> list[tuple]:
    start = (number - 1) * per_page
    return list(scoped.annotate(total=Window(Count("id"))).values_list("id", "total")[start:start + per_page])


@dataclass
class PersonView:
    person: Person
    sections: set[str]
    names: list = field(default_factory=list)
    nationalities: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    vulnerabilities: list = field(default_factory=list)
    placements: list = field(default_factory=list)
    break_glass: bool = False
    can_update: bool = False
    can_move: bool = False
    can_update_documents: bool = False


def person_get(*, actor: Actor, person_id) -> PersonView:
    """A person with every section the actor may read; the view is audited, sections listed."""
    person = policy.access_person(actor, person_id, "view")
    sections = policy.person_sections(actor, person)
    view = PersonView(
        person=person, sections=sections,
        names=list(PersonName.objects.filter(person=person)),
        nationalities=sorted(policy.nationalities_of(person)),
        languages=list(person.languages.all()),
        break_glass=policy.has_break_glass(actor, person),
        can_update=policy.may(actor, "person", "update", person),
        can_move=policy.may(actor, "person_placement", "update", person),
        can_update_documents=policy.may(actor, "person_documents", "update", person),
    )
    if "person_documents" in sections:
        view.documents = list(person.documents.all())
    if "person_contacts" in sections:
        view.contacts = list(person.contacts.all())
        view.phones = list(person.phones.all())
    if "person_vulnerabilities" in sections:
        view.vulnerabilities = list(person.vulnerabilities.all())
    if "person_placement" in sections:
        view.placements = list(Placement.objects.filter(person=person).select_related("facility").order_by("-check_in"))
    audit.record(actor, AuditEventType.PERSON_VIEWED, subject_type="person", subject_id=person.pk, person_id=person.pk,
                 extra={"sections": sorted(sections), "break_glass": view.break_glass})
    return view


def person_access_log(*, actor: Actor, person_id, limit: int = 200):
    person = policy.access_person(actor, person_id, "view")
    if not policy.may(actor, "person_access_log", "view", person):
        raise NotFound()
    events = list(policy.person_access_log(actor, person)[:limit])
    audit.record(actor, AuditEventType.PERSON_ACCESS_LOG_VIEWED, subject_type="person", subject_id=person.pk, person_id=person.pk)
    return person, events


EXPORT_COLUMNS = ["reference", "display_name", "sex", "date_of_birth", "dob_precision", "nationalities", "status",
                  "facility", "compound"]


def person_export_rows(*, actor: Actor, filters: PersonFilters):
    """Rows for a CSV export; one audit event per exported person (who saw which record)."""
    qs = _filtered(actor, filters, "export").select_related("current_facility", "compound").prefetch_related("nationalities")
    rows, drafts = [], []
    for p in qs.order_by("display_name", "reference").iterator(chunk_size=2000):
        rows.append([p.reference, p.display_name, p.sex, p.date_of_birth.isoformat() if p.date_of_birth else "",
                     p.dob_precision, " ".join(n.country for n in p.nationalities.all()), p.status,
                     p.current_facility.name if p.current_facility else "", p.compound.name if p.compound else ""])
        drafts.append(EventDraft(AuditEventType.PERSON_EXPORTED, "person", str(p.pk), p.pk, extra={"filters": filters.as_dict()}))
    audit.record_many(actor, drafts)
    return EXPORT_COLUMNS, rows
