"""A Spark session for linkage beyond one machine (Splink's Spark backend).

``SPARK_MASTER`` names the cluster (default ``local[*]``: every core of this machine, useful to
test and for a registry too large for DuckDB's memory but not yet for a cluster). Splink's string
similarity functions ship as a JAR inside the splink package; the session loads it. Nothing here
reaches the network: the UI is off and no packages are fetched.
"""

from __future__ import annotations

import os
import tempfile


def session():
    from pyspark.sql import SparkSession
    from splink.internals.spark.jar_location import similarity_jar_location

    # A single machine needs no routable address; this also keeps Spark off the network.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    checkpoints = os.environ.get("SPARK_CHECKPOINT_DIR") or tempfile.mkdtemp(prefix="crossing-spark-")
    builder = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
        .appName("crossing-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "8"))
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.session.timeZone", "UTC")
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setCheckpointDir(checkpoints)
    spark.sparkContext.setLogLevel("ERROR")
    return spark
