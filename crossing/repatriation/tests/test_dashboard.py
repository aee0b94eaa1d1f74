"""The repatriation dashboard: days stranded by nationality, funding gap, departures against the
processing capacity, the forecast, days held at facilities; who sees which figures."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.registry.models import Person, Placement, RescueEvent
from crossing.repatriation import border, workflow
from crossing.repatriation.dashboard import repatriation_dashboard
from crossing.repatriation.models import CaseTransition, ProcessingDay, RepatriationCase
from crossing.repatriation.tests.test_cases import _walk
from crossing.repatriation.tests.test_planning import _bus, _ready


def _actor(world, username):
    return actor_for(world.users[username])


def _at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def dated(world, settings):
    """Every day processes 300 people; each person checked in a known number of days ago."""
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    today = timezone.localdate()
    for key, days in {"cn_shelter": 10, "cn_camp": 20, "referred": 50, "ke_shelter": 40, "ke_denied": 35,
                      "et_camp": 5}.items():
        Placement.objects.filter(person=world.people[key]).update(check_in=_at(today - timedelta(days=days)))
    # A rescue date, where known, is the day the person was freed: it wins over the check-in.
    event = RescueEvent.objects.create(occurred_on=today - timedelta(days=7), handed_over_by="synthetic")
    Person.objects.filter(pk=world.people["et_camp"].pk).update(rescue_event=event)
    return today


@pytest.mark.django_db
def test_days_stranded_forecast_and_days_held_on_a_small_world(world, dated):
    today = dated
    iom = _actor(world, "iom.movement")
    booked = _ready(world, "cn_shelter")
    waiting = _ready(world, "cn_camp")  # ready, not yet booked
    _ready(world, "ke_shelter", until=workflow.EXIT_CLEARED)  # waits for funding
    first = _bus(world, ["CHN"], days_ahead=2, capacity=2, reference="CN-1")
    _walk(world, booked, workflow.BOOKED, movement=first)
    # Immigration processes one person on the first movement's day: the booked person takes it, so the
    # ready one goes on the later movement.
    border.set_day(actor=iom, day=border.crossing_day(first.departs_at), capacity=1)
    later = _bus(world, ["CHN"], days_ahead=5, capacity=5, reference="CN-2")

    d = repatriation_dashboard(iom, today=today)

    rows = {r.nationality: r for r in d.stranded}
    assert [r.nationality for r in d.stranded] == ["CHN", "KEN", "ETH"]  # by people, most first
    chn, ken, eth = rows["CHN"], rows["KEN"], rows["ETH"]
    assert (chn.people, chn.median_days, chn.max_days, chn.no_case, chn.ready, chn.booked) == (3, 20, 50, 1, 1, 1)
    assert (ken.people, ken.median_days, ken.max_days, ken.no_case) == (2, 37.5, 40, 1)
    assert [(step, n) for step, _label, n in ken.waiting] == [("funding", 1)]
    assert (eth.people, eth.max_days, eth.no_case) == (1, 7, 1)  # the rescue date, not the check-in
    assert d.stranded_total == 6 and d.ready_total == 1 and d.booked_total == 1

    # Departures: the booked person crosses on the first movement's day, within its reduced capacity.
    day = {r.day: r for r in d.upcoming}[border.crossing_day(first.departs_at)]
    assert (day.people, day.capacity, day.over) == (1, 1, False) and day.movements == ["CN-1"]
    assert len(d.upcoming) == 14 and d.upcoming[0].day == today and len(d.past) == 14

    # Forecast: the ready person leaves on the later movement's crossing day; everyone is covered.
    forecast = {r.destination: r for r in d.forecast.rows}
    assert (forecast["CHN"].ready, forecast["CHN"].taken, forecast["CHN"].booked) == (1, 1, 1)
    assert forecast["CHN"].last_day == border.crossing_day(later.departs_at)
    assert d.forecast.everyone_by == border.crossing_day(later.departs_at) and d.forecast.not_covered == 0
    assert RepatriationCase.objects.get(pk=waiting.pk).state == workflow.FIT_TO_TRAVEL

    # Days held at the current facility (median, longest, over 30 days) and occupancy.
    facilities = {f.name: f for f in d.facilities}
    shelter, camp = facilities["Mae Sot Shelter"], facilities["Phop Phra Army Camp"]
    assert (shelter.residents, shelter.median_days, shelter.max_days, shelter.long_stay) == (3, 35, 40, 2)
    assert (camp.residents, camp.median_days, camp.max_days, camp.long_stay) == (3, 20, 50, 1)
    assert shelter.capacity == 170 and shelter.percent == round(100 * 3 / 170)

    # Funding appears for those who fund; one audit event with counts only.
    assert d.funding is not None and {r.destination for r in d.funding} >= {"KEN"}
    event = AuditEvent.objects.filter(event_type=AuditEventType.REPATRIATION_VIEWED,
                                      subject_type="repatriation_dashboard").get()
    assert event.extra == {"stranded": 6, "countries": 3, "ready": 1, "booked": 1, "facilities": 2}
    assert event.person_id is None and not event.subject_id


@pytest.mark.django_db
def test_nobody_covered_means_not_before_more_movements(world, dated):
    iom = _actor(world, "iom.movement")
    _ready(world, "cn_shelter")
    _ready(world, "ke_shelter")
    _bus(world, ["CHN"], days_ahead=3, capacity=1)
    d = repatriation_dashboard(iom, today=dated)
    forecast = {r.destination: r for r in d.forecast.rows}
    assert forecast["CHN"].taken == 1 and forecast["CHN"].last_day is not None
    assert forecast["KEN"].not_covered == 1 and forecast["KEN"].last_day is None  # no movement serves Kenya
    assert d.forecast.everyone_by is None and d.forecast.not_covered == 1


@pytest.mark.django_db
def test_a_day_over_capacity_is_flagged_and_past_departures_are_counted(world, dated, login):
    today = dated
    iom = _actor(world, "iom.movement")
    movement = _bus(world, ["CHN"], days_ahead=2, capacity=3, reference="CN-1")
    for key in ("cn_shelter", "cn_camp"):
        _walk(world, _ready(world, key), workflow.BOOKED, movement=movement)
    crossing = border.crossing_day(movement.departs_at)
    with pytest.raises(ValidationFailed):  # the rule cannot strand people already booked ...
        border.set_day(actor=iom, day=crossing, capacity=1, note="staff shortage")
    # ... but the border may still close lanes: the dashboard must show the day over capacity.
    ProcessingDay.objects.create(day=crossing, capacity=1, note="staff shortage", set_by=world.users["iom.movement"])
    border.set_day(actor=iom, day=today + timedelta(days=4), capacity=200, reserved_for=["KEN"])
    # Someone who departed three days ago.
    gone = _ready(world, "ke_denied")
    old = _bus(world, ["KEN"], days_ahead=1, capacity=1, reference="KE-0")
    gone = _walk(world, gone, workflow.DEPARTED, movement=old)
    CaseTransition.objects.filter(case=gone, to_state=workflow.DEPARTED).update(at=_at(today - timedelta(days=3)))

    d = repatriation_dashboard(iom, today=today)
    days = {r.day: r for r in d.upcoming}
    assert (days[crossing].people, days[crossing].capacity, days[crossing].over) == (2, 1, True)
    assert days[crossing].bar == 10 and d.days_over_capacity == 1
    assert days[today + timedelta(days=4)].reserved_for == ("KEN",)
    assert {r.day: r.people for r in d.past}[today - timedelta(days=3)] == 1 and d.departed_recently == 1
    assert {r.nationality: r.people for r in d.stranded}["KEN"] == 1  # the departed person is no longer stranded

    page = login("iom.movement").get(reverse("web:repatriation-dashboard")).content.decode()
    assert f'data-day="{crossing.isoformat()}" data-over="1"' in page


@pytest.mark.django_db
def test_each_persona_sees_only_its_own_people(world, dated):
    for key in ("cn_shelter", "ke_shelter"):
        _ready(world, key)
    china = repatriation_dashboard(_actor(world, "embassy.china"), today=dated)
    assert {r.nationality for r in china.stranded} == {"CHN"}
    assert {r.destination for r in china.forecast.rows} == {"CHN"}
    assert {r.destination for r in china.funding or []} <= {"CHN"}
    assert sum(f.residents for f in china.facilities) == 3  # Chinese nationals only, in any facility

    staff = repatriation_dashboard(_actor(world, "shelter.staff"), today=dated)
    assert [f.name for f in staff.facilities] == ["Mae Sot Shelter"]
    assert {r.nationality: r.people for r in staff.stranded} == {"KEN": 2, "CHN": 1}
    assert staff.funding is None  # shelter staff do not fund returns
    assert all(not r.movements for r in staff.upcoming)  # nor see movements


@pytest.mark.django_db
def test_those_without_repatriation_view_are_refused(world, login):
    for username in ("outsider", "police.analyst", "auditor"):
        with pytest.raises(NotFound):
            repatriation_dashboard(_actor(world, username))
        assert login(username).get(reverse("web:repatriation-dashboard")).status_code == 404
    assert not AuditEvent.objects.filter(subject_type="repatriation_dashboard").exists()


@pytest.mark.django_db
def test_the_page_renders_every_section_for_the_movement_officer(world, dated, login):
    _ready(world, "cn_shelter")
    _bus(world, ["CHN"], days_ahead=2)
    response = login("iom.movement").get(reverse("web:repatriation-dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("stranded", "funding", "departures", "forecast", "facilities"):
        assert f'id="{section}"' in page
    assert reverse("web:repatriation-funding") in page and reverse("web:repatriation-plans") in page
    assert world.people["cn_shelter"].display_name not in page  # aggregates only
    # Shelter staff: no funding section, no planning link.
    page = login("shelter.staff").get(reverse("web:repatriation-dashboard")).content.decode()
    assert 'id="stranded"' in page and 'id="funding"' not in page and reverse("web:repatriation-plans") not in page


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_people(world, dated):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    iom = _actor(world, "iom.movement")
    _bus(world, ["CHN", "KEN"], days_ahead=2, capacity=5)
    _ready(world, "cn_shelter")

    def count():
        with CaptureQueriesContext(connection) as queries:
            repatriation_dashboard(iom, today=dated)
        return len(queries)

    before = count()
    for key in ("cn_camp", "ke_shelter"):
        _ready(world, key)
    assert count() == before
