"""Network intelligence in the browser: analysts see and edit, investigators read only, supervisors
decide conflict alerts, and everyone outside the compartment gets the same 404 on every page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crossing.access.models import DenyEntry
from crossing.access.policy import actor_for
from crossing.network import services
from crossing.network.models import ConflictAlert, ConflictStatus, Entity, Statement

OUTSIDERS = ["shelter.staff", "embassy.china", "screening.officer", "social.worker", "outsider"]


@pytest.fixture
def syndicate(world):
    analyst = actor_for(world.users["police.analyst"])
    services.record_entities(actor=analyst, source="device:BOSS-PHONE-1", confidence=0.9, entities=[
        {"id": "boss", "schema": "Person", "properties": {"name": ["Boss Bai"], "phone": ["+66 81 000 1111"]}},
        {"id": "recruiter", "schema": "Person", "properties": {"name": ["Recruiter Ko"]}},
        {"id": "worker", "schema": "Person", "properties": {"name": ["ZHANG WEI"]}},
        {"id": "boss-alias", "schema": "Person", "properties": {"name": ["Lao Bai"]}},
        {"id": "kk", "schema": "RealEstate", "properties": {"name": ["KK Park building 7"]}},
        {"id": "shell", "schema": "Company", "properties": {"name": ["Golden Shell Ltd"]}},
        {"id": "l1", "schema": "UnknownLink", "properties": {"subject": ["boss"], "object": ["recruiter"],
                                                              "role": ["supervises"]}},
        {"id": "l2", "schema": "UnknownLink", "properties": {"subject": ["recruiter"], "object": ["worker"],
                                                              "role": ["recruited"], "date": ["2025-01-10"]}},
        {"id": "l3", "schema": "UnknownLink", "properties": {"subject": ["worker"], "object": ["kk"],
                                                              "role": ["held at"]}},
        {"id": "o1", "schema": "Ownership", "properties": {"owner": ["boss"], "asset": ["shell"]}},
    ])
    services.link_person(actor=analyst, entity_id="worker", person_id=world.people["cn_shelter"].pk)
    return analyst


def _alert(world):
    return ConflictAlert.objects.create(
        official=world.users["case.officer"], entity_id="boss", reason="Officer — has in contacts — Boss Bai",
        path=[["officer", "Officer on duty", "Person", ""], ["phone:+66810001111", "+66810001111", "Phone", "uses phone"],
              ["boss", "Boss Bai", "Person", "uses phone"]],
        proposed_people=[str(world.people["cn_shelter"].pk)])


def _urls(alert_id=None):
    return [reverse("web:network"), reverse("web:network") + "?q=Boss", reverse("web:network-new"),
            reverse("web:network-import"), reverse("web:network-conflicts"),
            reverse("web:network-entity", args=["boss"]), reverse("web:network-entity", args=["worker"]) + "?to=boss",
            reverse("web:network-graph", args=["boss"]), reverse("web:network-graph-json", args=["boss"]),
            reverse("web:network-timeline", args=["boss"])]


def test_analyst_searches_and_sees_the_ranking(syndicate, login):
    client = login("police.analyst")
    page = client.get(reverse("web:network"), {"q": "Bai", "schema": "Person"}).content.decode()
    assert 'id="network-results"' in page and "Boss Bai" in page and "Lao Bai" in page
    assert "Golden Shell" not in page.split('id="network-ranking"')[0]  # filtered by schema
    ranking = page.split('id="network-ranking"')[1]
    assert reverse("web:network-entity", args=["boss"]) in ranking  # the boss commands and owns: ranked
    assert 'id="network-new"' in page and 'id="network-import"' in page
    nav = page.split("</nav>")[0]
    assert reverse("web:network") in nav and reverse("web:network-conflicts") in nav


def test_entity_page_shows_provenance_links_and_the_registry_link(syndicate, login, world):
    client = login("police.analyst")
    page = client.get(reverse("web:network-entity", args=["worker"])).content.decode()
    assert "device:BOSS-PHONE-1" in page and "police.analyst" in page and "0.90" in page
    assert reverse("web:person-detail", args=[world.people["cn_shelter"].pk]) in page
    links = page.split('id="entity-links"')[1].split("</table>")[0]
    assert reverse("web:network-entity", args=["recruiter"]) in links and "2025-01-10" in links
    assert 'id="merge-form"' in page and 'name="statement_id"' in page
    link = client.get(reverse("web:network-entity", args=["l2"])).content.decode()  # a link record, not a node
    assert "recruited" in link and "No recruitment chain" in link


def test_an_empty_compartment_renders(world, login):
    page = login("police.analyst").get(reverse("web:network")).content.decode()
    assert "No entities to rank yet." in page


def test_recruitment_chain_runs_from_the_worker_up_to_the_organizer(syndicate, login):
    client = login("police.analyst")
    page = client.get(reverse("web:network-entity", args=["worker"])).content.decode()
    chain = page.split('id="recruitment-chain"')[1].split("</section>")[0]
    order = [chain.index(name) for name in ("ZHANG WEI", "Recruiter Ko", "Boss Bai")]
    assert order == sorted(order)
    assert "recruited" in chain and "supervises" in chain


def test_path_between_two_entities(syndicate, login):
    client = login("police.analyst")
    page = client.get(reverse("web:network-entity", args=["kk"]), {"to": "shell"}).content.decode()
    path = page.split('id="path-steps"')[1].split("</ol>")[0]
    order = [path.index(name) for name in ("KK Park building 7", "ZHANG WEI", "Recruiter Ko", "Boss Bai",
                                            "Golden Shell")]
    assert order == sorted(order)
    page = client.get(reverse("web:network-entity", args=["kk"]), {"to": "nobody"}).content.decode()
    assert 'id="no-path"' in page


def test_graph_json_returns_the_neighbourhood(syndicate, login):
    client = login("police.analyst")
    data = client.get(reverse("web:network-graph-json", args=["recruiter"]), {"hops": 1}).json()
    assert data["centre"] == "recruiter" and data["truncated"] is False
    assert {n["id"] for n in data["nodes"]} == {"recruiter", "boss", "worker"}
    edges = {(e["source"], e["label"], e["target"]) for e in data["edges"]}
    assert edges == {("boss", "supervises", "recruiter"), ("recruiter", "recruited", "worker")}
    worker = next(n for n in data["nodes"] if n["id"] == "worker")
    assert worker["worker"] is True and worker["schema"] == "Person"
    wider = client.get(reverse("web:network-graph-json", args=["recruiter"]), {"hops": 2}).json()
    assert {"kk", "shell", "phone:+66810001111"} <= {n["id"] for n in wider["nodes"]}
    assert client.get(reverse("web:network-graph-json", args=["nobody"])).status_code == 404


def test_graph_page_loads_cytoscape_and_lists_the_same_elements(syndicate, login):
    client = login("police.analyst")
    response = client.get(reverse("web:network-graph", args=["recruiter"]), {"hops": "9"})
    page = response.content.decode()
    assert "vendor/cytoscape/cytoscape.min.js" in page and "crossing/network-graph.js" in page
    assert 'data-url="/network/entities/__ID__/graph.json"' in page and 'data-hops="3"' in page  # clamped
    nodes = page.split('id="graph-nodes"')[1].split("</table>")[0]
    assert "Boss Bai" in nodes and "ZHANG WEI" in nodes
    assert "recruited" in page.split('id="graph-edges"')[1]
    assert json.loads(page.split('id="graph-strings" type="application/json">')[1].split("</script>")[0])["expand"]
    assert "<script>" not in page  # CSP: no inline script
    phone = client.get(reverse("web:network-graph", args=["phone:+66810001111"]))
    assert phone.status_code == 200 and "Boss Bai" in phone.content.decode()


def test_timeline_lists_dated_links(syndicate, login):
    client = login("police.analyst")
    page = client.get(reverse("web:network-timeline", args=["worker"])).content.decode()
    assert "2025-01-10" in page and "Recruiter Ko" in page


def test_analyst_merges_splits_and_retracts(syndicate, login):
    client = login("police.analyst")
    url = reverse("web:network-entity", args=["boss"])
    client.post(url, {"action": "merge", "merge_id": "boss-alias", "reason": "same boss, two spellings"})
    assert Entity.objects.get(pk="boss-alias").canonical_id == "boss"
    assert "Lao Bai" in client.get(url).content.decode().split('id="merged"')[1]
    client.post(reverse("web:network-entity", args=["boss-alias"]), {"action": "split", "reason": "two men"})
    assert Entity.objects.get(pk="boss-alias").canonical_id is None
    statement = Statement.objects.get(entity_id="boss", prop="phone")
    response = client.post(url, {"action": "retract", "statement_id": statement.pk, "reason": "wrong number"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.retracted_at is not None
    client.post(url, {"action": "merge", "merge_id": "boss-alias", "reason": ""})  # a reason is required
    assert Entity.objects.get(pk="boss-alias").canonical_id is None


def test_manual_entry_records_an_entity_and_a_link(syndicate, login):
    client = login("police.analyst")
    assert client.get(reverse("web:network-new")).status_code == 200
    response = client.post(reverse("web:network-new"), {
        "form": "entity", "entity-schema": "CryptoWallet", "entity-name": "Boss's wallet",
        "entity-identifier": "TXYZ1234567890", "entity-entity_id": "wallet-1", "entity-source": "bank report 7",
        "entity-confidence": "0.7"})
    assert response.status_code == 302 and response.url == reverse("web:network-entity", args=["wallet-1"])
    wallet = Statement.objects.get(entity_id="wallet-1", prop="publicKey")
    assert wallet.source == "bank report 7" and wallet.confidence == 0.7 and wallet.source_kind == "manual"
    response = client.post(reverse("web:network-new"), {
        "form": "link", "link-schema": "UnknownLink", "link-role": "held at", "link-subject": "recruiter",
        "link-object": "kk", "link-source": "interview 12", "link-confidence": "1"})
    assert response.status_code == 302
    assert Statement.objects.filter(prop="role", value="held at", source="interview 12").exists()
    page = client.post(reverse("web:network-new"), {
        "form": "entity", "entity-schema": "RealEstate", "entity-name": "Block 9", "entity-phone": "+66 81 222 3333",
        "entity-source": "x", "entity-confidence": "1"}).content.decode()
    assert 'id="network-errors"' in page and "properties.phone" in page  # a building has no phone


def test_ftm_import_lists_errors_by_line_and_field_then_imports(syndicate, login):
    client = login("police.analyst")
    bad = b'{"id": "a1", "schema": "Person", "properties": {"name": ["A"]}}\n' \
          b'{"id": "a2", "schema": "Person", "properties": {"wingspan": ["3"]}}\n'
    page = client.post(reverse("web:network-import"), {"file": SimpleUploadedFile("bad.json", bad),
                                                       "confidence": "1"}).content.decode()
    errors = page.split('id="network-errors"')[1]
    assert "line 2" in errors and "properties.wingspan" in errors
    assert not Entity.objects.filter(pk="a1").exists()
    good = b'{"id": "a1", "schema": "Person", "properties": {"name": ["Agent A"]}}\n'
    page = client.post(reverse("web:network-import"), {"file": SimpleUploadedFile("good.json", good),
                                                       "confidence": "0.5"}).content.decode()
    assert 'id="import-report"' in page
    assert Statement.objects.get(entity_id="a1").source == "ftm:good.json"


def test_prosecutor_reads_but_cannot_edit(syndicate, login, world):
    client = login("prosecutor")
    url = reverse("web:network-entity", args=["worker"])
    page = client.get(url).content.decode()
    assert "ZHANG WEI" in page and 'id="merge-form"' not in page and 'name="statement_id"' not in page
    assert "Linked to a registry record you may not see." in page  # the worker's record is the army's
    assert reverse("web:person-detail", args=[world.people["cn_shelter"].pk]) not in page
    assert client.get(reverse("web:network-graph-json", args=["boss"])).status_code == 200
    home = client.get(reverse("web:network")).content.decode()
    assert 'id="network-new"' not in home and 'id="network-import"' not in home
    assert client.get(reverse("web:network-new")).status_code == 404
    assert client.get(reverse("web:network-import")).status_code == 404
    assert client.post(reverse("web:network-entity", args=["boss"]), {
        "action": "merge", "merge_id": "boss-alias", "reason": "x"}).status_code == 404
    statement = Statement.objects.get(entity_id="boss", prop="phone")
    assert client.post(reverse("web:network-entity", args=["boss"]), {
        "action": "retract", "statement_id": statement.pk, "reason": "x"}).status_code == 404
    response = client.post(reverse("web:network-new"), {
        "form": "entity", "entity-schema": "Person", "entity-name": "X", "entity-source": "x", "entity-confidence": "1"})
    assert response.status_code == 404
    statement.refresh_from_db()
    assert Entity.objects.get(pk="boss-alias").canonical_id is None and statement.retracted_at is None
    assert not Entity.objects.filter(caption="X").exists()


@pytest.mark.parametrize("username", OUTSIDERS)
@pytest.mark.parametrize("index", range(len(_urls())))
def test_outside_the_compartment_every_network_url_is_404(syndicate, login, world, username, index):
    _alert(world)
    client = login(username)
    assert client.get(_urls()[index]).status_code == 404


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outside_the_compartment_posts_are_404_and_the_nav_has_no_link(syndicate, login, world, username):
    alert = _alert(world)
    client = login(username)
    assert client.post(reverse("web:network-entity", args=["boss"]), {
        "action": "merge", "merge_id": "boss-alias", "reason": "x"}).status_code == 404
    assert client.post(reverse("web:network-conflicts"), {
        "alert_id": alert.pk, "decision": "approve", "note": ""}).status_code == 404
    page = client.get("/").content.decode()
    assert "/network/" not in page
    alert.refresh_from_db()
    assert alert.status == ConflictStatus.OPEN


def test_supervisor_sees_only_the_conflicts_and_approves(syndicate, login, world):
    alert = _alert(world)
    client = login("supervisor")
    assert client.get(reverse("web:network")).status_code == 404
    assert client.get(reverse("web:network-entity", args=["boss"])).status_code == 404
    page = client.get(reverse("web:network-conflicts")).content.decode()
    assert 'value="approve"' in page and "Boss Bai" in page and "1 registry person" in page
    assert reverse("web:network-entity", args=["boss"]) not in page  # no compartment links for them
    nav = page.split("</nav>")[0]
    assert reverse("web:network-conflicts") in nav and 'href="/network/"' not in nav
    client.post(reverse("web:network-conflicts"), {"alert_id": alert.pk, "decision": "reject", "note": ""})
    alert.refresh_from_db()
    assert alert.status == ConflictStatus.OPEN  # rejecting needs a note
    client.post(reverse("web:network-conflicts"), {"alert_id": alert.pk, "decision": "approve", "note": "confirmed"})
    alert.refresh_from_db()
    assert alert.status == ConflictStatus.APPROVED
    assert DenyEntry.objects.filter(user=world.users["case.officer"], person=world.people["cn_shelter"]).exists()
    decided = client.get(reverse("web:network-conflicts"), {"status": "approved"}).content.decode()
    assert "confirmed" in decided and 'value="approve"' not in decided


@pytest.mark.parametrize("username", ["police.analyst", "prosecutor"])
def test_analysts_see_alerts_read_only(syndicate, login, world, username):
    alert = _alert(world)
    client = login(username)
    page = client.get(reverse("web:network-conflicts")).content.decode()
    assert "Boss Bai" in page and 'value="approve"' not in page
    assert reverse("web:network-entity", args=["boss"]) in page
    assert client.post(reverse("web:network-conflicts"), {
        "alert_id": alert.pk, "decision": "approve", "note": ""}).status_code == 404
    alert.refresh_from_db()
    assert alert.status == ConflictStatus.OPEN


@pytest.mark.django_db
def test_an_officer_files_a_lead_from_the_person_page_and_sees_nothing_back(world, login):
    from crossing.network.models import Entity

    person = world.people["cn_shelter"]
    client = login("screening.officer")
    page = client.get(f"/people/{person.pk}/")
    assert f"/people/{person.pk}/lead/" in page.content.decode()
    refused = client.post(f"/people/{person.pk}/lead/", {"recruiter_name": "Ko Aung"})
    assert refused.status_code == 200 and not Entity.objects.exists()  # no consent: nothing filed
    done = client.post(f"/people/{person.pk}/lead/", {"recruiter_name": "Ko Aung", "recruiter_phone": "0895551234",
                                                      "consent": "on"})
    assert done.status_code == 302 and Entity.objects.filter(caption="Ko Aung").exists()
    assert client.get("/network/").status_code == 404
    for outsider in ("shelter.staff", "embassy.china", "outsider"):
        assert login(outsider).get(f"/people/{person.pk}/lead/").status_code == 404


@pytest.mark.django_db
def test_entity_page_names_its_community_and_the_organizers_in_it(world, login):
    from analytics.network.syndicates import generate_syndicates

    syndicates = generate_syndicates(3, syndicates=2, missing=0.0)
    services.record_entities(actor=actor_for(world.users["police.analyst"]), source="test", entities=syndicates.entities)
    boss = syndicates.bosses[0]
    page = login("police.analyst").get(f"/network/entities/{boss}/").content.decode()
    assert 'id="community"' in page and "Leiden" in page
    section = page[page.index('id="community"'):page.index('id="path"')]
    assert f"/network/entities/{boss}/" in section  # the boss ranks first in its own syndicate's community


@pytest.mark.django_db
def test_analyst_confirms_a_sanctions_match_and_a_registry_record_on_the_entity_page(world, login):
    from crossing.network import watchlists
    from crossing.network.models import SanctionHit

    analyst = actor_for(world.users["police.analyst"])
    services.record_entities(actor=analyst, source="ledger", entities=[
        {"id": "p-zhang", "schema": "Person", "properties": {"name": ["张伟"], "birthDate": ["1996-05-04"]}}])
    services.record_entities(actor=analyst, source="list", source_kind="sanctions", entities=[
        {"id": "listed", "schema": "Person", "properties": {"name": ["ZHANG Wei"]}}])
    watchlists.screen(actor=analyst)
    client = login("police.analyst")
    page = client.get("/network/entities/p-zhang/").content.decode()
    assert 'id="sanction-hits"' in page and "zhang wei" in page and 'id="registry-candidates"' in page
    hit = SanctionHit.objects.get()
    client.post("/network/entities/p-zhang/", {"action": "sanction", "hit_id": hit.pk, "same": "0"})
    assert SanctionHit.objects.get().decision == "dismissed" and not Entity.objects.get(pk="p-zhang").sanctioned
    client.post("/network/entities/p-zhang/", {"action": "link_person", "person_id": world.people["cn_shelter"].pk})
    assert Entity.objects.get(pk="p-zhang").person == world.people["cn_shelter"]
    prosecutor = login("prosecutor")
    prosecutor.post("/network/entities/p-zhang/", {"action": "link_person", "person_id": world.people["cn_camp"].pk})
    assert Entity.objects.get(pk="p-zhang").person == world.people["cn_shelter"]
