"""The repatriation planning problem: JSON in, validated dataclasses out (no Django).

Input (the ``crossing repatriation plan`` contract)::

    {"start_date": "YYYY-MM-DD", "horizon_days": H,
     "daily_capacity": {"YYYY-MM-DD": n, ...},
     "people": [{"id": "...", "destination": "ISO alpha-3", "ready_date": "YYYY-MM-DD",
                 "weight": w, "group": "id or null"}, ...],
     "movements": [{"id": "...", "date": "YYYY-MM-DD", "destinations": ["ISO alpha-3", ...],
                    "capacity": n}, ...]}

Readings of the contract (documented in docs/repatriation-benchmarks.md):

- ``start_date``, ``horizon_days``, ``daily_capacity``, ``people`` and ``movements`` are required (an empty
  ``daily_capacity`` object means no day is limited); a date missing from it has no limit.
- Each person needs ``id``, ``destination``, ``ready_date`` and ``weight``; ``group`` may be absent, which
  means null. A group id is a non-empty string; a group may have one member.
- Ids are non-empty strings (a JSON number is refused rather than silently turned into text); person ids
  and movement ids are each unique.
- Country codes are three upper-case letters (ISO 3166-1 alpha-3, plus the ICAO 9303 codes such as
  ``XXA`` for a stateless person, which is why the list of codes is not closed).
- Capacities and ``horizon_days`` are integers >= 0 (``300.0`` is accepted as 300; ``true`` is not a
  number); weights are finite numbers >= 0.
- Unknown keys are ignored, so that a newer partner file still loads.
- Ready dates may fall before ``start_date`` or after ``start_date + horizon_days``; movements may be
  dated anywhere (a movement after the horizon is usable, its cost follows the definition).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")


class ProblemError(ValueError):
    """A malformed problem; ``field`` names where (``people[12].ready_date``), ``message`` says what."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Person:
    id: str
    destination: str
    ready_date: date
    weight: float
    group: str | None = None


@dataclass(frozen=True)
class Movement:
    id: str
    date: date
    destinations: frozenset[str]
    capacity: int


@dataclass(frozen=True)
class Problem:
    start_date: date
    horizon_days: int
    daily_capacity: dict[date, int] = field(hash=False)
    people: tuple[Person, ...]
    movements: tuple[Movement, ...]

    @property
    def end_date(self) -> date:
        """``start_date + horizon_days``: the departure date charged to a person left unassigned."""
        return self.start_date + timedelta(days=self.horizon_days)

    def day_limit(self, day: date) -> int | None:
        return self.daily_capacity.get(day)


# --------------------------------------------------------------------------- field parsers
def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise ProblemError(where, f"not a date (YYYY-MM-DD): {_show(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ProblemError(where, f"not a date: {_show(value)}") from None


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProblemError(where, f"not a whole number: {_show(value)}")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ProblemError(where, f"not a whole number: {_show(value)}")
    if value < 0:
        raise ProblemError(where, f"must be 0 or more: {_show(value)}")
    return int(value)


def _weight(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProblemError(where, f"not a number: {_show(value)}")
    if value < 0:
        raise ProblemError(where, f"must be 0 or more: {_show(value)}")
    return float(value)


def _ident(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProblemError(where, f"not a non-empty string: {_show(value)}")
    return value


def _country(value: Any, where: str) -> str:
    if not isinstance(value, str) or not COUNTRY_RE.match(value):
        raise ProblemError(where, f"not an ISO alpha-3 country code (three capital letters): {_show(value)}")
    return value


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ProblemError(where, f"not an object: {_show(value)}")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ProblemError(where, f"not a list: {_show(value)}")
    return value


def _get(obj: dict, key: str, where: str) -> Any:
    if key not in obj:
        raise ProblemError(f"{where}.{key}" if where else key, "missing")
    return obj[key]


# --------------------------------------------------------------------------- problem
def parse(data: Any) -> Problem:
    """Validate decoded JSON into a :class:`Problem`; raises :class:`ProblemError` naming the field."""
    top = _obj(data, "input")
    start = _date(_get(top, "start_date", ""), "start_date")
    horizon = _count(_get(top, "horizon_days", ""), "horizon_days")

    daily: dict[date, int] = {}
    for key, value in _obj(_get(top, "daily_capacity", ""), "daily_capacity").items():
        day = _date(key, f"daily_capacity[{_show(key)}]")
        if day in daily:  # cannot happen with JSON object keys, kept for dicts built in code
            raise ProblemError(f"daily_capacity[{_show(key)}]", "duplicate date")
        daily[day] = _count(value, f"daily_capacity[{_show(key)}]")

    people: list[Person] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(_list(_get(top, "people", ""), "people")):
        where = f"people[{i}]"
        obj = _obj(raw, where)
        pid = _ident(_get(obj, "id", where), f"{where}.id")
        if pid in seen:
            raise ProblemError(f"{where}.id", f"duplicate id {_show(pid)} (also people[{seen[pid]}])")
        seen[pid] = i
        group = obj.get("group")
        if group is not None and (not isinstance(group, str) or not group.strip()):
            raise ProblemError(f"{where}.group", f"not a group id (a non-empty string or null): {_show(group)}")
        people.append(Person(
            id=pid,
            destination=_country(_get(obj, "destination", where), f"{where}.destination"),
            ready_date=_date(_get(obj, "ready_date", where), f"{where}.ready_date"),
            weight=_weight(_get(obj, "weight", where), f"{where}.weight"),
            group=group,
        ))

    movements: list[Movement] = []
    seen = {}
    for i, raw in enumerate(_list(_get(top, "movements", ""), "movements")):
        where = f"movements[{i}]"
        obj = _obj(raw, where)
        mid = _ident(_get(obj, "id", where), f"{where}.id")
        if mid in seen:
            raise ProblemError(f"{where}.id", f"duplicate id {_show(mid)} (also movements[{seen[mid]}])")
        seen[mid] = i
        dests = _list(_get(obj, "destinations", where), f"{where}.destinations")
        if not dests:
            raise ProblemError(f"{where}.destinations", "empty: a movement must serve at least one country")
        codes = frozenset(_country(d, f"{where}.destinations[{j}]") for j, d in enumerate(dests))
        movements.append(Movement(
            id=mid,
            date=_date(_get(obj, "date", where), f"{where}.date"),
            destinations=codes,
            capacity=_count(_get(obj, "capacity", where), f"{where}.capacity"),
        ))
    return Problem(start_date=start, horizon_days=horizon, daily_capacity=daily, people=tuple(people),
                   movements=tuple(movements))


def loads(text: str | bytes) -> Problem:
    """Parse JSON text; a syntax error is a :class:`ProblemError` on ``input``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProblemError("input", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnicodeDecodeError:
        raise ProblemError("input", "not UTF-8 text") from None
    except RecursionError:
        raise ProblemError("input", "JSON nested too deeply") from None
    return parse(data)
