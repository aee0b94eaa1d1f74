"""Importing handover lists: CSV and XLSX, column mapping, dry runs, idempotency, all-or-nothing
faults that name row and column, formula-safe exports, upload limits, Buddhist-era dates, a process
killed mid-import, the CLI's exit codes, and who may import at all."""

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from crossing.access.cli_actor import cli_actor
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.core.errors import PermissionDeniedError, ValidationFailed
from crossing.registry.importing.columns import CANONICAL_COLUMNS
from crossing.registry.importing.service import import_list
from crossing.registry.models import (
    IdentityDocument,
    ImportBatch,
    ImportedRow,
    Person,
    PersonName,
    PersonNationality,
    Placement,
    RescueEvent,
)

# The console script installed next to the interpreter running the tests (the project's venv).
CROSSING = Path(sys.executable).parent / "crossing"

SAMPLE = [
    # list_ref, row_ref, full_name, native_name, sex, date_of_birth, nationality, passport_number, phone, compound,
    # handed_over_by, handed_over_on, facility
    ["HL-2025-031", "1", "CHEN JIAN", "陈建", "M", "1994-03-02", "CN", "EA1234567", "+86 138 1234 5678", "KK Park", "BGF",
     "2025-02-20", "Mae Sot Shelter"],
    ["HL-2025-031", "2", "SOMCHAI JAIDEE", "สมชาย ใจดี", "F", "15/06/1990", "Thailand", "", "", "KK Park", "BGF",
     "2025-02-20", "Phop Phra Army Camp"],
    ["HL-2025-031", "3", "WANJIRU KAMAU", "", "f", "1999", "KEN", "AK5555555", "+254 712 345678", "", "", "", ""],
]


def csv_bytes(rows, header=CANONICAL_COLUMNS, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=CANONICAL_COLUMNS) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count()
            for model in (Person, PersonName, ImportBatch, ImportedRow, RescueEvent, IdentityDocument,
                          PersonNationality, Placement)}


def imported(list_ref: str, row_ref: str) -> Person:
    return ImportedRow.objects.select_related("person").get(list_ref=list_ref, row_ref=row_ref).person


def system():
    return cli_actor(None)


def run_import(data: bytes, filename: str = "list.csv", **kwargs):
    return import_list(actor=system(), data=data, filename=filename, **kwargs)


def assert_sample_was_imported(world, list_ref="HL-2025-031", actor="system"):
    chen = imported(list_ref, "1")
    names = {n.kind: n for n in PersonName.objects.filter(person=chen)}
    assert names["passport"].full_name == "CHEN JIAN"
    assert names["native"].full_name == "陈建" and names["native"].script == "Hani"
    assert names["native"].romanized.lower() == "chen jian"
    assert chen.display_name == "CHEN JIAN" and chen.sex == "male"
    assert chen.date_of_birth == date(1994, 3, 2) and chen.dob_precision == "day"
    assert list(chen.nationalities.values_list("country", flat=True)) == ["CHN"]
    assert list(IdentityDocument.objects.filter(person=chen).values_list("number", "issuing_country")) == [("EA1234567", "CHN")]
    assert chen.compound_id == world.compounds["kk"].pk
    assert chen.current_facility_id == world.facilities["shelter"].pk
    placement = Placement.objects.get(person=chen)
    assert placement.facility_id == world.facilities["shelter"].pk and placement.check_out is None
    assert placement.check_in.date() == date(2025, 2, 20)
    event = chen.rescue_event
    assert (event.occurred_on, event.compound_id, event.handed_over_by) == (date(2025, 2, 20), world.compounds["kk"].pk, "BGF")

    somchai = imported(list_ref, "2")
    thai = PersonName.objects.get(person=somchai, kind="native")
    assert thai.full_name == "สมชาย ใจดี" and thai.script == "Thai" and thai.romanized
    assert somchai.sex == "female" and somchai.date_of_birth == date(1990, 6, 15)
    assert list(somchai.nationalities.values_list("country", flat=True)) == ["THA"]
    assert somchai.current_facility_id == world.facilities["camp"].pk
    assert somchai.rescue_event_id == chen.rescue_event_id  # one handover, one rescue event
    assert not IdentityDocument.objects.filter(person=somchai).exists()

    assert list(chen.phones.values_list("number", "e164")) == [("+86 138 1234 5678", "+8613812345678")]

    wanjiru = imported(list_ref, "3")
    assert list(wanjiru.phones.values_list("e164", flat=True)) == ["+254712345678"]
    assert wanjiru.date_of_birth == date(1999, 1, 1) and wanjiru.dob_precision == "year"
    assert wanjiru.rescue_event_id is None and wanjiru.current_facility_id is None and wanjiru.compound_id is None
    assert list(wanjiru.nationalities.values_list("country", flat=True)) == ["KEN"]
    for person in (chen, somchai, wanjiru):
        assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_CREATED, person_id=person.pk,
                                         actor_username=actor).count() == 1


