"""Insider threat: an official who uses Crossing linked to the syndicates raises a conflict alert.

Officials are entities marked with their Crossing account (``services.mark_official``: a declared
phone, account or name). After each write the compartment is scanned: an official within a few hops
of a syndicate member (someone who supervises, owns, recruits, holds accounts, or is paid through
the syndicate's accounts) gets an alert naming the path, e.g. "officer's phone is in a boss's contact
list" or "a payment reached an account the officer holds". The alert proposes deny-list entries
barring the official from the people that syndicate recruited, held or supervised; a supervisor
approves (the entries are created through the access layer) or rejects with a note.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.network.graphdata import GraphData
from analytics.network.vocabulary import PHONE_SCHEMA, EdgeKind
from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.models import DenyEntry
from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.access.services import deny_entry_create
from crossing.core.errors import NotFound, ValidationFailed
from crossing.network import store
from crossing.network.models import ConflictAlert, ConflictStatus, Entity
from crossing.network.selectors import EDGE_LABELS
from crossing.registry.models import Person

MAX_HOPS = 3
# How far down a syndicate's command and recruitment chains its exploited people are sought: boss,
# head, supervisor, team leader, recruiter, worker.
EXPLOITED_DEPTH = 6
# A phone shared by more entities than this is a hotline or a switchboard, not a personal tie.
HUB_DEGREE = 25
# What makes an entity a syndicate member: it commands, owns, recruits, holds or sells.
_MEMBER_KINDS = {EdgeKind.SUPERVISES, EdgeKind.OWNERSHIP, EdgeKind.DIRECTORSHIP, EdgeKind.RECRUITED,
                 EdgeKind.SOLD_TO, EdgeKind.HELD_AT, EdgeKind.EMPLOYMENT}
# Edges through which the syndicate reaches the people it exploited (for the proposed deny entries).
_VICTIM_KINDS = {EdgeKind.RECRUITED, EdgeKind.HELD_AT, EdgeKind.SUPERVISES, EdgeKind.EMPLOYMENT, EdgeKind.SOLD_TO}


class _Adjacency:
    def __init__(self, data: GraphData):
        n = data.node_count
        both_src = np.concatenate([data.src, data.dst]).astype(np.int64)
        both_dst = np.concatenate([data.dst, data.src]).astype(np.int64)
        edge_ids = np.concatenate([np.arange(data.edge_count), np.arange(data.edge_count)])
        order = np.argsort(both_src, kind="stable")
        self.targets, self.edges = both_dst[order], edge_ids[order]
        self.offsets = np.zeros(n + 1, dtype=np.int64)
        np.add.at(self.offsets, both_src + 1, 1)
        self.offsets = np.cumsum(self.offsets)
        self.degree = np.diff(self.offsets)

    def around(self, node: int):
        lo, hi = self.offsets[node], self.offsets[node + 1]
        return zip(self.targets[lo:hi].tolist(), self.edges[lo:hi].tolist(), strict=True)


def _members(data: GraphData) -> set[int]:
    member_edges = np.isin(data.kind, [int(k) for k in _MEMBER_KINDS])
    members = set(data.src[member_edges].tolist())
    # Whoever is paid into: the accounts' holders are found through OWNERSHIP/HOLDER above.
    return {m for m in members if not data.worker[m] and not data.official[m]}


def _path_to_member(data: GraphData, adj: _Adjacency, start: int, members: set[int]):
    """Breadth-first from an official's entity to the nearest syndicate member, skipping hubs."""
    parents = {start: (None, None)}
    queue = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if node != start and node in members:
            path = []
            while node is not None:
                parent, edge = parents[node]
                path.append((node, edge))
                node = parent
            return path[::-1]
        if depth == MAX_HOPS:
            continue
        for nxt, edge in adj.around(node):
            if nxt in parents or data.official[nxt]:
                continue
            if data.schemata[nxt] == PHONE_SCHEMA and adj.degree[nxt] > HUB_DEGREE:
                continue
            parents[nxt] = (node, edge)
            queue.append((nxt, depth + 1))
    return None


