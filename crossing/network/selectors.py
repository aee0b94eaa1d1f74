"""Reads of the intelligence compartment, through the access layer and audited.

Only roles granted ``network.view`` (analysts, investigators) get anything: everyone else gets the
same NotFound as for a missing entity, and the refusal is audited. A registry person behind an
entity is shown only when the reader may see that person too (deny lists still apply).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q

from analytics.network.vocabulary import EdgeKind
from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import NotFound
from crossing.network import store
from crossing.network.models import ConflictAlert, ConflictStatus, Edge, Entity, SanctionHit, Statement

EDGE_LABELS = {
    EdgeKind.OWNERSHIP: "owns", EdgeKind.DIRECTORSHIP: "directs", EdgeKind.EMPLOYMENT: "employs",
    EdgeKind.MEMBERSHIP: "has member", EdgeKind.SUPERVISES: "supervises", EdgeKind.RECRUITED: "recruited",
    EdgeKind.HELD_AT: "held", EdgeKind.SOLD_TO: "sold to", EdgeKind.PAYMENT: "paid", EdgeKind.HOLDER: "holds",
    EdgeKind.PHONE: "uses phone", EdgeKind.CONTACT: "has in contacts", EdgeKind.MESSAGE: "messaged",
    EdgeKind.MENTION: "mentions", EdgeKind.FAMILY: "family of", EdgeKind.ASSOCIATE: "associate of",
    EdgeKind.UNKNOWN: "linked to",
}


def require_view(actor: Actor, subject_type: str = "network", subject_id="") -> None:
    if not actor.can("network", "view"):
        if actor.user is not None and actor.user.is_authenticated:
            audit.record(actor, AuditEventType.ACCESS_DENIED, subject_type=subject_type, subject_id=str(subject_id)[:64],
                         outcome="denied", extra={"action": "network.view"})
        raise NotFound()


def _viewed(actor: Actor, what: str, subject_id="", person_id=None, **extra) -> None:
    audit.record(actor, AuditEventType.NETWORK_VIEWED, subject_type="network_entity" if subject_id else "network",
                 subject_id=str(subject_id)[:64], person_id=person_id, extra={"view": what, **extra})


@dataclass
class LinkRow:
    direction: str  # "out" or "in"
    label: str
    other_id: str
    other_caption: str
    other_schema: str
    amount: float
    date: str
    link_id: str | None


@dataclass
class EntityPage:
    entity: Entity
    statements: list[Statement]
    links: list[LinkRow]
    merged: list[Entity]
    registry_person: object | None  # the Person, when the reader may see them
    registry_hidden: bool            # linked to a person the reader may not see
    alerts: list[ConflictAlert] = field(default_factory=list)
    sanction_hits: list = field(default_factory=list)
    candidates: list = field(default_factory=list)  # registry records this Person entity may be


def _entity(entity_id: str) -> Entity:
    entity = Entity.objects.select_related("canonical", "official").filter(pk=entity_id).first()
    if entity is None:
        raise NotFound()
    return entity


def _person_visible(actor: Actor, entity: Entity):
    if entity.person_id is None:
        return None, False
    try:
        return policy.access_person(actor, entity.person_id), False
    except NotFound:
        return None, True


def entity_page(actor: Actor, entity_id: str) -> EntityPage:
    require_view(actor, "network_entity", entity_id)
    entity = _entity(entity_id)
    captions = {}
    edges = list(Edge.objects.filter(Q(source=entity.pk) | Q(target=entity.pk)).order_by("kind")[:500])
    others = {e.target if e.source == entity.pk else e.source for e in edges}
    for pk, caption, schema in Entity.objects.filter(pk__in=others).values_list("pk", "caption", "schema"):
        captions[pk] = (caption, schema)
    links = []
    for e in edges:
        out = e.source == entity.pk
        other = e.target if out else e.source
        caption, schema = captions.get(other, (other.removeprefix("phone:"), "Phone" if other.startswith("phone:")
                                               else "?"))
        links.append(LinkRow("out" if out else "in", EDGE_LABELS.get(EdgeKind(e.kind), "linked to"), other, caption,
                             schema, e.amount, e.date, e.link_id))
    person, hidden = _person_visible(actor, entity)
    _viewed(actor, "entity", entity.pk, person.pk if person else None)
    return EntityPage(
        entity=entity,
        statements=list(Statement.objects.filter(entity=entity).select_related("recorded_by").order_by("prop", "id")),
        links=links, merged=list(entity.merged.all()[:50]), registry_person=person, registry_hidden=hidden,
        alerts=list(ConflictAlert.objects.filter(entity=entity).select_related("official")),
        sanction_hits=list(SanctionHit.objects.filter(entity=entity).select_related("target", "decided_by")),
        candidates=registry_candidates(actor, entity.pk) if actor.can("network", "resolve") else [],
    )


def search(actor: Actor, query: str, *, schema: str = "", limit: int = 50) -> list[Entity]:
    require_view(actor)
    query = query.strip()
    rows = Entity.objects.filter(canonical__isnull=True)
    if schema:
        rows = rows.filter(schema=schema)
    if query:
        rows = rows.filter(Q(caption__icontains=query) | Q(pk=query) | Q(identifier__icontains=query))
    result = list(rows.order_by("caption")[:limit])
    _viewed(actor, "search", query=query[:60], schema=schema, results=len(result))
    return result


def _node_payload(graph, index: int) -> dict:
    data = graph.data
    return {"id": data.ids[index], "label": data.names[index][:60], "schema": data.schemata[index],
            "official": bool(data.official[index]), "worker": bool(data.worker[index]),
            "sanctioned": bool(data.sanctioned[index])}


def _edge_payload(graph, edge: int) -> dict:
    data = graph.data
    kind = EdgeKind(int(data.kind[edge]))
    return {"id": f"e{edge}", "source": data.ids[int(data.src[edge])], "target": data.ids[int(data.dst[edge])],
            "kind": kind.name.lower(), "label": EDGE_LABELS[kind], "amount": float(data.amount[edge])}


def neighbourhood(actor: Actor, entity_id: str, hops: int = 1, limit: int = 300) -> dict:
    """The entity's neighbourhood as graph elements (nodes, edges), for the interactive graph."""
    require_view(actor, "network_entity", entity_id)
    graph = store.graph()
    entity_id = store.canonical_id(entity_id)
    try:
        nodes, edges, truncated = graph.neighbourhood(entity_id, hops=max(1, min(hops, 3)), limit=limit)
    except KeyError:
        raise NotFound() from None
    _viewed(actor, "graph", entity_id, hops=hops, nodes=len(nodes))
    return {"nodes": [_node_payload(graph, int(i)) for i in nodes], "edges": [_edge_payload(graph, int(e)) for e in edges],
            "truncated": bool(truncated), "centre": entity_id}


