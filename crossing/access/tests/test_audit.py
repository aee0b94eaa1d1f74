"""The audit log: every read and write of a person is recorded with its actor and person; the hash
chain detects edits, deletions, insertions and reordering; the table refuses UPDATE and DELETE; and
supervisors see who viewed a record."""

import io
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent, AuditHead
from crossing.access.personas import DEMO_PASSWORD
from crossing.registry.models import Person

T = AuditEventType


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # the login throttle counts attempts per address in the shared cache
    yield
    cache.clear()


def newest(event_type, **filters) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=event_type, **filters).order_by("-seq").first()


# --- every access is recorded with the right actor and person -------------------------------------

@pytest.mark.django_db
def test_viewing_a_person_on_the_page_and_the_api_is_audited_with_actor_and_person(world, login):
    client = login("case.officer")
    user, person = world.users["case.officer"], world.people["cn_shelter"]
    assert client.get(f"/people/{person.pk}/").status_code == 200
    event = newest(T.PERSON_VIEWED)
    assert (event.actor_id, event.actor_username, event.actor_agency) == (user.pk, "case.officer", "Royal Thai Army")
    assert event.person_id == person.pk and event.subject_id == str(person.pk)
    assert "person_documents" in event.extra["sections"]
    assert event.ip == "127.0.0.1"
    assert client.get(f"/api/v1/people/{world.people['et_camp'].pk}/").status_code == 200
    event = newest(T.PERSON_VIEWED)
    assert (event.actor_username, event.person_id) == ("case.officer", world.people["et_camp"].pk)


@pytest.mark.django_db
def test_a_refused_view_is_audited_as_denied(world, login):
    client = login("embassy.kenya")
    person = world.people["cn_shelter"]
    assert client.get(f"/people/{person.pk}/").status_code == 404
    event = newest(T.ACCESS_DENIED)
    assert (event.actor_username, event.subject_id, event.outcome) == ("embassy.kenya", str(person.pk), "denied")
    assert not AuditEvent.objects.filter(event_type=T.PERSON_VIEWED, actor_username="embassy.kenya").exists()


@pytest.mark.django_db
def test_listing_and_searching_record_which_people_were_shown(world, login):
    client = login("embassy.china")
    user = world.users["embassy.china"]
    assert client.get("/people/").status_code == 200
    event = newest(T.PERSON_LISTED)
    assert (event.actor_id, event.actor_username) == (user.pk, "embassy.china")
    assert set(event.extra["person_ids"]) == {str(world.people[k].pk) for k in ("cn_shelter", "cn_camp", "referred")}

    assert client.get("/people/", {"q": "张伟"}).status_code == 200
    event = newest(T.PERSON_SEARCHED)
    assert event.actor_username == "embassy.china" and event.extra["filters"] == {"q": "张伟"}
    assert event.extra["person_ids"] == [str(world.people["cn_shelter"].pk)]

    client.get("/api/v1/people/", {"q": "wang xiaoming"})
    event = newest(T.PERSON_SEARCHED)
    assert event.extra["person_ids"] == [str(world.people["cn_camp"].pk)]


@pytest.mark.django_db
def test_every_exported_person_gets_an_audit_event(world, login):
    client = login("embassy.kenya")
    response = client.get("/people/export.csv")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    exported = AuditEvent.objects.filter(event_type=T.PERSON_EXPORTED, actor_username="embassy.kenya")
    assert {e.person_id for e in exported} == {world.people["ke_shelter"].pk, world.people["ke_denied"].pk}
    assert {e.actor_id for e in exported} == {world.users["embassy.kenya"].pk}


