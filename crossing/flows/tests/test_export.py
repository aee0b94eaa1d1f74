"""``crossing flows export --format ftm --trace``: FtM entities that FtM itself accepts, wallets through the
documented extension, the network's ids kept, access (the prosecutor exports; an outsider and the auditor
are refused) and the audit."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from followthemoney import model

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.flows.tests.conftest import COLLECTOR


def export(*args) -> list[dict]:
    out = io.StringIO()
    call_command("flows_export", *args, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_trace_exports_as_ftm_with_wallet_transfers_as_unknown_links(laundering):
    lines = export("--format", "ftm", "--trace", "v0", "--user", "prosecutor")
    proxies = [model.get_proxy(line, cleaned=False) for line in lines]
    for proxy, line in zip(proxies, lines, strict=True):  # FtM's own validation: every value fits its type
        assert model.get_proxy(proxy.to_dict()).to_dict() == line
    by_schema = {}
    for p in proxies:
        by_schema.setdefault(p.schema.name, []).append(p)
    wallets = {p.first("publicKey"): p for p in by_schema["CryptoWallet"]}
    assert COLLECTOR in wallets and wallets[COLLECTOR].id == "wallet"  # the network's entity id, so they merge
    banks = {p.first("accountNumber"): p for p in by_schema["BankAccount"]}
    assert "100" in banks and banks["100"].first("bankName") == "KBANK"
    # the mule pays the collector's wallet: no FtM Payment can say so, hence the documented UnknownLink
    links = by_schema["UnknownLink"]
    assert any(link.first("subject") == banks["100"].id and link.first("object") == wallets[COLLECTOR].id
               and link.first("role") == "crypto transfer" and "m0" in link.get("recordId") for link in links)
    assert all("traced from payment v0" in link.first("summary") for link in links)
    ids = {p.id for p in proxies}
    for link in links:
        assert link.first("subject") in ids and link.first("object") in ids
    event = AuditEvent.objects.get(event_type=AuditEventType.FLOWS_EXPORTED, actor_username="prosecutor")
    assert event.extra["format"] == "ftm" and event.extra["entities"] == len(lines)


def test_bank_to_bank_transfers_are_payments(analyst):
    from crossing.flows import services
    from crossing.flows.tests.conftest import txn_table

    services.import_table(actor=analyst, table=txn_table([("p1", 1, "victim-x", "SCB:1", 500.0),
                                                          ("p2", 2, "SCB:1", "KBANK:2", 490.0)]), name="banks")
    lines = export("--trace", "p1", "--user", "police.analyst")
    payments = {p.first("transactionNumber"): p for p in (model.get_proxy(line) for line in lines
                                                          if line["schema"] == "Payment")}
    assert set(payments) == {"p2"}  # bank to bank; the victim's USDT payment in is an UnknownLink
    pay = payments["p2"]
    assert float(pay.first("amountUsd")) == pytest.approx(490.0)
    accounts = {p["id"]: p for p in lines if p["schema"] == "BankAccount"}
    assert accounts[pay.first("payerAccount")]["properties"]["accountNumber"] == ["1"]


@pytest.mark.parametrize("username", ["outsider", "auditor", "case.officer", "embassy.china"])
def test_outside_the_grant_the_export_is_refused_and_audited(laundering, username):
    with pytest.raises(CommandError, match=r"refused: .* may not export money flows \(flows.export\)"):
        export("--trace", "v0", "--user", username)
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username,
                                     extra__action="flows.export").exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.FLOWS_EXPORTED).exists()


def test_an_unknown_transaction_is_named(laundering):
    with pytest.raises(CommandError, match="no stored transaction 'nope'"):
        export("--trace", "nope", "--user", "police.analyst")


def test_the_trace_page_offers_the_download_to_those_who_may_export(laundering, login):
    from django.urls import reverse

    client = login("prosecutor")
    page = client.get(reverse("web:flows-trace"), {"txn": "v0"})
    assert b"Download as FollowTheMoney" in page.content
    download = client.get(reverse("web:flows-trace-ftm"), {"txn": "v0"})
    assert download.status_code == 200 and download["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in download.content.decode().splitlines()]
    assert {line["schema"] for line in lines} >= {"CryptoWallet", "UnknownLink"}
    for username in ("outsider", "case.officer", "auditor"):
        assert login(username).get(reverse("web:flows-trace-ftm"), {"txn": "v0"}).status_code == 404
