"""trace: FIFO lots, splits and merges, cycles, time order, conservation, cash-out points."""

from datetime import datetime, timedelta

import pyarrow as pa
import pytest

from analytics.flows.schema import ACCOUNT_SCHEMA, TXN_SCHEMA
from analytics.flows.trace import TxnIndex, UnknownTransaction, trace

T0 = datetime(2025, 3, 1)


def txns(rows) -> pa.Table:
    """rows: (txn_id, day, src, dst, amount_usd[, currency, amount])."""
    out = []
    for r in rows:
        tid, day, src, dst, usd = r[:5]
        cur, amount = (r[5], r[6]) if len(r) > 5 else ("USD", usd)
        out.append({"txn_id": tid, "ts": T0 + timedelta(days=day), "src": src, "dst": dst, "amount": amount,
                    "currency": cur, "amount_usd": usd, "channel": "bank", "source": "test"})
    return pa.Table.from_pylist(out, schema=TXN_SCHEMA)


def accounts(kinds: dict[str, str], labels: dict[str, str] | None = None) -> pa.Table:
    labels = labels or {}
    return pa.Table.from_pylist([{"account": a, "kind": k, "opened": None, "label": labels.get(a)}
                                 for a, k in kinds.items()], schema=ACCOUNT_SCHEMA)


def index(rows, kinds=None, labels=None) -> TxnIndex:
    return TxnIndex.from_tables(txns(rows), accounts(kinds or {}, labels))


def amounts(rows) -> dict:
    return {r["account"]: pytest.approx(r["amount_usd"]) for r in rows}


def flow(t, src, dst) -> float:
    return sum(f["amount_usd"] for f in t.flows if f["src"] == src and f["dst"] == dst)


def conserved(t):
    c = t.conserved
    assert c["ok"] and abs(c["cashed_out_usd"] + c["held_usd"] - t.amount_usd) <= 1e-6 * t.amount_usd


def test_fifo_older_money_leaves_first():
    ix = index([("old", 0, "x", "M", 300.0), ("v1", 1, "V", "M", 1000.0),
                ("o1", 2, "M", "Y", 500.0),  # 300 old + 200 victim
                ("o2", 3, "M", "EX", 1000.0),  # 800 victim + 200 beyond what M holds (outside money)
                ], {"V": "victim", "EX": "exchange"}, {"EX": "Exchange A"})
    t = trace(ix, "v1")
    assert flow(t, "V", "M") == pytest.approx(1000.0)
    assert flow(t, "M", "Y") == pytest.approx(200.0)
    assert flow(t, "M", "EX") == pytest.approx(800.0)
    assert t.cashouts == [{"account": "EX", "kind": "exchange", "label": "Exchange A", "amount_usd": pytest.approx(800.0),
                           "share": pytest.approx(0.8)}]
    assert amounts(t.held) == {"Y": 200.0}
    conserved(t)
    assert t.paths[0]["accounts"] == ["V", "M", "EX"] and t.paths[0]["amount_usd"] == pytest.approx(800.0)
    p = trace(ix, "v1", rule="proportional")  # o1 takes 500/1300 of the balance, o2 all the rest
    assert flow(p, "M", "Y") == pytest.approx(500 * 1000 / 1300)
    assert flow(p, "M", "EX") == pytest.approx(1000 - 500 * 1000 / 1300)
    conserved(p)


def test_split_and_merge_and_currency():
    ix = index([("v", 0, "V", "A", 900.0, "THB", 900 / 0.029),
                ("s1", 1, "A", "B", 300.0), ("s2", 1.1, "A", "C", 300.0), ("s3", 1.2, "A", "D", 300.0),
                ("m1", 2, "B", "K", 300.0, "USDT", 300.0), ("m2", 2.1, "C", "K", 300.0, "USDT", 300.0),
                ("m3", 2.2, "D", "K", 250.0, "USDT", 250.0),
                ("c", 3, "K", "EX", 850.0)], {"V": "victim", "EX": "exchange"})
    t = trace(ix, "v")
    assert t.seed["currency"] == "THB" and t.seed["amount"] == pytest.approx(900 / 0.029)
    assert [f["hop"] for f in t.flows] == [0, 1, 1, 1, 2, 2, 2, 3]
    assert flow(t, "K", "EX") == pytest.approx(850.0)
    assert amounts(t.cashouts) == {"EX": 850.0} and amounts(t.held) == {"D": 50.0}
    km = next(f for f in t.flows if f["src"] == "B")
    assert km["currency"] == "USDT" and km["amount"] == pytest.approx(300.0) and km["txn_ids"] == ["m1"]
    conserved(t)
    assert sum(p["amount_usd"] for p in t.paths) == pytest.approx(850.0)
    assert all(p["accounts"][0] == "V" and p["accounts"][-1] == "EX" for p in t.paths)
    d = t.to_dict()
    import json
    assert json.loads(json.dumps(d))["cashouts"][0]["account"] == "EX"


