"""NetworkGraph: bounded ego networks, paths around hotlines, recruitment chains, communities."""

import numpy as np
import pytest

from analytics.network.engine import NetworkGraph
from analytics.network.graphdata import GraphData
from analytics.network.syndicates import generate_syndicates
from analytics.network.vocabulary import EdgeKind as K


def graph(nodes: list[tuple[str, str]], edges: list[tuple]) -> NetworkGraph:
    ids = [i for i, _ in nodes]
    at = {i: n for n, i in enumerate(ids)}
    return NetworkGraph(GraphData(
        ids=ids, schemata=[s for _, s in nodes], names=ids,
        src=np.array([at[e[0]] for e in edges], np.int32), dst=np.array([at[e[1]] for e in edges], np.int32),
        kind=np.array([int(e[2]) for e in edges], np.int8),
        amount=np.array([e[3] if len(e) > 3 else 0.0 for e in edges], np.float64)))


def test_index_and_unknown_id():
    g = graph([("a", "Person"), ("b", "Person")], [("a", "b", K.ASSOCIATE)])
    assert g.index("b") == 1
    with pytest.raises(KeyError):
        g.index("nobody")


def test_neighbourhood_two_hops_with_its_edges():
    g = graph([(x, "Person") for x in "abcde"], [("a", "b", K.SUPERVISES), ("b", "c", K.SUPERVISES),
                                                 ("c", "d", K.SUPERVISES), ("e", "a", K.FAMILY)])
    nodes, edges, truncated = g.neighbourhood("a", hops=2)
    assert {g.data.ids[i] for i in nodes} == {"a", "b", "c", "e"} and not truncated
    assert sorted(edges.tolist()) == [0, 1, 3]  # c-d is three hops out


def test_neighbourhood_is_capped_at_a_hotline():
    # 2,000 recruiters share one hotline: the ego network of one of them stops at the cap and says so.
    nodes = [("hotline", "Phone")] + [(f"r{i}", "Person") for i in range(2000)] + [("boss", "Person")]
    edges = [(f"r{i}", "hotline", K.PHONE) for i in range(2000)] + [("boss", "r0", K.SUPERVISES)]
    g = graph(nodes, edges)
    found, links, truncated = g.neighbourhood("r0", hops=2, limit=100)
    ids = {g.data.ids[i] for i in found}
    assert len(found) == 100 and truncated
    assert {"r0", "boss", "hotline"} <= ids  # the specific ties come before the hub's crowd
    assert set(g.src[links]) | set(g.dst[links]) <= set(found.tolist())


def test_shortest_path_and_avoiding_a_hotline():
    nodes = [("a", "Person"), ("b", "Person"), ("hotline", "Phone"), ("x", "Person"), ("y", "Person")]
    nodes += [(f"s{i}", "Person") for i in range(30)]
    edges = [("a", "hotline", K.PHONE), ("b", "hotline", K.PHONE), ("a", "x", K.ASSOCIATE),
             ("x", "y", K.PAYMENT, 100.0), ("y", "b", K.FAMILY)] + [(f"s{i}", "hotline", K.PHONE) for i in range(30)]
    g = graph(nodes, edges)
    steps = g.shortest_path("a", "b")
    assert [g.data.ids[n] for n, _ in steps] == ["a", "hotline", "b"] and steps[0].edge is None
    around = g.shortest_path("a", "b", max_phone_degree=10)
    assert [g.data.ids[n] for n, _ in around] == ["a", "x", "y", "b"]
    assert [s.label for s in around[1:]] == ["associate", "payment", "family"]
    assert g.shortest_path("a", "a") == [(0, None)]
    lonely = graph([("p", "Person"), ("q", "Person"), ("r", "Person")], [("p", "q", K.ASSOCIATE)])
    assert lonely.shortest_path("p", "r") == []


def test_recruitment_chain_with_the_advert_it_came_through():
    nodes = [(x, "Person") for x in ("worker", "agent", "lead", "head", "boss")]
    nodes += [("ad", "Document"), ("phone:+66812345678", "Phone"), ("company", "Company")]
    edges = [("agent", "worker", K.RECRUITED), ("lead", "agent", K.RECRUITED), ("head", "lead", K.SUPERVISES),
             ("company", "head", K.EMPLOYMENT), ("boss", "head", K.SUPERVISES), ("boss", "company", K.OWNERSHIP),
             ("agent", "phone:+66812345678", K.PHONE), ("ad", "phone:+66812345678", K.PHONE)]
    g = graph(nodes, edges)
    steps = g.recruitment_chain("worker")
    assert [g.data.ids[n] for n, _ in steps] == ["worker", "ad", "agent", "lead", "head", "boss"]
    assert [s.label for s in steps] == ["", "phone", "recruited", "recruited", "supervises", "supervises"]


def test_recruitment_chain_from_a_rescued_worker_reaches_the_boss():
    workers = [(k, f"Worker {k}", "VNM") for k in range(1, 40)]
    world = generate_syndicates(seed=3, syndicates=2, workers=workers, missing=0.0)
    g = NetworkGraph(world.to_graph_data())
    for key in (1, 2, 3):
        wid = f"worker-{key}"
        steps = g.recruitment_chain(wid)
        assert g.data.ids[steps[-1].node] == world.bosses[world.syndicate_of[wid]]
        assert "recruited" in [s.label for s in steps]
    assert g.data.worker[g.index("worker-1")]


def test_communities_separate_two_syndicates():
    world = generate_syndicates(seed=5, syndicates=2, missing=0.0)
    g = NetworkGraph(world.to_graph_data())
    comm = g.communities()
    assert (comm == g.communities()).all()  # seeded
    # Each syndicate's leaders (boss, heads, finance) sit in one community, the two bosses in different ones.
    boss = [comm[g.index(b)] for b in world.bosses]
    assert boss[0] != boss[1]
    for s in (0, 1):
        leaders = [comm[g.index(o)] for o in world.organizers if world.syndicate_of[o] == s]
        assert np.mean(np.array(leaders) == boss[s]) >= 0.5


def test_centralities():
    g = graph([(x, "Person") for x in "abcd"], [("a", "b", K.ASSOCIATE), ("b", "c", K.ASSOCIATE),
                                                ("c", "d", K.ASSOCIATE)])
    assert g.betweenness().tolist() == [0.0, 2.0, 2.0, 0.0]
    pr = g.pagerank()
    assert pr.shape == (4,) and abs(pr.sum() - 1) < 1e-9
