"""Reads of departure plans: the list, and one plan with its assignments grouped by movement."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError

from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import NotFound
from crossing.repatriation import planning
from crossing.repatriation.models import Movement, PlanStatus, RepatriationPlan


def recent_plans(actor: Actor, limit: int = 20) -> list[RepatriationPlan]:
    policy.require(actor, "repatriation", "plan")
    return list(RepatriationPlan.objects.select_related("created_by", "published_by").order_by("-created_at")[:limit])


@dataclass
class PlanView:
    plan: RepatriationPlan
    movements: list = field(default_factory=list)  # (movement, [assignment, ...])
    ready: int = 0
    planned: int = 0
    gap_percent: float | None = None
    fcfs_extra_percent: float | None = None
    may_export_manifest: bool = False
    edited_objective: float | None = None  # the objective of the plan as the officer edited it
    options: list = field(default_factory=list)  # movements of the period, to move people to


def plan_get(actor: Actor, plan_id) -> PlanView:
    policy.require(actor, "repatriation", "plan")
    try:
        plan = RepatriationPlan.objects.select_related("created_by", "published_by").get(pk=plan_id)
    except (RepatriationPlan.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None
    visible = set(policy.people(actor, "view").values_list("id", flat=True))
    groups: dict = {}
    shown = []
    for a in (plan.assignments.select_related("movement", "case__person")
              .order_by("movement__departs_at", "movement__reference", "case__person__reference")):
        if a.case.person_id not in visible:
            continue
        groups.setdefault(a.movement, []).append(a)
        shown.append(a)
    audit.record_many(actor, [EventDraft(AuditEventType.REPATRIATION_VIEWED, "repatriation_plan", str(plan.pk),
                                         a.case.person_id) for a in shown])
    view = PlanView(plan=plan, movements=list(groups.items()), ready=len(plan.problem.get("people", [])),
                    planned=sum(1 for a in shown if not a.removed),
                    may_export_manifest=actor.can("movement", "manage") and actor.can("person_documents", "view"))
    if plan.status == PlanStatus.DRAFT:
        view.edited_objective = planning.current_objective(plan)
        ids = [m["id"] for m in plan.problem.get("movements", [])]
        view.options = list(Movement.objects.filter(pk__in=ids, status__in=planning.BOOKABLE)
                            .order_by("departs_at", "reference"))
    if plan.lower_bound is not None and plan.objective:
        view.gap_percent = round(100 * (plan.objective - plan.lower_bound) / plan.objective, 2)
    if plan.objective:
        view.fcfs_extra_percent = round(100 * (plan.fcfs_objective - plan.objective) / plan.objective, 1)
    return view
