"""The screening exports (crossing.screening.exports) and ``manage.py screening_export``: the HTCDS
per-person export carries no names, documents or notes, reaches only people the actor may export
statements of, and is audited per person; the CTDC table never publishes a count under k = 11
(a property test), and is audited once with counts only; bad CLI input writes nothing."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent, DenyEntry, Grant, Membership, Role
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound
from crossing.registry.drafts import NameDraft, PersonDraft
from crossing.registry.services.people import person_bulk_create
from crossing.screening import exports
from crossing.screening.models import Identification, ReviewStatus, ScreeningStatus
from crossing.screening.tests.test_oversight import STATEMENT_NOTE, screen

NAMES = ["ZHANG WEI", "张伟", "WANG XIAOMING", "WANJIKU MWANGI", "ABEBE BIKILA", "OTIENO ODHIAMBO", "LI QIANG"]
PASSPORTS = ["E12345678", "E87654321", "AK1234567", "AK7654321"]


def _actor(world, username):
    return actor_for(world.users[username])


def _exported_events():
    return AuditEvent.objects.filter(event_type=AuditEventType.SCREENING_EXPORTED)


def _identify(world, key, status):
    return Identification.objects.create(person=world.people[key], status=status, decided_on=date(2025, 3, 1),
                                         team="MDT Mae Sot: police, social welfare, NGO",
                                         reasons="Interview and documents reviewed by the team.",
                                         recorded_by=world.users["supervisor"])


def _screened_world(world):
    screen(world, world.people["cn_shelter"], "screening.officer", "presumed_victim",
           present=["DR01", "CD05", "CD02", "EX01"])
    screen(world, world.people["cn_camp"], "screening.officer", "needs_full_interview", exploitation="labour_other",
           present=["VR01"])
    screen(world, world.people["ke_shelter"], "screening.officer", "presumed_victim", "refer_to_investigation",
           reason="ran the scam floor", review=ReviewStatus.PENDING, status=ScreeningStatus.AWAITING_REVIEW,
           because="referral_to_investigation")
    _identify(world, "et_camp", "identified_victim")
    screen(world, world.people["ke_denied"], "screening.officer", "suspect", exploitation="unknown")
    _identify(world, "ke_denied", "not_identified")


# --------------------------------------------------------------------------------------------
# HTCDS
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_htcds_export_maps_status_indicators_and_forced_criminality(world):
    _screened_world(world)
    records = {r["cas_CaseId"]: r for r in exports.htcds_records(_actor(world, "supervisor"))}
    ref = {key: p.reference for key, p in world.people.items()}
    assert set(records) == {ref["cn_shelter"], ref["cn_camp"], ref["ke_shelter"], ref["et_camp"], ref["ke_denied"]}
    cn = records[ref["cn_shelter"]]
    assert cn["vic_TraffickingStatus"] == "possible"
    assert cn["vic_TraffickingStatusDecisionMakingOrg"] == "police" and cn["org_Name"] == "Royal Thai Police"
    assert cn["ext_TraffickingStatusDecidedBy"] == "screening"
    assert cn["vic_MethodsOfControl"] == ["DebtBondage", "ExcessiveWorkingHours", "FalsePromises"]
    assert cn["ext_IloEcIndicators"] == ["DR01", "EX01", "CD02", "CD05"]  # catalogue order
    assert cn["ext_Ilo11Indicators"] == [2, 9, 11]
    assert cn["ext_ForcedCriminality"] is True and cn["ext_ExploitationType"] == "forced_criminality"
    assert cn["vic_TypeOfExploitation"] == "other exploitation"
    assert cn["vic_ForcedLabourIndustry"] == "illicit activities"
    assert cn["vic_LocationOfExploitation"] == "MMR" and cn["prs_Citizenship"] == ["CHN"]
    registered = world.people["cn_shelter"].created_at.date()  # born 1996-05-04; the age is at registration
    assert cn["ext_AgeBroad"] == exports.age_band(registered.year - 1996 - ((registered.month, registered.day) < (5, 4)))
    labour = records[ref["cn_camp"]]
    assert labour["vic_TypeOfExploitation"] == "forced labour" and labour["ext_ForcedCriminality"] is False
    assert labour["vic_MethodsOfControl"] == [] and labour["ext_IloEcIndicators"] == ["VR01"]
    # A referral to investigation is not "not a victim": only the MDT concludes that.
    investigated = records[ref["ke_shelter"]]
    assert investigated["vic_TraffickingStatus"] is None
    assert investigated["ext_ScreeningOutcome"] == "refer_to_investigation"
    assert investigated["ext_ScreeningReviewStatus"] == "pending"
    mdt = records[ref["et_camp"]]
    assert mdt["vic_TraffickingStatus"] == "actual" and mdt["ext_TraffickingStatusDecidedBy"] == "multidisciplinary_team"
    assert mdt["ext_TraffickingStatusDate"] == "2025-03-01" and mdt["ext_ScreeningOutcome"] is None
    assert mdt["org_Name"] == world.users["supervisor"].memberships.first().agency.name
    not_victim = records[ref["ke_denied"]]
    assert not_victim["vic_TraffickingStatus"] == "not a victim" and not_victim["ext_ForcedCriminality"] is None


@pytest.mark.django_db
def test_htcds_export_holds_no_names_documents_or_notes(world):
    _screened_world(world)
    text = exports.htcds_json(exports.htcds_records(_actor(world, "supervisor")))
    for secret in [*NAMES, *PASSPORTS, STATEMENT_NOTE, "ran the scam floor", "Relative of", "+8613800000000",
                   "Interview and documents reviewed", "1996-05-04"]:
        assert secret not in text
    for record in json.loads(text):
        assert not any(key.startswith(("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_IdentityNumber"))
                       for key in record)


@pytest.mark.django_db
def test_htcds_export_is_audited_once_per_exported_person(world):
    _screened_world(world)
    records = exports.htcds_records(_actor(world, "supervisor"))
    events = list(_exported_events())
    assert len(events) == len(records) == 5
    assert {e.person_id for e in events} == {world.people[k].pk for k in
                                             ["cn_shelter", "cn_camp", "ke_shelter", "et_camp", "ke_denied"]}
    assert all(e.extra == {"format": "htcds"} and e.actor_username == "supervisor" for e in events)


@pytest.mark.parametrize("username", ["screening.officer", "police.analyst", "prosecutor", "auditor", "outsider",
                                      "iom.movement", "social.worker", "embassy.china"])
@pytest.mark.django_db
def test_htcds_export_needs_export_and_statement_grants(world, username):
    _screened_world(world)
    with pytest.raises(NotFound):
        exports.htcds_records(_actor(world, username))
    assert not _exported_events().exists()


@pytest.mark.django_db
def test_htcds_export_skips_people_outside_the_actors_scope(world):
    _screened_world(world)
    screen(world, world.people["referred"], "screening.officer", "presumed_victim")
    # An exporter whose grants reach only their own agency's records (the prosecutor's team owns "referred").
    role = Role.objects.create(name="Agency statistician")
    for resource, action, scope in [("person", "view", "all"), ("screening", "export", "agency"),
                                    ("screening_statement", "view", "agency")]:
        Grant.objects.create(role=role, resource=resource, action=action, scope=scope)
    user = world.users["outsider"]
    Membership.objects.create(user=user, agency=world.agencies["prosecutor"], role=role)
    records = exports.htcds_records(actor_for(type(user).objects.get(pk=user.pk)))
    assert [r["cas_CaseId"] for r in records] == [world.people["referred"].reference]
    assert list(_exported_events().values_list("person_id", flat=True)) == [world.people["referred"].pk]
    # The deny list wins over every grant.
    DenyEntry.objects.create(user=world.users["supervisor"], person=world.people["cn_shelter"], reason="conflict")
    refs = {r["cas_CaseId"] for r in exports.htcds_records(_actor(world, "supervisor"))}
    assert world.people["cn_shelter"].reference not in refs and world.people["referred"].reference in refs


# --------------------------------------------------------------------------------------------
# CTDC
# --------------------------------------------------------------------------------------------

_values = {
    "yearOfRegistration": st.sampled_from(["2024", "2025"]),
    "gender": st.sampled_from(["male", "female", "unknown"]),
    "ageBroad": st.sampled_from([label for _, label in exports.AGE_BANDS] + ["unknown"]),
    "citizenship": st.sampled_from(["CHN", "KEN", "ETH", "IDN", "unknown"]),
    "CountryOfExploitation": st.sampled_from(["MMR", "KHM", "unknown"]),
    "typeOfExploitation": st.sampled_from(["forced_criminality", "labour_other", "unknown"]),
    "screeningStatus": st.sampled_from(["screening:refer_as_possible_victim", "mdt:identified_victim"]),
}
_records = st.lists(st.tuples(*(_values[c] for c in exports.COLUMNS)), max_size=300)


@settings(max_examples=200, deadline=None)
@given(_records)
def test_ctdc_no_published_count_is_below_k_and_everyone_is_accounted_for(records):
    table = exports.anonymise(records)
    assert all(row[-1] >= exports.K for row in table.rows)
    assert sum(row[-1] for row in table.rows) + table.suppressed == len(records) == table.people
    assert len({row[:-1] for row in table.rows}) == len(table.rows)  # each combination once
    # Generalisation only coarsens: every published value is the original one or "unknown"/"other".
    for row in table.rows:
        for column, value in zip(exports.COLUMNS, row[:-1], strict=True):
            assert value in {r[exports.COLUMNS.index(column)] for r in records} | {"unknown", "other"}


def test_ctdc_generalises_age_then_citizenship_then_suppresses():
    base = ("2025", "male", "30-38", "CHN", "MMR", "forced_criminality", "screening:refer_as_possible_victim")
    big = [base] * 11
    young = [(*base[:2], "18-20", *base[3:])] * 3  # joins nobody until age becomes unknown...
    unknown_age = [(*base[:2], "unknown", *base[3:])] * 8  # ...then 3 + 8 = 11
    kenyan = [(*base[:2], "24-26", "KEN", *base[4:])] * 2  # age and citizenship generalised, still 2: dropped
    table = exports.anonymise(big + young + unknown_age + kenyan)
    assert table.rows == [(*base, 11), (*base[:2], "unknown", *base[3:], 11)]
    assert table.suppressed == 2 and table.age_generalised == 5 and table.citizenship_generalised == 2


@pytest.mark.parametrize(("age", "band"), [(None, "unknown"), (0, "0-8"), (8, "0-8"), (9, "9-17"), (17, "9-17"),
                                           (18, "18-20"), (29, "27-29"), (30, "30-38"), (47, "39-47"), (48, "48+"),
                                           (90, "48+")])
def test_ctdc_age_bands(age, band):
    assert exports.age_band(age) == band


def _many_chinese_victims(world, n):
    from crossing.access.cli_actor import cli_actor as system

    drafts = [PersonDraft(names=[NameDraft(f"TEST PERSON {i}")], sex="male", date_of_birth=date(1996, 5, 4),
                          dob_precision="day", nationalities=["CHN"], compound_id=world.compounds["kk"].pk,
                          status="awaiting_screening") for i in range(n)]
    people = person_bulk_create(actor=system(None), drafts=drafts, owner_agency_id=world.agencies["army"].pk)
    for person in people:
        screen(world, person, "screening.officer", "presumed_victim")
    return people


@pytest.mark.django_db
def test_ctdc_table_from_the_database_is_k_anonymous_and_audited_once_with_counts(world):
    _many_chinese_victims(world, 12)
    _screened_world(world)
    for username in ("iom.movement", "supervisor"):
        table = exports.ctdc_table(_actor(world, username))
        assert table.people == 17
        assert all(row[-1] >= exports.K for row in table.rows)
        assert sum(r[-1] for r in table.rows) + table.suppressed == 17
        chn = [r for r in table.rows if r[exports.CITIZENSHIP] == "CHN"]
        assert chn and chn[0][-1] >= 12 and chn[0][exports.COLUMNS.index("CountryOfExploitation")] == "MMR"
        text = exports.ctdc_csv(table)
        assert text.splitlines()[0] == ",".join([*exports.COLUMNS, "count"])
        assert text.splitlines()[-1].startswith(f"# k={exports.K}; people=17; suppressed=")
        assert not any(ref in text for ref in (p.reference for p in world.people.values()))
    events = list(_exported_events().filter(subject_type="screening_statistics"))
    assert len(events) == 2 and all(e.person_id is None for e in events)
    assert set(events[0].extra) == {"format", "k", "people", "rows", "suppressed", "age_generalised",
                                    "citizenship_generalised"}


@pytest.mark.parametrize("username", ["screening.officer", "police.analyst", "prosecutor", "auditor", "outsider"])
@pytest.mark.django_db
def test_ctdc_needs_the_statistics_grant(world, username):
    with pytest.raises(NotFound):
        exports.ctdc_table(_actor(world, username))


# --------------------------------------------------------------------------------------------
# Command line and downloads
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_writes_both_formats(world, tmp_path):
    _many_chinese_victims(world, 11)
    _screened_world(world)
    out = tmp_path / "htcds.json"
    call_command("screening_export", "--format", "htcds", "--out", str(out), "--user", "supervisor")
    assert len(json.loads(out.read_text())) == 16
    out = tmp_path / "ctdc.csv"
    call_command("screening_export", "--format", "ctdc", "--out", str(out), "--user", "iom.movement")
    assert out.read_text().startswith("yearOfRegistration,")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.django_db
def test_cli_bad_input_writes_nothing(world, tmp_path):
    _screened_world(world)
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("screening_export", "--format", "xml", "--out", str(tmp_path / "x"), "--user", "supervisor")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("screening_export", "--format", "htcds", "--out", str(tmp_path / "no" / "such" / "x.json"),
                     "--user", "supervisor")
    with pytest.raises(CommandError, match="must name a file"):
        call_command("screening_export", "--format", "htcds", "--out", str(tmp_path), "--user", "supervisor")
    with pytest.raises(CommandError, match="may not"):
        call_command("screening_export", "--format", "htcds", "--out", str(tmp_path / "x.json"), "--user",
                     "police.analyst")
    with pytest.raises(CommandError, match="no active user"):
        call_command("screening_export", "--format", "ctdc", "--out", str(tmp_path / "x.csv"), "--user", "nobody")
    assert list(tmp_path.iterdir()) == []
    assert not _exported_events().exists()


@pytest.mark.django_db
def test_cli_write_failure_rolls_back_the_audit_events(world, tmp_path, monkeypatch):
    from crossing.screening.management.commands import screening_export

    _screened_world(world)

    def fail(target, text):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(screening_export, "write_private_file", fail)
    with pytest.raises(CommandError, match="Permission denied"):
        call_command("screening_export", "--format", "htcds", "--out", str(tmp_path / "x.json"), "--user",
                     "supervisor")
    assert not _exported_events().exists() and list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_download_views(world):
    from django.http import Http404

    from crossing.web.views import screening_oversight as views

    _screened_world(world)

    def get(view, username):
        request = RequestFactory().get("/")
        request.user = world.users[username]
        return view(request)

    response = get(views.export_htcds, "supervisor")
    assert response["Content-Type"].startswith("application/json") and "attachment" in response["Content-Disposition"]
    assert len(json.loads(response.content)) == 5
    response = get(views.export_ctdc, "iom.movement")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[-1].startswith("# k=11; people=5; suppressed=5")
    for view, username in ((views.export_htcds, "iom.movement"), (views.export_htcds, "screening.officer"),
                           (views.export_ctdc, "police.analyst"), (views.export_ctdc, "outsider")):
        with pytest.raises(Http404):
            get(view, username)
