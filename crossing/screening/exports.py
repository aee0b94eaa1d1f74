"""Two screening exports (docs/screening-exports.md describes every field):

* ``htcds_records`` — one object per person, fields named after HTCDS v2.0 (prior-art 4.4) with
  local ``ext_`` extensions (forced criminality, HTCDS issue #28). Pseudonymous (Person.reference),
  no names, no document numbers, no free text (NP-8 "minimum necessary"). It carries the indicators
  found present in the interview, which are statements: it needs ``screening.export`` *and*
  ``screening_statement.view`` reaching each person, skips everyone else, and writes one
  ``SCREENING_EXPORTED`` audit event per exported person.
* ``ctdc_table`` — counts of people per combination of generalised CTDC-style variables
  (prior-art 4.3), k-anonymised with k = 11 like CTDC's public releases. It needs
  ``screening.statistics`` and writes one audit event with counts only.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from analytics.screening import catalogue as catalogue_mod
from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.models import AgencyKind, Membership
from crossing.access.policy import Actor
from crossing.core.spreadsheet_safety import neutralise_row
from crossing.registry.models import Person, PersonNationality
from crossing.screening.models import (
    AnswerStatus,
    Decision,
    ExploitationType,
    Identification,
    IndicatorAnswer,
    MdtStatus,
    Outcome,
    Screening,
    ScreeningStatus,
)

# --------------------------------------------------------------------------------------------
# Shared
# --------------------------------------------------------------------------------------------


def _reached(actor: Actor, grants: list[tuple[str, str]]) -> tuple[dict, object]:
    """Visible people that every (resource, action) grant in ``grants`` reaches and who have a
    screening decision or an MDT identification: (people by id, their ids as a query parameter).

    Each grant's scope is a filter of the same query (``policy.people_for``), so the ids stay a
    subquery whatever the scopes: no long ``IN`` list, no person-by-person check.
    """
    decided = Decision.objects.filter(screening__person=OuterRef("pk"))
    identified = Identification.objects.filter(person=OuterRef("pk"))
    found = policy.people(actor, "view").filter(Q(Exists(decided)) | Q(Exists(identified)))
    for resource, action in grants:
        found = found.filter(id__in=policy.people_for(actor, resource, action).values("id"))
    return {p.pk: p for p in found.select_related("compound")}, found.values("id")


@dataclass
class _Current:
    screening: Screening | None
    decision: Decision | None
    identification: Identification | None


def _current(people: dict, ids) -> dict:
    """Per person: the current (not superseded) screening, its newest decision, the newest MDT
    identification. People with neither a decision nor an identification are left out."""
    screenings: dict = {}
    for s in (Screening.objects.filter(person_id__in=ids).exclude(status=ScreeningStatus.SUPERSEDED)
              .select_related("agency").order_by("person_id", "-created_at")):
        screenings.setdefault(s.person_id, s)
    decisions: dict = {}
    for d in (Decision.objects.filter(screening__person_id__in=ids)
              .exclude(screening__status=ScreeningStatus.SUPERSEDED)
              .select_related("evaluation").order_by("screening_id", "-created_at")):
        decisions.setdefault(d.screening_id, d)
    identifications: dict = {}
    for i in Identification.objects.filter(person_id__in=ids).order_by("person_id", "-decided_on", "-created_at"):
        identifications.setdefault(i.person_id, i)
    out = {}
    for pid in people:
        s = screenings.get(pid)
        d = decisions.get(s.pk) if s is not None else None
        i = identifications.get(pid)
        if d is not None or i is not None:
            out[pid] = _Current(s, d, i)
    return out


def trafficking_status(current: _Current) -> str | None:
    """HTCDS ``vic_TraffickingStatus``: the MDT's identification when it has concluded, else what
    the screening outcome implies. A referral to investigation is *not* "not a victim": screening is
    not identification, and only the MDT concludes "not a victim" (spec A.7.6, NP-4)."""
    if current.identification is not None:
        if current.identification.status == MdtStatus.IDENTIFIED_VICTIM:
            return "actual"
        if current.identification.status == MdtStatus.NOT_IDENTIFIED:
            return "not a victim"
    if current.decision is not None and current.decision.outcome in (Outcome.REFER_AS_POSSIBLE_VICTIM,
                                                                    Outcome.FULL_INTERVIEW):
        return "possible"
    return None


# HTCDS vic_TraffickingStatusDecisionMakingOrg values (prior-art 4.4).
DECISION_ORG = {
    AgencyKind.POLICE: "police",
    AgencyKind.NGO: "NGO",
    AgencyKind.PROSECUTOR: "court or prosecution",
    AgencyKind.IMMIGRATION: "non-police government",
    AgencyKind.ARMY: "non-police government",
    AgencyKind.COORDINATION: "non-police government",
    AgencyKind.EMBASSY: "non-police government",
    AgencyKind.INTERNATIONAL_ORG: "other",
    AgencyKind.SHELTER_OPERATOR: "other",
}

# Our exploitation type -> (HTCDS vic_TypeOfExploitation, vic_ForcedLabourIndustry). Forced
# criminality has no HTCDS category yet (HTCDS #28): like CTDC (prior-art 4.3) it maps down to
# "other exploitation" in "illicit activities", and ext_ForcedCriminality keeps the precise code.
EXPLOITATION = {
    ExploitationType.FORCED_CRIMINALITY: ("other exploitation", "illicit activities"),
    ExploitationType.LABOUR_OTHER: ("forced labour", None),
    ExploitationType.SEXUAL: ("sexual exploitation", None),
    ExploitationType.MIXED: ("sexual and labour exploitation", None),
    ExploitationType.UNKNOWN: (None, None),
}


FORCED_CRIMINALITY_INDICATOR = "CD05"

# --------------------------------------------------------------------------------------------
# HTCDS per-person export
# --------------------------------------------------------------------------------------------


def _agencies_of(user_ids) -> dict:
    out: dict = {}
    for m in Membership.objects.filter(user_id__in=list(user_ids)).select_related("agency").order_by("created_at"):
        out.setdefault(m.user_id, m.agency)
    return out


def _present_codes(person_ids) -> dict:
    """Codes answered "present", by screening, for the decided current screenings of these people
    (an interview in progress or a decision awaiting review is not shared)."""
    out: dict = {}
    for screening_id, code in (IndicatorAnswer.objects.filter(screening__person_id__in=person_ids,
                                                              status=AnswerStatus.PRESENT,
                                                              screening__status=ScreeningStatus.DECIDED)
                               .order_by("code").values_list("screening_id", "code")):
        out.setdefault(screening_id, []).append(code)
    return out


def htcds_records(actor: Actor) -> list[dict]:
    """One HTCDS-aligned object per person the actor may export screening statements of.

    Raises NotFound when the actor holds no ``screening.export`` or no ``screening_statement.view``.
    """
    policy.require(actor, "screening", "export")
    policy.require(actor, "screening_statement", "view")
    people, ids = _reached(actor, [("screening", "export"), ("screening_statement", "view")])
    current = _current(people, ids)
    present = _present_codes(ids)
    recorders = _agencies_of(c.identification.recorded_by_id for c in current.values() if c.identification)
    nationalities: dict = {}
    for pid, country in (PersonNationality.objects.filter(person_id__in=ids)
                         .order_by("country").values_list("person_id", "country")):
        nationalities.setdefault(pid, []).append(country)
    records = []
    for pid, c in sorted(current.items(), key=lambda kv: people[kv[0]].reference):
        records.append(_htcds_record(people[pid], c, present, recorders, nationalities.get(pid, [])))
    audit.record_many(actor, [EventDraft(AuditEventType.SCREENING_EXPORTED, "screening_export", "htcds", pid,
                                         extra={"format": "htcds"}) for pid in sorted(current, key=str)])
    return records


def _htcds_record(person: Person, c: _Current, present: dict, recorders: dict, citizenship: list) -> dict:
    s, d, i = c.screening, c.decision, c.identification
    codes = present.get(s.pk, []) if s is not None else []
    catalogue = catalogue_mod.load(s.registry_version) if s is not None else None
    # In catalogue order (dimension, then code); codes a catalogue does not know are left out.
    indicators = [ind for code, ind in catalogue.indicators.items() if code in codes] if catalogue else []
    if i is not None and i.status in (MdtStatus.IDENTIFIED_VICTIM, MdtStatus.NOT_IDENTIFIED):
        body, org, status_date = "multidisciplinary_team", recorders.get(i.recorded_by_id), i.decided_on
    else:
        body, org = "screening", (s.agency if s is not None else None)
        status_date = d.created_at.date() if d is not None else None
    exploitation = s.exploitation_type if s is not None else ExploitationType.UNKNOWN
    htcds_type, industry = EXPLOITATION.get(exploitation, (None, None))
    return {
        # prs_ / cas_: the pseudonymous id only; no name, birth date or identity number (NP-8).
        "cas_CaseId": person.reference,
        "prs_Gender": person.sex,
        "prs_Citizenship": citizenship,
        "ext_AgeBroad": age_band(_age(person, s)),
        "vic_TraffickingStatus": trafficking_status(c),
        "vic_TraffickingStatusDecisionMakingOrg": DECISION_ORG.get(org.kind, "other") if org else None,
        "org_Name": org.name if org else None,
        "org_Type": org.kind if org else None,
        "ext_TraffickingStatusDecidedBy": body,
        "ext_TraffickingStatusDate": status_date.isoformat() if status_date else None,
        "vic_MethodsOfControl": sorted({name for ind in indicators for name in ind.htcds}),
        "vic_TypeOfExploitation": htcds_type,
        "vic_ForcedLabourIndustry": industry,
        "vic_LocationOfExploitation": person.compound.country if person.compound_id else None,
        # Local extensions (prior-art 4.4: "add local extensions for forced criminality").
        "ext_ForcedCriminality": forced_criminality(exploitation, codes),
        "ext_ExploitationType": exploitation,
        "ext_ScreeningDate": s.created_at.date().isoformat() if s is not None else None,
        "ext_ScreeningDecisionDate": d.created_at.date().isoformat() if d is not None else None,
        "ext_ScreeningRecommendation": d.evaluation.recommendation if d is not None else None,
        "ext_ScreeningRule": d.evaluation.rule if d is not None else None,
        "ext_ScreeningOutcome": d.outcome if d is not None else None,
        "ext_ScreeningReviewStatus": d.review_status if d is not None else None,
        "ext_MdtStatus": i.status if i is not None else None,
        "ext_IloEcIndicators": [ind.code for ind in indicators],
        "ext_Ilo11Indicators": sorted({n for ind in indicators for n in ind.ilo11}),
        "ext_RegistryVersion": s.registry_version if s is not None else None,
    }


def forced_criminality(exploitation: str, present_codes) -> bool | None:
    """True when the officer recorded forced criminality as the exploitation type or the indicator
    CD05 ("forced into illicit/criminal activities") is present; None when neither is known."""
    if exploitation == ExploitationType.FORCED_CRIMINALITY or FORCED_CRIMINALITY_INDICATOR in present_codes:
        return True
    return None if exploitation == ExploitationType.UNKNOWN else False


def htcds_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------------------------
# CTDC-style aggregate export, k-anonymised
# --------------------------------------------------------------------------------------------

# Every published combination describes at least K people (CTDC's public releases use k = 11,
# prior-art 4.3). Smaller combinations are generalised, then dropped.
K = 11
UNKNOWN = "unknown"
OTHER = "other"
# CTDC ageBroad bands: (lowest age, label); "48+" is open-ended.
AGE_BANDS = ((0, "0-8"), (9, "9-17"), (18, "18-20"), (21, "21-23"), (24, "24-26"), (27, "27-29"),
             (30, "30-38"), (39, "39-47"), (48, "48+"))
COLUMNS = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation", "typeOfExploitation",
           "screeningStatus")
AGE, CITIZENSHIP = COLUMNS.index("ageBroad"), COLUMNS.index("citizenship")


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN
    label = UNKNOWN
    for lowest, name in AGE_BANDS:
        if age >= lowest:
            label = name
    return label


def _age(person: Person, screening: Screening | None) -> int | None:
    """Age at registration: from the date of birth, else the estimate, else the screening's."""
    registered = person.created_at.date()
    if person.date_of_birth:
        born = person.date_of_birth
        return registered.year - born.year - ((registered.month, registered.day) < (born.month, born.day))
    if person.age_estimate is not None:
        return person.age_estimate
    if screening is not None and screening.age is not None:
        return screening.age
    return None


