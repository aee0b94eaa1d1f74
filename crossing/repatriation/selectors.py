"""Repatriation reads, scoped by the access layer and audited like every read of a person."""

from __future__ import annotations

from dataclasses import dataclass, field

from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.registry.models import Person
from crossing.repatriation import services, workflow
from crossing.repatriation.models import (
    CaseState,
    DocumentRequestStatus,
    HoldReason,
    Movement,
    MovementStatus,
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
            status__in=[MovementStatus.DEPARTED, MovementStatus.CANCELLED, MovementStatus.MANIFEST_LOCKED])
            if case.destination in m.destinations]
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
