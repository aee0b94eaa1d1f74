"""Tests for the screening rule engine (screening-spec A.7.4, A.7.5, A.7.8, A.7.9).

Case fixtures use the compact convention of A.7.3. They run against the real registry
(``analytics.screening.catalogue.load()``); a stand-in built from the A.2.3 tables is used only if
that module is not importable, and the tests that need real registry data are then skipped.
"""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.screening.engine import (
    ENGINE_VERSION,
    NEEDS_FULL_INTERVIEW,
    PRESUMED_VICTIM,
    SUSPECT,
    Answer,
    Participation,
    ScreeningInput,
    clause_for_counts,
    delphi,
    dimension_positive,
    recommend,
)

# --------------------------------------------------------------------------------------------
# Catalogue: the real one, or a stand-in transcribed from screening-spec A.2.3 / A.4.3
# --------------------------------------------------------------------------------------------

_STRENGTHS = {  # A.2.3, in code order: S strong, M medium, W weak
    "DR": "SMMMMMMMMW",
    "CR": "SMMMMMMMMM",
    "VR": "MMMMMMMMMMMMWWWW",
    "EX": "SMMMMMMMW",
    "CD": "SSSSMMMMMMMMMMW",
    "VD": "MMMMMWW",
}
_NAMES = {
    "DR": "deceptive_recruitment",
    "CR": "coercive_recruitment",
    "VR": "abuse_of_vulnerability_at_recruitment",
    "EX": "exploitative_conditions_of_work",
    "CD": "coercion_at_destination",
    "VD": "abuse_of_vulnerability_at_destination",
}
_WORD = {"S": "strong", "M": "medium", "W": "weak"}


def _stand_in():
    indicators = {}
    for dim, letters in _STRENGTHS.items():
        for i, letter in enumerate(letters, start=1):
            code = f"{dim}{i:02d}"
            indicators[code] = SimpleNamespace(code=code, dimension=dim, strength=_WORD[letter], ilo11=())
    participation = {
        code: SimpleNamespace(code=code, kind=code[:2])
        for code in [f"PV0{i}" for i in range(1, 5)] + [f"PL0{i}" for i in range(1, 7)]
    }
    return SimpleNamespace(
        version="stand-in", dimensions=dict(_NAMES), indicators=indicators, participation=participation
    )


def _real():
    try:
        from analytics.screening.catalogue import load
    except ImportError:
        return None
    return load()


STAND_IN = _stand_in()
REAL = _real()
CAT = REAL if REAL is not None else STAND_IN
needs_real = pytest.mark.skipif(
    REAL is None, reason="analytics.screening.catalogue is not importable (being written concurrently)"
)
ALL_CODES = tuple(CAT.indicators)
PART_CODES = tuple(CAT.participation)


# --------------------------------------------------------------------------------------------
# Compact fixture convention (A.7.3)
# --------------------------------------------------------------------------------------------


def make_input(
    indicators=(),
    unknown_indicators=(),
    participation=None,
    *,
    age=30,
    age_basis="document",
    possible_minor=False,
    provisional=(),
    catalogue=CAT,
):
    """``indicators`` present; ``unknown_indicators`` unknown (``XX*`` = every code of dimension XX
    not listed as present); every other registry code absent. ``participation`` maps a PV/PL code
    to its explained_by_coercion value; participation codes not listed are absent."""
    present = set(indicators)
    unknown = set()
    for item in unknown_indicators:
        if item.endswith("*"):
            dim = item[:-1]
            unknown |= {c for c, ind in catalogue.indicators.items() if ind.dimension == dim}
        else:
            unknown.add(item)
    unknown -= present
    for code in present | unknown:
        assert code in catalogue.indicators, code
    answers = {}
    for code in catalogue.indicators:
        status = "present" if code in present else "unknown" if code in unknown else "absent"
        answers[code] = Answer(status=status, evidence_source="self_report", provisional=code in provisional)
    participation = participation or {}
    parts = {
        code: Participation(present=code in participation, explained_by_coercion=participation.get(code, "unknown"))
        for code in catalogue.participation
    }
    return ScreeningInput(answers, parts, age=age, age_basis=age_basis, possible_minor=possible_minor)


# --------------------------------------------------------------------------------------------
# Realistic case fixtures (A.7.9.1)
# --------------------------------------------------------------------------------------------

