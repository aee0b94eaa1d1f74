"""Plain descriptions of people to create, shared by the intake form, imports and the demo loader,
so that one bulk writer serves all of them."""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class NameDraft:
    full_name: str
    kind: str = "passport"
    language: str = ""
    script: str = ""  # detected when empty


@dataclass
class DocumentDraft:
    number: str
    doc_type: str = "passport"
    issuing_country: str = ""
    expiry: date | None = None
    custodian: str = "holder"


@dataclass
class ContactDraft:
    name: str
    relationship: str = ""
    phone: str = ""
    consent_to_contact: bool = False


@dataclass
class PlacementDraft:
    facility_id: object
    check_in: datetime
    check_out: datetime | None = None
    reason: str = ""


@dataclass
class SourceRow:
    list_ref: str
    row_ref: str
    content_hash: str


@dataclass
class PersonDraft:
    names: list[NameDraft]
    sex: str = "unknown"
    date_of_birth: date | None = None
    dob_precision: str = "unknown"
    age_estimate: int | None = None
    nationalities: list[str] = field(default_factory=list)
    languages: list[tuple[str, bool]] = field(default_factory=list)
    documents: list[DocumentDraft] = field(default_factory=list)
    contacts: list[ContactDraft] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # the person's own numbers, as written
    vulnerabilities: list[str] = field(default_factory=list)
    compound_id: object = None
    rescue_event_id: object = None
    placements: list[PlacementDraft] = field(default_factory=list)
    status: str = "held"
    source: SourceRow | None = None
