"""Money for returns: pledges per destination country, cost estimates per route, and the funding
gap per country, shown to those who can close it (embassies see their own country).

The gap of a country = people whose case waits for funding or earlier (not withdrawn, not yet
funded) x the route's cost per person, minus what confirmed or pledged money still covers after the
returns already drawn on it ("funded" names the pledge, see ``pledges.py``):
- per person / per seat: amount x min(people, ceiling - returns drawn);
- lump sum: the amount - returns drawn x the route's cost;
- a pledge "only if another funder also pays" counts only when an unconditional pledge for the
  same country exists; declined pledges count for nothing.
Amounts in other currencies than the route's are listed, not converted (no exchange rates here).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.permissions import Scope
from crossing.access.policy import Actor
from crossing.access.refusals import refused, service
from crossing.core.errors import NotFound, ValidationFailed
from crossing.repatriation import pledges as pledges_mod
from crossing.repatriation import workflow
from crossing.repatriation.models import (
    FunderKind,
    Pledge,
    PledgeBasis,
    PledgeCondition,
    PledgeStatus,
    RepatriationCase,
    RouteCost,
)
from crossing.repatriation.services import country_code

_UNFUNDED_STATES = [s for s in workflow.PATH[: workflow.PATH.index(workflow.FUNDED)]]


def _countries(actor: Actor) -> set[str] | None:
    """The destinations whose funding the actor may see and record (None: every country)."""
    grants = actor.grants.get(("repatriation", "fund"), [])
    if not grants:
        raise refused(NotFound(), actor, "funding", "", None, "repatriation.fund")
    if any(scope != Scope.NATIONALITY for scope, _ctx in grants):
        return None
    return {ctx.nationality for _scope, ctx in grants if ctx.nationality}


@service
def record_pledge(*, actor: Actor, funder: str, funder_kind: str, destination: str, basis: str, amount,
                  currency: str = "USD", max_people=None, condition: str = PledgeCondition.NONE,
                  note: str = "") -> Pledge:
    allowed = _countries(actor)
    country = country_code(destination)
    if country is None:
        raise ValidationFailed(_("destination: a country code (ISO alpha-3) is required."))
    if allowed is not None and country not in allowed:
        raise refused(NotFound(), actor, "pledge", "", None, "repatriation.fund")
    if not funder.strip():
        raise ValidationFailed(_("funder: name who pays."))
    for value, choices, name in ((funder_kind, FunderKind, "funder_kind"), (basis, PledgeBasis, "basis"),
                                 (condition, PledgeCondition, "condition")):
        if value not in choices.values:
            raise ValidationFailed(_("%(field)s: not a valid choice.") % {"field": name})
    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        raise ValidationFailed(_("amount: a number.")) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationFailed(_("amount: a number above zero."))
    if max_people in ("", None):
        max_people = None
    else:
        try:
            max_people = int(max_people)
        except (TypeError, ValueError):
            raise ValidationFailed(_("max_people: a whole number.")) from None
        if max_people < 1:
            raise ValidationFailed(_("max_people: a whole number.")) from None
    if condition == PledgeCondition.OTHER and not note.strip():
        raise ValidationFailed(_("Describe the condition in the note."))
    pledge = Pledge.objects.create(
        funder=funder.strip()[:200], funder_kind=funder_kind, destination=country, basis=basis, amount=amount,
        currency=(currency or "USD").upper()[:3], max_people=max_people, condition=condition,
        note=note.strip()[:4000], recorded_by=actor.user)
    audit.record(actor, AuditEventType.PLEDGE_RECORDED, subject_type="pledge", subject_id=pledge.pk,
                 extra={"destination": country, "basis": basis})
    return pledge


@service
def set_route_cost(*, actor: Actor, destination: str, per_person, currency: str = "USD", basis: str = "") -> RouteCost:
    if _countries(actor) is not None:
        raise NotFound()  # cost estimates are the movement planners' (all countries), not one embassy's
    country = country_code(destination)
    if country is None:
        raise ValidationFailed(_("destination: a country code (ISO alpha-3) is required."))
    try:
        value = Decimal(str(per_person))
    except ArithmeticError:
        raise ValidationFailed(_("amount: a number.")) from None
    if not value.is_finite() or value <= 0:
        raise ValidationFailed(_("amount: a number above zero."))
    cost, _created = RouteCost.objects.update_or_create(
        destination=country, defaults={"per_person": value, "currency": currency.upper()[:3], "basis": basis[:200]})
    return cost


@dataclass
class GapRow:
    destination: str
    people: int
    cost_per_person: Decimal | None
    currency: str
    need: Decimal | None
    covered: Decimal = Decimal(0)
    conditional: Decimal = Decimal(0)
    other_currencies: list = field(default_factory=list)

    @property
    def gap(self) -> Decimal | None:
        return None if self.need is None else max(Decimal(0), self.need - self.covered)


def funding_gap(actor: Actor) -> list[GapRow]:
    """Per destination the actor may see: people waiting for funding, the need, what is covered."""
    allowed = _countries(actor)
    visible = policy.people_for(actor, "repatriation", "view")
    waiting = Counter(RepatriationCase.objects.filter(person__in=visible.values("id"), state__in=_UNFUNDED_STATES)
                      .values_list("destination", flat=True))
    pledges = defaultdict(list)
    for p in Pledge.objects.exclude(status=PledgeStatus.DECLINED):
        pledges[p.destination].append(p)
    costs = {c.destination: c for c in RouteCost.objects.all()}
    used = pledges_mod.drawn()
    rows = []
    for country in sorted(set(waiting) | set(pledges)):
        if allowed is not None and country not in allowed:
            continue
        people = waiting.get(country, 0)
        cost = costs.get(country)
        row = GapRow(country, people, cost.per_person if cost else None, cost.currency if cost else "USD",
                     cost.per_person * people if cost else None)
        unconditional = any(p.condition != PledgeCondition.CO_FUNDED for p in pledges[country])
        for p in pledges[country]:
            value = pledges_mod.value_left(p, used.get(p.pk, 0), cost, people)
            if p.currency != row.currency:
                row.other_currencies.append((p.currency, value))
            elif p.condition == PledgeCondition.CO_FUNDED and not unconditional:
                row.conditional += value
            else:
                row.covered += value
        rows.append(row)
    audit.record(actor, AuditEventType.REPATRIATION_VIEWED, subject_type="funding_gap",
                 extra={"countries": len(rows)})
    return sorted(rows, key=lambda r: -(r.gap or 0))


@dataclass
class PledgeRow:
    pledge: Pledge
    drawn: int  # returns paid from it
    left: int | None  # returns it can still pay for (None: no limit known)


def pledge_rows(actor: Actor) -> list[PledgeRow]:
    """The pledges of the countries the actor may see, with the returns drawn on them."""
    allowed = _countries(actor)
    found = Pledge.objects.order_by("destination", "created_at")
    if allowed is not None:
        found = found.filter(destination__in=allowed)
    found = list(found)
    used = pledges_mod.drawn([p.pk for p in found])
    costs = {c.destination: c for c in RouteCost.objects.filter(destination__in={p.destination for p in found})}
    return [PledgeRow(p, used.get(p.pk, 0), pledges_mod.room(p, used.get(p.pk, 0), costs.get(p.destination)))
            for p in found]


@service
def set_pledge_status(*, actor: Actor, pledge_id, status: str) -> Pledge:
    """Confirm or decline a pledge (the funder's decision, recorded by an embassy or IOM). A pledge
    that returns already draw on cannot be declined: those cases would lose their funding."""
    allowed = _countries(actor)
    try:
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
    except (Pledge.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None
    if allowed is not None and pledge.destination not in allowed:
        raise refused(NotFound(), actor, "pledge", pledge.pk, None, "repatriation.fund")
    if status not in PledgeStatus.values:
        raise ValidationFailed(_("status: not a valid choice."))
    drawn = pledges_mod.drawn([pledge.pk]).get(pledge.pk, 0)
    if status == PledgeStatus.DECLINED and drawn:
        raise ValidationFailed(_("%(n)s returns already draw on this pledge.") % {"n": drawn})
    pledge.status = status
    pledge.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.PLEDGE_RECORDED, subject_type="pledge", subject_id=pledge.pk,
                 extra={"status": status})
    return pledge