CASES = [
    pytest.param(
        # Lured by a Facebook ad for "customer service" in Bangkok at USD 1,500 a month; 16-hour
        # shifts unpaid; forced to run romance scams, "salary at contract end"; no local language,
        # irregular status, dependent on the company. (The A.7.5 example.)
        dict(indicators=["DR01", "DR08", "EX01", "EX04", "CD05", "CD14", "VD01", "VD02", "VD05"]),
        True, {"DR", "EX", "VD"}, "R2", PRESUMED_VICTIM, [],
        id="a75-example-deceived-it-worker",
    ),
    pytest.param(
        # Coerced team leader: deceived translator job, passport taken, beaten, made to lead a team
        # (CD07); PL02 team leader explained by coercion.
        dict(
            indicators=["DR01", "DR07", "DR08", "EX01", "EX04", "EX08", "CD01", "CD03", "CD04", "CD07"],
            participation={"PL02": "yes"},
        ),
        True, {"DR", "EX", "CD"}, "R2", PRESUMED_VICTIM, [],
        id="coerced-team-leader",
    ),
    pytest.param(
        # Same team leader, but also took a commission on others' output: PL03 always blocks.
        dict(
            indicators=["DR01", "DR07", "DR08", "EX01", "EX04", "EX08", "CD01", "CD03", "CD04", "CD07"],
            participation={"PL02": "yes", "PL03": "yes"},
        ),
        True, {"DR", "EX", "CD"}, "R3", NEEDS_FULL_INTERVIEW, [],
        id="team-leader-with-commission-blocks",
    ),
    pytest.param(
        # Sold between compounds (CR02), escorted across the river (CR05), purchase price turned into
        # debt (CD02), armed guards (CD03), beatings for missed targets (CD04, CD06, EX08).
        dict(indicators=["DR01", "DR08", "CR02", "CR05", "EX01", "EX02", "EX08", "CD02", "CD03", "CD04", "CD06"]),
        True, {"DR", "EX", "CD"}, "R2", PRESUMED_VICTIM, [],
        id="sold-between-compounds",
    ),
    pytest.param(
        # Sold between compounds after honest recruitment: the sale alone (CR02 + CR05, two mediums)
        # does not make CR positive; destination coercion only -> Delphi gap, flagged, full interview.
        dict(indicators=["CR02", "CR05", "EX01", "EX08", "CD02", "CD03", "CD04"]),
        False, {"EX", "CD"}, "R6", NEEDS_FULL_INTERVIEW, ["destination_only_coercion"],
        id="sold-after-honest-recruitment",
    ),
    pytest.param(
        # Knew it was scam work (PV01, not explained by coercion), then locked in, passport taken,
        # beaten; no recruitment deception -> the structural gap of A.2.2.
        dict(
            indicators=["EX01", "EX04", "EX08", "CD01", "CD03", "CD04", "CD05"],
            participation={"PV01": "no"},
        ),
        False, {"EX", "CD"}, "R6", NEEDS_FULL_INTERVIEW, ["destination_only_coercion"],
        id="knew-scam-work-then-held",
    ),
    pytest.param(
        # Knew it was scam work but deceived about pay and conditions, then held: V true, PV01 blocks
        # (explained "no") -> R3 with the consent-irrelevant note.
        dict(
            indicators=["DR02", "DR05", "DR08", "EX01", "EX04", "CD01", "CD03"],
            participation={"PV01": "no"},
        ),
        True, {"DR", "EX", "CD"}, "R3", NEEDS_FULL_INTERVIEW, ["consent_irrelevant"],
        id="knew-scam-deceived-on-pay",
    ),
    pytest.param(
        # Minor with a claimed age of 16; long shifts (EX01) and forced fraud (CD05); also recruited a
        # school friend (PL01 "no") - a minor is never suspect.
        dict(indicators=["EX01", "CD05"], participation={"PL01": "no"}, age=16, age_basis="claimed"),
        False, set(), "R1", PRESUMED_VICTIM, ["single_strong_insufficient", "minor_presumption"],
        id="minor-claimed-age",
    ),
    pytest.param(
        # Possible minor, age unknown, nothing recorded yet except participation -> full interview.
        dict(participation={"PL01": "no", "PL06": "no"}, age=None, age_basis="unknown", possible_minor=True),
        False, set(), "R1", NEEDS_FULL_INTERVIEW, ["minor_presumption"],
        id="possible-minor-no-indicators",
    ),
    pytest.param(
        # Documented 17-year-old with forced quotas (CD06): presumed victim, no presumption note.
        dict(indicators=["CD06"], age=17, age_basis="document"),
        False, set(), "R1", PRESUMED_VICTIM, [],
        id="documented-minor-quotas",
    ),
    pytest.param(
        # Missing data that flips the result: recruitment and exploitation established, destination
        # questions never asked (interview cut short) -> R4.
        dict(indicators=["DR01", "DR08", "EX01", "EX04"], unknown_indicators=["CD*", "VD*"]),
        False, {"DR", "EX"}, "R4", NEEDS_FULL_INTERVIEW, [],
        id="missing-destination-answers",
    ),
    pytest.param(
        # The same person once CD01 and CD03 are answered "yes".
        dict(indicators=["DR01", "DR08", "EX01", "EX04", "CD01", "CD03"], unknown_indicators=["CD*", "VD*"]),
        True, {"DR", "EX", "CD"}, "R2", PRESUMED_VICTIM, [],
        id="missing-data-answered",
    ),
    pytest.param(
        # Willing recruiter and guard: PL codes not explained by coercion, everything answered "no".
        dict(participation={"PL01": "no", "PL03": "no", "PL06": "no", "PV02": "no", "PV03": "no"}),
        False, set(), "R5", SUSPECT, ["suspect_not_a_finding_of_guilt"],
        id="willing-recruiter",
    ),
    pytest.param(
        # Same recruiter, but the coercion-at-destination questions were skipped -> never suspect.
        dict(participation={"PL01": "no", "PL03": "no", "PL06": "no"}, unknown_indicators=["CD*"]),
        False, set(), "R6", NEEDS_FULL_INTERVIEW, [],
        id="willing-recruiter-cd-unanswered",
    ),
    pytest.param(
        # Volunteer profile: PV01 + PV02 + PV03 all "no", nothing on the victim side -> suspect.
        dict(participation={"PV01": "no", "PV02": "no", "PV03": "no"}),
        False, set(), "R5", SUSPECT, ["suspect_not_a_finding_of_guilt"],
        id="volunteer-pv-profile",
    ),
    pytest.param(
        # Only PV01 + PV02: not enough for strong participation -> R6.
        dict(participation={"PV01": "no", "PV02": "no"}),
        False, set(), "R6", NEEDS_FULL_INTERVIEW, [],
        id="pv-insufficient",
    ),
    pytest.param(
        # One beating recorded and nothing else in that dimension; deceived about the job only.
        dict(indicators=["DR01", "CD04"]),
        False, set(), "R6", NEEDS_FULL_INTERVIEW, ["single_strong_insufficient"],
        id="single-strong-indicators",
    ),
    pytest.param(
        # A.7.5 case interviewed without a qualified interpreter.
        dict(
            indicators=["DR01", "DR08", "EX01", "EX04", "CD05", "CD14", "VD01", "VD02", "VD05"],
            provisional=["DR01"],
        ),
        True, {"DR", "EX", "VD"}, "R2", PRESUMED_VICTIM, ["provisional_interpretation"],
        id="provisional-interpretation",
    ),
    pytest.param(
        # Documented adult of 30 ticked "may be a minor": R1 applies only to an unknown age (A.7.4).
        dict(indicators=["EX01"], age=30, age_basis="document", possible_minor=True),
        False, set(), "R6", NEEDS_FULL_INTERVIEW, ["single_strong_insufficient"],
        id="documented-adult-possible-minor-ignored",
    ),
    pytest.param(
        # R5 guard (see engine docstring): DR01 present, DR02 unknown, willing recruiter. The literal
        # R5 would say suspect; DR could still be positive, so the engine asks for a full interview.
        dict(indicators=["DR01"], unknown_indicators=["DR02"], participation={"PL01": "no"}),
        False, set(), "R6", NEEDS_FULL_INTERVIEW, ["single_strong_insufficient"],
        id="r5-guard-unknown-could-make-dimension-positive",
    ),
]


