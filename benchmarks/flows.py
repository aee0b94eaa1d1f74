"""``benchmarks/flows.py``: money flows on 10,000,000 transactions, with baselines measured in the same run.

1. ``analytics.flows.generator.generate_flows`` (seeded) writes the transactions as a canonical CSV, the
   known accounts (exchanges, casinos, guarantee marketplaces, cash desks, 40 % of the victims — those
   who complained —, opening dates of the mules and of 5 % of ordinary accounts) as an accounts CSV, and
   the planted truth, under benchmarks/out/flows_<n>_v<generator version>/ (git-ignored).
2. Child processes, each timed with its peak RSS (wait4), on a fresh SQLite database and flows directory:
   ``crossing flows import`` (target ≤ 90 s) beside the baseline DuckDB ``read_csv`` → Parquet copy of the
   same file with no checks; ``crossing flows detect`` (all detectors, target ≤ 120 s) beside one naive
   fan-in query; one trace (target ≤ 2 s): the index build, then p50/p95 of 20 victims' payments, beside a
   time-respecting reachability search without amounts on the same index; ``crossing flows rank``.
3. Quality against the planted truth: per typology, recall (planted instances whose hub — or, for cycles,
   any member — is in an alert of that typology) and precision (alerted accounts that take part in a
   planted instance of that typology, or in any ring for a looser reading); precision@10/@50 of the
   backbone ranking against the planted backbone.
4. A table, benchmarks/out/flows.json and, with ``--update-docs``, docs/flows-benchmarks.md.

Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
RESULTS = OUT / "flows.json"
DOCS = ROOT / "docs" / "flows-benchmarks.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from docs_section import replace_section  # noqa: E402
from run import _pct, machine, run_child  # noqa: E402

TRANSACTIONS = 10_000_000
KNOWN_VICTIMS_TENTHS = 4  # victims' accounts Crossing is told of (complaints), in tenths
IMPORT_TARGET_S, DETECT_TARGET_S, TRACE_TARGET_S = 90.0, 120.0, 2.0
DOCS_BEGIN, DOCS_END = "<!-- flows:results:begin -->", "<!-- flows:results:end -->"
BIN = ROOT / ".venv" / "bin"


def _python() -> str:
    return str(BIN / "python") if (BIN / "python").exists() else sys.executable


def _crossing() -> str:
    return str(BIN / "crossing") if (BIN / "crossing").exists() else "crossing"


# --------------------------------------------------------------------------- data on disk
def prepare(n: int, seed: int, folder: Path) -> dict:
    """Canonical CSV, accounts CSV and truth; reused when already there."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from analytics.flows.generator import generate_flows
    from analytics.flows.schema import ORDINARY, VICTIM

    folder.mkdir(parents=True, exist_ok=True)
    done = folder / "truth.json"
    if done.exists():
        return json.loads((folder / "generation.json").read_text())
    t0 = time.perf_counter()
    world = generate_flows(seed, transactions=n, rings=12)
    t1 = time.perf_counter()
    txns = world.txns
    canonical = txns.select(["txn_id", "ts", "src", "dst", "amount", "currency", "channel", "source"]).rename_columns(
        ["txn_id", "timestamp", "from_account", "to_account", "amount", "currency", "channel", "source"])
    canonical = canonical.set_column(1, "timestamp", pc.strftime(canonical["timestamp"], "%Y-%m-%dT%H:%M:%S"))
    pacsv.write_csv(canonical, folder / "canonical.csv")
    accounts = world.accounts.filter(pc.or_(pc.not_equal(world.accounts["kind"], ORDINARY),
                                            pc.is_valid(world.accounts["opened"])))
    # Crossing is told of the victims who complained, not of every victim: 40 % of them, fixed by a hash
    known = [a != VICTIM or int(hashlib.sha256(n.encode()).hexdigest(), 16) % 10 < KNOWN_VICTIMS_TENTHS
             for n, a in zip(accounts["account"].to_pylist(), accounts["kind"].to_pylist(), strict=True)]
    accounts = accounts.filter(pa.array(known))
    accounts = accounts.set_column(2, "opened", pc.strftime(accounts["opened"], "%Y-%m-%dT%H:%M:%S"))
    pacsv.write_csv(accounts.select(["account", "kind", "label", "opened"]), folder / "accounts.csv")
    done.write_text(json.dumps(world.truth, default=str))
    info = {"generate_s": t1 - t0, "write_s": time.perf_counter() - t1, "rows": txns.num_rows,
            "csv_mb": (folder / "canonical.csv").stat().st_size / 1e6, "accounts": accounts.num_rows}
    (folder / "generation.json").write_text(json.dumps(info))
    return info


