"""``make bench``: import speed/memory and name-search latency, each next to a baseline timed in the same run.

1. Generate a canonical import CSV of N synthetic people (benchmarks/out/, git-ignored).
2. Floor: ``sqlite3 <tmp.db> .mode csv ".import FILE people"`` on the same file.
3. Measured: fresh scratch SQLite DB, ``crossing migrate``, then ``crossing registry import FILE`` as a
   child process (wall time, peak RSS of the child via wait4, exit code, people count afterwards).
4. Search: ~300 name searches through ``crossing.registry.selectors.person_list`` as the system actor,
   with an indexed reference lookup and a naive ``icontains`` scan for the same queries as baselines.
5. A table (target / measured / baseline / pass), benchmarks/out/results.json, and with
   ``--update-docs`` the figures section of docs/benchmarks.md.

Targets are reported, never asserted: the command exits 0 unless something failed to run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess  # noqa: S404
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DOCS = ROOT / "docs" / "benchmarks.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from canonical_csv import write_csv  # noqa: E402
from docs_section import replace_section  # noqa: E402

IMPORT_SECONDS_TARGET = 60.0
IMPORT_RSS_TARGET_MB = 1536.0  # 1.5 GB
SEARCH_P95_TARGET_MS = 100.0
DOCS_BEGIN, DOCS_END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"


def _bin(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here if here.exists() else ROOT / ".venv" / "bin" / name)


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=f"sqlite:///{db}", CROSSING_ENV="dev", DJANGO_SETTINGS_MODULE="config.settings")
    return env


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50_ms": _pct(ms, 0.50), "p95_ms": _pct(ms, 0.95), "p99_ms": _pct(ms, 0.99),
            "max_ms": max(ms) if ms else float("nan"), "mean_ms": statistics.fmean(ms) if ms else float("nan")}


def _remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


# --------------------------------------------------------------------------- machine
def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "sqlite_python": sqlite3.sqlite_version,
            "platform": platform.platform()}
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        pass
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1])
        info["memory_gb"] = round(kb / 1024 / 1024, 1)
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
        info["cpu"] = cpu
    except (OSError, StopIteration, ValueError):
        pass
    git = shutil.which("git")
    if git:
        head = subprocess.run([git, "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,  # noqa: S603
                              check=False).stdout.strip()
        dirty = subprocess.run([git, "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],  # noqa: S603
                               capture_output=True, text=True, check=False).stdout.strip()
        info["commit"] = f"{head}{' + uncommitted changes' if dirty else ''}"
    cli = shutil.which("sqlite3")
    if cli:
        out = subprocess.run([cli, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
        info["sqlite_cli"] = out.stdout.split()[0] if out.stdout else "?"
    else:
        info["sqlite_cli"] = None
    return info


# --------------------------------------------------------------------------- floor
def floor_import(csv_path: Path) -> dict:
    cli = shutil.which("sqlite3")
    if not cli:
        return {"available": False, "note": "sqlite3 CLI not found: install it (Debian: apt-get install -y sqlite3) "
                                            "to time the floor"}
    db = OUT / "floor.sqlite3"
    _remove_db(db)
    start = time.perf_counter()
    proc = subprocess.run([cli, str(db), ".mode csv", f".import {csv_path} people"],  # noqa: S603
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    rows = None
    if proc.returncode == 0:
        with sqlite3.connect(db) as con:
            rows = con.execute("SELECT count(*) FROM people").fetchone()[0]
    _remove_db(db)
    return {"available": True, "seconds": seconds, "rows": rows, "exit_code": proc.returncode,
            "stderr": proc.stderr[-2000:]}


# --------------------------------------------------------------------------- measured import
def tree_rss_mb(pid: int) -> float:
    """Sum of the RSS of ``pid`` and its descendants now (from /proc; 0 where unavailable)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_child(cmd: list[str], env: dict, *, sample_tree: bool = False) -> dict:
    """Run ``cmd`` from the repository root: wall time, peak RSS (wait4 rusage of this child), exit code,
    stdout lines and stderr lines stamped with time and RSS. ``sample_tree`` also samples the summed
    RSS of the child and its worker processes every 50 ms (wait4 reports only the largest process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # noqa: S603
                            text=True, errors="replace")
    stdout_lines: list[str] = []
    stderr_lines: list[tuple[float, str, float | None]] = []

    def rss_mb() -> float | None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            return int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]) / 1024
        except (OSError, StopIteration, ValueError):
            return None

    def pump(stream, sink, stamped):  # both pipes are drained, so a chatty child never blocks
        for line in stream:
            sink.append((time.perf_counter() - start, line.rstrip(), rss_mb()) if stamped else line.rstrip())

    threads = [threading.Thread(target=pump, args=(proc.stdout, stdout_lines, False), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, stderr_lines, True), daemon=True)]
    for t in threads:
        t.start()
    tree_max = 0.0
    if sample_tree:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree_max = max(tree_max, tree_rss_mb(proc.pid))
            time.sleep(0.05)
    else:
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join()
    out = {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024, "exit_code": proc.returncode,
           "user_s": usage.ru_utime, "sys_s": usage.ru_stime, "stdout": stdout_lines, "stderr": stderr_lines,
           "stderr_tail": [line for _t, line, _rss in stderr_lines[-10:]]}
    if sample_tree:
        out["tree_rss_sampled_mb"] = tree_max
    return out


def measured_import(csv_path: Path, db: Path) -> dict:
    _remove_db(db)
    env = _env(db)
    start = time.perf_counter()
    mig = subprocess.run([_bin("crossing"), "migrate", "--no-input"], env=env, capture_output=True, text=True,  # noqa: S603
                         check=False)
    migrate_s = time.perf_counter() - start
    if mig.returncode != 0:
        return {"ok": False, "error": f"migrate failed: {mig.stderr[-2000:]}"}
    child = run_child([_bin("crossing"), "registry", "import", str(csv_path)], env)
    # Phases from the command's non-tty progress lines ("validate: N rows" / "write: N rows").
    phases: dict[str, dict] = {}
    for t, line, rss in child["stderr"]:
        stage = line.split(":", 1)[0]
        if stage in {"validate", "write"}:
            ph = phases.setdefault(stage, {"first_tick_s": t, "rss_first_tick_mb": rss})
            ph.update(last_tick_s=t, rss_last_tick_mb=rss)
            ph["rss_max_at_ticks_mb"] = max(ph.get("rss_max_at_ticks_mb") or 0, rss or 0)
    with sqlite3.connect(db) as con:
        people = con.execute("SELECT count(*) FROM registry_person").fetchone()[0]
        names = con.execute("SELECT count(*) FROM registry_personname").fetchone()[0]
        tokens = con.execute("SELECT count(*) FROM registry_nametoken").fetchone()[0]
    size_mb = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()) / 1e6
    errors = [line for _, line, _ in child["stderr"] if line and not line.startswith(("validate:", "write:"))]
    return {
        "ok": child["exit_code"] == 0, "migrate_seconds": migrate_s, "seconds": child["seconds"],
        "peak_rss_mb": child["peak_rss_mb"], "user_s": child["user_s"], "sys_s": child["sys_s"],
        "exit_code": child["exit_code"], "people": people, "names": names, "tokens": tokens, "db_mb": size_mb,
        "phases": phases,
        "summary": child["stdout"][-1] if child["stdout"] else "", "stderr_tail": errors[-20:],
    }


# --------------------------------------------------------------------------- search
NO_MATCH = ["Qqxz Vlorp", "Zyxwv Kjhg", "Bartholomew Quixote", "Xylophone Mcgee", "Plimbo Wozniak", "Ferdinand Zzyzx",
            "Hroswitha Quell", "Yggdrasil Ortega"]


def build_queries(csv_path: Path, n: int, seed: int = 11) -> list[tuple[str, str]]:
    """(category, query) pairs sampled from the imported file, spread evenly over the categories."""
    from analytics.names import detect_script

    rng = random.Random(seed)
    pools: dict[str, list[str]] = {k: [] for k in ("pinyin_full", "han", "surname", "prefix", "latin_other",
                                                    "passport", "mymr_thai_ethi_other_script")}
    seen = 0
    cap = 400
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            seen += 1
            candidates = []
            full, native, nat = row["full_name"], row["native_name"], row["nationality"]
            if full and nat == "CHN":
                candidates.append(("pinyin_full", full))
                surname = full.split()[0]
                candidates.append(("surname", surname.lower()))
                if len(surname) >= 4:
                    candidates.append(("prefix", surname[:3].lower()))
            elif full:
                candidates.append(("latin_other", full.title()))
            if native:
                script = detect_script(native)
                if script == "Hani":
                    candidates.append(("han", native))
                elif script not in {"Latn", ""}:
                    candidates.append(("mymr_thai_ethi_other_script", native))
            if row["passport_number"]:
                candidates.append(("passport", row["passport_number"]))
            for cat, q in candidates:  # reservoir sampling per category
                pool = pools[cat]
                if len(pool) < cap:
                    pool.append(q)
                else:
                    j = rng.randrange(seen)
                    if j < cap:
                        pool[j] = q
    pools["no_match"] = list(NO_MATCH)
    cats = [c for c, pool in pools.items() if pool]
    queries = []
    for i in range(n):
        cat = cats[i % len(cats)]
        queries.append((cat, rng.choice(pools[cat])))
    return queries


def search_latency(db: Path, csv_path: Path, n_queries: int) -> dict:
    os.environ.update(_env(db))
    import django

    django.setup()
    from django.db import connection

    from crossing.access.cli_actor import cli_actor
    from crossing.registry.models import Person, PersonName
    from crossing.registry.selectors import PersonFilters, person_list

    actor = cli_actor(None)
    queries = build_queries(csv_path, n_queries)
    total_people = Person.objects.count()
    # Warm up: one query of each kind, not timed (first-use imports, statement cache, page cache).
    for _, q in {c: (c, q) for c, q in queries}.values():
        page = person_list(actor=actor, filters=PersonFilters(q=q), page=1)
        list(page.object_list)

    results = []
    for cat, q in queries:
        t0 = time.perf_counter()
        page = person_list(actor=actor, filters=PersonFilters(q=q), page=1)
        shown = list(page.object_list)
        count = page.paginator.count
        ms = (time.perf_counter() - t0) * 1000
        results.append({"category": cat, "q": q, "ms": ms, "count": count, "shown": len(shown)})

    naive = []
    for _cat, q in queries:
        t0 = time.perf_counter()
        list(PersonName.objects.filter(full_name__icontains=q)[:25])
        naive.append((time.perf_counter() - t0) * 1000)

    with connection.cursor() as cur:
        cur.execute("SELECT reference FROM registry_person ORDER BY random() LIMIT %s", [len(queries)])
        refs = [r[0] for r in cur.fetchall()]
    indexed = []
    for ref in refs:
        t0 = time.perf_counter()
        Person.objects.filter(reference=ref).first()
        indexed.append((time.perf_counter() - t0) * 1000)

    by_cat: dict[str, dict] = {}
    for cat in dict.fromkeys(r["category"] for r in results):
        rs = [r for r in results if r["category"] == cat]
        by_cat[cat] = {**_summary([r["ms"] for r in rs]), "median_hits": statistics.median(r["count"] for r in rs),
                       "example": rs[0]["q"]}
    slowest = sorted(results, key=lambda r: -r["ms"])[:10]
    return {"people": total_people, "queries": len(results), "person_list": _summary([r["ms"] for r in results]),
            "by_category": by_cat, "slowest": slowest, "baseline_indexed_reference": _summary(indexed),
            "baseline_naive_icontains": _summary(naive)}


# --------------------------------------------------------------------------- report
def _fmt_s(v) -> str:
    return "-" if v is None else f"{v:,.1f} s"


def _fmt_ms(v) -> str:
    return "-" if v is None else f"{v:,.1f} ms"


def figures_rows(res: dict) -> list[tuple[str, str, str, str, str]]:
    """(metric, target, measured, floor/baseline, verdict) rows shared by the console and the docs."""
    rows = []
    imp, floor, srch = res.get("import"), res.get("floor"), res.get("search")
    n = res["rows"]
    if imp:
        ok = imp.get("ok")
        floor_s = floor.get("seconds") if floor and floor.get("available") else None
        ratio = f" ({imp['seconds'] / floor_s:,.0f}x floor)" if floor_s else ""
        rows.append((f"import {n:,} rows: wall time", f"<= {IMPORT_SECONDS_TARGET:.0f} s", _fmt_s(imp.get("seconds")) + ratio,
                     f"sqlite3 .import {_fmt_s(floor_s)}" if floor_s else "sqlite3 CLI absent",
                     "FAIL (did not finish)" if not ok else ("pass" if imp["seconds"] <= IMPORT_SECONDS_TARGET else "FAIL")))
        rows.append((f"import {n:,} rows: peak RSS", f"<= {IMPORT_RSS_TARGET_MB:,.0f} MB", f"{imp.get('peak_rss_mb', 0):,.0f} MB",
                     f"CSV file {res['csv']['mb']:,.0f} MB",
                     "pass" if ok and imp["peak_rss_mb"] <= IMPORT_RSS_TARGET_MB else "FAIL"))
    if srch:
        pl, idx, nv = srch["person_list"], srch["baseline_indexed_reference"], srch["baseline_naive_icontains"]
        rows.append((f"name search over {srch['people']:,} people: p95", f"<= {SEARCH_P95_TARGET_MS:.0f} ms",
                     _fmt_ms(pl["p95_ms"]), f"indexed ref {_fmt_ms(idx['p95_ms'])}; naive icontains {_fmt_ms(nv['p95_ms'])}",
                     "pass" if pl["p95_ms"] <= SEARCH_P95_TARGET_MS else "FAIL"))
        rows.append(("name search: p50 / p99 / max", "", f"{pl['p50_ms']:.1f} / {pl['p99_ms']:.1f} / {pl['max_ms']:.1f} ms",
                     f"indexed ref p50 {idx['p50_ms']:.2f} ms; icontains p50 {nv['p50_ms']:.1f} ms", ""))
    return rows


def _phase_text(imp: dict) -> str:
    """When the validation and write passes ran, with the child's RSS at its progress lines."""
    parts = []
    for stage, label in (("validate", "validation pass"), ("write", "write pass")):
        ph = imp.get("phases", {}).get(stage)
        if ph:
            parts.append(f"{label} progress lines from {ph['first_tick_s']:.0f} s to {ph['last_tick_s']:.0f} s "
                         f"(RSS {ph.get('rss_first_tick_mb') or 0:.0f} -> {ph.get('rss_last_tick_mb') or 0:.0f} MB, "
                         f"max seen {ph.get('rss_max_at_ticks_mb') or 0:.0f} MB)")
    return "; ".join(parts) + f"; process exit at {imp['seconds']:.0f} s" if parts else "no progress lines"