@pytest.mark.parametrize(("fixture", "victim", "positive", "rule", "disposition", "notes"), CASES)
def test_case_fixtures(fixture, victim, positive, rule, disposition, notes):
    inp = make_input(**fixture)
    exp = recommend(inp, CAT)
    assert exp.delphi_victim is victim
    assert exp.positive_dimensions == positive
    assert {d for d in CAT.dimensions if dimension_positive(
        [c for c, a in inp.answers.items() if a.status == "present"], d, CAT).positive} == positive
    assert exp.rule == rule
    assert exp.recommendation == disposition
    assert list(exp.notes) == notes
    assert exp.non_punishment_hold is (disposition != SUSPECT)
    assert exp.human_decision_required is True


A75_JSON = """
{
  "engine_version": "screening-rules/1.0",
  "registry_version": "ilo-ec-2009-adult-labour/r1",
  "dimensions": [
    {"dimension": "deceptive_recruitment", "positive": true, "clause": "b",
     "counts": {"strong": 1, "medium": 1, "weak": 0},
     "present": ["DR01", "DR08"], "unknown": []},
    {"dimension": "exploitative_conditions_of_work", "positive": true, "clause": "b",
     "counts": {"strong": 1, "medium": 1, "weak": 0},
     "present": ["EX01", "EX04"], "unknown": []},
    {"dimension": "coercion_at_destination", "positive": false, "clause": null,
     "counts": {"strong": 0, "medium": 2, "weak": 0},
     "present": ["CD05", "CD14"], "unknown": []},
    {"dimension": "abuse_of_vulnerability_at_destination", "positive": true, "clause": "c",
     "counts": {"strong": 0, "medium": 3, "weak": 0},
     "present": ["VD01", "VD02", "VD05"], "unknown": []}
  ],
  "delphi_victim": true,
  "delphi_victim_if_unknowns_present": true,
  "ilo11_present": [1, 2, 4, 8, 11],
  "participation": [],
  "blocking_participation": [],
  "rule": "R2",
  "recommendation": "presumed_victim",
  "non_punishment_hold": true,
  "notes": [],
  "human_decision_required": true
}
"""


