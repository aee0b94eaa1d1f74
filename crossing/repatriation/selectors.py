"""Repatriation reads, scoped by the access layer and audited like every read of a person."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone

from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import NotFound
from crossing.registry.models import Person
from crossing.repatriation import border, pledges, services, workflow
from crossing.repatriation.models import (
    CaseHold,
    CaseState,
    DocumentRequestStatus,
    HoldReason,
    Movement,
    MovementStatus,
    ProcessingDay,
    RepatriationCase,
    TravelDocumentRequest,
)


@dataclass
class CaseView:
    case: RepatriationCase | None
    next_state: str | None = None
    next_label: str = ""
    holds: list = field(default_factory=list)
    transitions: list = field(default_factory=list)
    document_requests: list = field(default_factory=list)
    movements: list = field(default_factory=list)  # bookable movements serving the destination
    pledges: list = field(default_factory=list)  # (pledge, returns left or None) that can fund the case
    has_travel_document: bool = False
    may_open: bool = False
    may_update: bool = False
    may_hold: bool = False
    may_request_document: bool = False


def case_for_person(actor: Actor, person: Person) -> CaseView | None:
    """The person page's repatriation card (None when the actor may not see repatriation)."""
    if not policy.may(actor, "repatriation", "view", person) and not policy.may(actor, "repatriation", "hold",
                                                                                  person):
        return None
    case = RepatriationCase.objects.filter(person=person).select_related("movement").first()
    view = CaseView(case=case, may_open=policy.may(actor, "repatriation", "update", person))
    if case is None:
        return view
    audit.record(actor, AuditEventType.REPATRIATION_VIEWED, subject_type="repatriation_case", subject_id=case.pk,
                 person_id=person.pk)
    view.next_state = workflow.next_state(case.state) if case.state != workflow.WITHDRAWN else workflow.COUNSELLED
    view.next_label = CaseState(view.next_state).label if view.next_state else ""
    view.holds = list(case.holds.filter(lifted_at__isnull=True).select_related("placed_by"))
    view.transitions = list(case.transitions.select_related("by").order_by("-at", "-id")[:30])
    view.document_requests = list(case.document_requests.order_by("-created_at"))
    view.has_travel_document = services.has_travel_document(case)
    view.may_update = view.may_open
    view.may_hold = policy.may(actor, "repatriation", "hold", person)
    view.may_request_document = policy.may(actor, "travel_document", "request", person)
    if view.next_state == workflow.BOOKED:
        view.movements = [m for m in Movement.objects.exclude(
            status__in=[MovementStatus.DEPARTED, MovementStatus.CANCELLED, MovementStatus.MANIFEST_LOCKED,
                        MovementStatus.PROPOSED]) if case.destination in m.destinations]
    if view.next_state == workflow.FUNDED:
        view.pledges = pledges.usable(case.destination)
    return view


def document_requests(actor: Actor, status: str = DocumentRequestStatus.REQUESTED) -> list[TravelDocumentRequest]:
    """The embassy's workspace: open travel document requests for people it may issue for."""
    if not actor.can("travel_document", "issue"):
        return []
    visible = policy.people(actor, "view")
    found = (TravelDocumentRequest.objects.filter(status=status, case__person__in=visible.values("id"))
             .select_related("case__person").order_by("created_at"))
    rows = [r for r in found if policy.may(actor, "travel_document", "issue", r.case.person)]
    audit.record_many(actor, [EventDraft(AuditEventType.REPATRIATION_VIEWED, "travel_document_request", str(r.pk),
                                         r.case.person_id, extra={"list": "embassy"}) for r in rows])
    return rows


HOLD_CHOICES = HoldReason.choices


@dataclass
class MovementRow:
    movement: Movement
    booked: int
    crossing_day: object  # date or None (no processing day inside the crossing window)
    may_edit: bool = False


