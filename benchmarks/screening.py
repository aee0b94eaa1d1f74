"""``benchmarks/screening.py``: ``crossing screening assess`` on 100,000 records, next to a floor run in the same run.

1. Generate N synthetic, varied ScreeningRecords as JSON lines (seeded; benchmarks/out/, git-ignored):
   complete and partial interviews, deceived and coerced victims, destination-only coercion, people
   with participation evidence (explained by coercion or not), minors, unknown ages, notes in several
   scripts, provisional answers.
2. Floor: a ``python -c`` child that only reads each line, ``json.loads`` it and ``json.dumps`` it back
   to a file: what any Python tool must spend on the same bytes.
3. Measured: ``crossing screening assess FILE --out OUT`` as a child process (wall time including
   process start, peak RSS via wait4, exit code), pointed at a database file that must not exist
   afterwards (the command needs no database).
4. Checks: one output line per record, and the first records' output equal to the in-process
   ``records.assess_record``. An in-process breakdown (µs per record: decode, parse, rules, encode).
5. A table, benchmarks/out/screening_results.json, and with ``--update-docs`` the figures section
   of docs/screening-benchmarks.md.

Targets are reported, never asserted: the command exits 0 unless something failed to run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
RESULTS = OUT / "screening_results.json"
DOCS = ROOT / "docs" / "screening-benchmarks.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from docs_section import replace_section  # noqa: E402
from run import _bin, _env, machine, run_child  # noqa: E402

SECONDS_TARGET = 10.0
RECORDS = 100_000
DOCS_BEGIN, DOCS_END = "<!-- screening:results:begin -->", "<!-- screening:results:end -->"

NOTES = [
    "said the job advert promised USD 1,500 a month",
    "passport kept by the company 'for the visa'",
    "บอกว่าถูกขายต่อให้บริษัทอื่น",  # Thai: says he was sold on to another company
    "说公司扣留了护照",  # Chinese: says the company kept the passport
    "interpreter by phone; answer unclear",
    "saw others beaten for missing targets",
]
FLOOR_SCRIPT = (
    "import json,sys\n"
    "loads,dumps=json.loads,json.JSONEncoder(separators=(',',':'),ensure_ascii=False).encode\n"
    "with open(sys.argv[1],encoding='utf-8') as f, open(sys.argv[2],'w',encoding='utf-8') as o:\n"
    "    o.writelines(dumps(loads(line))+'\\n' for line in f if line.strip())\n"
)


# --------------------------------------------------------------------------- data
def generate(path: Path, n: int, seed: int = 20250) -> dict:
    """Write ``n`` varied records as JSON lines; returns counts by profile."""
    from analytics.screening import catalogue as catalogue_mod
    from analytics.screening.engine import AGE_BASES, EVIDENCE_SOURCES

    cat = catalogue_mod.load()
    rng = random.Random(seed)
    by_dim: dict[str, list[str]] = {}
    for code, ind in cat.indicators.items():
        by_dim.setdefault(ind.dimension, []).append(code)
    codes = list(cat.indicators)
    parts = list(cat.participation)
    profiles = {"complete": 0.30, "victim": 0.25, "partial": 0.15, "suspect_like": 0.10, "destination_only": 0.10,
                "sparse": 0.10}
    names, weights = list(profiles), list(profiles.values())
    counts = dict.fromkeys(names, 0)

    def entry(status: str) -> dict:
        e: dict = {"status": status}
        if status != "unknown" or rng.random() < 0.3:
            e["evidence_source"] = rng.choice(EVIDENCE_SOURCES)
        if rng.random() < 0.04:
            e["note"] = rng.choice(NOTES)
        if rng.random() < 0.03:
            e["provisional"] = True
        return e

    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            profile = rng.choices(names, weights)[0]
            counts[profile] += 1
            present: set[str] = set()
            answered: list[str] = codes
            p_unknown = 0.04
            if profile == "complete":
                present = {c for c in codes if rng.random() < 0.18}
            elif profile == "victim":
                for dims in (("DR", "CR", "VR"), ("EX",), ("CD", "VD")):
                    d = rng.choice(dims)
                    present |= set(rng.sample(by_dim[d], rng.randint(1, 4)))
                present |= {c for c in codes if rng.random() < 0.05}
                p_unknown = 0.10
            elif profile == "partial":
                answered = rng.sample(codes, rng.randint(15, 45))
                present = {c for c in answered if rng.random() < 0.25}
                p_unknown = 0.15
            elif profile == "suspect_like":
                present = {c for c in by_dim["VR"] + by_dim["VD"] if rng.random() < 0.08}
                p_unknown = 0.0
            elif profile == "destination_only":
                present = set(rng.sample(by_dim["EX"], rng.randint(2, 4))) | set(rng.sample(by_dim["CD"], rng.randint(2, 5)))
            else:  # sparse: a first contact, a handful of answers
                answered = rng.sample(codes, rng.randint(0, 8))
                present = {c for c in answered if rng.random() < 0.4}
                p_unknown = 0.2
            answers = {}
            for c in answered:
                status = "present" if c in present else ("unknown" if rng.random() < p_unknown else "absent")
                answers[c] = entry(status)
            participation = {}
            if profile == "suspect_like":
                for c in rng.sample(parts, rng.randint(1, 3)):
                    participation[c] = {"present": True, "explained_by_coercion": rng.choice(["no", "no", "unknown"])}
            elif rng.random() < 0.3:
                for c in rng.sample(parts, rng.randint(1, 3)):
                    participation[c] = {"present": rng.choice([True, True, True, False, None]),
                                        "explained_by_coercion": rng.choice(["yes", "yes", "no", "unknown"])}
                    if rng.random() < 0.1:
                        participation[c]["note"] = rng.choice(NOTES)
            r = rng.random()
            if r < 0.07:
                age, basis, minor = rng.randint(13, 17), rng.choice(["claimed", "assessed", "document"]), False
            elif r < 0.12:
                age, basis, minor = None, "unknown", rng.random() < 0.5
            else:
                age, basis, minor = rng.randint(18, 55), rng.choice(AGE_BASES[:3]), False
            record = {"id": f"bench-{i + 1:06d}", "age": age, "age_basis": basis, "possible_minor": minor,
                      "answers": answers, "participation": participation}
            f.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return counts


def check_output(src: Path, out: Path, n: int, sample: int = 500) -> dict:
    from analytics.screening import catalogue as catalogue_mod
    from analytics.screening import records

    cat = catalogue_mod.load()
    with out.open(encoding="utf-8") as f:
        lines = sum(1 for _ in f)
    mismatches = 0
    with src.open(encoding="utf-8") as fs, out.open(encoding="utf-8") as fo:
        for i, (a, b) in enumerate(zip(fs, fo, strict=False)):
            if i >= sample:
                break
            if records.assess_record(json.loads(a), i + 1, cat) != json.loads(b):
                mismatches += 1
    return {"output_lines": lines, "expected_lines": n, "sampled": min(sample, n), "sample_mismatches": mismatches,
            "ok": lines == n and mismatches == 0}


def breakdown(src: Path, limit: int = 20_000) -> dict:
    """In-process µs per record for each step, on the first ``limit`` records."""
    from analytics.screening import catalogue as catalogue_mod
    from analytics.screening import records
    from analytics.screening.engine import recommend

    cat = catalogue_mod.load()
    with src.open(encoding="utf-8") as f:
        lines = [line for _, line in zip(range(limit), f, strict=False)]
    encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    steps = [0.0] * 5
    out: list[str] = []
    for at in range(0, len(lines), 1000):  # in batches, as the command holds few records at a time
        batch = lines[at:at + 1000]
        t0 = time.perf_counter()
        objs = [json.loads(line) for line in batch]
        t1 = time.perf_counter()
        inputs = [records.parse_record(o, i, cat) for i, o in enumerate(objs, 1)]
        t2 = time.perf_counter()
        explanations = [recommend(x, cat) for x in inputs]
        t3 = time.perf_counter()
        dicts = [{"id": o.get("id"), **e.as_dict()} for o, e in zip(objs, explanations, strict=True)]
        t4 = time.perf_counter()
        out += [encode(d) for d in dicts]
        t5 = time.perf_counter()
        for i, (a, b) in enumerate(((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5))):
            steps[i] += b - a
    k = 1e6 / len(lines)
    return {"records": len(lines), "decode_us": steps[0] * k, "parse_us": steps[1] * k, "rules_us": steps[2] * k,
            "as_dict_us": steps[3] * k, "encode_us": steps[4] * k, "total_us": sum(steps) * k,
            "input_bytes_per_record": sum(map(len, lines)) / len(lines),
            "output_bytes_per_record": sum(map(len, out)) / len(out)}


# --------------------------------------------------------------------------- report
def figures_rows(res: dict) -> list[tuple[str, str, str, str, str]]:
    m, f = res["measured"], res["floor"]
    ok = m["exit_code"] == 0 and res["check"]["ok"]
    verdict = ("pass" if m["seconds"] <= SECONDS_TARGET else "FAIL") if ok else "FAIL (did not complete correctly)"
    n = f"{res['records']:,}"
    return [
        (f"`{res['command']}` on {n} records (JSON lines), wall incl. process start", f"≤ {SECONDS_TARGET:g} s",
         f"{m['seconds']:.2f} s", f"{f['seconds']:.2f} s (json.loads + json.dumps per line)", verdict),
        ("the same with `--jobs 1` (one process, no workers)", "none", f"{res['measured_one_process']['seconds']:.2f} s",
         f"{f['seconds']:.2f} s", "—"),
        ("peak RSS: largest process (wait4) / sum over the command and its workers (sampled)", "none",
         f"{m['peak_rss_mb']:.0f} MB / {m['tree_rss_sampled_mb']:.0f} MB", f"{f['peak_rss_mb']:.0f} MB", "—"),
        ("throughput", "none", f"{res['records'] / m['seconds']:,.0f} records/s",
         f"{res['records'] / f['seconds']:,.0f} records/s", "—"),
    ]


def detail_lines(res: dict) -> list[str]:
    b, c, m = res["breakdown"], res["check"], res["measured"]
    profile = ", ".join(f"{k} {v:,}" for k, v in res["profiles"].items())
    return [
        f"Input: {res['records']:,} records, {res['input_mb']:.0f} MB of JSON lines ({profile}); output "
        f"{res['output_mb']:.0f} MB. Checks: {c['output_lines']:,} output lines for {c['expected_lines']:,} records; "
        f"the first {c['sampled']} equal to the in-process result: {'yes' if c['sample_mismatches'] == 0 else 'NO'}; "
        f"exit code {m['exit_code']}; database file created: {'YES' if res['database_touched'] else 'no'}.",
        "",
        f"Measured command: user {m['user_s']:.2f} s, system {m['sys_s']:.2f} s of CPU (the command and its "
        f"{res['machine'].get('nproc')} workers). In one process, in batches of 1,000, the cost per record on the first {b['records']:,} records (µs): decode {b['decode_us']:.1f}, "
        f"parse and validate {b['parse_us']:.1f}, rules {b['rules_us']:.1f}, explanation dict "
        f"{b['as_dict_us']:.1f}, encode {b['encode_us']:.1f}; total {b['total_us']:.1f} "
        f"(input {b['input_bytes_per_record']:,.0f} B, output {b['output_bytes_per_record']:,.0f} B per record).",
    ]


def print_report(res: dict) -> None:
    print(f"Crossing screening benchmark {res['started']}  commit {res['machine'].get('commit', '?')}")
    for metric, target, measured, base, verdict in figures_rows(res):
        print(f"  {metric}\n    target {target}  measured {measured}  floor {base}  -> {verdict}")
    for line in detail_lines(res):
        if line:
            print("  " + line)


def update_docs(res: dict) -> None:
    m = res["machine"]
    lines = ["", f"Run of {res['started']} on commit {m.get('commit', '?')} (`benchmarks/screening.py "
             f"{' '.join(res['argv'])}`).", "",
             "| metric | target | measured | floor (same run) | result |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(r)} |" for r in figures_rows(res)]
    lines += ["", f"Machine: {m.get('nproc')} CPUs ({m.get('cpu', '?')}), {m.get('memory_gb')} GB RAM, "
                  f"{m.get('platform')}, Python {m.get('python')}; 1-minute load average before / after: "
                  f"{res['loadavg_before_after'][0][0]:.2f} / {res['loadavg_before_after'][1][0]:.2f}.",
              "", *detail_lines(res), ""]
    replace_section(DOCS, DOCS_BEGIN, DOCS_END, lines, "Screening benchmarks")


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=RECORDS, help=f"records to assess (default {RECORDS:,})")
    ap.add_argument("--seed", type=int, default=20250)
    ap.add_argument("--update-docs", action="store_true", help="write the figures into docs/screening-benchmarks.md")
    args = ap.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    src = OUT / f"screening_{args.records}.jsonl"
    out, floor_out = OUT / f"screening_{args.records}.out.jsonl", OUT / f"screening_{args.records}.floor.jsonl"
    no_db = OUT / "screening_no_database.sqlite3"
    no_db.unlink(missing_ok=True)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    res: dict = {"started": started, "argv": argv, "machine": machine(), "records": args.records}

    print(f"generating {args.records:,} records -> {src.relative_to(ROOT)}", flush=True)
    res["profiles"] = generate(src, args.records, args.seed)
    res["input_mb"] = src.stat().st_size / 1e6
    env = {**_env(no_db), "PYTHONPATH": str(ROOT)}
    cmd, res["command"] = [_bin("crossing"), "screening", "assess"], "crossing screening assess"
    res["loadavg_before_after"] = [os.getloadavg()]

    print("floor: json.loads + json.dumps per line", flush=True)
    res["floor"] = run_child([sys.executable, "-c", FLOOR_SCRIPT, str(src), str(floor_out)], env, sample_tree=True)
    print(f"measured: {res['command']}", flush=True)
    res["measured"] = run_child([*cmd, str(src), "--out", str(out)], env, sample_tree=True)
    output_mb = out.stat().st_size / 1e6 if out.exists() else 0.0
    check = check_output(src, out, args.records) if out.exists() else {
        "ok": False, "output_lines": 0, "expected_lines": args.records, "sampled": 0, "sample_mismatches": 0}
    print(f"measured: {res['command']} --jobs 1", flush=True)
    res["measured_one_process"] = run_child([*cmd, str(src), "--out", str(out), "--jobs", "1"], env, sample_tree=True)
    res["loadavg_before_after"].append(os.getloadavg())
    res["database_touched"] = no_db.exists()
    res["output_mb"], res["check"] = output_mb, check
    print("in-process breakdown", flush=True)
    res["breakdown"] = breakdown(src)

    RESULTS.write_text(json.dumps(res, indent=2, default=str, ensure_ascii=False))
    print_report(res)
    if res["measured"]["exit_code"] != 0:
        print("the command failed:\n  " + "\n  ".join(res["measured"]["stderr_tail"]), file=sys.stderr)
    if args.update_docs:
        update_docs(res)
        print(f"figures written to {DOCS.relative_to(ROOT)}")
    return 0 if res["measured"]["exit_code"] == 0 and res["floor"]["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
