"""Running the linkage model with Splink: train, predict, explain. DuckDB here, Spark beyond.

``dedupe`` finds the same person twice within one set of records; ``link`` finds the same person
across two lists without deduplicating within either. Both return scored pairs with the
evidence behind each score: which comparison landed on which level, and the weight (log2 Bayes
factor) that level adds. That explanation is what an officer reads before deciding.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics.linkage import model
from analytics.linkage.records import ARRAY_COLUMNS, COLUMNS

# Fewer records than this leave EM nothing to learn from: the priors in model.py score them.
MIN_RECORDS_TO_TRAIN = 1000
DEFAULT_THRESHOLD = 0.5
# Below about 3 GB DuckDB spills the 300,000-record scoring to disk and takes twice as long.
DUCKDB_MEMORY_LIMIT = "3GB"
# Training samples: enough pairs to estimate every level, few enough to train in seconds.
U_SAMPLE_PAIRS = 1e6
EM_MAX_PAIRS = 5e5
# Fewer matches than this in the whole input (as estimated from near-certain rules) are too few
# for EM to learn m-probabilities from.
MIN_EXPECTED_MATCHES = 50

# Splink reports every untrained level as a warning; with the priors kept that is expected, not news.
logging.getLogger("splink").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class Evidence:
    comparison: str
    title: str
    level: str
    weight: float  # log2 Bayes factor: > 0 speaks for the same person, < 0 against

    def as_dict(self) -> dict:
        return {"comparison": self.comparison, "title": self.title, "level": self.level, "weight": round(self.weight, 3)}


@dataclass(frozen=True, slots=True)
class ScoredPair:
    id_l: str
    id_r: str
    probability: float
    weight: float
    evidence: tuple[Evidence, ...]


@dataclass
class LinkageResult:
    pairs: list[ScoredPair]
    model_json: dict
    records: int
    candidate_pairs: int
    trained: bool
    comparisons: list[str] = field(default_factory=list)


def frame(records: Iterable[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(records), columns=list(COLUMNS))


def _with_blocking_keys(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Add block_native and block_joined: the names, without those too common to block on."""
    joined = pd.concat([f["name_joined"].explode() for f in frames]).dropna().value_counts()
    common_joined = set(joined[joined > model.COMMON_NAME_RECORDS].index)
    native = pd.concat([f["name_native"] for f in frames]).dropna().value_counts()
    common_native = set(native[native > model.COMMON_NAME_RECORDS].index)
    out = []
    for f in frames:
        f = f.copy()
        f["block_native"] = f["name_native"].where(~f["name_native"].isin(common_native))
        if common_joined:
            f["block_joined"] = f["name_joined"].apply(
                lambda keys: [k for k in keys if k not in common_joined] or None if isinstance(keys, list) else None)
        else:
            f["block_joined"] = f["name_joined"]
        out.append(f)
    return out


def _present(frames: list[pd.DataFrame]) -> set[str]:
    """Columns with enough values to compare on (a comparison nobody has data for is noise)."""
    present = set()
    for column in frames[0].columns:
        filled = sum(int(f[column].notna().sum()) for f in frames)
        total = sum(len(f) for f in frames)
        if total and filled >= max(2, 0.01 * total):
            present.add(column)
    return present


def _db_api(backend: str, spark=None):
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        # A bounded memory budget: DuckDB spills to disk beyond it instead of growing.
        spill = Path(tempfile.gettempdir()) / f"crossing-duckdb-{os.getpid()}"
        connection = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "preserve_insertion_order": False,
                                            "temp_directory": str(spill)})
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        from analytics.linkage.spark import session

        return SparkAPI(spark_session=spark or session(), break_lineage_method="parquet")
    raise ValueError(f"unknown backend {backend!r}: use duckdb or spark")


def _register(db_api, backend: str, frames: list[pd.DataFrame], names: list[str]):
    if backend == "spark":
        spark = db_api.spark
        return [db_api.register(spark.createDataFrame(_spark_ready(f)), dataset_display_name=name) for f, name in zip(frames, names, strict=True)]
    return [db_api.register(f, dataset_display_name=name) for f, name in zip(frames, names, strict=True)]