def movements(actor: Actor, *, past: bool = False) -> list[MovementRow]:
    """Movements from today on (or the past ones), with seats booked and the day people cross."""
    policy.require(actor, "movement", "view")
    today = timezone.localdate()
    found = Movement.objects.annotate(n=Count("cases", filter=Q(cases__state=workflow.BOOKED)))
    found = found.filter(departs_at__date__lt=today).order_by("-departs_at") if past else \
        found.filter(departs_at__date__gte=today)
    manage = actor.can("movement", "manage")
    return [MovementRow(m, m.n, border.crossing_day(m.departs_at),
                        may_edit=manage and m.status in ("proposed", "planned", "manifest_open"))
            for m in found[:200]]


@dataclass
class MovementView:
    movement: Movement
    crossing_day: object
    crossing_opens: object
    passengers: list = field(default_factory=list)  # cases booked, departed or arrived on it
    hidden: int = 0  # passengers the actor may not see
    may_manage: bool = False

    @property
    def awaiting_arrival(self) -> bool:
        return any(c.state == workflow.DEPARTED for c in self.passengers)


def movement_detail(actor: Actor, movement_id) -> MovementView:
    """One movement and, for those who manage movements, its passengers (each read audited)."""
    policy.require(actor, "movement", "view")
    try:
        movement = Movement.objects.get(pk=movement_id)
    except (Movement.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None
    view = MovementView(movement, border.crossing_day(movement.departs_at), border.crossing_opens(movement.departs_at),
                        may_manage=actor.can("movement", "manage"))
    if not view.may_manage:
        return view
    visible = policy.people_for(actor, "repatriation", "view").values("id")
    cases = (RepatriationCase.objects.filter(movement=movement,
                                             state__in=[workflow.BOOKED, workflow.DEPARTED, workflow.ARRIVED,
                                                        workflow.CLOSED])
             .select_related("person").order_by("person__display_name"))
    view.passengers = list(cases.filter(person__in=visible))
    view.hidden = cases.count() - len(view.passengers)
    audit.record_many(actor, [EventDraft(AuditEventType.REPATRIATION_VIEWED, "movement", str(movement.pk),
                                         c.person_id, extra={"list": "passengers"}) for c in view.passengers])
    return view


def processing_days(actor: Actor, start, days: int = 28) -> list[tuple]:
    """The border rules for the coming days: (day, capacity, reserved countries, overridden?)."""
    policy.require(actor, "movement", "view")
    overridden = set(ProcessingDay.objects.filter(day__gte=start).values_list("day", flat=True))
    return [(day, cap, reserved, day in overridden) for day, (cap, reserved) in border.rules(start, days).items()]


def movement_row(actor: Actor, movement_id) -> MovementRow:
    """One movement as in the list (no passengers)."""
    policy.require(actor, "movement", "view")
    try:
        m = Movement.objects.annotate(n=Count("cases", filter=Q(cases__state=workflow.BOOKED))).get(pk=movement_id)
    except (Movement.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None
    return MovementRow(m, m.n, border.crossing_day(m.departs_at),
                       may_edit=actor.can("movement", "manage") and m.status in ("proposed", "planned", "manifest_open"))


def case_list(actor: Actor, *, state: str = "", destination: str = "", page=1, per_page: int = 100):
    """A page of the repatriation cases the actor may see, each read audited (for partners' systems)."""
    policy.require(actor, "repatriation", "view")
    visible = policy.people_for(actor, "repatriation", "view")
    cases = (RepatriationCase.objects.filter(person__in=visible.values("id")).select_related("person", "movement")
             .order_by("person__reference"))
    if state in CaseState.values:
        cases = cases.filter(state=state)
    if destination:
        cases = cases.filter(destination=destination.strip().upper()[:3])
    found = Paginator(cases, per_page).get_page(page)
    holds: dict = {}
    for case_id, reason in CaseHold.objects.filter(case__in=[c.pk for c in found.object_list],
                                                   lifted_at__isnull=True).values_list("case_id", "reason"):
        holds.setdefault(case_id, []).append(reason)
    for c in found.object_list:
        c.active_holds = sorted(holds.get(c.pk, []))
    audit.record_many(actor, [EventDraft(AuditEventType.REPATRIATION_VIEWED, "repatriation_case", str(c.pk),
                                         c.person_id, extra={"list": "api"}) for c in found.object_list])
    return found
