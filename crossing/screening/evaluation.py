"""From stored answers to the rule engine and back: the one path every evaluation takes.

A screening's inputs are written in the ``crossing screening assess`` record format and parsed by
the same code as the CLI, so any stored evaluation can be reproduced with the CLI.
Notes are statements, not inputs: they never reach the stored inputs.
"""

from __future__ import annotations

from analytics.screening import catalogue as catalogue_mod
from analytics.screening import engine, records


def record_of(screening) -> dict:
    """The screening's current inputs as one ScreeningRecord (id = the screening id)."""
    answers = {}
    for a in screening.answers.all().order_by("code"):
        if a.status == "unknown" and not a.provisional:
            continue  # unknown is the default; listing it changes nothing
        entry = {"status": a.status}
        if a.evidence_source:
            entry["evidence_source"] = a.evidence_source
        if a.provisional:
            entry["provisional"] = True
        answers[a.code] = entry
    participation = {}
    for p in screening.participation.all().order_by("code"):
        if p.present is False:
            continue  # a participation code missing is absent
        entry = {"present": p.present, "explained_by_coercion": p.explained_by_coercion}
        if p.evidence_source:
            entry["evidence_source"] = p.evidence_source
        participation[p.code] = entry
    return {
        "id": str(screening.pk),
        "age": screening.age,
        "age_basis": screening.age_basis,
        "possible_minor": screening.possible_minor,
        "answers": answers,
        "participation": participation,
    }


def explanation_of(record: dict, registry_version: str) -> engine.Explanation:
    """Parsed by the CLI's own parser: the same path gives the same result."""
    catalogue = catalogue_mod.load(registry_version)
    return engine.recommend(records.parse_record(record, 1, catalogue), catalogue)


def evaluate_record(record: dict, registry_version: str) -> dict:
    """The A.7.5 explanation object, with the unanswered questions that could change it."""
    return explanation_of(record, registry_version).as_dict(include_unanswered_that_matter=True)