@needs_real
def test_a75_example_reproduces_exact_json():
    inp = make_input(["DR01", "DR08", "EX01", "EX04", "CD05", "CD14", "VD01", "VD02", "VD05"], catalogue=REAL)
    out = recommend(inp, REAL).as_dict()
    assert out == json.loads(A75_JSON)
    assert list(out) == list(json.loads(A75_JSON))  # same key order
    assert json.loads(json.dumps(out)) == out


def test_a75_shape_keys_and_extended_field():
    exp = recommend(make_input(["DR01"], ["CD*"]), CAT)
    assert list(exp.as_dict()) == list(json.loads(A75_JSON))
    extended = exp.as_dict(include_unanswered_that_matter=True)
    assert extended["unanswered_that_matter"] == list(exp.unanswered_that_matter)


@needs_real
def test_stand_in_strengths_match_registry():
    """The registry must carry the A.2.3 strengths (the stand-in transcribes them)."""
    assert list(REAL.dimensions) == list(STAND_IN.dimensions)
    assert dict(REAL.dimensions) == dict(STAND_IN.dimensions)
    assert {c: (i.dimension, i.strength) for c, i in REAL.indicators.items()} == {
        c: (i.dimension, i.strength) for c, i in STAND_IN.indicators.items()
    }
    assert {c: p.kind for c, p in REAL.participation.items()} == {
        c: p.kind for c, p in STAND_IN.participation.items()
    }


# --------------------------------------------------------------------------------------------
# Unit tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "clause"),
    [
        ((2, 0, 0), "a"), ((3, 2, 1), "a"),
        ((1, 1, 0), "b"), ((1, 0, 1), "b"),
        ((0, 3, 0), "c"), ((0, 3, 1), "c"),
        ((0, 2, 1), "d"), ((0, 2, 4), "d"),
        ((1, 0, 0), None), ((0, 2, 0), None), ((0, 1, 5), None), ((0, 0, 9), None), ((0, 0, 0), None),
    ],
)
def test_clause_letters_follow_a22(counts, clause):
    assert clause_for_counts(*counts) == clause


def test_every_code_missing_from_answers_is_unknown():
    inp = ScreeningInput(answers={"DR01": Answer("present")}, participation={}, age=40, age_basis="document",
                         possible_minor=False)
    exp = recommend(inp, CAT)
    cd = exp.dimension("CD")
    assert len(cd.unknown) == sum(1 for i in CAT.indicators.values() if i.dimension == "CD")
    assert exp.delphi_victim is False and exp.delphi_victim_if_unknowns_present is True
    assert exp.rule == "R4"
    assert Answer().status == "unknown"