# --- the happy paths ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_valid_csv_imports_people_with_names_documents_nationality_placement_and_rescue_event(world):
    before = counts()
    report = run_import(csv_bytes(SAMPLE))
    assert report.ok and report.committed and not report.errors
    assert (report.rows_total, report.rows_to_create, report.rows_unchanged) == (3, 3, 0)
    after = counts()
    assert after["Person"] - before["Person"] == 3
    assert after["PersonName"] - before["PersonName"] == 5
    assert after["ImportedRow"] - before["ImportedRow"] == 3
    assert after["ImportBatch"] - before["ImportBatch"] == 1
    assert after["RescueEvent"] - before["RescueEvent"] == 1
    assert_sample_was_imported(world)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.rows_total, batch.rows_created, batch.list_ref) == (3, 3, "HL-2025-031")
    assert AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_COMMITTED, subject_id=str(batch.pk)).exists()


@pytest.mark.django_db
def test_an_xlsx_file_imports_exactly_like_the_csv(world):
    rows = [list(r) for r in SAMPLE]
    rows[0][5] = datetime(1994, 3, 2)  # a real date cell, as spreadsheets store them
    rows[0][11] = date(2025, 2, 20)
    before = counts()
    report = run_import(xlsx_bytes(rows), filename="handover.xlsx")
    assert report.ok and report.committed, report.as_dict()
    assert counts()["Person"] - before["Person"] == 3
    assert_sample_was_imported(world)


@pytest.mark.django_db
def test_column_mapping_reads_a_file_with_its_own_headers(world):
    header = ["List", "No.", "Name (EN)", "Name (own script)", "Gender", "DOB", "Country", "Passport", "Mobile", "Camp",
              "Unit", "Date", "Held at"]
    mapping = dict(zip(header, CANONICAL_COLUMNS, strict=True))
    data = csv_bytes(SAMPLE, header=header)
    unmapped = run_import(data, dry_run=True)
    assert not unmapped.ok
    assert {(p.row, p.column) for p in unmapped.errors} >= {(1, "list_ref"), (1, "row_ref"), (1, "full_name")}
    report = run_import(data, mapping=mapping)
    assert report.ok and report.committed
    assert_sample_was_imported(world)


@pytest.mark.django_db
def test_the_cli_map_option_maps_columns(world, tmp_path):
    header = ["list_ref", "row_ref", "Name (EN)", "native_name", "sex", "date_of_birth", "nationality",
              "passport_number", "phone", "compound", "handed_over_by", "handed_over_on", "facility"]
    path = tmp_path / "mapped.csv"
    path.write_bytes(csv_bytes(SAMPLE, header=header))
    out = io.StringIO()
    call_command("registry_import", str(path), map=["full_name=Name (EN)"], stdout=out)
    assert "created 3 people" in out.getvalue()
    assert_sample_was_imported(world)
    with pytest.raises(CommandError) as exc:
        call_command("registry_import", str(path), map=["fullname=Name (EN)"], stdout=io.StringIO())
    assert exc.value.returncode == 2 and "bad column mapping" in str(exc.value)