def _env(tmp: Path) -> dict:
    env = dict(os.environ, CROSSING_ENV="dev", DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
               CROSSING_FLOWS_DIR=str(tmp / "flows"), CROSSING_REQUIRE_2FA="false")
    env.pop("PYTEST_VERSION", None)
    return env


# --------------------------------------------------------------------------- children
CHILD_BASELINE_IMPORT = """
import duckdb, sys, time
con = duckdb.connect(); con.execute("SET TimeZone='UTC'")
t = time.perf_counter()
con.execute(f"COPY (SELECT * FROM read_csv('{sys.argv[1]}', header=true, all_varchar=true)) TO '{sys.argv[2]}' (FORMAT parquet)")
print(time.perf_counter() - t)
"""

CHILD_BASELINE_DETECT = """
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup()
from crossing.flows import store
con = store.connect()
t = time.perf_counter()
n = con.execute(\"\"\"SELECT count(*) FROM (SELECT dst, date_trunc('day', ts) d, count(DISTINCT src) k FROM txns
                   GROUP BY 1, 2 HAVING count(DISTINCT src) >= 5)\"\"\").fetchall()[0][0]
print(time.perf_counter() - t, n)
"""

CHILD_TRACE = """
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup()
import numpy as np
from analytics.flows.trace import trace
from crossing.flows import selectors
seeds = json.loads(sys.argv[1])
t = time.perf_counter(); index = selectors.index(); build = time.perf_counter() - t
times, conserved, cashout = [], 0, 0
for s in seeds:
    t = time.perf_counter(); r = trace(index, s); times.append(time.perf_counter() - t)
    conserved += r.conserved["ok"]; cashout += bool(r.cashouts)
# Baseline: time-respecting reachability from the same payments, no amounts (a BFS over the same index).
base = []
term = index.terminal
for s in seeds:
    t = time.perf_counter()
    p = index.position(s); frontier = [(int(index.dst[p]), int(index.ts[p]))]; seen = {frontier[0][0]}
    while frontier:
        a, since = frontier.pop()
        lo, hi = index.out_ptr[a], index.out_ptr[a + 1]
        for q in index.out_pos[lo:hi]:
            if index.ts[q] > since and int(index.dst[q]) not in seen and not term[int(index.dst[q])]:
                seen.add(int(index.dst[q])); frontier.append((int(index.dst[q]), int(index.ts[q])))
    base.append(time.perf_counter() - t)
print(json.dumps({"build_s": build, "trace_s": times, "baseline_s": base, "conserved": conserved,
                  "reached_cashout": cashout, "index_mb": index.nbytes() / 1e6}))
"""


CHILD_LEARN = """
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup()
import numpy as np
import pyarrow.csv as pacsv
from analytics.flows import learning
from crossing.flows import store
truth = json.loads(open(sys.argv[1]).read())
alerts = pacsv.read_csv(sys.argv[2])
con = store.connect()
t = time.perf_counter(); table = learning.account_features(con, alerts); features_s = time.perf_counter() - t
# Baseline ranking: accounts (not victims, not cash-out points) by the USD they received.
volume = [r[0] for r in con.execute(\"\"\"SELECT dst FROM txns WHERE dst NOT IN (SELECT account FROM accounts
    WHERE kind <> 'account') GROUP BY dst ORDER BY sum(amount_usd) DESC LIMIT 50\"\"\").fetchall()]
ring_of = {a: ring for ring, r in truth["rings"].items() for key in ("mules", "layering", "brokers", "collectors")
           for a in r[key]}
accounts = table.column("account").to_pylist()
y = np.array([int(a in ring_of) for a in accounts])
groups = np.array([ring_of.get(a, "bg%d" % (i % 12)) for i, a in enumerate(accounts)])
out = {"accounts": len(accounts), "positives": int(y.sum()), "features_s": features_s, "volume_top50": volume}
for name, cols in (("raw", learning.columns("raw")), ("graph", learning.columns("graph", False)),
                   ("graph_patterns", learning.columns("graph", True))):
    t = time.perf_counter(); m, _, _ = learning.cross_validate(learning.matrix(table, cols), y, groups)
    out[name] = m.to_dict() | {"seconds": time.perf_counter() - t}
print(json.dumps(out))
"""


