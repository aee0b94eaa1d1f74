"""The synthetic syndicates: deterministic, valid FtM, calibrated structure, and the benchmark graph."""

import numpy as np
from followthemoney import model

from analytics.network.syndicates import generate_syndicates, scale_graph
from analytics.network.vocabulary import PHONE_SCHEMA, EdgeKind


def test_same_seed_same_world_other_seed_other_world():
    a, b = generate_syndicates(11, syndicates=3), generate_syndicates(11, syndicates=3)
    assert a.entities == b.entities and a.organizers == b.organizers and a.officials == b.officials
    assert generate_syndicates(12, syndicates=3).entities != a.entities
    assert all(e["id"].startswith(("syn-", "worker-")) for e in a.entities)


def test_entities_are_valid_ftm_and_references_resolve():
    world = generate_syndicates(4, syndicates=4)
    by_id = {e["id"]: e for e in world.entities}
    assert len(by_id) == len(world.entities)
    for e in world.entities:
        proxy = model.get_proxy(e, cleaned=False)  # cleans every value: raises on anything invalid
        for prop, values in e["properties"].items():
            p = proxy.schema.properties[prop]
            if p.type.name == "entity":
                for ref in values:
                    assert model.get(by_id[ref]["schema"]).is_a(p.range), (e["id"], prop, ref)
    schemata = {e["schema"] for e in world.entities}
    assert {"Person", "Company", "RealEstate", "BankAccount", "CryptoWallet", "Document", "Payment", "Ownership",
            "Directorship", "Employment", "UnknownLink", "Mention"} <= schemata
    roles = {e["properties"]["role"][0] for e in world.entities if e["schema"] == "UnknownLink"}
    assert {"recruited", "supervises", "held at", "has in contacts"} <= roles


def test_structure_follows_the_calibration():
    world = generate_syndicates(8, syndicates=6, missing=0.0)
    people = {e["id"]: e for e in world.entities if e["schema"] == "Person"}
    assert len(world.bosses) == 6 and set(world.bosses) <= world.organizers
    per = np.bincount([world.syndicate_of[o] for o in world.organizers], minlength=6)
    assert (per >= 3).all() and (per <= 6).all()  # boss, 1-3 heads, 1-2 chief financiers
    compounds = [e for e in world.entities if e["schema"] == "RealEstate"]
    assert len(compounds) >= 6
    assert world.officials and all(people[o]["properties"]["position"] == ["Immigration officer"]
                                   for o in world.officials)
    # Shared hotlines: one number used by recruiters of several syndicates.
    users: dict[str, set] = {}
    for e in world.entities:
        for number in e["properties"].get("phone", []):
            users.setdefault(number, set()).add(world.syndicate_of[e["id"]])
    assert max(len(s) for s in users.values()) >= 2
    g = world.to_graph_data()
    assert g.official.sum() == len(world.officials) and g.worker.sum() == len(world.workers)
    assert PHONE_SCHEMA in g.schemata and (g.amount[g.kind == EdgeKind.PAYMENT] > 0).all()


def test_missing_links_are_dropped():
    full = generate_syndicates(9, syndicates=3, missing=0.0)
    partial = generate_syndicates(9, syndicates=3, missing=0.3)
    assert partial.to_graph_data().edge_count < 0.8 * full.to_graph_data().edge_count


def test_rescued_workers_keep_their_key_name_and_nationality():
    workers = [(7, "NGUYEN VAN AN", "VNM"), (8, "Abebe Kebede", "ETH"), (9, "Ko Ko", "XXA")]
    world = generate_syndicates(2, syndicates=1, workers=workers)
    by_id = {e["id"]: e for e in world.entities}
    assert by_id["worker-7"]["properties"] == {"name": ["NGUYEN VAN AN"], "nationality": ["vn"]}
    assert by_id["worker-9"]["properties"] == {"name": ["Ko Ko"]}  # stateless: no country code
    assert {"worker-7", "worker-8", "worker-9"} <= world.workers


def test_scale_graph_exact_size_and_planted_organizers():
    data, planted = scale_graph(nodes=40_000, edges=200_000, seed=3)
    assert data.node_count == 40_000 and data.edge_count == 200_000
    assert data.src.dtype == np.int32 and data.kind.dtype == np.int8
    assert len(planted) >= data.meta["syndicates"] * 3
    assert {data.schemata[i] for i in planted} == {"Person"}
    again, planted_again = scale_graph(nodes=40_000, edges=200_000, seed=3)
    assert (again.src == data.src).all() and (planted_again == planted).all()
