"""Indicator catalogue (registry) for the screening module, loaded from versioned JSON data.

The catalogue data lives in ``analytics/screening/catalogue/<version with "/" replaced by "-">.json``
(spec A.2.4 "Implementation requirement", A.7.2 "Registry"). Strengths and crosswalks are data, not
code: change the JSON and bump the version rather than editing this module.

Note: the ``catalogue/`` data directory deliberately has no ``__init__.py``. It sits next to this
module, and a regular package of the same name would shadow ``catalogue.py`` on import.

Standard library only; no Django.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_VERSION = "ilo-ec-2009-adult-labour/r1"
DIMENSION_ORDER: tuple[str, ...] = ("DR", "CR", "VR", "EX", "CD", "VD")
STRENGTHS: tuple[str, ...] = ("strong", "medium", "weak")
PARTICIPATION_KINDS: tuple[str, ...] = ("PV", "PL")
FALLBACK_LANGUAGE = "en"

_VERSION_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*/[a-z0-9][a-z0-9.\-]*$")
_INDICATOR_CODE_RE = re.compile(r"^[A-Z]{2}[0-9]{2}$")


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str  # two-letter: DR CR VR EX CD VD
    dimension_name: str
    wording: str
    strength: str  # "strong" | "medium" | "weak"
    confidence: str
    source: str
    ilo11: tuple[int, ...]
    htcds: tuple[str, ...]
    prompts: dict[str, tuple[str, ...]] = field(hash=False)  # language -> questions

    def prompt(self, language: str) -> tuple[str, ...]:
        """Interview questions in ``language``; falls back to English when not translated."""
        return self.prompts.get(language) or self.prompts.get(FALLBACK_LANGUAGE, ())


@dataclass(frozen=True)
class ParticipationIndicator:
    code: str
    kind: str  # "PV" (voluntary) or "PL" (leading)
    wording: str
    source: str
    prompts: dict[str, tuple[str, ...]] = field(hash=False)  # language -> questions

    def prompt(self, language: str) -> tuple[str, ...]:
        """Interview questions in ``language``; falls back to English when not translated."""
        return self.prompts.get(language) or self.prompts.get(FALLBACK_LANGUAGE, ())


@dataclass(frozen=True)
class Catalogue:
    version: str
    dimensions: dict[str, str] = field(hash=False)  # code -> name, in the order DR CR VR EX CD VD
    indicators: dict[str, Indicator] = field(hash=False)
    participation: dict[str, ParticipationIndicator] = field(hash=False)

    def in_dimension(self, dimension: str) -> list[Indicator]:
        """Indicators of a dimension (two-letter code), in code order."""
        if dimension not in self.dimensions:
            raise KeyError(f"unknown dimension {dimension!r}")
        return [i for i in self.indicators.values() if i.dimension == dimension]


def catalogue_path(version: str) -> Path:
    """Path of the JSON file for ``version`` (works from the source tree and an installed package)."""
    if not isinstance(version, str) or not _VERSION_RE.match(version):
        raise ValueError(f"invalid catalogue version {version!r}")
    filename = version.replace("/", "-") + ".json"
    resource = resources.files("analytics.screening").joinpath("catalogue", filename)
    return Path(str(resource))


@functools.cache
def load(version: str = DEFAULT_VERSION) -> Catalogue:
    """Load and validate the catalogue ``version`` (cached). Raises ValueError naming a bad entry."""
    path = catalogue_path(version)
    if not path.is_file():
        raise ValueError(f"no catalogue file for version {version!r} (looked for {path})")
    catalogue = _load_path(path)
    if catalogue.version != version:
        raise ValueError(f"{path.name}: declares version {catalogue.version!r}, expected {version!r}")
    return catalogue


def _load_path(path: Path) -> Catalogue:
    """Load and validate a catalogue JSON file at ``path`` (uncached; used by ``load`` and tests)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{Path(path).name}: invalid JSON: {exc}") from exc
    return _build(data, Path(path).name)


