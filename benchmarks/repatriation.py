"""``benchmarks/repatriation.py``: ``crossing repatriation plan`` on a 7,000-person, 29-country, 60-movement problem.

1. Build the problem from docs/reference scenario facts (seeded; benchmarks/out/, git-ignored):
   - people: the BGF list's nationality mix (Feb 2025: China 4,860, Vietnam 572, India 526, Ethiopia 430, ...)
     scaled to 7,000, plus Laos and Cambodia from the DKBA first wave and stateless people (ICAO ``XXA``):
     29 destination codes; weight 1, 2 for women (female share per country), 3 for about 3 % flagged
     medical / possible minor; about 12 % travel in groups of 2-6 (families, co-workers), a tenth of the
     groups of mixed nationality (a Kenyan-Ugandan couple, Taiwanese with mainland Chinese co-workers, ...);
   - ready dates (screening done, documents issued): Chinese from 12 Feb over about four weeks (identity
     verification ~5 days), others over Feb-Mar with longer tails for countries without an embassy;
     some are ready before the planning start (already waiting);
   - Thai processing capacity 300 per weekday, 0 at weekends (1,500/week); Chinese movements Wed-Fri,
     other nationals Mon-Tue (the Thai rule of 6 Mar 2025);
   - 60 movements: Chinese charter waves (6 flights × 50, China Southern), IAF C-17 (283, 266) and C-130J,
     buses Mae Sot -> Bangkok for Vietnam / Laos / Cambodia, Lion Air charters (~185), Philippine flights
     (30, 176), scheduled commercial batches via Bangkok serving several African, South Asian or
     European / Central Asian countries each, IOM-assisted flights, a stateless-resettlement movement.
2. Measured: ``crossing repatriation plan --input P --output O`` as a child process (wall time including
   process start, peak RSS via wait4), the command partners run.
3. Checks: the plan is feasible (every rule), its objective equals the evaluator's, the gap to the
   reported lower bound; first-come-first-served (in process) beside it.
4. A table, benchmarks/out/repatriation_results.json, and with ``--update-docs`` the figures section of
   docs/repatriation-benchmarks.md.

Targets are reported, never asserted: the command exits 0 unless something failed to run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
RESULTS = OUT / "repatriation_results.json"
DOCS = ROOT / "docs" / "repatriation-benchmarks.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from docs_section import replace_section  # noqa: E402
from run import _bin, _env, machine, run_child  # noqa: E402

SECONDS_TARGET = 10.0
GAP_TARGET_PCT = 1.0
PEOPLE = 7_000
DOCS_BEGIN, DOCS_END = "<!-- repatriation:results:begin -->", "<!-- repatriation:results:end -->"

START = date(2025, 2, 17)  # a Monday, five days after the first crossing (12 Feb)
HORIZON = 60
# BGF list, late Feb 2025 (scenario facts 2.1), Pakistan 68; plus Laos 6 / Cambodia 1 of the DKBA first wave
# (2.2); stateless people as ICAO 9303 "XXA". (count, female share)
COUNTRIES: dict[str, tuple[int, float]] = {
    "CHN": (4860, 0.02), "VNM": (572, 0.11), "IND": (526, 0.05), "ETH": (430, 0.08), "IDN": (283, 0.23),
    "PHL": (127, 0.57), "PAK": (68, 0.05), "MYS": (70, 0.07), "KEN": (64, 0.41), "ZAF": (26, 0.27),
    "TWN": (25, 0.04), "NPL": (17, 0.12), "UGA": (13, 0.62), "XXA": (9, 0.10), "LKA": (8, 0.0),
    "UZB": (8, 0.12), "NGA": (7, 0.71), "GHA": (6, 0.17), "BGD": (6, 0.0), "CMR": (6, 0.5), "NAM": (4, 0.5),
    "RWA": (4, 0.0), "TUN": (3, 0.0), "CZE": (2, 0.5), "LAO": (7, 0.5), "ROU": (1, 0.0), "DZA": (1, 0.0),
    "SGP": (1, 0.0), "KHM": (1, 0.0),
}
# ready date: first possible day (offset from 12 Feb) and a spread in days (triangular, mode early)
WAITS = {"CHN": (0, 30), "VNM": (10, 45), "IND": (5, 30), "IDN": (3, 35), "PHL": (7, 40), "MYS": (3, 30),
         "TWN": (3, 30), "SGP": (3, 20)}
WAIT_DEFAULT = (5, 48)  # South Asia without a quick airlift, Africa, Europe / Central Asia, stateless
MON, TUE, WED, THU, FRI = range(5)
# movements: (id prefix, destinations, capacities one per movement, weekday, first week index 0..8)
MOVEMENTS: list[tuple[str, tuple[str, ...], list[int], int, int]] = [
    ("CZ-NKG-WED", ("CHN",), [300, 300, 300, 300, 300, 300, 300], WED, 0),
    ("CZ-NKG-THU", ("CHN",), [300, 300, 300, 300, 300, 300, 300], THU, 0),
    ("CZ-JHG-FRI", ("CHN",), [300, 228, 300, 228, 300, 228, 300], FRI, 0),
    ("CI-TPE-WED", ("TWN", "CHN"), [30], WED, 7),
    ("CI-TPE-FRI", ("TWN",), [30], FRI, 2),
    ("IAF-C17-MON", ("IND",), [283], MON, 3),
    ("IAF-C17-TUE", ("IND",), [266], TUE, 3),
    ("IAF-C130J-MON", ("IND", "NPL"), [230], MON, 6),
    ("BUS-HAN-MON", ("VNM", "LAO", "KHM"), [135, 135, 135, 135], MON, 4),
    ("BUS-SGN-TUE", ("VNM", "KHM"), [90, 90, 90], TUE, 5),
    ("BUS-VTE-TUE", ("LAO", "VNM"), [45, 45], TUE, 4),
    ("GA-CGK-MON", ("IDN",), [84], MON, 1),
    ("JT-CGK-TUE", ("IDN", "MYS", "SGP"), [185, 185, 185], TUE, 3),
    ("PR-MNL-MON", ("PHL",), [30, 176], MON, 5),
    ("AK-KUL-TUE", ("MYS", "SGP"), [40, 40], TUE, 1),
    ("PK-KHI-MON", ("PAK", "NPL", "BGD"), [50, 50], MON, 2),
    ("UL-CMB-TUE", ("LKA", "NPL", "BGD", "PAK"), [40, 40], TUE, 2),
    ("ET-ADD-MON", ("ETH", "KEN", "UGA", "RWA"), [80, 80, 80, 80], MON, 2),
    ("ET-ADD-TUE", ("ETH", "KEN", "UGA", "RWA", "NGA", "GHA", "CMR"), [80, 80, 80], TUE, 3),
    ("KQ-NBO-MON", ("KEN", "UGA", "RWA"), [40, 40], MON, 4),
    ("IOM-JNB-TUE", ("ZAF", "NAM", "NGA", "GHA", "CMR"), [40, 25], TUE, 5),
    ("TK-IST-MON", ("UZB", "CZE", "ROU", "TUN", "DZA"), [20], MON, 5),
    ("IOM-XXA-TUE", ("XXA",), [15], TUE, 7),
]


def _allocate(total: int) -> dict[str, int]:
    """Scale the country counts to ``total`` (largest remainder, at least 1 each)."""
    raw = sum(n for n, _ in COUNTRIES.values())
    exact = {c: n * total / raw for c, (n, _) in COUNTRIES.items()}
    counts = {c: max(1, int(v)) for c, v in exact.items()}
    for c in sorted(exact, key=lambda c: exact[c] - int(exact[c]), reverse=True):
        if sum(counts.values()) >= total:
            break
        counts[c] += 1
    while sum(counts.values()) > total:
        counts["CHN"] -= 1
    return counts


def build(n_people: int = PEOPLE, seed: int = 2025) -> dict:
    """The benchmark problem as contract JSON."""
    rng = random.Random(seed)
    first = date(2025, 2, 12)
    people: list[dict] = []
    for country, count in _allocate(n_people).items():
        lo, spread = WAITS.get(country, WAIT_DEFAULT)
        female = COUNTRIES[country][1]
        for _ in range(count):
            ready = first + timedelta(days=lo + int(rng.triangular(0, spread, spread * 0.25)))
            r = rng.random()
            weight = 3 if r < 0.03 else (2 if rng.random() < female else 1)
            people.append({"id": "", "destination": country, "ready_date": ready.isoformat(), "weight": weight,
                           "group": None})
    rng.shuffle(people)
    for i, p in enumerate(people):
        p["id"] = f"P{i + 1:05d}"
    # groups: ~12 % of people in groups of 2-6; most of one nationality, a tenth mixed
    by_country: dict[str, list[dict]] = {}
    for p in people:
        by_country.setdefault(p["destination"], []).append(p)
    mixed_pairs = [("KEN", "UGA"), ("TWN", "CHN"), ("ETH", "KEN"), ("NPL", "IND"), ("MYS", "SGP"),
                   ("VNM", "LAO"), ("NGA", "GHA")]
    target, grouped, g = int(0.12 * n_people), 0, 0
    free = {c: [p for p in ps] for c, ps in by_country.items()}
    while grouped < target:
        g += 1
        size = rng.choice([2, 2, 2, 3, 3, 4, 5, 6])
        if rng.random() < 0.1:
            a, b = rng.choice(mixed_pairs)
            pool = [free[a], free[b]]
        else:
            country = rng.choices(list(free), [len(v) for v in free.values()])[0]
            pool = [free[country]]
        members = []
        for k in range(size):
            src = pool[k % len(pool)]
            if src:
                members.append(src.pop(rng.randrange(len(src))))
        if len(members) < 2:
            for m in members:
                free[m["destination"]].append(m)
            continue
        for m in members:
            m["group"] = f"G{g:04d}"
        grouped += len(members)
    end = START + timedelta(days=HORIZON)
    daily = {}
    day = START
    while day < end:
        daily[day.isoformat()] = 300 if day.weekday() < 5 else 0
        day += timedelta(days=1)
    movements = []
    for prefix, dests, caps, weekday, week in MOVEMENTS:
        for k, cap in enumerate(caps):
            when = START + timedelta(days=7 * (week + k) + weekday)
            movements.append({"id": f"{prefix}-{when:%m%d}", "date": when.isoformat(), "destinations": list(dests),
                              "capacity": cap})
    movements.sort(key=lambda m: (m["date"], m["id"]))
    return {"start_date": START.isoformat(), "horizon_days": HORIZON, "daily_capacity": daily, "people": people,
            "movements": movements}


# --------------------------------------------------------------------------- child process
# --------------------------------------------------------------------------- report
def figures_rows(res: dict) -> list[tuple[str, str, str, str]]:
    m, c = res["measured"], res["check"]
    ok = m["exit_code"] == 0 and c["feasible"] and c["objective_matches"]
    time_verdict = ("pass" if m["seconds"] <= SECONDS_TARGET else "FAIL") if ok else "FAIL (did not complete correctly)"
    gap_verdict = ("pass" if c["gap_pct"] <= GAP_TARGET_PCT else "FAIL") if ok else "FAIL"
    p = res["problem"]
    return [
        (f"`{res['command']}` on {p['people']:,} people / {p['countries']} countries / {p['movements']} movements, "
         "wall incl. process start", f"≤ {SECONDS_TARGET:g} s", f"{m['seconds']:.2f} s", time_verdict),
        ("gap: (objective − lower bound) / objective", f"≤ {GAP_TARGET_PCT:g} %",
         f"{c['gap_pct']:.4f} % (objective {c['objective']:,.0f}, lower bound {c['lower_bound']:,.0f})", gap_verdict),
        ("first-come-first-served objective (same problem, same evaluator)", "none",
         f"{c['fcfs_objective']:,.0f} ({c['fcfs_vs_opt_pct']:+.1f} % vs the plan)", "—"),
        ("people moved: plan / FCFS", "none", f"{c['moved']:,} / {c['fcfs_moved']:,} of {p['people']:,}", "—"),
        ("peak RSS (wait4)", "none", f"{m['peak_rss_mb']:.0f} MB", "—"),
    ]


def detail_lines(res: dict) -> list[str]:
    p, c, m = res["problem"], res["check"], res["measured"]
    return [
        f"Problem: {p['people']:,} people ({p['grouped']:,} in {p['groups']:,} groups of 2-6, {p['mixed_groups']} of "
        f"mixed nationality), {p['countries']} destination codes, {p['movements']} movements with "
        f"{p['seats']:,} seats, {p['limited_days']} days with a capacity (300 on weekdays, 0 at weekends), "
        f"start {p['start']} + {p['horizon']} days; input {p['input_kb']:,.0f} kB.",
        "",
        f"Checks: the plan breaks no rule: {'yes' if c['feasible'] else 'NO'}; its objective recomputed by "
        f"`analytics.repatriation.objective`: {'equal' if c['objective_matches'] else 'DIFFERENT'}; exit code "
        f"{m['exit_code']}; database file created: {'YES' if res['database_touched'] else 'no'}; the same plan as "
        f"`solve` in process: {'yes' if c['same_as_in_process'] else 'NO'}; CPU user {m['user_s']:.2f} s, system {m['sys_s']:.2f} s. In process: solve "
        f"{res['in_process']['solve_s']:.2f} s ({res['in_process']['classes']} classes, "
        f"{res['in_process']['variables']} variables, status {res['in_process']['status']}), FCFS "
        f"{res['in_process']['fcfs_s']:.2f} s.",
        "",
        "Mean wait (days, weighted by people, unassigned counted to the horizon end): plan "
        f"{c['mean_wait_plan']:.2f}, FCFS {c['mean_wait_fcfs']:.2f}.",
    ]


def print_report(res: dict) -> None:
    print(f"Crossing repatriation benchmark {res['started']}  commit {res['machine'].get('commit', '?')}")
    for metric, target, measured, verdict in figures_rows(res):
        print(f"  {metric}\n    target {target}  measured {measured}  -> {verdict}")
    for line in detail_lines(res):
        if line:
            print("  " + line)


def update_docs(res: dict) -> None:
    m = res["machine"]
    lines = ["", f"Run of {res['started']} on commit {m.get('commit', '?')} (`benchmarks/repatriation.py "
             f"{' '.join(res['argv'])}`).", "",
             "| metric | target | measured | result |", "| --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(r)} |" for r in figures_rows(res)]
    lines += ["", f"Machine: {m.get('nproc')} CPUs ({m.get('cpu', '?')}), {m.get('memory_gb')} GB RAM, "
                  f"{m.get('platform')}, Python {m.get('python')}; OR-Tools {res['ortools']}.",
              "", *detail_lines(res), ""]
    replace_section(DOCS, DOCS_BEGIN, DOCS_END, lines, "Repatriation planner benchmarks")


def _mean_wait(problem, assignments) -> float:
    from analytics.repatriation import objective
    from analytics.repatriation.problem import Problem

    flat = Problem(problem.start_date, problem.horizon_days, problem.daily_capacity,
                   tuple(p.__class__(p.id, p.destination, p.ready_date, 1.0, p.group) for p in problem.people),
                   problem.movements)
    return objective(flat, assignments) / max(1, len(problem.people))


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=PEOPLE, help=f"people (default {PEOPLE:,})")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--update-docs", action="store_true", help="write the figures into docs/repatriation-benchmarks.md")
    args = ap.parse_args(argv)

    import ortools

    from analytics.repatriation import fcfs, loads, objective, solve, violations

    OUT.mkdir(parents=True, exist_ok=True)
    src, out = OUT / f"repatriation_{args.people}.json", OUT / f"repatriation_{args.people}.plan.json"
    out.unlink(missing_ok=True)
    no_db = OUT / "repatriation_no_database.sqlite3"
    no_db.unlink(missing_ok=True)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    res: dict = {"started": started, "argv": argv, "machine": machine(), "ortools": ortools.__version__}

    data = build(args.people, args.seed)
    src.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    problem = loads(src.read_bytes())
    groups: dict[str, set] = {}
    for p in problem.people:
        if p.group:
            groups.setdefault(p.group, set()).add(p.destination)
    res["problem"] = {
        "people": len(problem.people), "countries": len({p.destination for p in problem.people}),
        "movements": len(problem.movements), "seats": sum(m.capacity for m in problem.movements),
        "groups": len(groups), "mixed_groups": sum(1 for d in groups.values() if len(d) > 1),
        "grouped": sum(1 for p in problem.people if p.group), "limited_days": len(problem.daily_capacity),
        "start": problem.start_date.isoformat(), "horizon": problem.horizon_days,
        "input_kb": src.stat().st_size / 1024}

    env = {**_env(no_db), "PYTHONPATH": str(ROOT)}
    cmd, res["command"] = [_bin("crossing"), "repatriation", "plan"], "crossing repatriation plan"
    print(f"measured: {res['command']} ({res['problem']['people']:,} people)", flush=True)
    res["measured"] = run_child([*cmd, "--input", str(src), "--output", str(out)], env)
    res["database_touched"] = no_db.exists()

    t0 = time.perf_counter()
    base = fcfs(problem)
    fcfs_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = solve(problem)
    res["in_process"] = {"solve_s": time.perf_counter() - t0, "fcfs_s": fcfs_s, "classes": again.stats["classes"],
                         "variables": again.stats["variables"], "status": again.status}
    if out.exists():
        plan = json.loads(out.read_text(encoding="utf-8"))
        assignments = {k: v for k, v in plan["assignments"].items() if v is not None}
        value, lower = plan["objective"], plan["lower_bound"]
    else:
        assignments, value, lower = {}, float("nan"), float("nan")
    recomputed = objective(problem, assignments)
    res["check"] = {
        "feasible": out.exists() and not violations(problem, assignments),
        "objective_matches": abs(recomputed - value) <= 1e-6 * max(1.0, abs(recomputed)),
        "objective": value, "lower_bound": lower,
        "gap_pct": 100.0 * (value - lower) / value if value else 0.0,
        "fcfs_objective": base.objective, "fcfs_vs_opt_pct": 100.0 * (base.objective - value) / value if value else 0.0,
        "moved": len(assignments), "fcfs_moved": len(base.assignments),
        "mean_wait_plan": _mean_wait(problem, assignments), "mean_wait_fcfs": _mean_wait(problem, base.assignments),
        "same_as_in_process": assignments == again.assignments,
    }
    RESULTS.write_text(json.dumps(res, indent=2, default=str, ensure_ascii=False))
    print_report(res)
    if res["measured"]["exit_code"] != 0:
        print("the command failed:\n  " + "\n  ".join(line for _t, line, _rss in res["measured"]["stderr"][-10:]), file=sys.stderr)
    if args.update_docs:
        update_docs(res)
        print(f"figures written to {DOCS.relative_to(ROOT)}")
    return 0 if res["measured"]["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
