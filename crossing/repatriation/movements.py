"""Movements (charter, commercial and military flights, buses, land crossings): created and edited
by movement officers, proposed by an embassy for its own nationals, confirmed, cancelled, and
closed with who actually boarded.

Rules that protect bookings: a movement cannot shrink below the people booked on it, nor stop
serving a country someone booked on it is going to. Cancelling it gives every booked person their
seat back (their case returns to "fit to travel", ready for the next plan). Recording the departure
moves the people who boarded to "departed" and returns the others, all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.permissions import Scope
from crossing.access.policy import Actor
from crossing.access.refusals import refused, require, service
from crossing.core.errors import NotFound, ValidationFailed
from crossing.repatriation import border, services, workflow
from crossing.repatriation.models import Movement, MovementKind, MovementStatus, RepatriationCase

EDITABLE = (MovementStatus.PROPOSED, MovementStatus.PLANNED, MovementStatus.MANIFEST_OPEN)


def _nominating_countries(actor: Actor) -> set[str] | None:
    """Countries the actor may propose movements for (None: any, as a movement officer)."""
    if actor.can("movement", "manage"):
        return None
    grants = actor.grants.get(("movement", "nominate"), [])
    if not grants:
        raise refused(NotFound(), actor, "movement", None, None, "movement.nominate")
    if any(scope != Scope.NATIONALITY for scope, _ctx in grants):
        return None
    return {ctx.nationality for _scope, ctx in grants if ctx.nationality}


def _clean(*, kind, reference, origin, departs_at, destinations, capacity, carrier, cost, currency, current=None):
    if kind not in MovementKind.values:
        raise ValidationFailed(_("kind: unknown kind of movement."))
    reference = str(reference or "").strip()
    clash = Movement.objects.filter(reference=reference)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if not reference or clash.exists():
        raise ValidationFailed(_("reference: required and unique."))
    if not str(origin or "").strip():
        raise ValidationFailed(_("origin: where the movement leaves from."))
    if not isinstance(departs_at, dt.datetime):
        raise ValidationFailed(_("departs_at: a date and time."))
    if timezone.is_naive(departs_at):
        departs_at = timezone.make_aware(departs_at)
    codes = sorted({services.country_code(c) or "?" for c in destinations if str(c).strip()})
    if not codes or "?" in codes:
        raise ValidationFailed(_("destinations: one or more country codes (ISO alpha-3)."))
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if capacity < 1:
        raise ValidationFailed(_("capacity: a whole number of seats, at least 1."))
    if cost in ("", None):
        cost = None
    else:
        try:
            cost = Decimal(str(cost))
        except (InvalidOperation, ValueError):
            raise ValidationFailed(_("cost: a number.")) from None
        if not cost.is_finite() or cost < 0:
            raise ValidationFailed(_("cost: a number, 0 or more."))
    return {"kind": kind, "reference": reference[:40], "origin": str(origin).strip()[:120], "departs_at": departs_at,
            "destinations": codes, "capacity": capacity, "carrier": str(carrier or "").strip()[:120], "cost": cost,
            "currency": (str(currency or "USD").strip().upper() or "USD")[:3]}


@service
def create_movement(*, actor: Actor, kind: str, reference: str, origin: str, departs_at, destinations: list[str],
                    capacity, carrier: str = "", cost=None, currency: str = "USD") -> Movement:
    """A movement officer schedules a movement; an embassy proposes one for its own nationals,
    which a movement officer confirms before anyone is planned on it."""
    countries = _nominating_countries(actor)
    fields = _clean(kind=kind, reference=reference, origin=origin, departs_at=departs_at, destinations=destinations,
                    capacity=capacity, carrier=carrier, cost=cost, currency=currency)
    if countries is not None and not set(fields["destinations"]) <= countries:
        raise ValidationFailed(_("destinations: an embassy proposes movements for its own nationals only."))
    membership = actor.memberships[0] if actor.memberships else None
    movement = Movement.objects.create(
        **fields, status=MovementStatus.PLANNED if actor.can("movement", "manage") else MovementStatus.PROPOSED,
        nominated_by_id=membership.agency_id if membership else None, created_by=actor.user)
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="movement", subject_id=movement.pk,
                 extra={"created": True, "kind": kind, "capacity": fields["capacity"], "status": movement.status})
    return movement


def _movement(actor: Actor, movement_id, *, lock_bookings: bool = False) -> Movement:
    """The movement, locked, for an actor who manages movements. ``lock_bookings`` first locks the
    cases booked on it, in the order a booking takes its locks (case, then movement), so a
    departure or cancellation and a concurrent booking cannot deadlock."""
    require(actor, "movement", "manage", "movement", movement_id)
    if lock_bookings:
        try:
            list(RepatriationCase.objects.select_for_update().filter(movement_id=movement_id, state=workflow.BOOKED)
                 .order_by("pk").values_list("pk", flat=True))
        except (ValueError, TypeError, DjangoValidationError):
            raise NotFound() from None
    try:
        return Movement.objects.select_for_update().get(pk=movement_id)
    except (Movement.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None


def _all_passengers_reachable(actor: Actor, movement: Movement) -> None:
    """Closing or cancelling a movement acts on every passenger: refuse clearly, before changing
    anything, when some are outside the actor's access (deny list, scope)."""
    booked = _booked(movement)
    reachable = booked.filter(person__in=policy.people_for(actor, "repatriation", "update").values("id")).count()
    hidden = booked.count() - reachable
    if hidden:
        raise ValidationFailed(_("%(n)s passengers of this movement are outside your access: ask a supervisor.")
                               % {"n": hidden})


