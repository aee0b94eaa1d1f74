"""The demo walk of issue 7: from a complaint, the money is traced to an exchange through accounts
flagged by typology, and the ranking's top accounts are held by the syndicates' organizers."""

import pytest

from analytics.flows.schema import CASH_OUT_KINDS
from crossing.access.policy import actor_for
from crossing.flows import selectors
from crossing.flows.demo import load_demo_flows, ring_specs
from crossing.flows.models import Complaint, ComplaintStatus, DetectionRun
from crossing.network.demo import load_demo_network


@pytest.mark.slow
def test_the_demo_walk_from_a_complaint_to_the_organizers(world):
    load_demo_network(seed=7, syndicates=2, workers=5)
    specs = ring_specs()
    assert specs and all(spec.collector_wallets for spec in specs)
    assert load_demo_flows(seed=7, transactions=20_000, complaints=10) == 20_000
    assert DetectionRun.objects.exists()
    analyst = actor_for(world.users["police.analyst"])

    linked = Complaint.objects.filter(status=ComplaintStatus.LINKED).first()
    trace = selectors.trace(analyst, linked.txn_id)
    assert trace["conserved"]["ok"]
    assert any(c["kind"] in CASH_OUT_KINDS for c in trace["cashouts"])
    assert trace["flagged"], "accounts on the way are flagged by typology"

    organizers = {holder for spec in specs for holder in spec.holders.values()}
    top = selectors.ranking(analyst, top=5)
    held = [r for r in top if {h for h, _name in r["holders"]} & organizers]
    assert held and top.index(held[0]) <= 2, [(r["account"], r["holders"]) for r in top]
