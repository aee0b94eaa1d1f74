"""Tests for the ScreeningRecord JSON contract (analytics/screening/records.py). No Django."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.screening import catalogue as catalogue_mod
from analytics.screening import records
from analytics.screening.engine import (
    AGE_BASES,
    COERCION_VALUES,
    EVIDENCE_SOURCES,
    STATUSES,
    Answer,
    Participation,
    ScreeningInput,
    recommend,
)
from analytics.screening.records import InputError, RecordError, parse_record, record_from_input

CAT = catalogue_mod.load()
A75_PRESENT = ["DR01", "DR08", "EX01", "EX04", "CD05", "CD14", "VD01", "VD02", "VD05"]


def a75_record(rid="a75") -> dict:
    """The A.7.5 example as a record: the nine codes present, every other code answered "no"."""
    answers = {c: {"status": "present" if c in A75_PRESENT else "absent", "evidence_source": "self_report"}
               for c in CAT.indicators}
    return {"id": rid, "age": 30, "age_basis": "document", "answers": answers}


def victim(rid) -> dict:
    return {"id": rid, "age": 30, "age_basis": "document",
            "answers": {c: {"status": "present"} for c in A75_PRESENT}}


def assess(text: str) -> list:
    return list(records.assess_text(text, CAT))


def errors_of(text: str) -> list[tuple[str, str]]:
    return [(e.record, e.field) for e in assess(text) if isinstance(e, RecordError)]


# --------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------


def test_single_object_compact_and_indented():
    for text in (json.dumps(victim("one")), json.dumps(victim("one"), indent=2), "\n\n" + json.dumps(victim("one"), indent=4)):
        [out] = assess(text)
        assert out["id"] == "one" and out["rule"] == "R2" and out["recommendation"] == "presumed_victim"


def test_array_of_objects_keeps_order():
    out = assess(json.dumps([victim("a"), {"id": "b"}, victim("c")]))
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert [o["rule"] for o in out] == ["R2", "R4", "R2"]


def test_json_lines_blank_lines_ignored():
    text = "\n" + json.dumps(victim("a")) + "\n\n   \n" + json.dumps({"id": "b"}) + "\n"
    assert [o["id"] for o in assess(text)] == ["a", "b"]


def test_json_lines_with_crlf_and_bom():
    text = "\ufeff" + json.dumps(victim("a")) + "\r\n" + json.dumps({"id": "b"}) + "\r\n"
    assert [o["id"] for o in assess(text)] == ["a", "b"]


def test_u2028_inside_a_string_does_not_split_a_line():
    rec = victim("a")
    rec["answers"]["DR01"]["note"] = "first\u2028second"
    text = json.dumps(rec, ensure_ascii=False) + "\n" + json.dumps({"id": "b"}) + "\n"
    assert [o["id"] for o in assess(text)] == ["a", "b"]


def test_empty_input_has_no_records():
    assert assess("") == [] and assess("\n \n") == []


def test_output_has_id_first_and_the_a75_fields():
    [out] = assess(json.dumps(a75_record()))
    assert list(out)[0] == "id"
    for key in ("dimensions", "delphi_victim", "rule", "recommendation", "engine_version", "registry_version",
                "notes", "participation", "blocking_participation", "non_punishment_hold", "human_decision_required"):
        assert key in out
    assert set(out["dimensions"][0]) >= {"dimension", "positive", "clause"}
    from analytics.screening.tests.test_engine import A75_JSON

    assert out == {"id": "a75", **json.loads(A75_JSON)}


def test_record_without_id_outputs_null_id():
    [out] = assess("{}")
    assert out["id"] is None and out["rule"] == "R4"


def test_integer_id_is_echoed():
    [out] = assess(json.dumps({"id": 17}))
    assert out["id"] == 17


# --------------------------------------------------------------------------------------------
# Defaults
# --------------------------------------------------------------------------------------------


def test_defaults():
    inp = parse_record({}, 1, CAT)
    assert inp == ScreeningInput()
    assert inp.age is None and inp.age_basis == "unknown" and inp.possible_minor is False
    assert dict(inp.answers) == {} and dict(inp.participation) == {}


def test_missing_code_is_unknown_and_missing_participation_is_absent():
    rec = {"answers": {"DR01": {"status": "present"}}, "participation": {}}
    exp = recommend(parse_record(rec, 1, CAT), CAT)
    assert "DR02" in exp.dimension("DR").unknown and exp.dimension("DR").present == ("DR01",)
    assert exp.participation == ()


def test_answer_and_participation_fields():
    rec = {"answers": {"DR01": {"status": "present", "evidence_source": "document", "note": "n", "provisional": True},
                       "DR02": {"status": "unknown"}},
           "participation": {"PL02": {"present": True, "explained_by_coercion": "yes", "note": "x",
                                      "evidence_source": "witness"},
                             "PV01": {"present": None}, "PL01": {"present": False}}}
    inp = parse_record(rec, 1, CAT)
    assert inp.answers["DR01"] == Answer("present", "document", "n", True)
    assert inp.answers["DR02"] == Answer("unknown")
    assert inp.participation["PL02"] == Participation(True, "yes", "x", "witness")
    assert inp.participation["PV01"] == Participation(None, "unknown")
    assert inp.participation["PL01"] == Participation(False, "unknown")
    assert "provisional_interpretation" in recommend(inp, CAT).notes


def test_a72_metadata_fields_are_accepted_and_never_reach_the_rules():
    base = victim("x")
    with_meta = {**base, "nationality": "KE", "person_ref": "p1", "raid_ref": "r", "exploitation_type": "mixed",
                 "interpreter": {"language": "sw", "qualified": True}}
    assert parse_record(with_meta, 1, CAT) == parse_record(base, 1, CAT)


# --------------------------------------------------------------------------------------------
# Errors: every kind names the record and the field
# --------------------------------------------------------------------------------------------

BAD = [
    ({"answers": {"DR99": {"status": "present"}}}, "answers.DR99", "unknown indicator code"),
    ({"answers": {"PL01": {"status": "present"}}}, "answers.PL01", "unknown indicator code"),
    ({"answers": {"DR01": {"status": "yes"}}}, "answers.DR01.status", "must be one of present"),
    ({"answers": {"DR01": {"status": None}}}, "answers.DR01.status", "must be one of"),
    ({"answers": {"DR01": {"status": ["present"]}}}, "answers.DR01.status", "must be one of"),
    ({"answers": {"DR01": {"evidence_source": "document"}}}, "answers.DR01.status", "missing"),
    ({"answers": {"DR01": {"status": "present", "evidence_source": "rumour"}}}, "answers.DR01.evidence_source", ""),
    ({"answers": {"DR01": {"status": "present", "note": 3}}}, "answers.DR01.note", "must be a string"),
    ({"answers": {"DR01": {"status": "present", "provisional": 1}}}, "answers.DR01.provisional", "true or false"),
    ({"answers": {"DR01": {"status": "present", "stauts": "x"}}}, "answers.DR01.stauts", "unknown field"),
    ({"answers": {"DR01": "present"}}, "answers.DR01", "must be an object"),
    ({"answers": ["DR01"]}, "answers", "must be an object"),
    ({"age": -1}, "age", "non-negative integer"),
    ({"age": "27"}, "age", "non-negative integer"),
    ({"age": 27.5}, "age", "non-negative integer"),
    ({"age": True}, "age", "non-negative integer"),
    ({"age_basis": "guessed"}, "age_basis", "must be one of"),
    ({"age_basis": None}, "age_basis", "must be one of"),
    ({"possible_minor": "yes"}, "possible_minor", "true or false"),
    ({"posible_minor": True}, "posible_minor", "unknown field"),
    ({"participation": {"PL99": {"present": True}}}, "participation.PL99", "unknown participation code"),
    ({"participation": {"DR01": {"present": True}}}, "participation.DR01", "unknown participation code"),
    ({"participation": {"PL02": {"present": True, "explained_by_coercion": "maybe"}}},
     "participation.PL02.explained_by_coercion", "must be one of yes"),
    ({"participation": {"PL02": {"present": "yes"}}}, "participation.PL02.present", "true, false or null"),
    ({"participation": {"PL02": {"explained_by_coercion": "no"}}}, "participation.PL02.present", "missing"),
    ({"participation": {"PL02": {"present": True, "why": "x"}}}, "participation.PL02.why", "unknown field"),
    ({"participation": {"PL02": {"present": True, "evidence_source": "x"}}}, "participation.PL02.evidence_source", ""),
    ({"participation": {"PL02": {"present": True, "note": []}}}, "participation.PL02.note", "must be a string"),
    ({"participation": {"PL02": True}}, "participation.PL02", "must be an object"),
    ({"participation": []}, "participation", "must be an object"),
]


@pytest.mark.parametrize(("record", "field", "message"), BAD, ids=[b[1] + ":" + json.dumps(b[0])[:40] for b in BAD])
def test_errors_name_record_and_field(record, field, message):
    with pytest.raises(RecordError) as exc:
        parse_record({"id": "rec-7", **record}, 3, CAT)
    assert (exc.value.record, exc.value.field) == ("rec-7", field)
    assert message in exc.value.message
    assert str(exc.value).startswith(f"record rec-7: {field}: ")
    # without an id, the record is named by its position
    with pytest.raises(RecordError) as exc:
        parse_record(record, 3, CAT)
    assert (exc.value.record, exc.value.field) == ("3", field)
    assert str(exc.value).startswith(f"record 3: {field}: ")


@pytest.mark.parametrize("value", [[], 3, "x", None, True])
def test_a_record_that_is_not_an_object(value):
    with pytest.raises(RecordError) as exc:
        parse_record(value, 4, CAT)
    assert (exc.value.record, exc.value.field) == ("4", "(record)")


@pytest.mark.parametrize("rid", ["", [], {}, True, 1.5])
def test_invalid_id_is_named_by_position(rid):
    with pytest.raises(RecordError) as exc:
        parse_record({"id": rid}, 5, CAT)
    assert (exc.value.record, exc.value.field) == ("5", "id")


def test_batch_with_bad_records_still_yields_the_others_array():
    batch = [victim("a"), {"id": "b", "answers": {"DR99": {"status": "present"}}}, {"age": "x"}, victim("d")]
    out = assess(json.dumps(batch))
    assert [o["id"] if isinstance(o, dict) else (o.record, o.field) for o in out] == [
        "a", ("b", "answers.DR99"), ("3", "age"), "d"]


def test_json_lines_bad_line_is_named_by_line_number_and_the_rest_go_on():
    lines = [json.dumps(victim("a")), "", '{"id": "b", "answers": {', json.dumps({"answers": {"DR01": {}}}),
             "not json at all", json.dumps(victim("e"))]
    out = assess("\n".join(lines) + "\n")
    assert [o["id"] if isinstance(o, dict) else (o.record, o.field) for o in out] == [
        "a", ("3", "(json)"), ("4", "answers.DR01.status"), ("5", "(json)"), "e"]


def test_json_lines_with_a_broken_first_line():
    text = '{"id": "a", \n' + json.dumps(victim("b")) + "\n"
    out = assess(text)
    assert (out[0].record, out[0].field) == ("1", "(json)") and out[1]["id"] == "b"


def test_broken_single_indented_object_is_one_error():
    text = json.dumps(victim("a"), indent=2)[:-3]
    out = assess(text)
    assert len(out) == 1 and (out[0].record, out[0].field) == ("1", "(json)")


def test_broken_array_is_an_input_error():
    with pytest.raises(InputError):
        assess("[" + json.dumps(victim("a")) + ",")


def test_iter_records_positions():
    assert [p for p, _ in records.iter_records(json.dumps([{}, {}, {}]))] == [1, 2, 3]
    assert [p for p, _ in records.iter_records("{}\n\n{}\n{}\n")] == [1, 3, 4]


# --------------------------------------------------------------------------------------------
# Round trip
# --------------------------------------------------------------------------------------------

notes = st.one_of(st.just(""), st.text(max_size=20))
evidence = st.one_of(st.none(), st.sampled_from(EVIDENCE_SOURCES))
answer = st.builds(Answer, status=st.sampled_from(STATUSES), evidence_source=evidence, note=notes,
                   provisional=st.booleans())
participation = st.builds(Participation, present=st.sampled_from([True, False, None]),
                          explained_by_coercion=st.sampled_from(COERCION_VALUES), note=notes, evidence_source=evidence)
inputs = st.builds(
    ScreeningInput,
    answers=st.dictionaries(st.sampled_from(tuple(CAT.indicators)), answer, max_size=30),
    participation=st.dictionaries(st.sampled_from(tuple(CAT.participation)), participation, max_size=10),
    age=st.one_of(st.none(), st.integers(0, 120)),
    age_basis=st.sampled_from(AGE_BASES),
    possible_minor=st.booleans(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inp=inputs, rid=st.one_of(st.none(), st.text(min_size=1, max_size=10), st.integers(0, 10**9)))
def test_round_trip(inp, rid):
    record = record_from_input(rid, inp)
    assert parse_record(record, 1, CAT) == inp
    # ... also through JSON text, and with the id first
    again = json.loads(json.dumps(record, ensure_ascii=False))
    assert parse_record(again, 1, CAT) == inp
    if rid is not None:
        assert list(record)[0] == "id" and record["id"] == rid
    [out] = list(records.assess_text(json.dumps(record), CAT))
    assert out == {"id": rid, **recommend(inp, CAT).as_dict()}


def test_record_from_input_lists_explicit_answers_and_leaves_out_defaults():
    inp = ScreeningInput({"DR01": Answer("absent"), "DR02": Answer("unknown", provisional=True)},
                         {"PL01": Participation(False)}, age=20, age_basis="claimed")
    assert record_from_input("x", inp) == {
        "id": "x", "age": 20, "age_basis": "claimed", "possible_minor": False,
        "answers": {"DR01": {"status": "absent"}, "DR02": {"status": "unknown", "provisional": True}},
        "participation": {"PL01": {"present": False, "explained_by_coercion": "unknown"}},
    }


def test_record_error_pickles():
    import pickle

    err = pickle.loads(pickle.dumps(RecordError("a", "age", "bad")))  # noqa: S301 - our own bytes
    assert (err.record, err.field, err.message, str(err)) == ("a", "age", "bad", "record a: age: bad")