@pytest.mark.django_db
def test_a_dry_run_validates_everything_and_writes_nothing(world, tmp_path):
    before = counts()
    report = run_import(csv_bytes(SAMPLE), dry_run=True)
    assert report.ok and report.dry_run and not report.committed and report.rows_to_create == 3
    assert counts() == before
    assert AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_VALIDATED).exists()
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(SAMPLE))
    out = io.StringIO()
    call_command("registry_import", str(path), dry_run=True, stdout=out)
    assert "would create 3 people" in out.getvalue()
    assert counts() == before


@pytest.mark.django_db
def test_importing_the_same_list_again_creates_nothing_new_and_says_so(world):
    first = run_import(csv_bytes(SAMPLE))
    assert first.committed
    before = counts()
    people_before = set(Person.objects.values_list("pk", flat=True))
    again = run_import(csv_bytes(SAMPLE))
    assert again.ok
    assert (again.rows_total, again.rows_to_create, again.rows_unchanged) == (3, 0, 3)
    after = counts()
    for model in ("Person", "PersonName", "ImportedRow", "RescueEvent", "IdentityDocument", "Placement"):
        assert after[model] == before[model], model
    assert set(Person.objects.values_list("pk", flat=True)) == people_before
    # The same rows in another order, as XLSX, are still the same rows.
    third = run_import(xlsx_bytes(list(reversed(SAMPLE))), filename="again.xlsx")
    assert third.ok and third.rows_unchanged == 3 and third.rows_to_create == 0
    assert counts()["Person"] == before["Person"]


@pytest.mark.django_db
def test_a_changed_row_of_an_imported_list_is_an_error_and_nothing_is_written(world):
    run_import(csv_bytes(SAMPLE))
    changed = [list(r) for r in SAMPLE]
    changed[1][2] = "SOMCHAI JAIDEE-CHANGED"
    changed.append(["HL-2025-031", "4", "NEW PERSON", "", "M", "", "", "", "", "", "", ""])  # a new row too
    before = counts()
    report = run_import(csv_bytes(changed))
    assert not report.ok and not report.committed
    [error] = report.errors
    assert (error.row, error.column) == (3, "row_ref")  # file line 3 holds row_ref 2
    assert "imported before with different content" in error.message
    assert counts() == before
    assert not ImportedRow.objects.filter(list_ref="HL-2025-031", row_ref="4").exists()
    assert PersonName.objects.filter(full_name="SOMCHAI JAIDEE").count() == 1


# --- faults: a clear error naming row and column, and the database exactly as before ------------

def _row(**values):
    base = dict(zip(CANONICAL_COLUMNS, SAMPLE[0], strict=True))
    base.update(values)
    return [base[c] for c in CANONICAL_COLUMNS]


