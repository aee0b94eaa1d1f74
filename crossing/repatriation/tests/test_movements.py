"""Movements and the Thai side's rules: create, edit, propose (embassy), confirm, cancel, record the
departure; the crossing day within the 24-hour window; processing capacity and reserved days in
the planner; funding drawn from pledges; editing a plan before publishing."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.repatriation import planner
from analytics.repatriation import problem as problem_mod
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.repatriation import border, funding, movements, planning, pledges, services, workflow
from crossing.repatriation.models import (
    CaseTransition,
    MovementStatus,
    PlanAssignment,
    RepatriationCase,
    RepatriationPlan,
)
from crossing.repatriation.tests.test_cases import _passport_back, _walk


@pytest.fixture(autouse=True)
def _open_every_day(settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7  # tests book for tomorrow, whatever the weekday


def _actor(world, username):
    return actor_for(world.users[username])


def _at(days_ahead, hour=9):
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days_ahead), time(hour)))


def _movement(world, destinations=("CHN",), days_ahead=1, capacity=5, reference="M-1", hour=9):
    return movements.create_movement(actor=_actor(world, "iom.movement"), kind="charter", reference=reference,
                                     origin="Mae Sot", departs_at=_at(days_ahead, hour), destinations=list(destinations),
                                     capacity=capacity)


def _ready(world, key, until=workflow.FIT_TO_TRAVEL, movement=None):
    _passport_back(world.people[key])
    case = services.open_case(actor=_actor(world, "iom.movement"), person_id=world.people[key].pk)
    return _walk(world, case, until, movement=movement)


# --------------------------------------------------------------------------- the crossing window
@pytest.mark.parametrize(("hour", "window", "expected_offset"), [
    (14, 24, 0),   # leaves in the afternoon: cross the same day from 08:00
    (8, 24, 0),    # leaves as immigration opens
    (6, 24, -1),   # leaves before opening: cross the day before, 22 hours earlier
    (6, 12, None),  # the window closes before any opening: nobody can cross in time
])
def test_the_crossing_day_is_the_latest_opening_inside_the_window(settings, hour, window, expected_offset):
    settings.CROSSING_CROSSING_WINDOW_HOURS, settings.CROSSING_PROCESSING_OPENS = window, 8
    departs = timezone.make_aware(datetime(2026, 3, 10, hour))
    day = border.crossing_day(departs)
    assert day == (None if expected_offset is None else date(2026, 3, 10) + timedelta(days=expected_offset))
    if day is not None:
        opens = border.crossing_opens(departs)
        assert opens <= departs and departs - opens <= timedelta(hours=window)


@pytest.mark.django_db
def test_border_rules_override_the_weekday_default_and_are_audited(world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300, 300, 300, 300, 300, 0, 0]
    monday = date(2026, 3, 9)
    iom = _actor(world, "iom.movement")
    border.set_day(actor=iom, day=monday, capacity=120, reserved_for=["chn", " "], note="Chinese charters")
    rules = border.rules(monday, 7)
    assert rules[monday] == (120, ("CHN",)) and rules[monday + timedelta(days=1)] == (300, ())
    assert rules[monday + timedelta(days=5)] == (0, ())
    assert AuditEvent.objects.filter(event_type=AuditEventType.BORDER_RULE_CHANGED).count() == 1
    border.set_day(actor=iom, day=monday, capacity=None, reserved_for=[])  # back to the default
    assert border.rules(monday, 1)[monday] == (300, ())
    for bad in ({"capacity": "-1"}, {"capacity": "lots"}, {"reserved_for": ["China"]}):
        with pytest.raises(ValidationFailed):
            border.set_day(actor=iom, day=monday, **{"capacity": 10, **bad})
    for username in ("embassy.china", "outsider", "shelter.staff"):
        with pytest.raises((NotFound, PermissionDeniedError)):
            border.set_day(actor=_actor(world, username), day=monday, capacity=1)


@pytest.mark.django_db
def test_the_planner_keeps_to_capacity_reserved_days_and_crossing_days(world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    settings.CROSSING_PROCESSING_OPENS, settings.CROSSING_CROSSING_WINDOW_HOURS = 8, 24
    iom = _actor(world, "iom.movement")
    today = timezone.localdate()
    cn, ke = _ready(world, "cn_shelter"), _ready(world, "ke_shelter")
    early = _movement(world, ["CHN", "KEN"], days_ahead=2, hour=6, reference="EARLY")  # crosses the day before
    border.set_day(actor=iom, day=today + timedelta(days=1), capacity=300, reserved_for=["CHN"])
    data, _blockers = planning.build_problem(iom, today, 7)
    [m] = data["movements"]
    assert m["id"] == str(early.pk) and m["date"] == (today + timedelta(days=1)).isoformat()
    assert m["destinations"] == ["CHN"]  # the crossing day is reserved for Chinese nationals
    plan = planning.make_plan(actor=iom, start=today, horizon_days=7)
    assert {a.case_id for a in plan.assignments.all()} == {cn.pk}
    assert ke.pk not in {a.case_id for a in plan.assignments.all()}
    border.set_day(actor=iom, day=today + timedelta(days=1), capacity=0, reserved_for=[])
    data, _blockers = planning.build_problem(iom, today, 7)
    assert data["daily_capacity"][(today + timedelta(days=1)).isoformat()] == 0


# --------------------------------------------------------------------------- movements
@pytest.mark.django_db
def test_an_embassy_proposes_a_movement_for_its_nationals_and_an_officer_confirms_it(world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    china = _actor(world, "embassy.china")
    proposed = movements.create_movement(actor=china, kind="charter", reference="CN-PROPOSED", origin="Mae Sot",
                                         departs_at=_at(3, 14), destinations=["CHN"], capacity=100)
    assert proposed.status == MovementStatus.PROPOSED
    _ready(world, "cn_shelter")
    iom = _actor(world, "iom.movement")
    assert planning.build_problem(iom, timezone.localdate(), 7)[0]["movements"] == []  # not until confirmed
    with pytest.raises((NotFound, PermissionDeniedError)):
        movements.confirm_movement(actor=china, movement_id=proposed.pk)
    movements.confirm_movement(actor=iom, movement_id=proposed.pk)
    assert [m["id"] for m in planning.build_problem(iom, timezone.localdate(), 7)[0]["movements"]] == [str(proposed.pk)]
    with pytest.raises((NotFound, PermissionDeniedError)):
        movements.update_movement(actor=china, movement_id=proposed.pk, capacity=5)


@pytest.mark.django_db
def test_editing_a_movement_cannot_strand_the_people_booked_on_it(world):
    movement = _movement(world, ["CHN", "KEN"], capacity=3)
    _ready(world, "cn_shelter", until=workflow.BOOKED, movement=movement)
    _ready(world, "cn_camp", until=workflow.BOOKED, movement=movement)
    iom = _actor(world, "iom.movement")
    with pytest.raises(ValidationFailed, match="2 people are booked"):
        movements.update_movement(actor=iom, movement_id=movement.pk, capacity=1)
    with pytest.raises(ValidationFailed, match="CHN"):
        movements.update_movement(actor=iom, movement_id=movement.pk, destinations=["KEN"])
    for bad in ({"reference": ""}, {"kind": "boat"}, {"destinations": ["Kenya"]}, {"cost": "-3"},
                {"departs_at": "tomorrow"}):
        with pytest.raises(ValidationFailed):
            movements.update_movement(actor=iom, movement_id=movement.pk, **bad)
    updated = movements.update_movement(actor=iom, movement_id=movement.pk, capacity=2, destinations=["CHN"],
                                        carrier="Synthetic Air")
    assert (updated.capacity, updated.destinations, updated.carrier) == (2, ["CHN"], "Synthetic Air")
    assert AuditEvent.objects.filter(event_type=AuditEventType.MOVEMENT_CHANGED, subject_id=str(movement.pk),
                                     extra__changed=["capacity", "carrier", "destinations"]).exists()


@pytest.mark.django_db
def test_cancelling_a_movement_frees_its_seats_and_keeps_the_wait(world):
    movement = _movement(world, ["CHN"])
    case = _ready(world, "cn_shelter", until=workflow.BOOKED, movement=movement)
    ready_since = RepatriationCase.objects.get(pk=case.pk).ready_since
    iom = _actor(world, "iom.movement")
    with pytest.raises(ValidationFailed):
        movements.cancel_movement(actor=iom, movement_id=movement.pk, reason=" ")
    assert movements.cancel_movement(actor=iom, movement_id=movement.pk, reason="carrier withdrew") == 1
    case.refresh_from_db()
    assert (case.state, case.movement_id, case.ready_since) == (workflow.FIT_TO_TRAVEL, None, ready_since)
    assert CaseTransition.objects.filter(case=case, from_state="booked", to_state="fit_to_travel").exists()
    with pytest.raises(ValidationFailed):
        movements.update_movement(actor=iom, movement_id=movement.pk, capacity=9)


@pytest.mark.django_db
def test_recording_a_departure_moves_who_boarded_and_returns_the_others(world):
    movement = _movement(world, ["CHN"])
    boarded = _ready(world, "cn_shelter", until=workflow.BOOKED, movement=movement)
    missed = _ready(world, "cn_camp", until=workflow.BOOKED, movement=movement)
    other = _ready(world, "ke_shelter")
    iom = _actor(world, "iom.movement")
    with pytest.raises(ValidationFailed):  # someone not booked on it cannot board it
        movements.record_departure(actor=iom, movement_id=movement.pk, boarded=[boarded.pk, other.pk])
    assert RepatriationCase.objects.get(pk=boarded.pk).state == workflow.BOOKED  # nothing was saved
    services.place_hold(actor=iom, case_id=boarded.pk, reason="medical")
    with pytest.raises(ValidationFailed):  # a hold stops departure; all or nothing
        movements.record_departure(actor=iom, movement_id=movement.pk, boarded=[boarded.pk])
    assert RepatriationCase.objects.get(pk=missed.pk).state == workflow.BOOKED
    services.lift_hold(actor=iom, hold_id=boarded.holds.get().pk, note="cleared by the doctor")
    assert movements.record_departure(actor=iom, movement_id=movement.pk, boarded=[str(boarded.pk)]) == (1, 1)
    assert RepatriationCase.objects.get(pk=boarded.pk).state == workflow.DEPARTED
    assert RepatriationCase.objects.get(pk=missed.pk).state == workflow.FIT_TO_TRAVEL
    # Who left is checked out of the shelter (occupancy and the expected headcount follow).
    left = boarded.person
    left.refresh_from_db()
    assert (left.current_facility_id, left.status) == (None, "repatriated")
    assert not left.placements.filter(check_out__isnull=True).exists()
    assert world.people["cn_camp"].placements.filter(check_out__isnull=True).exists()
    movement.refresh_from_db()
    assert movement.status == MovementStatus.DEPARTED


# --------------------------------------------------------------------------- pledges
@pytest.mark.django_db
def test_funded_draws_on_a_pledge_with_its_ceiling_and_conditions(world):
    iom = _actor(world, "iom.movement")
    cases = []
    for key in ("cn_shelter", "cn_camp"):
        _passport_back(world.people[key])
        cases.append(_walk(world, services.open_case(actor=iom, person_id=world.people[key].pk), workflow.EXIT_CLEARED))
    with pytest.raises(ValidationFailed) as nothing:
        services.advance(actor=iom, case_id=cases[0].pk, to_state=workflow.FUNDED, reason="x")
    assert "not_funded" in nothing.value.extra["problems"]
    donor = funding.record_pledge(actor=iom, funder="Donor (synthetic)", funder_kind="donor", destination="CHN",
                                  basis="per_person", amount=250, max_people=1, condition="co_funded")
    with pytest.raises(ValidationFailed, match="another funder"):
        services.advance(actor=iom, case_id=cases[0].pk, to_state=workflow.FUNDED, reason="x", pledge_id=donor.pk)
    kenya = funding.record_pledge(actor=iom, funder="Kenya (synthetic)", funder_kind="home_government",
                                  destination="KEN", basis="lump_sum", amount=1000)
    with pytest.raises(ValidationFailed, match="another country"):
        services.advance(actor=iom, case_id=cases[0].pk, to_state=workflow.FUNDED, reason="x", pledge_id=kenya.pk)
    china = funding.record_pledge(actor=iom, funder="China (synthetic)", funder_kind="home_government",
                                  destination="CHN", basis="per_person", amount=250, max_people=5)
    assert [p for p, _left in pledges.usable("CHN")] == [donor, china]
    case = services.advance(actor=iom, case_id=cases[0].pk, to_state=workflow.FUNDED, reason="x", pledge_id=donor.pk)
    assert (case.pledge_id, case.funder) == (donor.pk, "Donor (synthetic)")
    with pytest.raises(ValidationFailed, match="used up"):
        services.advance(actor=iom, case_id=cases[1].pk, to_state=workflow.FUNDED, reason="x", pledge_id=donor.pk)
    services.advance(actor=iom, case_id=case.pk, to_state=workflow.WITHDRAWN, reason="changed their mind")
    assert RepatriationCase.objects.get(pk=case.pk).pledge_id is None  # the money goes back to the pool
    services.advance(actor=iom, case_id=cases[1].pk, to_state=workflow.FUNDED, reason="x", pledge_id=donor.pk)


@pytest.mark.django_db
def test_the_funding_gap_counts_what_pledges_have_left(world):
    iom = _actor(world, "iom.movement")
    funding.set_route_cost(actor=iom, destination="CHN", per_person=100)
    lump = funding.record_pledge(actor=iom, funder="China (synthetic)", funder_kind="home_government",
                                 destination="CHN", basis="lump_sum", amount=250)
    for key in ("cn_shelter", "cn_camp"):
        services.open_case(actor=iom, person_id=world.people[key].pk)
    [row] = [r for r in funding.funding_gap(iom) if r.destination == "CHN"]
    assert (row.people, row.need, row.covered, row.gap) == (2, 200, 250, 0)
    assert pledges.room(lump, 0, funding.RouteCost.objects.get(destination="CHN")) == 2
    case = _ready(world, "cn_shelter", until=workflow.EXIT_CLEARED)
    services.advance(actor=iom, case_id=case.pk, to_state=workflow.FUNDED, reason="x", pledge_id=lump.pk)
    [row] = [r for r in funding.funding_gap(iom) if r.destination == "CHN"]
    assert (row.people, row.need, row.covered, row.gap) == (1, 100, 150, 0)


# --------------------------------------------------------------------------- editing a plan
@pytest.mark.django_db
def test_an_officer_moves_a_family_to_another_movement_within_the_rules(world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    iom = _actor(world, "iom.movement")
    a, b = _ready(world, "cn_shelter"), _ready(world, "cn_camp")
    RepatriationCase.objects.filter(pk__in=[a.pk, b.pk]).update(travel_group="family-1")
    first = _movement(world, ["CHN"], days_ahead=1, capacity=2, reference="FIRST")
    later = _movement(world, ["CHN"], days_ahead=3, capacity=2, reference="LATER")
    small = _movement(world, ["CHN"], days_ahead=2, capacity=1, reference="SMALL")
    plan = planning.make_plan(actor=iom, start=timezone.localdate(), horizon_days=7)
    assert set(plan.assignments.values_list("movement_id", flat=True)) == {first.pk}
    with pytest.raises(ValidationFailed, match="seats"):  # the family does not fit
        planning.move_assignment(actor=iom, plan_id=plan.pk, case_id=a.pk, movement_id=small.pk)
    assert planning.move_assignment(actor=iom, plan_id=plan.pk, case_id=a.pk, movement_id=later.pk) == 2
    assert set(plan.assignments.values_list("movement_id", flat=True)) == {later.pk}
    parsed = problem_mod.parse(plan.problem)
    assert planning.current_objective(plan) == planner.objective(parsed, {str(a.pk): str(later.pk),
                                                                          str(b.pk): str(later.pk)})
    assert planning.current_objective(plan) > plan.objective
    planning.remove_assignment(actor=iom, plan_id=plan.pk, case_id=b.pk)  # the group comes out together
    assert PlanAssignment.objects.filter(plan=plan, removed=True).count() == 2
    with pytest.raises(ValidationFailed):
        planning.move_assignment(actor=iom, plan_id=plan.pk, case_id=a.pk, movement_id="not-a-movement")
    planning.publish(actor=iom, plan_id=plan.pk)
    with pytest.raises(ValidationFailed):
        planning.move_assignment(actor=iom, plan_id=plan.pk, case_id=a.pk, movement_id=first.pk)
    with pytest.raises((NotFound, PermissionDeniedError)):
        planning.move_assignment(actor=_actor(world, "embassy.china"), plan_id=plan.pk, case_id=a.pk,
                                 movement_id=first.pk)


# --------------------------------------------------------------------------- the browser
@pytest.mark.django_db
def test_movement_pages_for_each_persona(login, world, settings):
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    movement = _movement(world, ["CHN"], days_ahead=2)
    case = _ready(world, "cn_shelter", until=workflow.BOOKED, movement=movement)
    client = login("iom.movement")
    page = client.get(reverse("web:movement-list")).content.decode()
    assert "M-1" in page and "1 / 5" in page
    page = client.get(reverse("web:movement-detail", args=[movement.pk])).content.decode()
    assert "ZHANG WEI" in page and 'id="record-departure"' in page and 'id="crossing"' in page
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPATRIATION_VIEWED, person_id=case.person_id,
                                     subject_type="movement").exists()
    response = client.post(reverse("web:movement-create"), {
        "kind": "bus", "reference": "BUS-9", "origin": "Mae Sot", "departs_at": _at(4).strftime("%Y-%m-%dT%H:%M"),
        "destinations": "vnm, lao", "capacity": "40", "currency": "USD"})
    assert response.status_code == 302
    response = client.post(reverse("web:movement-create"), {
        "kind": "bus", "reference": "BUS-9", "origin": "Mae Sot", "departs_at": _at(4).strftime("%Y-%m-%dT%H:%M"),
        "destinations": "VNM", "capacity": "40", "currency": "USD"}, follow=True)
    assert "reference: required and unique" in response.content.decode()
    response = client.post(reverse("web:border-rules"), {"day": timezone.localdate().isoformat(), "capacity": "50",
                                                         "reserved_for": "CHN"}, follow=True)
    assert "Border rule saved" in response.content.decode()
    # The embassy sees movements but no passengers, and proposes one for its nationals.
    embassy = login("embassy.china")
    page = embassy.get(reverse("web:movement-detail", args=[movement.pk])).content.decode()
    assert "ZHANG WEI" not in page and 'id="passengers"' not in page
    response = embassy.post(reverse("web:movement-create"), {
        "kind": "charter", "reference": "CN-9", "origin": "Mae Sot", "departs_at": _at(5).strftime("%Y-%m-%dT%H:%M"),
        "destinations": "CHN", "capacity": "100", "currency": "USD"})
    assert response.status_code == 302
    assert embassy.get(reverse("web:movement-edit", args=[movement.pk])).status_code in (403, 404)
    assert embassy.post(reverse("web:movement-status", args=[movement.pk]), {"action": "cancel",
                                                                            "reason": "x"}).status_code in (403, 404)
    outsider = login("outsider")
    for url in (reverse("web:movement-list"), reverse("web:movement-detail", args=[movement.pk]),
                reverse("web:movement-create"), reverse("web:border-rules")):
        assert outsider.get(url).status_code in (403, 404)
    shelter = login("shelter.staff")
    assert shelter.get(reverse("web:movement-list")).status_code in (403, 404)


@pytest.mark.django_db
def test_pledges_are_confirmed_or_declined_by_those_who_fund_their_country(world, login):
    iom = _actor(world, "iom.movement")
    china_pledge = funding.record_pledge(actor=iom, funder="China (synthetic)", funder_kind="home_government",
                                        destination="CHN", basis="per_person", amount=250, max_people=3)
    kenya_pledge = funding.record_pledge(actor=iom, funder="Kenya (synthetic)", funder_kind="home_government",
                                        destination="KEN", basis="per_person", amount=900)
    embassy = _actor(world, "embassy.china")
    funding.set_pledge_status(actor=embassy, pledge_id=china_pledge.pk, status="confirmed")
    with pytest.raises(NotFound):  # another country's pledge
        funding.set_pledge_status(actor=embassy, pledge_id=kenya_pledge.pk, status="declined")
    with pytest.raises(ValidationFailed):
        funding.set_pledge_status(actor=embassy, pledge_id=china_pledge.pk, status="maybe")
    case = _ready(world, "cn_shelter", until=workflow.EXIT_CLEARED)
    services.advance(actor=iom, case_id=case.pk, to_state=workflow.FUNDED, reason="x", pledge_id=china_pledge.pk)
    with pytest.raises(ValidationFailed, match="1 returns"):
        funding.set_pledge_status(actor=iom, pledge_id=china_pledge.pk, status="declined")
    [row] = funding.pledge_rows(embassy)
    assert (row.pledge, row.drawn, row.left) == (china_pledge, 1, 2)
    for username in ("outsider", "shelter.staff", "police.analyst"):
        with pytest.raises((NotFound, PermissionDeniedError)):
            funding.set_pledge_status(actor=_actor(world, username), pledge_id=china_pledge.pk, status="declined")
    page = login("embassy.china").get(reverse("web:repatriation-funding")).content.decode()
    assert "China (synthetic)" in page and "Kenya (synthetic)" not in page


@pytest.mark.django_db
def test_arrival_and_hand_over_are_recorded_for_who_left(world, login):
    movement = _movement(world, ["CHN"])
    a = _ready(world, "cn_shelter", until=workflow.BOOKED, movement=movement)
    b = _ready(world, "cn_camp", until=workflow.BOOKED, movement=movement)
    RepatriationCase.objects.filter(pk=b.pk).update(receiving_agency="Child welfare office (synthetic)")
    iom = _actor(world, "iom.movement")
    with pytest.raises(ValidationFailed, match="departure first"):
        movements.record_arrival(actor=iom, movement_id=movement.pk, arrived=[a.pk], receiving_agency="IOM")
    movements.record_departure(actor=iom, movement_id=movement.pk, boarded=[a.pk, b.pk])
    for bad in ({"arrived": [a.pk], "receiving_agency": " "}, {"arrived": [], "receiving_agency": "IOM"},
                {"arrived": [a.pk, world.people["ke_shelter"].pk], "receiving_agency": "IOM"}):
        with pytest.raises(ValidationFailed):
            movements.record_arrival(actor=iom, movement_id=movement.pk, **bad)
    assert not RepatriationCase.objects.filter(state=workflow.ARRIVED).exists()
    with pytest.raises((NotFound, PermissionDeniedError)):
        movements.record_arrival(actor=_actor(world, "embassy.china"), movement_id=movement.pk, arrived=[a.pk],
                                 receiving_agency="Embassy")
    client = login("iom.movement")
    page = client.get(reverse("web:movement-detail", args=[movement.pk])).content.decode()
    assert 'id="arrival-form"' in page
    client.post(reverse("web:movement-status", args=[movement.pk]), {
        "action": "arrived", "arrived": [str(a.pk), str(b.pk)], "receiving_agency": "IOM reception (synthetic)"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, a.receiving_agency) == (workflow.ARRIVED, "IOM reception (synthetic)")
    assert (b.state, b.receiving_agency) == (workflow.ARRIVED, "Child welfare office (synthetic)")  # kept


@pytest.mark.django_db
def test_section_figures_follow_the_sections_grant_not_the_wider_person_grant(world):
    from crossing.access.models import Grant, Membership, Role
    from crossing.access.policy import people_for
    from crossing.repatriation import dashboard

    for key in ("cn_shelter", "ke_shelter"):
        services.open_case(actor=_actor(world, "iom.movement"), person_id=world.people[key].pk)
    role = Role.objects.create(name="Regional desk (test)")
    for resource, action, scope in [("person", "view", "all"), ("repatriation", "view", "nationality")]:
        Grant.objects.create(role=role, resource=resource, action=action, scope=scope)
    user = world.users["outsider"]
    Membership.objects.create(user=user, agency=world.agencies["prosecutor"], role=role, nationality="KEN")
    actor = actor_for(type(user).objects.get(pk=user.pk))
    assert world.people["cn_shelter"] in set(people_for(actor, "person", "view"))
    reached = set(people_for(actor, "repatriation", "view"))
    assert world.people["ke_shelter"] in reached and world.people["cn_shelter"] not in reached
    assert {r.nationality for r in dashboard.repatriation_dashboard(actor).stranded} == {"KEN"}
    assert not people_for(actor, "repatriation", "plan").exists()


# --------------------------------------------------------------------------- the second reading's cases
@pytest.mark.django_db
def test_only_a_movement_officer_records_departure_and_arrival(world, login):
    movement = _movement(world, ["CHN"])
    case = _ready(world, "cn_shelter", until=workflow.BOOKED, movement=movement)
    for username in ("embassy.china", "social.worker", "iom.movement"):
        with pytest.raises((ValidationFailed, NotFound, PermissionDeniedError)):
            services.advance(actor=_actor(world, username), case_id=case.pk, to_state=workflow.DEPARTED, reason="x")
    with pytest.raises((NotFound, PermissionDeniedError)):
        services.depart(actor=_actor(world, "embassy.china"), case_id=case.pk, reason="x")
    case.refresh_from_db()
    case.person.refresh_from_db()
    assert case.state == workflow.BOOKED and case.person.current_facility_id is not None
    page = login("embassy.china").get(reverse("web:person-detail", args=[case.person_id])).content.decode()
    assert 'id="movement-step"' in page and 'value="departed"' not in page


@pytest.mark.django_db
def test_nobody_is_booked_on_a_proposed_movement(world):
    proposal = movements.create_movement(actor=_actor(world, "embassy.china"), kind="charter", reference="CN-P",
                                         origin="Mae Sot", departs_at=_at(2, 14), destinations=["CHN"], capacity=50)
    case = _ready(world, "cn_shelter")
    for username in ("embassy.china", "iom.movement"):
        with pytest.raises(ValidationFailed, match="no more bookings"):
            services.advance(actor=_actor(world, username), case_id=case.pk, to_state=workflow.BOOKED,
                             movement_id=proposal.pk, reason="x")


@pytest.mark.django_db
def test_a_custom_nominate_grant_only_proposes(world):
    from crossing.access.models import Grant, Membership, Role

    role = Role.objects.create(name="Charter desk (test)")
    Grant.objects.create(role=role, resource="movement", action="nominate", scope="all")
    Grant.objects.create(role=role, resource="movement", action="view", scope="all")
    user = world.users["outsider"]
    Membership.objects.create(user=user, agency=world.agencies["prosecutor"], role=role)
    made = movements.create_movement(actor=actor_for(type(user).objects.get(pk=user.pk)), kind="bus",
                                     reference="BUS-P", origin="Mae Sot", departs_at=_at(2), destinations=["VNM"],
                                     capacity=40)
    assert made.status == MovementStatus.PROPOSED


@pytest.mark.django_db
def test_the_border_rules_hold_for_every_booking_not_only_for_plans(world, settings):
    iom = _actor(world, "iom.movement")
    tomorrow = timezone.localdate() + timedelta(days=1)
    movement = _movement(world, ["CHN", "KEN"], days_ahead=1, hour=14)
    cn, ke = _ready(world, "cn_shelter"), _ready(world, "ke_shelter")
    border.set_day(actor=iom, day=tomorrow, capacity=1, reserved_for=["CHN"])
    with pytest.raises(ValidationFailed, match="reserved"):
        services.advance(actor=iom, case_id=ke.pk, to_state=workflow.BOOKED, movement_id=movement.pk, reason="x")
    services.advance(actor=iom, case_id=cn.pk, to_state=workflow.BOOKED, movement_id=movement.pk, reason="x")
    other = _ready(world, "cn_camp")
    with pytest.raises(ValidationFailed, match="processes 1 people"):
        services.advance(actor=iom, case_id=other.pk, to_state=workflow.BOOKED, movement_id=movement.pk, reason="x")
    # Moving the booked movement to a closed day, or closing the day under it, is refused.
    border.set_day(actor=iom, day=tomorrow + timedelta(days=1), capacity=0)
    with pytest.raises(ValidationFailed, match="departs_at"):
        movements.update_movement(actor=iom, movement_id=movement.pk, departs_at=_at(2, 14))
    for change in ({"capacity": 0}, {"capacity": 5, "reserved_for": ["KEN"]}):
        with pytest.raises(ValidationFailed):
            border.set_day(actor=iom, day=tomorrow, **{"reserved_for": [], **change})
    settings.CROSSING_CROSSING_WINDOW_HOURS = 2  # a 06:00 departure: the window opens at 04:00, no processing
    with pytest.raises(ValidationFailed, match="crossing window"):
        movements.update_movement(actor=iom, movement_id=movement.pk, departs_at=_at(1, 6))


@pytest.mark.django_db
def test_two_draft_plans_cannot_together_exceed_a_days_capacity(world):
    iom = _actor(world, "iom.movement")
    today = timezone.localdate()
    border.set_day(actor=iom, day=today + timedelta(days=1), capacity=1)
    _movement(world, ["CHN"], days_ahead=1, hour=14, reference="A")
    _ready(world, "cn_shelter")
    first = planning.make_plan(actor=iom, start=today, horizon_days=3)
    _ready(world, "cn_camp")
    second = planning.make_plan(actor=iom, start=today, horizon_days=3)
    assert planning.publish(actor=iom, plan_id=first.pk) == 1
    with pytest.raises(ValidationFailed, match="processes 1 people"):
        planning.publish(actor=iom, plan_id=second.pk)
    assert RepatriationPlan.objects.get(pk=second.pk).status == "draft"
    assert RepatriationCase.objects.filter(state=workflow.BOOKED).count() == 1


@pytest.mark.django_db
def test_a_plan_cannot_move_people_to_a_cancelled_movement(world):
    iom = _actor(world, "iom.movement")
    case = _ready(world, "cn_shelter")
    _movement(world, ["CHN"], days_ahead=1, reference="FIRST")
    later = _movement(world, ["CHN"], days_ahead=3, reference="LATER")
    plan = planning.make_plan(actor=iom, start=timezone.localdate(), horizon_days=7)
    movements.cancel_movement(actor=iom, movement_id=later.pk, reason="carrier withdrew")
    with pytest.raises(ValidationFailed):
        planning.move_assignment(actor=iom, plan_id=plan.pk, case_id=case.pk, movement_id=later.pk)
    planning.remove_assignment(actor=iom, plan_id=plan.pk, case_id=case.pk)
    assert AuditEvent.objects.filter(event_type=AuditEventType.MOVEMENT_CHANGED, subject_id=str(plan.pk),
                                     person_id=case.person_id, extra__removed=True).exists()


@pytest.mark.django_db
def test_refusals_of_movements_border_rules_pledges_and_plans_are_audited(world):
    iom = _actor(world, "iom.movement")
    movement = _movement(world, ["CHN"])
    pledge = funding.record_pledge(actor=iom, funder="Kenya (synthetic)", funder_kind="home_government",
                                   destination="KEN", basis="per_person", amount=900)
    plan = planning.make_plan(actor=iom, start=timezone.localdate(), horizon_days=3)
    china = _actor(world, "embassy.china")
    attempts = [
        lambda: movements.cancel_movement(actor=china, movement_id=movement.pk, reason="x"),
        lambda: border.set_day(actor=china, day=timezone.localdate(), capacity=1),
        lambda: funding.set_pledge_status(actor=china, pledge_id=pledge.pk, status="declined"),
        lambda: planning.publish(actor=china, plan_id=plan.pk),
    ]
    for attempt in attempts:
        with pytest.raises((NotFound, PermissionDeniedError)):
            attempt()
    denied = set(AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username="embassy.china")
                 .values_list("subject_type", flat=True))
    assert denied == {"movement", "processing_day", "pledge", "repatriation_plan"}


@pytest.mark.django_db
def test_a_passenger_out_of_reach_stops_the_departure_with_a_clear_message(world):
    from crossing.access.models import DenyEntry

    movement = _movement(world, ["KEN"])
    _ready(world, "ke_shelter", until=workflow.BOOKED, movement=movement)
    _ready(world, "ke_denied", until=workflow.BOOKED, movement=movement)
    DenyEntry.objects.create(user=world.users["iom.movement"], person=world.people["ke_denied"], reason="conflict")
    iom = _actor(world, "iom.movement")
    for attempt in (lambda: movements.record_departure(actor=iom, movement_id=movement.pk, boarded=[]),
                    lambda: movements.cancel_movement(actor=iom, movement_id=movement.pk, reason="x")):
        with pytest.raises(ValidationFailed, match="1 passengers"):
            attempt()
    assert RepatriationCase.objects.filter(movement=movement, state=workflow.BOOKED).count() == 2
