"""The repatriation case through the services, as each persona: every gate in order, holds,
withdrawal, minors, travel documents issued in bulk by the person's own embassy only, bookings."""

from datetime import UTC, date, datetime, timedelta

import pytest

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.registry.models import IdentityDocument, Person
from crossing.repatriation import funding, movements, services, workflow
from crossing.repatriation.models import CaseTransition, Pledge, RepatriationCase


def _actor(world, username):
    return actor_for(world.users[username])


def _movement(world, destinations=("CHN",), capacity=2, reference="CHARTER-1"):
    return movements.create_movement(actor=_actor(world, "iom.movement"), kind="charter", reference=reference,
                                    origin="Mae Sot", departs_at=datetime(2025, 3, 20, 9, tzinfo=UTC),
                                    destinations=list(destinations), capacity=capacity, carrier="Synthetic Air")


def _pledge(world, destination):
    """A pledge without a ceiling for ``destination`` (made once)."""
    found = Pledge.objects.filter(destination=destination, funder="Synthetic home government").first()
    return found or funding.record_pledge(actor=_actor(world, "iom.movement"), funder="Synthetic home government",
                                          funder_kind="home_government", destination=destination,
                                          basis="per_person", amount=300)


def _walk(world, case, until, *, username="iom.movement", movement=None):
    """Advance ``case`` gate by gate up to ``until``, supplying what each gate needs."""
    actor = _actor(world, username)
    case = RepatriationCase.objects.get(pk=case.pk)
    extra = {
        workflow.RISK_ASSESSED: {"risk_level": "low"},
        workflow.FUNDED: lambda: {"pledge_id": _pledge(world, case.destination).pk},
        workflow.BOOKED: {"movement_id": movement.pk if movement else None},
    }
    state = RepatriationCase.objects.get(pk=case.pk).state
    while state != until:
        target = workflow.next_state(state)
        needs = extra.get(target, {})
        if target == workflow.DEPARTED:  # recorded for the movement by its officer
            case = services.depart(actor=actor, case_id=case.pk, reason="left")
        elif target == workflow.ARRIVED:
            case = services.arrive(actor=actor, case_id=case.pk, reason="arrived", receiving_agency="IOM (synthetic)")
        else:
            case = services.advance(actor=actor, case_id=case.pk, to_state=target, reason=f"step to {target}",
                                    **(needs() if callable(needs) else needs))
        state = case.state
    return case


def _passport_back(person):
    IdentityDocument.objects.filter(person=person).update(custodian="holder")


@pytest.mark.django_db
def test_a_case_goes_through_every_gate_in_order_and_each_step_is_recorded(world):
    person = world.people["cn_shelter"]
    case = services.open_case(actor=_actor(world, "iom.movement"), person_id=person.pk)
    assert case.destination == "CHN" and services.open_case(actor=_actor(world, "iom.movement"),
                                                            person_id=person.pk).pk == case.pk
    iom = _actor(world, "iom.movement")
    with pytest.raises(ValidationFailed) as skipped:
        services.advance(actor=iom, case_id=case.pk, to_state=workflow.FUNDED, reason="skip ahead")
    assert "not_the_next_step" in skipped.value.extra["problems"]
    with pytest.raises(ValidationFailed):
        services.advance(actor=iom, case_id=case.pk, to_state=workflow.COUNSELLED, reason=" ")
    case = _walk(world, case, workflow.RISK_ASSESSED)
    with pytest.raises(ValidationFailed) as no_doc:  # the passport is still confiscated
        services.advance(actor=iom, case_id=case.pk, to_state=workflow.TRAVEL_DOCUMENT_READY, reason="docs")
    assert no_doc.value.extra["problems"] == ["no_travel_document"]
    _passport_back(person)
    movement = _movement(world)
    case = _walk(world, case, workflow.CLOSED, movement=movement)
    assert case.movement == movement
    steps = list(CaseTransition.objects.filter(case=case).values_list("to_state", flat=True))
    assert steps == list(workflow.PATH[1:])
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPATRIATION_ADVANCED,
                                     person_id=person.pk).count() == len(workflow.PATH) - 1


