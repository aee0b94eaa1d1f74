"""Money for returns: pledges (per person, per seat, lump sum, conditional), cost estimates, the
funding gap per country, and who sees which country."""

from decimal import Decimal

import pytest
from django.urls import reverse

from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.repatriation import funding, services


def _actor(world, username):
    return actor_for(world.users[username])


def _open(world, *keys):
    for key in keys:
        services.open_case(actor=_actor(world, "iom.movement"), person_id=world.people[key].pk)


@pytest.mark.django_db
def test_the_gap_counts_people_cost_and_pledges_with_their_conditions(world):
    _open(world, "cn_shelter", "cn_camp", "ke_shelter")
    iom = _actor(world, "iom.movement")
    funding.set_route_cost(actor=iom, destination="CHN", per_person="300")
    funding.set_route_cost(actor=iom, destination="KEN", per_person="900")
    # Kenya: a donor pays only if someone else also pays; nobody else has yet.
    funding.record_pledge(actor=iom, funder="Donor A", funder_kind="donor", destination="KEN", basis="lump_sum",
                          amount="500", condition="co_funded")
    rows = {r.destination: r for r in funding.funding_gap(iom)}
    assert rows["CHN"].people == 2 and rows["CHN"].need == Decimal(600) and rows["CHN"].gap == Decimal(600)
    assert rows["KEN"].covered == 0 and rows["KEN"].conditional == Decimal(500) and rows["KEN"].gap == Decimal(900)
    # The embassy pledges for its own nationals only, per person with a ceiling.
    china = _actor(world, "embassy.china")
    funding.record_pledge(actor=china, funder="Government of China", funder_kind="home_government",
                          destination="CHN", basis="per_person", amount="250", max_people=1)
    with pytest.raises(NotFound):
        funding.record_pledge(actor=china, funder="x", funder_kind="donor", destination="KEN", basis="lump_sum",
                              amount="1")
    funding.record_pledge(actor=iom, funder="IOM", funder_kind="iom", destination="KEN", basis="per_person",
                          amount="400")
    rows = {r.destination: r for r in funding.funding_gap(iom)}
    assert rows["CHN"].covered == Decimal(250) and rows["CHN"].gap == Decimal(350)
    assert rows["KEN"].covered == Decimal(900) and rows["KEN"].gap == 0  # the condition is now met
    assert [r.destination for r in funding.funding_gap(china)] == ["CHN"]


@pytest.mark.django_db
def test_bad_pledges_are_refused_and_only_planners_set_costs(world):
    iom = _actor(world, "iom.movement")
    for bad in ({"amount": "-5"}, {"amount": "abc"}, {"destination": "XX"}, {"basis": "per_week"},
                {"condition": "other"}, {"funder": " "}, {"max_people": "0"}):
        args = {"funder": "Donor", "funder_kind": "donor", "destination": "KEN", "basis": "lump_sum",
                "amount": "10", **bad}
        with pytest.raises(ValidationFailed):
            funding.record_pledge(actor=iom, **args)
    with pytest.raises(NotFound):
        funding.set_route_cost(actor=_actor(world, "embassy.china"), destination="CHN", per_person="1")
    for username in ("police.analyst", "outsider", "shelter.staff", "auditor"):
        with pytest.raises(NotFound):
            funding.funding_gap(_actor(world, username))


@pytest.mark.django_db
def test_the_funding_page(login, world):
    _open(world, "ke_shelter")
    client = login("embassy.kenya")
    client.post(reverse("web:repatriation-funding"), {"kind": "pledge", "funder": "Government of Kenya",
                                                      "funder_kind": "home_government", "destination": "KEN",
                                                      "basis": "per_person", "amount": "700"})
    page = client.get(reverse("web:repatriation-funding")).content.decode()
    assert 'data-country="KEN"' in page and 'data-country="CHN"' not in page and 'id="cost-form"' not in page
    assert login("police.analyst").get(reverse("web:repatriation-funding")).status_code == 404