def test_cycle_back_to_start_later():
    ix = index([("v", 0, "V", "A", 100.0), ("a1", 1, "A", "B", 100.0), ("b1", 2, "B", "A", 100.0),
                ("a2", 3, "A", "B", 60.0), ("b2", 4, "B", "A", 60.0), ("a3", 5, "A", "EX", 100.0)],
               {"V": "victim", "EX": "exchange"})
    t = trace(ix, "v")
    assert flow(t, "A", "B") == pytest.approx(160.0)  # the same money crosses twice
    assert flow(t, "B", "A") == pytest.approx(160.0)
    assert amounts(t.cashouts) == {"EX": 100.0} and not t.held
    conserved(t)


def test_payment_before_arrival_is_not_traced():
    ix = index([("early", 0, "A", "X", 100.0), ("fund", 0.5, "F", "A", 100.0), ("v", 1, "V", "A", 100.0),
                ("late", 2, "A", "EX", 150.0)], {"V": "victim", "EX": "exchange"})
    t = trace(ix, "v")
    assert flow(t, "A", "X") == 0.0
    # early left before; the balance was F's 100, which leaves first: 50 of the victim's money follows
    assert amounts(t.cashouts) == {"EX": 50.0} and amounts(t.held) == {"A": 50.0}
    conserved(t)


def test_terminals_hops_horizon_and_dust():
    rows = [("v", 0, "V", "A", 100.0), ("a", 1, "A", "EX", 100.0), ("e", 2, "EX", "Z", 100.0)]
    t = trace(index(rows, {"V": "victim", "EX": "casino"}), "v")
    assert amounts(t.cashouts) == {"EX": 100.0} and "Z" not in {f["dst"] for f in t.flows}
    chain = [("v", 0, "V", "A0", 100.0)] + [(f"h{i}", i + 1, f"A{i}", f"A{i + 1}", 100.0) for i in range(6)]
    ix = index(chain, {"V": "victim"})
    t = trace(ix, "v", max_hops=3)
    assert max(f["hop"] for f in t.flows) == 3
    assert t.held == [{"account": "A3", "kind": "account", "amount_usd": pytest.approx(100.0), "reason": "hop limit"}]
    t = trace(ix, "v", horizon_days=2.5)
    assert amounts(t.held) == {"A2": 100.0} and t.held[0]["reason"] == "end of window"
    t = trace(ix, "v")
    assert t.held[0]["account"] == "A6" and t.held[0]["reason"] == "end of data"
    conserved(t)
    ix = index([("v", 0, "V", "A", 100.0), ("tiny", 1, "A", "B", 0.001), ("a", 2, "A", "C", 99.999)], {"V": "victim"})
    t = trace(ix, "v")
    assert {(h["account"], h["reason"]) for h in t.held} == {("A", "too small to follow"), ("C", "end of data")}
    conserved(t)


def test_seed_paid_straight_to_a_cashout_and_unknown_id():
    ix = index([("v", 0, "V", "EX", 100.0)], {"V": "victim", "EX": "exchange"})
    t = trace(ix, "v")
    assert amounts(t.cashouts) == {"EX": 100.0} and t.paths[0]["accounts"] == ["V", "EX"]
    with pytest.raises(UnknownTransaction):
        trace(ix, "nope")
    with pytest.raises(KeyError):
        trace(ix, "nope")


def test_from_duckdb_connection_keeps_identifiers():
    import duckdb

    con = duckdb.connect()
    t = txns([("v 1", 0, "0012-345", "Acc É", 10.0), ("x", 1, "Acc É", "wallet:TXyz", 10.0)])
    con.register("txns", t)
    con.register("accounts", accounts({"0012-345": "victim"}))
    ix = TxnIndex.from_connection(con)
    tr = trace(ix, "v 1")
    assert [(f["src"], f["dst"]) for f in tr.flows] == [("0012-345", "Acc É"), ("Acc É", "wallet:TXyz")]
    assert tr.seed["src_kind"] == "victim"