def screening_status(current: _Current) -> str:
    """The MDT's status when there is one (authoritative), else the screening outcome."""
    if current.identification is not None:
        return f"mdt:{current.identification.status}"
    if current.decision is not None:
        return f"screening:{current.decision.outcome}"
    return "not_decided"


@dataclass
class CtdcTable:
    rows: list[tuple]  # COLUMNS values + count, each count >= K
    people: int  # people considered
    suppressed: int  # people in combinations dropped at the last step
    age_generalised: int  # people whose age band was replaced by "unknown"
    citizenship_generalised: int  # people whose citizenship was replaced by "other"


def anonymise(records: Iterable[tuple], k: int = K) -> CtdcTable:
    """k-anonymise person records (tuples in COLUMNS order) into counted combinations.

    1. Count every combination.
    2. For people in a combination of fewer than k: age band -> "unknown"; count again.
    3. For people still in a combination of fewer than k: citizenship -> "other"; count again.
    4. Drop every combination still under k and report how many people that removed.
    Generalising only ever merges people into larger groups, so no published count is below k.
    """
    people = [tuple(r) for r in records]
    counts = Counter(people)
    aged = citizened = 0
    for position, value in ((AGE, UNKNOWN), (CITIZENSHIP, OTHER)):
        changed = 0
        generalised = []
        for r in people:
            if counts[r] < k and r[position] != value:
                r = (*r[:position], value, *r[position + 1:])
                changed += 1
            generalised.append(r)
        people = generalised
        counts = Counter(people)
        if position == AGE:
            aged = changed
        else:
            citizened = changed
    rows = sorted((*combination, n) for combination, n in counts.items() if n >= k)
    suppressed = sum(n for n in counts.values() if n < k)
    return CtdcTable(rows=rows, people=len(people), suppressed=suppressed, age_generalised=aged,
                     citizenship_generalised=citizened)


