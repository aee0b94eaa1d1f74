"""The screening pages as each persona: the interview with its live recommendation (htmx), the
decision and second review, the hold on the person page, and 404 for everyone outside."""

import pytest
from django.urls import reverse

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.screening.models import Decision, Screening

VICTIM = ["DR01", "DR08", "EX01", "EX04", "CD05", "CD14", "VD01", "VD02", "VD05"]


def _start(login, world, username="screening.officer", key="cn_shelter"):
    client = login(username)
    response = client.post(reverse("web:screening-start", args=[world.people[key].pk]))
    assert response.status_code == 302
    return client, Screening.objects.get(person=world.people[key], status="in_progress")


@pytest.mark.django_db
def test_officer_runs_an_interview_and_the_recommendation_updates(login, world):
    client, s = _start(login, world)
    page = client.get(reverse("web:screening-interview", args=[s.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="q-DR01"' in html and 'id="recommendation"' in html and "not an identification" in html
    answer_url = reverse("web:screening-answer", args=[s.pk])
    for code in VICTIM:
        fragment = client.post(answer_url, {f"a-{code}-status": "present", f"a-{code}-source": "self_report",
                                            f"a-{code}-note": "told us"}, HTTP_HX_REQUEST="true")
        assert fragment.status_code == 200
    html = fragment.content.decode()
    assert 'data-value="presumed_victim"' in html and "R2" in html
    bad = client.post(answer_url, {"a-DR01-status": "maybe"}, HTTP_HX_REQUEST="true")
    assert "not a valid choice" in bad.content.decode()
    # Whole-form save without JavaScript, then the decision.
    response = client.post(reverse("web:screening-interview", args=[s.pk]),
                           {"details-present": "1", "interview_language": "zh", "interpreter_language": "zh",
                            "interpreter_qualified": "yes", "a-DR02-status": "absent"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.interview_language == "zh" and s.interpreter_qualified is True
    client.post(reverse("web:screening-decide", args=[s.pk]), {"outcome": "refer_as_possible_victim"})
    assert Decision.objects.get(screening=s).outcome == "refer_as_possible_victim"
    detail = client.get(reverse("web:person-detail", args=[s.person_id])).content.decode()
    assert 'id="hold-banner"' in detail and 'data-value="refer_as_possible_victim"' in detail


@pytest.mark.django_db
def test_departure_without_reason_is_refused_and_supervisor_reviews(login, world):
    client, s = _start(login, world)
    for code in VICTIM:
        client.post(reverse("web:screening-answer", args=[s.pk]), {f"a-{code}-status": "present"})
    response = client.post(reverse("web:screening-decide", args=[s.pk]), {"outcome": "refer_to_investigation"},
                           follow=True)
    assert "reason for departing" in response.content.decode()
    client.post(reverse("web:screening-decide", args=[s.pk]), {"outcome": "refer_to_investigation",
                                                               "reason": "led a team of recruiters"})
    decision = Decision.objects.get(screening=s)
    assert decision.review_status == "pending"
    supervisor = login("supervisor")
    queue = supervisor.get(reverse("web:screening-queue")).content.decode()
    assert str(s.pk) in queue
    supervisor.post(reverse("web:screening-review", args=[decision.pk]), {"confirm": "yes", "screening": str(s.pk)})
    decision.refresh_from_db()
    assert decision.review_status == "confirmed" and decision.reviewed_by.username == "supervisor"


@pytest.mark.django_db
def test_investigator_sees_outcome_and_hold_but_never_the_statements(login, world):
    client, s = _start(login, world)
    for code in VICTIM:
        client.post(reverse("web:screening-answer", args=[s.pk]), {f"a-{code}-status": "present",
                                                                   f"a-{code}-note": "SECRET-STATEMENT"})
    client.post(reverse("web:screening-decide", args=[s.pk]), {"outcome": "refer_as_possible_victim"})
    analyst = login("police.analyst")
    assert analyst.get(reverse("web:screening-interview", args=[s.pk])).status_code == 404
    # Not the analyst's to answer: refused (the outcome is theirs to see anyway), and nothing saved.
    assert analyst.post(reverse("web:screening-answer", args=[s.pk]), {"a-DR02-status": "present"}).status_code == 403
    assert not s.answers.filter(code="DR02", status="present").exists()
    page = analyst.get(reverse("web:person-detail", args=[s.person_id])).content.decode()
    assert 'id="hold-banner"' in page and "refer_as_possible_victim" in page
    assert "SECRET-STATEMENT" not in page and reverse("web:screening-interview", args=[s.pk]) not in page
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username="police.analyst").exists()
    # The embassy and shelter staff see the hold, not the outcome.
    for username in ("embassy.china", "shelter.staff"):
        page = login(username).get(reverse("web:person-detail", args=[s.person_id])).content.decode()
        assert 'id="hold-banner"' in page and "refer_as_possible_victim" not in page
    for username in ("outsider", "auditor", "prosecutor", "embassy.china"):
        assert login(username).get(reverse("web:screening-interview", args=[s.pk])).status_code == 404
        assert login(username).get(reverse("web:screening-queue")).status_code == 404


@pytest.mark.django_db
def test_interview_page_follows_the_interface_language(login, world):
    client, s = _start(login, world)
    client.cookies["django_language"] = "th"
    html = client.get(reverse("web:screening-interview", args=[s.pk]), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    from analytics.screening import catalogue

    assert catalogue.load().indicators["DR01"].prompt("th")[0] in html


@pytest.mark.django_db
def test_no_open_redirect_and_a_refusal_is_a_403_not_a_500(login, world):
    from crossing.screening import services
    from crossing.screening.tests.test_services import _actor

    client, s = _start(login, world, key="cn_shelter")
    client.post(reverse("web:screening-answer", args=[s.pk]), {"a-EX01-status": "present"})
    s.age, s.age_basis = 15, "claimed"
    s.save()
    services.decide(actor=_actor(world, "screening.officer"), screening_id=s.pk, outcome="refer_as_possible_victim")
    referral = s.child_referrals.get()
    response = client.post(reverse("web:screening-child-referral", args=[referral.pk]),
                           {"note": "x", "next": "//evil.example/x"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    # The social worker sees this resident but may not conduct interviews: 403, audited.
    worker = login("social.worker")
    assert worker.post(reverse("web:screening-start", args=[world.people["cn_shelter"].pk])).status_code == 403
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username="social.worker").exists()