def test_unanswered_that_matter():
    exp = recommend(make_input(["DR01", "DR08", "EX01", "EX04"], ["CD*", "VD06", "VR13"]), CAT)
    cd_codes = tuple(c for c, i in CAT.indicators.items() if i.dimension == "CD")
    # every CD code can complete CD; VD06 (weak) alone cannot make VD positive; VR13 (weak) alone
    # cannot make VR positive.
    assert exp.unanswered_that_matter == cd_codes
    # a weak code next to a present strong one does matter
    exp2 = recommend(make_input(["CD04"], ["CD15", "VD06"]), CAT)
    assert exp2.unanswered_that_matter == ("CD15",)


def test_unregistered_codes_rejected():
    with pytest.raises(ValueError):
        recommend(ScreeningInput({"XX01": Answer("present")}, {}, 30, "document", False), CAT)
    with pytest.raises(ValueError):
        recommend(ScreeningInput({}, {"PZ01": Participation(True, "no")}, 30, "document", False), CAT)
    with pytest.raises(ValueError):
        Answer("maybe")
    with pytest.raises(ValueError):
        Participation(True, "perhaps")


def test_delphi_structure():
    v, p = delphi({"DR01", "DR02", "EX01", "EX02", "VD01", "VD02", "VD03"}, CAT)
    assert v is True and list(p) == list(CAT.dimensions)
    assert delphi({"DR01", "DR02", "EX01", "EX02"}, CAT)[0] is False


# --------------------------------------------------------------------------------------------
# Property-based invariants (A.7.9.2)
# --------------------------------------------------------------------------------------------

_status = st.sampled_from(["absent", "absent", "absent", "present", "present", "unknown"])


@st.composite
def screening_inputs(draw, minor=None):
    answers = {}
    for code in ALL_CODES:
        if draw(st.sampled_from([True, True, True, False])):  # a code left out of answers is unknown
            s = draw(_status)
            answers[code] = Answer(s, provisional=draw(st.sampled_from([False, False, False, True])))
    parts = {}
    for code in PART_CODES:
        parts[code] = Participation(
            present=draw(st.sampled_from([True, False, False, None])),
            explained_by_coercion=draw(st.sampled_from(["yes", "no", "no", "unknown"])),
        )
    age = draw(st.one_of(st.none(), st.integers(0, 90)))
    basis = "unknown" if age is None else draw(st.sampled_from(["document", "claimed", "assessed", "unknown"]))
    inp = ScreeningInput(answers, parts, age=age, age_basis=basis, possible_minor=draw(st.booleans()))
    if minor is not None and inp.is_minor != minor:
        inp = dataclasses.replace(inp, age=15 if minor else 40, age_basis="document")
    return inp


@st.composite
def sparse_adult_inputs(draw):
    """Mostly-absent adult inputs, so that R5 (suspect) is exercised often."""
    present = draw(st.sets(st.sampled_from(ALL_CODES), max_size=4))
    unknown = draw(st.sets(st.sampled_from(ALL_CODES), max_size=3)) - present
    parts = draw(st.dictionaries(st.sampled_from(PART_CODES), st.sampled_from(["yes", "no", "no"]), max_size=4))
    return make_input(sorted(present), sorted(unknown), parts)


_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
any_input = st.one_of(screening_inputs(), sparse_adult_inputs())


@_settings
@given(screening_inputs(minor=True))
def test_i_minors_never_suspect(inp):
    assert inp.is_minor
    exp = recommend(inp, CAT)
    assert exp.rule == "R1" and exp.recommendation != SUSPECT


@_settings
@given(any_input, st.data())
def test_ii_adding_present_indicator_is_monotone(inp, data):
    before = recommend(inp, CAT)
    candidates = [c for c in ALL_CODES if inp.answers.get(c, Answer()).status != "present"]
    if not candidates:
        return
    code = data.draw(st.sampled_from(candidates))
    answers = dict(inp.answers)
    answers[code] = Answer("present")
    after = recommend(dataclasses.replace(inp, answers=answers), CAT)
    if before.recommendation != SUSPECT:
        assert after.recommendation != SUSPECT
    if before.recommendation == PRESUMED_VICTIM:
        assert after.recommendation == PRESUMED_VICTIM


@_settings
@given(any_input, st.data())
def test_iii_answer_to_unknown_never_produces_suspect(inp, data):
    before = recommend(inp, CAT)
    candidates = [c for c in ALL_CODES if inp.answers.get(c, Answer()).status != "unknown"]
    if not candidates:
        return
    code = data.draw(st.sampled_from(candidates))
    answers = dict(inp.answers)
    answers[code] = Answer("unknown")
    after = recommend(dataclasses.replace(inp, answers=answers), CAT)
    if after.recommendation == SUSPECT:
        assert before.recommendation == SUSPECT