def _booked(movement: Movement):
    return RepatriationCase.objects.filter(movement=movement, state=workflow.BOOKED)


@service
def update_movement(*, actor: Actor, movement_id, **changes) -> Movement:
    movement = _movement(actor, movement_id)
    if movement.status not in EDITABLE:
        raise ValidationFailed(_("This movement can no longer be changed."))
    current = {f: getattr(movement, f) for f in ("kind", "reference", "origin", "departs_at", "destinations",
                                                  "capacity", "carrier", "cost", "currency")}
    fields = _clean(**{**current, **changes}, current=movement)
    booked = _booked(movement)
    if fields["capacity"] < booked.count():
        raise ValidationFailed(_("capacity: %(n)s people are booked on this movement.") % {"n": booked.count()})
    dropped = set(movement.destinations) - set(fields["destinations"])
    if dropped and booked.filter(destination__in=dropped).exists():
        raise ValidationFailed(_("destinations: people booked on this movement go to %(codes)s.") % {
            "codes": ", ".join(sorted(set(booked.filter(destination__in=dropped).values_list("destination", flat=True))))})
    if fields["departs_at"] != current["departs_at"] and booked.exists():
        # The people booked cross on the new crossing day: the border rules must allow it.
        why = border.booking_problem(fields["departs_at"], dict(Counter(booked.values_list("destination", flat=True))),
                                     exclude_movement=movement.pk)
        if why:
            raise ValidationFailed(_("departs_at: %(why)s") % {"why": why})
    changed = sorted(k for k, v in fields.items() if v != current[k])
    for key, value in fields.items():
        setattr(movement, key, value)
    movement.save()
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="movement", subject_id=movement.pk,
                 extra={"changed": changed})
    return movement


@service
def confirm_movement(*, actor: Actor, movement_id) -> Movement:
    """A movement officer accepts an embassy's proposal: the planner may now use it."""
    movement = _movement(actor, movement_id)
    if movement.status != MovementStatus.PROPOSED:
        raise ValidationFailed(_("Only a proposed movement is confirmed."))
    movement.status = MovementStatus.PLANNED
    movement.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="movement", subject_id=movement.pk,
                 extra={"status": movement.status})
    return movement


@service
def cancel_movement(*, actor: Actor, movement_id, reason: str) -> int:
    """Cancel a movement; the people booked on it are unbooked (ready for the next plan)."""
    movement = _movement(actor, movement_id, lock_bookings=True)
    if movement.status in (MovementStatus.DEPARTED, MovementStatus.CANCELLED):
        raise ValidationFailed(_("This movement can no longer be changed."))
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for this step."))
    _all_passengers_reachable(actor, movement)
    count = 0
    for case_id in _booked(movement).values_list("pk", flat=True):
        services.unbook(actor=actor, case_id=case_id, reason=_("Movement %(ref)s cancelled: %(reason)s") % {
            "ref": movement.reference, "reason": reason.strip()})
        count += 1
    movement.status = MovementStatus.CANCELLED
    movement.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="movement", subject_id=movement.pk,
                 extra={"status": movement.status, "unbooked": count})
    return count


