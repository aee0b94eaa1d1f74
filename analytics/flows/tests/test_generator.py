"""generator: schema, determinism, planted typologies have their shape, victims, conservation, ring specs."""

from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pyarrow.parquet as pq
import pytest

from analytics.flows.generator import (
    FAN_K,
    REPORTING_THRESHOLDS,
    TYPOLOGIES,
    FlowWorld,
    RingSpec,
    generate_flows,
)
from analytics.flows.schema import (
    ACCOUNT_KINDS,
    ACCOUNT_SCHEMA,
    CASH_OUT_KINDS,
    CHANNELS,
    TXN_SCHEMA,
    USD_RATES,
)

START, DAYS = datetime(2025, 1, 1), 180


@pytest.fixture(scope="module")
def world() -> FlowWorld:
    return generate_flows(seed=7, transactions=20_000)


@pytest.fixture(scope="module")
def rows(world):
    return {r["txn_id"]: r for r in world.txns.to_pylist()}


@pytest.fixture(scope="module")
def kinds(world):
    return {r["account"]: r for r in world.accounts.to_pylist()}


def instances(world):
    for typology, items in world.truth["typologies"].items():
        for ins in items:
            yield typology, ins


def test_schema_exact_and_values(world, rows):
    assert world.txns.schema.equals(TXN_SCHEMA)
    assert world.accounts.schema.equals(ACCOUNT_SCHEMA)
    assert world.txns.num_rows == 20_000
    assert len(rows) == world.txns.num_rows  # txn_id unique
    for r in rows.values():
        assert r["amount"] > 0 and r["amount_usd"] > 0
        assert r["amount_usd"] == pytest.approx(r["amount"] * USD_RATES[r["currency"]])
        assert START <= r["ts"] < START + timedelta(days=DAYS)
        assert r["channel"] in CHANNELS and r["source"]
        assert r["src"] != r["dst"]
    accs = world.accounts.column("account").to_pylist()
    assert len(accs) == len(set(accs))
    assert set(world.accounts.column("kind").to_pylist()) <= set(ACCOUNT_KINDS)


def test_deterministic_for_a_seed():
    a, b = generate_flows(3, transactions=3000, rings=2), generate_flows(3, transactions=3000, rings=2)
    assert a.txns.equals(b.txns) and a.accounts.equals(b.accounts) and a.truth == b.truth
    c = generate_flows(4, transactions=3000, rings=2)
    assert not a.txns.equals(c.txns)