ROW_FAULTS = {
    "not a phone number": ([_row(phone="call the camp")], 2, "phone", "not a phone number"),
    "impossible date": ([_row(), _row(row_ref="2", date_of_birth="2025-13-45")], 3, "date_of_birth", "not a real date"),
    "words for a date": ([_row(row_ref="2", handed_over_on="next week")], 2, "handed_over_on", "not a date"),
    "future birth date": ([_row(), _row(row_ref="2", date_of_birth="2099-01-01")], 3, "date_of_birth", "in the future"),
    "future handover": ([_row(handed_over_on="01/01/2098")], 2, "handed_over_on", "in the future"),
    "unknown nationality": ([_row(), _row(row_ref="2", nationality="Narnia")], 3, "nationality", "unknown nationality"),
    "same row twice": ([_row(), _row(passport_number="")], 3, "row_ref", "duplicate row"),
    "unknown compound": ([_row(compound="Shwe Kokko Resort")], 2, "compound", "unknown compound"),
    "unknown facility": ([_row(facility="Nowhere Camp")], 2, "facility", "unknown facility"),
    "bad sex": ([_row(sex="yes")], 2, "sex", "not a sex"),
    "no name": ([_row(full_name="", native_name="")], 2, "full_name", "name is required"),
    "no row_ref": ([_row(row_ref="")], 2, "row_ref", "required"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("fault", sorted(ROW_FAULTS))
def test_a_faulty_row_is_reported_with_row_and_column_and_nothing_is_written(world, fault):
    rows, row, column, message = ROW_FAULTS[fault]
    before = counts()
    for data, filename in ((csv_bytes(rows), "list.csv"), (xlsx_bytes(rows), "list.xlsx")):
        report = run_import(data, filename=filename)
        assert not report.ok and not report.committed, fault
        assert any(p.row == row and p.column == column and message in p.message for p in report.errors), \
            (fault, filename, [p.as_dict() for p in report.errors])
        assert counts() == before, (fault, filename)
    assert AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_REJECTED).count() == 2


@pytest.mark.django_db
def test_a_row_with_more_cells_than_the_header_is_refused(world):
    text = csv_bytes([SAMPLE[0]]).decode() + ",".join([*SAMPLE[2], "surplus", "cells"]) + "\n"
    before = counts()
    report = run_import(text.encode())
    assert not report.ok
    assert [(p.row, p.message) for p in report.errors] == [(3, "this row has more cells than the header has columns")]
    assert counts() == before


@pytest.mark.django_db
def test_missing_columns_are_named(world):
    before = counts()
    report = run_import(csv_bytes([["Ali"]], header=["full_name"]))
    assert {(p.row, p.column, p.message) for p in report.errors} == {
        (1, "list_ref", "required column missing"), (1, "row_ref", "required column missing")}
    no_name = run_import(csv_bytes([["L", "1", "M"]], header=["list_ref", "row_ref", "sex"]))
    assert [(p.row, p.column) for p in no_name.errors] == [(1, "full_name")]
    assert "name column is required" in no_name.errors[0].message
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("data,filename,message", [
    (b"", "empty.csv", "the file is empty"),
    (b"\n\n", "blank.csv", "must be a header"),
    (csv_bytes([]), "header-only.csv", "header but no rows"),
    (b"PK\x03\x04 this is not really a zip archive", "damaged.xlsx", "cannot be opened"),
    (b"not a spreadsheet at all", "renamed.xlsx", "cannot be opened"),
])
def test_empty_and_damaged_files_are_refused_with_a_clear_message(world, data, filename, message):
    before = counts()
    try:
        report = run_import(data, filename=filename)
    except ValidationFailed as exc:
        text = exc.message
        assert exc.extra["problems"][0]["severity"] == "error"
    else:
        assert not report.ok
        text = " ".join(p.message for p in report.errors)
    assert message in text
    assert counts() == before


@pytest.mark.django_db
def test_a_truncated_xlsx_is_refused(world):
    good = xlsx_bytes(SAMPLE)
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        run_import(good[: len(good) // 2], filename="cut.xlsx")
    assert "cannot be opened" in exc.value.message
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("encoding,native", [("cp874", "สมชาย ใจดี"), ("gb18030", "陈建")])
def test_a_legacy_encoding_is_refused_naming_the_line_then_imports_with_encoding(world, tmp_path, encoding, native):
    rows = [_row(native_name="", full_name="FIRST ROW"), _row(row_ref="2", native_name=native, full_name="")]
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(csv_bytes(rows, encoding=encoding))
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("registry_import", str(path), stdout=io.StringIO())
    assert exc.value.returncode == 1
    assert "not valid UTF-8" in str(exc.value) and "on line 3" in str(exc.value) and "--encoding" in str(exc.value)
    assert "Nothing was imported" in str(exc.value)
    assert counts() == before
    out = io.StringIO()
    call_command("registry_import", str(path), encoding=encoding, stdout=out)
    assert "created 2 people" in out.getvalue()
    assert PersonName.objects.get(person=imported(SAMPLE[0][0], "2"), kind="native").full_name == native


@pytest.mark.django_db
def test_an_unknown_encoding_name_is_refused(world):
    with pytest.raises(ValidationFailed, match="unknown encoding"):
        run_import(csv_bytes(SAMPLE), encoding="klingon-8")


# --- spreadsheet formulas: stored as given, neutralised on the way out --------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]


@pytest.mark.django_db
def test_formula_names_are_stored_as_given_and_neutralised_in_the_cli_and_web_exports(world, login, tmp_path):
    rows = [_row(row_ref=str(i), full_name=text, passport_number="", native_name="") for i, text in enumerate(FORMULAS)]
    report = run_import(csv_bytes(rows))
    assert report.committed, report.as_dict()
    for i, text in enumerate(FORMULAS):
        person = imported(SAMPLE[0][0], str(i))
        assert person.display_name == text
        assert PersonName.objects.get(person=person).full_name == text

    out = tmp_path / "export.csv"
    call_command("registry_export", out=str(out), stderr=io.StringIO())
    cli_names = {row["display_name"] for row in csv.DictReader(out.open(encoding="utf-8"))}

    response = login("supervisor").get("/people/export.csv")
    assert response.status_code == 200
    web_names = {row["display_name"] for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}

    for names in (cli_names, web_names):
        for text in FORMULAS:
            assert "'" + text in names
            assert text not in names
        assert "ZHANG WEI" in names  # ordinary names are untouched


# --- upload limits ------------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


def _huge_upload() -> SimpleUploadedFile:
    head = csv_bytes(SAMPLE)
    return SimpleUploadedFile("huge.csv", head + b"#" * (FIFTY_MB - len(head)), content_type="text/csv")


@pytest.mark.django_db
def test_a_50_mb_upload_through_the_web_is_refused_and_writes_nothing(world, login):
    client = login("case.officer")
    before = counts()
    response = client.post("/people/import/", {"file": _huge_upload(), "mapping": "", "encoding": "", "commit": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "the limit for uploads is 25 MB" in body and "Nothing was imported." in body
    assert response.context["report"] is None
    assert counts() == before


@pytest.mark.django_db
def test_a_50_mb_upload_through_the_api_is_refused_and_writes_nothing(world, login):
    client = login("case.officer")
    before = counts()
    response = client.post("/api/v1/imports/", {"file": _huge_upload(), "dry_run": "false"})
    assert response.status_code == 400
    assert "the limit for uploads is 25 MB" in response.json()["message"]
    assert counts() == before


@pytest.mark.django_db
def test_the_service_refuses_more_than_max_bytes(world):
    with pytest.raises(ValidationFailed, match="limit here is"):
        run_import(csv_bytes(SAMPLE), max_bytes=100)
    assert not ImportedRow.objects.exists()


# --- the web and the API import --------------------------------------------------------------------

@pytest.mark.django_db
def test_the_web_import_validates_first_and_imports_on_commit(world, login):
    client = login("case.officer")
    before = counts()
    upload = lambda: SimpleUploadedFile("list.csv", csv_bytes(SAMPLE), content_type="text/csv")  # noqa: E731
    response = client.post("/people/import/", {"file": upload(), "mapping": "", "encoding": ""})
    assert response.status_code == 200 and response.context["report"].dry_run and response.context["report"].ok
    assert counts() == before
    response = client.post("/people/import/", {"file": upload(), "mapping": "", "encoding": "", "commit": "1"})
    assert response.context["report"].committed
    assert_sample_was_imported(world, actor="case.officer")
    assert imported("HL-2025-031", "1").owner_agency_id == world.agencies["army"].pk
    assert imported("HL-2025-031", "1").created_by_id == world.users["case.officer"].pk


@pytest.mark.django_db
def test_the_api_import_reports_problems_and_imports(world, login):
    client = login("case.officer")
    before = counts()
    bad = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("bad.csv", csv_bytes([_row(nationality="Narnia")]))})
    assert bad.status_code == 400
    assert [(p["row"], p["column"]) for p in bad.json()["problems"] if p["severity"] == "error"] == [(2, "nationality")]
    dry = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("l.csv", csv_bytes(SAMPLE)), "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["dry_run"] and not dry.json()["committed"]
    assert counts() == before
    done = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("l.csv", csv_bytes(SAMPLE))})
    assert done.status_code == 200 and done.json()["committed"] and done.json()["rows_to_create"] == 3
    assert_sample_was_imported(world, actor="case.officer")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["outsider", "embassy.china"])
