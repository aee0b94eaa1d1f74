"""Transaction imports: every format, bad input named by row and column, all-or-nothing, idempotent,
refused for those without ``flows.import`` (audited), and no partial state after a crash."""

import io
import os
import time

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.flows import services, store
from crossing.flows.models import FlowAccount, FlowBatch

CANONICAL = (b"txn_id,timestamp,from_account,to_account,amount,currency,channel\n"
             b"T1,2025-02-14T09:30:00+07:00,victim:1,KBANK:1001,\"50,000\",THB,bank\n"
             b"T2,2025-02-14 05:00:00,KBANK:1001,SCB:2002,49000,THB,bank\n"
             b"T3,2025-02-14 06:10:00,SCB:2002,TXfG7yQ5vTwallet00000000000000000,1400,USDT,usdt_trc20\n")


def txns() -> list[dict]:
    con = store.connect()
    try:
        return con.sql("SELECT * FROM txns ORDER BY ts, txn_id").to_arrow_table().to_pylist()
    finally:
        con.close()


def problems(exc) -> list[tuple]:
    return [(e["row"], e["field"]) for e in exc.value.extra["errors"]]


def test_canonical_file_is_stored_with_utc_times_and_usd_amounts(analyst):
    report = services.import_file(actor=analyst, data=CANONICAL, name="bank.csv", fmt="canonical")
    assert (report.rows, report.new_rows) == (3, 3)
    rows = txns()
    assert [r["txn_id"] for r in rows] == ["T1", "T2", "T3"]
    first = rows[0]
    assert first["ts"].isoformat() == "2025-02-14T02:30:00"  # +07:00 converted to UTC
    assert first["amount"] == 50000 and first["currency"] == "THB" and first["amount_usd"] == pytest.approx(1450)
    assert rows[2]["dst"] == "TXfG7yQ5vTwallet00000000000000000"  # identifiers kept exactly as written
    event = AuditEvent.objects.get(event_type=AuditEventType.FLOWS_IMPORTED)
    assert event.extra["new_rows"] == 3 and "victim:1" not in str(event.extra)


def test_the_same_file_twice_and_overlapping_files_add_nothing_new(analyst):
    services.import_file(actor=analyst, data=CANONICAL, name="bank.csv", fmt="canonical")
    again = services.import_file(actor=analyst, data=CANONICAL, name="bank.csv", fmt="canonical")
    assert again.already_imported and FlowBatch.objects.count() == 1
    overlap = CANONICAL + b"T4,2025-02-15 06:10:00,SCB:2002,KTB:3003,10,USD,bank\n"
    report = services.import_file(actor=analyst, data=overlap, name="bank-2.csv", fmt="canonical")
    assert (report.new_rows, report.known_rows) == (1, 3)
    assert len(txns()) == 4


def test_a_known_id_with_other_values_rejects_the_whole_file(analyst):
    services.import_file(actor=analyst, data=CANONICAL, name="bank.csv", fmt="canonical")
    changed = (b"txn_id,timestamp,from_account,to_account,amount,currency\n"
               b"T9,2025-03-01 00:00,A,B,5,USD\n"
               b"T2,2025-02-14 05:00:00,KBANK:1001,SCB:2002,48000,THB\n")
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(actor=analyst, data=changed, name="changed.csv", fmt="canonical")
    assert problems(exc) == [(3, "txn_id")]
    assert len(txns()) == 3 and FlowBatch.objects.count() == 1


@pytest.mark.parametrize("body, expected", [
    (b",2025-02-14,A,B,5,USD\n", [(2, "txn_id")]),
    (b"X,14 Feb,A,B,5,USD\n", [(2, "timestamp")]),
    (b"X,2025-02-14,A,B,five,USD\n", [(2, "amount")]),
    (b"X,2025-02-14,A,B,-5,USD\n", [(2, "amount")]),
    (b"X,2025-02-14,A,A,5,USD\n", [(2, "to_account")]),
    (b"X,2025-02-14,A,B,5,DOGE\n", [(2, "currency")]),
    (b"X,2025-02-14,A,B,5,USD\nX,2025-02-14,A,C,5,USD\n", [(3, "txn_id")]),
    (b"X,2025-02-14,A,B,5,USD\nY,2025-02-30,A,B,5,USD\n", [(3, "timestamp")]),
])
def test_bad_rows_are_named_by_row_and_column_and_nothing_is_stored(analyst, body, expected):
    data = b"txn_id,timestamp,from_account,to_account,amount,currency\n" + body
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(actor=analyst, data=data, name="bad.csv", fmt="canonical")
    assert problems(exc) == expected
    assert txns() == [] and not FlowBatch.objects.exists()


@pytest.mark.parametrize("data, expected", [
    (b"txn_id,timestamp,from_account\nX,2025-02-14,A\n", [(1, "to_account"), (1, "amount"), (1, "currency")]),
    (b"\xff\xfeT\x00", [(None, "")]),
    (b"", [(1, "")]),
    (b"txn_id,timestamp,from_account,to_account,amount,currency\n", [(None, "")]),
    (b"txn_id,timestamp,from_account,to_account,amount,currency\nX,2025-02-14,A,B,5,USD,extra\n", [(None, "")]),
])
def test_unreadable_files_are_refused_with_a_reason(analyst, data, expected):
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(actor=analyst, data=data, name="bad.csv", fmt="canonical")
    assert problems(exc) == expected and exc.value.extra["errors"][0]["message"]


