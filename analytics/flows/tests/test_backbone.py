"""rank_backbone: the collector first, above its mules and a busy merchant; victims and cash-outs unranked;
without victims, the alerts and the flow structure carry the ranking."""

import json

import pyarrow as pa
import pytest

from analytics.flows.backbone import rank_backbone
from analytics.flows.tests.test_trace import index, txns
from analytics.flows.trace import TxnIndex


def world(victim_kind: str = "victim"):
    """20 victims pay 4 mules (5 each, USD 2,000); the mules pass 95 % to a collector, who sends 62 % to
    Exchange A and the rest to a casino; a merchant is paid by 200 ordinary customers and by one mule."""
    rows, kinds = [], {"EXA": "exchange", "CAS": "casino", "SHOP": "merchant"}
    for v in range(20):
        kinds[f"V{v}"] = victim_kind
        rows.append((f"v{v}", 1 + v * 0.1, f"V{v}", f"M{v % 4}", 2000.0))
    for m in range(4):
        rows.append((f"m{m}", 5 + m * 0.1, f"M{m}", "COL", 9500.0))
        rows.append((f"s{m}", 6 + m * 0.1, f"M{m}", "SHOP", 100.0 if m == 0 else 20.0))
    rows.append(("c1", 8, "COL", "EXA", 0.62 * 38000))
    rows.append(("c2", 8.5, "COL", "CAS", 0.38 * 38000))
    for c in range(200):
        rows.append((f"p{c}", c * 0.05, f"C{c}", "SHOP", 500.0))
    rows.append(("shop-out", 9, "SHOP", "SUPPLIER", 90_000.0))
    return index(rows, kinds, {"EXA": "Exchange A", "CAS": "Casino Royale"})


def test_collector_first_victims_and_cashouts_excluded():
    ix = world()
    ranked = rank_backbone(ix, top=10)
    ids = [r["account"] for r in ranked]
    assert ids[0] == "COL"
    assert set(ids[1:5]) == {"M0", "M1", "M2", "M3"}
    assert ids.index("SHOP") == 5  # USD 160 of victim money, after the mules
    assert not {"EXA", "CAS"} & set(ids) and not any(i.startswith("V") for i in ids)
    col = ranked[0]
    assert col["victim_usd"] == pytest.approx(38000.0) and col["score"] > ranked[1]["score"]
    assert col["reasons"][0].startswith("USD 38 k of victim money passed through (95% of all traced victim money), "
                                        "in 4 transfers from 4 accounts")
    assert "100% of it left through cash-out points: 62% via Exchange A (EXA), 38% via Casino Royale (CAS)" \
        in col["reasons"]
    m0 = ranked[1]
    assert m0["account"] == "M0" and "USD 10 k of it paid in directly by victims" in m0["reasons"]
    assert any(r.startswith("95% of it left through cash-out points") for r in m0["reasons"])
    json.dumps(ranked)
    # ordering is deterministic: mules with equal money go by account
    assert ids[1:5] == sorted(ids[1:5]) or ranked[1]["score"] != ranked[2]["score"]


def test_complaint_txns_as_victim_payments_and_alert_reasons():
    ix = world(victim_kind="account")
    alerts = pa.table({"alert_id": ["a1", "a2"], "typology": ["fan_in", "pass_through"], "account": ["COL", "M1"],
                       "role": ["collector", "mule"], "score": [0.9, 0.7], "amount_usd": [38000.0, 9500.0],
                       "first_ts": [None, None], "last_ts": [None, None], "evidence": ["", ""]})
    ranked = rank_backbone(ix, victim_txns=[f"v{v}" for v in range(20)], alerts=alerts, top=5)
    assert ranked[0]["account"] == "COL" and ranked[0]["basis"] == "victim money"
    assert "named in 1 alert: fan_in (collector)" in ranked[0]["reasons"]
    assert not any(r["account"].startswith("V") for r in rank_backbone(ix, victim_txns=["v0"], top=50)[:1])


def test_fallback_without_victims_uses_alerts_and_structure():
    ix = world(victim_kind="account")
    alerts = pa.table({"alert_id": [f"a{m}" for m in range(4)], "typology": ["rapid_pass_through"] * 4,
                       "account": [f"M{m}" for m in range(4)], "role": ["mule"] * 4, "score": [0.8] * 4,
                       "amount_usd": [9500.0] * 4, "first_ts": [None] * 4, "last_ts": [None] * 4,
                       "evidence": [""] * 4})
    ranked = rank_backbone(ix, alerts=alerts, top=10)
    ids = [r["account"] for r in ranked]
    assert ids[0] == "COL" and ranked[0]["basis"] == "structure" and ranked[0]["victim_usd"] == 0.0
    assert ids.index("SHOP") > ids.index("M3") and not {"EXA", "CAS"} & set(ids)
    reasons = ranked[0]["reasons"]
    assert reasons[0].startswith("carries ") and "walk from the accounts named in alerts" in reasons[0]
    assert "received USD 38 k, USD 38 k of it from 4 accounts named in alerts" in reasons
    assert any(r.startswith("sent 100% of its outflow to cash-out points: Exchange A (EXA) USD 24 k") for r in reasons)
    m = next(r for r in ranked if r["account"] == "M0")
    assert "named in 1 alert: rapid_pass_through (mule)" in m["reasons"]
    # nothing known at all: plain money-weighted structure, still a ranking
    assert rank_backbone(ix, top=3)


def test_from_connection():
    import duckdb

    con = duckdb.connect()
    con.register("txns", txns([("v", 0, "V", "A", 10.0), ("a", 1, "A", "B", 10.0)]))
    con.execute("CREATE TABLE accounts AS SELECT 'V' AS account, 'victim' AS kind, NULL::TIMESTAMP AS opened, "
                "NULL::VARCHAR AS label")
    assert [r["account"] for r in rank_backbone(con)] == ["A", "B"]
    assert isinstance(TxnIndex.from_connection(con), TxnIndex)
