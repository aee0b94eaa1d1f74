"""Exports for Aleph / ftm tools, FtM statements, Gephi and i2: valid, folded, safe, refused and audited."""

import csv
import io
import json
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from followthemoney import model
from followthemoney.statement import CSV, read_statements

from analytics.network.vocabulary import EdgeKind
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound
from crossing.network import interop, services, store
from crossing.network.models import Edge, Entity, SourceBatch, Statement

FTM_CLI = Path(__file__).resolve().parents[3] / ".venv" / "bin" / "ftm"

# A small synthetic syndicate: a boss who owns a company and supervises recruiters, money into the
# boss's account, a phone shared by two people, and a name that is a spreadsheet formula.
SYNDICATE = [
    {"id": "boss-1", "schema": "Person", "properties": {"name": ["Boss Bai & <Sons>"], "phone": ["+66812345678"]}},
    {"id": "co-1", "schema": "Company", "properties": {"name": ["Golden \"Fortune\" Trading Co"]}},
    {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["boss-1"], "asset": ["co-1"]}},
    {"id": "rec-1", "schema": "Person", "properties": {"name": ["=HYPERLINK(\"http://evil.example\",\"x\")"],
                                                       "phone": ["+66812345678"]}},
    {"id": "rec-2", "schema": "Person", "properties": {"name": ["Recruiter Two"]}},
    {"id": "sup-1", "schema": "UnknownLink", "properties": {"subject": ["boss-1"], "object": ["rec-1"],
                                                            "role": ["supervises"]}},
    {"id": "sup-2", "schema": "UnknownLink", "properties": {"subject": ["boss-1"], "object": ["rec-2"],
                                                            "role": ["supervises"]}},
    {"id": "w-1", "schema": "Person", "properties": {"name": ["Worker One"]}},
    {"id": "w-2", "schema": "Person", "properties": {"name": ["Worker Two"]}},
    {"id": "rcr-1", "schema": "UnknownLink", "properties": {"subject": ["rec-1"], "object": ["w-1"],
                                                            "role": ["recruited"], "date": ["2025-01-05"]}},
    {"id": "rcr-2", "schema": "UnknownLink", "properties": {"subject": ["rec-2"], "object": ["w-2"],
                                                            "role": ["recruited"], "date": ["2025-01-09"]}},
    {"id": "acct-1", "schema": "BankAccount", "properties": {"accountNumber": ["123-456-7890"], "bankName": ["KBank"]}},
    {"id": "own-2", "schema": "Ownership", "properties": {"owner": ["boss-1"], "asset": ["acct-1"]}},
    {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["w-1"], "beneficiaryAccount": ["acct-1"],
                                                        "amount": ["2500"], "currency": ["USD"],
                                                        "amountUsd": ["2500"], "date": ["2025-02-01"]}},
]
# The same boss under another spelling, which an analyst merges into boss-1; a link points at it.
ALIAS = {"id": "boss-alias", "schema": "Person", "properties": {"name": ["Bai Suocheng"]}}
ALIAS_LINK = {"id": "rcr-3", "schema": "UnknownLink", "properties": {"subject": ["boss-alias"], "object": ["w-2"],
                                                                     "role": ["recruited"]}}


def lines(*entities) -> bytes:
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in entities).encode()


def load(actor, entities, name="syndicate.json"):
    data = lines(*entities)
    return services.import_batch(actor=actor, rows=services.parse_ftm_lines(data), data=data, name=name,
                                 source_kind="ftm", confidence=0.8)


@pytest.fixture
def analyst(world):
    return actor_for(world.users["police.analyst"])


@pytest.fixture
def compartment(analyst):
    load(analyst, [*SYNDICATE, ALIAS, ALIAS_LINK])
    services.merge(actor=analyst, keep_id="boss-1", merge_id="boss-alias", reason="same boss, two spellings")
    return analyst


def _export(fn, actor) -> str:
    stream = io.StringIO(newline="")
    fn(stream, actor=actor)
    return stream.getvalue()


