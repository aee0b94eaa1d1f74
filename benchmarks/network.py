"""``benchmarks/network.py``: the network-intelligence engine on a 1,000,000-node / 5,000,000-edge graph.

1. ``analytics.network.syndicates.scale_graph`` builds the graph (seeded; about 600 syndicates calibrated
   on scenario-facts sections 8-10, 10 % of links missing, scam chats and associates as noise) and saves
   its arrays to benchmarks/out/ (git-ignored).
2. Child process ``--child rank`` (wall time and peak RSS via wait4): load the arrays, build
   ``NetworkGraph``, ``rank_organizers(top=500)`` — what a worker does after every graph change.
3. Child process ``--child queries``: two-hop neighbourhood latency (p50/p95 over 100 random nodes, and
   the biggest hub) beside igraph's unbounded ``neighborhood(order=2)`` as the baseline; PageRank alone;
   precision@10/@50/@500 of the ranking against the planted organizers (boss, heads, chief financiers),
   beside degree, directed and undirected
   PageRank and sampled betweenness over the same ranked schemata.
4. A table, benchmarks/out/network.json and, with ``--update-docs``, docs/network-benchmarks.md.

Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
RESULTS = OUT / "network.json"
DOCS = ROOT / "docs" / "network-benchmarks.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from docs_section import replace_section  # noqa: E402
from run import _pct, machine, run_child  # noqa: E402

NODES, EDGES = 1_000_000, 5_000_000
RANK_TARGET_S, HOOD_TARGET_MS = 60.0, 200.0
DOCS_BEGIN, DOCS_END = "<!-- network:results:begin -->", "<!-- network:results:end -->"


# --------------------------------------------------------------------------- the graph on disk
def save(path: Path, data, planted: np.ndarray) -> None:
    table = sorted(set(data.schemata))
    code = {s: i for i, s in enumerate(table)}
    np.savez(path, src=data.src, dst=data.dst, kind=data.kind, amount=data.amount, official=data.official,
             worker=data.worker, schema=np.fromiter((code[s] for s in data.schemata), np.int8, data.node_count),
             table=np.array(table), ids=np.array(data.ids), names=np.array(data.names), planted=planted,
             role=data.meta["role"])


def load(path: Path):
    from analytics.network.graphdata import GraphData

    z = np.load(path)
    table = z["table"].tolist()
    data = GraphData(ids=z["ids"].tolist(), schemata=[table[i] for i in z["schema"].tolist()],
                     names=z["names"].tolist(), src=z["src"], dst=z["dst"], kind=z["kind"], amount=z["amount"],
                     official=z["official"], worker=z["worker"])
    data.meta["role"] = z["role"]
    return data, z["planted"]


# --------------------------------------------------------------------------- children
def child_rank(path: Path) -> dict:
    from analytics.network.engine import NetworkGraph
    from analytics.network.ranking import rank_organizers

    t0 = time.perf_counter()
    data, planted = load(path)
    t1 = time.perf_counter()
    graph = NetworkGraph(data)
    t2 = time.perf_counter()
    top = rank_organizers(graph, top=500)
    t3 = time.perf_counter()
    return {"load_s": t1 - t0, "build_s": t2 - t1, "rank_s": t3 - t2, "build_rank_s": t3 - t1,
            "top": [graph.index(r.id) for r in top], "example": [r.__dict__ for r in top[:3]]}


KS = (10, 50, 500)


def _precision(order, planted: set, k: int) -> float:
    return sum(int(i) in planted for i in order[:k]) / k


def _roles(order, role: np.ndarray) -> dict[str, int]:
    """Who a method puts in its top 50, by planted role."""
    from analytics.network.syndicates import ROLE_NAMES

    names, counts = np.unique([ROLE_NAMES[r] for r in role[np.asarray(order[:50], dtype=np.int64)]], return_counts=True)
    return dict(sorted(zip(names.tolist(), counts.tolist(), strict=True), key=lambda x: -x[1]))


def child_queries(path: Path, top: list[int]) -> dict:
    from analytics.network.engine import NetworkGraph
    from analytics.network.vocabulary import RANKED_SCHEMATA

    data, planted_arr = load(path)
    graph = NetworkGraph(data)
    rng = np.random.default_rng(42)
    sample = rng.integers(0, data.node_count, 100)
    hub = int(np.argmax(graph.degree))
    res: dict = {"hub": {"id": data.ids[hub], "schema": data.schemata[hub], "degree": int(graph.degree[hub])}}
    ours, sizes = [], []
    for i in sample:
        t = time.perf_counter()
        nodes, _edges, _cut = graph.neighbourhood(data.ids[i], hops=2, limit=500)
        ours.append((time.perf_counter() - t) * 1000)
        sizes.append(len(nodes))
    t = time.perf_counter()
    nodes, edges, cut = graph.neighbourhood(data.ids[hub], hops=2, limit=500)
    res["neighbourhood"] = {"p50_ms": _pct(ours, 0.5), "p95_ms": _pct(ours, 0.95), "max_ms": max(ours),
                            "hub_ms": (time.perf_counter() - t) * 1000, "hub_nodes": len(nodes),
                            "hub_edges": len(edges), "hub_truncated": bool(cut), "mean_nodes": float(np.mean(sizes))}
    t = time.perf_counter()
    ig_graph = graph.igraph
    res["igraph_build_s"] = time.perf_counter() - t
    base = []
    for i in sample:
        t = time.perf_counter()
        ig_graph.neighborhood(int(i), order=2, mode="all")
        base.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    hub_hood = ig_graph.neighborhood(hub, order=2, mode="all")
    res["baseline_neighbourhood"] = {"p50_ms": _pct(base, 0.5), "p95_ms": _pct(base, 0.95), "max_ms": max(base),
                                     "hub_ms": (time.perf_counter() - t) * 1000, "hub_nodes": len(hub_hood)}
    t = time.perf_counter()
    pagerank = graph.pagerank()
    res["pagerank_s"] = time.perf_counter() - t
    undirected = graph.pagerank(directed=False)
    t = time.perf_counter()
    betweenness = graph.betweenness(samples=16)
    res["betweenness_s"], res["betweenness_samples"] = time.perf_counter() - t, 16
    ranked = np.array([s in RANKED_SCHEMATA for s in data.schemata])
    planted = set(planted_arr.tolist())
    res["planted"], res["ranked_nodes"] = len(planted), int(ranked.sum())
    role = data.meta["role"]
    res["precision"] = {"ranking": {str(k): _precision(top, planted, k) for k in KS}}
    res["top50_roles"] = {"ranking": _roles(top, role)}
    for name, score in (("degree", graph.degree.astype(float)), ("pagerank", pagerank),
                        ("pagerank_undirected", undirected), ("betweenness", betweenness)):
        order = np.argsort(-np.where(ranked, score, -np.inf), kind="stable")[:max(KS)]
        res["precision"][name] = {str(k): _precision(order, planted, k) for k in KS}
        res["top50_roles"][name] = _roles(order, role)
    return res


# --------------------------------------------------------------------------- report
def figures_rows(res: dict) -> list[list[str]]:
    r, q = res["rank"], res["queries"]
    hood, base = q["neighbourhood"], q["baseline_neighbourhood"]
    ok = lambda good: "met" if good else "missed"  # noqa: E731
    return [
        ["build `NetworkGraph` + `rank_organizers(top=500)`", f"≤ {RANK_TARGET_S:.0f} s",
         f"{r['build_rank_s']:.1f} s (build {r['build_s']:.1f}, rank {r['rank_s']:.1f}; load {r['load_s']:.1f})",
         ok(r["build_rank_s"] <= RANK_TARGET_S)],
        ["peak RSS of that child (load + build + rank)", "reported", f"{res['rank_child']['peak_rss_mb']:,.0f} MB", ""],
        ["two-hop neighbourhood (limit 500), p50 / p95 of 100 random nodes", f"≤ {HOOD_TARGET_MS:.0f} ms",
         f"{hood['p50_ms']:.2f} / {hood['p95_ms']:.2f} ms (max {hood['max_ms']:.1f})",
         ok(hood["p95_ms"] <= HOOD_TARGET_MS)],
        [f"same, biggest hub ({q['hub']['schema']}, degree {q['hub']['degree']:,})", f"≤ {HOOD_TARGET_MS:.0f} ms",
         f"{hood['hub_ms']:.1f} ms, {hood['hub_nodes']} nodes, truncated={hood['hub_truncated']}",
         ok(hood["hub_ms"] <= HOOD_TARGET_MS)],
        ["baseline: igraph `neighborhood(order=2)`, unbounded, p50 / p95", "reported",
         f"{base['p50_ms']:.2f} / {base['p95_ms']:.2f} ms (max {base['max_ms']:.1f})", ""],
        ["baseline: same, biggest hub", "reported", f"{base['hub_ms']:.1f} ms, {base['hub_nodes']:,} nodes", ""],
        ["baseline: igraph PageRank alone (graph already built)", "reported",
         f"{q['pagerank_s']:.1f} s (+ {q['igraph_build_s']:.1f} s igraph build)", ""],
    ]


def precision_rows(res: dict) -> list[list[str]]:
    p = res["queries"]["precision"]
    labels = {"ranking": "**rank_organizers** (control, money, insulation)", "degree": "degree",
              "pagerank": "PageRank (directed: edges point down the command chain and along the money)",
              "pagerank_undirected": "PageRank (undirected)",
              "betweenness": f"betweenness ({res['queries']['betweenness_samples']} sampled sources)"}
    roles = res["queries"]["top50_roles"]
    return [[labels[name], *(f"{p[name][str(k)]:.2f}" for k in KS), ", ".join(f"{n} {c}" for n, c in roles[name].items())]
            for name in labels]


def print_report(res: dict) -> None:
    g = res["graph"]
    print(f"\ngraph: {g['nodes']:,} nodes, {g['edges']:,} edges, {g['syndicates']} syndicates, "
          f"{g['planted']:,} planted organizers; generated in {g['generate_s']:.1f} s")
    for row in figures_rows(res):
        print(f"  {row[0]:<72} {row[2]:<60} {row[3]}")
    print(f"  {'precision against the planted organizers':<72} {'@10':>6} {'@50':>6} {'@500':>6}  top 50 by role")
    for row in precision_rows(res):
        print(f"  {row[0][:72]:<72} {row[1]:>6} {row[2]:>6} {row[3]:>6}  {row[4]}")


def update_docs(res: dict) -> None:
    m, g = res["machine"], res["graph"]
    lines = ["", f"Run of {res['started']} (`benchmarks/network.py {' '.join(res['argv'])}`): {g['nodes']:,} nodes, "
             f"{g['edges']:,} edges, {g['syndicates']} syndicates, {g['planted']:,} planted organizers among "
             f"{res['queries']['ranked_nodes']:,} ranked nodes (Person / Company); graph generated in "
             f"{g['generate_s']:.1f} s.", "",
             "| metric | target | measured | result |", "| --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(r)} |" for r in figures_rows(res)]
    lines += ["", "Precision@k against the planted organizers (the same ranked schemata for every method):", "",
              "| method | precision@10 | precision@50 | precision@500 | top 50 by planted role |",
              "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(r)} |" for r in precision_rows(res)]
    ex = res["rank"]["example"][0] if res["rank"]["example"] else None
    if ex:
        lines += ["", f"First of the ranking: `{ex['id']}` ({ex['name']}), score {ex['score']}: "
                      + "; ".join(ex["reasons"]) + "."]
    lines += ["", f"Machine: {m.get('nproc')} CPUs, {m.get('memory_gb')} GB RAM, {m.get('platform')}, "
                  f"Python {m.get('python')}; igraph {res['igraph']}, numpy {np.__version__}.", ""]
    replace_section(DOCS, DOCS_BEGIN, DOCS_END, lines, "Network intelligence benchmarks")


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=NODES)
    ap.add_argument("--edges", type=int, default=EDGES)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--update-docs", action="store_true", help="write the figures into docs/network-benchmarks.md")
    ap.add_argument("--child", choices=["rank", "queries"], help=argparse.SUPPRESS)
    ap.add_argument("--graph", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--top", default="", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child == "rank":
        print(json.dumps(child_rank(args.graph), default=str))
        return 0
    if args.child == "queries":
        print(json.dumps(child_queries(args.graph, [int(x) for x in args.top.split(",") if x])))
        return 0

    import igraph

    from analytics.network.syndicates import scale_graph

    OUT.mkdir(parents=True, exist_ok=True)
    res: dict = {"started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "argv": argv, "machine": machine(),
                 "igraph": igraph.__version__}
    t = time.perf_counter()
    data, planted = scale_graph(nodes=args.nodes, edges=args.edges, seed=args.seed)
    res["graph"] = {"nodes": data.node_count, "edges": data.edge_count, "syndicates": data.meta["syndicates"],
                    "planted": len(planted), "generate_s": time.perf_counter() - t}
    path = OUT / f"network_{args.nodes}_{args.edges}.npz"
    save(path, data, planted)
    del data
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--graph", str(path)]
    print(f"measured: build + rank ({args.nodes:,} nodes, {args.edges:,} edges)", flush=True)
    rank_child = run_child([*cmd, "--child", "rank"], env)
    if rank_child["exit_code"] != 0:
        print("the rank child failed:\n  " + "\n  ".join(rank_child["stderr_tail"]), file=sys.stderr)
        return 1
    res["rank"] = json.loads(rank_child["stdout"][-1])
    res["rank_child"] = {k: rank_child[k] for k in ("seconds", "peak_rss_mb", "user_s", "sys_s", "exit_code")}
    print("measured: neighbourhoods, baselines, precision", flush=True)
    top = ",".join(str(i) for i in res["rank"]["top"])
    queries = run_child([*cmd, "--child", "queries", "--top", top], env)
    if queries["exit_code"] != 0:
        print("the queries child failed:\n  " + "\n  ".join(queries["stderr_tail"]), file=sys.stderr)
        return 1
    res["queries"] = json.loads(queries["stdout"][-1])
    res["queries_child"] = {k: queries[k] for k in ("seconds", "peak_rss_mb", "exit_code")}
    RESULTS.write_text(json.dumps(res, indent=2, default=str, ensure_ascii=False))
    print_report(res)
    if args.update_docs:
        update_docs(res)
        print(f"figures written to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