def _steps(graph, steps) -> list[dict]:
    rows = []
    for node, edge in steps:
        row = _node_payload(graph, int(node))
        row["via"] = _edge_payload(graph, int(edge)) if edge is not None and edge >= 0 else None
        rows.append(row)
    return rows


def shortest_path(actor: Actor, source_id: str, target_id: str) -> list[dict]:
    require_view(actor, "network_entity", source_id)
    graph = store.graph()
    try:
        steps = graph.shortest_path(store.canonical_id(source_id), store.canonical_id(target_id))
    except KeyError:
        raise NotFound() from None
    _viewed(actor, "path", source_id, to=target_id[:64], length=len(steps))
    return _steps(graph, steps)


def recruitment_chain(actor: Actor, entity_id: str) -> list[dict]:
    """From a worker up through who recruited them to whoever commands the recruiter."""
    require_view(actor, "network_entity", entity_id)
    graph = store.graph()
    try:
        steps = graph.recruitment_chain(store.canonical_id(entity_id))
    except KeyError:
        raise NotFound() from None
    _viewed(actor, "chain", entity_id, length=len(steps))
    return _steps(graph, steps)


def ranking(actor: Actor, top: int = 25) -> list:
    from analytics.network.ranking import rank_organizers

    require_view(actor)
    result = rank_organizers(store.graph(), top=top)
    audit.record(actor, AuditEventType.NETWORK_ANALYSED, subject_type="network", extra={"view": "ranking", "top": top})
    return result