def test_users_without_import_rights_are_refused_on_every_path(world, login, tmp_path, username):
    client = login(username)
    before = counts()
    assert client.get("/people/import/").status_code == 404
    response = client.post("/people/import/", {"file": SimpleUploadedFile("l.csv", csv_bytes(SAMPLE)), "commit": "1"})
    assert response.status_code == 404
    response = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("l.csv", csv_bytes(SAMPLE))})
    assert response.status_code == 403
    assert "may not import" in response.json()["message"]
    path = tmp_path / "l.csv"
    path.write_bytes(csv_bytes(SAMPLE))
    with pytest.raises(CommandError) as exc:
        call_command("registry_import", str(path), user=username, stdout=io.StringIO())
    assert exc.value.returncode == 1 and "may not import" in str(exc.value)
    from crossing.access.policy import actor_for
    with pytest.raises(PermissionDeniedError):
        import_list(actor=actor_for(world.users[username]), data=csv_bytes(SAMPLE), filename="l.csv")
    assert counts() == before


@pytest.mark.django_db
def test_anonymous_api_import_is_refused(world, client):
    response = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("l.csv", csv_bytes(SAMPLE))})
    assert response.status_code in (401, 403)
    assert not ImportedRow.objects.exists()


# --- Buddhist-era years -------------------------------------------------------------------------