def _ctdc_record(person: Person, c: _Current) -> tuple:
    exploitation = c.screening.exploitation_type if c.screening is not None else ExploitationType.UNKNOWN
    return (
        str(person.created_at.year),
        person.sex or UNKNOWN,
        age_band(_age(person, c.screening)),
        person.primary_nationality or UNKNOWN,
        (person.compound.country if person.compound_id else "") or UNKNOWN,
        exploitation,
        screening_status(c),
    )


def ctdc_table(actor: Actor) -> CtdcTable:
    """Counts per combination of CTDC-style variables over the screened people the actor's
    ``screening.statistics`` grant reaches; audited once, with counts only."""
    policy.require(actor, "screening", "statistics")
    people, ids = _reached(actor, [("screening", "statistics")])
    current = _current(people, ids)
    table = anonymise(_ctdc_record(people[pid], c) for pid, c in current.items())
    audit.record(actor, AuditEventType.SCREENING_EXPORTED, subject_type="screening_statistics", subject_id="ctdc",
                 extra={"format": "ctdc", "k": K, "people": table.people, "rows": len(table.rows),
                        "suppressed": table.suppressed, "age_generalised": table.age_generalised,
                        "citizenship_generalised": table.citizenship_generalised})
    return table


def ctdc_csv(table: CtdcTable) -> str:
    """The table as CSV (formulas neutralised), with a trailer comment line on suppression."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "count"])
    for row in table.rows:
        writer.writerow(neutralise_row([str(v) for v in row]))
    out.write(f"# k={K}; people={table.people}; suppressed={table.suppressed}; "
              f"age_generalised={table.age_generalised}; citizenship_generalised={table.citizenship_generalised}\n")
    return out.getvalue()