def test_ftm_export_is_valid_ftm_with_merged_entities_folded_in(compartment):
    text = _export(interop.export_ftm, compartment)
    rows = [json.loads(line) for line in text.splitlines()]
    for row in rows:
        proxy = model.get_proxy(row, cleaned=False)
        assert proxy.to_dict()["properties"] == row["properties"]
    by_id = {r["id"]: r for r in rows}
    assert "boss-alias" not in by_id  # folded into its canonical entity
    assert set(by_id["boss-1"]["properties"]["name"]) == {"Boss Bai & <Sons>", "Bai Suocheng"}
    assert by_id["rcr-3"]["properties"]["subject"] == ["boss-1"]  # the reference is rewritten
    assert len(rows) == len(SYNDICATE) + 1
    event = AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_EXPORTED).get()
    assert event.extra == {"format": "ftm", "entities": len(rows)}


@pytest.mark.skipif(not FTM_CLI.exists(), reason="the ftm command is not installed")
def test_ftm_export_passes_the_ftm_tools(compartment, tmp_path):
    path = tmp_path / "export.ftm.json"
    path.write_text(_export(interop.export_ftm, compartment), encoding="utf-8")
    for verb in ("validate", "aggregate"):
        result = subprocess.run([str(FTM_CLI), verb, "-i", str(path)], capture_output=True, text=True,  # noqa: S603
                                timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        back = {json.loads(line)["id"] for line in result.stdout.splitlines()}
        assert back == {json.loads(line)["id"] for line in path.read_text().splitlines()}
    statements = tmp_path / "statements.csv"
    statements.write_text(_export(interop.export_statements, compartment), encoding="utf-8")
    result = subprocess.run([str(FTM_CLI), "aggregate-statements", "-i", str(statements), "-f", "csv"],  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    rolled = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["id"] for r in rolled) == sorted(json.loads(line)["id"] for line in path.read_text().splitlines())
    assert set(next(r for r in rolled if r["id"] == "boss-1")["properties"]["name"]) == {"Boss Bai & <Sons>",
                                                                                        "Bai Suocheng"}


def test_ftm_export_round_trips_into_an_empty_compartment(compartment):
    text = _export(interop.export_ftm, compartment)
    canonical_ids = set(Entity.objects.filter(canonical__isnull=True).values_list("pk", flat=True))
    before = {r["id"]: (r["schema"], {k: sorted(v) for k, v in r["properties"].items()})
              for r in map(json.loads, text.splitlines())}
    assert set(before) == canonical_ids  # every canonical entity, under its own id
    Edge.objects.all().delete()
    Statement.objects.all().delete()
    Entity.objects.all().delete()
    SourceBatch.objects.all().delete()
    data = text.encode()
    report = services.import_batch(actor=compartment, rows=services.parse_ftm_lines(data), data=data,
                                   name="roundtrip.json", source_kind="ftm")
    assert report.entities == len(before)
    after = {e.pk: (e.schema, {k: sorted(v) for k, v in e.properties.items()}) for e in Entity.objects.all()}
    assert after == before
    edges = {(s, t, k) for s, t, k in Edge.objects.values_list("source", "target", "kind")}
    assert ("boss-1", "w-2", EdgeKind.RECRUITED) in edges and ("boss-1", "rec-1", EdgeKind.SUPERVISES) in edges


def test_statement_export_carries_provenance_and_the_canonical_id(compartment, world):
    retracted = Statement.objects.get(entity_id="rec-2", prop="name")
    services.retract(actor=compartment, statement_id=retracted.pk, reason="wrong name")
    text = _export(interop.export_statements, compartment)
    statements = list(read_statements(io.BytesIO(text.encode()), CSV))
    assert len(statements) == Statement.objects.filter(retracted_at__isnull=True).count()
    name = next(s for s in statements if s.entity_id == "boss-1" and s.prop == "name")
    assert name.dataset == "ftm:syndicate.json" and name.origin == "police.analyst"
    assert name.first_seen.startswith(str(Statement.objects.first().recorded_at.year))
    alias = next(s for s in statements if s.entity_id == "boss-alias")
    assert alias.canonical_id == "boss-1"
    link = next(s for s in statements if s.entity_id == "rcr-3" and s.prop == "subject")
    assert link.value == "boss-1" and link.original_value == "boss-alias"
    assert not any(s.entity_id == "rec-2" and s.prop == "name" for s in statements)
    assert AuditEvent.objects.get(event_type=AuditEventType.NETWORK_EXPORTED).extra["statements"] == len(statements)


def test_gexf_opens_with_the_right_nodes_and_edges(compartment, tmp_path):
    Entity.objects.filter(pk="w-1").update(caption="Worker \x0b One")  # a control character XML cannot carry
    path = tmp_path / "graph.gexf"
    path.write_text(_export(interop.export_gexf, compartment), encoding="utf-8")
    graph = nx.read_gexf(path, version="1.3")
    data = store.graph_data()
    links = {"Ownership", "UnknownLink", "Payment"}
    expected_nodes = {pk for pk, schema in zip(data.ids, data.schemata, strict=True) if schema not in links}
    assert set(graph.nodes) == expected_nodes
    assert "phone:+66812345678" in graph.nodes and graph.nodes["phone:+66812345678"]["schema"] == "Phone"
    assert graph.number_of_edges() == data.edge_count
    assert graph.nodes["boss-1"]["label"] == "Boss Bai & <Sons>"
    assert graph.nodes["co-1"]["label"] == 'Golden "Fortune" Trading Co'
    assert graph.nodes["w-1"]["label"] == "Worker  One"
    paid = [d for _, _, d in graph.edges(data=True) if d["label"] == "paid"]
    assert len(paid) == 1 and paid[0]["weight"] == 2500.0 and paid[0]["date"] == "2025-02-01"
    assert any(d["label"] == "recruited" and d["kind"] == "recruited" for _, _, d in graph.edges(data=True))


def test_i2_csv_has_the_import_columns_and_neutralised_cells(compartment):
    text = _export(interop.export_i2_csv, compartment)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Entity1 Identity", "Entity1 Type", "Entity1 Label", "Link Type", "Entity2 Identity",
                       "Entity2 Type", "Entity2 Label", "Link Date", "Amount"]
    assert len(rows) - 1 == store.graph_data().edge_count
    supervised = next(r for r in rows if r[3] == "supervises" and r[4] == "rec-1")
    assert supervised[0] == "boss-1" and supervised[1] == "Person"
    assert supervised[6] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    paid = next(r for r in rows if r[3] == "paid")
    assert paid[0] == "w-1" and paid[4] == "acct-1" and paid[7] == "2025-02-01" and paid[8] == "2500.00"
    extra = AuditEvent.objects.get(event_type=AuditEventType.NETWORK_EXPORTED).extra
    assert extra["format"] == "i2-csv" and extra["links"] == len(rows) - 1


@pytest.mark.parametrize("username", ["outsider", "shelter.staff", "embassy.china"])
@pytest.mark.parametrize("fmt", interop.FORMATS)
def test_export_is_refused_without_the_grant(compartment, world, username, fmt):
    actor = actor_for(world.users[username])
    stream = io.StringIO()
    with pytest.raises(NotFound):
        interop.EXPORTERS[fmt](stream, actor=actor)
    assert stream.getvalue() == ""
    denied = AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_id=world.users[username].pk).get()
    assert denied.extra == {"action": "network.export"} and denied.outcome == "denied"
    assert not AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_EXPORTED).exists()


def test_prosecutor_may_export(compartment, world):
    text = _export(interop.export_ftm, actor_for(world.users["prosecutor"]))
    assert len(text.splitlines()) == len(SYNDICATE) + 1


def test_empty_compartment_exports_are_valid(analyst, tmp_path):
    assert _export(interop.export_ftm, analyst) == ""
    path = tmp_path / "empty.gexf"
    path.write_text(_export(interop.export_gexf, analyst), encoding="utf-8")
    assert nx.read_gexf(path, version="1.3").number_of_nodes() == 0