def test_iv_input_has_no_demographic_field():
    names = {f.name for f in dataclasses.fields(ScreeningInput)}
    assert names == {"answers", "participation", "age", "age_basis", "possible_minor"}
    for forbidden in ("nationality", "ethnicity", "gender", "sex", "language", "religion", "country"):
        assert not any(forbidden in n for n in names)
        with pytest.raises(TypeError):
            ScreeningInput({}, {}, 30, "document", False, **{forbidden: "x"})


@_settings
@given(any_input, st.integers(18, 90), st.sampled_from(["document", "claimed", "assessed"]), st.booleans())
def test_iv_age_matters_only_through_r1(inp, age, basis, possible_minor):
    adult = dataclasses.replace(inp, age=age, age_basis=basis, possible_minor=possible_minor)
    other = dataclasses.replace(inp, age=40, age_basis="document", possible_minor=False)
    a, b = recommend(adult, CAT), recommend(other, CAT)
    assert a.rule != "R1"
    assert a == b
    if not inp.is_minor:
        assert recommend(inp, CAT) == b


@_settings
@given(any_input)
def test_v_deterministic(inp):
    first = recommend(inp, CAT)
    assert recommend(inp, CAT) == first
    shuffled = dataclasses.replace(
        inp,
        answers=dict(reversed(list(inp.answers.items()))),
        participation=dict(reversed(list(inp.participation.items()))),
    )
    again = recommend(shuffled, CAT)
    assert again == first
    assert json.dumps(again.as_dict(include_unanswered_that_matter=True), sort_keys=False) == json.dumps(
        first.as_dict(include_unanswered_that_matter=True), sort_keys=False
    )
    assert first.engine_version == ENGINE_VERSION and first.registry_version == CAT.version


@_settings
@given(any_input)
def test_vi_every_positive_dimension_reports_its_clause(inp):
    exp = recommend(inp, CAT)
    assert len(exp.dimensions) == len(CAT.dimensions)
    for d in exp.dimensions:
        s, m, w = d.counts["strong"], d.counts["medium"], d.counts["weak"]
        independent = s >= 2 or (s >= 1 and m + w >= 1) or m >= 3 or (m >= 2 and w >= 1)
        assert d.positive is independent
        if d.positive:
            assert d.clause in ("a", "b", "c", "d")
            assert d.clause == clause_for_counts(s, m, w)
        else:
            assert d.clause is None
    for entry in exp.as_dict()["dimensions"]:
        assert (entry["clause"] is not None) is entry["positive"]
    assert exp.positive_dimensions >= {d for d in CAT.dimensions if exp.dimension(d).positive}


# --------------------------------------------------------------------------------------------
# Sensitivity suite (A.7.9.3): low-confidence strengths switched one step, one at a time (A.2.4)
# --------------------------------------------------------------------------------------------

SENSITIVITY_SWITCHES = {
    "VR14": "medium", "VR15": "medium", "CD11": "strong", "CD15": "medium", "CR07": "strong",
    # stress tests named in A.2.4
    "EX09": "medium", "VD06": "medium", "VD07": "medium", "CD05": "strong", "CD14": "strong",
}


def _switched(code, strength):
    indicators = {
        c: SimpleNamespace(code=c, dimension=i.dimension, strength=strength if c == code else i.strength,
                           ilo11=tuple(i.ilo11))
        for c, i in CAT.indicators.items()
    }
    return SimpleNamespace(version=f"{CAT.version}+{code}={strength}", dimensions=dict(CAT.dimensions),
                           indicators=indicators, participation=dict(CAT.participation))


@pytest.mark.parametrize(("code", "strength"), sorted(SENSITIVITY_SWITCHES.items()))
def test_sensitivity_fixture_dispositions_unchanged(code, strength):
    variant = _switched(code, strength)
    changed = []
    for case in CASES:
        fixture = case.values[0]
        base = recommend(make_input(**fixture), CAT)
        alt = recommend(make_input(**fixture, catalogue=variant), variant)
        if (base.rule, base.recommendation) != (alt.rule, alt.recommendation):
            changed.append((case.id, base.rule, alt.rule))
    assert changed == []
