"""Drawing on pledges: the "funded" gate of a case names the pledge that pays for the return.

How much of a pledge is left:
- per person / per seat with a ceiling: the ceiling minus the cases drawing on it;
- per person / per seat without a ceiling: no limit;
- lump sum: the amount minus the cases drawing on it x the route's cost per person, when the route
  has a cost estimate in the pledge's currency; otherwise no limit can be computed (shown as such).
A case draws on its pledge from "funded" until it is withdrawn (the money goes back to the pool).
A declined pledge pays for nothing; a pledge "only if another funder also pays" is usable once
another pledge for the same country without that condition exists and is not declined.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext as _

from crossing.repatriation import workflow
from crossing.repatriation.models import (
    Pledge,
    PledgeBasis,
    PledgeCondition,
    PledgeStatus,
    RepatriationCase,
    RouteCost,
)


def drawn(pledge_ids=None) -> Counter:
    """Cases drawing on each pledge."""
    cases = RepatriationCase.objects.filter(pledge__isnull=False).exclude(state=workflow.WITHDRAWN)
    if pledge_ids is not None:
        cases = cases.filter(pledge_id__in=pledge_ids)
    return Counter(cases.values_list("pledge_id", flat=True))


def room(pledge: Pledge, used: int, cost: RouteCost | None) -> int | None:
    """How many more returns the pledge pays for (None: no limit known)."""
    if pledge.basis == PledgeBasis.LUMP_SUM:
        if cost is None or cost.currency != pledge.currency or cost.per_person <= 0:
            return None
        return max(0, int((pledge.amount - used * cost.per_person) // cost.per_person))
    if pledge.max_people is None:
        return None
    return max(0, pledge.max_people - used)


def problem(pledge: Pledge, destination: str) -> str | None:
    """Why the pledge cannot pay for one more return to ``destination`` (None: it can)."""
    if pledge.destination != destination:
        return _("This pledge is for another country.")
    if pledge.status == PledgeStatus.DECLINED:
        return _("This pledge was declined.")
    if pledge.condition == PledgeCondition.CO_FUNDED and not Pledge.objects.filter(
            destination=destination).exclude(pk=pledge.pk).exclude(status=PledgeStatus.DECLINED).exclude(
            condition=PledgeCondition.CO_FUNDED).exists():
        return _("This pledge pays only if another funder also pays, and none does yet.")
    left = room(pledge, drawn([pledge.pk]).get(pledge.pk, 0), RouteCost.objects.filter(destination=destination).first())
    if left is not None and left < 1:
        return _("This pledge is used up.")
    return None


def usable(destination: str) -> list[tuple[Pledge, int | None]]:
    """The pledges that can pay for one more return to ``destination``, with what is left."""
    pledges = list(Pledge.objects.filter(destination=destination).exclude(status=PledgeStatus.DECLINED)
                   .order_by("created_at"))
    used = drawn([p.pk for p in pledges])
    cost = RouteCost.objects.filter(destination=destination).first()
    out = []
    for p in pledges:
        if problem(p, destination) is None:
            out.append((p, room(p, used.get(p.pk, 0), cost)))
    return out


def value_left(pledge: Pledge, used: int, cost: RouteCost | None, people: int) -> Decimal:
    """What the pledge still covers for ``people`` more returns, in the pledge's currency."""
    if pledge.basis == PledgeBasis.LUMP_SUM:
        spent = used * cost.per_person if cost is not None and cost.currency == pledge.currency else Decimal(0)
        return max(Decimal(0), pledge.amount - spent)
    left = people if pledge.max_people is None else min(people, max(0, pledge.max_people - used))
    return pledge.amount * left