@pytest.mark.django_db
def test_a_hold_stops_every_forward_step_until_it_is_lifted(world):
    person = world.people["cn_shelter"]
    case = services.open_case(actor=_actor(world, "iom.movement"), person_id=person.pk)
    hold = services.place_hold(actor=_actor(world, "police.analyst"), case_id=case.pk, reason="witness",
                               note="needed at trial")
    with pytest.raises(ValidationFailed) as held:
        services.advance(actor=_actor(world, "iom.movement"), case_id=case.pk, to_state=workflow.COUNSELLED,
                         reason="counselled")
    assert "on_hold" in held.value.extra["problems"]
    with pytest.raises(ValidationFailed):
        services.lift_hold(actor=_actor(world, "iom.movement"), hold_id=hold.pk, note="")
    services.lift_hold(actor=_actor(world, "iom.movement"), hold_id=hold.pk, note="testimony recorded")
    _walk(world, case, workflow.COUNSELLED)


@pytest.mark.django_db
def test_the_person_may_withdraw_until_departure_and_a_booking_frees_its_seat(world):
    person = world.people["cn_shelter"]
    _passport_back(person)
    case = services.open_case(actor=_actor(world, "iom.movement"), person_id=person.pk)
    movement = _movement(world, capacity=1)
    case = _walk(world, case, workflow.BOOKED, movement=movement)
    case = services.advance(actor=_actor(world, "social.worker"), case_id=case.pk, to_state=workflow.WITHDRAWN,
                            reason="wants to stay and testify")
    assert case.movement is None and movement.cases.count() == 0
    with pytest.raises(ValidationFailed):  # reopens only with counselling
        services.advance(actor=_actor(world, "iom.movement"), case_id=case.pk, to_state=workflow.FUNDED, reason="x")
    case = services.advance(actor=_actor(world, "iom.movement"), case_id=case.pk, to_state=workflow.COUNSELLED,
                            reason="changed her mind again")
    case = _walk(world, case, workflow.DEPARTED, movement=movement)
    with pytest.raises(ValidationFailed):
        services.advance(actor=_actor(world, "iom.movement"), case_id=case.pk, to_state=workflow.WITHDRAWN,
                         reason="too late")


@pytest.mark.django_db
def test_movements_take_only_their_destinations_and_capacity(world):
    a, b = world.people["cn_shelter"], world.people["cn_camp"]
    ke = world.people["ke_shelter"]
    for p in (a, b, ke):
        _passport_back(p)
    movement = _movement(world, capacity=1)
    _walk(world, services.open_case(actor=_actor(world, "iom.movement"), person_id=a.pk), workflow.BOOKED,
          movement=movement)
    case_b = _walk(world, services.open_case(actor=_actor(world, "iom.movement"), person_id=b.pk),
                   workflow.FIT_TO_TRAVEL)
    with pytest.raises(ValidationFailed, match="full"):
        services.advance(actor=_actor(world, "iom.movement"), case_id=case_b.pk, to_state=workflow.BOOKED,
                         reason="book", movement_id=movement.pk)
    case_ke = _walk(world, services.open_case(actor=_actor(world, "iom.movement"), person_id=ke.pk),
                    workflow.FIT_TO_TRAVEL)
    with pytest.raises(ValidationFailed, match="destination"):
        services.advance(actor=_actor(world, "iom.movement"), case_id=case_ke.pk, to_state=workflow.BOOKED,
                         reason="book", movement_id=_movement(world, reference="CHARTER-2").pk)


@pytest.mark.django_db
def test_a_child_travels_only_to_a_named_receiving_agency_and_high_risk_needs_acceptance(world):
    person = world.people["cn_shelter"]
    Person.objects.filter(pk=person.pk).update(is_minor=True)
    _passport_back(person)
    iom = _actor(world, "iom.movement")
    case = services.open_case(actor=iom, person_id=person.pk)
    case = _walk(world, case, workflow.VOLUNTARINESS_CONFIRMED)
    case = services.advance(actor=iom, case_id=case.pk, to_state=workflow.RISK_ASSESSED, reason="recruiter lives "
                            "in the home village", risk_level="high")
    with pytest.raises(ValidationFailed) as risky:
        services.advance(actor=iom, case_id=case.pk, to_state=workflow.TRAVEL_DOCUMENT_READY, reason="docs")
    assert "high_risk_not_accepted" in risky.value.extra["problems"]
    case = services.advance(actor=iom, case_id=case.pk, to_state=workflow.TRAVEL_DOCUMENT_READY,
                            reason="reception NGO will shelter him", high_risk_accepted=True)
    case = _walk(world, case, workflow.FUNDED)
    with pytest.raises(ValidationFailed) as child:
        services.advance(actor=iom, case_id=case.pk, to_state=workflow.FIT_TO_TRAVEL, reason="fit")
    assert "minor_without_receiving_agency" in child.value.extra["problems"]
    services.advance(actor=iom, case_id=case.pk, to_state=workflow.FIT_TO_TRAVEL, reason="fit",
                     receiving_agency="Provincial child welfare office")


