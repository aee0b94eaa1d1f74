"""The compartment's REST API: analysts read and import, investigators read, everyone else gets 404."""

import json

import pytest

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.network import services
from crossing.network.models import Entity

BASE = "/api/v1/network/"
ENTITIES = [
    {"id": "boss", "schema": "Person", "properties": {"name": ["Boss Bai"], "phone": ["+66 81 000 0001"]}},
    {"id": "co", "schema": "Company", "properties": {"name": ["Golden Fortune Ltd"]}},
    {"id": "own", "schema": "Ownership", "properties": {"owner": ["boss"], "asset": ["co"]}},
]


@pytest.fixture
def graph(world):
    services.record_entities(actor=actor_for(world.users["police.analyst"]), source="manual", entities=ENTITIES)


@pytest.mark.django_db
def test_analyst_reads_search_entity_neighbourhood_ranking(graph, login):
    client = login("police.analyst")
    [row] = client.get(f"{BASE}entities/", {"q": "boss"}).json()
    assert row["id"] == "boss" and row["properties"]["phone"] == ["+66810000001"]
    page = client.get(f"{BASE}entities/boss/").json()
    assert {s["prop"] for s in page["statements"]} == {"name", "phone"}
    assert page["statements"][0]["recorded_by"] == "police.analyst"
    assert {(link["label"], link["other_id"]) for link in page["links"]} >= {("owns", "co")}
    graph_ = client.get(f"{BASE}entities/boss/neighbourhood/", {"hops": 1}).json()
    assert {n["id"] for n in graph_["nodes"]} == {"boss", "co", "phone:+66810000001"}
    ranked = client.get(f"{BASE}ranking/", {"top": 5}).json()
    assert set(ranked[0]) == {"id", "schema", "name", "score", "reasons"}
    assert AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_VIEWED, subject_id="boss").exists()


@pytest.mark.django_db
def test_import_over_the_api_is_all_or_nothing(world, login):
    client = login("police.analyst")
    good = "\n".join(json.dumps(e) for e in ENTITIES)
    response = client.post(f"{BASE}import/?name=t.json", good, content_type="application/x-ndjson")
    assert response.status_code == 200 and response.json()["entities"] == 3
    again = client.post(f"{BASE}import/?name=t.json", good, content_type="application/x-ndjson")
    assert again.json()["already_imported"] is True
    bad = client.post(f"{BASE}import/", '{"id": "x", "schema": "Nope"}', content_type="application/x-ndjson")
    assert bad.status_code == 400 and bad.json()["extra"]["errors"][0]["field"] == "schema"
    assert Entity.objects.count() == 3


@pytest.mark.django_db
def test_prosecutor_reads_but_cannot_import(graph, login):
    client = login("prosecutor")
    assert client.get(f"{BASE}entities/boss/").status_code == 200
    response = client.post(f"{BASE}import/", json.dumps(ENTITIES[0]), content_type="application/x-ndjson")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["shelter.staff", "embassy.china", "screening.officer", "social.worker",
                                      "iom.movement", "supervisor", "auditor", "outsider"])
def test_everyone_outside_the_compartment_gets_404(graph, login, username):
    client = login(username)
    for url in ("entities/", "entities/boss/", "entities/boss/neighbourhood/", "ranking/"):
        assert client.get(f"{BASE}{url}").status_code == 404, url
    assert client.post(f"{BASE}import/", json.dumps(ENTITIES[0]),
                       content_type="application/x-ndjson").status_code == 404
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username).exists()
