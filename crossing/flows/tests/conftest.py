"""Fixtures of the flows tests: a small laundering world over stored transactions."""

from datetime import datetime, timedelta

import pyarrow as pa
import pytest

from analytics.flows import schema
from crossing.access.policy import actor_for
from crossing.flows import services
from crossing.network import services as network_services

T0 = datetime(2025, 2, 1, 8)
COLLECTOR = "TCollector0000000000000000000000001"


def txn_table(rows) -> pa.Table:
    cols = {k: [] for k in schema.TXN_SCHEMA.names}
    for txn, hours, src, dst, amount in rows:
        for key, value in zip(("txn_id", "ts", "src", "dst", "amount", "currency", "amount_usd", "channel", "source"),
                              (txn, T0 + timedelta(hours=hours), src, dst, amount, "USDT", amount, "usdt_trc20", "test"),
                              strict=True):
            cols[key].append(value)
    return pa.table(cols, schema=schema.TXN_SCHEMA)


@pytest.fixture
def analyst(world):
    return actor_for(world.users["police.analyst"])


def load_laundering(analyst) -> None:
    """Ten victims pay two mules; the mules pass the money to a collector wallet held by a boss in the
    network graph; the collector cashes out at an exchange and a guarantee marketplace."""
    rows = []
    for v in range(10):
        rows.append((f"v{v}", v, f"victim-{v}", f"KBANK:10{v % 2}", 1000.0))
    rows += [("m0", 20, "KBANK:100", COLLECTOR, 4900.0), ("m1", 21, "KBANK:101", COLLECTOR, 4900.0),
             ("c0", 30, COLLECTOR, "TExchangeHot000000000000000000000001", 6000.0),
             ("c1", 31, COLLECTOR, "TGuarantee00000000000000000000000001", 3800.0)]
    for i in range(30):  # ordinary shoppers
        rows.append((f"s{i}", i * 2, f"shopper-{i}", "SCB:SHOP", 40.0))
    services.import_table(actor=analyst, table=txn_table(rows), name="test world")
    services.set_accounts(actor=analyst, rows=[{"account": f"victim-{v}", "kind": "victim"} for v in range(10)] + [
        {"account": "TExchangeHot000000000000000000000001", "kind": "exchange", "label": "Exchange A"},
        {"account": "TGuarantee00000000000000000000000001", "kind": "guarantee", "label": "Guarantee market"}])
    network_services.record_entities(actor=analyst, source="test", entities=[
        {"id": "boss", "schema": "Person", "properties": {"name": ["Boss One"]}},
        {"id": "wallet", "schema": "CryptoWallet", "properties": {"publicKey": [COLLECTOR], "holder": ["boss"]}}])


@pytest.fixture
def laundering(analyst):
    load_laundering(analyst)


