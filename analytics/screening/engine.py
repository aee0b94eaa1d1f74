"""Screening rule engine: the ILO/EC Delphi combination rule plus the project rules R1-R6.

Pure and deterministic; no Django, no I/O. Specification: docs screening-spec.md, sections A.2.2
(combination rule), A.4.3 (participation indicators), A.5.2 (non-punishment), A.7.2-A.7.9.

Deliberately, the input type carries **no nationality or other demographic field** (A.7.1, A.7.2):
nationality is recorded on the screening record for consular referral and language only and never
reaches this module. Age is an input solely for the child rule R1 (A.7.7).

The output is a *recommendation with an explanation* for a named human to confirm or override
(A.7.6); it is never an identification.

Deviation from the literal text of A.7.4, R5 (documented, see ``_r5_suspect``): R5 additionally
requires that no dimension would be positive if every unknown answer were present. Without this,
invariant A.7.9.2 (iii) fails: e.g. DR01+DR02 present with PL01 explained "no" gives R6, but turning
DR02 into "unknown" would give ``suspect``.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

ENGINE_VERSION = "screening-rules/1.0"

STATUSES = ("present", "absent", "unknown")
EVIDENCE_SOURCES = ("self_report", "document", "witness", "observation", "device")
COERCION_VALUES = ("yes", "no", "unknown")
AGE_BASES = ("document", "claimed", "assessed", "unknown")

RECRUITMENT_DIMENSIONS = ("DR", "CR", "VR")
DESTINATION_DIMENSIONS = ("CD", "VD")
DIMENSION_ORDER = ("DR", "CR", "VR", "EX", "CD", "VD")

# R3: participation codes that block presumed_victim whatever explained_by_coercion says (A.4.3).
ALWAYS_BLOCKING = frozenset({"PL03", "PL04"})
# R1: present codes that make a minor a presumed victim (besides any EX code).
MINOR_VICTIM_CODES = frozenset({"CD05", "CD06"})

PRESUMED_VICTIM = "presumed_victim"
NEEDS_FULL_INTERVIEW = "needs_full_interview"
SUSPECT = "suspect"

# Notes (A.7.5). The first five are the mandatory generators; the last implements NP-9 (A.5.2).
NOTE_DESTINATION_ONLY = "destination_only_coercion"
NOTE_SINGLE_STRONG = "single_strong_insufficient"
NOTE_PROVISIONAL = "provisional_interpretation"
NOTE_CONSENT = "consent_irrelevant"
NOTE_MINOR = "minor_presumption"
NOTE_SUSPECT_QUALIFIED = "suspect_not_a_finding_of_guilt"
SUSPECT_QUALIFICATION = (
    "No trafficking indicator was found on the questions answered; the person retains all "
    "procedural rights; this is not a finding of guilt."
)


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One indicator answer. The default, and the status of every code not answered, is unknown."""

    status: str = "unknown"
    evidence_source: str | None = None
    note: str = ""
    provisional: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Answer.status must be one of {STATUSES}, got {self.status!r}")
        if self.evidence_source is not None and self.evidence_source not in EVIDENCE_SOURCES:
            raise ValueError(f"Answer.evidence_source must be one of {EVIDENCE_SOURCES} or None")


@dataclass(frozen=True)
class Participation:
    """One participation (PV/PL) answer; ``present`` None means unknown."""

    present: bool | None
    explained_by_coercion: str = "unknown"
    note: str = ""
    evidence_source: str | None = None

    def __post_init__(self) -> None:
        if self.present not in (True, False, None):
            raise ValueError("Participation.present must be True, False or None")
        if self.explained_by_coercion not in COERCION_VALUES:
            raise ValueError(f"explained_by_coercion must be one of {COERCION_VALUES}")
        if self.evidence_source is not None and self.evidence_source not in EVIDENCE_SOURCES:
            raise ValueError(f"Participation.evidence_source must be one of {EVIDENCE_SOURCES} or None")