def _build(data: Any, where: str) -> Catalogue:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: top level must be an object")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ValueError(f"{where}: missing 'version'")

    raw_dims = data.get("dimensions")
    if not isinstance(raw_dims, Mapping):
        raise ValueError(f"{where}: missing 'dimensions'")
    unknown_dims = set(raw_dims) - set(DIMENSION_ORDER)
    missing_dims = set(DIMENSION_ORDER) - set(raw_dims)
    if unknown_dims or missing_dims:
        raise ValueError(
            f"{where}: dimensions must be exactly {', '.join(DIMENSION_ORDER)}"
            f" (unknown: {sorted(unknown_dims)}, missing: {sorted(missing_dims)})"
        )
    dimensions = {d: _str(raw_dims[d], f"{where}: dimension {d}") for d in DIMENSION_ORDER}

    indicators: dict[str, Indicator] = {}
    for n, entry in enumerate(_list(data.get("indicators"), f"{where}: 'indicators'")):
        ind = _indicator(entry, dimensions, f"{where}: indicators[{n}]")
        if ind.code in indicators or ind.code in _codes(data.get("participation")):
            raise ValueError(f"{where}: indicators[{n}]: duplicate code {ind.code!r}")
        indicators[ind.code] = ind
    indicators = dict(
        sorted(indicators.items(), key=lambda kv: (DIMENSION_ORDER.index(kv[1].dimension), kv[0]))
    )

    participation: dict[str, ParticipationIndicator] = {}
    for n, entry in enumerate(_list(data.get("participation", []), f"{where}: 'participation'")):
        part = _participation(entry, f"{where}: participation[{n}]")
        if part.code in participation:
            raise ValueError(f"{where}: participation[{n}]: duplicate code {part.code!r}")
        participation[part.code] = part

    return Catalogue(
        version=version, dimensions=dimensions, indicators=indicators, participation=participation
    )


def _indicator(entry: Any, dimensions: dict[str, str], where: str) -> Indicator:
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: must be an object")
    code = _str(entry.get("code"), f"{where}: code")
    where = f"{where} ({code})"
    if not _INDICATOR_CODE_RE.match(code):
        raise ValueError(f"{where}: code must be two capital letters and two digits")
    dimension = _str(entry.get("dimension"), f"{where}: dimension")
    if dimension not in dimensions:
        raise ValueError(f"{where}: unknown dimension {dimension!r}")
    if code[:2] != dimension:
        raise ValueError(f"{where}: code prefix {code[:2]!r} does not match dimension {dimension!r}")
    strength = entry.get("strength")
    if strength not in STRENGTHS:
        raise ValueError(f"{where}: strength {strength!r} is not one of {', '.join(STRENGTHS)}")
    ilo11 = entry.get("ilo11", [])
    if not isinstance(ilo11, list) or not all(isinstance(x, int) and 1 <= x <= 11 for x in ilo11):
        raise ValueError(f"{where}: ilo11 must be a list of integers 1-11")
    htcds = entry.get("htcds", [])
    if not isinstance(htcds, list) or not all(isinstance(x, str) and x for x in htcds):
        raise ValueError(f"{where}: htcds must be a list of strings")
    return Indicator(
        code=code,
        dimension=dimension,
        dimension_name=dimensions[dimension],
        wording=_str(entry.get("ilo_wording"), f"{where}: ilo_wording"),
        strength=strength,
        confidence=_str(entry.get("confidence"), f"{where}: confidence"),
        source=_str(entry.get("source"), f"{where}: source"),
        ilo11=tuple(ilo11),
        htcds=tuple(htcds),
        prompts=_prompts(entry.get("prompts"), where),
    )


def _participation(entry: Any, where: str) -> ParticipationIndicator:
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: must be an object")
    code = _str(entry.get("code"), f"{where}: code")
    where = f"{where} ({code})"
    kind = entry.get("kind")
    if kind not in PARTICIPATION_KINDS:
        raise ValueError(f"{where}: kind {kind!r} is not one of {', '.join(PARTICIPATION_KINDS)}")
    if not _INDICATOR_CODE_RE.match(code) or code[:2] != kind:
        raise ValueError(f"{where}: code must be {kind} followed by two digits")
    return ParticipationIndicator(
        code=code,
        kind=kind,
        wording=_str(entry.get("wording"), f"{where}: wording"),
        source=_str(entry.get("source"), f"{where}: source"),
        prompts=_prompts(entry.get("prompts"), where),
    )


def _prompts(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: prompts must be an object mapping language to questions")
    prompts: dict[str, tuple[str, ...]] = {}
    for language, questions in raw.items():
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            raise ValueError(f"{where}: prompts[{language!r}] must be a list of non-empty strings")
        if questions:  # an empty list means "not translated yet": fall back to English
            prompts[language] = tuple(questions)
    if not prompts.get(FALLBACK_LANGUAGE):
        raise ValueError(f"{where}: missing English ('{FALLBACK_LANGUAGE}') prompt")
    return prompts


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: must be a non-empty string")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list")
    return value


def _codes(entries: Any) -> set[str]:
    if not isinstance(entries, list):
        return set()
    return {e.get("code") for e in entries if isinstance(e, Mapping)}
