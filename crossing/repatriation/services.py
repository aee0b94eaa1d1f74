"""Repatriation writes: open a case, move it through its gates, holds, withdrawal, travel documents
requested from and issued by embassies (in bulk), movements and bookings.

Every write checks the actor's grant on the person through the access layer, runs in one
transaction, and is audited with the person's id; refusals are audited too.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from crossing.access import audit
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import person_for, refused, require, service
from crossing.core import countries
from crossing.core.errors import NotFound, ValidationFailed
from crossing.registry.models import Custodian, DocumentType, IdentityDocument
from crossing.registry.services.people import check_out_departed
from crossing.repatriation import border, pledges, workflow
from crossing.repatriation.models import (
    CaseHold,
    CaseState,
    CaseTransition,
    DocumentRequestStatus,
    HoldReason,
    Movement,
    MovementStatus,
    Pledge,
    RepatriationCase,
    TravelDocumentRequest,
)

_PROBLEMS = {
    "reason_required": _("Give the reason for this step."),
    "already_departed": _("The person has already departed."),
    "reopen_with_counselling": _("A withdrawn case reopens with counselling."),
    "not_the_next_step": _("That is not the next step of this case."),
    "on_hold": _("The case is on hold: lift the hold first."),
    "no_travel_document": _("No travel document: the passport is not available and no emergency travel document "
                            "has been issued."),
    "risk_level_required": _("Record the return risk: low, medium or high."),
    "high_risk_not_accepted": _("The return risk is high: a supervisor or the movement officer must accept it "
                                "with a reason."),
    "not_funded": _("Choose the pledge that pays for the return."),
    "minor_without_receiving_agency": _("A child travels only to a named guardian or receiving agency."),
    "no_movement": _("Choose the movement."),
    "unknown_state": _("Unknown step."),
}


def country_code(code) -> str | None:
    text = str(code or "").strip().upper()
    return text if len(text) == 3 and text.isalpha() and countries.to_alpha3(text) == text else None


def _case_for(actor: Actor, case_id, resource: str, action: str) -> RepatriationCase:
    try:
        case = RepatriationCase.objects.select_related("person", "movement").select_for_update(of=("self",)).get(
            pk=case_id)
    except (RepatriationCase.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise refused(NotFound(), actor, "repatriation_case", case_id, None, f"{resource}.{action}") from None
    person_for(actor, case.person_id, resource, action)
    return case


@service
def open_case(*, actor: Actor, person_id, destination: str = "") -> RepatriationCase:
    """Open the person's repatriation case, or return the one they have."""
    person = person_for(actor, person_id, "repatriation", "update")
    existing = RepatriationCase.objects.filter(person=person).first()
    if existing is not None:
        return existing
    destination = country_code(destination or person.primary_nationality)
    if destination is None:
        raise ValidationFailed(_("destination: a country code (ISO alpha-3) is required."))
    case = RepatriationCase.objects.create(person=person, destination=destination, state_since=timezone.now(),
                                           opened_by=actor.user)
    audit.record(actor, AuditEventType.REPATRIATION_OPENED, subject_type="repatriation_case", subject_id=case.pk,
                 person_id=person.pk, extra={"destination": destination})
    return case


def has_travel_document(case: RepatriationCase) -> bool:
    """A passport the person or their embassy holds, or an emergency travel document issued."""
    return IdentityDocument.objects.filter(
        person_id=case.person_id, custodian__in=[Custodian.HOLDER, Custodian.EMBASSY],
        doc_type__in=[DocumentType.PASSPORT, DocumentType.ETD],
    ).exclude(expiry__lt=timezone.localdate()).exists()


def active_holds(case: RepatriationCase) -> tuple[str, ...]:
    return tuple(case.holds.filter(lifted_at__isnull=True).order_by("created_at").values_list("reason", flat=True))


