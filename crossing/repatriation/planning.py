"""Planning departures from the registry: build the planner's problem (the ``crossing repatriation
plan`` contract) from the cases that are ready, solve it, explain what holds the others back, let
an officer remove assignments, and publish the plan as bookings.

Ready means: the case has reached "fit to travel" and has no active hold. Priority weights
(higher = sooner): 1 for everyone, +2 for a child, +1 for a medical or pregnancy need, +1 for a
person under a non-punishment hold (a presumed victim); a long wait counts by itself, because the
objective is weight x days waited.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.repatriation import planner
from analytics.repatriation import problem as problem_mod
from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.core.errors import NotFound, ValidationFailed
from crossing.registry.models import Vulnerability
from crossing.repatriation import border, services, workflow
from crossing.repatriation.models import (
    CaseHold,
    Movement,
    MovementStatus,
    PlanAssignment,
    PlanStatus,
    RepatriationCase,
    RepatriationPlan,
)
from crossing.screening.models import NonPunishmentHold

MAX_HORIZON_DAYS = 90
# Movements the planner may put people on (not proposed, locked, departed or cancelled).
BOOKABLE = (MovementStatus.PLANNED, MovementStatus.MANIFEST_OPEN)

# What stands between a case and "ready", by the step it waits for.
WAITING_FOR = {
    workflow.OPEN: "counselling",
    workflow.COUNSELLED: "voluntariness",
    workflow.VOLUNTARINESS_CONFIRMED: "risk_assessment",
    workflow.RISK_ASSESSED: "travel_document",
    workflow.TRAVEL_DOCUMENT_READY: "exit_clearance",
    workflow.EXIT_CLEARED: "funding",
    workflow.FUNDED: "fitness_to_travel",
}


def _cases(actor: Actor, action: str):
    visible = policy.people_for(actor, "repatriation", action)
    return RepatriationCase.objects.filter(person__in=visible.values("id")).select_related("person")


def _weights(cases) -> dict:
    ids = [c.person_id for c in cases]
    needs = set(Vulnerability.objects.filter(person_id__in=ids, kind__in=["medical", "pregnancy"])
                .values_list("person_id", flat=True))
    protected = set(NonPunishmentHold.objects.filter(person_id__in=ids, lifted_at__isnull=True)
                    .values_list("person_id", flat=True))
    return {c.pk: 1 + 2 * c.person.is_minor + (c.person_id in needs) + (c.person_id in protected) for c in cases}


def build_problem(actor: Actor, start: dt.date, horizon_days: int, *, action: str = "plan") -> tuple[dict, list[dict]]:
    """The contract problem for the cases that are ready, and the blockers of the others, over the
    people on whose cases the actor holds ``repatriation.<action>`` ("view" for the forecast)."""
    held = set(CaseHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True))
    cases = list(_cases(actor, action).exclude(state__in=[workflow.WITHDRAWN, workflow.CLOSED, workflow.ARRIVED,
                                                  workflow.DEPARTED, workflow.BOOKED]))
    ready = [c for c in cases if c.state == workflow.FIT_TO_TRAVEL and c.pk not in held]
    weights = _weights(ready)
    # Movements leaving up to a day after the period may still cross inside it (the 24-hour window).
    candidates = list(Movement.objects.filter(
        status__in=BOOKABLE,
        departs_at__date__gte=start, departs_at__date__lte=start + dt.timedelta(days=horizon_days + 1)))
    day_rules = border.rules(start, horizon_days)
    booked = Counter(RepatriationCase.objects.filter(state=workflow.BOOKED, movement__isnull=False)
                     .values_list("movement_id", flat=True))
    already: Counter = Counter()
    for departs_at, n in Counter(RepatriationCase.objects.filter(
            state=workflow.BOOKED, movement__departs_at__date__gte=start - dt.timedelta(days=1))
            .values_list("movement__departs_at", flat=True)).items():
        already[border.crossing_day(departs_at)] += n
    movements = []
    for m in candidates:
        day = border.crossing_day(m.departs_at)
        free = m.capacity - booked.get(m.pk, 0)
        if day not in day_rules or free <= 0:
            continue
        reserved = day_rules[day][1]
        # On a day reserved for some nationalities, the movement takes only those.
        destinations = [d for d in m.destinations if not reserved or d in reserved]
        if destinations:
            movements.append({"id": str(m.pk), "date": day.isoformat(), "destinations": destinations, "capacity": free})
    capacity = {day.isoformat(): max(0, cap - already.get(day, 0)) for day, (cap, _reserved) in day_rules.items()}
    problem = {
        "start_date": start.isoformat(), "horizon_days": horizon_days, "daily_capacity": capacity,
        "people": [{"id": str(c.pk), "destination": c.destination,
                    "ready_date": timezone.localtime(c.ready_since or c.state_since).date().isoformat(), "weight": weights[c.pk],
                    "group": c.travel_group or None} for c in ready],
        "movements": movements,
    }
    return problem, _blockers(cases, held, movements, ready)


def _blockers(cases, held, movements, ready) -> list[dict]:
    """Per destination: how many are ready, and what the others wait for ("Uganda: 64 ready except
    funding"), plus ready people no movement in the horizon serves."""
    rows: dict = defaultdict(Counter)
    hold_reasons = defaultdict(list)
    for h in CaseHold.objects.filter(case_id__in=held).values_list("case_id", "reason"):
        hold_reasons[h[0]].append(h[1])
    for c in cases:
        if c.pk in held:
            for reason in hold_reasons[c.pk]:
                rows[c.destination][f"hold:{reason}"] += 1
        elif c.state == workflow.FIT_TO_TRAVEL:
            rows[c.destination]["ready"] += 1
        else:
            rows[c.destination][WAITING_FOR.get(c.state, c.state)] += 1
    served = {d for m in movements for d in m["destinations"]}
    for c in ready:
        if c.destination not in served:
            rows[c.destination]["no_movement"] += 1
    return [{"destination": d, **dict(counts)} for d, counts in sorted(rows.items(), key=lambda kv: -sum(kv[1].values()))]


@service
def make_plan(*, actor: Actor, start: dt.date, horizon_days: int, time_limit: float = 8.0) -> RepatriationPlan:
    policy.require(actor, "repatriation", "plan")
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValidationFailed(_("horizon_days: from 1 to %(n)s days.") % {"n": MAX_HORIZON_DAYS})
    data, blockers = build_problem(actor, start, horizon_days)
    parsed = problem_mod.parse(data)  # the CLI's own parser: the stored problem re-runs with the CLI
    plan = planner.solve(parsed, time_limit=time_limit)  # its stats carry the first-come-first-served objective
    record = RepatriationPlan.objects.create(
        start_date=start, horizon_days=horizon_days, problem=data, objective=plan.objective,
        lower_bound=plan.lower_bound, fcfs_objective=plan.stats["fcfs_objective"], seconds=plan.seconds, blockers=blockers,
        created_by=actor.user,
    )
    PlanAssignment.objects.bulk_create(
        PlanAssignment(plan=record, case_id=case_id, movement_id=movement_id)
        for case_id, movement_id in plan.assignments.items() if movement_id)
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="repatriation_plan", subject_id=record.pk,
                 extra={"planned": len(plan.assignments), "ready": len(data["people"])})
    return record


