"""The analysis graph in memory: ego networks, paths, recruitment chains, communities, centralities.

Django-free. Built once per graph version (crossing.network.store) from a GraphData. Neighbourhoods and
paths run on a CSR adjacency precomputed with numpy (every edge seen from both ends), so a query touches
only the nodes it returns; igraph (built from the same arrays, lazily) does Leiden, PageRank and
betweenness in C.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np

from .graphdata import GraphData
from .vocabulary import PHONE_SCHEMA, EdgeKind

# Upward preference from a node: a supervisor before an employer, an owner before a (nominee) director.
_UP_KINDS = (EdgeKind.SUPERVISES, EdgeKind.EMPLOYMENT, EdgeKind.MEMBERSHIP, EdgeKind.OWNERSHIP,
             EdgeKind.DIRECTORSHIP)
EXACT_BETWEENNESS_MAX_NODES = 5_000


class Step(tuple):
    """One step of a path or chain: unpacks as (node index, edge index or None); ``label`` names the edge."""

    def __new__(cls, node: int, edge: int | None, label: str = ""):
        step = super().__new__(cls, (node, edge))
        step.label = label
        return step

    @property
    def node(self) -> int:
        return self[0]

    @property
    def edge(self) -> int | None:
        return self[1]


class NetworkGraph:
    def __init__(self, data: GraphData):
        self.data = data
        n, m = data.node_count, data.edge_count
        self._ids = {key: i for i, key in enumerate(data.ids)}
        self.src, self.dst = data.src.astype(np.int64), data.dst.astype(np.int64)
        self.kind = data.kind
        # CSR over both directions: node -> (neighbour, edge) runs, sorted by node.
        ends = np.concatenate([self.src, self.dst])
        order = np.argsort(ends, kind="stable")
        self.degree = np.bincount(ends, minlength=n)
        self.indptr = np.concatenate(([0], np.cumsum(self.degree)))
        self.nbr = np.concatenate([self.dst, self.src])[order].astype(np.int32)
        self.eid = (order % max(m, 1)).astype(np.int32)
        self.is_phone = np.fromiter((s == PHONE_SCHEMA for s in data.schemata), bool, n)
        self._igraph: ig.Graph | None = None

    # ------------------------------------------------------------------ lookup
    def index(self, node_id: str) -> int:
        """Node index of an entity id (KeyError when absent)."""
        return self._ids[node_id]

    @property
    def igraph(self) -> ig.Graph:
        if self._igraph is None:
            self._igraph = ig.Graph(n=self.data.node_count, edges=np.column_stack((self.src, self.dst)), directed=True)
        return self._igraph

    def _adjacent(self, nodes: np.ndarray, cap: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(from node, neighbour, edge) of every adjacency of ``nodes``, at most ``cap`` per node."""
        start = self.indptr[nodes]
        count = self.indptr[nodes + 1] - start
        if cap is not None:
            count = np.minimum(count, cap)
        total = int(count.sum())
        pos = np.repeat(start - np.cumsum(count) + count, count) + np.arange(total)
        return np.repeat(nodes, count), self.nbr[pos], self.eid[pos]

    # ------------------------------------------------------------------ queries
    def neighbourhood(self, node_id: str, hops: int = 2, limit: int = 500) -> tuple[np.ndarray, np.ndarray, bool]:
        """Undirected ``hops``-hop ego network of at most ``limit`` nodes: (node indices, edge indices, truncated).

        Each hop expands the frontier from its lowest-degree nodes first, and a hub (a shared hotline)
        contributes at most ``limit`` neighbours, so the specific ties come before the hub's crowd and
        one query never walks a million edges. ``truncated`` says the cap cut something off."""
        centre = self.index(node_id)
        nodes, frontier, truncated = np.array([centre], np.int64), np.array([centre], np.int64), False
        for _ in range(hops):
            frontier = frontier[np.argsort(self.degree[frontier], kind="stable")]
            _, found, _ = self._adjacent(frontier, cap=limit)
            truncated |= bool((self.degree[frontier] > limit).any())
            uniq, first = np.unique(found, return_index=True)
            new = uniq[np.argsort(first)]
            new = new[~np.isin(new, nodes)]
            room = limit - len(nodes)
            if len(new) > room:
                new, truncated = new[:room], True
            if not len(new):
                break
            nodes, frontier = np.concatenate([nodes, new]), new
        inside = np.zeros(self.data.node_count, bool)
        inside[nodes] = True
        # Edges among the chosen nodes, scanned from the non-hub side (a hub's edges to them are there too).
        small = nodes[self.degree[nodes] <= 50_000]
        _, other, edges = self._adjacent(small)
        edges = np.unique(edges[inside[other]])
        return nodes, edges, truncated

    def shortest_path(self, a_id: str, b_id: str, max_phone_degree: int | None = None) -> list[Step]:
        """Fewest-hops undirected path a -> b as steps; [] when none. ``max_phone_degree`` keeps the walk
        out of Phone nodes with more links (hotlines link strangers), the end points excepted."""
        a, b = self.index(a_id), self.index(b_id)
        n = self.data.node_count
        via = np.full(n, -2, np.int64)  # edge reaching the node; -1 at a, -2 unvisited
        via[a] = -1
        blocked = None
        if max_phone_degree is not None:
            blocked = self.is_phone & (self.degree > max_phone_degree)
            blocked[[a, b]] = False
        frontier = np.array([a], np.int64)
        while len(frontier) and via[b] == -2:
            came, found, edges = self._adjacent(frontier)
            fresh = via[found] == -2
            if blocked is not None:
                fresh &= ~blocked[found]
            found, edges = found[fresh], edges[fresh]
            found, first = np.unique(found, return_index=True)
            via[found] = edges[first]
            frontier = found
        if via[b] == -2:
            return []
        steps, node = [], b
        while node != a:
            e = int(via[node])
            steps.append(Step(node, e, self.label(e)))
            node = int(self.src[e] if self.dst[e] == node else self.dst[e])
        steps.append(Step(a, None))
        return steps[::-1]

    def recruitment_chain(self, node_id: str) -> list[Step]:
        """From a recruit up: RECRUITED edges to the recruiter and the recruiter's recruiter, then command
        and control edges (supervises, employs, has member, owns, directs) to the top. The job advert the
        recruit answered (a Document naming the first recruiter or the recruiter's phone) comes as a
        step right after the recruit, when the record has one."""
        node = self.index(node_id)
        steps, seen = [Step(node, None)], {node}
        for kinds in ((EdgeKind.RECRUITED,), _UP_KINDS):
            while len(steps) < 64:
                edge = self._up(node, kinds, seen)
                if edge is None:
                    break
                node = int(self.src[edge])
                seen.add(node)
                steps.append(Step(node, edge, self.label(edge)))
                if len(steps) == 2 and kinds == (EdgeKind.RECRUITED,):
                    ad = self._advert(node)
                    if ad is not None:
                        steps.insert(1, Step(*ad, self.label(ad[1])))
        return steps

    def _up(self, node: int, kinds, seen: set) -> int | None:
        """The incoming edge of the most preferred kind from an unvisited node (lowest edge index on ties)."""
        _, other, edges = self._adjacent(np.array([node]))
        incoming = (self.dst[edges] == node) & ~np.isin(other, list(seen))
        for kind in kinds:
            hit = edges[incoming & (self.kind[edges] == kind)]
            if len(hit):
                return int(hit.min())
        return None

    def _advert(self, recruiter: int) -> tuple[int, int] | None:
        """(document, edge) of a job advert naming the recruiter (MENTION) or one of the recruiter's phones."""
        schemata = self.data.schemata
        around = [recruiter] + [int(p) for p in self._adjacent(np.array([recruiter]))[1] if self.is_phone[p]]
        for node in around:
            _, other, edges = self._adjacent(np.array([node]))
            for doc, edge in zip(other.tolist(), edges.tolist(), strict=True):
                if schemata[doc] == "Document" and self.dst[edge] == node:
                    return doc, edge
        return None

    def label(self, edge: int) -> str:
        return EdgeKind(int(self.kind[edge])).name.lower().replace("_", " ")

    # ------------------------------------------------------------------ whole graph
    def undirected_simple(self) -> ig.Graph:
        g = ig.Graph(n=self.data.node_count, edges=np.column_stack((self.src, self.dst)), directed=False)
        g.simplify()
        return g

    def communities(self, seed: int = 7, resolution: float = 1.0) -> np.ndarray:
        """Leiden (modularity) on the undirected simple graph: a community id per node."""
        ig.set_random_number_generator(random.Random(seed))  # igraph draws from Python's RNG interface
        try:
            part = self.undirected_simple().community_leiden(objective_function="modularity",
                                                              resolution=resolution, n_iterations=-1)
        finally:
            ig.set_random_number_generator(random)
        return np.asarray(part.membership, dtype=np.int64)

    def pagerank(self, directed: bool = True) -> np.ndarray:
        return np.asarray(self.igraph.pagerank(directed=directed))

    def betweenness(self, samples: int = 32, seed: int = 7) -> np.ndarray:
        """Exact undirected betweenness up to EXACT_BETWEENNESS_MAX_NODES nodes; above, the Brandes estimate
        from ``samples`` random sources scaled by n / samples."""
        n = self.data.node_count
        if n <= EXACT_BETWEENNESS_MAX_NODES:
            return np.asarray(self.igraph.betweenness(directed=False))
        sources = np.random.default_rng(seed).choice(n, size=min(samples, n), replace=False)
        est = self.igraph.betweenness(directed=False, sources=sources.tolist())
        return np.asarray(est) * (n / len(sources))
