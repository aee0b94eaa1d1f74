"""The repatriation REST API: movements and cases, as each persona, with bad input and an outsider."""

import json

import pytest

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.repatriation import workflow
from crossing.repatriation.models import Movement, MovementStatus
from crossing.repatriation.tests.test_movements import _at, _movement, _ready

MOVEMENTS = "/api/v1/movements/"
CASES = "/api/v1/repatriation/cases/"


def _new(reference, destinations=("CHN",), **extra):
    return {"kind": "charter", "reference": reference, "origin": "Mae Sot", "departs_at": _at(3, 14).isoformat(),
            "destinations": list(destinations), "capacity": 100, **extra}


@pytest.mark.django_db
def test_movements_through_the_api(world, login):
    movement = _movement(world, ["CHN"], days_ahead=2)
    case = _ready(world, "cn_shelter", until=workflow.BOOKED, movement=movement)
    iom = login("iom.movement")
    [row] = iom.get(MOVEMENTS).json()
    assert (row["reference"], row["booked"], row["capacity"], row["crossing_day"]) == (
        "M-1", 1, 5, _at(2).date().isoformat())
    created = iom.post(MOVEMENTS, _new("API-1", ["KEN", "UGA"]), content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == MovementStatus.PLANNED
    bad = iom.post(MOVEMENTS, _new("API-2", ["Kenya"]), content_type="application/json")
    assert bad.status_code == 400 and "destinations" in json.dumps(bad.json())
    bad = iom.post(MOVEMENTS, _new("API-2", ["XYZ"]), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"].startswith("destinations:")
    bad = iom.post(MOVEMENTS, {"kind": "boat"}, content_type="application/json")
    assert bad.status_code == 400 and "kind" in json.dumps(bad.json()["extra"])
    assert iom.post(MOVEMENTS, _new("API-1"), content_type="application/json").status_code == 400  # duplicate
    shrink = iom.patch(f"{MOVEMENTS}{movement.pk}/", {"capacity": 0}, content_type="application/json")
    assert shrink.status_code == 400
    moved = iom.patch(f"{MOVEMENTS}{movement.pk}/", {"capacity": 3, "carrier": "Synthetic Air"},
                      content_type="application/json")
    assert moved.status_code == 200 and moved.json()["capacity"] == 3
    passengers = iom.get(f"{MOVEMENTS}{movement.pk}/passengers/").json()
    assert [p["case"] for p in passengers] == [str(case.pk)]
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPATRIATION_VIEWED, person_id=case.person_id,
                                     subject_type="movement").exists()

    embassy = login("embassy.china")
    assert embassy.get(f"{MOVEMENTS}{movement.pk}/passengers/").status_code == 404
    assert embassy.patch(f"{MOVEMENTS}{movement.pk}/", {"capacity": 9},
                         content_type="application/json").status_code == 404
    proposed = embassy.post(MOVEMENTS, _new("CN-API"), content_type="application/json")
    assert proposed.status_code == 201 and proposed.json()["status"] == MovementStatus.PROPOSED
    assert embassy.post(MOVEMENTS, _new("KE-API", ["KEN"]), content_type="application/json").status_code == 400
    outsider = login("outsider")
    assert outsider.get(MOVEMENTS).status_code == 404
    assert outsider.post(MOVEMENTS, _new("X-1"), content_type="application/json").status_code == 404
    assert outsider.get(f"{MOVEMENTS}{movement.pk}/").status_code == 404
    assert not Movement.objects.filter(reference__in=["X-1", "KE-API", "API-2"]).exists()


@pytest.mark.django_db
def test_cases_through_the_api_are_scoped_and_audited(world, login):
    cn = _ready(world, "cn_shelter", until=workflow.EXIT_CLEARED)
    ke = _ready(world, "ke_shelter", until=workflow.COUNSELLED)
    iom = login("iom.movement")
    page = iom.get(CASES).json()
    assert page["count"] == 2
    assert [r["state"] for r in iom.get(CASES, {"destination": "ken"}).json()["results"]] == ["counselled"]
    assert iom.get(CASES, {"state": "exit_cleared"}).json()["results"][0]["id"] == str(cn.pk)
    china = login("embassy.china")
    results = china.get(CASES).json()["results"]
    assert [r["id"] for r in results] == [str(cn.pk)]  # its own nationals only
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPATRIATION_VIEWED, actor_username="embassy.china",
                                     person_id=cn.person_id).exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.REPATRIATION_VIEWED,
                                         actor_username="embassy.china", person_id=ke.person_id).exists()
    for username in ("outsider", "police.analyst"):
        assert login(username).get(CASES).status_code == 404