def print_report(res: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    m = res["machine"]
    console.print(f"[bold]Crossing benchmarks[/] {res['started']}  commit {m.get('commit', '?')}  nproc={m.get('nproc')}  mem={m.get('memory_gb')} GB  "
                  f"Python {m.get('python')}  SQLite {m.get('sqlite_python')} (CLI {m.get('sqlite_cli') or 'absent'})")
    console.print(f"CSV: {res['csv']['rows']:,} rows, {res['csv']['mb']:.1f} MB, source={res['csv']['source']}, "
                  f"generated in {res['csv']['seconds']:.1f} s")
    if res["csv"].get("note"):
        console.print(f"[yellow]note:[/] {res['csv']['note']}")
    floor = res.get("floor") or {}
    if floor and not floor.get("available"):
        console.print(f"[yellow]floor:[/] {floor.get('note')}")
    table = Table(title="targets (reported, not asserted)")
    for col in ("metric", "target", "measured", "floor / baseline (same run)", "result"):
        table.add_column(col)
    for metric, target, measured, base, verdict in figures_rows(res):
        style = "green" if verdict == "pass" else ("red" if verdict.startswith("FAIL") else "")
        table.add_row(metric, target, measured, base, f"[{style}]{verdict}[/]" if style else verdict)
    console.print(table)
    for key in ("import", "search"):
        load = (res.get(key) or {}).get("loadavg_before_after")
        if load and max(load[0][0], load[1][0]) > 0.5:
            console.print(f"[yellow]note:[/] 1-min load average {load[0][0]:.2f} before / {load[1][0]:.2f} after the {key}: "
                          "other processes shared the CPUs; figures may be inflated")
    imp = res.get("import")
    if imp:
        if not imp.get("ok"):
            console.print(f"[red]import failed[/] (exit {imp.get('exit_code')}): {imp.get('error') or imp.get('stderr_tail')}")
        else:
            console.print(f"import: {imp['people']:,} people, {imp['names']:,} names, {imp['tokens']:,} tokens; "
                          f"DB {imp['db_mb']:.0f} MB; cpu user {imp['user_s']:.1f} s sys {imp['sys_s']:.1f} s; "
                          f"migrate {imp['migrate_seconds']:.1f} s (not counted)")
            console.print(f"phases: {_phase_text(imp)}")
            if imp["people"] != res["rows"]:
                console.print(f"[red]person count {imp['people']:,} != rows {res['rows']:,}[/]")
    srch = res.get("search")
    if srch:
        t = Table(title="person_list latency by query kind (ms)")
        for col in ("kind", "n", "p50", "p95", "max", "median hits", "example"):
            t.add_column(col)
        for cat, s in srch["by_category"].items():
            t.add_row(cat, str(s["n"]), f"{s['p50_ms']:.1f}", f"{s['p95_ms']:.1f}", f"{s['max_ms']:.1f}",
                      f"{s['median_hits']:,.0f}", s["example"])
        console.print(t)


def update_docs(res: dict) -> None:
    m = res["machine"]
    lines = [DOCS_BEGIN, "",
             f"Run of {res['started']} on commit {m.get('commit', '?')} (`benchmarks/run.py --rows {res['rows']}`), "
             f"CSV source `{res['csv']['source']}`.", "",
             "| metric | target | measured | floor / baseline (same run) | result |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(r)} |" for r in figures_rows(res)]
    imp, srch = res.get("import"), res.get("search")
    lines += ["", f"Machine: {m.get('nproc')} CPUs ({m.get('cpu', '?')}), {m.get('memory_gb')} GB RAM, {m.get('platform')}, "
                  f"Python {m.get('python')}, Django {m.get('django', '?')}, SQLite {m.get('sqlite_python')} "
                  f"(library used by Python), sqlite3 CLI {m.get('sqlite_cli') or 'absent'}."]
    loads = [f"{k} {v['loadavg_before_after'][0][0]:.2f} / {v['loadavg_before_after'][1][0]:.2f}"
             for k in ("import", "search") if (v := res.get(k)) and v.get("loadavg_before_after")]
    if loads:
        lines.append(f"1-minute load average before / after each phase: {'; '.join(loads)}.")
    if imp and imp.get("ok"):
        lines += ["", f"Import detail: {imp['people']:,} people, {imp['names']:,} names, {imp['tokens']:,} search tokens, "
                      f"database {imp['db_mb']:.0f} MB; CPU user {imp['user_s']:.1f} s + sys {imp['sys_s']:.1f} s; "
                      f"CSV {res['csv']['mb']:.1f} MB generated in {res['csv']['seconds']:.1f} s."]
        lines.append(f"Phases: {_phase_text(imp)}.")
    if srch:
        lines += ["", f"Search latency by query kind ({srch['queries']} queries over {srch['people']:,} people, ms):", "",
                  "| kind | n | p50 | p95 | max | median hits | example |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for cat, s in srch["by_category"].items():
            lines.append(f"| {cat} | {s['n']} | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} | {s['max_ms']:.1f} | "
                         f"{s['median_hits']:,.0f} | {s['example']} |")
    lines += ["", DOCS_END]
    replace_section(DOCS, DOCS_BEGIN, DOCS_END, lines[1:-1], "Benchmarks")


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=300_000, help="rows in the import file / people searched (default 300000)")
    ap.add_argument("--queries", type=int, default=300, help="name searches to time (default 300)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-import", action="store_true", help="reuse the last CSV and database; only time searches")
    ap.add_argument("--skip-search", action="store_true", help="time the import only")
    ap.add_argument("--update-docs", action="store_true", help="write the figures into docs/benchmarks.md")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    state_path = OUT / "last_run.json"
    res: dict = {"started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "rows": args.rows, "machine": machine()}

    if args.skip_import:
        if not state_path.exists():
            print("--skip-import: no previous run in benchmarks/out/; run without it first", file=sys.stderr)
            return 2
        last = json.loads(state_path.read_text())
        csv_path, db = Path(last["csv"]["path"]), Path(last["db"])
        res.update(rows=last["rows"], csv=last["csv"], floor=last.get("floor"), import_=None)
        res["import"] = last.get("import")
        res["reused_import_from"] = last["started"]
        print(f"reusing {db} ({last['rows']:,} rows, imported {last['started']}); migrating it first", flush=True)
        mig = subprocess.run([_bin("crossing"), "migrate", "--no-input"], env=_env(db), capture_output=True,  # noqa: S603
                             text=True, check=False)
        if mig.returncode != 0:
            print(f"migrate failed on {db}: {mig.stderr[-2000:]}", file=sys.stderr)
            return 1
    else:
        csv_path, db = OUT / f"canonical_{args.rows}.csv", OUT / f"bench_{args.rows}.sqlite3"
        print(f"generating {args.rows:,} rows -> {csv_path.relative_to(ROOT)}", flush=True)
        t0 = time.perf_counter()
        info = write_csv(csv_path, args.rows, args.seed)
        res["csv"] = {"path": str(csv_path), "rows": info.rows, "source": info.source, "note": info.note,
                      "seconds": time.perf_counter() - t0, "mb": csv_path.stat().st_size / 1e6}
        res["rows"] = info.rows
        print("floor: sqlite3 .import", flush=True)
        res["floor"] = floor_import(csv_path)
        print("measured: crossing migrate + crossing registry import", flush=True)
        load_before = os.getloadavg()
        res["import"] = measured_import(csv_path, db)
        res["import"]["loadavg_before_after"] = [load_before, os.getloadavg()]
        state = {k: v for k, v in res.items() if k in {"started", "rows", "csv", "floor", "import"}}
        state["db"] = str(db)
        state_path.write_text(json.dumps(state, indent=2, default=str))
    res.pop("import_", None)

    if not args.skip_search:
        if res.get("import") and not res["import"].get("ok"):
            print("import failed: search latency not measured", file=sys.stderr)
        else:
            print(f"search: {args.queries} queries through person_list", flush=True)
            load_before = os.getloadavg()
            res["search"] = search_latency(db, csv_path, args.queries)
            res["search"]["loadavg_before_after"] = [load_before, os.getloadavg()]

    (OUT / "results.json").write_text(json.dumps(res, indent=2, default=str, ensure_ascii=False))
    print_report(res)
    if args.update_docs:
        update_docs(res)
        print(f"figures written to {DOCS.relative_to(ROOT)}")
    return 0 if (res.get("import") or {}).get("ok", True) else 1


if __name__ == "__main__":
    sys.exit(main())
