"""The demo's money: synthetic transactions whose rings launder into the USDT wallets of the demo
network's chief financiers, complaints from some of their victims, and one run of the detectors.

So the demo can be walked end to end: an analyst opens a complaint, follows the money to an exchange,
sees the accounts on the way flagged by typology, and finds the ranking's top accounts held by the
syndicates' organizers in the network graph. Everything goes through the services as the police
analyst persona (audited like an analyst's work). Synthetic data only.
"""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.auth import get_user_model

from analytics.flows.generator import RingSpec, generate_flows
from analytics.flows.schema import ORDINARY
from analytics.network.vocabulary import EdgeKind
from crossing.access.policy import actor_for
from crossing.flows import services
from crossing.flows.models import Complaint
from crossing.network.models import Edge, Entity

ANALYST = "police.analyst"


def ring_specs() -> list[RingSpec]:
    """One ring per boss of the network compartment: the wallets of the financiers the boss supervises."""
    wallets = {pk: (props.get("publicKey") or [""])[0] for pk, props in
               Entity.objects.filter(schema="CryptoWallet", canonical__isnull=True).values_list("pk", "properties")}
    holder_of = dict(Edge.objects.filter(kind=EdgeKind.HOLDER, target__in=wallets).values_list("target", "source"))
    boss_of = dict(Edge.objects.filter(kind=EdgeKind.SUPERVISES, target__in=set(holder_of.values()))
                   .values_list("target", "source"))
    rings: dict[str, RingSpec] = {}
    for wallet_id, holder in sorted(holder_of.items()):
        address = wallets.get(wallet_id)
        if not address:
            continue
        boss = boss_of.get(holder, holder)
        spec = rings.setdefault(boss, RingSpec(name=f"ring-{len(rings) + 1}"))
        spec.collector_wallets.append(address)
        spec.holders[address] = holder
    return list(rings.values())


def load_demo_flows(*, seed: int = 7, transactions: int = 200_000, complaints: int = 40) -> int:
    users = {u.username: u for u in get_user_model().objects.filter(username=ANALYST)}
    if ANALYST not in users:
        return 0
    analyst = actor_for(users[ANALYST])
    specs = ring_specs()
    world = generate_flows(seed, transactions=transactions, rings=len(specs) or 4, ring_specs=specs or None)
    services.import_table(actor=analyst, table=world.txns, name=f"synthetic transactions (demo, seed {seed})")
    known = world.accounts.filter(pc.or_(pc.not_equal(world.accounts["kind"], ORDINARY),
                                         pc.is_valid(world.accounts["opened"])))
    rows = [{"account": r["account"], "kind": r["kind"], "label": r["label"] or "",
             "opened": r["opened"].replace(tzinfo=UTC) if r["opened"] else None} for r in known.to_pylist()]
    services.set_accounts(actor=analyst, rows=rows, reason="synthetic scenario (demo)")
    _complaints(analyst, world, complaints)
    services.run_detection(actor=analyst)
    return world.txns.num_rows


def _complaints(analyst, world, count: int) -> None:
    """Some victims report on the public page: half are linked to the bank's record, half wait."""
    paid = world.txns.filter(pc.is_in(world.txns["txn_id"], value_set=pa.array(world.truth["victim_payments"])))
    rows = sorted(paid.to_pylist(), key=lambda r: (r["ts"], r["txn_id"]))
    for n, row in enumerate(rows[:: max(1, len(rows) // max(count, 1))][:count]):
        bank, _, number = row["dst"].rpartition(":")
        draft = services.ComplaintDraft(
            paid_at=row["ts"].replace(tzinfo=UTC), amount=Decimal(str(round(row["amount"], 2))),
            currency=row["currency"], paid_to_kind="bank" if bank else "wallet", paid_to=number, bank_name=bank,
            scam_type="investment", story="Synthetic complaint (demo).")
        complaint = services.receive_complaint(draft)
        if complaint.paid_to != row["dst"]:  # keep the account exactly as the bank's data writes it
            Complaint.objects.filter(pk=complaint.pk).update(paid_to=row["dst"])
        if n % 2 == 0:
            services.decide_complaint(actor=analyst, complaint_id=complaint.pk, decision="link", txn_id=row["txn_id"])
