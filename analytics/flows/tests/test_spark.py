"""The detectors' one pipeline definition on Spark (local mode) gives what DuckDB gives.

Runs whenever Java and PySpark are present (set ``CROSSING_REQUIRE_SPARK=1`` to fail instead of
skipping when they are not); one local session for the module, few shuffle partitions."""

from __future__ import annotations

import os
import shutil

import pytest

from analytics.flows import detectors as d
from analytics.flows.tests.test_detectors import connect, sample


def _spark_missing() -> str | None:
    if shutil.which("java") is None:
        return "Java is not installed: Spark cannot run"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    return None


@pytest.fixture(scope="module")
def spark():
    why = _spark_missing()
    if why:
        if os.environ.get("CROSSING_REQUIRE_SPARK"):
            pytest.fail(f"Spark is required for the flows Spark test: {why}")
        pytest.skip(why)
    os.environ.setdefault("SPARK_SHUFFLE_PARTITIONS", "2")
    from analytics.flows.spark import drop_stages, session

    s = session("crossing-flows-test")
    yield s
    drop_stages(s)
    s.catalog.dropTempView("txns")
    s.catalog.dropTempView("accounts")


def test_transpiles_every_detector():
    from analytics.flows.spark import spark_pipeline, spark_stages

    out = spark_pipeline()
    assert [n for n, _ in out] == list(d.TYPOLOGIES)
    stages, queries = spark_stages()
    assert [n for n, _ in queries] == list(d.TYPOLOGIES)
    for _, sql in out + stages + queries:
        assert "EPOCH(" not in sql.upper().replace("UNIX_TIMESTAMP(", "")


def test_same_alerts_as_duckdb(spark):
    from analytics.flows.spark import register, run_detectors_spark

    txns, accounts, planted = sample()
    register(spark, txns, accounts)
    rows = run_detectors_spark(spark).collect()
    duck = d.run_detectors(connect(txns, accounts)).to_pylist()
    got = {(r["typology"], r["account"]) for r in rows}
    want = {(r["typology"], r["account"]) for r in duck}
    assert got == want
    assert planted["cycle"] <= {a for t, a in got if t == "cycle"}
    # the same scores and alert ids
    sc = {(r["alert_id"], r["account"]): round(r["score"], 3) for r in rows}
    dd = {(r["alert_id"], r["account"]): round(r["score"], 3) for r in duck}
    assert sc == dd
    # the façade on detectors works too, with parameters
    few = d.run_detectors_spark(spark, params={"fan_in": {"min_senders": 20}}, only=["fan_in"]).collect()
    assert not few