@dataclass(frozen=True)
class ScreeningInput:
    """Everything the rules may look at. There is intentionally no nationality/demographic field."""

    answers: Mapping[str, Answer] = field(default_factory=dict)
    participation: Mapping[str, Participation] = field(default_factory=dict)
    age: int | None = None
    age_basis: str = "unknown"
    possible_minor: bool = False

    def __post_init__(self) -> None:
        # Defensive read-only copies: the result must not change if the caller mutates its dicts.
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))
        object.__setattr__(self, "participation", MappingProxyType(dict(self.participation)))
        for code, answer in self.answers.items():
            if not isinstance(answer, Answer):
                raise TypeError(f"answers[{code!r}] must be an Answer")
        for code, part in self.participation.items():
            if not isinstance(part, Participation):
                raise TypeError(f"participation[{code!r}] must be a Participation")
        if self.age is not None and (isinstance(self.age, bool) or not isinstance(self.age, int) or self.age < 0):
            raise ValueError("age must be a non-negative int or None")
        if self.age_basis not in AGE_BASES:
            raise ValueError(f"age_basis must be one of {AGE_BASES}")

    @property
    def age_unknown(self) -> bool:
        return self.age is None or self.age_basis == "unknown"

    @property
    def is_minor(self) -> bool:
        """R1 / A.7.7: age < 18 on any basis, or age unknown and the officer ticked possible minor."""
        return (self.age is not None and self.age < 18) or (self.age_unknown and self.possible_minor)


# --------------------------------------------------------------------------------------------
# Delphi rule (A.2.2) - the only part taken from the ILO/EC source
# --------------------------------------------------------------------------------------------


class DimensionVerdict(NamedTuple):
    positive: bool
    clause: str | None  # "a".."d" as lettered in A.2.2, None when not positive


def clause_for_counts(strong: int, medium: int, weak: int) -> str | None:
    """The first clause of A.2.2 (in the order a, b, c, d) that holds, or None.

    (a) S >= 2; (b) S >= 1 and M + W >= 1; (c) M >= 3; (d) M >= 2 and W >= 1.
    """
    if strong >= 2:
        return "a"
    if strong >= 1 and medium + weak >= 1:
        return "b"
    if medium >= 3:
        return "c"
    if medium >= 2 and weak >= 1:
        return "d"
    return None


def _counts(codes: Iterable[str], dimension: str, catalogue: Any) -> dict[str, int]:
    counts = {"strong": 0, "medium": 0, "weak": 0}
    for code in set(codes):
        ind = catalogue.indicators.get(code)
        if ind is not None and ind.dimension == dimension:
            counts[ind.strength] += 1
    return counts


def dimension_positive(present: Iterable[str], dimension: str, catalogue: Any) -> DimensionVerdict:
    """Is ``dimension`` positive given the set of present codes? Returns (positive, clause)."""
    c = _counts(present, dimension, catalogue)
    clause = clause_for_counts(c["strong"], c["medium"], c["weak"])
    return DimensionVerdict(clause is not None, clause)


def _dimension_codes(catalogue: Any) -> tuple[str, ...]:
    return tuple(catalogue.dimensions)


def delphi(present: Iterable[str], catalogue: Any) -> tuple[bool, dict[str, bool]]:
    """A.2.2 step 2: (DR or CR or VR) and EX and (CD or VD). Returns (victim, {dimension: positive})."""
    present = frozenset(present)
    p = {d: dimension_positive(present, d, catalogue).positive for d in _dimension_codes(catalogue)}
    victim = (
        any(p.get(d, False) for d in RECRUITMENT_DIMENSIONS)
        and p.get("EX", False)
        and any(p.get(d, False) for d in DESTINATION_DIMENSIONS)
    )
    return victim, p


# --------------------------------------------------------------------------------------------
# Explanation (A.7.5)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionResult:
    code: str
    dimension: str  # the catalogue's name, e.g. "deceptive_recruitment"
    positive: bool
    clause: str | None
    counts: Mapping[str, int]
    present: tuple[str, ...]
    unknown: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "positive": self.positive,
            "clause": self.clause,
            "counts": {"strong": self.counts["strong"], "medium": self.counts["medium"], "weak": self.counts["weak"]},
            "present": list(self.present),
            "unknown": list(self.unknown),
        }


@dataclass(frozen=True)
class ParticipationResult:
    code: str
    kind: str  # "PV" or "PL"
    explained_by_coercion: str
    blocking: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "explained_by_coercion": self.explained_by_coercion,
            "blocking": self.blocking,
        }


