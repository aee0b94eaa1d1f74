"""The ``txns`` and ``accounts`` relations on disk, and a DuckDB connection that reads them.

Transactions are append-only Parquet files under ``settings.CROSSING_FLOWS_DIR`` (one per imported
batch, sorted by time), readable by DuckDB here and by Spark on a cluster. A file is part of the
relation only once a ``FlowBatch`` row names it, so an import that dies half-way leaves at most an
orphan file that nothing reads (``sweep`` removes it). ``accounts`` comes from the database.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from analytics.flows.schema import ACCOUNT_SCHEMA, TXN_SCHEMA
from crossing.flows.models import DetectionRun, FlowAccount, FlowBatch


def root() -> Path:
    path = Path(settings.CROSSING_FLOWS_DIR)
    (path / "txns").mkdir(parents=True, exist_ok=True, mode=0o700)
    (path / "alerts").mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_table(table: pa.Table, folder: str) -> str:
    """Write a Parquet file completely (temporary name, fsync, rename) and return its name."""
    name = f"{uuid.uuid4().hex}.parquet"
    final = root() / folder / name
    tmp = final.with_name(f".{name}.part")
    try:
        pq.write_table(table, tmp, compression="zstd", row_group_size=1_000_000)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return f"{folder}/{name}"


def txn_files() -> list[str]:
    base = root()
    return [str(base / f) for f in FlowBatch.objects.exclude(file="").order_by("created_at").values_list("file", flat=True)]


def accounts_table() -> pa.Table:
    rows = list(FlowAccount.objects.values_list("account", "kind", "opened", "label"))
    return pa.table({
        "account": pa.array([r[0] for r in rows], pa.string()),
        "kind": pa.array([r[1] for r in rows], pa.string()),
        "opened": pa.array([r[2].replace(tzinfo=None) if r[2] else None for r in rows], pa.timestamp("us")),
        "label": pa.array([r[3] or None for r in rows], pa.string()),
    }, schema=ACCOUNT_SCHEMA)


def connect(*, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB connection with the ``txns`` and ``accounts`` views."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    files = txn_files()
    if files:
        listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        con.execute(f"CREATE VIEW txns AS SELECT * FROM read_parquet([{listing}])")
    else:
        con.register("txns_empty", TXN_SCHEMA.empty_table())
        con.execute("CREATE VIEW txns AS SELECT * FROM txns_empty")
    con.register("accounts_db", accounts_table())
    con.execute("CREATE VIEW accounts AS SELECT * FROM accounts_db")
    return con


def latest_alerts_file() -> str | None:
    run = DetectionRun.objects.first()
    return str(root() / run.file) if run else None


def sweep(older_than_s: float = 0.0) -> int:
    """Remove Parquet files (and half-written ``.part`` files) that no batch or detection run names:
    left by an interrupted import or run. Only files older than ``older_than_s`` go: an import in
    progress has written its file but not yet committed the batch that names it."""
    import time

    base = root()
    named = set(FlowBatch.objects.exclude(file="").values_list("file", flat=True))
    named |= set(DetectionRun.objects.values_list("file", flat=True))
    cutoff = time.time() - older_than_s
    removed = 0
    for folder in ("txns", "alerts"):
        for path in (base / folder).iterdir():
            if f"{folder}/{path.name}" in named:
                continue
            try:
                if not path.is_file() or path.stat().st_mtime > cutoff:
                    continue
            except FileNotFoundError:
                continue
            path.unlink(missing_ok=True)
            removed += 1
    return removed
