"""Planning departures from the registry in the browser: the plan, what holds others back, review
(take someone out), publish (bookings), and who may do it."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crossing.access.policy import actor_for
from crossing.repatriation import movements, planning, services, workflow
from crossing.repatriation.models import PlanStatus, RepatriationCase, RepatriationPlan
from crossing.repatriation.tests.test_cases import _passport_back, _walk


def _ready(world, key, until=workflow.FIT_TO_TRAVEL):
    _passport_back(world.people[key])
    case = services.open_case(actor=actor_for(world.users["iom.movement"]), person_id=world.people[key].pk)
    return _walk(world, case, until)


def _bus(world, destinations, days_ahead=1, capacity=2, reference="BUS-1"):
    when = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days_ahead), time(9)))
    return movements.create_movement(actor=actor_for(world.users["iom.movement"]), kind="charter",
                                    reference=reference, origin="Mae Sot", departs_at=when,
                                    destinations=destinations, capacity=capacity)


@pytest.mark.django_db
def test_a_movement_officer_plans_reviews_and_publishes_in_the_browser(login, world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    a, b = _ready(world, "cn_shelter"), _ready(world, "cn_camp")
    RepatriationCase.objects.filter(pk=b.pk).update(travel_group="family-1")
    _ready(world, "ke_shelter", until=workflow.EXIT_CLEARED)  # waits for funding
    movement = _bus(world, ["CHN"])
    client = login("iom.movement")
    response = client.post(reverse("web:repatriation-plans"),
                           {"start_date": timezone.localdate().isoformat(), "horizon_days": "14"})
    plan = RepatriationPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/departures/plans/{plan.pk}/")
    assert {str(x) for x in plan.assignments.values_list("case_id", flat=True)} == {str(a.pk), str(b.pk)}
    assert plan.lower_bound is not None and plan.lower_bound <= plan.objective <= plan.fcfs_objective
    page = client.get(reverse("web:repatriation-plan", args=[plan.pk])).content.decode()
    assert movement.reference in page and "funding: 1" in page
    client.post(reverse("web:repatriation-plan-remove", args=[plan.pk, b.pk]))
    client.post(reverse("web:repatriation-plan-publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert RepatriationCase.objects.get(pk=a.pk).state == workflow.BOOKED
    assert RepatriationCase.objects.get(pk=a.pk).movement == movement
    assert RepatriationCase.objects.get(pk=b.pk).state == workflow.FIT_TO_TRAVEL  # taken out: still ready
    # The stored problem re-runs with the planner's own parser.
    from analytics.repatriation import planner, problem

    assert planner.solve(problem.parse(plan.problem)).objective == plan.objective
    for username in ("embassy.china", "police.analyst", "outsider", "shelter.staff"):
        assert login(username).get(reverse("web:repatriation-plans")).status_code == 404


@pytest.mark.django_db
def test_publishing_is_all_or_nothing(world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    a = _ready(world, "cn_shelter")
    _bus(world, ["CHN"])
    iom = actor_for(world.users["iom.movement"])
    plan = planning.make_plan(actor=iom, start=timezone.localdate(), horizon_days=7)
    services.place_hold(actor=iom, case_id=a.pk, reason="medical", note="fever")  # after the plan was made
    with pytest.raises(services.ValidationFailed):
        planning.publish(actor=iom, plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and RepatriationCase.objects.get(pk=a.pk).state == workflow.FIT_TO_TRAVEL


@pytest.mark.django_db
def test_the_daily_processing_capacity_limits_the_plan(world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [1] * 7
    _ready(world, "cn_shelter"), _ready(world, "cn_camp")
    _bus(world, ["CHN"], capacity=5)
    plan = planning.make_plan(actor=actor_for(world.users["iom.movement"]), start=timezone.localdate(),
                              horizon_days=7)
    assert plan.assignments.count() == 1


@pytest.mark.django_db
def test_the_demo_opens_cases_and_movements_through_the_services(world):
    from crossing.registry.models import Person
    from crossing.repatriation.demo import load_demo_repatriation
    from crossing.repatriation.models import Movement

    Person.objects.filter(pk__in=[p.pk for p in world.people.values()]).update(status="awaiting_documents")
    assert load_demo_repatriation(count=4, seed=3) == 4
    assert Movement.objects.count() >= 10 and RepatriationCase.objects.count() == 4


@pytest.mark.django_db
def test_after_publishing_the_officer_downloads_a_password_protected_manifest(login, world, settings):
    import io

    import msoffcrypto
    import openpyxl

    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    a = _ready(world, "cn_shelter")
    movement = _bus(world, ["CHN"])
    iom = actor_for(world.users["iom.movement"])
    plan = planning.make_plan(actor=iom, start=timezone.localdate(), horizon_days=7)
    planning.publish(actor=iom, plan_id=plan.pk)
    client = login("iom.movement")
    page = client.get(reverse("web:repatriation-plan", args=[plan.pk])).content.decode()
    assert reverse("web:repatriation-manifest", args=[movement.pk]) in page
    response = client.post(reverse("web:repatriation-manifest", args=[movement.pk]),
                           {"format": "xlsx", "password": "correct horse battery", "next": "/"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    office = msoffcrypto.OfficeFile(io.BytesIO(response.content))
    office.load_key(password="correct horse battery")  # noqa: S106  (a test file password)
    out = io.BytesIO()
    office.decrypt(out)
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(out).active.iter_rows() for c in row if c.value)
    assert "ZHANG WEI" in text and RepatriationCase.objects.get(pk=a.pk).movement == movement
    short = client.post(reverse("web:repatriation-manifest", args=[movement.pk]),
                        {"format": "pdf", "password": "short", "next": "/"})
    assert short.status_code == 302
    assert login("embassy.china").post(reverse("web:repatriation-manifest", args=[movement.pk]),
                                       {"format": "pdf", "password": "correct horse battery"}).status_code == 404
