"""Synthetic repatriation for the demo: cases at every gate, holds, travel-document requests waiting
for embassies, and movements over the next two weeks modelled on 2025 (Chinese charters from Mae
Sot, Indonesian charters from Bangkok, buses to Viet Nam, flights serving several African countries),
all through the services so the audit log is realistic. Synthetic data only."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from crossing.access.policy import actor_for
from crossing.registry.models import IdentityDocument, Person, PersonStatus
from crossing.repatriation import border, funding, movements, pledges, services, workflow

# (reference, kind, origin, days ahead, destinations, capacity)
_MOVEMENTS = [
    ("CN-CHARTER-1", "charter", "Mae Sot", 2, ["CHN"], 120),
    ("CN-CHARTER-2", "charter", "Mae Sot", 6, ["CHN"], 120),
    ("CN-CHARTER-3", "charter", "Mae Sot", 10, ["CHN"], 120),
    ("ID-CHARTER-1", "charter", "Bangkok (BKK)", 4, ["IDN"], 180),
    ("VN-BUS-1", "bus", "Mae Sot", 3, ["VNM", "LAO"], 45),
    ("VN-BUS-2", "bus", "Mae Sot", 9, ["VNM", "LAO"], 45),
    ("IN-MIL-1", "military", "Mae Sot", 5, ["IND"], 150),
    ("AF-FLIGHT-1", "commercial", "Bangkok (BKK)", 8, ["KEN", "ETH", "UGA", "TZA", "NGA", "GHA"], 60),
    ("PH-FLIGHT-1", "commercial", "Bangkok (BKK)", 7, ["PHL"], 80),
    ("LK-FLIGHT-1", "commercial", "Bangkok (BKK)", 11, ["LKA", "NPL", "BGD", "PAK"], 60),
]
# How far along cases are: (share, state to reach)
_SPREAD = [(0.15, workflow.COUNSELLED), (0.15, workflow.RISK_ASSESSED), (0.15, workflow.TRAVEL_DOCUMENT_READY),
           (0.15, workflow.EXIT_CLEARED), (0.40, workflow.FIT_TO_TRAVEL)]
# Some countries' returns wait for funding (2025: "some countries refuse to fly their citizens home
# unless someone else pays").
_UNFUNDED = {"UGA", "ETH", "NGA"}


def _pledge_for(iom, destination: str):
    """A pledge that can pay for one more return to ``destination``; IOM pledges per person for
    countries the demo did not give one (synthetic)."""
    found = pledges.usable(destination)
    if found:
        return found[0][0]
    return funding.record_pledge(actor=iom, funder="IOM (synthetic)", funder_kind="iom", destination=destination,
                                 basis="per_person", amount=400, note="Synthetic demo pledge.")


def load_demo_repatriation(*, count: int, seed: int = 7) -> int:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["iom.movement", "embassy.kenya"])}
    if "iom.movement" not in users:
        return 0
    iom = actor_for(users["iom.movement"])
    rng = random.Random(seed)
    today = timezone.localdate()
    for ref, kind, origin, days, destinations, capacity in _MOVEMENTS:
        when = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(9)))
        movements.create_movement(actor=iom, kind=kind, reference=ref, origin=origin, departs_at=when,
                                 destinations=destinations, capacity=capacity, carrier="Synthetic carrier")
    # The second Chinese charter's day is reserved for Chinese nationals at the border (2025: days
    # set aside for one country's returns); Kenya's embassy proposes a flight, not yet confirmed.
    border.set_day(actor=iom, day=today + timedelta(days=6), capacity=300, reserved_for=["CHN"],
                   note="Chinese charter day (synthetic)")
    if "embassy.kenya" in users:
        movements.create_movement(actor=actor_for(users["embassy.kenya"]), kind="commercial", reference="KE-PROPOSED-1",
                                  origin="Bangkok (BKK)", departs_at=timezone.make_aware(
                                      datetime.combine(today + timedelta(days=12), time(14))),
                                  destinations=["KEN"], capacity=40, carrier="Synthetic carrier")
    # Route costs (synthetic estimates) and pledges: China, Indonesia and India pay for their own
    # nationals; IOM co-funds some African returns; a donor pledges only if someone else pays.
    for country, cost in {"CHN": 250, "IDN": 320, "VNM": 90, "LAO": 70, "IND": 400, "PHL": 350, "KEN": 900,
                          "ETH": 850, "UGA": 950, "NGA": 1100, "LKA": 500, "NPL": 480, "PAK": 520}.items():
        funding.set_route_cost(actor=iom, destination=country, per_person=cost, basis="Synthetic demo estimate.")
    for funder, kind, country, basis, amount, condition in [
        ("Government of China (synthetic)", "home_government", "CHN", "lump_sum", 120000, "none"),
        ("Government of Indonesia (synthetic)", "home_government", "IDN", "per_person", 320, "none"),
        ("IOM (synthetic)", "iom", "KEN", "per_person", 450, "none"),
        ("Donor (synthetic)", "donor", "UGA", "lump_sum", 20000, "co_funded"),
    ]:
        funding.record_pledge(actor=iom, funder=funder, funder_kind=kind, destination=country, basis=basis,
                              amount=amount, condition=condition)
    people = list(Person.objects.filter(status__in=[PersonStatus.AWAITING_DOCUMENTS, PersonStatus.SCHEDULED],
                                        merged_into__isnull=True).exclude(primary_nationality="")
                  .order_by("reference")[: count * 2])
    rng.shuffle(people)
    opened = 0
    for person in people[:count]:
        target = rng.choices([s for _w, s in _SPREAD], weights=[w for w, _s in _SPREAD])[0]
        if person.primary_nationality in _UNFUNDED and target == workflow.FIT_TO_TRAVEL:
            target = workflow.EXIT_CLEARED  # waits for funding
        case = services.open_case(actor=iom, person_id=person.pk)
        opened += 1
        if rng.random() < 0.5:  # about half got their passport back from the compound
            IdentityDocument.objects.filter(person=person).update(custodian="holder")
        state = case.state
        while state != target:
            step = workflow.next_state(state)
            if step == workflow.TRAVEL_DOCUMENT_READY and not services.has_travel_document(case):
                services.request_travel_document(actor=iom, case_id=case.pk, note="Synthetic demo request.")
                break
            extra = {workflow.RISK_ASSESSED: {"risk_level": rng.choice(["low", "low", "medium"])},
                     workflow.FUNDED: {"pledge_id": _pledge_for(iom, case.destination).pk},
                     workflow.FIT_TO_TRAVEL: {"receiving_agency": "Child welfare office (synthetic)"}}
            case = services.advance(actor=iom, case_id=case.pk, to_state=step, reason="Synthetic demo step.",
                                    **extra.get(step, {}))
            state = case.state
        if rng.random() < 0.05:
            services.place_hold(actor=iom, case_id=case.pk, reason=rng.choice(["medical", "witness", "legal"]),
                                note="Synthetic demo hold.")
    return opened