def test_every_typology_planted_fast_and_slow_in_every_ring(world):
    per_ring = Counter((ins["ring"], t) for t, ins in instances(world))
    for ring in world.truth["rings"]:
        for t in TYPOLOGIES:
            assert per_ring[(ring, t)] >= 2, (ring, t)
    speeds = Counter((t, ins["speed"]) for t, ins in instances(world))
    for t in TYPOLOGIES:
        assert speeds[(t, "fast")] and speeds[(t, "slow")], t
    fast = [ins["window_hours"] for t, ins in instances(world) if t == "pass_through" and ins["speed"] == "fast"]
    slow = [ins["window_hours"] for t, ins in instances(world) if t == "pass_through" and ins["speed"] == "slow"]
    assert sorted(fast)[len(fast) // 2] < 12 and sorted(slow)[len(slow) // 2] > 24


def test_instances_lie_in_their_window_and_use_their_accounts(world, rows):
    for t, ins in instances(world):
        txs = [rows[i] for i in ins["txns"]]
        assert txs, (t, ins)
        start = datetime.fromisoformat(ins["start"])
        end = start + timedelta(hours=ins["window_hours"])
        assert all(start <= r["ts"] <= end for r in txs), (t, ins)
        touched = {r["src"] for r in txs} | {r["dst"] for r in txs}
        assert set(ins["accounts"]) <= touched, (t, ins)
        if ins["hub"] is not None:
            assert ins["hub"] in ins["accounts"]


def test_fan_in_fan_out_shape(world, rows):
    for t, ins in instances(world):
        txs = [rows[i] for i in ins["txns"]]
        if t == "fan_in":
            assert all(r["dst"] == ins["hub"] for r in txs)
            assert len({r["src"] for r in txs}) >= FAN_K
        elif t == "fan_out":
            assert all(r["src"] == ins["hub"] for r in txs)
            assert len({r["dst"] for r in txs}) >= FAN_K


def test_pass_through_shape(world, rows):
    for t, ins in instances(world):
        if t != "pass_through":
            continue
        a, hub, b = ins["accounts"]
        got, sent = (rows[i] for i in ins["txns"])
        assert (got["src"], got["dst"], sent["src"], sent["dst"]) == (a, hub, hub, b)
        assert got["ts"] < sent["ts"]
        assert 0.95 * got["amount_usd"] <= sent["amount_usd"] <= got["amount_usd"]


def test_cycle_returns_to_start_in_time_order_with_shrinking_amounts(world, rows):
    n = 0
    for t, ins in instances(world):
        if t != "cycle":
            continue
        n += 1
        txs = [rows[i] for i in ins["txns"]]
        members = ins["accounts"]
        assert len(members) >= 3 and len(txs) == len(members)
        assert txs[0]["src"] == members[0] and txs[-1]["dst"] == members[0]
        for x, y in zip(txs, txs[1:], strict=False):
            assert x["dst"] == y["src"] and x["ts"] < y["ts"] and x["amount_usd"] > y["amount_usd"]
    assert n >= 2


def test_scatter_gather_and_gather_scatter_shape(world, rows):
    for t, ins in instances(world):
        txs = [rows[i] for i in ins["txns"]]
        if t == "scatter_gather":
            src, sink = ins["source"], ins["sink"]
            assert ins["hub"] == sink
            mids = {r["dst"] for r in txs if r["src"] == src}
            assert len(mids) >= 3
            assert mids == {r["src"] for r in txs if r["dst"] == sink}
        elif t == "gather_scatter":
            hub = ins["hub"]
            ins_, outs = [r for r in txs if r["dst"] == hub], [r for r in txs if r["src"] == hub]
            assert len({r["src"] for r in ins_}) >= 2 and len({r["dst"] for r in outs}) >= 3
            assert max(r["ts"] for r in ins_) < min(r["ts"] for r in outs)
            assert sum(r["amount_usd"] for r in outs) <= sum(r["amount_usd"] for r in ins_)


def test_structuring_and_round_amounts_shape(world, rows):
    for t, ins in instances(world):
        txs = [rows[i] for i in ins["txns"]]
        if t == "structuring":
            assert len(txs) >= 3 and all(r["src"] == ins["hub"] for r in txs)
            for r in txs:
                thr = REPORTING_THRESHOLDS[r["currency"]]
                assert 0.9 * thr <= r["amount"] < thr
        elif t == "round_amounts":
            assert len(txs) >= 3 and all(r["src"] == ins["hub"] for r in txs)
            assert all(r["amount"] % 100 == 0 for r in txs)
    assert {"THB", "USD", "USDT"} <= set(REPORTING_THRESHOLDS)


def test_new_account_burst_shape(world, rows, kinds):
    for t, ins in instances(world):
        if t != "new_account_burst":
            continue
        opened = kinds[ins["hub"]]["opened"]
        txs = [rows[i] for i in ins["txns"]]
        first = min(r["ts"] for r in txs)
        assert opened is not None and timedelta(0) < first - opened <= timedelta(days=15)
        assert len(txs) >= FAN_K and all(ins["hub"] in (r["src"], r["dst"]) for r in txs)


def test_victim_payments_start_at_victims_and_reach_mules(world, rows, kinds):
    truth = world.truth
    mules = {m for r in truth["rings"].values() for m in r["mules"]}
    vp = truth["victim_payments"]
    assert vp and len(vp) == len(set(vp))
    for i in vp:
        r = rows[i]
        assert kinds[r["src"]]["kind"] == "victim" and r["dst"] in mules
    sent_by_victims = {i for i, r in rows.items() if kinds.get(r["src"], {}).get("kind") == "victim"}
    assert sent_by_victims == set(vp)
    channels = Counter(rows[i]["channel"] for i in vp)
    assert channels["bank"] + channels["usdt_trc20"] > 0.8 * len(vp)
    for i in truth["inducements"]:
        r = rows[i]
        assert kinds[r["dst"]]["kind"] == "victim" and r["src"] in mules


def test_money_conservation_and_exit_shares(world, rows, kinds):
    truth = world.truth
    mule_ring = {m: name for name, r in truth["rings"].items() for m in r["mules"]}
    inflow = defaultdict(float)
    for i in truth["victim_payments"]:
        inflow[mule_ring[rows[i]["dst"]]] += rows[i]["amount_usd"]
    out = defaultdict(lambda: defaultdict(float))
    for c in truth["cashouts"]:
        r = rows[c["txn_id"]]
        assert kinds[r["dst"]]["kind"] in CASH_OUT_KINDS and r["src"] in truth["rings"][c["ring"]]["collectors"]
        out[c["ring"]][kinds[r["dst"]]["kind"]] += r["amount_usd"]
    for name, ring in truth["rings"].items():
        total = sum(out[name].values())
        assert ring["victim_usd"] == pytest.approx(inflow[name], rel=1e-6)
        assert 0.8 * inflow[name] < total <= inflow[name]
        assert out[name]["exchange"] / total == pytest.approx(0.5, abs=0.06)
        assert out[name]["guarantee"] / total == pytest.approx(0.3, abs=0.06)
        assert out[name]["casino"] / total == pytest.approx(0.2, abs=0.06)


def test_backbone_ranks_ring_accounts_by_victim_money(world):
    bb = world.truth["backbone"]
    amounts = [b["victim_usd"] for b in bb]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] > 0
    collectors = {c for r in world.truth["rings"].values() for c in r["collectors"]}
    top = {b["account"] for b in bb[: 3 * len(world.truth["rings"])]}
    assert top & collectors
    assert {b["role"] for b in bb} == {"mule", "layering", "broker", "collector"}