def _exploited(data: GraphData, adj: _Adjacency, member: int, limit: int = 2000) -> list[str]:
    """Registry people the syndicate around ``member`` recruited, held or supervised (within reach of
    its command chain): the records a colluding official must not see."""
    reached, seen = [], {member}
    queue = deque([(member, 0)])
    while queue and len(reached) < limit:
        node, depth = queue.popleft()
        if data.worker[node] and node != member:
            reached.append(data.ids[node])
        if depth == EXPLOITED_DEPTH:
            continue
        for nxt, edge in adj.around(node):
            if nxt not in seen and EdgeKind(int(data.kind[edge])) in _VICTIM_KINDS:
                seen.add(nxt)
                queue.append((nxt, depth + 1))
    return reached


def _describe(data: GraphData, path) -> tuple[str, list]:
    steps, words = [], []
    for node, edge in path:
        label = EDGE_LABELS[EdgeKind(int(data.kind[edge]))] if edge is not None else ""
        steps.append([data.ids[node], data.names[node][:80], data.schemata[node], label])
    for (a, _e), (b, edge) in zip(path, path[1:], strict=False):
        # Say it in the edge's own direction: "boss — has in contacts — officer", not the walk's.
        first, second = (a, b) if int(data.src[edge]) == a else (b, a)
        words.append(f"{data.names[first][:40]} — {EDGE_LABELS[EdgeKind(int(data.kind[edge]))]} — "
                     f"{data.names[second][:40]}")
    return "; ".join(words)[:400], steps


def scan(actor: Actor | None = None) -> int:
    """Raise an alert for every official newly linked to a syndicate member; returns how many."""
    officials = dict(Entity.objects.filter(official__isnull=False, canonical__isnull=True)
                     .values_list("pk", "official_id"))
    if not officials:
        return 0
    data = store.graph().data
    adj = _Adjacency(data)
    members = _members(data)
    index = {pk: i for i, pk in enumerate(data.ids)}
    raised = 0
    for entity_id, user_id in officials.items():
        start = index.get(entity_id)
        path = _path_to_member(data, adj, start, members) if start is not None else None
        if not path:
            continue
        member = path[-1][0]
        member_id = data.ids[member]
        if ConflictAlert.objects.filter(official_id=user_id, entity_id=member_id).exists():
            continue
        reason, steps = _describe(data, path)
        people = _exploited(data, adj, member)
        person_ids = list(Entity.objects.filter(pk__in=people, person__isnull=False)
                          .values_list("person_id", flat=True).distinct())
        alert = ConflictAlert.objects.create(official_id=user_id, entity_id=member_id, reason=reason, path=steps,
                                             proposed_people=[str(p) for p in person_ids])
        audit.record(actor, AuditEventType.CONFLICT_RAISED, subject_type="conflict_alert", subject_id=alert.pk,
                     extra={"official": user_id, "entity": member_id, "people": len(person_ids)})
        raised += 1
    return raised


@service
def decide_alert(*, actor: Actor, alert_id, approve: bool, note: str = "") -> ConflictAlert:
    """A supervisor approves the proposed deny-list entries (created through the access layer, each
    audited) or rejects them with a note."""
    require(actor, "deny_list", "manage", "conflict_alert", alert_id)
    alert = ConflictAlert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    if alert.status != ConflictStatus.OPEN:
        raise ValidationFailed(_("This alert has already been decided."))
    if not approve and not note.strip():
        raise ValidationFailed(_("Say why the alert is rejected."))
    created = 0
    if approve:
        official = get_user_model().objects.get(pk=alert.official_id)
        barred = set(DenyEntry.objects.filter(user=official, revoked_at__isnull=True)
                     .values_list("person_id", flat=True))
        for person in Person.objects.filter(pk__in=alert.proposed_people).exclude(pk__in=barred):
            deny_entry_create(actor=actor, person=person, user=official,
                              reason=_("Conflict of interest: %(r)s") % {"r": alert.reason[:200]})
            created += 1
    alert.status = ConflictStatus.APPROVED if approve else ConflictStatus.REJECTED
    alert.decided_by, alert.decided_at, alert.decision_note = actor.user, timezone.now(), note.strip()
    alert.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(actor, AuditEventType.CONFLICT_DECIDED, subject_type="conflict_alert", subject_id=alert.pk,
                 extra={"approved": approve, "deny_entries": created})
    return alert