def _spark_ready(f: pd.DataFrame) -> pd.DataFrame:
    # Spark infers a schema from values: give it no all-null object columns to guess at.
    out = f.copy()
    arrays = (*ARRAY_COLUMNS, "block_joined")
    for column in arrays:
        out[column] = out[column].apply(lambda v: v if isinstance(v, list) else [])
    for column in out.columns:
        if column not in (*arrays, "dob_year"):
            out[column] = out[column].astype("string")
    out["dob_year"] = out["dob_year"].astype("Int64")
    return out


def _train(linker, tables, present: set[str], progress: Callable[[str], None] | None, pairs_total: float):
    """Train u, lambda and m; returns the linker (a new one if an EM session had to be rolled back)."""
    say = progress or (lambda _msg: None)
    say("estimating u (random pairs)")
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=7)
    deterministic = [model.block_on(*cols) for cols in model.DETERMINISTIC_RULES if set(cols) <= present]
    if deterministic:
        say("estimating the share of matching pairs")
        prior = linker._settings_obj._probability_two_random_records_match
        try:
            linker.training.estimate_probability_two_random_records_match(deterministic, recall=model.DETERMINISTIC_RECALL)
        except Exception as exc:  # noqa: BLE001 - no deterministic match at all: keep the prior
            logging.getLogger(__name__).info("lambda estimate skipped: %s", type(exc).__name__)
        estimate = linker._settings_obj._probability_two_random_records_match
        if not (0 < estimate < 1) or not math.isfinite(estimate):
            # No record shares an identifier: Splink sets 0 (and predict would take log2 of it).
            linker._settings_obj._probability_two_random_records_match = prior
    expected = linker._settings_obj._probability_two_random_records_match * pairs_total
    if expected < MIN_EXPECTED_MATCHES:
        # EM learns what matches look like from the matches in the data; with almost none (a
        # registry without duplicates) it fits noise, e.g. "different passports" weighing nothing.
        # Keep the prior m-probabilities; u and the share of matches are still learnt.
        say(f"about {expected:.0f} matches expected: m-probabilities kept from the priors")
        return linker
    for cols in model.TRAINING_RULES:
        if not set(cols) <= present:
            continue
        say(f"EM blocked on {', '.join(cols)}")
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                model.block_on(*cols), fix_u_probabilities=True, record_sample_proportion=1.0, max_pairs=EM_MAX_PAIRS)
        except Exception as exc:  # noqa: BLE001 - a failed session (too few pairs, underflow) is discarded
            # Splink leaves the settings of a failed session half-applied (comparisons removed):
            # continue from the model as it was before the session.
            logging.getLogger(__name__).info("EM session on %s discarded: %s", cols, type(exc).__name__)
            linker = _linker(tables, before)
    return linker


def _linker(tables, settings):
    from splink import Linker

    return Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)


def explain(row, specs: list[model.ComparisonSpec]) -> tuple[Evidence, ...]:
    evidence = []
    for spec in specs:
        if f"gamma_{spec.name}" not in row:  # a stored model without this comparison
            continue
        gamma = int(row[f"gamma_{spec.name}"])
        if gamma < 0:  # null level: no data on one side, no weight
            continue
        # Splink numbers levels from the else level (0) upwards; our labels run strongest first.
        labels = spec.labels
        label = labels[len(labels) - 1 - gamma] if gamma < len(labels) - 1 else labels[1]
        weight = float(row[f"mw_{spec.name}"])
        evidence.append(Evidence(spec.name, spec.title, label, weight if math.isfinite(weight) else -40.0))
    return tuple(evidence)


