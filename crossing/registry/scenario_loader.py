"""Loading the synthetic scenario (crossing.scenario) into the registry, with demo personas.

Everything is written through the same bulk writer as imports, in one transaction, and audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from analytics.names import search_key
from crossing.access import audit
from crossing.access.default_roles import LEAD_AGENCY
from crossing.access.events import AuditEventType
from crossing.access.models import Agency, DenyEntry, Membership, Role, Team
from crossing.access.personas import DEMO_PASSWORD, PERSONAS
from crossing.access.policy import Actor
from crossing.access.seed import seed_defaults
from crossing.core.gc_pause import paused_gc
from crossing.registry.drafts import ContactDraft, DocumentDraft, NameDraft, PersonDraft, PlacementDraft
from crossing.registry.models import (
    Compound,
    CompoundAlias,
    CompoundInfrastructure,
    Headcount,
    HoldingFacility,
    Person,
    RescueEvent,
)
from crossing.registry.services.people import person_bulk_create
from crossing.registry.stats import facility_occupancy

if TYPE_CHECKING:
    from crossing.scenario.synth import Scenario, SynthPerson

REFERRED_ROLES = {"manager_or_financier"}


def _agency_lookup(agencies: dict[str, Agency], selector: str) -> Agency | None:
    if selector == "lead":
        return Agency.objects.get(name=LEAD_AGENCY)
    kind, _, country = selector.partition(":")
    for agency in agencies.values():
        if agency.kind == kind and (not country or agency.country == country):
            return agency
    return None


def registry_size() -> int:
    """How many people are registered (the loader refuses to mix a scenario into real data)."""
    return Person.objects.count()


@transaction.atomic
def load_scenario(*, actor: Actor, scenario: Scenario, progress: Callable[[int], None] | None = None) -> dict:
    seed_defaults()
    agencies = {}
    for a in scenario.agencies:
        agencies[a.key], _ = Agency.objects.get_or_create(name=a.name, defaults={"kind": a.kind, "country": a.country})
    compounds = {}
    for c in scenario.compounds:
        compound = Compound.objects.create(name=c.name, country=c.country, latitude=c.lat, longitude=c.lon,
                                           controlling_group=c.controlling_group, estimated_headcount=c.estimated_headcount,
                                           search_key=search_key(c.name))
        CompoundAlias.objects.bulk_create(CompoundAlias(compound=compound, name=n, script=s, search_key=search_key(n))
                                          for n, s in c.aliases)
        CompoundInfrastructure.objects.bulk_create(
            CompoundInfrastructure(compound=compound, observed_on=i.observed_on, power=i.power, fuel=i.fuel,
                                   internet=i.internet, satellite_internet=i.satellite_internet, note=i.note)
            for i in c.infrastructure
        )
        compounds[c.key] = compound.pk
    facilities = {}
    for f in scenario.facilities:
        facility = HoldingFacility.objects.create(
            name=f.name, kind=f.kind, country=f.country, latitude=f.lat, longitude=f.lon, capacity_men=f.capacity_men,
            capacity_women=f.capacity_women, capacity_minors=f.capacity_minors,
            operator=agencies.get(f.operator_key) if f.operator_key else None,
        )
        facilities[f.key] = facility.pk
    events = {}
    for e in scenario.rescue_events:
        event = RescueEvent.objects.create(occurred_on=e.occurred_on, place=e.place, compound_id=compounds.get(e.compound_key),
                                           handed_over_by=e.handed_over_by, received_by=agencies.get(e.received_by_key),
                                           expected_count=e.expected_count)
        events[e.key] = event.pk

    prosecutor_agency = _agency_lookup(agencies, "prosecutor:THA")
    referred_team = Team.objects.get_or_create(agency=prosecutor_agency, name="Referred cases")[0] if prosecutor_agency else None
    owner = _agency_lookup(agencies, "army:THA") or Agency.objects.get(name=LEAD_AGENCY)

    def drafts(referred: bool):
        for p in scenario.iter_people():
            if (p.role_truth in REFERRED_ROLES) == referred:
                yield _draft(p, compounds, events, facilities)

    with paused_gc():
        person_bulk_create(actor=actor, drafts=drafts(False), owner_agency_id=owner.pk, source="scenario",
                           progress=progress)
    if referred_team is not None:
        person_bulk_create(actor=actor, drafts=drafts(True), owner_agency_id=prosecutor_agency.pk,
                           owner_team_id=referred_team.pk, source="scenario")
    personas = _personas(agencies, facilities)
    _headcounts(facilities)
    audit.record(actor, AuditEventType.SCENARIO_LOADED, subject_type="scenario",
                 extra={"seed": scenario.seed, "people": scenario.people_count})
    return {"people": Person.objects.count(), "personas": personas}


def _draft(p: SynthPerson, compounds, events, facilities) -> PersonDraft:
    return PersonDraft(
        names=[NameDraft(n.full_name, kind=n.kind, language=n.language, script=n.script) for n in p.names],
        sex=p.sex, date_of_birth=p.date_of_birth, dob_precision=p.dob_precision, age_estimate=p.age_estimate,
        nationalities=list(p.nationalities), languages=list(p.languages),
        documents=[DocumentDraft(d.number, d.doc_type, d.issuing_country, d.expiry, d.custodian) for d in p.documents],
        contacts=[ContactDraft(c.name, c.relationship, c.phone, c.consent) for c in p.contacts],
        vulnerabilities=list(p.vulnerabilities), compound_id=compounds.get(p.compound_key),
        rescue_event_id=events.get(p.rescue_event_key),
        placements=[PlacementDraft(facilities[pl.facility_key], pl.check_in, pl.check_out, pl.reason)
                    for pl in p.placements if pl.facility_key in facilities],
        status=p.status,
    )


def _personas(agencies, facilities) -> int:
    User = get_user_model()
    roles = {r.name: r for r in Role.objects.all()}
    # Facility-bound personas work where most people are held now, on the Thai side if possible.
    by_load = sorted(HoldingFacility.objects.all(), key=lambda f: -f.residents.count())
    thai_side = [f for f in by_load if f.country == "THA" and f.kind == "shelter"] or by_load
    created = 0
    demo_hash = make_password(DEMO_PASSWORD)  # hashed once: the personas share the demo password
    for persona in PERSONAS:
        user, made = User.objects.get_or_create(username=persona.username,
                                                defaults={"email": f"{persona.username}@demo.invalid"})
        if made:
            user.password = demo_hash
            user.is_staff = user.is_superuser = persona.staff
            user.save()
            created += 1
        if not persona.role or Membership.objects.filter(user=user).exists():
            continue
        agency = _agency_lookup(agencies, persona.agency)
        if agency is None:
            continue
        team = Team.objects.get_or_create(agency=agency, name=persona.team)[0] if persona.team else None
        facility = None
        if persona.facility:
            operated = [f for f in thai_side if f.operator_id == agency.pk]
            facility = (operated or thai_side)[0] if thai_side else None
        Membership.objects.create(user=user, agency=agency, role=roles[persona.role], team=team, facility=facility)
    denied = User.objects.get(username="denied.officer")
    if not DenyEntry.objects.filter(user=denied).exists():
        barred = Person.objects.filter(compound__isnull=False).order_by("compound__name", "reference")[:25]
        DenyEntry.objects.bulk_create(DenyEntry(user=denied, person=p, reason="Demo: declared family link to a compound guard")
                                      for p in barred)
    return created


def _headcounts(facilities) -> None:
    now = timezone.now()
    for index, facility in enumerate(HoldingFacility.objects.filter(pk__in=facilities.values())):
        expected = facility_occupancy(facility)
        if not sum(expected.values()):
            continue
        missing = 3 if index == 0 else 0  # one site shows a gap: possible absconding
        Headcount.objects.create(facility=facility, counted_at=now - timedelta(hours=2), men=max(0, expected["men"] - missing),
                                 women=expected["women"], minors=expected["minors"], expected_men=expected["men"],
                                 expected_women=expected["women"], expected_minors=expected["minors"],
                                 note="Morning roll-call")
