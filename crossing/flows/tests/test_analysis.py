"""Tracing, the backbone ranking and the pages over stored transactions: the CLI contracts, the network
entities behind the accounts, access for every role (an outsider sees nothing) and the audit."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound
from crossing.flows import selectors, services
from crossing.flows.tests.conftest import COLLECTOR, txn_table


def cmd(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rank_cli_prints_the_contracts_json_array_best_first(laundering):
    ranked = json.loads(cmd("flows_rank", "--top", "3", "--format", "json", "--user", "police.analyst"))
    assert isinstance(ranked, list) and len(ranked) == 3
    assert all(set(r) == {"account", "score", "reasons"} for r in ranked)
    assert ranked[0]["account"] == COLLECTOR and ranked[0]["score"] >= ranked[1]["score"] >= ranked[2]["score"]
    assert {ranked[1]["account"], ranked[2]["account"]} == {"KBANK:100", "KBANK:101"}
    assert any("Exchange A" in reason for reason in ranked[0]["reasons"])


def test_the_ranking_names_the_network_entity_behind_the_top_account(laundering, analyst):
    top = selectors.ranking(analyst, top=5)[0]
    assert top["account"] == COLLECTOR and top["holders"] == [("boss", "Boss One")]
    assert AuditEvent.objects.filter(event_type=AuditEventType.FLOWS_ANALYSED, actor_username="police.analyst").exists()


def test_trace_follows_a_victims_payment_to_the_cash_out_points_with_amounts_conserved(laundering, analyst):
    result = selectors.trace(analyst, "v0")
    assert result["conserved"]["ok"]
    cashouts = {c["account"]: c["amount_usd"] for c in result["cashouts"]}
    assert set(cashouts) <= {"TExchangeHot000000000000000000000001", "TGuarantee00000000000000000000000001"}
    assert sum(cashouts.values()) + sum(h["amount_usd"] for h in result["held"]) == pytest.approx(1000.0)
    assert result["behind"][COLLECTOR]["holders"] == [["boss", "Boss One"]]
    text = cmd("flows_trace", "v0", "--user", "police.analyst")
    assert "cash-out points:" in text and "conserved: yes" in text and "Exchange A" in text
    data = json.loads(cmd("flows_trace", "v0", "--format", "json", "--user", "police.analyst"))
    assert data["seed"]["txn_id"] == "v0"
    with pytest.raises(CommandError, match="no transaction"):
        cmd("flows_trace", "nope", "--user", "police.analyst")


@pytest.mark.parametrize("username", ["outsider", "case.officer", "screening.officer", "social.worker",
                                      "shelter.staff", "embassy.china", "iom.movement", "auditor", "supervisor"])
def test_no_one_outside_the_compartment_sees_flows(laundering, world, username):
    actor = actor_for(world.users[username])
    for read in (lambda: selectors.trace(actor, "v0"), lambda: selectors.ranking(actor),
                 lambda: selectors.account(actor, COLLECTOR), lambda: selectors.alerts(actor)):
        with pytest.raises(NotFound):
            read()
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username,
                                     extra__action="flows.view").exists()
    with pytest.raises(CommandError, match="refused"):
        cmd("flows_rank", "--user", username)


def test_the_prosecutor_reads_but_does_not_import(laundering, world):
    prosecutor = actor_for(world.users["prosecutor"])
    assert selectors.trace(prosecutor, "v1")["conserved"]["ok"]
    with pytest.raises(NotFound):
        services.import_table(actor=prosecutor, table=txn_table([("x", 1, "A", "B", 1.0)]), name="x")


def test_the_analyst_traces_from_the_pages(laundering, login):
    client = login("police.analyst")
    home = client.get(reverse("web:flows"))
    assert home.status_code == 200 and b"flows-ranking" in home.content and b"Boss One" in home.content
    page = client.get(reverse("web:flows-trace"), {"txn": "v0"})
    assert page.status_code == 200 and b"<svg" in page.content and b"Exchange A" in page.content
    account = client.get(reverse("web:flows-account"), {"id": COLLECTOR})
    assert account.status_code == 200 and b"Boss One" in account.content
    assert client.get(reverse("web:flows-trace"), {"txn": "missing"}).status_code == 404
    assert client.get(reverse("web:flows"), {"q": "v0", "kind": "txn"}).status_code == 302


@pytest.mark.parametrize("username", ["outsider", "case.officer", "embassy.kenya", "auditor"])
def test_the_pages_are_404_outside_the_compartment(laundering, login, username):
    client = login(username)
    for url, params in [("web:flows", {}), ("web:flows-trace", {"txn": "v0"}), ("web:flows-account", {"id": COLLECTOR}),
                        ("web:flows-alerts", {}), ("web:flows-import", {}), ("web:flows-complaints", {}),
                        ("web:flows-trace-ftm", {"txn": "v0"})]:
        assert client.get(reverse(url), params).status_code == 404, url


def test_the_trace_index_is_kept_on_disk_for_other_processes(laundering, analyst, monkeypatch):
    from analytics.flows.trace import TxnIndex
    from crossing.flows import store

    selectors._cache.update(key=None, index=None, results={})
    first = selectors.index()
    base = store.root() / "index"
    versions = [p for p in base.iterdir() if not p.name.startswith(".")]
    assert len(versions) == 1 and (versions[0] / "meta.json").exists()
    assert oct(base.stat().st_mode & 0o777) == "0o700"

    def rebuilt(cls, con):
        raise AssertionError("built again instead of loaded")

    selectors._cache.update(key=None, index=None, results={})  # as in another process
    monkeypatch.setattr(TxnIndex, "from_connection", classmethod(rebuilt))
    again = selectors.index()
    assert again.ids(range(len(again))) == first.ids(range(len(first)))
    assert selectors.trace(analyst, "v0")["conserved"]["ok"]
    monkeypatch.undo()
    services.import_table(actor=analyst, table=txn_table([("late", 99, "A", "B", 5.0)]), name="more")
    selectors.index()  # a new data version: built, and the old one removed
    now = [p.name for p in base.iterdir() if not p.name.startswith(".")]
    assert len(now) == 1 and now[0] != versions[0].name