def _draft(actor: Actor, plan_id) -> RepatriationPlan:
    require(actor, "repatriation", "plan", "repatriation_plan", plan_id)
    try:
        plan = RepatriationPlan.objects.select_for_update().get(pk=plan_id)
    except (RepatriationPlan.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None
    if plan.status != PlanStatus.DRAFT:
        raise ValidationFailed(_("This plan is no longer a draft."))
    return plan


def _group_of(plan: RepatriationPlan, case_id) -> list[PlanAssignment]:
    """The assignment of ``case_id`` and those of its travel group in the plan (they move together)."""
    try:
        target = plan.assignments.select_related("case").get(case_id=case_id)
    except (PlanAssignment.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None
    if not target.case.travel_group:
        return [target]
    return list(plan.assignments.filter(case__travel_group=target.case.travel_group).select_related("case"))


def current_assignments(plan: RepatriationPlan) -> dict[str, str]:
    """The plan as the officer has edited it: case id -> movement id, people taken out omitted."""
    return {str(c): str(m) for c, m in plan.assignments.filter(removed=False).values_list("case_id", "movement_id")}


def current_objective(plan: RepatriationPlan) -> float:
    """The contract objective of the plan as edited (people taken out wait to the horizon's end)."""
    return planner.objective(problem_mod.parse(plan.problem), current_assignments(plan))


@service
def remove_assignment(*, actor: Actor, plan_id, case_id) -> None:
    """The reviewing officer takes someone out of the draft, with their travel group (they stay
    ready for the next plan)."""
    plan = _draft(actor, plan_id)
    group = _group_of(plan, case_id)
    PlanAssignment.objects.filter(pk__in=[a.pk for a in group]).update(removed=True)
    _audit_edit(actor, plan, group, "removed")


@service
def move_assignment(*, actor: Actor, plan_id, case_id, movement_id) -> int:
    """The reviewing officer puts someone (and their travel group) on another movement of the
    plan's period; the edited plan must still keep every rule of the planner. Returns how many moved."""
    plan = _draft(actor, plan_id)
    group = _group_of(plan, case_id)
    problem = problem_mod.parse(plan.problem)
    if str(movement_id) not in {m.id for m in problem.movements} or not Movement.objects.filter(
            pk=movement_id, status__in=BOOKABLE).exists():
        raise ValidationFailed(_("Choose a movement of this plan's period with free seats."))
    edited = current_assignments(plan)
    for a in group:
        edited[str(a.case_id)] = str(movement_id)
    broken = planner.violations(problem, edited)
    if broken:
        raise ValidationFailed(_("Not possible: %(why)s") % {"why": broken[0]})
    PlanAssignment.objects.filter(pk__in=[a.pk for a in group]).update(movement_id=movement_id, removed=False)
    _audit_edit(actor, plan, group, "moved")
    return len(group)


def _audit_edit(actor: Actor, plan: RepatriationPlan, group: list[PlanAssignment], what: str) -> None:
    """One event per person whose place in the draft changed, so their access log shows it."""
    audit.record_many(actor, [EventDraft(AuditEventType.MOVEMENT_CHANGED, "repatriation_plan", str(plan.pk),
                                         a.case.person_id, extra={what: True}) for a in group])


@service
def publish(*, actor: Actor, plan_id) -> int:
    """Book every remaining assignment, all or nothing: each booking passes the case's own gate."""
    plan = _draft(actor, plan_id)
    count = 0
    for a in plan.assignments.filter(removed=False).select_related("movement"):
        services.advance(actor=actor, case_id=a.case_id, to_state=workflow.BOOKED, movement_id=a.movement_id,
                         reason=_("Booked by plan %(plan)s for %(date)s.") % {
                             "plan": str(plan.pk)[:8], "date": timezone.localtime(a.movement.departs_at).date()})
        count += 1
    plan.status, plan.published_by, plan.published_at = PlanStatus.PUBLISHED, actor.user, timezone.now()
    plan.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    audit.record(actor, AuditEventType.MOVEMENT_CHANGED, subject_type="repatriation_plan", subject_id=plan.pk,
                 extra={"published": count})
    return count
