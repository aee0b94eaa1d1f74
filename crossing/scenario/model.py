"""Plain, frozen records produced by the synthetic scenario generator (no Django).

Datetimes are timezone-aware, Asia/Bangkok local time (UTC+7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

AGENCY_KINDS = frozenset(
    {"police", "immigration", "army", "embassy", "international_org", "ngo", "shelter_operator", "prosecutor"}
)
FACILITY_KINDS = frozenset({"army_camp", "immigration_detention", "shelter", "temporary_site"})
NAME_KINDS = frozenset({"passport", "native", "alias", "compound"})
SCRIPTS = frozenset({"Latn", "Hani", "Thai", "Mymr", "Ethi", "Deva", "Arab", "Laoo", "Khmr"})
DOC_TYPES = frozenset({"passport", "national_id", "emergency_travel_document", "other"})
CUSTODIANS = frozenset({"holder", "confiscated", "police", "embassy", "lost"})
SEXES = frozenset({"male", "female", "unknown"})
DOB_PRECISIONS = frozenset({"day", "month", "year", "unknown"})
VULNERABILITIES = frozenset({"possible_minor", "medical", "pregnancy", "disability"})
STATUSES = frozenset(
    {
        "held",
        "awaiting_screening",
        "awaiting_documents",
        "scheduled",
        "repatriated",
        "released",
        "absconded",
        "deceased",
    }
)
ROLE_TRUTHS = frozenset(
    {"deceived_or_trafficked", "knowing_worker", "team_leader_or_translator", "manager_or_financier"}
)


@dataclass(frozen=True)
class SynthAgency:
    key: str
    name: str
    kind: str  # AGENCY_KINDS
    country: str  # ISO alpha-3


@dataclass(frozen=True)
class SynthInfra:
    observed_on: date
    power: bool  # electricity available at the site (grid or generator)
    fuel: bool  # fuel supply available
    internet: bool  # terrestrial (Thai broadband / fibre) internet
    satellite_internet: bool  # Starlink-type terminals observed
    note: str


@dataclass(frozen=True)
class SynthCompound:
    key: str
    name: str
    aliases: tuple[tuple[str, str], ...]  # (alias, ISO 15924 script)
    lat: float
    lon: float
    country: str
    controlling_group: str  # "BGF/KNA", "DKBA", "KNU-linked", "other"
    estimated_headcount: int
    infrastructure: tuple[SynthInfra, ...]


@dataclass(frozen=True)
class SynthFacility:
    key: str
    name: str
    kind: str  # FACILITY_KINDS
    country: str
    lat: float
    lon: float
    capacity_men: int
    capacity_women: int
    capacity_minors: int
    operator_key: str  # a SynthAgency key, or "" for armed-group sites


@dataclass(frozen=True)
class SynthRescueEvent:
    key: str
    occurred_on: date
    place: str
    compound_key: str
    handed_over_by: str
    received_by_key: str
    expected_count: int


@dataclass(frozen=True)
class SynthName:
    full_name: str
    script: str
    language: str
    kind: str


@dataclass(frozen=True)
class SynthDocument:
    doc_type: str
    number: str
    issuing_country: str
    expiry: date | None
    custodian: str


@dataclass(frozen=True)
class SynthContact:
    name: str
    relationship: str
    phone: str
    consent: bool


@dataclass(frozen=True)
class SynthPlacement:
    facility_key: str
    check_in: datetime
    check_out: datetime | None
    reason: str


@dataclass(frozen=True)
class SynthPerson:
    key: int
    names: tuple[SynthName, ...]
    sex: str
    date_of_birth: date | None
    dob_precision: str
    age_estimate: int | None
    nationalities: tuple[str, ...]
    languages: tuple[tuple[str, bool], ...]  # (ISO 639 code, interpreter_needed)
    documents: tuple[SynthDocument, ...]
    contacts: tuple[SynthContact, ...]
    vulnerabilities: tuple[str, ...]
    compound_key: str
    rescue_event_key: str
    placements: tuple[SynthPlacement, ...]
    status: str
    role_truth: str
