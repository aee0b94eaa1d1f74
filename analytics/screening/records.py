"""The ScreeningRecord JSON contract of ``crossing screening assess`` (spec A.7.2, A.7.5).

Standard library only; no Django. The web interview stores its inputs in this format and evaluates
them through ``parse_record`` too, so any stored evaluation can be reproduced from the command line.

Input, one record::

    {"id": "...", "age": 27 or null, "age_basis": "document|claimed|assessed|unknown",
     "possible_minor": false,
     "answers": {"DR01": {"status": "present", "evidence_source": "self_report", "note": "...",
                          "provisional": false}, ...},
     "participation": {"PL02": {"present": true, "explained_by_coercion": "yes|no|unknown",
                                "note": "...", "evidence_source": "document"}, ...}}

- ``id`` (a string or an integer) is optional and echoed as the first key of the output (null when
  absent). ``age_basis`` defaults to "unknown", ``possible_minor`` to false, ``answers`` and
  ``participation`` to {}.
- An indicator code missing from ``answers`` is **unknown**; a participation code missing from
  ``participation`` is **absent**. ``present`` is true, false or null (unknown); ``status`` is required;
  ``explained_by_coercion`` defaults to "unknown".
- The other ScreeningRecord fields of A.7.2 (``record_id``, ``person_ref``, ``nationality``, ...) are
  accepted and ignored: they never reach the rules. Any other field is an error, so that a misspelt
  ``possible_minor`` cannot silently drop the child rule.
- An unknown code or a malformed value is a ``RecordError`` naming the record (its id if it has a valid
  one, else its position: the index from 1 in an array, the line number in JSON lines) and the field
  (``answers.DR99``, ``answers.DR01.status``, ``age``, ``participation.PL02.explained_by_coercion``).

Input files hold one object, a JSON array of objects, or JSON lines (one object per line, blank lines
ignored; a line that is not JSON is an error for that line's record only).

Output, one per record: ``{"id": ..., **Explanation.as_dict()}`` (the A.7.5 object).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

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

RECORD_FIELDS = frozenset({"id", "age", "age_basis", "possible_minor", "answers", "participation"})
# A.7.2 fields that may travel with a record but never reach the rules (nationality above all).
IGNORED_FIELDS = frozenset({
    "record_id", "person_ref", "raid_ref", "location_ref", "interview_datetime", "interviewer_id",
    "interpreter", "nationality", "exploitation_type",
})
ANSWER_FIELDS = frozenset({"status", "evidence_source", "note", "provisional"})
PARTICIPATION_FIELDS = frozenset({"present", "explained_by_coercion", "note", "evidence_source"})

_ALLOWED_FIELDS = RECORD_FIELDS | IGNORED_FIELDS
_STATUS_SET = frozenset(STATUSES)
_EVIDENCE_SET = frozenset(EVIDENCE_SOURCES)
_COERCION_SET = frozenset(COERCION_VALUES)
_AGE_BASIS_SET = frozenset(AGE_BASES)


class RecordError(ValueError):
    """One record could not be read. ``str()`` is ``record <id or position>: <field>: <message>``."""

    def __init__(self, record: str, field: str, message: str) -> None:
        self.record = str(record)
        self.field = field
        self.message = message
        super().__init__(f"record {self.record}: {field}: {message}")

    def __reduce__(self):  # picklable (the CLI's worker processes send errors back)
        return (RecordError, (self.record, self.field, self.message))


class InputError(ValueError):
    """The input as a whole is not one object, an array of objects or JSON lines (no record can be read)."""


# --------------------------------------------------------------------------------------------
# One record
# --------------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _one_of(values: Iterable[str]) -> str:
    return "one of " + ", ".join(values)


def _valid_id(value: Any) -> bool:
    return (isinstance(value, str) and value != "") or (isinstance(value, int) and not isinstance(value, bool))


# Answers are immutable, so the ones without a note are shared between records (most answers):
# (status, evidence_source, provisional) -> Answer, for every valid combination.
_SHARED_ANSWERS: dict[tuple[str, str | None, bool], Answer] = {
    (status, evidence, provisional): Answer(status=status, evidence_source=evidence, provisional=provisional)
    for status in STATUSES for evidence in (None, *EVIDENCE_SOURCES) for provisional in (False, True)
}


def _answer(entry: Any, code: str, label: str) -> Answer:
    if type(entry) is not dict:
        raise RecordError(label, f"answers.{code}", f"must be an object, got {_kind(entry)}")
    if not entry.keys() <= ANSWER_FIELDS:
        extra = sorted(set(entry) - ANSWER_FIELDS)[0]
        raise RecordError(label, f"answers.{code}.{extra}", f"unknown field (expected {_one_of(sorted(ANSWER_FIELDS))})")
    status = entry.get("status")
    evidence = entry.get("evidence_source")
    note = entry.get("note", "")
    if note is None:
        note = ""
    provisional = entry.get("provisional", False)
    if (type(status) is str and (evidence is None or type(evidence) is str) and note == ""
            and (provisional is True or provisional is False)):
        hit = _SHARED_ANSWERS.get((status, evidence, provisional))  # holds validated values only
        if hit is not None:
            return hit
    if "status" not in entry:
        raise RecordError(label, f"answers.{code}.status", f"missing ({_one_of(STATUSES)})")
    if not isinstance(status, str) or status not in _STATUS_SET:
        raise RecordError(label, f"answers.{code}.status", f"must be {_one_of(STATUSES)}, got {json.dumps(status)}")
    if evidence is not None and (not isinstance(evidence, str) or evidence not in _EVIDENCE_SET):
        raise RecordError(label, f"answers.{code}.evidence_source",
                          f"must be {_one_of(EVIDENCE_SOURCES)} or null, got {json.dumps(evidence)}")
    if not isinstance(note, str):
        raise RecordError(label, f"answers.{code}.note", f"must be a string, got {_kind(note)}")
    if not isinstance(provisional, bool):
        raise RecordError(label, f"answers.{code}.provisional", f"must be true or false, got {_kind(provisional)}")
    return Answer(status=status, evidence_source=evidence, note=note, provisional=provisional)


def _participation(entry: Any, code: str, label: str) -> Participation:
    where = f"participation.{code}"
    if type(entry) is not dict:
        raise RecordError(label, where, f"must be an object, got {_kind(entry)}")
    if not entry.keys() <= PARTICIPATION_FIELDS:
        extra = sorted(set(entry) - PARTICIPATION_FIELDS)[0]
        raise RecordError(label, f"{where}.{extra}",
                          f"unknown field (expected {_one_of(sorted(PARTICIPATION_FIELDS))})")
    if "present" not in entry:
        raise RecordError(label, f"{where}.present", "missing (true, false or null for unknown)")
    present = entry["present"]
    if present is not None and not isinstance(present, bool):
        raise RecordError(label, f"{where}.present", f"must be true, false or null (unknown), got {_kind(present)}")
    explained = entry.get("explained_by_coercion", "unknown")
    if not isinstance(explained, str) or explained not in _COERCION_SET:
        raise RecordError(label, f"{where}.explained_by_coercion",
                          f"must be {_one_of(COERCION_VALUES)}, got {json.dumps(explained)}")
    note = entry.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise RecordError(label, f"{where}.note", f"must be a string, got {_kind(note)}")
    evidence = entry.get("evidence_source")
    if evidence is not None and (not isinstance(evidence, str) or evidence not in _EVIDENCE_SET):
        raise RecordError(label, f"{where}.evidence_source",
                          f"must be {_one_of(EVIDENCE_SOURCES)} or null, got {json.dumps(evidence)}")
    return Participation(present=present, explained_by_coercion=explained, note=note, evidence_source=evidence)


def parse_record(obj: Any, position: int | str, catalogue: Any) -> ScreeningInput:
    """One ScreeningRecord (already decoded from JSON) as the engine's input.

    ``position`` names the record in errors when it has no id. Raises ``RecordError``."""
    if type(obj) is not dict:
        raise RecordError(str(position), "(record)", f"must be a JSON object, got {_kind(obj)}")
    rid = obj.get("id")
    if rid is not None and not _valid_id(rid):
        raise RecordError(str(position), "id", f"must be a non-empty string or an integer, got {_kind(rid)}")
    label = str(rid) if rid is not None else str(position)
    if not obj.keys() <= _ALLOWED_FIELDS:
        extra = sorted(set(obj) - _ALLOWED_FIELDS)[0]
        raise RecordError(label, extra, f"unknown field (expected {_one_of(sorted(RECORD_FIELDS))})")

    age = obj.get("age")
    if age is not None and (type(age) is not int or age < 0):
        raise RecordError(label, "age", f"must be a non-negative integer or null, got {json.dumps(age)}")
    age_basis = obj.get("age_basis", "unknown")
    if not isinstance(age_basis, str) or age_basis not in _AGE_BASIS_SET:
        raise RecordError(label, "age_basis", f"must be {_one_of(AGE_BASES)}, got {json.dumps(age_basis)}")
    possible_minor = obj.get("possible_minor", False)
    if not isinstance(possible_minor, bool):
        raise RecordError(label, "possible_minor", f"must be true or false, got {_kind(possible_minor)}")

    raw_answers = obj.get("answers", {})
    if type(raw_answers) is not dict:
        raise RecordError(label, "answers", f"must be an object, got {_kind(raw_answers)}")
    indicators = catalogue.indicators
    answers: dict[str, Answer] = {}
    shared = _SHARED_ANSWERS
    for code, entry in raw_answers.items():
        if code not in indicators:
            raise RecordError(label, f"answers.{code}", f"unknown indicator code (not in registry {catalogue.version})")
        try:  # fast path: {"status": ..., "evidence_source": ...} or {"status": ...} with valid values
            n = len(entry)
            if n == 2:
                answers[code] = shared[(entry["status"], entry["evidence_source"], False)]
                continue
            if n == 1:
                answers[code] = shared[(entry["status"], None, False)]
                continue
        except (KeyError, TypeError):
            pass
        answers[code] = _answer(entry, code, label)

    raw_parts = obj.get("participation", {})
    if type(raw_parts) is not dict:
        raise RecordError(label, "participation", f"must be an object, got {_kind(raw_parts)}")
    known_parts = catalogue.participation
    parts: dict[str, Participation] = {}
    for code, entry in raw_parts.items():
        if code not in known_parts:
            raise RecordError(label, f"participation.{code}",
                              f"unknown participation code (not in registry {catalogue.version})")
        parts[code] = _participation(entry, code, label)

    return ScreeningInput(answers, parts, age=age, age_basis=age_basis, possible_minor=possible_minor)


def record_from_input(record_id: str | int | None, inp: ScreeningInput) -> dict[str, Any]:
    """The canonical ScreeningRecord for ``inp`` (inverse of ``parse_record``).

    Every explicit answer and participation entry is listed (also "unknown" answers and absent
    participation); defaults (no evidence source, empty note, not provisional) are left out."""
    answers: dict[str, dict[str, Any]] = {}
    for code, a in inp.answers.items():
        entry: dict[str, Any] = {"status": a.status}
        if a.evidence_source is not None:
            entry["evidence_source"] = a.evidence_source
        if a.note:
            entry["note"] = a.note
        if a.provisional:
            entry["provisional"] = True
        answers[code] = entry
    participation: dict[str, dict[str, Any]] = {}
    for code, p in inp.participation.items():
        part: dict[str, Any] = {"present": p.present, "explained_by_coercion": p.explained_by_coercion}
        if p.note:
            part["note"] = p.note
        if p.evidence_source is not None:
            part["evidence_source"] = p.evidence_source
        participation[code] = part
    out: dict[str, Any] = {} if record_id is None else {"id": record_id}
    out.update(age=inp.age, age_basis=inp.age_basis, possible_minor=inp.possible_minor, answers=answers,
               participation=participation)
    return out


def assess_record(obj: Any, position: int | str, catalogue: Any) -> dict[str, Any]:
    """The output object of one record: ``{"id": ..., **explanation}``. Raises ``RecordError``."""
    explanation = recommend(parse_record(obj, position, catalogue), catalogue)
    out = {"id": obj.get("id")}
    out.update(explanation.as_dict())
    return out


# --------------------------------------------------------------------------------------------
# Files: one object, an array, or JSON lines
# --------------------------------------------------------------------------------------------

_decode = json.JSONDecoder().decode


def _json_error(position: int, exc: json.JSONDecodeError, where: str = "") -> RecordError:
    return RecordError(str(position), "(json)", f"not valid JSON{where}: {exc.msg} (column {exc.colno})")


def _line(position: int, line: str) -> tuple[int, Any]:
    try:
        return position, _decode(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return position, _json_error(position, exc)


def iter_lines(lines: Iterable[str], first_line: int = 1) -> Iterator[tuple[int, Any]]:
    """JSON lines: ``(line number, object)`` per non-blank line; a line that is not JSON gives
    ``(line number, RecordError)`` instead."""
    for n, line in enumerate(lines, start=first_line):
        if line.strip():
            yield _line(n, line)


def iter_records(text: str) -> Iterator[tuple[int, Any]]:
    """The records of ``text`` in input order as ``(position, object)`` pairs; ``object`` is a
    ``RecordError`` for a line of JSON lines that is not JSON. The format is detected: a JSON array, a
    single (possibly indented) object, or JSON lines. Raises ``InputError`` when the input as a whole
    is unreadable (an array that is not valid JSON, a top level that is neither object nor array)."""
    # Universal newlines, as when the CLI reads a file: a JSON string cannot hold a raw CR or LF.
    return iter_stream(io.StringIO(text, newline=None))


def iter_stream(fp: IO[str]) -> Iterator[tuple[int, Any]]:
    """Like ``iter_records`` on a text file, reading JSON lines one line at a time."""
    head: list[str] = []
    first = ""
    while True:  # skip leading blank lines
        line = fp.readline()
        if not line:
            return
        if not head:
            line = line.lstrip("\ufeff")  # a byte order mark read as text
        head.append(line)
        if line.strip():
            first = line
            break
    start = len(head)  # line number of the first non-blank line
    stripped = first.lstrip()
    if stripped.startswith("["):
        text = "".join(head) + fp.read()
        try:
            data = _decode(text.lstrip())
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON (an array of records?): {exc}") from exc
        if not isinstance(data, list):
            raise InputError("the top level must be an object, an array of objects or JSON lines")
        for i, obj in enumerate(data, start=1):
            yield i, obj
        return
    if not stripped.startswith("{"):
        # JSON lines whose first line is not an object: report it and go on with the rest.
        yield _line(start, first)
        yield from iter_lines(fp, start + 1)
        return
    try:
        yield start, _decode(first)
    except json.JSONDecodeError:
        pass  # not one object per line: a single indented object, or a broken first line
    else:
        yield from iter_lines(fp, start + 1)
        return
    rest = fp.read()
    text = first + rest
    try:
        obj = _decode(text.lstrip())
    except json.JSONDecodeError as exc:
        following = [line for line in rest.split("\n") if line.strip()]
        if following and following[0].lstrip().startswith("{"):
            # JSON lines with a broken line: that record only.
            yield _line(start, first)
            yield from iter_lines(rest.split("\n"), start + 1)
            return
        yield 1, RecordError("1", "(json)", f"not valid JSON: {exc.msg} (line {exc.lineno + start - 1}, "
                                            f"column {exc.colno})")
        return
    yield 1, obj


def assess_stream(
    fp: IO[str], catalogue: Any, *, encode: Callable[[dict[str, Any]], Any] | None = None
) -> Iterator[Any]:
    """Per record, in input order: its output object (or ``encode(output)``), or a ``RecordError``."""
    yield from assess_items(iter_stream(fp), catalogue, encode=encode)


def assess_text(
    text: str, catalogue: Any, *, encode: Callable[[dict[str, Any]], Any] | None = None
) -> Iterator[Any]:
    """``assess_stream`` on a string."""
    yield from assess_items(iter_records(text), catalogue, encode=encode)


def assess_items(
    items: Iterable[tuple[int, Any]], catalogue: Any, *, encode: Callable[[dict[str, Any]], Any] | None = None
) -> Iterator[Any]:
    for position, obj in items:
        if isinstance(obj, RecordError):
            yield obj
            continue
        try:
            out = assess_record(obj, position, catalogue)
        except RecordError as exc:
            yield exc
            continue
        yield out if encode is None else encode(out)