@dataclass(frozen=True)
class Explanation:
    engine_version: str
    registry_version: str
    dimensions: tuple[DimensionResult, ...]  # all six, in catalogue order
    delphi_victim: bool
    delphi_victim_if_unknowns_present: bool
    ilo11_present: tuple[int, ...]
    participation: tuple[ParticipationResult, ...]
    blocking_participation: tuple[str, ...]
    rule: str
    recommendation: str
    non_punishment_hold: bool
    notes: tuple[str, ...]
    human_decision_required: bool
    unanswered_that_matter: tuple[str, ...]  # A.7.8; not part of the A.7.5 JSON unless asked for

    @property
    def positive_dimensions(self) -> frozenset[str]:
        return frozenset(d.code for d in self.dimensions if d.positive)

    def dimension(self, code: str) -> DimensionResult:
        for d in self.dimensions:
            if d.code == code:
                return d
        raise KeyError(code)

    def as_dict(self, *, include_unanswered_that_matter: bool = False) -> dict[str, Any]:
        """The A.7.5 JSON shape. Dimensions with nothing present and nothing unknown (i.e. fully
        answered "no") are omitted, as in the A.7.5 example."""
        out: dict[str, Any] = {
            "engine_version": self.engine_version,
            "registry_version": self.registry_version,
            "dimensions": [d.as_dict() for d in self.dimensions if d.present or d.unknown],
            "delphi_victim": self.delphi_victim,
            "delphi_victim_if_unknowns_present": self.delphi_victim_if_unknowns_present,
            "ilo11_present": list(self.ilo11_present),
            "participation": [p.as_dict() for p in self.participation],
            "blocking_participation": list(self.blocking_participation),
            "rule": self.rule,
            "recommendation": self.recommendation,
            "non_punishment_hold": self.non_punishment_hold,
            "notes": list(self.notes),
            "human_decision_required": self.human_decision_required,
        }
        if include_unanswered_that_matter:
            out["unanswered_that_matter"] = list(self.unanswered_that_matter)
        return out


# --------------------------------------------------------------------------------------------
# recommend (A.7.4)
# --------------------------------------------------------------------------------------------


def _validate(inp: ScreeningInput, catalogue: Any) -> None:
    if inp.answers.keys() <= catalogue.indicators.keys() and inp.participation.keys() <= catalogue.participation.keys():
        return  # the common case, without building sets
    unknown_codes = sorted(set(inp.answers) - set(catalogue.indicators))
    if unknown_codes:
        raise ValueError(f"answers contain codes not in registry {catalogue.version}: {unknown_codes}")
    unknown_parts = sorted(set(inp.participation) - set(catalogue.participation))
    if unknown_parts:
        raise ValueError(f"participation contains codes not in registry {catalogue.version}: {unknown_parts}")


_STRENGTH_INDEX = {"strong": 0, "medium": 1, "weak": 2}


@functools.lru_cache(maxsize=4096)
def _pivotal(have: tuple[int, int, int], avail: tuple[int, int, int], strength: int) -> bool:
    """A.7.8: is an unknown code pivotal in some completion of its dimension's unknowns, i.e. is there
    a set U of unknowns containing it with present+U positive but present+U-{code} not? On counts:
    ``have`` = present (strong, medium, weak) of the dimension,
    ``avail`` = its unknowns (including the code itself), ``strength`` = the code's (0, 1, 2).
    The answer depends on nothing else, so it is cached."""
    if clause_for_counts(*have) is not None:
        return False
    rest = list(avail)
    rest[strength] -= 1  # the code itself is added explicitly below
    for s, m, w in itertools.product(range(rest[0] + 1), range(rest[1] + 1), range(rest[2] + 1)):
        base = [have[0] + s, have[1] + m, have[2] + w]
        without = clause_for_counts(*base)
        base[strength] += 1
        if without is None and clause_for_counts(*base) is not None:
            return True
    return False


def _r5_suspect(p: Mapping[str, bool], p_max: Mapping[str, bool], cr_or_cd_not_absent: bool,
                parts: Mapping[str, Participation]) -> bool:
    """R5 of A.7.4 (its caller has ruled out V and V_max), plus one guard (marked below) needed for
    invariant A.7.9.2 (iii)."""
    if cr_or_cd_not_absent:  # a coercion or deception indicator answered present, or still unknown
        return False
    if any(p.values()):
        return False
    # GUARD (not in the literal A.7.4 text): no dimension may be positive with the unknowns assumed
    # present either. Otherwise a present answer turned unknown could unlock "suspect" (A.7.9.2 iii).
    if any(p_max.values()):
        return False
    not_explained = {code for code, part in parts.items() if part.explained_by_coercion == "no"}
    if any(code.startswith("PL") for code in not_explained):
        return True
    return "PV01" in not_explained and len(not_explained & {"PV02", "PV03", "PV04"}) >= 2


