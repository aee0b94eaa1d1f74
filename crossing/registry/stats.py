"""Aggregates for the dashboard, computed only over what the actor may list."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.countries import country_name
from crossing.registry.models import HoldingFacility, Person, PersonStatus, Placement

ACTIVE = [PersonStatus.HELD, PersonStatus.AWAITING_SCREENING, PersonStatus.AWAITING_DOCUMENTS, PersonStatus.SCHEDULED]


def dashboard(*, actor: Actor, long_wait_days: int = 30) -> dict:
    people = policy.people(actor, "list")
    by_status = {r["status"]: r["n"] for r in people.values("status").annotate(n=Count("id"))}
    by_nationality = list(
        people.exclude(primary_nationality="").values("primary_nationality").annotate(n=Count("id")).order_by("-n")
    )
    active = people.filter(status__in=ACTIVE)
    # "Now" is the data's present: the latest check-in, capped at today. In live use that is today;
    # for a replayed or historical data set (the demo) waits are measured at its own date.
    latest = Placement.objects.filter(person__in=people.values("id")).aggregate(t=Max("check_in"))["t"]
    as_of = min(latest, timezone.now()) if latest else timezone.now()
    threshold = as_of - timedelta(days=long_wait_days)
    # Counted in the database: people whose first check-in is older than the threshold.
    long_wait = (Placement.objects.filter(person__in=active.values("id")).values("person_id")
                 .annotate(first=Min("check_in")).filter(first__lte=threshold).count())
    arrivals = list(
        people.annotate(day=Coalesce("rescue_event__occurred_on", TruncDate("created_at")))
        .values("day").annotate(n=Count("id")).order_by("day")
    )
    facilities = []
    # Occupancy counts only the residents the actor may see: a count is data too.
    counts = _occupancy_by_facility(active)
    for f in policy.facilities(actor, "view"):
        f.men, f.women, f.minors = (counts.get(f.pk, _EMPTY)[k] for k in ("men", "women", "minors"))
        occupancy = f.men + f.women + f.minors
        facilities.append({
            "id": str(f.pk), "name": f.name, "kind": f.kind, "lat": f.latitude, "lon": f.longitude,
            "capacity": f.capacity_total, "occupancy": occupancy,
            "men": f.men, "women": f.women, "minors": f.minors,
            "capacity_men": f.capacity_men, "capacity_women": f.capacity_women, "capacity_minors": f.capacity_minors,
            "percent": round(100 * occupancy / f.capacity_total) if f.capacity_total else 0,
        })
    compounds = [
        {"id": str(c.pk), "name": c.name, "lat": c.latitude, "lon": c.longitude, "group": c.controlling_group,
         "headcount": c.estimated_headcount}
        for c in policy.compounds(actor, "view")
    ]
    audit.record(actor, AuditEventType.DASHBOARD_VIEWED, subject_type="dashboard")
    return {
        "total": sum(by_status.values()),
        "by_status": [{"status": s.value, "label": str(s.label), "n": by_status.get(s.value, 0)} for s in PersonStatus],
        "by_nationality": [{"code": r["primary_nationality"], "name": country_name(r["primary_nationality"]), "n": r["n"]}
                           for r in by_nationality],
        "active": sum(by_status.get(s, 0) for s in ACTIVE),
        "long_wait": long_wait,
        "long_wait_days": long_wait_days,
        "as_of": as_of.date().isoformat(),
        "arrivals": [{"day": r["day"].isoformat(), "n": r["n"]} for r in arrivals if r["day"]],
        "facilities": facilities,
        "compounds": compounds,
        "facility_count": len(facilities),
    }


_EMPTY = {"men": 0, "women": 0, "minors": 0}


def _occupancy_by_facility(active) -> dict:
    rows = active.filter(current_facility__isnull=False).values("current_facility").annotate(
        men=Count("id", filter=Q(sex="male", is_minor=False)),
        women=Count("id", filter=~Q(sex="male") & Q(is_minor=False)),
        minors=Count("id", filter=Q(is_minor=True)),
    )
    return {r["current_facility"]: {k: r[k] for k in ("men", "women", "minors")} for r in rows}


def occupancy(*, actor: Actor) -> dict:
    """Facility id -> men, women and minors held there now, counting only residents the actor may see."""
    counts = _occupancy_by_facility(policy.people(actor, "list").filter(status__in=ACTIVE))
    return defaultdict(lambda: dict(_EMPTY), counts)


def facility_occupancy(facility: HoldingFacility, *, actor: Actor | None = None) -> dict:
    """Men, women and minors held there now; with an actor, only the residents they may see."""
    residents = policy.people(actor, "list") if actor is not None else Person.objects.all()
    counts = residents.filter(current_facility=facility, status__in=ACTIVE).aggregate(
        men=Count("id", filter=Q(sex="male", is_minor=False)),
        women=Count("id", filter=~Q(sex="male") & Q(is_minor=False)),
        minors=Count("id", filter=Q(is_minor=True)),
    )
    return counts
