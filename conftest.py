"""Shared test fixtures: a small world with one persona per role (Healthchecks alice/bob/charlie,
Zulip iago/hamlet/othello), built through the same services as production."""

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

os.environ.setdefault("CROSSING_ENV", "test")


@dataclass
class World:
    agencies: dict = field(default_factory=dict)
    facilities: dict = field(default_factory=dict)
    compounds: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)  # key -> Person
    users: dict = field(default_factory=dict)  # username -> User


def _build_world():
    from django.contrib.auth import get_user_model

    from crossing.access.cli_actor import cli_actor
    from crossing.access.models import Agency, DenyEntry, Team
    from crossing.registry.drafts import ContactDraft, DocumentDraft, NameDraft, PersonDraft, PlacementDraft
    from crossing.registry.models import Compound, HoldingFacility, Person
    from crossing.registry.scenario_loader import _personas
    from crossing.registry.services.people import person_bulk_create

    w = World()
    for key, name, kind, country in [
        ("army", "Royal Thai Army", "army", "THA"), ("police", "Royal Thai Police", "police", "THA"),
        ("embassy_cn", "Embassy of China", "embassy", "CHN"), ("embassy_ke", "Embassy of Kenya", "embassy", "KEN"),
        ("iom", "IOM Thailand", "international_org", "THA"), ("ngo", "Friends of Migrants", "ngo", "THA"),
        ("shelter_op", "Mae Sot Shelter Operator", "shelter_operator", "THA"),
        ("prosecutor", "Office of the Attorney General", "prosecutor", "THA"),
    ]:
        w.agencies[key] = Agency.objects.create(name=name, kind=kind, country=country)
    w.facilities["shelter"] = HoldingFacility.objects.create(name="Mae Sot Shelter", kind="shelter", country="THA",
                                                             capacity_men=100, capacity_women=50, capacity_minors=20,
                                                             operator=w.agencies["shelter_op"], latitude=16.7, longitude=98.57)
    w.facilities["camp"] = HoldingFacility.objects.create(name="Phop Phra Army Camp", kind="army_camp", country="THA",
                                                          capacity_men=500, capacity_women=50, capacity_minors=10,
                                                          operator=w.agencies["army"])
    w.compounds["kk"] = Compound.objects.create(name="KK Park", country="MMR", latitude=16.6, longitude=98.5,
                                                controlling_group="BGF", search_key="kk park")
    actor = cli_actor(None)
    t0 = datetime(2025, 2, 20, 12, tzinfo=UTC)
    specs = [
        ("cn_shelter", [NameDraft("ZHANG WEI"), NameDraft("张伟", kind="native")], "CHN", "shelter", "E12345678"),
        ("cn_camp", [NameDraft("WANG XIAOMING"), NameDraft("王小明", kind="native")], "CHN", "camp", "E87654321"),
        ("ke_shelter", [NameDraft("WANJIKU MWANGI")], "KEN", "shelter", "AK1234567"),
        ("et_camp", [NameDraft("ABEBE BIKILA"), NameDraft("አበበ ቢቂላ", kind="native")], "ETH", "camp", ""),
        ("ke_denied", [NameDraft("OTIENO ODHIAMBO")], "KEN", "shelter", "AK7654321"),
    ]
    for key, names, nat, fac, passport in specs:
        draft = PersonDraft(
            names=names, sex="male", date_of_birth=date(1996, 5, 4), dob_precision="day", nationalities=[nat],
            documents=[DocumentDraft(passport, issuing_country=nat, custodian="confiscated")] if passport else [],
            contacts=[ContactDraft("Relative of " + key, "mother", "+8613800000000", True)],
            vulnerabilities=["medical"], compound_id=w.compounds["kk"].pk,
            placements=[PlacementDraft(w.facilities[fac].pk, t0, reason="handover")], status="awaiting_screening",
        )
        w.people[key] = person_bulk_create(actor=actor, drafts=[draft], owner_agency_id=w.agencies["army"].pk)[0]
    team = Team.objects.create(agency=w.agencies["prosecutor"], name="Referred cases")
    w.people["referred"] = person_bulk_create(
        actor=actor, drafts=[PersonDraft(names=[NameDraft("LI QIANG"), NameDraft("李强", kind="native")], sex="male",
                                         nationalities=["CHN"], status="held",
                                         placements=[PlacementDraft(w.facilities["camp"].pk, t0 - timedelta(days=40))])],
        owner_agency_id=w.agencies["prosecutor"].pk, owner_team_id=team.pk,
    )[0]
    agencies = {a.name: a for a in w.agencies.values()}
    _personas(agencies, {f.name: f.pk for f in w.facilities.values()})
    User = get_user_model()
    w.users = {u.username: u for u in User.objects.all()}
    DenyEntry.objects.filter(user=w.users["denied.officer"]).delete()
    DenyEntry.objects.create(user=w.users["denied.officer"], person=w.people["ke_denied"], reason="test conflict")
    for key, person in w.people.items():
        w.people[key] = Person.objects.get(pk=person.pk)
    return w


@pytest.fixture
def world(db):
    return _build_world()


@pytest.fixture
def login(client):
    """Log a test client in as a persona (2FA is verified where the role needs it)."""

    def _login(username: str):
        from django.contrib.auth import get_user_model
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return _login