class _Tables(NamedTuple):
    """Per-catalogue lookup tables for ``recommend``, built once per catalogue object."""

    indicators: Any  # the catalogue's mapping, to notice a catalogue whose contents were replaced
    codes: tuple[tuple[str, str, int], ...]  # (code, dimension, strength 0/1/2), in catalogue order
    dimensions: tuple[tuple[str, str], ...]  # (code, name), in catalogue order
    dimension_set: frozenset[str]
    ilo11: Mapping[str, tuple[int, ...]]
    part_order: Mapping[str, int]


_TABLES: dict[int, tuple[Any, _Tables]] = {}
_TABLES_MAX = 16


def _tables(catalogue: Any) -> _Tables:
    # Keyed by id(); the entry keeps the catalogue alive, so the id cannot be reused while cached.
    hit = _TABLES.get(id(catalogue))
    if hit is not None and hit[0] is catalogue and hit[1].indicators is catalogue.indicators \
            and len(hit[1].codes) == len(catalogue.indicators):
        return hit[1]
    tables = _Tables(
        indicators=catalogue.indicators,
        codes=tuple((c, ind.dimension, _STRENGTH_INDEX[ind.strength]) for c, ind in catalogue.indicators.items()),
        dimensions=tuple(catalogue.dimensions.items()),
        dimension_set=frozenset(catalogue.dimensions),
        ilo11={c: tuple(ind.ilo11) for c, ind in catalogue.indicators.items()},
        part_order={code: i for i, code in enumerate(catalogue.participation)},
    )
    if len(_TABLES) >= _TABLES_MAX:
        _TABLES.pop(next(iter(_TABLES)))
    _TABLES[id(catalogue)] = (catalogue, tables)
    return tables


def _clause(c: list[int]) -> str | None:
    return clause_for_counts(c[0], c[1], c[2])


_NO_ANSWER = Answer()


def _built(cls: type, fields: dict[str, Any]) -> Any:
    """An instance of the frozen result dataclass ``cls`` (which has no ``__post_init__``) with
    ``fields`` set, without the per-field ``object.__setattr__`` of the generated ``__init__``
    (``recommend`` builds seven of them per call). Equal to ``cls(**fields)``."""
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


