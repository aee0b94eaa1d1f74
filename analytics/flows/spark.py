"""The typology detectors on Apache Spark, for national-scale data.

The pipeline is the one of ``analytics.flows.detectors``: each detector's DuckDB SQL is transpiled with
``sqlglot.transpile(sql, read="duckdb", write="spark")`` (as Splink does) and run against the temp views
``txns`` and ``accounts``. The shared stages (cleaned transfers, per-account and per-window aggregates)
are materialised once (local checkpoints) as temp views named as in DuckDB (``fl_*``): Spark would recompute a CTE
at every reference. ``session()`` makes a local session that never reaches the network (UI off,
no packages fetched, UTC); ``SPARK_MASTER`` names a cluster instead.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache, reduce

from . import detectors


def session(app: str = "crossing-flows"):
    from pyspark.sql import SparkSession
    from splink.internals.spark.jar_location import similarity_jar_location

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        .appName(app)
        # One JVM per process: whichever session starts it fixes its JARs, so this one carries Splink's
        # string functions too, for the linkage pipeline that may share the process.
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"))
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.local.dir", os.environ.get("SPARK_LOCAL_DIR") or tempfile.gettempdir())
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@lru_cache(maxsize=256)
def to_spark(sql: str) -> str:
    """DuckDB SQL -> Spark SQL."""
    import sqlglot

    (out,) = sqlglot.transpile(sql, read="duckdb", write="spark")
    return out


def spark_pipeline(params: dict | None = None, only: list[str] | None = None) -> list[tuple[str, str]]:
    """(typology, Spark SQL) for each selected detector."""
    return [(name, to_spark(sql)) for name, sql in detectors.pipeline(params, only)]


def spark_stages(params: dict | None = None, only: list[str] | None = None):
    """(stages, detectors) in Spark SQL: see ``detectors.staged_pipeline``."""
    stages, queries = detectors.staged_pipeline(params, only)
    return [(n, to_spark(s)) for n, s in stages], [(n, to_spark(s)) for n, s in queries]


def run_detectors_spark(spark, params: dict | None = None, only: list[str] | None = None):
    """All selected detectors as one Spark DataFrame of ``detectors.OUTPUT_COLUMNS``. ``txns`` and
    ``accounts`` must be temp views. The shared stages are computed here, once, as checkpointed temp views
    and each detector's steps (its CTEs, ``fl_<typology>_*``) likewise; the views are kept for the
    lazy result (a later call replaces them; ``drop_stages`` releases them). Only each detector's
    final step runs when the result is collected or written."""
    from pyspark.sql import functions as F

    cols = list(detectors.OUTPUT_COLUMNS)
    stages, queries = spark_stages(params, only)
    if not queries:
        raise ValueError("no detector selected")
    for name, sql in stages:
        _materialise(spark, name, sql)
    frames = []
    for typology, sql in queries:
        ctes, final = split_ctes(sql, f"fl_{typology}_")
        for name, q in ctes:  # each CTE read twice or more, once (Spark would recompute it at every read)
            _materialise(spark, name, q)
        df = spark.sql(final).select(*cols)
        frames.append(df.select(
            F.col("alert_id").cast("string"), F.col("typology").cast("string"), F.col("account").cast("string"),
            F.col("role").cast("string"), F.col("score").cast("double"), F.col("amount_usd").cast("double"),
            F.col("first_ts").cast("timestamp"), F.col("last_ts").cast("timestamp"),
            F.col("evidence").cast("string")))
    return reduce(lambda a, b: a.unionByName(b), frames)


def _materialise(spark, name: str, sql: str) -> None:
    """``sql`` computed now and kept as the temp view ``name``: a local checkpoint, so that the plans
    reading it start from the stored rows (a cached view would still carry, and re-optimise, its whole
    lineage in every plan that reads it)."""
    spark.sql(sql).localCheckpoint(eager=True).createOrReplaceTempView(name)


def split_ctes(sql: str, prefix: str) -> tuple[list[tuple[str, str]], str]:
    """A Spark SQL query ``WITH a AS (...), b AS (...) SELECT ...`` -> ([(prefix + a, SQL), ...], final
    SELECT), references renamed, so that each CTE read more than once can be materialised once as a
    temp view (the others stay CTEs, inlined where they are read)."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="spark")
    key = "with_" if "with_" in tree.args else "with"
    w = tree.args.get(key)
    if w is None:
        return [], sql
    names = {c.alias_or_name: prefix + c.alias_or_name for c in w.expressions}

    def rename(q):
        for t in q.find_all(exp.Table):
            if not t.args.get("db") and t.name in names:
                if not t.alias:  # columns may be qualified by the CTE's name
                    t.set("alias", exp.TableAlias(this=exp.to_identifier(t.name)))
                t.set("this", exp.to_identifier(names[t.name]))
        return q

    # a CTE read once stays inline (nothing is recomputed); one read more often becomes a view
    refs = {n: 0 for n in names}
    for t in tree.find_all(exp.Table):
        if not t.args.get("db") and t.name in refs:
            refs[t.name] += 1
    keep = {n for n, k in refs.items() if k > 1}
    names = {n: v for n, v in names.items() if n in keep}
    ctes, inline = [], []
    for c in w.expressions:
        name = c.alias_or_name
        if name in keep:
            q = c.this.copy()
            if inline:
                q.set(key, exp.With(expressions=[x.copy() for x in inline]))
            ctes.append((names[name], rename(q).sql(dialect="spark")))
        else:
            inline.append(c)
    tree = tree.copy()
    tree.set(key, exp.With(expressions=[x.copy() for x in inline]) if inline else None)
    return ctes, rename(tree).sql(dialect="spark")


def drop_stages(spark) -> None:
    """Drop the stage and step views (``fl_*``) left by ``run_detectors_spark``."""
    for t in spark.catalog.listTables():
        if t.isTemporary and t.name.startswith("fl_"):
            spark.catalog.dropTempView(t.name)


def register(spark, txns, accounts) -> None:
    """Make ``txns`` and ``accounts`` temp views from pyarrow tables (for tests and small samples)."""
    for name, table in (("txns", txns), ("accounts", accounts)):
        df = spark.createDataFrame(table.to_pandas(), schema=_spark_schema(table.schema))
        df.createOrReplaceTempView(name)


def _spark_schema(schema):
    import pyarrow as pa
    from pyspark.sql import types as T

    def conv(t):
        if pa.types.is_timestamp(t):
            return T.TimestampType()
        if pa.types.is_floating(t):
            return T.DoubleType()
        if pa.types.is_integer(t):
            return T.LongType()
        return T.StringType()

    return T.StructType([T.StructField(f.name, conv(f.type), True) for f in schema])