@pytest.mark.django_db
def test_embassies_issue_travel_documents_in_bulk_for_their_own_nationals_only(world):
    iom = _actor(world, "iom.movement")
    cn1 = services.open_case(actor=iom, person_id=world.people["cn_shelter"].pk)
    cn2 = services.open_case(actor=iom, person_id=world.people["cn_camp"].pk)
    ke = services.open_case(actor=iom, person_id=world.people["ke_shelter"].pk)
    requests = [services.request_travel_document(actor=iom, case_id=c.pk) for c in (cn1, cn2, ke)]
    expiry = date.today() + timedelta(days=90)
    # The Chinese embassy's batch with a Kenyan request in it is refused whole: nothing is issued.
    with pytest.raises(NotFound):
        services.decide_travel_documents(actor=_actor(world, "embassy.china"), decisions=[
            {"request": requests[0].pk, "action": "issue", "number": "ETD-1", "expiry": expiry},
            {"request": requests[2].pk, "action": "issue", "number": "ETD-2", "expiry": expiry}])
    assert not IdentityDocument.objects.filter(doc_type="emergency_travel_document").exists()
    with pytest.raises(ValidationFailed):  # bad input in the batch: nothing saved
        services.decide_travel_documents(actor=_actor(world, "embassy.china"), decisions=[
            {"request": requests[0].pk, "action": "issue", "number": "ETD-1", "expiry": expiry},
            {"request": requests[1].pk, "action": "issue", "number": "", "expiry": expiry}])
    assert not IdentityDocument.objects.filter(doc_type="emergency_travel_document").exists()
    services.decide_travel_documents(actor=_actor(world, "embassy.china"), decisions=[
        {"request": requests[0].pk, "action": "issue", "number": "ETD-1", "expiry": expiry},
        {"request": requests[1].pk, "action": "confirm_identity"}])
    assert services.has_travel_document(cn1) and not services.has_travel_document(cn2)
    for username in ("embassy.kenya", "police.analyst", "shelter.staff", "outsider"):
        with pytest.raises((NotFound, PermissionDeniedError)):
            services.decide_travel_documents(actor=_actor(world, username), decisions=[
                {"request": requests[1].pk, "action": "issue", "number": "X", "expiry": expiry}])
    services.decide_travel_documents(actor=_actor(world, "embassy.kenya"), decisions=[
        {"request": requests[2].pk, "action": "refuse", "note": "not a Kenyan citizen per records"}])


@pytest.mark.django_db
def test_who_may_do_what(world):
    person = world.people["cn_shelter"]
    for username in ("outsider", "auditor", "police.analyst", "shelter.staff", "embassy.kenya"):
        with pytest.raises((NotFound, PermissionDeniedError)):
            services.open_case(actor=_actor(world, username), person_id=person.pk)
    with pytest.raises(NotFound):  # deny list
        services.open_case(actor=_actor(world, "denied.officer"), person_id=world.people["ke_denied"].pk)
    case = services.open_case(actor=_actor(world, "embassy.china"), person_id=person.pk)
    with pytest.raises((NotFound, PermissionDeniedError)):
        services.advance(actor=_actor(world, "case.officer"), case_id=case.pk, to_state=workflow.COUNSELLED,
                         reason="x")
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username="case.officer").exists()
    for username in ("case.officer", "outsider", "police.analyst"):
        with pytest.raises(NotFound):
            movements.create_movement(actor=_actor(world, username), kind="bus", reference="B1", origin="Mae Sot",
                                      departs_at=datetime(2025, 3, 1, tzinfo=UTC), destinations=["CHN"], capacity=40)
    with pytest.raises(ValidationFailed):  # an embassy proposes movements for its own nationals only
        movements.create_movement(actor=_actor(world, "embassy.china"), kind="bus", reference="B1", origin="Mae Sot",
                                  departs_at=datetime(2025, 3, 1, tzinfo=UTC), destinations=["VNM"], capacity=40)
    with pytest.raises(ValidationFailed):
        movements.create_movement(actor=_actor(world, "iom.movement"), kind="bus", reference="B1", origin="Mae Sot",
                                 departs_at=datetime(2025, 3, 1, tzinfo=UTC), destinations=["XXX1"], capacity=40)