def test_a_block_explorer_export_is_read_with_its_own_headers(analyst):
    data = (b"Txn Hash,Block,Time(UTC),From,To,Value,Token Symbol\n"
            b"0abc,70000001,2025-02-14 09:30:00,TAddrFrom000000000000000000000001,TAddrTo00000000000000000000000001,"
            b"1250.5,USDT\n"
            b"0abd,70000002,1739525400000,TAddrTo00000000000000000000000001,TAddrX000000000000000000000000001,10,TRX\n")
    services.import_file(actor=analyst, data=data, name="tronscan.csv", fmt="tron")
    rows = {r["txn_id"]: r for r in txns()}
    assert rows["0abc"]["channel"] == "usdt_trc20" and rows["0abc"]["amount_usd"] == 1250.5
    assert rows["0abd"]["ts"].isoformat() == "2025-02-14T09:30:00"  # epoch milliseconds
    assert rows["0abd"]["currency"] == "TRX" and rows["0abd"]["channel"] == "other_crypto"


def test_a_bank_statement_in_xlsx_becomes_transfers_in_and_out_of_its_account(analyst):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Description", "Withdrawal", "Deposit", "Counterparty", "Balance"])
    sheet.append(["14/02/2568", "transfer in", None, 50000, "SCB:111", 50000])  # Buddhist-era year
    sheet.append(["15/02/2025", "transfer out", "49,500.00", None, "KTB:222", 500])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    with pytest.raises(ValidationFailed) as exc:  # whose statement is it?
        services.import_file(actor=analyst, data=data, name="stmt.xlsx", fmt="bank-csv", currency="THB")
    assert problems(exc) == [(1, "account")]
    services.import_file(actor=analyst, data=data, name="stmt.xlsx", fmt="bank-csv", account="KBANK:999", currency="THB")
    rows = txns()
    assert [(r["src"], r["dst"], r["amount"]) for r in rows] == [("SCB:111", "KBANK:999", 50000), ("KBANK:999", "KTB:222", 49500)]
    assert rows[0]["ts"].year == 2025
    assert FlowAccount.objects.filter(account="KBANK:999").exists()
    # the same statement again, re-exported (other bytes, same rows): the row ids are stable
    again = io.BytesIO()
    sheet.append([])
    book.save(again)
    report = services.import_file(actor=analyst, data=again.getvalue(), name="stmt-again.xlsx", fmt="bank-csv",
                                  account="KBANK:999", currency="THB")
    assert report.new_rows == 0 and len(txns()) == 2


def test_a_bank_statement_row_with_both_or_neither_amount_is_refused(analyst):
    data = (b"date,description,debit,credit,counterparty_account\n"
            b"2025-02-14,x,10,10,A\n2025-02-14,y,,,B\n")
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(actor=analyst, data=data, name="s.csv", fmt="bank-csv", account="K:1", currency="THB")
    assert problems(exc) == [(2, "debit"), (3, "credit")]


def test_column_mapping_reads_a_partners_headers(analyst):
    data = b"Ref,When,Payer,Payee,Sum,Cur\nM1,2025-02-14,A,B,5,USD\n"
    mapping = {"txn_id": "Ref", "timestamp": "When", "from_account": "Payer", "to_account": "Payee",
               "amount": "Sum", "currency": "Cur"}
    services.import_file(actor=analyst, data=data, name="m.csv", fmt="canonical", mapping=mapping)
    assert txns()[0]["txn_id"] == "M1"
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(actor=analyst, data=data + b"M2,2025-02-15,A,B,5,USD\n", name="m2.csv", fmt="canonical",
                             mapping={"amont": "Sum"})
    assert problems(exc) == [(None, "amont")]


@pytest.mark.parametrize("username", ["outsider", "case.officer", "shelter.staff", "embassy.china", "auditor",
                                      "prosecutor"])
def test_only_the_analysts_import_and_a_refusal_is_audited(world, username):
    actor = actor_for(world.users[username])
    with pytest.raises(NotFound):
        services.import_file(actor=actor, data=CANONICAL, name="bank.csv", fmt="canonical")
    assert txns() == []
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username,
                                     extra__action="flows.import").exists()


def test_a_crash_after_the_file_is_written_leaves_nothing_visible(analyst, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(FlowBatch.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.import_file(actor=analyst, data=CANONICAL, name="bank.csv", fmt="canonical")
    monkeypatch.undo()
    assert txns() == [] and not FlowBatch.objects.exists()
    orphans = list((store.root() / "txns").iterdir())
    assert orphans
    # a young orphan may be an import still running: the maintenance command leaves it
    out = io.StringIO()
    call_command("flows_sweep", "--user", "police.analyst", stdout=out)
    assert out.getvalue().startswith("0 orphaned") and all(p.exists() for p in orphans)
    old = time.time() - 7 * 3600
    for path in orphans:
        os.utime(path, (old, old))
    report = services.import_file(actor=analyst, data=CANONICAL, name="bank.csv", fmt="canonical")
    assert report.new_rows == 3
    out = io.StringIO()
    call_command("flows_sweep", "--user", "police.analyst", stdout=out)
    assert out.getvalue().startswith(f"{len(orphans)} orphaned")  # the orphans, not the new batch's file
    assert not any(p.exists() for p in orphans) and txns()
    assert AuditEvent.objects.filter(event_type=AuditEventType.FLOWS_SWEPT, extra__removed=len(orphans)).exists()
    with pytest.raises(CommandError, match="refused"):
        call_command("flows_sweep", "--user", "outsider", stdout=io.StringIO())
    for bad in ("0", "nan", "inf"):
        with pytest.raises(CommandError, match="older-than-hours"):
            call_command("flows_sweep", "--older-than-hours", bad, "--user", "police.analyst", stdout=io.StringIO())
