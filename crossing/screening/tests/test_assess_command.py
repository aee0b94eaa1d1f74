"""``crossing screening assess`` (management command ``screening_assess``).

No test here is marked django_db: pytest-django then refuses any database access, which is how these
tests show that the command needs no database."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from analytics.screening import catalogue as catalogue_mod
from analytics.screening.tests.test_engine import A75_JSON

CAT = catalogue_mod.load()
A75_PRESENT = ["DR01", "DR08", "EX01", "EX04", "CD05", "CD14", "VD01", "VD02", "VD05"]


def a75_record(rid="a75") -> dict:
    answers = {c: {"status": "present" if c in A75_PRESENT else "absent", "evidence_source": "self_report"}
               for c in CAT.indicators}
    return {"id": rid, "age": 30, "age_basis": "document", "possible_minor": False, "answers": answers}


def minor(rid) -> dict:
    return {"id": rid, "age": 15, "age_basis": "claimed", "answers": {"EX01": {"status": "present"}},
            "participation": {"PL01": {"present": True, "explained_by_coercion": "no"}}}


def run(*args, stdin: str | None = None, monkeypatch=None) -> tuple[list[dict], str, int]:
    """Run the command; returns (output objects, stderr text, exit status)."""
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        call_command("screening_assess", *args, stdout=out, stderr=err)
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), code


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_single_object(tmp_path):
    objs, err, code = run(write(tmp_path, "one.json", json.dumps(a75_record(), indent=2)))
    assert code == 0 and err == ""
    assert len(objs) == 1 and objs[0]["id"] == "a75" and objs[0]["recommendation"] == "presumed_victim"


def test_a75_example_matches_the_spec(tmp_path):
    objs, _, code = run(write(tmp_path, "a75.json", json.dumps(a75_record("x"))))
    assert code == 0
    assert objs == [{"id": "x", **json.loads(A75_JSON)}]
    assert list(objs[0]) == ["id", *json.loads(A75_JSON)]


def test_array(tmp_path):
    objs, _, code = run(write(tmp_path, "arr.json", json.dumps([a75_record("a"), minor("b"), {"id": "c"}])))
    assert code == 0
    assert [(o["id"], o["rule"], o["recommendation"]) for o in objs] == [
        ("a", "R2", "presumed_victim"), ("b", "R1", "presumed_victim"), ("c", "R4", "needs_full_interview")]


def test_json_lines_output_is_one_compact_object_per_line_in_order(tmp_path):
    lines = [json.dumps(r) for r in (a75_record("a"), minor("b"), {"id": "c"})]
    out = tmp_path / "out.jsonl"
    call_command("screening_assess", write(tmp_path, "in.jsonl", "\n".join(lines) + "\n"), "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n") and len(text.splitlines()) == 3
    assert all(": " not in line for line in text.splitlines())  # compact
    assert [json.loads(line)["id"] for line in text.splitlines()] == ["a", "b", "c"]


def test_stdin(monkeypatch):
    text = json.dumps(minor("s1")) + "\n" + json.dumps(a75_record("s2")) + "\n"
    objs, _, code = run("-", stdin=text, monkeypatch=monkeypatch)
    assert code == 0 and [o["id"] for o in objs] == ["s1", "s2"]


def test_output_field_names(tmp_path):
    objs, _, _ = run(write(tmp_path, "m.json", json.dumps(minor("m"))))
    o = objs[0]
    assert list(o)[0] == "id"
    assert {"id", "engine_version", "registry_version", "dimensions", "delphi_victim",
            "delphi_victim_if_unknowns_present", "ilo11_present", "participation", "blocking_participation", "rule",
            "recommendation", "non_punishment_hold", "notes", "human_decision_required"} == set(o)
    assert {"dimension", "positive", "clause", "counts", "present", "unknown"} == set(o["dimensions"][0])
    assert o["participation"] == [{"code": "PL01", "kind": "PL", "explained_by_coercion": "no", "blocking": True}]
    assert "minor_presumption" in o["notes"]


def test_unknown_code_names_record_and_field_and_the_others_are_printed(tmp_path):
    bad = {"id": "bad-1", "answers": {"DR99": {"status": "present"}}}
    path = write(tmp_path, "in.jsonl", "\n".join(json.dumps(r) for r in (a75_record("a"), bad, minor("c"))) + "\n")
    objs, err, code = run(path)
    assert code == 1
    assert [o["id"] for o in objs] == ["a", "c"]
    assert "record bad-1: answers.DR99: unknown indicator code" in err
    assert "1 of 3 records failed" in err


def test_record_without_id_is_named_by_position(tmp_path):
    path = write(tmp_path, "arr.json", json.dumps([{"id": "a"}, {"age": -3}]))
    objs, err, code = run(path)
    assert code == 1 and [o["id"] for o in objs] == ["a"]
    assert "record 2: age: must be a non-negative integer" in err


def test_malformed_json_line(tmp_path):
    path = write(tmp_path, "in.jsonl", json.dumps({"id": "a"}) + "\n{not json\n\n" + json.dumps({"id": "d"}) + "\n")
    objs, err, code = run(path)
    assert code == 1 and [o["id"] for o in objs] == ["a", "d"]
    assert "record 2: (json): not valid JSON" in err


def test_unreadable_file_exits_2(tmp_path):
    _, err, code = run(str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b'{"id": "\xe9"}\n')
    _, err, code = run(str(bad))
    assert code == 2 and "UTF-8" in err
    _, err, code = run(write(tmp_path, "broken.json", '[{"id": "a"},'))
    assert code == 2


def test_unknown_registry_version_exits_2(tmp_path):
    _, err, code = run(write(tmp_path, "a.json", "{}"), "--registry-version", "nope/r9")
    assert code == 2


def test_pretty_is_indented_one_object_per_record(tmp_path):
    out = io.StringIO()
    call_command("screening_assess", write(tmp_path, "a.json", json.dumps([{"id": "a"}, {"id": "b"}])), "--pretty",
                 stdout=out)
    text = out.getvalue()
    assert '\n  "engine_version"' in text
    decoder, pos, ids = json.JSONDecoder(), 0, []
    while text[pos:].strip():
        obj, end = decoder.raw_decode(text, pos)
        ids.append(obj["id"])
        pos = end + 1
    assert ids == ["a", "b"]


def test_parallel_workers_give_the_same_output_and_errors(tmp_path):
    recs = []
    for i in range(300):
        recs.append(json.dumps(a75_record(f"r{i}") if i % 3 else minor(f"r{i}")))
        if i % 97 == 5:
            recs.append('{"id": "broken"')
        if i % 101 == 7:
            recs.append("")
    path = write(tmp_path, "big.jsonl", "\n".join(recs) + "\n")
    one = run(path, "--jobs", "1")
    two = run(path, "--jobs", "2")
    assert one == two
    assert one[2] == 1 and len(one[0]) == 300


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_out_file(tmp_path, jobs):
    out = tmp_path / "o.jsonl"
    path = write(tmp_path, "in.jsonl", json.dumps({"id": "a"}) + "\n" + json.dumps({"id": "b"}) + "\n")
    stdout = io.StringIO()
    call_command("screening_assess", path, "--out", str(out), "--jobs", jobs, stdout=stdout)
    assert stdout.getvalue() == ""
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]
