"""The compartment's graph, built from the derived rows and kept in memory until the next write.

Every write bumps ``GraphVersion``; a process rebuilds its graph when the version it holds is stale.
Merged entities are folded into their canonical entity here, so resolution needs no edge rewrite.
"""

from __future__ import annotations

import threading
import uuid

import numpy as np

from analytics.network.graphdata import GraphData
from analytics.network.vocabulary import PHONE_SCHEMA
from crossing.network.models import Edge, Entity, GraphVersion

_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "graph": None}


def graph_data() -> GraphData:
    canonical: dict[str, str] = {}
    ids, schemata, names, official, worker, sanctioned = [], [], [], [], [], []
    for pk, schema, caption, canonical_id, official_id, person_id, is_sanctioned in Entity.objects.values_list(
            "pk", "schema", "caption", "canonical_id", "official_id", "person_id", "sanctioned").iterator(4000):
        if canonical_id:
            canonical[pk] = canonical_id
            continue
        ids.append(pk)
        schemata.append(schema)
        names.append(caption or pk)
        official.append(official_id is not None)
        worker.append(person_id is not None)
        sanctioned.append(is_sanctioned)
    index = {pk: i for i, pk in enumerate(ids)}

    def node(key: str) -> int | None:
        key = canonical.get(key, key)
        key = canonical.get(key, key)  # a merge into an entity that was itself merged later
        found = index.get(key)
        if found is None and key.startswith("phone:"):
            found = index[key] = len(ids)
            ids.append(key)
            schemata.append(PHONE_SCHEMA)
            names.append(key[len("phone:"):])
            official.append(False)
            worker.append(False)
            sanctioned.append(False)
        return found

    src, dst, kind, amount = [], [], [], []
    for source, target, edge_kind, value in Edge.objects.values_list("source", "target", "kind", "amount").iterator(8000):
        a, b = node(source), node(target)
        if a is None or b is None or a == b:
            continue  # a reference to an entity not (yet) in the compartment
        src.append(a)
        dst.append(b)
        kind.append(edge_kind)
        amount.append(value)
    return GraphData(ids=ids, schemata=schemata, names=names, src=np.asarray(src, dtype=np.int32),
                     dst=np.asarray(dst, dtype=np.int32), kind=np.asarray(kind, dtype=np.int8),
                     amount=np.asarray(amount, dtype=np.float64), official=np.asarray(official, dtype=bool),
                     worker=np.asarray(worker, dtype=bool), sanctioned=np.asarray(sanctioned, dtype=bool),
                     meta={"canonical": canonical})


def bump() -> None:
    """Mark the graph stale after a write (every process rebuilds on its next read)."""
    from django.db.models import F

    GraphVersion.objects.get_or_create(pk=1)
    GraphVersion.objects.filter(pk=1).update(version=F("version") + 1, token=uuid.uuid4().hex)


def current_version() -> tuple[int, str]:
    """The counter and the write's token; see GraphVersion for why the token is part of the key."""
    return GraphVersion.objects.filter(pk=1).values_list("version", "token").first() or (0, "")


def graph():
    """The current NetworkGraph (analytics.network.engine), rebuilt after any write."""
    from analytics.network.engine import NetworkGraph

    version = current_version()
    with _lock:
        if _cache["version"] != version or _cache["graph"] is None:
            _cache["graph"] = NetworkGraph(graph_data())
            _cache["version"] = version
        return _cache["graph"]


def canonical_id(entity_id: str) -> str:
    row = Entity.objects.filter(pk=entity_id).values_list("canonical_id", flat=True).first()
    return row or entity_id


def cached(graph, key: str, compute):
    """A whole-graph result (communities, the full ranking) kept with the graph it was computed on."""
    results = graph.__dict__.setdefault("_results", {})
    if key not in results:
        results[key] = compute()
    return results[key]
