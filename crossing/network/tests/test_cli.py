"""``crossing network import | export | rank``: counts, reports naming line/row and column, no tracebacks."""

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.cli import COMMANDS
from crossing.network.models import Entity, SourceBatch, Statement
from crossing.network.tests.test_interop import SYNDICATE, lines
from crossing.network.tests.test_sources import CONTACT_HEADER, CONTACTS, table

CROSSING = Path(sys.executable).with_name("crossing")


def cmd(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def syndicate_file(tmp_path):
    path = tmp_path / "syndicate.ftm.json"
    path.write_bytes(lines(*SYNDICATE))
    return path


def test_the_network_group_is_registered():
    assert COMMANDS["network"] == {verb: (f"network_{verb}", COMMANDS["network"][verb][1])
                                   for verb in ("import", "export", "rank")}


def test_import_ftm_prints_counts_and_a_repeat_is_a_no_op(world, syndicate_file):
    out, _ = cmd("network_import", str(syndicate_file), "--user", "police.analyst", "--confidence", "0.6")
    assert f"syndicate.ftm.json: {len(SYNDICATE)} entities" in out
    statements = Statement.objects.count()
    assert Statement.objects.filter(confidence=0.6).count() == statements
    again, _ = cmd("network_import", str(syndicate_file), "--user", "police.analyst")
    assert "already imported" in again and "nothing changed" in again
    assert Statement.objects.count() == statements and SourceBatch.objects.count() == 1


def test_import_as_the_system_account_by_default(world, syndicate_file):
    cmd("network_import", str(syndicate_file))
    assert Statement.objects.filter(entity_id="boss-1").first().recorded_by.username == "system"


def test_bad_ftm_lines_exit_1_naming_line_and_field(world, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(lines(*SYNDICATE[:2]) + b"\n{not json")
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("network_import", str(bad), "--user", "police.analyst", stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1 and "nothing was imported" in str(exc.value)
    assert "line 3: not JSON" in err.getvalue()
    bad.write_bytes(lines(SYNDICATE[0], {"id": "x", "schema": "Person", "properties": {"wingspan": ["3"]}}))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("network_import", str(bad), "--user", "police.analyst", stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "line 2, field properties.wingspan: not a property of Person" in err.getvalue()
    assert not Entity.objects.exists()


def test_import_contacts_csv_with_a_mapping(world, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(table(["device_owner", "Saved as", "Mobile", "handle", "service", "device_ref"], *CONTACTS))
    out, _ = cmd("network_import", str(path), "--format", "contacts", "--map", "contact_name=Saved as",
                 "--map", "phone=Mobile", "--user", "police.analyst")
    assert "contacts.csv: 6 entities" in out
    assert Statement.objects.filter(source="device_contacts:contacts.csv").exists()


def test_bad_csv_names_row_and_column_and_writes_nothing(world, tmp_path):
    path = tmp_path / "contacts.csv"
    rows = [list(r) for r in CONTACTS]
    rows[1][2] = "12"
    path.write_bytes(table(CONTACT_HEADER, *rows))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("network_import", str(path), "--format", "contacts", "--user", "police.analyst",
                     stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1 and "nothing was imported" in str(exc.value)
    assert "row 3, column phone: '12' is not a phone number" in err.getvalue()
    path.write_bytes(table(["device_owner", "contact_name"], *[r[:2] for r in CONTACTS]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("network_import", str(path), "--format", "contacts", stdout=io.StringIO(), stderr=err)
    assert "row 1, column phone: missing column" in err.getvalue()
    assert not Entity.objects.exists() and not SourceBatch.objects.exists()


@pytest.mark.parametrize("args, message", [
    (["/nonexistent/file.csv"], "No such file"),
    (["{file}", "--map", "phone"], "ours=theirs"),
    (["{file}", "--format", "contacts", "--confidence", "2"], "between 0 and 1"),
    (["{file}", "--user", "nobody"], "no active user"),
])
def test_usage_errors_are_clear(world, syndicate_file, args, message):
    args = [a.replace("{file}", str(syndicate_file)) for a in args]
    with pytest.raises(CommandError, match=message):
        cmd("network_import", *args)


def test_import_refused_for_an_outsider(world, syndicate_file):
    with pytest.raises(CommandError, match="refused: outsider may not import"):
        cmd("network_import", str(syndicate_file), "--user", "outsider")
    assert not Entity.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username="outsider").exists()


@pytest.fixture
def imported(world, syndicate_file):
    cmd("network_import", str(syndicate_file), "--user", "police.analyst")


def test_export_ftm_to_stdout(imported):
    out, _ = cmd("network_export", "--format", "ftm", "--user", "police.analyst")
    assert {json.loads(line)["id"] for line in out.splitlines()} == {e["id"] for e in SYNDICATE}


@pytest.mark.parametrize("fmt", ["ftm", "statements", "gexf", "i2-csv"])
def test_export_to_a_private_file(imported, tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    out, err = cmd("network_export", "--format", fmt, "--output", str(path), "--user", "prosecutor")
    assert out == "" and str(path) in err
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not list(tmp_path.glob("*.part"))
    if fmt == "gexf":
        assert nx.read_gexf(path, version="1.3").has_node("boss-1")
    elif fmt == "i2-csv":
        assert path.read_text(encoding="utf-8").startswith("Entity1 Identity,Entity1 Type,Entity1 Label,Link Type,")
    event = AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_EXPORTED).get()
    assert event.actor_username == "prosecutor" and event.extra["format"] == fmt


@pytest.mark.parametrize("username", ["outsider", "shelter.staff", "embassy.china"])
def test_export_refused_without_the_grant(imported, tmp_path, username):
    path = tmp_path / "leak.json"
    with pytest.raises(CommandError, match="refused") as exc:
        cmd("network_export", "--format", "ftm", "--output", str(path), "--user", username)
    assert exc.value.returncode == 1 and not path.exists() and not list(tmp_path.glob("*.part"))
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username,
                                     extra={"action": "network.export"}).exists()


def test_rank_prints_only_a_json_array_with_the_contract_keys(imported):
    out, _ = cmd("network_rank", "--top", "3", "--format", "json", "--user", "police.analyst")
    ranked = json.loads(out)
    assert isinstance(ranked, list) and 1 <= len(ranked) <= 3
    for row in ranked:
        assert list(row) == ["id", "schema", "name", "score", "reasons"]
        assert row["schema"] in {"Person", "Organization", "Company", "LegalEntity"}
        assert isinstance(row["score"], float) and all(isinstance(r, str) for r in row["reasons"])
    assert ranked[0]["id"] == "boss-1"  # the imported FtM id, kept
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_ANALYSED).exists()


def test_rank_table_names_the_people(imported):
    out, _ = cmd("network_rank", "--top", "5", "--format", "table", "--user", "prosecutor")
    assert "Boss Bai" in out and "boss-1" in out


def test_rank_refused_for_shelter_staff(imported):
    with pytest.raises(CommandError, match="refused"):
        cmd("network_rank", "--user", "shelter.staff")


@pytest.mark.slow
@pytest.mark.skipif(not CROSSING.exists(), reason="the crossing console script is not installed")
def test_crossing_network_rank_as_a_process(tmp_path, syndicate_file):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "PYTEST_CURRENT_TEST"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CROSSING_ENV="dev")

    def crossing(*args):
        return subprocess.run([str(CROSSING), *args], env=env, capture_output=True, text=True, timeout=240,  # noqa: S603
                              check=False)

    assert crossing("migrate", "--no-input").returncode == 0
    imported = crossing("network", "import", str(syndicate_file))
    assert imported.returncode == 0, imported.stderr
    result = crossing("network", "rank", "--top", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    ranked = json.loads(result.stdout)
    assert ranked[0]["id"] == "boss-1" and list(ranked[0]) == ["id", "schema", "name", "score", "reasons"]
    bad = crossing("network", "import", "/nonexistent.json")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


@pytest.mark.django_db
def test_a_sanctions_list_is_imported_and_screened_across_scripts(world, tmp_path):
    import io

    from django.core.management import call_command

    from crossing.access.policy import actor_for
    from crossing.network import services as network_services
    from crossing.network.models import Entity, SanctionHit

    network_services.record_entities(actor=actor_for(world.users["police.analyst"]), source="ledger", entities=[
        {"id": "boss-han", "schema": "Person", "properties": {"name": ["李明华"]}}])
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps({"id": "ofac-1", "schema": "Person", "properties": {"name": ["LI Minghua"]}}))
    out = io.StringIO()
    call_command("network_import", str(listing), "--format", "sanctions", stdout=out)
    assert "1 possible matches" in out.getvalue()
    hit = SanctionHit.objects.get()
    assert (hit.entity_id, hit.target_id, hit.score) == ("boss-han", "ofac-1", 1.0)
    assert Entity.objects.get(pk="boss-han").sanctioned