def _last_json(child: dict):
    for line in reversed(child["stdout"]):
        line = line.strip()
        if line.startswith(("{", "[")):
            return json.loads(line)
    return None


def measure(folder: Path, truth: dict, seeds: list[str]) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="crossing-flows-bench-"))
    env = _env(tmp)
    out: dict = {}
    try:
        import subprocess

        subprocess.run([_crossing(), "migrate", "--no-input"], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
        csv_path = folder / "canonical.csv"
        out["import"] = run_child([_crossing(), "flows", "import", str(csv_path), "--format", "canonical"], env)
        out["baseline_import"] = run_child([_python(), "-c", CHILD_BASELINE_IMPORT, str(csv_path),
                                            str(tmp / "baseline.parquet")], env)
        out["accounts"] = run_child([_crossing(), "flows", "accounts", str(folder / "accounts.csv")], env)
        alerts = tmp / "alerts.csv"
        out["detect"] = run_child([_crossing(), "flows", "detect", "--out", str(alerts)], env)
        out["baseline_detect"] = run_child([_python(), "-c", CHILD_BASELINE_DETECT], env)
        out["trace"] = run_child([_python(), "-c", CHILD_TRACE, json.dumps(seeds)], env)
        out["trace_cli"] = run_child([_crossing(), "flows", "trace", seeds[0]], env)  # the index is on disk now
        out["rank"] = run_child([_crossing(), "flows", "rank", "--top", "50", "--format", "json"], env)
        out["learn"] = run_child([_python(), "-c", CHILD_LEARN, str(folder / "truth.json"), str(alerts)], env)
        labels = tmp / "labels.csv"  # what banks report: the rings' first-hop mule accounts
        labels.write_text("account,label,group\n" + "".join(f"{a},1,{ring}\n" for ring, r in truth["rings"].items()
                                                              for a in r["mules"]), encoding="utf-8")
        out["learn_cli"] = run_child([_crossing(), "flows", "learn", "--labels", str(labels), "--out",
                                      str(tmp / "scores.csv")], env)
        out["learn_cli"]["flagged"] = _flagged(tmp / "scores.csv", truth)
        out["quality"] = quality(alerts, truth)
        learned = _last_json(out["learn"]) or {}
        out["ranking_quality"] = ranking_quality(_last_rank(out["rank"]), truth, tmp)
        out["baseline_ranking_quality"] = ranking_quality([{"account": a} for a in learned.get("volume_top50", [])],
                                                          truth, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for key in list(out):
        if isinstance(out[key], dict) and "stdout" in out[key]:
            out[key] = {k: v for k, v in out[key].items() if k not in ("stdout", "stderr")} | {
                "stdout_tail": out[key]["stdout"][-3:]}
    return out


def _flagged(scores_csv: Path, truth: dict) -> dict:
    """Of the accounts ``flows learn`` flagged, how many are ring accounts that were not among its labels."""
    ring = {a for r in truth["rings"].values() for key in ("mules", "layering", "brokers", "collectors") for a in r[key]}
    mules = {a for r in truth["rings"].values() for a in r["mules"]}
    if not scores_csv.exists():
        return {}
    rows = list(csv.DictReader(open(scores_csv, encoding="utf-8")))  # best first
    flagged = [r["account"].lstrip("'") for r in rows if r["flagged"] == "1"]
    new = [a for a in flagged if a not in mules]
    leads = [r["account"].lstrip("'") for r in rows if r["account"].lstrip("'") not in mules][:100]
    return {"flagged": len(flagged), "not_labelled": len(new), "ring_not_labelled": sum(a in ring for a in new),
            "ring_not_labelled_total": len(ring - mules),
            "leads_precision@100": sum(a in ring for a in leads) / len(leads) if leads else None}


def _last_rank(child: dict) -> list[dict]:
    text = "\n".join(child["stdout"])
    try:
        return json.loads(text)
    except ValueError:
        return []


# --------------------------------------------------------------------------- quality
def quality(alerts_csv: Path, truth: dict) -> dict:
    flagged: dict[str, set[str]] = {}
    with open(alerts_csv, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            flagged.setdefault(row["typology"], set()).add(row["account"].lstrip("'"))
    ring_accounts = set()
    for ring in truth["rings"].values():
        for key in ("mules", "layering", "collectors"):
            ring_accounts |= set(ring.get(key, []))
    out = {}
    for typology, instances in truth["typologies"].items():
        got = flagged.get(typology, set())
        members = set().union(*(set(i["accounts"]) for i in instances)) if instances else set()
        found = 0
        for inst in instances:
            targets = {inst["hub"]} if inst.get("hub") else set(inst["accounts"])
            found += bool(targets & got)
        out[typology] = {"planted": len(instances), "recall": found / len(instances) if instances else None,
                         "alerted_accounts": len(got),
                         "precision": len(got & members) / len(got) if got else None,
                         "precision_any_ring": len(got & (members | ring_accounts)) / len(got) if got else None}
    return out


def ranking_quality(ranked: list[dict], truth: dict, tmp: Path) -> dict:
    planted = [b["account"] for b in truth["backbone"]]
    mine = [r["account"] for r in ranked]
    out = {f"precision@{k}": len(set(mine[:k]) & set(planted[: max(k, 50)])) / k if mine else None for k in (10, 50)}
    out["collectors_in_top10"] = len(set(mine[:10]) & {a for r in truth["rings"].values() for a in r["collectors"]})
    out["planted_backbone"] = len(planted)
    return out


# --------------------------------------------------------------------------- report
def report(gen: dict, m: dict, n: int) -> list[str]:
    failed = [k for k, v in m.items() if isinstance(v, dict) and v.get("exit_code") not in (None, 0)]
    if failed:  # a failed step is said, not shown as figures
        return [f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: FAILED steps: " + ", ".join(
            f"{k} (exit {m[k]['exit_code']}: {' | '.join(m[k].get('stderr_tail', [])[-2:])})" for k in failed)]
    trace = _last_json(m["trace"]) if "stdout_tail" not in m["trace"] else json.loads(m["trace"]["stdout_tail"][-1])
    base_import = float(m["baseline_import"]["stdout_tail"][-1]) if m["baseline_import"]["stdout_tail"] else None
    base_detect = m["baseline_detect"]["stdout_tail"][-1].split() if m["baseline_detect"]["stdout_tail"] else None
    t95, b95 = _pct(trace["trace_s"], 0.95), _pct(trace["baseline_s"], 0.95)

    def ok(value, target):
        return "pass" if value <= target else "**miss**"

    lines = [
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`benchmarks/flows.py`), {n:,} transactions "
        f"({gen['csv_mb']:.0f} MB canonical CSV, generated in {gen['generate_s']:.1f} s).", "",
        "| step | target | measured | peak RSS | baseline (same run) | result |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| `crossing flows import` (parse, check every cell, dedupe, write Parquet) | ≤ {IMPORT_TARGET_S:.0f} s | "
        f"{m['import']['seconds']:.1f} s | {m['import']['peak_rss_mb']:.0f} MB | DuckDB CSV → Parquet copy, no checks: "
        f"{base_import:.1f} s ({m['baseline_import']['peak_rss_mb']:.0f} MB) | {ok(m['import']['seconds'], IMPORT_TARGET_S)} |",
        f"| `crossing flows detect` (nine detectors, alerts CSV) | ≤ {DETECT_TARGET_S:.0f} s | {m['detect']['seconds']:.1f} s | "
        f"{m['detect']['peak_rss_mb']:.0f} MB | one naive fan-in query (distinct senders per account-day): "
        f"{float(base_detect[0]):.1f} s | {ok(m['detect']['seconds'], DETECT_TARGET_S)} |",
        f"| one trace, FIFO, 20 victims' payments (index built once) | ≤ {TRACE_TARGET_S:.0f} s | p50 "
        f"{_pct(trace['trace_s'], 0.5) * 1000:.0f} ms, p95 {t95 * 1000:.0f} ms | — | reachability without amounts: p95 "
        f"{b95 * 1000:.0f} ms | {ok(t95, TRACE_TARGET_S)} |",
        f"| building the trace index and writing it to disk (once per data change) | — | {trace['build_s']:.1f} s "
        f"({trace['index_mb']:.0f} MB) | — | — | — |",
        f"| `crossing flows trace` as a fresh process (index memory-mapped from disk) | — | {m['trace_cli']['seconds']:.1f} s | "
        f"{m['trace_cli']['peak_rss_mb']:.0f} MB | — | — |",
        f"| `crossing flows rank --top 50` as a fresh process | — | {m['rank']['seconds']:.1f} s | "
        f"{m['rank']['peak_rss_mb']:.0f} MB | — | — |", "",
        f"Traces: {trace['conserved']}/20 conserved amounts exactly, {trace['reached_cashout']}/20 reached a cash-out point.",
        "", "Detection quality against the planted truth:", "",
        "| typology | planted | recall | alerted accounts | precision | precision (any ring account) |",
        "| --- | --- | --- | --- | --- | --- |"]
    for typ, q in sorted(m["quality"].items()):
        def pct(x):
            return "—" if x is None else f"{x:.2f}"
        lines.append(f"| {typ} | {q['planted']} | {pct(q['recall'])} | {q['alerted_accounts']} | {pct(q['precision'])} | "
                     f"{pct(q['precision_any_ring'])} |")
    rq, bq = m["ranking_quality"], m.get("baseline_ranking_quality", {})
    lines += ["", f"Backbone ranking against the planted backbone ({rq['planted_backbone']} accounts): precision@10 "
              f"{rq['precision@10']}, precision@50 {rq['precision@50']}; collectors in the top 10: "
              f"{rq['collectors_in_top10']}. Baseline in the same run, accounts by the USD they received: "
              f"precision@10 {bq.get('precision@10')}, precision@50 {bq.get('precision@50')}."]
    learned = _last_json(m["learn"]) if "stdout_tail" not in m["learn"] else json.loads(m["learn"]["stdout_tail"][-1])
    if learned:
        lines += ["", f"Learned score (`analytics/flows/learning.py`, gradient-boosted trees; labels: the "
                  f"{learned['positives']} ring accounts among {learned['accounts']:,} scored accounts; 4 folds, whole "
                  f"rings held out; threshold chosen on the training side): minority-class figures out of fold, "
                  f"features computed in {learned['features_s']:.1f} s.", "",
                  "| features | precision | recall | F1 | cross-validation time |", "| --- | --- | --- | --- | --- |"]
        for key, label in (("raw", "raw (each account's own transfers; the baseline)"),
                           ("graph", "raw + graph"), ("graph_patterns", "raw + graph + detector pattern scores")):
            r = learned[key]
            lines.append(f"| {label} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['seconds']:.1f} s |")
        fl = m["learn_cli"].get("flagged", {})
        lines += ["", f"`crossing flows learn` with only the rings' mule accounts as labels (what banks report): "
                  f"{m['learn_cli']['seconds']:.1f} s, peak {m['learn_cli']['peak_rss_mb']:.0f} MB; it flagged "
                  f"{fl.get('not_labelled')} accounts beyond its labels, {fl.get('ring_not_labelled')} of them ring "
                  f"accounts (of {fl.get('ring_not_labelled_total')} unlabelled ring accounts); of the 100 best-scored "
                  f"accounts outside its labels, a share of {fl.get('leads_precision@100')} are ring accounts (layering "
                  "accounts, brokers, collectors: leads the labels did not name)."]
    lines += ["",
              f"Machine: {machine().get('nproc')} CPUs ({machine().get('cpu', '')}), {machine().get('memory_gb')} GB."]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=TRANSACTIONS)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    from analytics.flows.generator import GENERATOR_VERSION

    folder = OUT / f"flows_{args.transactions}_v{GENERATOR_VERSION}"
    gen = prepare(args.transactions, args.seed, folder)
    truth = json.loads((folder / "truth.json").read_text())
    seeds = truth["victim_payments"][:: max(1, len(truth["victim_payments"]) // 20)][:20]
    m = measure(folder, truth, seeds)
    RESULTS.write_text(json.dumps({"generation": gen, **m}, indent=1, default=str))
    lines = report(gen, m, args.transactions)
    print("\n".join(lines))
    if args.update_docs:
        replace_section(DOCS, DOCS_BEGIN, DOCS_END, lines, "Money flows benchmarks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