def _run(frames: list[pd.DataFrame], *, link_type: str, backend: str, threshold: float, train: bool | None,
         model_json: dict | None, progress, spark=None) -> LinkageResult:

    frames = _with_blocking_keys(frames)
    present = _present(frames)
    records = sum(len(f) for f in frames)
    db_api = _db_api(backend, spark)
    tables = _register(db_api, backend, frames, [f"records_{i}" for i in range(len(frames))])
    settings = model.settings(link_type=link_type, columns_present=present, records=records,
                              prior_match_probability=_prior_match_probability(link_type, [len(f) for f in frames]))
    if model_json is not None:
        settings = reuse_model(model_json, settings)
    linker = _linker(tables, settings)
    trained = bool(train if train is not None else (model_json is None and records >= MIN_RECORDS_TO_TRAIN))
    if trained:
        sizes = [len(f) for f in frames]
        pairs_total = sizes[0] * sizes[1] if link_type == "link_only" else sizes[0] * (sizes[0] - 1) / 2
        linker = _train(linker, tables, present, progress, pairs_total)
    if progress:
        progress("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    df = predictions.as_pandas_dataframe()
    specs = [s for s in model.SPECS if s.column in present]
    pairs = []
    for r in df.to_dict("records"):
        id_l, id_r = str(r["unique_id_l"]), str(r["unique_id_r"])
        if link_type == "link_only" and r["source_dataset_l"] != "records_0":
            id_l, id_r = id_r, id_l  # keep (left list, right list) order whatever Splink chose
        pairs.append(ScoredPair(id_l, id_r, float(r["match_probability"]), float(r["match_weight"]), explain(r, specs)))
    pairs.sort(key=lambda p: (-p.probability, p.id_l, p.id_r))
    saved = linker.misc.save_model_to_json()
    return LinkageResult(pairs=pairs, model_json=saved, records=records, candidate_pairs=len(df), trained=trained,
                         comparisons=[s.name for s in specs])


def _prior_match_probability(link_type: str, sizes: list[int]) -> float:
    """What an untrained model assumes (training replaces it): when two lists are linked, half of
    the shorter one is on the other; within one list, one record in a hundred has a duplicate."""
    if link_type == "link_only" and len(sizes) == 2 and min(sizes) > 0:
        return min(0.5, 0.5 * min(sizes) / (sizes[0] * sizes[1]))
    n = max(sum(sizes), 2)
    return min(0.5, 0.01 * n / (n * (n - 1) / 2))


def reuse_model(model_json: dict, fresh) -> dict:
    """A stored trained model, restricted to the blocking of this data's columns."""
    fresh_dict = fresh.get_settings("duckdb").as_dict() if hasattr(fresh, "get_settings") else fresh
    reused = dict(model_json)
    reused["link_type"] = fresh_dict["link_type"]
    reused["blocking_rules_to_generate_predictions"] = fresh_dict["blocking_rules_to_generate_predictions"]
    wanted = {c["output_column_name"] for c in fresh_dict["comparisons"]}
    reused["comparisons"] = [c for c in model_json["comparisons"] if c["output_column_name"] in wanted]
    return reused


def dedupe(records: pd.DataFrame, *, backend: str = "duckdb", threshold: float = DEFAULT_THRESHOLD,
           train: bool | None = None, model_json: dict | None = None, progress=None, spark=None) -> LinkageResult:
    """Pairs of records within one set that are probably the same person."""
    return _run([records], link_type="dedupe_only", backend=backend, threshold=threshold, train=train,
                model_json=model_json, progress=progress, spark=spark)


def link(left: pd.DataFrame, right: pd.DataFrame, *, backend: str = "duckdb", threshold: float = DEFAULT_THRESHOLD,
         train: bool | None = None, model_json: dict | None = None, progress=None, spark=None) -> LinkageResult:
    """Pairs (left record, right record) that are probably the same person; ids stay per side."""
    result = _run([left, right], link_type="link_only", backend=backend, threshold=threshold, train=train,
                  model_json=model_json, progress=progress, spark=spark)
    return result


def best_one_to_one(pairs: list[ScoredPair]) -> list[ScoredPair]:
    """Each record on at most one pair, best first: a list names a person once."""
    used_l: set[str] = set()
    used_r: set[str] = set()
    kept = []
    for pair in sorted(pairs, key=lambda p: (-p.probability, p.id_l, p.id_r)):
        if pair.id_l in used_l or pair.id_r in used_r:
            continue
        used_l.add(pair.id_l)
        used_r.add(pair.id_r)
        kept.append(pair)
    return kept