@service
def advance(*, actor: Actor, case_id, to_state: str, reason: str, risk_level: str = "",
            high_risk_accepted: bool = False, receiving_agency: str = "", pledge_id=None, movement_id=None,
            escort: str = "") -> RepatriationCase:
    """Move the case to ``to_state`` when its gate allows it; every move names its actor and reason.
    "Funded" draws on a pledge for the case's destination (``pledges.problem`` says why one cannot).
    Departure and arrival are recorded for a whole movement (``movements.record_departure`` and
    ``record_arrival``, by movement officers), not one case at a time."""
    if to_state in (workflow.DEPARTED, workflow.ARRIVED):
        raise ValidationFailed(_("Departures and arrivals are recorded on the movement's page."))
    return _advance(actor=actor, case_id=case_id, to_state=to_state, reason=reason, risk_level=risk_level,
                    high_risk_accepted=high_risk_accepted, receiving_agency=receiving_agency, pledge_id=pledge_id,
                    movement_id=movement_id, escort=escort)


@service
def depart(*, actor: Actor, case_id, reason: str) -> RepatriationCase:
    """The person left on their movement (called by ``movements.record_departure``)."""
    require(actor, "movement", "manage", "repatriation_case", case_id)
    return _advance(actor=actor, case_id=case_id, to_state=workflow.DEPARTED, reason=reason)


@service
def arrive(*, actor: Actor, case_id, reason: str, receiving_agency: str = "") -> RepatriationCase:
    """The person arrived and was handed over (called by ``movements.record_arrival``)."""
    require(actor, "movement", "manage", "repatriation_case", case_id)
    return _advance(actor=actor, case_id=case_id, to_state=workflow.ARRIVED, reason=reason,
                    receiving_agency=receiving_agency)


def _advance(*, actor: Actor, case_id, to_state: str, reason: str, risk_level: str = "",
             high_risk_accepted: bool = False, receiving_agency: str = "", pledge_id=None, movement_id=None,
             escort: str = "") -> RepatriationCase:
    case = _case_for(actor, case_id, "repatriation", "update")
    if risk_level:
        case.risk_level = risk_level
    if high_risk_accepted:
        case.high_risk_accepted = True
    if receiving_agency.strip():
        case.receiving_agency = receiving_agency.strip()[:200]
    pledge = None
    if to_state == workflow.FUNDED and pledge_id:
        pledge = _pledge(case, pledge_id)
    if escort.strip():
        case.escort = escort.strip()[:200]
    movement = None
    if to_state == workflow.BOOKED and movement_id:
        movement = _bookable(case, movement_id)
    facts = workflow.Facts(
        state=case.state, active_holds=active_holds(case), has_travel_document=has_travel_document(case),
        risk_level=case.risk_level, high_risk_accepted=case.high_risk_accepted, is_minor=case.person.is_minor,
        receiving_agency=case.receiving_agency, funded=pledge is not None, movement_booked=movement is not None,
        reason=reason,
    )
    verdict = workflow.check(to_state, facts)
    if not verdict.allowed:
        messages = [str(_PROBLEMS.get(p, p)) for p in verdict.problems]
        raise ValidationFailed(" ".join(messages), extra={"problems": list(verdict.problems)})
    before = case.state
    case.state, case.state_since = to_state, timezone.now()
    if movement is not None:
        case.movement = movement
    if pledge is not None:
        case.pledge, case.funder = pledge, pledge.funder[:200]
    if to_state == workflow.FIT_TO_TRAVEL:
        case.ready_since = case.state_since
    if to_state == workflow.WITHDRAWN:
        case.movement = None  # a withdrawn person gives their seat back, and the pledge its money
        case.pledge, case.funder = None, ""
    case.save()
    if to_state == workflow.DEPARTED:
        check_out_departed(actor=actor, person=case.person, reason=_("Departed (repatriation)"))
    CaseTransition.objects.create(case=case, from_state=before, to_state=to_state, reason=reason.strip()[:4000],
                                  by=actor.user)
    audit.record(actor, AuditEventType.REPATRIATION_ADVANCED, subject_type="repatriation_case", subject_id=case.pk,
                 person_id=case.person_id, extra={"from": before, "to": to_state})
    return case


