"""The Thai side's rules for crossing, as configuration (scenario facts: about 300 people processed a
weekday; people cross only within 24 hours of their departure; some days set aside for one
country's returns).

- **Processing capacity per day**: ``CROSSING_DEPARTURE_CAPACITY`` per weekday (Monday first),
  overridden for a date by a ``ProcessingDay`` recorded in the browser.
- **Reserved days**: a ``ProcessingDay`` may name the countries whose nationals alone cross that day.
- **The crossing window** (``CROSSING_CROSSING_WINDOW_HOURS``, default 24): people are processed
  and cross on the *crossing day* of their movement, the latest day on which immigration opens
  (``CROSSING_PROCESSING_OPENS``, hour, default 8) within the window before departure. A movement
  leaving at 14:00 crosses the same day; one leaving at 06:00 crosses the day before, at 08:00,
  22 hours earlier. A movement with no opening inside its window cannot take anyone across.

The daily capacity and the reservations apply to the crossing day, so the planner's problem dates
each movement by its crossing day (waiting then ends when a person crosses, which is when they
stop being stranded). Everyone departing counts against the capacity: Thai immigration clears the
exit of people held in Thai shelters as well.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.core.errors import ValidationFailed
from crossing.repatriation.models import ProcessingDay


def window_hours() -> int:
    return int(settings.CROSSING_CROSSING_WINDOW_HOURS)


def opening_hour() -> int:
    return int(settings.CROSSING_PROCESSING_OPENS)


def default_capacity(day: dt.date) -> int:
    return int(settings.CROSSING_DEPARTURE_CAPACITY[day.weekday()])


def rules(start: dt.date, days: int) -> dict[dt.date, tuple[int, tuple[str, ...]]]:
    """Each day of the period: (capacity, countries the day is reserved for, empty if none)."""
    overrides = {p.day: p for p in ProcessingDay.objects.filter(day__gte=start, day__lt=start + dt.timedelta(days=days))}
    out = {}
    for i in range(days):
        day = start + dt.timedelta(days=i)
        rule = overrides.get(day)
        out[day] = (rule.capacity, tuple(rule.reserved_for)) if rule else (default_capacity(day), ())
    return out


def crossing_day(departs_at: dt.datetime) -> dt.date | None:
    """The day people booked on a movement leaving at ``departs_at`` are processed and cross."""
    local = timezone.localtime(departs_at)
    opens = dt.time(opening_hour())
    earliest = local - dt.timedelta(hours=window_hours())
    day = local.date()
    while day >= earliest.date():
        opening = timezone.make_aware(dt.datetime.combine(day, opens), local.tzinfo)
        if earliest <= opening <= local:
            return day
        day -= dt.timedelta(days=1)
    return None


def crossing_opens(departs_at: dt.datetime) -> dt.datetime | None:
    """When the crossing window of a movement opens for the people on it (for the case card)."""
    day = crossing_day(departs_at)
    if day is None:
        return None
    local = timezone.localtime(departs_at)
    opening = timezone.make_aware(dt.datetime.combine(day, dt.time(opening_hour())),
                                  local.tzinfo)
    return max(opening, local - dt.timedelta(hours=window_hours()))


def booked_crossing(day: dt.date, *, exclude_movement=None) -> dict[str, int]:
    """People booked to cross on ``day``, per destination (their movements' crossing day)."""
    from crossing.repatriation.models import RepatriationCase  # models import nothing from here

    found = RepatriationCase.objects.filter(
        state="booked", movement__departs_at__date__gte=day - dt.timedelta(days=1),
        movement__departs_at__date__lte=day + dt.timedelta(days=window_hours() // 24 + 1))
    if exclude_movement is not None:
        found = found.exclude(movement_id=exclude_movement)
    out: dict[str, int] = {}
    for departs_at, destination in found.values_list("movement__departs_at", "destination"):
        if crossing_day(departs_at) == day:
            out[destination] = out.get(destination, 0) + 1
    return out


def booking_problem(departs_at: dt.datetime, adding: dict[str, int], *, exclude_movement=None) -> str | None:
    """Why ``adding`` more people (per destination) cannot cross for a movement leaving at
    ``departs_at`` under the border rules (None: they can)."""
    day = crossing_day(departs_at)
    if day is None:
        return _("No processing day falls inside the crossing window: nobody can cross in time for this movement.")
    capacity, reserved = rules(day, 1)[day]
    if reserved and set(adding) - set(reserved):
        return _("%(day)s is reserved for %(codes)s at the border.") % {"day": day.isoformat(),
                                                                        "codes": ", ".join(reserved)}
    already = sum(booked_crossing(day, exclude_movement=exclude_movement).values())
    if already + sum(adding.values()) > capacity:
        return _("The border processes %(cap)s people on %(day)s and %(n)s are already booked to cross.") % {
            "cap": capacity, "day": day.isoformat(), "n": already}
    return None


@service
def set_day(*, actor: Actor, day: dt.date, capacity, reserved_for: list[str] | None = None,
            note: str = "") -> ProcessingDay | None:
    """Record the rule for one day; a capacity left empty with no reservation restores the default."""
    from crossing.repatriation.services import country_code

    require(actor, "movement", "manage", "processing_day", day)
    if not isinstance(day, dt.date):
        raise ValidationFailed(_("day: a date (YYYY-MM-DD)."))
    codes = []
    for code in reserved_for or []:
        if not str(code).strip():
            continue
        alpha3 = country_code(code)
        if alpha3 is None:
            raise ValidationFailed(_("reserved_for: %(code)s is not a country code (ISO alpha-3).") % {"code": code})
        codes.append(alpha3)
    reset = capacity in ("", None) and not codes
    if capacity in ("", None):
        capacity = default_capacity(day)
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        raise ValidationFailed(_("capacity: a whole number of people, 0 or more.")) from None
    if capacity < 0:
        raise ValidationFailed(_("capacity: a whole number of people, 0 or more."))
    # People already booked to cross that day keep their crossing: the rule cannot strand them.
    booked = booked_crossing(day)
    if sum(booked.values()) > capacity:
        raise ValidationFailed(_("capacity: %(n)s people are already booked to cross that day.") % {
            "n": sum(booked.values())})
    if codes and set(booked) - set(codes):
        raise ValidationFailed(_("reserved_for: people going to %(codes)s are already booked to cross that day.") % {
            "codes": ", ".join(sorted(set(booked) - set(codes)))})
    if reset:
        deleted, _n = ProcessingDay.objects.filter(day=day).delete()
        if deleted:
            audit.record(actor, AuditEventType.BORDER_RULE_CHANGED, subject_type="processing_day",
                         subject_id=day.isoformat(), extra={"reset": True})
        return None
    rule, _created = ProcessingDay.objects.update_or_create(
        day=day, defaults={"capacity": capacity, "reserved_for": sorted(set(codes)), "note": note.strip()[:200],
                           "set_by": actor.user})
    audit.record(actor, AuditEventType.BORDER_RULE_CHANGED, subject_type="processing_day", subject_id=day.isoformat(),
                 extra={"capacity": capacity, "reserved": len(rule.reserved_for)})
    return rule
