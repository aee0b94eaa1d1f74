"""Movements in the browser: the list, create and edit (movement officers), propose (an embassy, for
its own nationals), confirm, open or lock the manifest, cancel, record who boarded; and the border
rules (processing capacity and reserved days). Thin: the services decide."""

from datetime import date

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from crossing.access import policy
from crossing.core.errors import NotFound
from crossing.repatriation import border, movements, selectors
from crossing.web.forms import MovementForm
from crossing.web.views.common import actor_of, perform, protected


@protected
def movement_list(request):
    actor = actor_of(request)
    past = request.GET.get("past") == "1"
    return render(request, "web/repatriation/movements.html", {
        "rows": selectors.movements(actor, past=past), "past": past,
        "may_create": actor.can("movement", "manage") or actor.can("movement", "nominate"),
        "may_manage": actor.can("movement", "manage"),
    })


@protected
def movement_edit(request, movement_id=None):
    actor = actor_of(request)
    movement = None
    if movement_id is not None:
        policy.require(actor, "movement", "manage")
        movement = selectors.movement_row(actor, movement_id).movement
    elif not (actor.can("movement", "manage") or actor.can("movement", "nominate")):
        raise NotFound()
    initial = {}
    if movement is not None:
        initial = {"kind": movement.kind, "reference": movement.reference, "carrier": movement.carrier,
                   "origin": movement.origin, "departs_at": timezone.localtime(movement.departs_at),
                   "destinations": ", ".join(movement.destinations), "capacity": movement.capacity,
                   "cost": movement.cost, "currency": movement.currency}
    form = MovementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = []
        if movement is None:
            ok = perform(request, lambda: done.append(movements.create_movement(actor=actor, **form.cleaned_data)),
                         _("Movement saved."))
        else:
            ok = perform(request, lambda: done.append(movements.update_movement(
                actor=actor, movement_id=movement.pk, **form.cleaned_data)), _("Movement saved."))
        if ok:
            return redirect("web:movement-detail", movement_id=done[0].pk)
    return render(request, "web/repatriation/movement_form.html", {"form": form, "movement": movement,
                                                                       "may_manage": actor.can("movement", "manage")})


@protected
def movement_detail(request, movement_id):
    actor = actor_of(request)
    view = selectors.movement_detail(actor, movement_id)
    return render(request, "web/repatriation/movement.html", {
        "v": view, "may_export_manifest": view.may_manage and actor.can("person_documents", "view")})


@protected
def movement_status(request, movement_id):
    """One endpoint for the movement's life: confirm, open/lock the manifest, cancel, departed."""
    if request.method != "POST":
        return redirect("web:movement-detail", movement_id=movement_id)
    actor = actor_of(request)
    post = request.POST
    action = post.get("action", "")
    if action == "confirm":
        perform(request, lambda: movements.confirm_movement(actor=actor, movement_id=movement_id),
                _("Movement confirmed: the planner may use it."))
    elif action in ("manifest_open", "manifest_locked", "planned"):
        perform(request, lambda: movements.set_manifest_status(actor=actor, movement_id=movement_id, status=action),
                _("Movement updated."))
    elif action == "cancel":
        perform(request, lambda: movements.cancel_movement(actor=actor, movement_id=movement_id,
                                                           reason=post.get("reason", "")),
                _("Movement cancelled: the people booked on it are ready for the next plan."))
    elif action == "departed":
        perform(request, lambda: movements.record_departure(actor=actor, movement_id=movement_id,
                                                            boarded=post.getlist("boarded")),
                _("Departure recorded."))
    elif action == "arrived":
        perform(request, lambda: movements.record_arrival(actor=actor, movement_id=movement_id,
                                                          arrived=post.getlist("arrived"),
                                                          receiving_agency=post.get("receiving_agency", "")),
                _("Arrival and hand-over recorded."))
    else:
        raise NotFound()
    return redirect("web:movement-detail", movement_id=movement_id)


def _date(value):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@protected
def border_rules(request):
    """Processing capacity and reserved days on the Thai side, day by day (defaults from settings)."""
    actor = actor_of(request)
    if request.method == "POST":
        post = request.POST
        day = _date(post.get("day", ""))
        perform(request, lambda: border.set_day(
            actor=actor, day=day, capacity=post.get("capacity", "").strip() or None,
            reserved_for=post.get("reserved_for", "").replace(";", ",").split(","), note=post.get("note", "")),
            _("Border rule saved."))
        return redirect("web:border-rules")
    start = timezone.localdate()
    return render(request, "web/repatriation/border_rules.html", {
        "days": selectors.processing_days(actor, start, 28), "may_manage": actor.can("movement", "manage"),
        "window_hours": border.window_hours(), "opens": border.opening_hour(), "today": start,
    })