@service
def set_manifest_status(*, actor: Actor, movement_id, status: str) -> Movement:
    """Open or lock the manifest (locked: no more bookings; the carrier has the list)."""
    movement = _movement(actor, movement_id)
    allowed = {MovementStatus.PLANNED: {MovementStatus.MANIFEST_OPEN},
               MovementStatus.MANIFEST_OPEN: {MovementStatus.MANIFEST_LOCKED, MovementStatus.PLANNED},
               MovementStatus.MANIFEST_LOCKED: {MovementStatus.MANIFEST_OPEN}}
    if status not in allowed.get(movement.status, set()):
        raise ValidationFailed(_("That is not the next step of this movement."))
    movement.status = status
    movement.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="movement", subject_id=movement.pk,
                 extra={"status": status})
    return movement


@service
def record_departure(*, actor: Actor, movement_id, boarded: list) -> tuple[int, int]:
    """The movement left: those who boarded are "departed", the others (no-shows, turned back at the
    border) lose their seat and are ready again. All or nothing; returns (departed, not boarded)."""
    movement = _movement(actor, movement_id, lock_bookings=True)
    if movement.status in (MovementStatus.DEPARTED, MovementStatus.CANCELLED, MovementStatus.PROPOSED):
        raise ValidationFailed(_("That is not the next step of this movement."))
    _all_passengers_reachable(actor, movement)
    booked = {str(pk) for pk in _booked(movement).values_list("pk", flat=True)}
    aboard = {str(b) for b in boarded}
    if aboard - booked:
        raise ValidationFailed(_("Only people booked on this movement can board it."))
    when = timezone.localtime(movement.departs_at).strftime("%Y-%m-%d %H:%M")
    for case_id in sorted(booked):
        if case_id in aboard:
            services.depart(actor=actor, case_id=case_id,
                            reason=_("Left on %(ref)s, %(when)s.") % {"ref": movement.reference, "when": when})
        else:
            services.unbook(actor=actor, case_id=case_id, reason=_("Did not board %(ref)s.") % {
                "ref": movement.reference})
    movement.status = MovementStatus.DEPARTED
    movement.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="movement", subject_id=movement.pk,
                 extra={"status": movement.status, "departed": len(aboard), "not_boarded": len(booked - aboard)})
    return len(aboard), len(booked - aboard)


@service
def record_arrival(*, actor: Actor, movement_id, arrived: list, receiving_agency: str) -> int:
    """The movement arrived: the people ticked were handed to the receiving agency (IOM's reception
    partner, a child's guardian agency, the home country's authorities). All or nothing."""
    movement = _movement(actor, movement_id)
    if movement.status != MovementStatus.DEPARTED:
        raise ValidationFailed(_("Record the departure first."))
    agency = receiving_agency.strip()
    if not agency:
        raise ValidationFailed(_("Name the agency that received them."))
    # A child's guardian agency, named before travel, is kept; for the others the receiving agency is recorded.
    departed = {str(pk): named for pk, named in RepatriationCase.objects.filter(
        movement=movement, state=workflow.DEPARTED).values_list("pk", "receiving_agency")}
    chosen = {str(a) for a in arrived}
    if not chosen:
        raise ValidationFailed(_("Choose at least one person."))
    if chosen - set(departed):
        raise ValidationFailed(_("Only people who left on this movement can arrive with it."))
    for case_id in sorted(chosen):
        services.arrive(actor=actor, case_id=case_id, receiving_agency="" if departed[case_id] else agency,
                        reason=_("Arrived with %(ref)s; handed to %(agency)s.") % {"ref": movement.reference,
                                                                                 "agency": agency})
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="movement", subject_id=movement.pk,
                 extra={"arrived": len(chosen)})
    return len(chosen)
