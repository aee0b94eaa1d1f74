"""Repatriation in the browser: the case card on the person page (open, next step, holds, travel
document request) and the embassy's workspace for travel documents. Thin: services decide."""

from datetime import date

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossing.access import policy
from crossing.repatriation import funding as funding_mod
from crossing.repatriation import planning, selectors, services
from crossing.repatriation import plans as plan_selectors
from crossing.repatriation.models import (
    DocumentRequestStatus,
    FunderKind,
    PledgeBasis,
    PledgeCondition,
    PledgeStatus,
)
from crossing.web.views.common import actor_of, perform, protected


@protected
@require_POST
def open_case(request, person_id):
    perform(request, lambda: services.open_case(actor=actor_of(request), person_id=person_id),
            _("Repatriation case opened."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def advance(request, person_id, case_id):
    post = request.POST
    perform(request, lambda: services.advance(
        actor=actor_of(request), case_id=case_id, to_state=post.get("to_state", ""), reason=post.get("reason", ""),
        risk_level=post.get("risk_level", ""), high_risk_accepted=post.get("high_risk_accepted") == "on",
        receiving_agency=post.get("receiving_agency", ""), pledge_id=post.get("pledge") or None,
        movement_id=post.get("movement") or None, escort=post.get("escort", "")), _("The case moved on."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def hold(request, person_id, case_id):
    perform(request, lambda: services.place_hold(actor=actor_of(request), case_id=case_id,
                                                 reason=request.POST.get("hold_reason", ""),
                                                 note=request.POST.get("note", "")), _("The case is on hold."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def lift_hold(request, person_id, hold_id):
    perform(request, lambda: services.lift_hold(actor=actor_of(request), hold_id=hold_id,
                                                note=request.POST.get("note", "")), _("The hold was lifted."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def request_document(request, person_id, case_id):
    perform(request, lambda: services.request_travel_document(actor=actor_of(request), case_id=case_id),
            _("A travel document was requested from the embassy."))
    return redirect("web:person-detail", person_id=person_id)


def _date(value: str):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@protected
def documents(request):
    """The embassy's workspace: confirm identities, issue or refuse travel documents in bulk."""
    actor = actor_of(request)
    policy.require(actor, "travel_document", "issue")
    if request.method == "POST":
        decisions = []
        for request_id in request.POST.getlist("selected"):
            decisions.append({
                "request": request_id, "action": request.POST.get("action", ""),
                "number": request.POST.get(f"number-{request_id}", ""),
                "expiry": _date(request.POST.get("expiry", "")), "note": request.POST.get("note", ""),
            })
        if perform(request, lambda: services.decide_travel_documents(actor=actor, decisions=decisions),
                   _("Recorded for %(n)s people.") % {"n": len(decisions)}):
            return redirect("web:repatriation-documents")
    status = request.GET.get("status", DocumentRequestStatus.REQUESTED)
    if status not in (DocumentRequestStatus.REQUESTED, DocumentRequestStatus.IDENTITY_CONFIRMED):
        status = DocumentRequestStatus.REQUESTED
    return render(request, "web/repatriation/documents.html", {
        "rows": selectors.document_requests(actor, status), "status": status,
        "statuses": [(DocumentRequestStatus.REQUESTED, DocumentRequestStatus.REQUESTED.label),
                     (DocumentRequestStatus.IDENTITY_CONFIRMED, DocumentRequestStatus.IDENTITY_CONFIRMED.label)],
    })


@protected
def plans(request):
    """The movement officer's planning page: plan the next days, then review and publish."""
    actor = actor_of(request)
    policy.require(actor, "repatriation", "plan")
    if request.method == "POST":
        start = _date(request.POST.get("start_date", "")) or timezone.localdate()
        try:
            horizon = int(request.POST.get("horizon_days", "14"))
        except ValueError:
            horizon = 0
        created = []
        if perform(request, lambda: created.append(planning.make_plan(actor=actor, start=start,
                                                                       horizon_days=horizon)),
                   _("Plan made: review it, then publish.")):
            return redirect("web:repatriation-plan", plan_id=created[0].pk)
    return render(request, "web/repatriation/plans.html", {
        "plans": plan_selectors.recent_plans(actor), "today": timezone.localdate(),
    })


@protected
def plan(request, plan_id):
    actor = actor_of(request)
    view = plan_selectors.plan_get(actor, plan_id)
    return render(request, "web/repatriation/plan.html", {"v": view})


@protected
@require_POST
def plan_remove(request, plan_id, case_id):
    perform(request, lambda: planning.remove_assignment(actor=actor_of(request), plan_id=plan_id, case_id=case_id),
            _("Taken out of this plan."))
    return redirect("web:repatriation-plan", plan_id=plan_id)


@protected
@require_POST
def plan_move(request, plan_id, case_id):
    perform(request, lambda: planning.move_assignment(actor=actor_of(request), plan_id=plan_id, case_id=case_id,
                                                      movement_id=request.POST.get("movement", "")),
            _("Moved to the other movement."))
    return redirect("web:repatriation-plan", plan_id=plan_id)


@protected
@require_POST
def plan_publish(request, plan_id):
    perform(request, lambda: planning.publish(actor=actor_of(request), plan_id=plan_id),
            _("Plan published: the people are booked on their movements."))
    return redirect("web:repatriation-plan", plan_id=plan_id)


@protected
def funding(request):
    """Funding gap per country, and pledges: embassies see and pledge for their own country."""
    actor = actor_of(request)
    if request.method == "POST":
        post = request.POST
        if post.get("kind") == "status":
            perform(request, lambda: funding_mod.set_pledge_status(actor=actor, pledge_id=post.get("pledge", ""),
                                                                   status=post.get("status", "")),
                    _("Pledge updated."))
        elif post.get("kind") == "cost":
            perform(request, lambda: funding_mod.set_route_cost(
                actor=actor, destination=post.get("destination", ""), per_person=post.get("per_person", ""),
                currency=post.get("currency", "USD"), basis=post.get("basis", "")), _("Cost estimate saved."))
        else:
            perform(request, lambda: funding_mod.record_pledge(
                actor=actor, funder=post.get("funder", ""), funder_kind=post.get("funder_kind", ""),
                destination=post.get("destination", ""), basis=post.get("basis", ""), amount=post.get("amount", ""),
                currency=post.get("currency", "USD"), max_people=post.get("max_people") or None,
                condition=post.get("condition", "none"), note=post.get("note", "")), _("Pledge recorded."))
        return redirect("web:repatriation-funding")
    rows = funding_mod.funding_gap(actor)
    return render(request, "web/repatriation/funding.html", {
        "rows": rows, "pledges": funding_mod.pledge_rows(actor), "statuses": PledgeStatus.choices,
        "funder_kinds": FunderKind.choices, "bases": PledgeBasis.choices,
        "conditions": PledgeCondition.choices, "all_countries": actor_all_countries(actor),
    })


def actor_all_countries(actor) -> bool:
    return any(scope != "nationality" for scope, _ctx in actor.grants.get(("repatriation", "fund"), []))
