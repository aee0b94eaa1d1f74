"""Screening oversight (crossing.screening.oversight) as each persona: the queue and its waits, each
officer's throughput, outcomes given the same recommendation with the bias flags, overrides and
pending second reviews; NotFound for every role without ``screening.oversee``; every read audited.

Rows are built directly (``screen``) so that dates, officers and recommendations can be chosen; the
services that normally write them are tested in test_services.py."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from analytics.screening import catalogue
from crossing.access.events import AuditEventType
from crossing.access.models import Agency, AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound
from crossing.registry.models import Person
from crossing.screening import oversight
from crossing.screening.models import (
    Decision,
    Evaluation,
    IndicatorAnswer,
    ReviewStatus,
    Screening,
    ScreeningStatus,
)

FOLLOWS = {"presumed_victim": "refer_as_possible_victim", "needs_full_interview": "full_interview",
           "suspect": "refer_to_investigation"}
STATEMENT_NOTE = "my boss beat me at KK Park"


def screen(world, person, officer, recommendation, outcome=None, *, days_ago=0, status=ScreeningStatus.DECIDED,
           review=ReviewStatus.NOT_REQUIRED, reason="", exploitation="forced_criminality", present=(), because=""):
    """One screening of ``person`` decided by ``officer`` (a username) on ``recommendation``."""
    user = world.users[officer]
    outcome = outcome or FOLLOWS[recommendation]
    s = Screening.objects.create(person=person, status=status, started_by=user,
                                 agency=Agency.objects.get(name="Royal Thai Police"),
                                 registry_version=catalogue.DEFAULT_VERSION, exploitation_type=exploitation)
    for code in present:
        IndicatorAnswer.objects.create(screening=s, code=code, status="present", evidence_source="self_report",
                                       note=STATEMENT_NOTE, answered_by=user)
    ev = Evaluation.objects.create(screening=s, created_by=user, trigger="decision", inputs={}, engine_version="test",
                                   registry_version=catalogue.DEFAULT_VERSION, explanation={}, rule="R2",
                                   recommendation=recommendation)
    d = Decision.objects.create(screening=s, evaluation=ev, outcome=outcome,
                                follows_recommendation=FOLLOWS[recommendation] == outcome, reason=reason,
                                decided_by=user, review_status=review, review_required_because=because)
    if days_ago:
        Decision.objects.filter(pk=d.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
        d.refresh_from_db()
    return s, d


def _actor(world, username):
    return actor_for(world.users[username])


def _events(event_type=AuditEventType.SCREENING_OVERSIGHT_VIEWED):
    return AuditEvent.objects.filter(event_type=event_type)


@pytest.mark.parametrize("username", ["screening.officer", "police.analyst", "prosecutor", "auditor", "outsider",
                                      "iom.movement", "social.worker", "embassy.china", "case.officer"])
@pytest.mark.django_db
def test_roles_without_oversee_get_not_found_for_every_section(world, username):
    screen(world, world.people["cn_shelter"], "screening.officer", "presumed_victim", "full_interview",
           reason="needs more time")
    actor = _actor(world, username)
    for selector in (oversight.overview, oversight.queue_summary, oversight.throughput, oversight.outcomes,
                     oversight.overrides, oversight.pending_reviews):
        with pytest.raises(NotFound):
            selector(actor)
    assert not _events().exists()


@pytest.mark.django_db
def test_queue_counts_waiting_people_and_their_waits_by_facility(world):
    now = timezone.now()
    for key, days in [("cn_shelter", 10), ("ke_shelter", 2), ("ke_denied", 4), ("cn_camp", 6), ("et_camp", 1),
                      ("referred", 30)]:
        Person.objects.filter(pk=world.people[key].pk).update(created_at=now - timedelta(days=days, hours=1))
    # Decided: no longer waiting. In progress (status "held"): waiting. Awaiting review: not waiting.
    screen(world, world.people["cn_camp"], "screening.officer", "presumed_victim")
    screen(world, world.people["referred"], "screening.officer", "presumed_victim", status=ScreeningStatus.IN_PROGRESS)
    screen(world, world.people["et_camp"], "screening.officer", "suspect", status=ScreeningStatus.AWAITING_REVIEW,
           review=ReviewStatus.PENDING, because="referral_to_investigation")
    summary = oversight.queue_summary(_actor(world, "supervisor"))
    assert summary.total.count == 4  # cn_shelter, ke_shelter, ke_denied (shelter) and referred (camp)
    assert summary.total.max_days == 30 and summary.total.median_days == 7
    facilities = {f.label: f for f in summary.by_facility}
    assert set(facilities) == {"Mae Sot Shelter", "Phop Phra Army Camp"}
    shelter = facilities["Mae Sot Shelter"]
    assert (shelter.count, shelter.median_days, shelter.p90_days, shelter.max_days) == (3, 4, 10, 10)
    assert facilities["Phop Phra Army Camp"].count == 1
    event = _events().get()
    assert event.extra == {"section": "queue", "waiting": 4} and event.person_id is None


def test_percentiles_use_nearest_rank():
    assert oversight.percentile([], 90) is None
    assert oversight.percentile([5], 90) == 5
    assert oversight.percentile(list(range(1, 11)), 90) == 9
    assert oversight.percentile(list(range(1, 12)), 90) == 10
    assert oversight.median([1, 2, 3, 10]) == 2.5


@pytest.mark.django_db
def test_throughput_per_officer_over_7_and_30_days_and_all_time(world):
    p = world.people["cn_shelter"]
    screen(world, p, "screening.officer", "presumed_victim", days_ago=1)
    screen(world, p, "screening.officer", "presumed_victim", "full_interview", days_ago=10, reason="unclear")
    screen(world, p, "screening.officer", "suspect", days_ago=40)
    screen(world, p, "supervisor", "needs_full_interview", "refer_as_possible_victim", reason="clear signs")
    rows = {r.officer: r for r in oversight.throughput(_actor(world, "supervisor"))}
    officer = rows["screening.officer"]
    assert (officer.last_7_days, officer.last_30_days, officer.total, officer.followed) == (1, 2, 3, 2)
    assert officer.followed_percent == 67
    sup = rows["supervisor"]
    assert (sup.last_7_days, sup.last_30_days, sup.total, sup.followed) == (1, 1, 1, 0)


def _bias_world(world):
    """presumed_victim: officer 30 decisions (3 overrides, 10%), supervisor 10 (5, 50%),
    social worker 4 (4, 100%). Overall 12/44 = 27%."""
    chn, ken = world.people["cn_shelter"], world.people["ke_shelter"]
    for i in range(30):
        screen(world, chn if i % 2 else ken, "screening.officer", "presumed_victim",
               "full_interview" if i < 3 else None, reason="more questions" if i < 3 else "")
    for i in range(10):
        screen(world, world.people["et_camp"], "supervisor", "presumed_victim", "full_interview" if i < 5 else None,
               reason="more questions" if i < 5 else "")
    for _ in range(4):
        screen(world, chn, "social.worker", "presumed_victim", "full_interview", reason="more questions")
    # Another recommendation does not change the presumed_victim rates.
    for _ in range(5):
        screen(world, ken, "supervisor", "suspect", "refer_as_possible_victim", reason="coerced, not voluntary")


@pytest.mark.django_db
def test_outcomes_compare_officers_given_the_same_recommendation_and_flag_outliers(world):
    _bias_world(world)
    table = {r.recommendation: r for r in oversight.outcomes(_actor(world, "supervisor"))}
    assert set(table) == {"presumed_victim", "suspect"}
    pv = table["presumed_victim"]
    assert pv.overall.decisions == 44 and pv.overall.overrides == 12
    officers = {c.group: c for c in pv.by_officer}
    assert officers["screening.officer"].outcomes == {"refer_as_possible_victim": 27, "full_interview": 3,
                                                      "refer_to_investigation": 0}
    assert not officers["screening.officer"].flagged  # 10% vs 27%: 17 points
    assert officers["supervisor"].flagged  # 50% vs 27%: 23 points, 10 decisions
    assert not officers["social.worker"].flagged  # 100%, but only 4 decisions
    nationalities = {c.group: c for c in pv.by_nationality}
    assert nationalities["ETH"].decisions == 10 and nationalities["ETH"].flagged
    assert nationalities["CHN"].decisions == 19 and nationalities["KEN"].decisions == 15
    assert [c.group for c in pv.flagged] == ["supervisor", "ETH"]
    suspect = table["suspect"]
    assert suspect.overall.override_percent == 100 and suspect.flagged == []  # 5 decisions: never flagged
    event = _events().get()
    assert event.extra["flagged"] == 2 and event.extra["decisions"] == 49


@pytest.mark.django_db
def test_only_the_current_decision_of_a_current_screening_counts(world):
    p = world.people["cn_shelter"]
    old, _ = screen(world, p, "screening.officer", "presumed_victim", "full_interview", reason="x",
                    status=ScreeningStatus.SUPERSEDED)
    s, first = screen(world, p, "screening.officer", "suspect", "refer_to_investigation", days_ago=2)
    # The reviewer returned the first decision; the officer decided again: the newest one counts.
    Decision.objects.filter(pk=first.pk).update(review_status=ReviewStatus.RETURNED)
    ev = Evaluation.objects.get(screening=s)
    Decision.objects.create(screening=s, evaluation=ev, outcome="full_interview", follows_recommendation=False,
                            reason="reconsidered", decided_by=world.users["screening.officer"])
    current = oversight.current_decisions(Decision.objects.all())
    assert [(d.outcome, d.screening_id) for d in current] == [("full_interview", s.pk)]
    rows, total = oversight.overrides(_actor(world, "supervisor"))
    assert total == 2  # both overrides are listed, the replaced one marked as not current
    assert {(r.reason, r.current) for r in rows} == {("reconsidered", True), ("x", False)}


@pytest.mark.django_db
def test_overrides_list_reasons_and_review_status_and_audits_each_person(world):
    screen(world, world.people["cn_shelter"], "screening.officer", "presumed_victim")
    screen(world, world.people["ke_shelter"], "screening.officer", "presumed_victim", "refer_to_investigation",
           reason="ran the scam floor", review=ReviewStatus.PENDING, status=ScreeningStatus.AWAITING_REVIEW,
           because="referral_to_investigation", present=["CD05"])
    rows, total = oversight.overrides(_actor(world, "supervisor"))
    assert total == 1
    row = rows[0]
    assert (row.officer, row.recommendation, row.outcome, row.reason, row.review_status) == (
        "screening.officer", "presumed_victim", "refer_to_investigation", "ran the scam floor", "pending")
    assert row.person_reference == world.people["ke_shelter"].reference
    assert row.recommendation_label == "Presumed victim" and row.review_label == "Pending"
    assert STATEMENT_NOTE not in repr(rows)  # statements (answer notes) never reach oversight
    events = list(_events())
    assert {e.person_id for e in events} == {None, world.people["ke_shelter"].pk}


@pytest.mark.django_db
def test_pending_reviews_with_their_wait(world):
    for key, days in [("cn_shelter", 5), ("ke_shelter", 1)]:
        screen(world, world.people[key], "screening.officer", "suspect", days_ago=days, review=ReviewStatus.PENDING,
               status=ScreeningStatus.AWAITING_REVIEW, because="referral_to_investigation")
    screen(world, world.people["et_camp"], "screening.officer", "suspect", days_ago=9, review=ReviewStatus.CONFIRMED)
    found = oversight.pending_reviews(_actor(world, "supervisor"))
    assert found.total == 2 and found.max_days == 5 and found.median_days == 3
    assert [r.person_reference for r in found.rows] == [world.people["cn_shelter"].reference,
                                                       world.people["ke_shelter"].reference]
    assert found.rows[0].because == "referral_to_investigation" and found.rows[0].waiting_days == 5


@pytest.mark.django_db
def test_a_deny_list_entry_hides_the_person_from_oversight_too(world):
    from crossing.access.models import DenyEntry

    screen(world, world.people["ke_shelter"], "screening.officer", "presumed_victim", "full_interview", reason="x")
    DenyEntry.objects.create(user=world.users["supervisor"], person=world.people["ke_shelter"], reason="conflict")
    data = oversight.overview(_actor(world, "supervisor"))
    assert data.overrides == [] and data.throughput == [] and data.outcomes == []


@pytest.mark.django_db
def test_overview_page_renders_for_the_supervisor_and_404s_for_others(world):
    from django.http import Http404

    from crossing.web.views import screening_oversight as views

    _bias_world(world)
    screen(world, world.people["cn_camp"], "screening.officer", "suspect", review=ReviewStatus.PENDING,
           status=ScreeningStatus.AWAITING_REVIEW, because="referral_to_investigation")
    request = RequestFactory().get("/screening/oversight/")
    request.user = world.users["supervisor"]
    response = views.oversight(request)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="outcomes-presumed_victim"' in html and "Flagged" in html and "more questions" in html
    assert STATEMENT_NOTE not in html
    event = _events().get(extra__section="overview", person_id__isnull=True)
    assert event.extra["overrides"] == 17 and event.extra["reviews"] == 1
    for username in ("screening.officer", "auditor", "outsider"):
        request = RequestFactory().get("/screening/oversight/")
        request.user = world.users[username]
        with pytest.raises(Http404):
            views.oversight(request)
