"""From an entity's FtM properties to the edges of the analysis graph (see analytics.network.vocabulary)."""

from dataclasses import dataclass

from analytics.network.vocabulary import (
    HOLDER_PROPERTIES,
    LINK_SCHEMATA,
    REVERSED_ROLES,
    ROLE_KINDS,
    EdgeKind,
)
from crossing.network import identifiers


@dataclass(frozen=True)
class DerivedEdge:
    source: str
    target: str
    kind: EdgeKind
    is_link: bool
    amount: float = 0.0
    date: str = ""


def _amount(props: dict) -> float:
    for key in ("amountUsd", "amount"):
        for value in props.get(key, []):
            try:
                return float(value)
            except ValueError:
                continue
    return 0.0


def _date(props: dict) -> str:
    for key in ("date", "startDate", "authoredAt", "createdAt"):
        if props.get(key):
            return min(props[key])
    return ""


def edges_of(entity_id: str, schema: str, props: dict) -> list[DerivedEdge]:
    edges: list[DerivedEdge] = []
    if schema in LINK_SCHEMATA:
        kind, source_prop, target_prop = LINK_SCHEMATA[schema]
        sources, targets = props.get(source_prop, []), props.get(target_prop, [])
        if schema == "Payment":
            # Money lands in accounts: prefer them, the holders are joined to them by Ownership.
            sources = props.get("payerAccount") or sources
            targets = props.get("beneficiaryAccount") or targets
        role = (props.get("role") or [""])[0].strip().lower()
        if schema == "UnknownLink" and role in ROLE_KINDS:
            kind = ROLE_KINDS[role]
            if role in REVERSED_ROLES:
                sources, targets = targets, sources
        amount, date = _amount(props), _date(props)
        edges += [DerivedEdge(s, t, kind, True, amount, date) for s in sources for t in targets if s != t]
    for (holder_schema, prop), kind in HOLDER_PROPERTIES.items():
        if schema == holder_schema:
            edges += [DerivedEdge(holder, entity_id, kind, False) for holder in props.get(prop, [])]
    if schema == "Message":
        senders = props.get("sender", []) + props.get("senderAccount", [])
        recipients = props.get("recipients", []) + props.get("recipientAccount", [])
        edges += [DerivedEdge(s, r, EdgeKind.MESSAGE, False, 0.0, _date(props)) for s in senders for r in recipients
                  if s != r]
    for number in props.get("phone", []) + props.get("phoneMentioned", []):
        edges.append(DerivedEdge(entity_id, identifiers.phone_node(number), EdgeKind.PHONE, False))
    return edges
