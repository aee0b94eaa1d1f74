"""An official linked to a syndicate raises an alert; a supervisor's approval closes the loop with
the deny list, so the official can no longer open the records of that syndicate's victims."""

import pytest

from crossing.access import policy
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent, DenyEntry
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.network import insider, services
from crossing.network.models import ConflictAlert, ConflictStatus

OFFICER_PHONE = "+66 89 111 2222"


def _syndicate(analyst, world, *, contact_phone=OFFICER_PHONE):
    services.record_entities(actor=analyst, source="device:BOSS-PHONE-1", entities=[
        {"id": "boss", "schema": "Person", "properties": {"name": ["Boss Bai"]}},
        {"id": "recruiter", "schema": "Person", "properties": {"name": ["Recruiter Ko"]}},
        {"id": "worker", "schema": "Person", "properties": {"name": ["ZHANG WEI"]}},
        {"id": "contact", "schema": "Person", "properties": {"name": ["Sgt. friend"], "phone": [contact_phone]}},
        {"id": "l1", "schema": "UnknownLink", "properties": {"subject": ["boss"], "object": ["recruiter"],
                                                              "role": ["supervises"]}},
        {"id": "l2", "schema": "UnknownLink", "properties": {"subject": ["recruiter"], "object": ["worker"],
                                                              "role": ["recruited"]}},
        {"id": "l3", "schema": "UnknownLink", "properties": {"subject": ["boss"], "object": ["contact"],
                                                              "role": ["has in contacts"]}},
    ])
    services.link_person(actor=analyst, entity_id="worker", person_id=world.people["cn_shelter"].pk)


def _official(analyst, world, username="case.officer"):
    services.record_entities(actor=analyst, source="staff declaration", entities=[
        {"id": "officer", "schema": "Person", "properties": {"name": ["Officer on duty"], "phone": [OFFICER_PHONE]}}])
    services.mark_official(actor=analyst, entity_id="officer", user=world.users[username])


@pytest.fixture
def analyst(world):
    return actor_for(world.users["police.analyst"])


def test_officers_phone_in_a_bosss_contacts_raises_an_alert_naming_the_path(analyst, world):
    _syndicate(analyst, world)
    _official(analyst, world)
    alert = ConflictAlert.objects.get()
    assert alert.official == world.users["case.officer"] and alert.entity_id == "boss"
    assert [step[0] for step in alert.path] == ["officer", "phone:+66891112222", "contact", "boss"]
    assert "Boss Bai" in alert.reason and alert.proposed_people == [str(world.people["cn_shelter"].pk)]
    assert AuditEvent.objects.filter(event_type=AuditEventType.CONFLICT_RAISED).count() == 1
    services.record_entities(actor=analyst, source="again", entities=[
        {"id": "boss", "schema": "Person", "properties": {"alias": ["Lao Bai"]}}])
    assert ConflictAlert.objects.count() == 1  # one alert per official and entity


def test_supervisor_approval_creates_deny_entries_and_the_official_loses_sight(analyst, world):
    _syndicate(analyst, world)
    _official(analyst, world)
    alert = ConflictAlert.objects.get()
    officer = actor_for(world.users["case.officer"])
    assert policy.access_person(officer, world.people["cn_shelter"].pk)
    supervisor = actor_for(world.users["supervisor"])
    insider.decide_alert(actor=supervisor, alert_id=alert.pk, approve=True, note="")
    entry = DenyEntry.objects.get(user=world.users["case.officer"])
    assert entry.person == world.people["cn_shelter"] and "Conflict of interest" in entry.reason
    with pytest.raises(NotFound):
        policy.access_person(actor_for(world.users["case.officer"]), world.people["cn_shelter"].pk)
    alert.refresh_from_db()
    assert alert.status == ConflictStatus.APPROVED and alert.decided_by == world.users["supervisor"]
    with pytest.raises(ValidationFailed):
        insider.decide_alert(actor=supervisor, alert_id=alert.pk, approve=True, note="")


@pytest.mark.parametrize("username", ["police.analyst", "case.officer", "shelter.staff", "outsider"])
def test_only_who_keeps_the_deny_list_decides(analyst, world, username):
    _syndicate(analyst, world)
    _official(analyst, world)
    alert = ConflictAlert.objects.get()
    with pytest.raises(NotFound):
        insider.decide_alert(actor=actor_for(world.users[username]), alert_id=alert.pk, approve=True)
    assert not DenyEntry.objects.filter(user=world.users["case.officer"]).exists()


def test_rejection_needs_a_reason(analyst, world):
    _syndicate(analyst, world)
    _official(analyst, world)
    alert = ConflictAlert.objects.get()
    supervisor = actor_for(world.users["supervisor"])
    with pytest.raises(ValidationFailed):
        insider.decide_alert(actor=supervisor, alert_id=alert.pk, approve=False, note=" ")
    insider.decide_alert(actor=supervisor, alert_id=alert.pk, approve=False, note="declared family tie, reviewed")
    assert ConflictAlert.objects.get().status == ConflictStatus.REJECTED
    assert not DenyEntry.objects.filter(user=world.users["case.officer"]).exists()


def test_a_shared_hotline_is_not_a_personal_tie(analyst, world):
    _syndicate(analyst, world, contact_phone="+66 2 000 0000")
    hotline = [{"id": f"caller-{i}", "schema": "Person", "properties": {"name": [f"Caller {i}"],
                                                                          "phone": [OFFICER_PHONE]}}
               for i in range(insider.HUB_DEGREE + 2)]
    hotline.append({"id": "lx", "schema": "UnknownLink", "properties": {"subject": ["boss"], "object": ["caller-0"],
                                                                          "role": ["has in contacts"]}})
    services.record_entities(actor=analyst, source="hotline", entities=hotline)
    _official(analyst, world)
    assert not ConflictAlert.objects.exists()