@pytest.mark.django_db
def test_thai_buddhist_era_years_are_converted_with_a_warning(world):
    rows = [_row(date_of_birth="15/06/2533", handed_over_on="2568-02-20")]
    report = run_import(csv_bytes(rows))
    assert report.ok and report.committed
    warnings = {(p.row, p.column): p.message for p in report.problems if p.severity == "warning"}
    assert "Buddhist era (1990)" in warnings[(2, "date_of_birth")]
    assert "Buddhist era (2025)" in warnings[(2, "handed_over_on")]
    person = imported(SAMPLE[0][0], "1")
    assert person.date_of_birth == date(1990, 6, 15)
    assert person.rescue_event.occurred_on == date(2025, 2, 20)


# --- the command line as a process ----------------------------------------------------------------

def _env(db_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "PYTEST_CURRENT_TEST"}}
    env.update(DATABASE_URL=f"sqlite:///{db_path}", CROSSING_ENV="dev", PYTHONUNBUFFERED="1")
    return env


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("scratch") / "template.sqlite3"
    result = crossing("migrate", "--no-input", db=path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def scratch_db(migrated_template, tmp_path):
    path = tmp_path / "scratch.sqlite3"
    path.write_bytes(migrated_template.read_bytes())
    return path


def crossing(*args, db: Path, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed console command against a scratch database (our own arguments only)."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 180)
    return subprocess.run([str(CROSSING), *map(str, args)], env=_env(db), check=False, **kwargs)  # noqa: S603


def _scalar(db_path: Path, sql: str):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.mark.slow
def test_the_cli_exits_1_with_a_report_on_invalid_input_and_0_on_success(scratch_db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["L1", "1", "ALI", "", "M", "2025-13-45", "PK", "", "", "", "", ""],
                               ["L1", "2", "BO", "", "F", "", "Narnia", "", "", "", "", ""]]))
    report = tmp_path / "report.csv"
    result = crossing("registry", "import", bad, "--report", report, db=scratch_db)
    assert result.returncode == 1, result.stderr
    assert "row 2, column date_of_birth" in result.stdout and "row 3, column nationality" in result.stdout
    assert "2 errors: nothing was imported" in result.stderr
    problems = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [(p["row"], p["column"], p["severity"]) for p in problems] == [
        ("2", "date_of_birth", "error"), ("3", "nationality", "error")]
    assert _scalar(scratch_db, "SELECT count(*) FROM registry_person") == 0

    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([["L1", "1", "ALI KHAN", "", "M", "1990-01-02", "PK", "", "", "", "", ""],
                                ["L1", "2", "BO BO", "", "F", "", "Myanmar", "", "", "", "", ""]]))
    result = crossing("registry", "import", good, "--json", db=scratch_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] and data["committed"] and data["rows_to_create"] == 2
    assert _scalar(scratch_db, "SELECT count(*) FROM registry_person") == 2
    assert _scalar(scratch_db, "SELECT count(*) FROM registry_importedrow") == 2

    missing = crossing("registry", "import", tmp_path / "nope.csv", db=scratch_db)
    assert missing.returncode == 2 and "no such file" in missing.stderr


