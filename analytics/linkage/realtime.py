"""Scoring one new record against a few candidates while an officer types (search before create).

Same comparisons and weights as deduplication (the last trained model, or the priors), run by
Splink's record-at-a-time comparison on a small in-memory DuckDB per thread; the SQL is built once
per model and reused, so a keystroke costs tens of milliseconds.
"""

from __future__ import annotations

import threading

from analytics.linkage import engine, model
from analytics.linkage.records import COLUMNS

_local = threading.local()
_ALL_COLUMNS = set(COLUMNS)


def _db_api():
    if getattr(_local, "db_api", None) is None:
        import duckdb
        from splink import DuckDBAPI

        _local.db_api = DuckDBAPI(duckdb.connect(config={"memory_limit": "256MB"}))
    return _local.db_api


_settings_cache: dict[str, dict] = {}


def _settings(model_json: dict | None, cache_key: str) -> dict:
    # Building settings parses every level's SQL (a quarter of a second): once per model.
    if cache_key not in _settings_cache:
        fresh = model.settings(link_type="dedupe_only", columns_present=_ALL_COLUMNS, prior_match_probability=1e-4)
        fresh = fresh.get_settings("duckdb").as_dict()
        _settings_cache[cache_key] = engine.reuse_model(model_json, fresh) if model_json else fresh
    return _settings_cache[cache_key]


def score(record: dict, candidates: list[dict], *, model_json: dict | None = None, cache_key: str = "priors"
          ) -> list[engine.ScoredPair]:
    """``record`` against each candidate (feature dicts from ``records.features``), best first."""
    if not candidates:
        return []
    from splink.internals.realtime import compare_records

    left = engine.frame([record])
    right = engine.frame(candidates)
    result = compare_records(left, right, _settings(model_json, cache_key), _db_api(), sql_cache_key=f"intake:{cache_key}")
    df = result.as_pandas_dataframe()
    result.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    specs = list(model.SPECS)
    pairs = [engine.ScoredPair(str(r["unique_id_l"]), str(r["unique_id_r"]), float(r["match_probability"]),
                               float(r["match_weight"]), engine.explain(r, specs))
             for r in df.to_dict("records")]
    return sorted(pairs, key=lambda p: -p.probability)