def recommend(inp: ScreeningInput, catalogue: Any) -> Explanation:
    """Apply R1..R6 (A.7.4) in order, first match wins, and explain the result (A.7.5).

    Implementation note: one pass over the catalogue's codes (in catalogue order, which is also the
    order of every code list in the explanation) with per-catalogue tables built once; it computes
    exactly what ``delphi``/``dimension_positive`` compute, per dimension and strength."""
    _validate(inp, catalogue)
    t = _tables(catalogue)
    answers = inp.answers

    present_by: dict[str, list[str]] = {}
    unknown_by: dict[str, list[str]] = {}
    have: dict[str, list[int]] = {}
    avail: dict[str, list[int]] = {}
    unknown_codes: list[tuple[str, str, int]] = []
    for d in t.dimension_set:
        present_by[d], unknown_by[d], have[d], avail[d] = [], [], [0, 0, 0], [0, 0, 0]
    get = answers.get
    for entry in t.codes:
        code, d, strength = entry
        status = get(code, _NO_ANSWER).status
        if status == "present":
            present_by[d].append(code)
            have[d][strength] += 1
        elif status == "unknown":
            unknown_by[d].append(code)
            avail[d][strength] += 1
            unknown_codes.append(entry)

    clauses = {d: _clause(have[d]) for d, _name in t.dimensions}
    p = {d: c is not None for d, c in clauses.items()}
    p_max = {
        d: clause_for_counts(have[d][0] + avail[d][0], have[d][1] + avail[d][1], have[d][2] + avail[d][2])
        is not None
        for d, _name in t.dimensions
    }
    v = (
        any(p.get(d, False) for d in RECRUITMENT_DIMENSIONS)
        and p.get("EX", False)
        and any(p.get(d, False) for d in DESTINATION_DIMENSIONS)
    )
    v_max = (
        any(p_max.get(d, False) for d in RECRUITMENT_DIMENSIONS)
        and p_max.get("EX", False)
        and any(p_max.get(d, False) for d in DESTINATION_DIMENSIONS)
    )

    part_order = t.part_order
    parts = {code: part for code, part in inp.participation.items() if part.present is True}
    part_results = tuple(
        ParticipationResult(
            code=code,
            kind=catalogue.participation[code].kind,
            explained_by_coercion=parts[code].explained_by_coercion,
            blocking=parts[code].explained_by_coercion != "yes" or code in ALWAYS_BLOCKING,
        )
        for code in sorted(parts, key=lambda c: (part_order[c], c))
    )
    blocking = tuple(r.code for r in part_results if r.blocking)

    # --- R1..R6, first match wins -------------------------------------------------------------
    if inp.is_minor:
        rule = "R1"
        ex_present = bool(present_by.get("EX"))
        minor_codes = any(c in MINOR_VICTIM_CODES for ps in present_by.values() for c in ps)
        recommendation = PRESUMED_VICTIM if ex_present or minor_codes else NEEDS_FULL_INTERVIEW
    elif v and not blocking:
        rule, recommendation = "R2", PRESUMED_VICTIM
    elif v:
        rule, recommendation = "R3", NEEDS_FULL_INTERVIEW
    elif v_max:
        rule, recommendation = "R4", NEEDS_FULL_INTERVIEW
    elif _r5_suspect(p, p_max, any(present_by.get(d) or unknown_by.get(d) for d in ("CR", "CD")), parts):
        rule, recommendation = "R5", SUSPECT
    else:
        rule, recommendation = "R6", NEEDS_FULL_INTERVIEW

    # --- explanation --------------------------------------------------------------------------
    dims = []
    single_strong = False
    for d, name in t.dimensions:
        s, m, w = have[d]
        if s == 1 and m == 0 and w == 0:
            single_strong = True
        clause = clauses[d]
        dims.append(
            _built(
                DimensionResult,
                {
                    "code": d,
                    "dimension": name,
                    "positive": clause is not None,
                    "clause": clause,
                    "counts": MappingProxyType({"strong": s, "medium": m, "weak": w}),
                    "present": tuple(present_by[d]),
                    "unknown": tuple(unknown_by[d]),
                },
            )
        )

    ilo11_map = t.ilo11
    ilo11 = tuple(sorted({n for ps in present_by.values() for c in ps for n in ilo11_map[c]}))

    notes: list[str] = []
    if p.get("EX") and any(p.get(d) for d in DESTINATION_DIMENSIONS) and not any(
        p.get(d) for d in RECRUITMENT_DIMENSIONS
    ):
        notes.append(NOTE_DESTINATION_ONLY)
    if single_strong:
        notes.append(NOTE_SINGLE_STRONG)
    if any(a.provisional for a in answers.values()):
        notes.append(NOTE_PROVISIONAL)
    if "PV01" in parts and v:
        notes.append(NOTE_CONSENT)
    if rule == "R1" and (inp.age is None or inp.age_basis in ("claimed", "unknown")):
        notes.append(NOTE_MINOR)
    if recommendation == SUSPECT:
        notes.append(NOTE_SUSPECT_QUALIFIED)

    pivotal: dict[tuple[str, int], bool] = {}
    unanswered_codes = []
    for code, d, strength in unknown_codes:
        key = (d, strength)
        hit = pivotal.get(key)
        if hit is None:
            hit = pivotal[key] = clauses.get(d) is None and _pivotal(tuple(have[d]), tuple(avail[d]), strength)
        if hit:
            unanswered_codes.append(code)
    unanswered = tuple(unanswered_codes)

    return _built(
        Explanation,
        {
            "engine_version": ENGINE_VERSION,
            "registry_version": catalogue.version,
            "dimensions": tuple(dims),
            "delphi_victim": v,
            "delphi_victim_if_unknowns_present": v_max,
            "ilo11_present": ilo11,
            "participation": part_results,
            "blocking_participation": blocking,
            "rule": rule,
            "recommendation": recommendation,
            # NP-3: presumed_victim, and needs_full_interview while pending, carry the hold.
            "non_punishment_hold": recommendation in (PRESUMED_VICTIM, NEEDS_FULL_INTERVIEW),
            "notes": tuple(notes),
            "human_decision_required": True,
            "unanswered_that_matter": unanswered,
        },
    )