@pytest.mark.slow
def test_a_process_killed_mid_import_leaves_nothing_behind_and_the_audit_intact(scratch_db, tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["list_ref", "row_ref", "full_name", "sex", "date_of_birth", "nationality", "passport_number"])
        for i in range(30_000):
            writer.writerow(["BIG-1", i, f"PERSON NUMBER {i}", "MF"[i % 2], f"19{60 + i % 40}-0{1 + i % 9}-1{i % 10}",
                             "CHN", f"E{i:08d}"])
    events_before = _scalar(scratch_db, "SELECT count(*) FROM access_auditevent")
    workers_before = set(_multiprocessing_pids())
    process = subprocess.Popen([str(CROSSING), "registry", "import", str(path)], env=_env(scratch_db),  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        deadline = time.monotonic() + 120
        for line in process.stderr:
            seen.append(line.strip())
            if line.startswith("write:"):
                break
            assert time.monotonic() < deadline, seen
        assert seen and seen[-1].startswith("write:"), seen
        assert any(s.startswith("validate:") for s in seen)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    # Its name worker process goes too: nothing keeps running after a killed import.
    deadline = time.monotonic() + 10
    while set(_multiprocessing_pids()) - workers_before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(_multiprocessing_pids()) - workers_before == set()
    for table in ("registry_person", "registry_importedrow", "registry_importbatch", "registry_personname",
                  "registry_identitydocument"):
        assert _scalar(scratch_db, f"SELECT count(*) FROM {table}") == 0, table  # noqa: S608
    assert _scalar(scratch_db, "SELECT count(*) FROM access_auditevent") == events_before
    verify = crossing("audit", "verify", db=scratch_db)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "audit log intact" in verify.stdout
    # The killed import can simply be run again.
    again = crossing("registry", "import", path, "--dry-run", db=scratch_db)
    assert again.returncode == 0 and "would create 30000 people" in again.stdout, again.stdout[-500:]

def _multiprocessing_pids() -> list[int]:
    """Live multiprocessing workers and trackers on this machine, found through their command line."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read()
            with open(f"/proc/{entry}/status") as fh:
                status = fh.read()
        except OSError:
            continue
        if b"multiprocessing" in cmdline and ("State:\tZ" not in status):
            found.append(int(entry))
    return found


# --- bugs found by these tests, now fixed ---------------------------------------------------------

@pytest.mark.django_db
def test_a_csv_utf8_file_with_a_byte_order_mark_imports_when_utf8_is_named_explicitly(world):
    data = b"\xef\xbb\xbf" + csv_bytes(SAMPLE)  # what Excel's "CSV UTF-8" writes
    assert run_import(data).ok  # auto-detection copes
    report = run_import(data, encoding="utf-8")
    assert report.ok, [p.as_dict() for p in report.problems]
    assert report.committed


@pytest.mark.django_db
@pytest.mark.parametrize("name,code", [("Russia", "RUS"), ("Turkey", "TUR")])
def test_common_english_country_names_are_accepted_as_nationalities(world, name, code):
    report = run_import(csv_bytes([_row(nationality=name)]))
    assert report.ok, [p.as_dict() for p in report.errors]
    assert list(imported(SAMPLE[0][0], "1").nationalities.values_list("country", flat=True)) == [code]
