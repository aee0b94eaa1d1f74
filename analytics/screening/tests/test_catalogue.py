"""Tests for the versioned indicator catalogue (spec A.2.3, A.4.3, A.7.2)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from analytics.screening import catalogue
from analytics.screening.catalogue import (
    DEFAULT_VERSION,
    Catalogue,
    Indicator,
    ParticipationIndicator,
    _load_path,
    catalogue_path,
    load,
)

# Counts per dimension as listed in spec A.2.3 (rows counted in each table; the spec's own
# "Totals" line agrees: DR 10, CR 10, VR 16, EX 9, CD 15, VD 7 = 67).
EXPECTED_COUNTS = {"DR": 10, "CR": 10, "VR": 16, "EX": 9, "CD": 15, "VD": 7}

# Spot checks transcribed from spec A.2.3: code -> (strength, confidence, ilo11, htcds).
SPOT_CHECKS = {
    "DR01": ("strong", "H", (2,), ("FalsePromises",)),
    "DR10": ("weak", "L", (2,), ("FalsePromises",)),
    "CR01": ("strong", "H", (5,), ("PhysicalAbuse",)),
    "CR05": ("medium", "H", (3, 4), ("RestrictsMovement",)),
    "CR07": ("medium", "L", (6,), ("Threats",)),
    "VR12": ("medium", "H", (1,), ()),
    "VR14": ("weak", "L", (1,), ()),
    "VR16": ("weak", "H", (1,), ()),
    "EX01": ("strong", "H", (11,), ("ExcessiveWorkingHours",)),
    "EX09": ("weak", "H", (10,), ()),
    "CD02": ("strong", "H", (9,), ("DebtBondage",)),
    "CD04": ("strong", "H", (5,), ("PhysicalAbuse", "SexualAbuse")),
    "CD05": ("medium", "H", (), ()),
    "CD12": ("medium", "H", (1, 6), ("PsychologicalAbuse",)),
    "CD15": ("weak", "L", (6,), ("Threats",)),
    "VD02": ("medium", "H", (1, 4), ()),
    "VD07": ("weak", "H", (1,), ()),
}

# Strong indicators in A.2.3 (all others are medium or weak).
EXPECTED_STRONG = {"DR01", "CR01", "EX01", "CD01", "CD02", "CD03", "CD04"}
EXPECTED_WEAK = {"DR10", "VR13", "VR14", "VR15", "VR16", "EX09", "CD15", "VD06", "VD07"}

# Words that make a screening question leading or blaming (checked case-insensitively).
BANNED = {
    "en": [
        "victim",
        "traffick",
        "your fault",
        "why did you",
        "why didn't you",
        "admit",
        "confess",
        "scammer",
        "criminal",
        "illegal",
        "were you forced",
        "you must have",
        "guilty",
        "lie to us",
    ],
    "zh_Hans": ["受害者", "受害人", "罪犯", "骗子", "非法", "承认", "你的错", "为什么不"],
    "th": ["เหยื่อ", "อาชญากร", "ผิดกฎหมาย", "ยอมรับ", "ความผิดของคุณ", "ทำไมไม่"],
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load()


def _raw() -> dict:
    return json.loads(catalogue_path(DEFAULT_VERSION).read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_loads_default_version(cat):
    assert cat.version == DEFAULT_VERSION == "ilo-ec-2009-adult-labour/r1"
    assert load() is cat  # cached
    assert isinstance(next(iter(cat.indicators.values())), Indicator)
    assert isinstance(next(iter(cat.participation.values())), ParticipationIndicator)


def test_dimensions_in_order_with_spec_names(cat):
    assert list(cat.dimensions) == ["DR", "CR", "VR", "EX", "CD", "VD"]
    # Names used in the explanation object (A.7.5).
    assert cat.dimensions["DR"] == "deceptive_recruitment"
    assert cat.dimensions["EX"] == "exploitative_conditions_of_work"
    assert cat.dimensions["CD"] == "coercion_at_destination"
    assert cat.dimensions["VD"] == "abuse_of_vulnerability_at_destination"


def test_counts_per_dimension(cat):
    assert {d: len(cat.in_dimension(d)) for d in cat.dimensions} == EXPECTED_COUNTS
    assert len(cat.indicators) == 67
    for d in cat.dimensions:
        codes = [i.code for i in cat.in_dimension(d)]
        assert codes == [f"{d}{n:02d}" for n in range(1, EXPECTED_COUNTS[d] + 1)]


def test_in_dimension_unknown_raises(cat):
    with pytest.raises(KeyError):
        cat.in_dimension("XX")


@pytest.mark.parametrize("code", sorted(SPOT_CHECKS))
def test_spot_checks(cat, code):
    strength, conf, ilo11, htcds = SPOT_CHECKS[code]
    ind = cat.indicators[code]
    assert ind.dimension == code[:2]
    assert ind.dimension_name == cat.dimensions[code[:2]]
    assert (ind.strength, ind.confidence, ind.ilo11, ind.htcds) == (strength, conf, ilo11, htcds)


def test_strength_sets(cat):
    assert {c for c, i in cat.indicators.items() if i.strength == "strong"} == EXPECTED_STRONG
    assert {c for c, i in cat.indicators.items() if i.strength == "weak"} == EXPECTED_WEAK


def test_low_confidence_items(cat):
    # A.2.4: DR10, CR07, VR14, VR15, CD11, CD15 are the L rows.
    assert {c for c, i in cat.indicators.items() if i.confidence == "L"} == {
        "DR10",
        "CR07",
        "VR14",
        "VR15",
        "CD11",
        "CD15",
    }


def test_every_indicator_has_source_and_english_prompt(cat):
    for item in [*cat.indicators.values(), *cat.participation.values()]:
        assert item.source
        assert item.prompts["en"], item.code
        assert all(q.strip() for q in item.prompts["en"])


def test_prompt_falls_back_to_english(cat):
    ind = cat.indicators["CD01"]
    assert ind.prompt("xx") == ind.prompts["en"]
    assert ind.prompt("th") == ind.prompts["th"] != ind.prompts["en"]
    assert cat.participation["PV01"].prompt("xx") == cat.participation["PV01"].prompts["en"]


def test_participation_codes(cat):
    assert list(cat.participation) == [f"PV{n:02d}" for n in range(1, 5)] + [
        f"PL{n:02d}" for n in range(1, 7)
    ]
    for code, p in cat.participation.items():
        assert p.kind == code[:2]


def test_prompts_are_not_leading_or_blaming(cat):
    for item in [*cat.indicators.values(), *cat.participation.values()]:
        for language, banned in BANNED.items():
            for question in item.prompts.get(language, ()):
                lowered = question.lower()
                hits = [w for w in banned if w in lowered]
                assert not hits, f"{item.code} [{language}] {question!r} contains {hits}"


def test_prompts_are_short_questions(cat):
    # Thai questions are not punctuated with "?", so only English and Chinese are checked for one.
    for item in [*cat.indicators.values(), *cat.participation.values()]:
        for language, questions in item.prompts.items():
            assert 1 <= len(questions) <= 2, item.code
            for q in questions:
                assert len(q) <= 220, f"{item.code} [{language}] too long"
                if language in ("en", "zh_Hans"):
                    assert re.search(r"[?？]", q), f"{item.code} [{language}]: {q!r}"


def test_frozen_and_hashable(cat):
    ind = cat.indicators["DR01"]
    with pytest.raises(AttributeError):
        ind.strength = "weak"  # type: ignore[misc]
    assert len(set(cat.indicators.values())) == 67


def test_load_path_roundtrip(tmp_path):
    loaded = _load_path(_write(tmp_path, _raw()))
    assert loaded == load()


def test_duplicate_code_rejected(tmp_path):
    data = _raw()
    data["indicators"].append(copy.deepcopy(data["indicators"][0]))
    with pytest.raises(ValueError, match="DR01.*duplicate|duplicate.*DR01"):
        _load_path(_write(tmp_path, data))


def test_bad_strength_rejected(tmp_path):
    data = _raw()
    data["indicators"][5]["strength"] = "very strong"
    with pytest.raises(ValueError, match=r"DR06.*strength"):
        _load_path(_write(tmp_path, data))


def test_prefix_mismatch_rejected(tmp_path):
    data = _raw()
    data["indicators"][0]["dimension"] = "CR"
    with pytest.raises(ValueError, match="DR01.*prefix"):
        _load_path(_write(tmp_path, data))


def test_unknown_dimension_rejected(tmp_path):
    data = _raw()
    data["indicators"][0]["code"] = "XX01"
    data["indicators"][0]["dimension"] = "XX"
    with pytest.raises(ValueError, match="XX01.*unknown dimension"):
        _load_path(_write(tmp_path, data))


def test_missing_english_prompt_rejected_but_missing_translation_allowed(tmp_path):
    data = _raw()
    del data["indicators"][0]["prompts"]["th"]
    data["indicators"][1]["prompts"]["zh_Hans"] = []
    loaded = _load_path(_write(tmp_path, data))
    assert loaded.indicators["DR01"].prompt("th") == loaded.indicators["DR01"].prompts["en"]
    assert loaded.indicators["DR02"].prompt("zh_Hans") == loaded.indicators["DR02"].prompts["en"]
    data["indicators"][0]["prompts"]["en"] = []
    with pytest.raises(ValueError, match="DR01.*English"):
        _load_path(_write(tmp_path, data))


def test_bad_version_rejected():
    with pytest.raises(ValueError):
        load("../../etc/passwd")
    with pytest.raises(ValueError, match="no catalogue file"):
        load("ilo-ec-2009-adult-labour/r999")


def test_data_file_is_inside_package():
    path = catalogue_path(DEFAULT_VERSION)
    assert path.is_file()
    assert path.parent.name == "catalogue"
    assert path.parent.parent == Path(catalogue.__file__).parent
