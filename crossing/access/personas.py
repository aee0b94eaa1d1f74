"""Demo personas: one user per role, for the synthetic scenario only (never for real data)."""

from dataclasses import dataclass

DEMO_PASSWORD = "crossing-demo-2025"  # noqa: S105  (demo-only; printed by `crossing demo logins`)


@dataclass(frozen=True)
class Persona:
    username: str
    role: str  # "" = no role at all (the outsider)
    agency: str  # a selector key resolved by the loader: kind[:COUNTRY] or "lead"
    note: str
    facility: bool = False
    team: str = ""
    staff: bool = False


PERSONAS = [
    Persona("admin", "Administrator", "lead", "administrator: users, roles, agencies (no case content)", staff=True),
    Persona("case.officer", "Border case officer", "army:THA", "registers people at the border; intake and import"),
    Persona("screening.officer", "Screening officer", "police:THA", "victim-identification interviews"),
    Persona("social.worker", "Social worker", "ngo", "residents of one shelter only; family contacts", facility=True),
    Persona("shelter.staff", "Shelter staff", "shelter_operator", "residents of one facility only; headcount", facility=True),
    Persona("embassy.china", "Embassy consular officer", "embassy:CHN", "Chinese nationals only"),
    Persona("embassy.kenya", "Embassy consular officer", "embassy:KEN", "Kenyan nationals only"),
    Persona("iom.movement", "IOM movement officer", "international_org", "returns: documents, fitness to travel"),
    Persona("police.analyst", "Police analyst", "police:THA", "people and compounds; no family or welfare data"),
    Persona("prosecutor", "Prosecutor", "prosecutor:THA", "only cases referred to the prosecutor's team", team="Referred cases"),
    Persona("supervisor", "Supervisor", "lead", "everything in cases, who viewed each record, break-glass review"),
    Persona("auditor", "Auditor", "lead", "reads and verifies the audit log; no case content"),
    Persona("denied.officer", "Border case officer", "army:THA", "a border officer on the deny list for some people"),
    Persona("outsider", "", "", "an account with no role: sees nothing"),
]
