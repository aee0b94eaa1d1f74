"""Statements in, entities and edges out: validation, idempotence, resolution, refusals, audit."""

import json

import pytest

from analytics.network.vocabulary import EdgeKind
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.network import services, store
from crossing.network.models import Edge, Entity, SourceBatch, Statement


def _lines(*entities) -> bytes:
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in entities).encode()


BOSS = {"id": "boss-1", "schema": "Person", "properties": {"name": ["白某某"], "phone": ["081 234 5678"]}}
RECRUITER = {"id": "rec-1", "schema": "Person", "properties": {"name": ["Recruiter One"], "phone": ["+66812345678"]}}
LINK = {"id": "link-1", "schema": "UnknownLink",
        "properties": {"subject": ["boss-1"], "object": ["rec-1"], "role": ["supervises"]}}


@pytest.fixture
def analyst(world):
    return actor_for(world.users["police.analyst"])


def test_import_records_statements_with_provenance_and_derives_edges(analyst, world):
    data = _lines(BOSS, RECRUITER, LINK)
    report = services.import_batch(actor=analyst, rows=services.parse_ftm_lines(data), data=data, name="seized.json",
                                   source_kind="ftm", confidence=0.8)
    assert report.entities == 3 and report.new_statements == 7
    statement = Statement.objects.get(entity_id="boss-1", prop="phone")
    assert statement.value == "+66812345678"  # FtM cleaned the Thai number to E.164
    assert statement.recorded_by == world.users["police.analyst"] and statement.confidence == 0.8
    assert statement.source == "ftm:seized.json"
    kinds = set(Edge.objects.values_list("source", "target", "kind"))
    assert ("boss-1", "rec-1", EdgeKind.SUPERVISES) in kinds
    assert ("boss-1", "phone:+66812345678", EdgeKind.PHONE) in kinds
    data_ = store.graph_data()
    phone = data_.ids.index("phone:+66812345678")
    assert sum(1 for b in data_.dst if b == phone) == 2  # two people meet on one phone node
    assert AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_IMPORTED, subject_id="boss-1").exists()


def test_same_file_twice_is_a_no_op(analyst):
    data = _lines(BOSS, RECRUITER)
    services.import_batch(actor=analyst, rows=services.parse_ftm_lines(data), data=data, name="a.json", source_kind="ftm")
    again = services.import_batch(actor=analyst, rows=services.parse_ftm_lines(data), data=data, name="a.json",
                                  source_kind="ftm")
    assert again.already_imported and SourceBatch.objects.count() == 1 and Statement.objects.count() == 4


@pytest.mark.parametrize("bad, field", [
    ({"schema": "Person", "properties": {}}, "id"),
    ({"id": "x", "schema": "Dragon", "properties": {}}, "schema"),
    ({"id": "x", "schema": "Person", "properties": {"wingspan": ["3"]}}, "properties.wingspan"),
    ({"id": "x", "schema": "Person", "properties": {"name": "not a list"}}, "properties.name"),
])
def test_bad_entity_rejects_the_whole_file_naming_line_and_field(analyst, bad, field):
    data = _lines(BOSS, bad)
    with pytest.raises(ValidationFailed) as exc:
        services.import_batch(actor=analyst, rows=services.parse_ftm_lines(data), data=data, name="b.json",
                              source_kind="ftm")
    assert exc.value.extra["errors"][0]["row"] == "line 2" and exc.value.extra["errors"][0]["field"] == field
    assert not Entity.objects.exists() and not SourceBatch.objects.exists()


def test_not_json_names_the_line():
    with pytest.raises(ValidationFailed) as exc:
        services.parse_ftm_lines(b'{"id": "a", "schema": "Person"}\n{oops\n')
    assert exc.value.extra["errors"][0]["row"] == "line 2"


def test_same_account_written_two_ways_is_one_entity(analyst):
    services.record_entities(actor=analyst, source="complaint 1", entities=[
        {"id": "acct-a", "schema": "BankAccount", "properties": {"accountNumber": ["123-456-7890"], "bankName": ["KBank"]}}])
    services.record_entities(actor=analyst, source="bank letter", entities=[
        {"id": "acct-b", "schema": "BankAccount", "properties": {"accountNumber": ["1234567890"], "bankName": ["K Bank"]}}])
    assert Entity.objects.get(pk="acct-b").canonical_id == "acct-a"
    assert "acct-b" not in store.graph_data().ids
    services.split(actor=analyst, entity_id="acct-b", reason="different branch")
    assert Entity.objects.get(pk="acct-b").canonical_id is None and "acct-b" in store.graph_data().ids


