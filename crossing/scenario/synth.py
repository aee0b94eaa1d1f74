"""Deterministic synthetic scenario of the Feb-Mar 2025 Myawaddy crackdown.

    >>> from crossing.scenario.synth import generate
    >>> sc = generate(people=7000, seed=7)
    >>> for person in sc.iter_people(): ...

Calibrated on section 10 (and sections 1-6) of ``/work/shared/reference/scenario-facts.md``;
numbers and their source tags live in :mod:`crossing.scenario.params`.  Day 0 is the
2025-02-05 power/fuel/internet cut [S50][S51]; ``as_of`` is 2025-03-20, between the Indian
(10-11 Mar) and Philippine (24-26 Mar) airlifts [S20][S32].

Everything is derived from ``seed``: the world (compounds, facilities, events) from
``random.Random(seed)`` and each person from an RNG seeded with ``(seed, key)``, so
``iter_people()`` streams in constant memory and yields identical people on every call.
The people are synthetic: names are random combinations of common names.

Standard library only; this module must not import Django.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from random import Random

from . import params as P
from .model import (
    SynthAgency,
    SynthCompound,
    SynthContact,
    SynthDocument,
    SynthFacility,
    SynthInfra,
    SynthName,
    SynthPerson,
    SynthPlacement,
    SynthRescueEvent,
)
from .people import Plan, build_person
from .world import EventPlan, _apportion, build_agencies, build_compounds, build_events, build_facilities

__all__ = [
    "Scenario",
    "generate",
    "SynthAgency",
    "SynthInfra",
    "SynthCompound",
    "SynthFacility",
    "SynthRescueEvent",
    "SynthName",
    "SynthDocument",
    "SynthContact",
    "SynthPlacement",
    "SynthPerson",
]


@dataclass
class Scenario:
    seed: int
    people_count: int
    as_of: date
    agencies: list[SynthAgency]
    compounds: list[SynthCompound]
    facilities: list[SynthFacility]
    rescue_events: list[SynthRescueEvent]

    def __post_init__(self) -> None:
        # generate() attaches the exact plan; a hand-built Scenario gets one derived from the
        # events (people apportioned to events by expected_count).
        self._plan: Plan | None = None

    def _get_plan(self) -> Plan:
        if self._plan is None:
            counts = _apportion(self.people_count, [e.expected_count for e in self.rescue_events])
            names = {c.key: c.name for c in self.compounds}
            by_key = {c.key: c for c in self.compounds}
            from .world import armed_group_site

            plans = []
            for e, n in zip(self.rescue_events, counts, strict=True):
                pool = (
                    "bgf"
                    if "BGF" in e.handed_over_by
                    else ("dkba1" if e.occurred_on <= P.FIRST_RELEASE else "dkba")
                )
                site = armed_group_site(by_key[e.compound_key]) if e.compound_key in by_key else "bgf-site-1"
                plans.append(EventPlan(e, pool, n, site, names.get(e.compound_key, e.compound_key)))
            self._plan = Plan(self.seed, self.people_count, self.as_of, [p for p in plans if p.count], names)
        return self._plan

    def iter_people(self) -> Iterator[SynthPerson]:
        """All people, key 1..people_count, generated lazily (constant memory)."""
        plan = self._get_plan()
        for key in range(1, self.people_count + 1):
            yield build_person(plan, key)

    def person(self, key: int) -> SynthPerson:
        """Random access to one person (identical to the one yielded by iter_people)."""
        if not 1 <= key <= self.people_count:
            raise KeyError(key)
        return build_person(self._get_plan(), key)


def generate(*, people: int = 7000, seed: int = 7) -> Scenario:
    if people < 0:
        raise ValueError("people must be >= 0")
    rng = Random(seed)
    compounds = build_compounds(rng)
    facilities = build_facilities(rng)
    events = build_events(rng, people, compounds)
    nationalities = list(dict.fromkeys(list(P.BGF_LIST) + list(P.DKBA_LIST)))
    agencies = build_agencies(nationalities)
    sc = Scenario(
        seed=seed,
        people_count=people,
        as_of=P.AS_OF,
        agencies=agencies,
        compounds=compounds,
        facilities=facilities,
        rescue_events=[e.event for e in events],
    )
    sc._plan = Plan(seed, people, P.AS_OF, events, {c.key: c.name for c in compounds})
    return sc