def _pledge(case: RepatriationCase, pledge_id) -> Pledge:
    try:
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
    except (Pledge.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise ValidationFailed(_("Unknown pledge.")) from None
    why = pledges.problem(pledge, case.destination)
    if why:
        raise ValidationFailed(why)
    return pledge


@service
def unbook(*, actor: Actor, case_id, reason: str) -> RepatriationCase:
    """Take a booked person off their movement (movement cancelled, did not board, plan changed):
    the case returns to "fit to travel", ready for the next plan. Holds do not stop this."""
    case = _case_for(actor, case_id, "repatriation", "update")
    if case.state != workflow.BOOKED:
        raise ValidationFailed(_("Only a booked case can be taken off its movement."))
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for this step."))
    case.state, case.state_since, case.movement = workflow.FIT_TO_TRAVEL, case.ready_since or timezone.now(), None
    case.save()
    CaseTransition.objects.create(case=case, from_state=workflow.BOOKED, to_state=workflow.FIT_TO_TRAVEL,
                                  reason=reason.strip()[:4000], by=actor.user)
    audit.record(actor, AuditEventType.REPATRIATION_ADVANCED, subject_type="repatriation_case", subject_id=case.pk,
                 person_id=case.person_id, extra={"from": workflow.BOOKED, "to": workflow.FIT_TO_TRAVEL})
    return case


def _bookable(case: RepatriationCase, movement_id) -> Movement:
    try:
        movement = Movement.objects.select_for_update().get(pk=movement_id)
    except (Movement.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise ValidationFailed(_("Unknown movement.")) from None
    if movement.status in (MovementStatus.DEPARTED, MovementStatus.CANCELLED, MovementStatus.MANIFEST_LOCKED,
                           MovementStatus.PROPOSED):
        raise ValidationFailed(_("This movement takes no more bookings."))
    if case.destination not in movement.destinations:
        raise ValidationFailed(_("This movement does not serve the person's destination."))
    if movement.cases.filter(state=workflow.BOOKED).exclude(pk=case.pk).count() >= movement.capacity:
        raise ValidationFailed(_("This movement is full."))
    why = border.booking_problem(movement.departs_at, {case.destination: 1}, exclude_movement=None)
    if why:
        raise ValidationFailed(why)
    return movement


@service
def place_hold(*, actor: Actor, case_id, reason: str, note: str = "") -> CaseHold:
    case = _case_for(actor, case_id, "repatriation", "hold")
    if reason not in HoldReason.values:
        raise ValidationFailed(_("Unknown kind of hold."))
    if case.state not in workflow.BEFORE_DEPARTURE:
        raise ValidationFailed(_("The person has already departed."))
    hold = CaseHold.objects.create(case=case, reason=reason, note=note.strip()[:4000], placed_by=actor.user)
    audit.record(actor, AuditEventType.REPATRIATION_HELD, subject_type="repatriation_case", subject_id=case.pk,
                 person_id=case.person_id, extra={"hold": reason})
    return hold


@service
def lift_hold(*, actor: Actor, hold_id, note: str) -> CaseHold:
    try:
        hold = CaseHold.objects.select_related("case").get(pk=hold_id)
    except (CaseHold.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise refused(NotFound(), actor, "repatriation_hold", hold_id, None, "repatriation.hold") from None
    person_for(actor, hold.case.person_id, "repatriation", "hold")
    if hold.lifted_at is not None:
        raise ValidationFailed(_("This hold was already lifted."))
    if not note.strip():
        raise ValidationFailed(_("Say why the hold is lifted."))
    hold.lifted_at, hold.lifted_by, hold.lift_note = timezone.now(), actor.user, note.strip()[:4000]
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_note", "updated_at"])
    audit.record(actor, AuditEventType.REPATRIATION_HOLD_LIFTED, subject_type="repatriation_case",
                 subject_id=hold.case_id, person_id=hold.case.person_id, extra={"hold": hold.reason})
    return hold


@service
def request_travel_document(*, actor: Actor, case_id, note: str = "") -> TravelDocumentRequest:
    """Ask the embassy of the destination country for an emergency travel document."""
    case = _case_for(actor, case_id, "travel_document", "request")
    open_request = case.document_requests.filter(
        status__in=[DocumentRequestStatus.REQUESTED, DocumentRequestStatus.IDENTITY_CONFIRMED]).first()
    if open_request is not None:
        return open_request
    request = TravelDocumentRequest.objects.create(case=case, country=case.destination, requested_by=actor.user,
                                                   note=note.strip()[:4000])
    audit.record(actor, AuditEventType.TRAVEL_DOCUMENT_REQUESTED, subject_type="travel_document_request",
                 subject_id=request.pk, person_id=case.person_id, extra={"country": case.destination})
    return request


@service
def decide_travel_documents(*, actor: Actor, decisions: list[dict]) -> list[TravelDocumentRequest]:
    """The embassy confirms identities, issues or refuses documents, many at once, all or nothing.

    Each decision: {"request": id, "action": "confirm_identity" | "issue" | "refuse", "number": ...,
    "expiry": date, "note": ...}. A request for a person outside the actor's nationals is refused
    like a missing one, and nothing of the batch is saved.
    """
    if not decisions:
        raise ValidationFailed(_("Choose at least one request."))
    done, drafts = [], []
    for i, item in enumerate(decisions, start=1):
        try:
            request = TravelDocumentRequest.objects.select_related("case").get(pk=item.get("request"))
        except (TravelDocumentRequest.DoesNotExist, ValueError, TypeError, DjangoValidationError):
            raise refused(NotFound(), actor, "travel_document_request", item.get("request"), None,
                          "travel_document.issue") from None
        person_for(actor, request.case.person_id, "travel_document", "issue")
        action = item.get("action")
        if request.status in (DocumentRequestStatus.ISSUED, DocumentRequestStatus.REFUSED):
            raise ValidationFailed(_("Request %(n)s was already decided.") % {"n": i})
        if action == "confirm_identity":
            request.status = DocumentRequestStatus.IDENTITY_CONFIRMED
        elif action == "issue":
            number = str(item.get("number") or "").strip()
            expiry = item.get("expiry")
            if not number:
                raise ValidationFailed(_("Request %(n)s: the document number is required.") % {"n": i})
            if not isinstance(expiry, date) or expiry <= timezone.localdate():
                raise ValidationFailed(_("Request %(n)s: a future expiry date is required.") % {"n": i})
            request.document = IdentityDocument.objects.create(
                person_id=request.case.person_id, doc_type=DocumentType.ETD, number=number[:64],
                number_normalized=number.upper().replace(" ", "")[:64], issuing_country=request.country,
                expiry=expiry, custodian=Custodian.EMBASSY)
            request.status = DocumentRequestStatus.ISSUED
        elif action == "refuse":
            if not str(item.get("note") or "").strip():
                raise ValidationFailed(_("Request %(n)s: say why the document is refused.") % {"n": i})
            request.status = DocumentRequestStatus.REFUSED
        else:
            raise ValidationFailed(_("Request %(n)s: unknown action.") % {"n": i})
        if item.get("note"):
            request.note = str(item["note"]).strip()[:4000]
        request.decided_by, request.decided_at = actor.user, timezone.now()
        request.save()
        done.append(request)
        drafts.append(EventDraft(AuditEventType.TRAVEL_DOCUMENT_DECIDED, "travel_document_request", str(request.pk),
                                 request.case.person_id, extra={"action": action}))
    audit.record_many(actor, drafts)
    return done


__all__ = ["CaseState", "advance", "arrive", "decide_travel_documents", "depart", "lift_hold", "open_case", "place_hold",
           "request_travel_document", "unbook"]
