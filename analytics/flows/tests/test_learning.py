"""The learned score: features computed right on a hand-made sample, and on a generated world the model
on graph features finds the rings' accounts out of fold (whole rings held out), at least as well as on
raw features alone."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from analytics.flows import learning
from analytics.flows.generator import generate_flows
from analytics.flows.schema import ACCOUNT_SCHEMA, TXN_SCHEMA

T0 = datetime(2025, 3, 1, 12)


def _con(txns: pa.Table, accounts: pa.Table) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("txns", txns)
    con.register("accounts", accounts)
    return con


def _txns(rows) -> pa.Table:
    cols = {k: [] for k in TXN_SCHEMA.names}
    for i, (hours, src, dst, usd) in enumerate(rows):
        for k, v in zip(TXN_SCHEMA.names, (f"t{i}", T0 + timedelta(hours=hours), src, dst, usd, "USD", usd, "bank",
                                           "test"), strict=True):
            cols[k].append(v)
    return pa.table(cols, schema=TXN_SCHEMA)


def test_features_of_a_mule_and_its_neighbours():
    # Three victims pay M; M sends 95 % on to C within a day; C pays an exchange; O is an unrelated pair.
    txns = _txns([(0, "V1", "M", 1000.0), (1, "V2", "M", 1000.0), (2, "V3", "M", 1000.0), (20, "M", "C", 2850.0),
                  (30, "C", "X", 2800.0), (5, "O1", "O2", 10.0), (400, "O2", "O1", 10.0)])
    accounts = pa.table({"account": ["V1", "V2", "V3", "X"], "kind": ["victim"] * 3 + ["exchange"],
                         "opened": pa.array([None] * 4, pa.timestamp("us")), "label": [None] * 4}, schema=ACCOUNT_SCHEMA)
    alerts = pa.table({"alert_id": ["a1", "a1"], "account": ["M", "V1"], "typology": ["fan_in", "fan_in"],
                       "score": [0.8, 0.8]})
    table = learning.account_features(_con(txns, accounts), alerts)
    rows = {r["account"]: r for r in table.to_pylist()}
    assert set(rows) == {"M", "C", "O1", "O2"}  # victims and the exchange are known: not scored
    m = rows["M"]
    assert (m["deg_in"], m["deg_out"], m["n_in"], m["n_out"]) == (3, 1, 3, 1)
    assert m["balance"] == pytest.approx(0.95)
    assert m["onward_48h"] == 1.0 and m["victim_in_share"] == 1.0
    assert m["dwell_h"] == pytest.approx(19.0)
    assert m["alert_fan_in"] == 0.8 and m["alerts"] == 1
    assert rows["C"]["cashout_out_share"] == 1.0 and rows["C"]["snd_balance"] == pytest.approx(0.95)
    assert rows["C"]["rcv_deg_in"] == pytest.approx(math.log(2))  # the exchange (not scored) still counts as a receiver
    assert rows["O1"]["reciprocity"] == 1.0 and rows["O1"]["onward_48h"] == 0.0  # paid back 16 days later
    assert rows["O1"]["snd_deg_out"] == pytest.approx(math.log(2))  # its one sender pays one account


@pytest.fixture(scope="module")
def world_features():
    world = generate_flows(5, transactions=40_000, rings=4)
    table = learning.account_features(_con(world.txns, world.accounts))
    ring_of = {a: ring for ring, r in world.truth["rings"].items()
               for key in ("mules", "layering", "brokers", "collectors") for a in r[key]}
    accounts = table.column("account").to_pylist()
    y = np.array([int(a in ring_of) for a in accounts])
    groups = np.array([ring_of.get(a, f"bg{i % 4}") for i, a in enumerate(accounts)])
    return table, y, groups


def test_graph_features_find_the_rings_accounts_out_of_fold(world_features):
    table, y, groups = world_features
    assert y.sum() > 50
    graph, _, _ = learning.cross_validate(learning.matrix(table, learning.columns("graph", False)), y, groups)
    raw, _, _ = learning.cross_validate(learning.matrix(table, learning.columns("raw")), y, groups)
    assert graph.f1 >= 0.8
    assert graph.f1 >= raw.f1 - 0.02


def test_score_explains_each_account_with_its_unusual_values(world_features):
    table, y, _ = world_features
    accounts = table.column("account").to_pylist()
    scored = learning.score(table, {a: int(v) for a, v in zip(accounts, y, strict=True)})
    top = int(np.argmax(scored.scores))
    assert y[top] == 1 and scored.scores[top] >= scored.threshold
    assert scored.reasons[top] and all("% of accounts)" in r for r in scored.reasons[top])
    assert scored.importance[0][1] >= scored.importance[-1][1]


def test_an_unknown_feature_set_is_refused():
    with pytest.raises(ValueError, match="feature set"):
        learning.columns("deep")
