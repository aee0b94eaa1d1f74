"""The repatriation dashboard (issue 5): aggregates only, over the people the actor may see.

Sections:

1. **Days stranded by nationality.** Stranded means: the person has a repatriation case that has not
   yet departed (open up to booked; withdrawn, departed, arrived and closed cases are out), or has no
   case at all and is still held (person status held, awaiting screening, awaiting documents or
   scheduled: ``crossing.registry.stats.ACTIVE``). People with no case are included because the
   registry already holds them (one extra condition on the same query) and leaving them out would
   hide most of the people waiting; they are counted in their own column. A case whose person the
   registry records as deceased or absconded does not count. Days are counted from the
   day the person was freed: the rescue event's date, else the first check-in at a facility, else
   the day the record was created, up to ``today``. Per nationality (the primary nationality, else
   the case's destination): people, median and maximum days, how many have no case, are ready (fit
   to travel, no active hold), booked, on hold, and what the others wait for (the next gate).
2. **Funding gap by country** (``funding.funding_gap``), only for actors who hold ``repatriation.fund``.
3. **Departures per day against processing capacity.** Next 14 days: people booked whose movement
   crosses that day (``border.crossing_day``) against the day's capacity and reservations
   (``border.rules``); past 14 days: people whose case moved to "departed" that day. Counts cover
   only the people the actor may see (a count is data too), so an embassy sees its own nationals
   against the whole day's capacity. A day is flagged when the count exceeds the capacity.
4. **Forecast.** The planner's problem for the next 60 days (``planning.build_problem``: ready people,
   scheduled movements with their free seats, daily capacity less every booking) solved as the
   officers would solve it; per destination: ready now, taken by scheduled movements, not covered,
   already booked, and the day the last of them crosses. Overall: the day everyone now ready or
   booked will have left, or none while someone is not covered (more movements are needed).
5. **Days held at facilities** (shelter operations): per facility the actor may see, residents now,
   occupancy against capacity (``stats.occupancy``), median and maximum days at the current facility
   (from the open placement there) and how many were held there longer than 30 days.

Every figure is computed in a fixed number of set-based queries (no query per person or case).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.repatriation import planner
from analytics.repatriation import problem as problem_mod
from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.countries import country_name
from crossing.registry import stats
from crossing.registry.models import PersonStatus, Placement
from crossing.repatriation import border, funding, planning, workflow
from crossing.repatriation.models import (
    CaseHold,
    CaseTransition,
    Movement,
    MovementStatus,
    RepatriationCase,
)

DAYS_AHEAD = 14
DAYS_BACK = 14
FORECAST_DAYS = 60
LONG_STAY_DAYS = 30
# The forecast uses the optimiser the officers plan with (``planning.make_plan``), so the forecast is
# the plan they would publish. On the demo (400 cases, 10 movements) it solves in a few hundredths of
# a second; the time limit caps a large caseload, and ``solve`` falls back to first come, first
# served when it has nothing better by then, so the page never waits longer than this.
FORECAST_TIME_LIMIT = 0.5

# The steps a case before "fit to travel" waits for, with readable labels (codes from planning).
STEP_LABELS = {
    "counselling": _("Counselling"),
    "voluntariness": _("Voluntariness"),
    "risk_assessment": _("Risk assessment"),
    "travel_document": _("Travel document"),
    "exit_clearance": _("Exit clearance"),
    "funding": _("Funding"),
    "fitness_to_travel": _("Fitness to travel"),
}
_STEP_ORDER = list(STEP_LABELS)
_STRANDED_STATES = [s for s in workflow.PATH if s in workflow.BEFORE_DEPARTURE]
# A person the registry records as dead or absconded is no longer waiting, whatever their case says.
_GONE = [PersonStatus.DECEASED, PersonStatus.ABSCONDED]


@dataclass
class StrandedRow:
    nationality: str
    name: str
    people: int = 0
    median_days: float | None = None
    max_days: int | None = None
    no_case: int = 0
    ready: int = 0
    booked: int = 0
    on_hold: int = 0
    waiting: list[tuple[str, str, int]] = field(default_factory=list)  # (step, label, people)


@dataclass
class DayRow:
    day: dt.date
    people: int
    capacity: int
    reserved_for: tuple[str, ...] = ()
    movements: list[str] = field(default_factory=list)  # references; empty without movement.view

    @property
    def over(self) -> bool:
        return self.people > self.capacity

    @property
    def percent(self) -> int:
        if self.capacity:
            return round(100 * self.people / self.capacity)
        return 100 if self.people else 0

    @property
    def bar(self) -> int:
        """Tenths of the bar (0 to 10) for the CSS width classes ``w0`` to ``w10``."""
        return min(10, round(self.percent / 10))


@dataclass
class ForecastRow:
    destination: str
    name: str
    ready: int = 0
    taken: int = 0
    booked: int = 0
    last_day: dt.date | None = None  # when the last of the ready and booked crosses; None if not covered

    @property
    def not_covered(self) -> int:
        return self.ready - self.taken


@dataclass
class Forecast:
    rows: list[ForecastRow]
    method: str  # the planner's status: optimal, feasible (time limit) or heuristic
    horizon_days: int = FORECAST_DAYS
    ready: int = 0
    taken: int = 0
    booked: int = 0
    everyone_by: dt.date | None = None  # None: not before more movements are scheduled (or nobody waits)

    @property
    def not_covered(self) -> int:
        return self.ready - self.taken


@dataclass
class FacilityRow:
    id: str
    name: str
    residents: int
    capacity: int
    percent: int
    known: int = 0  # residents with an open placement at the facility (their days are known)
    median_days: float | None = None
    max_days: int | None = None
    long_stay: int = 0

    @property
    def bar(self) -> int:
        return min(10, round(self.percent / 10))


@dataclass
class Dashboard:
    today: dt.date
    stranded: list[StrandedRow]
    upcoming: list[DayRow]
    past: list[DayRow]
    forecast: Forecast
    facilities: list[FacilityRow]
    funding: list | None = None  # GapRow list, None when the actor may not see funding
    may_plan: bool = False
    stranded_total: int = 0
    median_days: float | None = None
    ready_total: int = 0
    booked_total: int = 0
    departed_recently: int = 0
    long_stay_days: int = LONG_STAY_DAYS
    days_ahead: int = DAYS_AHEAD
    days_back: int = DAYS_BACK

    @property
    def days_over_capacity(self) -> int:
        return sum(1 for d in self.upcoming if d.over)


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def repatriation_dashboard(actor: Actor, today: dt.date | None = None) -> Dashboard:
    policy.require(actor, "repatriation", "view")  # NotFound, like every page the actor may not use
    today = today or timezone.localdate()
    visible = policy.people_for(actor, "repatriation", "view")
    ids = visible.values("id")
    stranded, totals = _stranded(visible, ids, today)
    upcoming, past = _departures(actor, ids, today)
    forecast = _forecast(actor, ids, today)
    facilities = _facilities(actor, today)
    board = Dashboard(
        today=today, stranded=stranded, upcoming=upcoming, past=past, forecast=forecast, facilities=facilities,
        funding=funding.funding_gap(actor) if actor.can("repatriation", "fund") else None,
        may_plan=actor.can("repatriation", "plan"), stranded_total=sum(r.people for r in stranded),
        median_days=_median(totals), ready_total=sum(r.ready for r in stranded),
        booked_total=sum(r.booked for r in stranded), departed_recently=sum(d.people for d in past),
    )
    audit.record(actor, AuditEventType.REPATRIATION_VIEWED, subject_type="repatriation_dashboard", extra={
        "stranded": board.stranded_total, "countries": len(stranded), "ready": board.ready_total,
        "booked": board.booked_total, "facilities": len(facilities)})
    return board


# --------------------------------------------------------------------------- 1. days stranded
def _stranded(visible, ids, today: dt.date) -> tuple[list[StrandedRow], list[int]]:
    people = visible.filter(Q(repatriation__state__in=_STRANDED_STATES) & ~Q(status__in=_GONE)
                            | Q(repatriation__isnull=True, status__in=stats.ACTIVE))
    rows = list(people.values_list("id", "primary_nationality", "rescue_event__occurred_on", "created_at",
                                   "repatriation__id", "repatriation__state", "repatriation__destination"))
    # The first check-in, only for those with no rescue date (one grouped query).
    first_in = dict(Placement.objects.filter(person__in=people.filter(rescue_event__isnull=True).values("id"))
                    .values("person_id").annotate(first=Min("check_in")).values_list("person_id", "first"))
    held = set(CaseHold.objects.filter(lifted_at__isnull=True, case__person__in=ids)
               .values_list("case_id", flat=True))
    by_country: dict[str, StrandedRow] = {}
    days_of: dict[str, list[int]] = defaultdict(list)
    waiting: dict[str, Counter] = defaultdict(Counter)
    for person_id, nationality, rescued, created, case_id, state, destination in rows:
        code = nationality or destination or ""
        row = by_country.get(code)
        if row is None:
            row = by_country[code] = StrandedRow(code, country_name(code) if code else str(_("Unknown")))
        freed = rescued or (_local_date(first_in[person_id]) if person_id in first_in else _local_date(created))
        days_of[code].append(max(0, (today - freed).days))
        row.people += 1
        if case_id is None:
            row.no_case += 1
        elif case_id in held:
            row.on_hold += 1
        elif state == workflow.BOOKED:
            row.booked += 1
        elif state == workflow.FIT_TO_TRAVEL:
            row.ready += 1
        else:
            waiting[code][planning.WAITING_FOR.get(state, state)] += 1
    for code, row in by_country.items():
        row.median_days, row.max_days = _median(days_of[code]), max(days_of[code])
        row.waiting = [(step, str(STEP_LABELS.get(step, step)), waiting[code][step])
                       for step in sorted(waiting[code], key=lambda s: _STEP_ORDER.index(s)
                                          if s in _STEP_ORDER else len(_STEP_ORDER))]
    ordered = sorted(by_country.values(), key=lambda r: (-r.people, r.name))
    return ordered, [d for days in days_of.values() for d in days]


# --------------------------------------------------------------------------- 3. departures per day
def _departures(actor: Actor, ids, today: dt.date) -> tuple[list[DayRow], list[DayRow]]:
    ahead = border.rules(today, DAYS_AHEAD)
    last = today + dt.timedelta(days=DAYS_AHEAD)
    # A movement crosses on its departure day or the day before (the crossing window), so a day's
    # margin on each side of the period finds every movement that crosses inside it.
    window = {"departs_at__date__gte": today, "departs_at__date__lte": last + dt.timedelta(days=1)}
    booked: Counter = Counter()
    for departs_at in RepatriationCase.objects.filter(
            person__in=ids, state=workflow.BOOKED,
            **{f"movement__{k}": v for k, v in window.items()}).values_list("movement__departs_at", flat=True):
        booked[border.crossing_day(departs_at)] += 1
    movements: dict[dt.date, list[str]] = defaultdict(list)
    if actor.can("movement", "view"):
        # Scheduled movements (an embassy's proposal counts once a movement officer confirms it).
        for reference, departs_at in Movement.objects.exclude(
                status__in=[MovementStatus.CANCELLED, MovementStatus.PROPOSED]).filter(
                **window).values_list("reference", "departs_at"):
            movements[border.crossing_day(departs_at)].append(reference)
    upcoming = [DayRow(day, booked.get(day, 0), capacity, reserved, movements.get(day, []))
                for day, (capacity, reserved) in sorted(ahead.items())]

    start = today - dt.timedelta(days=DAYS_BACK)
    behind = border.rules(start, DAYS_BACK)
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    until = timezone.make_aware(dt.datetime.combine(today, dt.time.min), tz)
    departed: dict[dt.date, set] = defaultdict(set)
    for case_id, at in CaseTransition.objects.filter(
            to_state=workflow.DEPARTED, case__person__in=ids, at__gte=since, at__lt=until).values_list("case_id", "at"):
        departed[_local_date(at)].add(case_id)
    past = [DayRow(day, len(departed.get(day, ())), capacity, reserved)
            for day, (capacity, reserved) in sorted(behind.items())]
    return upcoming, past


# --------------------------------------------------------------------------- 4. forecast
def _forecast(actor: Actor, ids, today: dt.date) -> Forecast:
    data, _blockers = planning.build_problem(actor, today, FORECAST_DAYS, action="view")
    parsed = problem_mod.parse(data)
    plan = planner.solve(parsed, time_limit=FORECAST_TIME_LIMIT) if parsed.people else None
    day_of = {m.id: m.date for m in parsed.movements}
    rows: dict[str, ForecastRow] = {}

    def row(code: str) -> ForecastRow:
        if code not in rows:
            rows[code] = ForecastRow(code, country_name(code))
        return rows[code]

    assignments = plan.assignments if plan else {}
    for p in parsed.people:
        r = row(p.destination)
        r.ready += 1
        movement = assignments.get(p.id)
        if movement is not None:
            r.taken += 1
            r.last_day = max(filter(None, (r.last_day, day_of[movement])))
    # People already booked leave with their movement (on its crossing day).
    unknown_day: set[str] = set()
    for destination, departs_at in RepatriationCase.objects.filter(
            person__in=ids, state=workflow.BOOKED, movement__isnull=False).values_list(
            "destination", "movement__departs_at"):
        r = row(destination)
        r.booked += 1
        day = border.crossing_day(departs_at)
        if day is None:
            unknown_day.add(destination)
        else:
            r.last_day = max(filter(None, (r.last_day, day)))
    for r in rows.values():
        if r.not_covered or r.destination in unknown_day:
            r.last_day = None
    ordered = sorted(rows.values(), key=lambda r: (-(r.ready + r.booked), r.name))
    result = Forecast(rows=ordered, method=plan.status if plan else "optimal",
                      ready=sum(r.ready for r in ordered), taken=sum(r.taken for r in ordered),
                      booked=sum(r.booked for r in ordered))
    if ordered and all(r.last_day is not None for r in ordered):
        result.everyone_by = max(r.last_day for r in ordered)
    return result


# --------------------------------------------------------------------------- 5. days held
def _facilities(actor: Actor, today: dt.date) -> list[FacilityRow]:
    facilities = list(policy.facilities(actor, "view"))
    if not facilities:
        return []
    # The same residents as the main dashboard's occupancy: held now, among the people the actor may list.
    counts = stats.occupancy(actor=actor)
    residents = policy.people(actor, "list").filter(status__in=stats.ACTIVE)
    # Since when each resident is at their current facility: the open placement there (the latest,
    # should the data hold two).
    since: dict = {}
    for person_id, facility_id, check_in in Placement.objects.filter(
            check_out__isnull=True, facility_id=F("person__current_facility_id"),
            facility_id__in=[f.pk for f in facilities], person__in=residents.values("id")).values_list(
            "person_id", "facility_id", "check_in"):
        if person_id not in since or check_in > since[person_id][1]:
            since[person_id] = (facility_id, check_in)
    days: dict = defaultdict(list)
    for facility_id, check_in in since.values():
        days[facility_id].append(max(0, (today - _local_date(check_in)).days))
    rows = []
    for f in facilities:
        c = counts[f.pk]
        occupancy = c["men"] + c["women"] + c["minors"]
        held = days.get(f.pk, [])
        rows.append(FacilityRow(
            id=str(f.pk), name=f.name, residents=occupancy, capacity=f.capacity_total,
            percent=round(100 * occupancy / f.capacity_total) if f.capacity_total else 0, known=len(held),
            median_days=_median(held), max_days=max(held) if held else None,
            long_stay=sum(1 for d in held if d > LONG_STAY_DAYS)))
    return rows