@pytest.mark.django_db
def test_creating_a_person_through_intake_is_audited(world, login):
    client = login("case.officer")
    response = client.post("/people/new/", {
        "full_name": "NGUYEN VAN AN", "sex": "male", "nationality": "VNM", "document_custodian": "holder",
        "date_of_birth": "1998-04-01", "confirm_new": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(display_name="NGUYEN VAN AN")
    event = newest(T.PERSON_CREATED, person_id=person.pk)
    assert (event.actor_id, event.actor_username) == (world.users["case.officer"].pk, "case.officer")
    assert event.extra["source"] == "intake"


@pytest.mark.django_db
def test_logins_and_failed_logins_are_audited(world, client):
    user = world.users["screening.officer"]
    response = client.post("/accounts/login/", {"username": "screening.officer", "password": "wrong password!"})
    assert response.status_code == 200
    failed = newest(T.LOGIN_FAILED)
    assert (failed.actor_id, failed.actor_username, failed.subject_id, failed.outcome) == (
        None, "screening.officer", str(user.pk), "denied")
    assert failed.extra["failed_logins"] == 1

    client.post("/accounts/login/", {"username": "nobody.here", "password": "whatever"})
    unknown = newest(T.LOGIN_FAILED)
    assert (unknown.actor_username, unknown.subject_id, unknown.extra) == ("nobody.here", "", {"reason": "unknown user"})

    response = client.post("/accounts/login/", {"username": "screening.officer", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    login = newest(T.LOGIN)
    assert (login.actor_id, login.actor_username, login.subject_id) == (user.pk, "screening.officer", str(user.pk))
    assert login.extra == {"channel": "web"}


@pytest.mark.django_db
def test_logging_out_is_audited(world, login):
    client = login("auditor")
    assert client.post("/accounts/logout/").status_code == 302
    event = newest(T.LOGOUT)
    assert (event.actor_id, event.actor_username) == (world.users["auditor"].pk, "auditor")
    assert client.get("/audit/").status_code == 302  # logged out


# --- the hash chain -------------------------------------------------------------------------------

def _busy_log(world, login, views: int = 6) -> int:
    """Add some ordinary traffic; return the newest seq."""
    client = login("supervisor")
    for key in ["cn_shelter", "cn_camp", "ke_shelter", "et_camp", "ke_denied", "referred"][:views]:
        client.get(f"/people/{world.people[key].pk}/")
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()


@contextmanager
def no_guards():
    """What an attacker with database-owner rights can do: drop the append-only triggers."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_no_delete")
        elif connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent")
        else:  # pragma: no cover
            pytest.skip(f"no trigger recipe for {connection.vendor}")
    yield  # the test's transaction rolls back and restores the triggers


def sql(statement: str, params=()):
    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.rowcount


def expect_tampered_at(seq: int, words: str):
    result = audit.verify()
    assert not result.ok
    assert result.seq == seq, str(result)
    assert words in result.problem, str(result)
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", stdout=io.StringIO())
    assert exc.value.returncode == 1
    assert f"seq={seq}" in str(exc.value) and "TAMPERED" in str(exc.value)


@pytest.mark.django_db
def test_an_intact_log_verifies_and_the_command_exits_0(world, login):
    top = _busy_log(world, login)
    result = audit.verify()
    assert result.ok and result.checked == top == AuditEvent.objects.count()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert f"audit log intact: {top} events verified" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("column,value", [
    ("actor_username", "someone.else"),
    ("outcome", "denied"),
    ("subject_id", "x"),
    ("ip", "10.0.0.66"),
    ("event_type", int(T.PERSON_LISTED)),
    ("prev_hash", "f" * 64),
    ("hash", "0" * 64),
])
def test_editing_any_field_of_an_event_is_detected_at_that_event(world, login, column, value):
    top = _busy_log(world, login)
    target = top - 3
    with no_guards():
        assert sql(f"UPDATE access_auditevent SET {column} = %s WHERE seq = %s", [value, target]) == 1  # noqa: S608
        expect_tampered_at(target, "link to the previous event is broken" if column == "prev_hash" else "edited")


@pytest.mark.django_db
def test_erasing_whose_record_was_viewed_is_detected(world, login):
    top = _busy_log(world, login)
    viewed = AuditEvent.objects.filter(event_type=T.PERSON_VIEWED).order_by("seq").first()
    with no_guards():
        sql("UPDATE access_auditevent SET person_id = NULL WHERE seq = %s", [viewed.seq])
        expect_tampered_at(viewed.seq, "edited")
    assert viewed.seq < top


@pytest.mark.django_db
def test_deleting_an_event_in_the_middle_is_detected(world, login):
    top = _busy_log(world, login)
    with no_guards():
        assert sql("DELETE FROM access_auditevent WHERE seq = %s", [top - 2]) == 1
        expect_tampered_at(top - 2, "missing (deleted)")


@pytest.mark.django_db
def test_deleting_the_newest_events_is_detected(world, login):
    top = _busy_log(world, login)
    with no_guards():
        assert sql("DELETE FROM access_auditevent WHERE seq >= %s", [top - 1]) == 2
        expect_tampered_at(top - 1, "newest events")


@pytest.mark.django_db
def test_inserting_an_event_in_the_middle_is_detected(world, login):
    top = _busy_log(world, login)
    k = top - 3
    columns = ("event_time, event_type, actor_id, actor_username, actor_agency, subject_type, subject_id, person_id, "
               "outcome, ip, extra, prev_hash, hash")
    with no_guards():
        # Make room at seq k (two steps: unique seq), then copy a genuine event into the gap.
        sql("UPDATE access_auditevent SET seq = seq + 1000000 WHERE seq >= %s", [k])
        sql("UPDATE access_auditevent SET seq = seq - 999999 WHERE seq >= 1000000")
        sql(f"INSERT INTO access_auditevent (seq, {columns}) SELECT %s, {columns} FROM access_auditevent WHERE seq = %s",  # noqa: S608
            [k, 2])
        sql("UPDATE access_audithead SET seq = seq + 1")
        assert AuditEvent.objects.count() == top + 1
        expect_tampered_at(k, "missing (deleted) or reordered")


@pytest.mark.django_db
def test_appending_a_forged_event_is_detected(world, login):
    top = _busy_log(world, login)
    head = AuditHead.objects.get(pk=1)
    columns = "event_time, event_type, actor_id, actor_username, actor_agency, subject_type, subject_id, person_id, outcome, ip, extra"
    sql(f"INSERT INTO access_auditevent (seq, {columns}, prev_hash, hash) "  # noqa: S608
        f"SELECT %s, {columns}, %s, %s FROM access_auditevent WHERE seq = %s", [top + 1, head.hash, "a" * 64, top])
    sql("UPDATE access_audithead SET seq = %s, hash = %s", [top + 1, "a" * 64])
    expect_tampered_at(top + 1, "edited")


@pytest.mark.django_db
@pytest.mark.parametrize("gap", [1, 4])
def test_reordering_two_events_is_detected_at_the_first(world, login, gap):
    top = _busy_log(world, login)
    i, j = top - 5, top - 5 + gap
    id_i = AuditEvent.objects.get(seq=i).pk
    id_j = AuditEvent.objects.get(seq=j).pk
    with no_guards():
        # Swap the rows' contents: each keeps a valid hash of its own, only their order changes.
        sql("UPDATE access_auditevent SET id = %s WHERE id = %s", [-1, id_i])
        sql("UPDATE access_auditevent SET id = %s WHERE id = %s", [id_i, id_j])
        sql("UPDATE access_auditevent SET id = %s WHERE id = %s", [id_j, -1])
        assert AuditEvent.objects.get(pk=id_i).seq == j
        expect_tampered_at(i, "reordered")


@pytest.mark.django_db
def test_the_audit_table_refuses_update_and_delete(world, login):
    top = _busy_log(world, login, views=1)
    for statement in ("UPDATE access_auditevent SET actor_username = 'x' WHERE seq = %s",
                      "DELETE FROM access_auditevent WHERE seq = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic():
                sql(statement, [top])
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEvent.objects.filter(seq=top).update(outcome="denied")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEvent.objects.filter(seq=top).delete()
    assert AuditEvent.objects.filter(seq=top, outcome="allowed").exists()
    assert audit.verify().ok


@pytest.mark.django_db
def test_the_guard_command_reinstalls_dropped_triggers(world, login):
    top = _busy_log(world, login, views=1)
    with no_guards():
        call_command("audit_guard", stdout=io.StringIO())
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic():
                sql("DELETE FROM access_auditevent WHERE seq = %s", [top])


@pytest.mark.django_db
def test_deleting_the_newest_events_and_rewinding_the_head_is_detected(world, login):
    top = _busy_log(world, login)
    with no_guards():
        sql("DELETE FROM access_auditevent WHERE seq >= %s", [top - 1])
        kept = AuditEvent.objects.get(seq=top - 2)
        sql("UPDATE access_audithead SET seq = %s, hash = %s", [kept.seq, kept.hash])
        result = audit.verify()
        assert not result.ok and result.seq == top - 1, str(result)


@pytest.mark.django_db
def test_deleting_the_whole_log_and_its_head_is_detected(world, login):
    _busy_log(world, login)
    with no_guards():
        sql("DELETE FROM access_auditevent")
        sql("DELETE FROM access_audithead")
        result = audit.verify()
        assert not result.ok and "head is missing" in str(result)


# --- who viewed this record -----------------------------------------------------------------------

@pytest.mark.django_db
def test_the_supervisor_sees_who_viewed_a_record(world, login):
    person = world.people["cn_shelter"]
    for username in ("case.officer", "embassy.china"):
        assert login(username).get(f"/people/{person.pk}/").status_code == 200
    assert login("embassy.kenya").get(f"/people/{person.pk}/").status_code == 404  # refused: no view

    client = login("supervisor")
    response = client.get(f"/people/{person.pk}/access-log/")
    assert response.status_code == 200
    events = response.context["events"]
    viewers = {(e.actor_username, e.event_type) for e in events}
    assert {("case.officer", T.PERSON_VIEWED), ("embassy.china", T.PERSON_VIEWED), ("system", T.PERSON_CREATED)} <= viewers
    assert not any(name == "embassy.kenya" for name, _ in viewers)
    assert all(e.person_id == person.pk for e in events)
    assert [e.seq for e in events] == sorted((e.seq for e in events), reverse=True)  # newest first
    body = response.content.decode()
    assert "case.officer" in body and "embassy.china" in body and person.reference in body
    assert newest(T.PERSON_ACCESS_LOG_VIEWED).actor_username == "supervisor"
    other = client.get(f"/people/{world.people['ke_shelter'].pk}/access-log/").context["events"]
    assert other and "case.officer" not in {e.actor_username for e in other}


@pytest.mark.django_db
@pytest.mark.parametrize("username,key,status", [
    ("embassy.china", "cn_shelter", 404),  # may view the person, not who else did
    ("social.worker", "cn_shelter", 404),
    ("outsider", "cn_shelter", 404),
    ("auditor", "cn_shelter", 404),
    ("case.officer", "referred", 404),  # border officers: only records their agency owns
    ("case.officer", "cn_shelter", 200),
    ("supervisor", "referred", 200),
])
def test_only_roles_with_the_access_log_grant_see_who_viewed_a_record(world, login, username, key, status):
    response = login(username).get(f"/people/{world.people[key].pk}/access-log/")
    assert response.status_code == status
    logged = AuditEvent.objects.filter(event_type=T.PERSON_ACCESS_LOG_VIEWED, actor_username=username).exists()
    assert logged == (status == 200)