def test_mules_opened_and_share_new(world, kinds):
    bank_mules = [m for r in world.truth["rings"].values() for m in r["mules"] if ":" in m]
    assert all(kinds[m]["opened"] is not None and kinds[m]["kind"] == "account" for m in bank_mules)
    new = [ins["hub"] for t, ins in instances(world) if t == "new_account_burst"]
    assert 0.15 <= len(set(new)) / len(bank_mules) <= 0.6


def test_background_has_legitimate_fan_in_and_fan_out(world, rows, kinds):
    payers = defaultdict(set)
    payees = defaultdict(set)
    for r in rows.values():
        payers[r["dst"]].add(r["src"])
        payees[r["src"]].add(r["dst"])
    merchants = [a for a, k in kinds.items() if k["kind"] == "merchant"]
    assert max(len(payers[m]) for m in merchants) >= 5 * FAN_K
    payroll = [a for a, k in kinds.items() if (k["label"] or "").startswith("Payroll")]
    assert max(len(payees[e]) for e in payroll) >= 2 * FAN_K
    assert world.truth["planted_rows"] < 0.5 * len(rows)
    currencies = Counter(r["currency"] for r in rows.values())
    assert {"THB", "USD", "CNY", "MYR", "USDT"} <= set(currencies)


def test_ring_specs_collectors_and_holders():
    wallets = ["TCollectorWalletOfTheChiefFinancier1", "TCollectorWalletOfTheChiefFinancier2"]
    specs = [RingSpec("Shwe ring", collector_wallets=wallets, holders={wallets[0]: "person-1", wallets[1]: "person-2"}),
             RingSpec("Golden ring")]
    w = generate_flows(11, transactions=4000, ring_specs=specs)
    assert list(w.truth["rings"]) == ["Shwe ring", "Golden ring"]
    ring = w.truth["rings"]["Shwe ring"]
    assert ring["collectors"] == wallets and ring["holders"] == {wallets[0]: "person-1", wallets[1]: "person-2"}
    txns = w.txns.to_pylist()
    into = {r["dst"] for r in txns}
    assert set(wallets) <= into
    shwe = [c for c in w.truth["cashouts"] if c["ring"] == "Shwe ring"]
    assert shwe and all(c["src"] in wallets for c in shwe)
    assert w.truth["rings"]["Golden ring"]["collectors"][0].startswith("T")


def test_small_world_and_write(tmp_path):
    w = generate_flows(5, transactions=100, rings=1, days=30)
    assert w.txns.num_rows == w.truth["planted_rows"] >= 100  # the rings are planted whatever the size
    ts = w.txns.column("ts").to_pylist()
    assert min(ts) >= START and max(ts) < START + timedelta(days=30)
    w.write(tmp_path)
    assert pq.read_table(tmp_path / "txns.parquet").equals(w.txns)
    assert pq.read_table(tmp_path / "accounts.parquet").schema.equals(ACCOUNT_SCHEMA)
    import json
    assert json.loads((tmp_path / "truth.json").read_text())["victim_payments"] == w.truth["victim_payments"]