def timeline(actor: Actor, entity_id: str, limit: int = 200) -> list[dict]:
    """Dated events around an entity: its links and payments by their own dates, then when each
    value was recorded (FtM statements carry first-seen times)."""
    require_view(actor, "network_entity", entity_id)
    entity = _entity(entity_id)
    events = []
    for e in Edge.objects.filter(Q(source=entity.pk) | Q(target=entity.pk)).exclude(date=""):
        other = e.target if e.source == entity.pk else e.source
        events.append({"date": e.date, "what": EDGE_LABELS.get(EdgeKind(e.kind), "linked to"), "other": other,
                       "amount": e.amount})
    captions = dict(Entity.objects.filter(pk__in={x["other"] for x in events}).values_list("pk", "caption"))
    for event in events:
        event["other_caption"] = captions.get(event["other"], event["other"])
    for s in Statement.objects.filter(entity=entity).order_by("recorded_at")[:limit]:
        events.append({"date": s.recorded_at.date().isoformat(), "what": f"recorded {s.prop}", "other": "",
                       "other_caption": s.source, "amount": 0})
    events.sort(key=lambda x: x["date"])
    _viewed(actor, "timeline", entity.pk)
    return events[:limit]


def conflict_alerts(actor: Actor, status: str = ConflictStatus.OPEN) -> list[ConflictAlert]:
    """Supervisors (who keep the deny list) and analysts see conflict-of-interest alerts."""
    if not (actor.can("deny_list", "manage") or actor.can("network", "view")):
        raise NotFound()
    rows = list(ConflictAlert.objects.filter(status=status).select_related("official", "entity", "decided_by"))
    audit.record(actor, AuditEventType.NETWORK_VIEWED, subject_type="conflict_alert",
                 extra={"view": "conflicts", "count": len(rows)})
    return rows


def registry_candidates(actor: Actor, entity_id: str, limit: int = 5) -> list:
    """Registry records this Person entity may be (the identity issue's linkage model, the same one
    intake uses), for an analyst to confirm with ``services.link_person``; only people the analyst
    may see are scored."""
    from datetime import date

    from crossing.core.countries import to_alpha3
    from crossing.linkage.selectors import intake_matches

    require_view(actor, "network_entity", entity_id)
    entity = _entity(entity_id)
    if entity.schema != "Person" or entity.person_id is not None:
        return []
    props = entity.properties
    names = (props.get("name", []) + props.get("alias", []))[:4]
    birth, precision = None, "unknown"
    for value in props.get("birthDate", [])[:1]:
        parts = value.split("-")
        try:
            birth = date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
            precision = {1: "year", 2: "month"}.get(len(parts), "day")
        except (ValueError, IndexError):
            birth = None
    return intake_matches(actor=actor, names=names, date_of_birth=birth, dob_precision=precision,
                          nationality=to_alpha3((props.get("nationality") or [""])[0]),
                          phone=(props.get("phone") or [""])[0], limit=limit)


@dataclass
class Community:
    size: int
    people: int
    workers: int
    organizers: list  # RankedEntity, best first, inside this community


def community(actor: Actor, entity_id: str, top: int = 5) -> Community | None:
    """The entity's Leiden community (computed once per graph version) with the organizers the
    ranking puts highest inside it: the syndicate an entity most likely belongs to."""
    from analytics.network.ranking import rank_organizers

    require_view(actor, "network_entity", entity_id)
    graph = store.graph()
    try:
        node = graph.index(store.canonical_id(entity_id))
    except KeyError:
        return None
    membership = store.cached(graph, "communities", graph.communities)
    ranked = store.cached(graph, "ranking", lambda: rank_organizers(graph, top=graph.data.node_count))
    members = membership == membership[node]
    inside = [r for r in ranked if members[graph.index(r.id)]][:top]
    data = graph.data
    schemata = np.asarray(data.schemata)
    _viewed(actor, "community", entity_id, size=int(members.sum()))
    return Community(size=int(members.sum()), people=int((members & (schemata == "Person")).sum()),
                     workers=int((members & data.worker).sum()), organizers=inside)