def test_merge_folds_two_spellings_and_refuses_person_into_company(analyst):
    services.record_entities(actor=analyst, source="manual", entities=[BOSS, RECRUITER, LINK,
        {"id": "boss-2", "schema": "Person", "properties": {"name": ["Bai Moumou"]}},
        {"id": "co-1", "schema": "Company", "properties": {"name": ["Yatai"]}}])
    services.merge(actor=analyst, keep_id="boss-1", merge_id="boss-2", reason="same boss, pinyin")
    assert "boss-2" not in store.graph_data().ids
    with pytest.raises(ValidationFailed):
        services.merge(actor=analyst, keep_id="co-1", merge_id="rec-1", reason="no")
    assert AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_RESOLVED, subject_id="boss-2").exists()


def test_retraction_takes_a_value_out_of_the_graph_but_keeps_it_on_record(analyst):
    services.record_entities(actor=analyst, source="manual", entities=[BOSS])
    statement = Statement.objects.get(entity_id="boss-1", prop="phone")
    services.retract(actor=analyst, statement_id=statement.pk, reason="wrong number")
    assert not Edge.objects.filter(origin_id="boss-1", kind=EdgeKind.PHONE).exists()
    assert Statement.objects.filter(pk=statement.pk, retracted_at__isnull=False).exists()


@pytest.mark.parametrize("username", ["shelter.staff", "embassy.china", "screening.officer", "supervisor",
                                      "prosecutor", "outsider"])
def test_only_the_analyst_compartment_writes(world, username):
    actor = actor_for(world.users[username])
    with pytest.raises(NotFound):
        services.record_entities(actor=actor, source="manual", entities=[BOSS])
    assert not Entity.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username).exists()


def test_confidence_outside_zero_one_is_refused(analyst):
    with pytest.raises(ValidationFailed):
        services.record_entities(actor=analyst, source="manual", entities=[BOSS], confidence=1.5)


def test_a_named_person_is_matched_to_registry_records_the_analyst_may_see(analyst, world):
    from crossing.network import selectors

    services.record_entities(actor=analyst, source="chat export", entities=[
        {"id": "p-zhang", "schema": "Person", "properties": {"name": ["张伟"], "nationality": ["cn"],
                                                             "birthDate": ["1996-05-04"]}}])
    [match, *_] = selectors.registry_candidates(analyst, "p-zhang")
    assert match.person == world.people["cn_shelter"]
    services.link_person(actor=analyst, entity_id="p-zhang", person_id=match.person.pk)
    assert selectors.registry_candidates(analyst, "p-zhang") == []
    assert Entity.objects.get(pk="p-zhang").person == world.people["cn_shelter"]


def test_a_large_file_is_written_in_chunks_and_resolves_across_them(analyst, monkeypatch):
    monkeypatch.setattr(services, "WRITE_CHUNK", 2)
    wallets = [{"id": f"w{i}", "schema": "CryptoWallet",
                "properties": {"publicKey": ["TXYZabcdefghijkmnopqrstuvwxyz12345"]}} for i in range(5)]
    data = _lines(*wallets)
    report = services.import_batch(actor=analyst, rows=services.parse_ftm_lines(data), data=data, name="big.json",
                                   source_kind="ftm")
    assert report.entities == 5 and report.new_statements == 5 and report.resolved == 4
    assert set(Entity.objects.filter(canonical__isnull=False).values_list("canonical_id", flat=True)) == {"w0"}


def test_a_rolled_back_write_does_not_leave_its_graph_in_the_cache(analyst):
    """The cache keys on a per-write token: the counter alone comes back to the same number after a
    rollback, and the graph built inside the rolled-back transaction would be served again."""
    from django.db import transaction

    class Rollback(Exception):
        pass

    def write(entity):
        data = _lines(entity)
        services.import_batch(actor=analyst, rows=services.parse_ftm_lines(data), data=data,
                              name=f"{entity['id']}.json", source_kind="ftm")

    with pytest.raises(Rollback), transaction.atomic():
        write(BOSS)
        assert "boss-1" in store.graph().data.ids
        raise Rollback
    write(RECRUITER)
    ids = store.graph().data.ids
    assert "rec-1" in ids and "boss-1" not in ids
