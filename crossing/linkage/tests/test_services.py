"""Deduplication, adjudication, merge and exact unmerge, list linking: through the services, as
each persona, with an outsider and a deny-listed officer in every access test."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crossing.access.cli_actor import cli_actor
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent, DenyEntry
from crossing.access.policy import access_person, actor_for, people
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.linkage import selectors, services
from crossing.linkage.models import CandidateStatus, MatchCandidate, Merge
from crossing.linkage.sources import read_list
from crossing.registry.drafts import DocumentDraft, NameDraft, PersonDraft, PlacementDraft
from crossing.registry.models import (
    FamilyContact,
    IdentityDocument,
    ImportedRow,
    NameToken,
    Person,
    PersonName,
    PersonNationality,
    PhoneNumber,
    Placement,
    Vulnerability,
)
from crossing.registry.services.people import person_bulk_create


def _actor(world, username):
    return actor_for(world.users[username])


def _duplicate(world, key="cn_shelter", names=None, passport="E12345678", facility="camp", nationality="CHN"):
    """A second record of a world person, as an embassy list would write them."""
    original = world.people[key]
    draft = PersonDraft(
        names=names or [NameDraft("张伟", kind="native")], sex="male", date_of_birth=date(1996, 5, 4),
        dob_precision="day", nationalities=[nationality],
        documents=[DocumentDraft(passport, issuing_country=nationality)] if passport else [],
        phones=["+66 81 234 5678"], vulnerabilities=["medical", "pregnancy"],
        placements=[PlacementDraft(world.facilities[facility].pk, original.created_at)], status="awaiting_screening",
    )
    return person_bulk_create(actor=cli_actor(None), drafts=[draft], owner_agency_id=world.agencies["army"].pk)[0]


def _queued(world, a, b) -> MatchCandidate:
    services.dedupe_registry(actor=cli_actor(None))
    first, second = sorted((str(a.pk), str(b.pk)))
    return MatchCandidate.objects.get(person_a_id=first, person_b_id=second)


def _snapshot(*people_):
    """Everything a merge may touch, per person: what unmerge must restore exactly."""
    out = {}
    for p in people_:
        p = Person.objects.get(pk=p.pk)
        out[str(p.pk)] = {
            "fields": {f: getattr(p, f) for f in ("sex", "date_of_birth", "dob_precision", "age_estimate", "compound_id",
                                                  "rescue_event_id", "primary_nationality", "current_facility_id",
                                                  "merged_into_id", "display_name", "reference")},
            **{model.__name__: sorted(map(str, model.objects.filter(person=p).values_list("pk", flat=True)))
               for model in (PersonName, NameToken, PersonNationality, IdentityDocument, FamilyContact, PhoneNumber,
                             Vulnerability, Placement, ImportedRow)},
            "open_placements": sorted(map(str, Placement.objects.filter(person=p, check_out__isnull=True)
                                          .values_list("pk", flat=True))),
            "deny": sorted(map(str, DenyEntry.objects.filter(person=p, revoked_at__isnull=True).values_list("pk", flat=True))),
        }
    return out


@pytest.mark.django_db
def test_dedupe_queues_the_same_person_written_in_another_script_with_its_evidence(world):
    dup = _duplicate(world, names=[NameDraft("CHANG WEI")])  # Wade-Giles, as a Taiwanese clerk writes 张伟
    report = services.dedupe_registry(actor=cli_actor(None))
    assert report.new >= 1 and not report.run.trained  # a handful of records: the priors score them
    candidate = _queued(world, world.people["cn_shelter"], dup)
    assert candidate.status == CandidateStatus.PENDING and candidate.probability > 0.99
    levels = {e["comparison"]: e["level"] for e in candidate.evidence}
    assert levels["document"] == "same number" and levels["date_of_birth"] == "same date of birth"
    assert levels["name"] == "same name in one of its romanizations"
    assert all(e["weight"] > 0 for e in candidate.evidence if e["comparison"] in ("name", "document"))
    # Unrelated people in the world are not queued against each other.
    assert not MatchCandidate.objects.filter(person_a=world.people["ke_shelter"]).exists()
    assert not MatchCandidate.objects.filter(person_b=world.people["ke_shelter"]).exists()


@pytest.mark.django_db
def test_rerunning_dedupe_queues_nothing_twice_and_never_requeues_a_decision(world):
    dup = _duplicate(world)
    candidate = _queued(world, world.people["cn_shelter"], dup)
    again = services.dedupe_registry(actor=cli_actor(None))
    assert again.new == 0 and again.updated >= 1
    services.decide(actor=_actor(world, "supervisor"), candidate_id=candidate.pk, decision="different", note="twins")
    third = services.dedupe_registry(actor=cli_actor(None))
    assert third.new == 0 and third.kept_decided >= 1
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.DIFFERENT


@pytest.mark.django_db
def test_merge_keeps_every_source_value_and_unmerge_restores_both_records_exactly(world):
    survivor = world.people["cn_shelter"]
    dup = _duplicate(world)
    ImportedRow.objects.create(batch=_batch(), list_ref="EMBASSY-MISSING", row_ref="B-7", content_hash="x", person=dup)
    before = _snapshot(survivor, dup)
    candidate = _queued(world, survivor, dup)
    supervisor = _actor(world, "supervisor")
    services.decide(actor=supervisor, candidate_id=candidate.pk, decision="same", note="same passport")

    merged = Person.objects.get(pk=dup.pk)
    assert merged.merged_into_id == survivor.pk
    # The survivor now carries the merged record's names, document, phone, list row and its extra vulnerability.
    assert set(PersonName.objects.filter(person=survivor).values_list("full_name", flat=True)) >= {"ZHANG WEI", "张伟"}
    assert PersonName.objects.filter(person=survivor, full_name="张伟").count() == 2
    assert PhoneNumber.objects.filter(person=survivor, e164="+66812345678").exists()
    assert ImportedRow.objects.filter(person=survivor, row_ref="B-7").exists()
    assert set(Vulnerability.objects.filter(person=survivor).values_list("kind", flat=True)) == {"medical", "pregnancy"}
    # One person, one place: the merged record's open stay is closed, the survivor's stands.
    assert Placement.objects.filter(person=survivor, check_out__isnull=True).count() == 1
    # The merged record disappears from every list and lookup; the survivor stands for it.
    assert not people(supervisor).filter(pk=dup.pk).exists()
    with pytest.raises(NotFound):
        access_person(supervisor, dup.pk)

    merge = Merge.objects.get(candidate=candidate)
    services.unmerge(actor=supervisor, merge_id=merge.pk, reason="different fathers' names on the birth certificates")
    assert _snapshot(survivor, dup) == before
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.UNMERGED
    events = AuditEvent.objects.filter(actor_username="supervisor")
    for event_type in (AuditEventType.MATCH_DECIDED, AuditEventType.PERSON_MERGED, AuditEventType.PERSON_UNMERGED):
        assert set(events.filter(event_type=event_type).values_list("person_id", flat=True)) == {survivor.pk, dup.pk}
    with pytest.raises(ValidationFailed):
        services.unmerge(actor=supervisor, merge_id=merge.pk, reason="again")


def _batch():
    from crossing.registry.models import ImportBatch

    return ImportBatch.objects.create(list_ref="EMBASSY-MISSING", filename="b.csv", sha256="0" * 64)


@pytest.mark.django_db
def test_a_merge_fills_what_the_survivor_did_not_know_and_unmerge_takes_it_back(world):
    survivor = world.people["referred"]  # no birth date, no document
    dup = _duplicate(world, key="referred", names=[NameDraft("LI QIANG")], passport="E55555555")
    Person.objects.filter(pk=survivor.pk).update(created_at=dup.created_at.replace(year=2024))
    before = _snapshot(survivor, dup)
    run = services.dedupe_registry(actor=cli_actor(None)).run
    candidate, _created = MatchCandidate.objects.get_or_create(
        person_a_id=min(survivor.pk, dup.pk, key=str), person_b_id=max(survivor.pk, dup.pk, key=str),
        defaults={"run": run, "probability": 0.9, "match_weight": 3})
    supervisor = _actor(world, "supervisor")
    services.decide(actor=supervisor, candidate_id=candidate.pk, decision="same", survivor_id=survivor.pk)
    survivor.refresh_from_db()
    assert survivor.date_of_birth == date(1996, 5, 4) and survivor.dob_precision == "day"
    services.unmerge(actor=supervisor, merge_id=Merge.objects.get(candidate=candidate).pk, reason="wrong person")
    assert _snapshot(survivor, dup) == before


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["outsider", "embassy.kenya", "auditor", "shelter.staff", "police.analyst",
                                      "admin", "iom.movement"])
def test_people_who_may_not_update_both_records_never_see_or_decide_the_pair(world, username):
    dup = _duplicate(world)
    candidate = _queued(world, world.people["cn_shelter"], dup)
    actor = _actor(world, username)
    assert not selectors.candidates(actor).exists()
    with pytest.raises((NotFound, PermissionDeniedError)):
        selectors.candidate_get(actor=actor, candidate_id=candidate.pk)
    with pytest.raises((NotFound, PermissionDeniedError)):
        services.decide(actor=actor, candidate_id=candidate.pk, decision="same")
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PENDING


@pytest.mark.django_db
def test_a_case_officer_decides_pairs_within_their_agency_and_every_view_is_audited(world):
    dup = _duplicate(world)
    candidate = _queued(world, world.people["cn_shelter"], dup)
    officer = _actor(world, "case.officer")
    assert list(selectors.candidates(officer)) == [candidate]
    view = selectors.candidate_get(actor=officer, candidate_id=candidate.pk)
    assert {view.a.person.pk, view.b.person.pk} == {world.people["cn_shelter"].pk, dup.pk}
    assert view.a.documents is not None  # the border officer's role sees documents
    viewed = AuditEvent.objects.filter(event_type=AuditEventType.MATCH_VIEWED, actor_username="case.officer")
    assert set(viewed.values_list("person_id", flat=True)) == {world.people["cn_shelter"].pk, dup.pk}


@pytest.mark.django_db
def test_a_deny_entry_follows_the_merged_record_into_the_survivor_and_leaves_on_unmerge(world):
    denied = world.people["ke_denied"]
    dup = _duplicate(world, key="ke_denied", names=[NameDraft("OTIENO ODHIAMBO")], passport="AK7654321",
                     facility="shelter", nationality="KEN")
    officer = _actor(world, "denied.officer")
    candidate = _queued(world, denied, dup)
    assert not selectors.candidates(officer).exists()  # one of the two is denied to them
    supervisor = _actor(world, "supervisor")
    services.decide(actor=supervisor, candidate_id=candidate.pk, decision="same", survivor_id=dup.pk)
    assert not people(officer).filter(pk=dup.pk).exists()  # the bar now covers the survivor too
    services.unmerge(actor=supervisor, merge_id=Merge.objects.get(candidate=candidate).pk, reason="not the same")
    assert people(officer).filter(pk=dup.pk).exists()
    assert not people(officer).filter(pk=denied.pk).exists()


def _csv(rows, header=("list_ref", "row_ref", "full_name", "native_name", "sex", "date_of_birth", "nationality",
                       "passport_number", "phone")) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


LIST_A = [
    ["RTA", "A1", "CHANG WEI", "", "M", "1996", "CHN", "", "081 234 5678"],
    ["RTA", "A2", "WANJIKU MWANGI", "", "F", "1999-02-03", "KEN", "AK1111111", ""],
    ["RTA", "A3", "MOHAMMAD ABBASI", "", "M", "1990", "PAK", "", ""],
    ["RTA", "A4", "SOMCHAI DEE", "", "M", "", "THA", "", ""],
]
LIST_B = [
    ["EMB", "B1", "", "张伟", "M", "1996-05-04", "CHN", "E12345678", "+66812345678"],
    ["EMB", "B2", "Wanjiku Mwangi", "", "F", "1999-02-03", "KEN", "AK1111111", ""],
    ["EMB", "B3", "", "محمد عباسی", "M", "1990-01-01", "PAK", "", ""],
    ["EMB", "B4", "", "阿卜杜拉", "M", "1985", "CHN", "", ""],
]


@pytest.mark.django_db
def test_linking_two_lists_pairs_each_person_once_and_names_who_is_on_one_list_only(world):
    left, right = read_list(_csv(LIST_A), "a.csv"), read_list(_csv(LIST_B), "b.csv")
    report = services.link_lists(actor=_actor(world, "embassy.china"), left=left, right=right)
    assert {(p.id_l, p.id_r) for p in report.pairs} == {("A1", "B1"), ("A2", "B2"), ("A3", "B3")}
    assert report.only_left == ["A4"] and report.only_right == ["B4"]
    event = AuditEvent.objects.get(event_type=AuditEventType.LISTS_LINKED, actor_username="embassy.china")
    assert event.extra["pairs"] == 3 and "张伟" not in str(event.extra)  # counts, never names


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["outsider", "auditor", "shelter.staff", "admin"])
def test_linking_lists_needs_the_grant(world, username):
    left, right = read_list(_csv(LIST_A), "a.csv"), read_list(_csv(LIST_B), "b.csv")
    with pytest.raises(PermissionDeniedError):
        services.link_lists(actor=_actor(world, username), left=left, right=right)


@pytest.mark.parametrize("rows,header,row,column", [
    ([["X", "1", "A B", "", "M", "1990-13-40", "", "", ""]], None, 2, "date_of_birth"),
    ([["X", "1", "A B", "", "", "", "", "", ""], ["X", "1", "C D", "", "", "", "", "", ""]], None, 3, "row_ref"),
    ([["X", "", "A B", "", "", "", "", "", ""]], None, 2, "row_ref"),
    ([["X", "1", "", "", "", "", "", "", ""]], None, 2, "full_name"),
    ([["X", "1", "A B", "", "", "", "Narnia", "", ""]], None, 2, "nationality"),
    ([["X", "A B"]], ("list_ref", "full_name"), 1, "row_ref"),
])
def test_a_list_that_cannot_be_linked_is_refused_naming_row_and_column(rows, header, row, column):
    with pytest.raises(ValidationFailed) as exc:
        read_list(_csv(rows, header) if header else _csv(rows), "bad.csv")
    problems = exc.value.extra["problems"]
    assert any(p["row"] == row and p["column"] == column for p in problems), problems


@pytest.mark.django_db
def test_the_link_command_writes_the_exact_pairs_header_and_a_report(world, tmp_path):
    a, b = tmp_path / "A.csv", tmp_path / "B.csv"
    a.write_bytes(_csv(LIST_A))
    b.write_bytes(_csv(LIST_B))
    out, report = tmp_path / "pairs.csv", tmp_path / "report.csv"
    stdout = io.StringIO()
    call_command("linkage_link", str(a), str(b), out=str(out), report=str(report), stdout=stdout)
    lines = out.read_text().splitlines()
    assert lines[0] == "row_ref_a,row_ref_b,match_probability"
    assert {tuple(line.split(",")[:2]) for line in lines[1:]} == {("A1", "B1"), ("A2", "B2"), ("A3", "B3")}
    assert all(0.5 <= float(line.split(",")[2]) <= 1 for line in lines[1:])
    assert "only on A.csv (row_ref): A4" in stdout.getvalue()
    rows = list(csv.DictReader(report.open()))
    assert {r["row_ref"]: r["outcome"] for r in rows}["B4"] == "only on list B"
    with pytest.raises(CommandError):
        call_command("linkage_link", str(a), str(tmp_path / "missing.csv"), out=str(out))


@pytest.mark.django_db
def test_the_dedupe_command_reports_what_it_queued(world):
    _duplicate(world)
    stdout = io.StringIO()
    call_command("registry_dedupe", stdout=stdout)
    assert "1 new pairs queued" in stdout.getvalue()
    with pytest.raises(CommandError):
        call_command("registry_dedupe", threshold=1.5)


def test_the_scenario_lists_are_written_in_the_canonical_import_columns():
    # crossing.scenario stays Django-free, so it keeps its own copy of the header: they must agree.
    from crossing.registry.importing.columns import CANONICAL_COLUMNS
    from crossing.scenario.lists import COLUMNS

    assert tuple(COLUMNS) == CANONICAL_COLUMNS
