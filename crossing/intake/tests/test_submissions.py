"""Importing the intake form's submissions from ODK Central and KoboToolbox exports through the handover-list
importer: every format yields the same people, a submission is imported once, a later export adds only
the new ones, rejected and edited submissions are reported, bad exports name submission and question,
and only those who may import can."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from crossing.access.cli_actor import cli_actor
from crossing.access.policy import actor_for
from crossing.core.errors import PermissionDeniedError, ValidationFailed
from crossing.intake.form import LIST_REF, NONE_CHOICE
from crossing.intake.tests.exports import FORMATS, Submission, kobo_csv, kobo_json, odk_csv, odk_json, odk_zip
from crossing.registry.importing.service import import_list
from crossing.registry.models import Compound, ImportBatch, ImportedRow, Person, PersonName, Placement

CHEN, NAW, ABEBE, LATER = ("uuid:6f1c3a52-8d0e-4b7a-9c21-0a5e4f3b2d11", "uuid:0b9d7e64-2c1f-4a8e-b3d5-7f6a5e4d3c22",
                           "uuid:c4e2b1a0-9f8d-4e7c-a6b5-4d3c2b1a0f33", "uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c44")
START = {"start": "2025-02-20T09:00:00.000+07:00", "end": "2025-02-20T09:20:00.000+07:00", "info_given": "OK"}


def submissions(world) -> list[Submission]:
    kk, shelter, camp = (str(world.compounds["kk"].pk), str(world.facilities["shelter"].pk),
                         str(world.facilities["camp"].pk))
    return [
        Submission(CHEN, START | {
            "full_name": "CHEN JIAN", "native_name": "陈建", "sex": "male", "dob_known": "day", "dob_date": "1994-03-02",
            "nationality": "CHN", "passport_number": "EA1234567", "phone": "+86 138 1234 5678", "compound": kk,
            "handed_over_by": "BGF", "handed_over_on": "2025-02-20", "facility": shelter}),
        Submission(NAW, START | {
            "full_name": "NAW HSER PAW", "native_name": "နော်ဆာပေါ်", "sex": "female", "dob_known": "month",
            "dob_month": "1990-06-01", "nationality": "MMR", "compound": NONE_CHOICE, "handed_over_by": "BGF",
            "handed_over_on": "2025-02-20", "facility": camp}),
        Submission(ABEBE, START | {
            "native_name": "አበበ ከበደ", "sex": "unknown", "dob_known": "year", "dob_year": 1999, "nationality": "XXA",
            "phone": "+251 91 123 4567", "handed_over_on": "2025-02-21", "facility": NONE_CHOICE}),
    ]


def later(world) -> Submission:
    return Submission(LATER, START | {"full_name": "WANJIKU MUTUA", "sex": "female", "dob_known": "unknown",
                                      "nationality": "KEN", "handed_over_on": "2025-02-22"})


def run(data: bytes, filename: str, actor=None, **kwargs):
    return import_list(actor=actor or cli_actor(None), data=data, filename=filename, **kwargs)


def imported(row_ref: str) -> Person:
    return ImportedRow.objects.select_related("person").get(list_ref=LIST_REF, row_ref=row_ref).person


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in (Person, PersonName, ImportedRow, ImportBatch, Placement)}


def errors(report) -> list[tuple]:
    return [(p.row, p.column) for p in report.errors]


def assert_people_imported(world):
    chen = imported(CHEN)
    assert {n.kind: n.full_name for n in PersonName.objects.filter(person=chen)} == {"passport": "CHEN JIAN",
                                                                                   "native": "陈建"}
    assert (chen.sex, chen.date_of_birth, chen.dob_precision) == ("male", date(1994, 3, 2), "day")
    assert list(chen.nationalities.values_list("country", flat=True)) == ["CHN"]
    assert list(chen.phones.values_list("e164", flat=True)) == ["+8613812345678"]
    assert chen.compound_id == world.compounds["kk"].pk
    assert chen.current_facility_id == world.facilities["shelter"].pk
    assert chen.rescue_event.handed_over_by == "BGF" and chen.rescue_event.occurred_on == date(2025, 2, 20)

    naw = imported(NAW)
    assert (naw.sex, naw.date_of_birth, naw.dob_precision) == ("female", date(1990, 6, 1), "month")
    assert naw.compound_id is None and naw.current_facility_id == world.facilities["camp"].pk
    assert PersonName.objects.get(person=naw, kind="native").script == "Mymr"

    abebe = imported(ABEBE)
    assert (abebe.display_name, abebe.date_of_birth, abebe.dob_precision) == ("አበበ ከበደ", date(1999, 1, 1), "year")
    assert list(abebe.nationalities.values_list("country", flat=True)) == ["XXA"]
    assert abebe.current_facility_id is None and abebe.rescue_event.handed_over_by == ""
    assert all(p.status == "awaiting_screening" for p in (chen, naw, abebe))


# --- every format, the same people ----------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(FORMATS))
def test_each_export_format_imports_the_submissions_as_people(world, kind):
    before = counts()
    report = run(FORMATS[kind](submissions(world)), f"export.{kind.rsplit('.', 1)[1]}")
    assert report.ok and report.committed, report.as_dict()
    assert (report.rows_total, report.rows_to_create, report.rows_unchanged) == (3, 3, 0)
    assert not [p for p in report.problems if p.severity == "warning"], report.as_dict()
    assert counts()["Person"] - before["Person"] == 3
    assert ImportBatch.objects.get(pk=report.batch_id).list_ref == LIST_REF
    assert_people_imported(world)


@pytest.mark.django_db
def test_all_formats_give_identical_rows_so_any_other_export_of_the_same_submissions_creates_nothing(world):
    assert run(odk_csv(submissions(world)), "crossing_intake.csv").committed
    before = counts()
    for kind, render in FORMATS.items():
        report = run(render(submissions(world)), f"again.{kind.rsplit('.', 1)[1]}")
        assert report.ok and report.committed, (kind, report.as_dict())
        assert (report.rows_to_create, report.rows_unchanged) == (0, 3), kind
    assert counts() == before


@pytest.mark.django_db
def test_a_later_export_with_one_more_submission_creates_exactly_one_person(world):
    first = run(kobo_json(submissions(world)), "week1.json")
    assert first.committed
    before = counts()
    report = run(kobo_json([*submissions(world), later(world)]), "week2.json")
    assert report.committed and (report.rows_total, report.rows_to_create, report.rows_unchanged) == (4, 1, 3)
    assert counts()["Person"] - before["Person"] == 1
    wanjiku = imported(LATER)
    assert wanjiku.display_name == "WANJIKU MUTUA" and wanjiku.date_of_birth is None
    assert wanjiku.dob_precision == "unknown"


@pytest.mark.django_db
def test_the_cli_imports_an_export_and_honours_format(world, tmp_path):
    path = tmp_path / "crossing_intake.csv"
    path.write_bytes(odk_csv(submissions(world)))
    out = io.StringIO()
    call_command("registry_import", str(path), format="odk", stdout=out)
    assert "3 rows, created 3 people" in out.getvalue()
    out = io.StringIO()
    call_command("registry_import", str(path), stdout=out)
    assert "created 0 people, 3 already imported" in out.getvalue()
    with pytest.raises(CommandError) as exc:  # read as a handover list, it has no list_ref or row_ref
        call_command("registry_import", str(path), format="list", stdout=io.StringIO())
    assert exc.value.returncode == 1
    assert_people_imported(world)


@pytest.mark.django_db
def test_the_web_and_the_api_accept_exports(world, login):
    client = login("case.officer")
    data = odk_json(submissions(world))
    response = client.post("/people/import/", {"file": SimpleUploadedFile("subs.json", data), "mapping": "",
                                               "encoding": ""})
    assert response.context["report"].ok and response.context["report"].rows_to_create == 3
    response = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("subs.zip", odk_zip(submissions(world)))})
    assert response.status_code == 200 and response.json()["committed"], response.json()
    assert_people_imported(world)
    assert imported(CHEN).created_by_id == world.users["case.officer"].pk


# --- review and edits on the server -------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("render", [odk_csv, odk_json, kobo_csv, kobo_json])
def test_submissions_rejected_by_a_reviewer_are_not_imported_and_are_reported(world, render):
    subs = submissions(world)
    subs[1].review = "rejected"
    subs[0].review = "approved"
    report = run(render(subs), "export.json" if render in (odk_json, kobo_json) else "export.csv")
    assert report.committed and report.rows_to_create == 2
    warnings = {(p.row, p.column): p.message for p in report.problems if p.severity == "warning"}
    assert "not imported" in warnings[(2, "row_ref")]
    assert not ImportedRow.objects.filter(row_ref=NAW).exists()

    subs[1].review, subs[2].review = "", "rejected"  # accepted after all; and another rejected after its import
    report = run(render(subs), "again.json" if render in (odk_json, kobo_json) else "again.csv")
    assert report.committed and report.rows_to_create == 1
    assert "after it was imported" in {(p.row, p.column): p.message for p in report.problems}[(3, "row_ref")]
    assert ImportedRow.objects.filter(row_ref=NAW).exists() and ImportedRow.objects.filter(row_ref=ABEBE).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("render", [odk_json, kobo_csv])
def test_a_submission_edited_after_import_keeps_its_identity_and_the_edit_is_reported_not_applied(world, render):
    assert run(render(submissions(world)), "first").committed
    subs = submissions(world)
    subs[0].edited_to = "uuid:11111111-2222-4333-8444-555555555555"
    subs[0].answers["full_name"] = "CHEN JIANGUO"
    before = counts()
    report = run(render(subs), "second.json" if render is odk_json else "second.csv")
    assert report.ok and report.committed and report.rows_unchanged == 3 and report.rows_to_create == 0
    warnings = {(p.row, p.column): p.message for p in report.problems if p.severity == "warning"}
    assert "edited on the server after it was imported" in warnings[(1, "row_ref")]
    assert counts() == before
    assert imported(CHEN).display_name == "CHEN JIAN"


@pytest.mark.django_db
def test_renaming_a_compound_in_crossing_does_not_make_imported_submissions_look_edited(world):
    assert run(odk_csv(submissions(world)), "first.csv").committed
    Compound.objects.filter(pk=world.compounds["kk"].pk).update(name="KK Park (Myawaddy)", search_key="kk park myawaddy")
    report = run(odk_csv(submissions(world)), "again.csv")
    assert report.committed and report.rows_unchanged == 3 and report.problems == []


@pytest.mark.django_db
def test_an_old_kobo_export_without_root_uuid_warns_that_an_edited_submission_may_be_a_second_person(world):
    subs = submissions(world)
    subs[0].edited_to = "uuid:11111111-2222-4333-8444-555555555555"
    results = json.loads(kobo_json(subs))["results"]
    for record in results:
        del record["meta/rootUuid"]
    report = run(json.dumps(results).encode(), "data.json")
    assert report.committed and imported(subs[0].edited_to).display_name == "CHEN JIAN"
    warnings = [(p.row, p.column) for p in report.problems if p.severity == "warning"]
    assert warnings == [(1, "meta/instanceID")]


# --- bad exports ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_submission_without_instance_id_is_an_error_naming_it_and_nothing_is_written(world):
    before = counts()
    data = odk_csv(submissions(world)).decode().replace(f",{NAW},{NAW},", ",,,").encode()
    report = run(data, "crossing_intake.csv")
    assert not report.committed and errors(report) == [(2, "meta/instanceID")]
    record = kobo_json(submissions(world)).decode().replace(f'"meta/rootUuid": "{ABEBE}"', '"meta/rootUuid": ""')
    record = record.replace(f'"meta/instanceID": "{ABEBE}"', '"meta/instanceID": ""')
    record = record.replace(f'"_uuid": "{ABEBE.removeprefix("uuid:")}"', '"_uuid": null')
    report = run(record.encode(), "data.json")
    assert not report.committed and errors(report) == [(3, "meta/instanceID")]
    assert counts() == before


@pytest.mark.django_db
def test_malformed_json_names_the_broken_submission_and_writes_nothing(world):
    before = counts()
    text = odk_json(submissions(world)).decode()
    broken = text.replace(f'"__id": "{NAW}"', f'"__id": "{NAW}" "oops"', 1)
    with pytest.raises(ValidationFailed) as exc:
        run(broken.encode(), "subs.json")
    assert "submission 2 is not valid JSON" in exc.value.message and "line" in exc.value.message
    assert exc.value.extra["problems"][0]["row"] == 2
    with pytest.raises(ValidationFailed, match="not a submission export"):
        run(b'{"data": []}', "subs.json")
    with pytest.raises(ValidationFailed, match="contains no submissions"):
        run(b'{"value": []}', "subs.json")
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("render", [odk_csv, kobo_json])
def test_unknown_choices_and_bad_answers_name_submission_and_question(world, render):
    subs = submissions(world)
    subs[0].answers["compound"] = "3f2a9c1d-0000-4000-8000-000000000000"  # from another installation's form
    subs[1].answers["nationality"] = "Myanmar"  # a label: the export was made with labels, not XML values
    subs[2].answers["dob_year"] = "nineteen"
    subs[2].answers["sex"] = "man"
    before = counts()
    report = run(render(subs), "export.json" if render is kobo_json else "export.csv")
    assert not report.committed
    assert sorted(errors(report)) == [(1, "compound"), (2, "nationality"), (3, "dob_year"), (3, "sex")]
    by_place = {(p.row, p.column): p.message for p in report.errors}
    assert "unknown choice" in by_place[(2, "nationality")] and "XML values" in by_place[(2, "nationality")]
    assert counts() == before


@pytest.mark.django_db
def test_answers_are_still_checked_like_a_handover_list(world):
    subs = submissions(world)
    subs[0].answers["passport_number"] = "E1"
    subs[2].answers["full_name"] = subs[2].answers["native_name"] = ""
    report = run(odk_json(subs), "subs.json")
    assert not report.committed and sorted(errors(report)) == [(1, "passport_number"), (3, "full_name")]


@pytest.mark.django_db
def test_questions_not_on_the_form_are_reported_and_ignored(world):
    data = kobo_csv(submissions(world)).decode().replace("person/phone;", "person/favourite_colour;", 1)
    report = run(data.encode(), "export.csv")
    assert report.committed
    assert [(p.row, p.column, p.severity) for p in report.problems] == [(None, "person/favourite_colour", "warning")]


@pytest.mark.django_db
def test_a_semicolon_separated_handover_list_imports_too(world):
    data = b"list_ref;row_ref;full_name;nationality\nHL-9;1;LI NA;CN\n"
    report = run(data, "list.csv")
    assert report.committed and report.rows_to_create == 1


# --- who may import ------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("username", ["outsider", "embassy.china"])
def test_users_without_import_rights_are_refused_an_export_on_every_path(world, login, tmp_path, username):
    client = login(username)
    data = odk_json(submissions(world))
    before = counts()
    assert client.post("/people/import/", {"file": SimpleUploadedFile("s.json", data), "commit": "1"}).status_code == 404
    response = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("s.json", data)})
    assert response.status_code == 403 and "may not import" in response.json()["message"]
    path = tmp_path / "s.json"
    path.write_bytes(data)
    with pytest.raises(CommandError) as exc:
        call_command("registry_import", str(path), user=username, stdout=io.StringIO())
    assert exc.value.returncode == 1 and "may not import" in str(exc.value)
    with pytest.raises(PermissionDeniedError):
        run(data, "s.json", actor=actor_for(world.users[username]))
    assert counts() == before
