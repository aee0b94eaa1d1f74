"""Tests of the record-linkage lists built from the synthetic scenario (plain pytest; one command test)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from crossing.scenario import params as P
from crossing.scenario.lists import (
    COLUMNS,
    FILES,
    LIST_A,
    LIST_B,
    MIN_PER_NATIONALITY,
    TRUTH_AB_HEADER,
    TRUTH_DUP_HEADER,
    _latin_name,
    _wade_giles,
    duplicate_list,
    linkage_lists,
    own_phone,
    write_all,
)
from crossing.scenario.synth import generate

ROOT = Path(__file__).resolve().parents[3]
SIZE, OVERLAP, DUP_RATE = 900, 0.6, 0.15
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
LATIN = re.compile(r"^[A-Za-z][A-Za-z .,'/-]*$")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


@pytest.fixture(scope="module")
def scenario():
    return generate(people=3000, seed=11)  # 27 nationalities, Burmese-speaking stateless people included


@pytest.fixture(scope="module")
def ab(scenario):
    return linkage_lists(scenario, size=SIZE, overlap=OVERLAP, seed=3)


@pytest.fixture(scope="module")
def dup(scenario):
    return duplicate_list(scenario, size=SIZE, dup_rate=DUP_RATE, seed=3)


@pytest.fixture(scope="module")
def rows(ab):
    return {r["row_ref"]: r for r in ab.a + ab.b}


def _native_script(person) -> str | None:
    return next((n.script for n in person.names if n.kind == "native" and n.script != "Latn"), None)


def test_deterministic(scenario, ab, dup):
    assert linkage_lists(scenario, size=SIZE, overlap=OVERLAP, seed=3) == ab
    assert duplicate_list(scenario, size=SIZE, dup_rate=DUP_RATE, seed=3) == dup
    assert linkage_lists(scenario, size=SIZE, overlap=OVERLAP, seed=4).a != ab.a


def test_deterministic_across_processes():
    """No dependence on set order or hash randomisation: another interpreter writes the same rows."""
    code = (
        "import hashlib, json; from crossing.scenario.synth import generate; "
        "from crossing.scenario.lists import linkage_lists, duplicate_list; sc = generate(people=800, seed=5); "
        "ab = linkage_lists(sc, size=300, overlap=0.5, seed=2); d = duplicate_list(sc, size=300, dup_rate=0.2, seed=2); "
        "print(hashlib.sha256(json.dumps([ab.a, ab.b, ab.truth, d.rows, d.truth]).encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        digests.add(
            subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            ).stdout.strip()
        )
    sc = generate(people=800, seed=5)
    a = linkage_lists(sc, size=300, overlap=0.5, seed=2)
    d = duplicate_list(sc, size=300, dup_rate=0.2, seed=2)
    here = hashlib.sha256(json.dumps([a.a, a.b, a.truth, d.rows, d.truth]).encode()).hexdigest()
    assert digests == {here}


def test_columns_exact(ab, dup):
    for row in ab.a + ab.b + dup.rows:
        assert tuple(row) == COLUMNS
        assert all(isinstance(v, str) for v in row.values())
        assert row["full_name"] or row["native_name"]
    assert {r["list_ref"] for r in ab.a} == {LIST_A}
    assert {r["list_ref"] for r in ab.b} == {LIST_B}


def test_overlap_count(scenario, ab):
    both = round(OVERLAP * SIZE)
    assert len(ab.truth) == both
    assert len(ab.a) + len(ab.b) - both == SIZE
    keys_a = [ab.keys[r["row_ref"]] for r in ab.a]
    keys_b = [ab.keys[r["row_ref"]] for r in ab.b]
    assert len(set(keys_a)) == len(keys_a) and len(set(keys_b)) == len(keys_b)
    assert len(set(keys_a) & set(keys_b)) == both
    assert abs(len(ab.a) - len(ab.b)) <= 1


def test_truth_pairs_refer_to_existing_rows_of_the_same_person(scenario, ab, rows):
    refs_a, refs_b = {r["row_ref"] for r in ab.a}, {r["row_ref"] for r in ab.b}
    for ra, rb, nat in ab.truth:
        assert ra in refs_a and rb in refs_b
        assert ab.keys[ra] == ab.keys[rb]
        assert nat == scenario.person(ab.keys[ra]).nationalities[0]
    assert len({t[0] for t in ab.truth}) == len({t[1] for t in ab.truth}) == len(ab.truth)


def test_every_nationality_present(scenario, ab, dup):
    available = Counter(p.nationalities[0] for p in scenario.iter_people())
    for keys in ({ab.keys[r["row_ref"]] for r in ab.a + ab.b}, set(dup.keys.values())):
        listed = Counter(scenario.person(k).nationalities[0] for k in keys)
        assert set(listed) == set(available)
        for nat, n in available.items():
            assert listed[nat] >= min(n, MIN_PER_NATIONALITY), nat
    # the large nationalities stay roughly proportional
    listed = Counter(t[2] for t in ab.truth)
    assert abs(listed["CHN"] / len(ab.truth) - available["CHN"] / scenario.people_count) < 0.05


def test_list_a_is_latin_only(ab):
    for row in ab.a:
        assert row["native_name"] == ""
        assert row["full_name"].isascii() and LATIN.match(row["full_name"]), row["full_name"]


def test_list_b_has_native_script(scenario, ab):
    seen = Counter()
    for row in ab.b:
        script = _native_script(scenario.person(ab.keys[row["row_ref"]]))
        if script is None:  # Latin-script people: plain names in full_name, names with diacritics as native
            assert row["full_name"] if row["native_name"] == "" else not row["native_name"].isascii(), row
            continue
        seen[script] += 1
        assert row["native_name"], row
        letters = [unicodedata.name(c, "") for c in row["native_name"] if c.isalpha()]
        expected = {"Hani": "CJK UNIFIED", "Mymr": "MYANMAR", "Thai": "THAI", "Ethi": "ETHIOPIC"}.get(script)
        if expected:
            assert all(expected in n for n in letters), row["native_name"]
    assert seen["Hani"] > 100 and seen["Mymr"] >= 1 and seen["Ethi"] > 10
    # Vietnamese names keep their diacritics on the native list
    viet = [r["native_name"] for r in ab.b if r["nationality"] == "VNM"]
    assert viet and sum(not n.isascii() for n in viet) > 0.8 * len(viet)


def test_row_refs_do_not_encode_the_scenario_key(ab, dup):
    for prefix, listed in (("A", ab.a), ("B", ab.b), ("D", dup.rows)):
        refs = [r["row_ref"] for r in listed]
        assert refs == [f"{prefix}-{i:06d}" for i in range(1, len(listed) + 1)]
        keys = [ab.keys.get(ref, dup.keys.get(ref)) for ref in refs]
        assert keys != sorted(keys)
        assert sum(int(ref[2:]) == key for ref, key in zip(refs, keys, strict=True)) < 5


def test_values_are_in_the_import_format(scenario, ab, dup):
    names = {c.name for c in scenario.compounds} | {a for c in scenario.compounds for a, _ in c.aliases}
    nationalities = set(P.ISO3.values()) | {""}
    for row in ab.a + ab.b + dup.rows:
        assert row["sex"] in ("M", "F", "")
        assert row["date_of_birth"] == "" or DATE.match(row["date_of_birth"])
        assert row["nationality"] in nationalities
        assert row["passport_number"] == "" or re.fullmatch(r"[A-Z0-9]{5,20}", row["passport_number"])
        assert row["compound"] == "" or row["compound"] in names
        assert row["handed_over_on"] == "" or DATE.match(row["handed_over_on"])
        assert row["facility"] == ""
    assert all(E164.match(r["phone"]) for r in ab.b if r["phone"])


def test_phones_read_back_to_the_persons_own_number(scenario, ab):
    phones = pytest.importorskip("analytics.linkage.phones")
    listed = [r for r in ab.a + ab.b if r["phone"]]
    assert len(listed) > 200
    for row in listed:
        person = scenario.person(ab.keys[row["row_ref"]])
        expected = own_phone(scenario.seed, person.key, person.nationalities[0])
        # read as the importer does: numbers without +country in the row's nationality
        assert phones.to_e164(row["phone"], row["nationality"] or None) == expected, row
    assert sum(not r["phone"].startswith("+") for r in ab.a if r["phone"]) > 30  # "081 234 5678" style


def test_noise_present_but_bounded(scenario, ab, rows):
    pairs = [(rows[ra], rows[rb], scenario.person(ab.keys[ra])) for ra, rb, _ in ab.truth]
    same_nat = sum(a["nationality"] == b["nationality"] for a, b, _ in pairs) / len(pairs)
    assert 0.9 < same_nat < 1.0
    respelled = sum(a["full_name"].casefold() != _latin_name(p).casefold() for a, _, p in pairs) / len(pairs)
    assert 0.2 < respelled < 0.75
    both = [
        (a["passport_number"], b["passport_number"])
        for a, b, _ in pairs
        if a["passport_number"] and b["passport_number"]
    ]
    agree = sum(x == y for x, y in both) / len(both)
    assert 0.85 < agree < 1.0
    assert sum(len(a["date_of_birth"]) == 4 and len(b["date_of_birth"]) == 10 for a, b, _ in pairs) > 20
    a_passports = sum(bool(a["passport_number"]) for a, _, _ in pairs)
    b_passports = sum(bool(b["passport_number"]) for _, b, _ in pairs)
    assert a_passports < b_passports  # many passports were confiscated before the hand-over
    # Wade-Giles shows up for Chinese names
    assert any(
        re.search(r"\b(CHANG|HSU|CHOU|HSIEH|KUO|TSAI|TSENG)\b", a["full_name"].upper())
        for a, _, p in pairs
        if p.nationalities[0] == "CHN"
    )


def test_wade_giles():
    assert _wade_giles("Zhang") == "chang"
    assert _wade_giles("Weiqiang") == "wei-chiang"
    assert _wade_giles("Jianguo") == "chien-kuo"
    assert _wade_giles("Xiong") == "hsiung"
    assert _wade_giles("Ouyang") == "ou-yang"
    assert _wade_giles("Tesfaye") == "Tesfaye"  # not pinyin: unchanged


def test_duplicates(scenario, dup):
    clusters: dict[str, list[str]] = {}
    for ref, cluster in dup.truth:
        clusters.setdefault(cluster, []).append(ref)
    assert [r["row_ref"] for r in dup.rows] == [t[0] for t in dup.truth]
    assert len(clusters) == SIZE
    sizes = Counter(len(v) for v in clusters.values())
    assert set(sizes) == {1, 2, 3}
    assert sizes[2] + sizes[3] == round(DUP_RATE * SIZE)
    for refs in clusters.values():
        assert len({dup.keys[r] for r in refs}) == 1
    assert len({dup.keys[refs[0]] for refs in clusters.values()}) == SIZE
    by_ref = {r["row_ref"]: r for r in dup.rows}
    mixed = sum(
        any(by_ref[r]["native_name"] and not by_ref[r]["full_name"] for r in refs)
        and any(by_ref[r]["full_name"] and not by_ref[r]["native_name"] for r in refs)
        for refs in clusters.values()
        if len(refs) > 1
    )
    assert mixed > 10  # native and romanized writings of the same person


def test_write_all(tmp_path, ab, dup):
    paths = write_all(tmp_path / "out", ab, dup)
    assert [p.name for p in paths] == list(FILES)
    with open(paths[0], encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == COLUMNS
        assert list(reader) == ab.a
    with open(paths[1], encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f)) == ab.b
    with open(paths[2], encoding="utf-8", newline="") as f:
        assert [tuple(r) for r in csv.reader(f)] == [TRUTH_AB_HEADER, *ab.truth]
    with open(paths[4], encoding="utf-8", newline="") as f:
        assert [tuple(r) for r in csv.reader(f)] == [TRUTH_DUP_HEADER, *dup.truth]


def test_bad_arguments(scenario):
    with pytest.raises(ValueError):
        linkage_lists(scenario, size=scenario.people_count + 1, overlap=0.5, seed=1)
    with pytest.raises(ValueError):
        linkage_lists(scenario, size=100, overlap=1.5, seed=1)
    with pytest.raises(ValueError, match="too small"):
        duplicate_list(scenario, size=20, dup_rate=0.1, seed=1)


def test_command_writes_the_files(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "lists"
    call_command(
        "scenario_lists",
        "--people",
        "600",
        "--seed",
        "7",
        "--size",
        "200",
        "--overlap",
        "0.5",
        "--out-dir",
        str(out),
        stdout=io.StringIO(),
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    with open(out / "truth-ab.csv", encoding="utf-8") as f:
        assert len(f.read().splitlines()) == 1 + 100
