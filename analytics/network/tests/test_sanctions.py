"""Sanctions screening across scripts. All names are invented test fixtures."""

import random
import time

import pytest
from followthemoney import model
from rigour.text.distance import jaro_winkler, levenshtein_similarity

from analytics.names.burmese import romanize_words
from analytics.network.sanctions import (
    DOB_CONFLICT,
    SanctionsIndex,
    normalize_wallet,
    skeleton,
)

THRESHOLD = 0.7


def person(id_, *names, **props):
    properties = {"name": [names[0]], "alias": list(names[1:])}
    properties.update({k: v if isinstance(v, list) else [v] for k, v in props.items()})
    return {"id": id_, "schema": "Person", "properties": properties}


def org(id_, name, schema="Company", **props):
    properties = {"name": [name]}
    properties.update({k: v if isinstance(v, list) else [v] for k, v in props.items()})
    return {"id": id_, "schema": schema, "properties": properties}


def wallet(id_, address):
    return {"id": id_, "schema": "CryptoWallet", "properties": {"publicKey": [address]}}


def score(candidate, target, **kwargs):
    """Score of ``candidate`` against an index holding only ``target`` (0.0 when not matched)."""
    matches = SanctionsIndex.from_entities([target], **kwargs).screen(candidate)
    return matches[0].score if matches else 0.0


def only_match(candidate, target):
    matches = SanctionsIndex.from_entities([target]).screen(candidate)
    assert len(matches) == 1, matches
    return matches[0]


# --- why romanize first ---------------------------------------------------------------------


def test_naive_string_comparison_gives_zero_for_han_against_pinyin():
    # What a plain string matcher sees: no character in common.
    assert jaro_winkler("李明华", "LI Minghua") == 0.0
    assert levenshtein_similarity("李明华", "li minghua") == 0.0
    # The same index without romanization finds nothing either; with it, a full match.
    target = person("t1", "LI Minghua")
    assert score(person("c1", "李明华"), target, romanize=False) == 0.0
    assert score(person("c1", "李明华"), target) == 1.0


# --- cross-script pairs that must match -----------------------------------------------------


@pytest.mark.parametrize(
    "han, latin",
    [
        ("李明华", "LI Minghua"),  # passport order and case
        ("李明华", "Minghua Li"),  # Western order
        ("李明华", "Li Ming Hua"),  # given name split
        ("李明华", "Li Ming-hua"),  # Wade-Giles style hyphenation
        ("李明華", "LI Minghua"),  # traditional characters
        ("王小明", "Wang Hsiao-ming"),  # Wade-Giles
        ("欧阳娜娜", "OUYANG Nana"),  # compound surname
    ],
)
def test_han_name_matches_its_pinyin_spellings(han, latin):
    for cand, target in ((person("c", han), person("t", latin)), (person("c", latin), person("t", han))):
        assert score(cand, target) >= THRESHOLD, (cand, target)


def test_explanation_shows_the_romanization_and_the_reordering():
    match = only_match(person("c", "李明华"), person("t", "Minghua LI"))
    text = " | ".join(match.explanation)
    assert "romanized 李明华 → li minghua" in text
    assert "Minghua LI" in text
    assert "different order" in text
    assert match.target_name == "Minghua LI" and match.target_id == "t"


@pytest.mark.parametrize("latin", ["Somchai Jaidee", "SOMCHAI Jaidee", "Jaidee Somchai", "Somchay Jaidee"])
def test_thai_name_matches_its_passport_spelling(latin):
    # royin gives "Somchai Chaidi"; passports say "Jaidee". The skeleton (j -> ch, ee -> i) bridges it.
    assert skeleton("jaidee") == skeleton("chaidi")
    match = only_match(person("c", "สมชาย ใจดี"), person("t", latin))
    assert match.score >= THRESHOLD
    assert "romanized สมชาย ใจดี → somchai chaidi" in match.explanation[0]


def test_burmese_name_matches_the_project_romanization_and_common_spellings():
    burmese = "ခင်မောင်ဝင်း"
    produced = " ".join(romanize_words(burmese))
    assert produced == "Khin Maung Win"
    for latin in (produced, "KHIN MAUNG WINN", "Khin Maung Win", "Khinmaung Win"):
        assert score(person("c", burmese), person("t", latin)) >= THRESHOLD, latin


def test_burmese_honorific_and_alternative_spelling():
    burmese = "ဦး ထွန်း မြင့်"  # U Tun Myint; Htun is the common alternative spelling
    for latin in ("U Tun Myint", "U Htun Myint", "Htun Myint", "Tun Myint"):
        assert score(person("c", burmese), person("t", latin)) >= THRESHOLD, latin
    match = only_match(person("c", "Htun Myint"), person("t", "U Tun Myint"))
    assert any("honorific" in line for line in match.explanation)


def test_person_known_only_by_name_parts_and_a_weak_alias():
    target = {
        "id": "t",
        "schema": "Person",
        "properties": {"firstName": ["Minghua"], "lastName": ["Li"], "weakAlias": ["Ah Hua"]},
    }
    assert score(person("c", "李明华"), target) == 1.0
    weak = only_match(person("c", "Ah Hua"), target)
    assert weak.score == pytest.approx(0.9) and "weak alias: name score x0.9" in weak.explanation


def test_alias_in_another_script_is_used():
    target = person("t", "Chen Haoyu", "陈浩宇")
    assert score(person("c", "陳浩宇"), target) >= THRESHOLD


# --- negatives -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cand, target",
    [
        ("李明华", "Li Jianguo"),  # same family name only
        ("李建华", "Li Jianguo"),  # one given-name syllable differs
        ("Li Minghua", "Li Mingzhe"),
        ("สมศักดิ์ ใจดี", "Somchai Jaidee"),  # same Thai family name, different given name
        ("ခင်မောင်ဝင်း", "Khin Maung Aye"),  # two of three Burmese syllables shared
        ("Li", "Li Minghua"),  # a bare family name
    ],
)
def test_different_people_with_shared_name_parts_stay_below_threshold(cand, target):
    assert score(person("c", cand), person("t", target)) < THRESHOLD


def test_person_never_matches_a_company_of_the_same_name():
    index = SanctionsIndex.from_entities(
        [org("co", "Minghua Li"), org("co2", "李明华", schema="Organization")]
    )
    assert index.screen(person("c", "Minghua Li")) == []
    assert index.screen(person("c", "李明华")) == []
    assert index.screen_all([person("c", "LI Minghua")], threshold=0.0) == []


def test_org_matches_org_across_legal_form_spelling_and_person_matches_unknown_legal_entity():
    target = org("co", "Golden Lotus Trading Co Ltd")
    assert score(org("c", "GOLDEN LOTUS TRADING COMPANY LIMITED"), target) >= 0.95
    assert score(org("c", "Golden Lotus Trading Co Ltd", schema="Organization"), target) == 1.0
    # LegalEntity is FtM's "person or organization, we don't know": either may match it.
    unknown = org("le", "Minghua Li", schema="LegalEntity")
    assert score(person("c", "李明华"), unknown) >= THRESHOLD
    assert score(org("c", "Minghua Li"), unknown) >= THRESHOLD


def test_birth_date_conflict_lowers_the_score_and_agreement_raises_it():
    target = person("t", "LI Minghua", birthDate="1971-02-03", nationality="cn")
    base = score(person("c", "Li Ming Hua"), person("t", "LI Minghua"))
    conflict = only_match(person("c", "李明华", birthDate="1984-11-30"), target)
    assert conflict.score == pytest.approx(base + DOB_CONFLICT)
    assert any("birth dates conflict" in line for line in conflict.explanation)
    same_year = score(person("c", "李明华", birthDate="1971-09-09"), target)
    assert conflict.score < same_year < base
    # Agreement only adds when the name is not already perfect, so use a weaker name.
    weak = person("c", "Li Minhgua")
    plain = score(weak, person("t", "LI Minghua"))
    agree = only_match(person("c", "Li Minhgua", birthDate="1971-02-03", nationality="China"), target)
    assert agree.score > plain
    assert any("birth date agrees (1971-02-03)" in line for line in agree.explanation)
    assert any("nationality agrees (cn)" in line for line in agree.explanation)
    assert score(person("c", "Li Minhgua", birthDate="1971"), target) > plain  # partial date: compatible


def test_nationality_conflict_lowers_the_score():
    target = person("t", "Somchai Jaidee", nationality="th")
    assert score(person("c", "Somchai Jaidee", nationality="mm"), target) < score(
        person("c", "Somchai Jaidee"), target
    )


# --- wallets -------------------------------------------------------------------------------

TRON = "TQ7xYz3invented9Address4Test8Only2Wx"
ETH = "0x7a3B9c0D1e2F3a4B5c6D7e8F9a0B1c2D3e4F5a6B"


def test_same_wallet_address_is_a_full_match():
    index = SanctionsIndex.from_entities([wallet("w1", TRON), wallet("w2", ETH)])
    [match] = index.screen(wallet("cw", f"  {TRON} "))
    assert (match.target_id, match.score) == ("w1", 1.0)
    assert match.explanation == [f"same wallet address {TRON}"]
    [match] = index.screen(wallet("cw", ETH.lower()))  # hex: case does not matter
    assert (match.target_id, match.score) == ("w2", 1.0)


def test_tron_address_case_matters_and_wallets_never_match_by_name():
    index = SanctionsIndex.from_entities([wallet("w1", TRON), person("p", "Somchai Jaidee")])
    assert index.screen(wallet("cw", TRON.lower())) == []
    assert index.screen(wallet("cw", TRON.upper())) == []
    assert normalize_wallet("BC1QTESTXYZ2345678ACDEFGHJKLMN") == "bc1qtestxyz2345678acdefghjklmn"
    named = {"id": "cw", "schema": "CryptoWallet", "properties": {"name": ["Somchai Jaidee"]}}
    assert index.screen(named) == []


# --- API -----------------------------------------------------------------------------------


def test_accepts_proxies_and_skips_unscreenable_entities():
    proxy = model.get_proxy({"id": "t", "schema": "Person", "properties": {"name": ["LI Minghua"]}})
    vessel = {"id": "v", "schema": "Vessel", "properties": {"name": ["Li Minghua"]}}
    bogus = {"id": "x", "schema": "NoSuchSchema", "properties": {}}
    index = SanctionsIndex.from_entities([proxy, vessel, bogus])
    assert len(index) == 1 and index.skipped == 2
    assert index.screen(model.get_proxy(person("c", "李明华")))[0].target_id == "t"
    assert index.screen(vessel) == []


def test_screen_all_returns_matches_at_or_above_threshold_best_first_per_candidate():
    index = SanctionsIndex.from_entities(
        [person("t1", "LI Minghua"), person("t2", "Li Minghau"), person("t3", "Li Jianguo")]
    )
    matches = index.screen_all([person("c1", "李明华"), person("c2", "Nobody Known")], threshold=THRESHOLD)
    assert [(m.candidate_id, m.target_id) for m in matches] == [("c1", "t1"), ("c1", "t2")]
    assert matches[0].score >= matches[1].score >= THRESHOLD
    assert all(0.0 <= m.score <= 1.0 and m.explanation for m in matches)


# --- blocking ------------------------------------------------------------------------------

SYLLABLES = "ka ri mo ta ne lu sa vi do ber han sel mar tin ko ra fe no gra ves pa ul di ana jo".split()
SURNAMES = "王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗郑梁谢宋唐许韩冯邓曹彭"
GIVEN = "伟芳秀英敏静丽强磊军洋勇艳杰娟涛超兰霞刚桂玉萍鹏辉婷宇浩凯健俊帆晨欣怡轩涵诺雨泽思远博"


def test_blocking_screens_thousands_against_thousands_quickly_and_finds_planted_matches():
    rng = random.Random(20261128)

    def latin_name():
        return " ".join(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title() for _ in range(2)
        )

    targets = [person(f"t{i}", latin_name(), birthDate=f"19{rng.randint(40, 99)}") for i in range(4000)]
    targets += [org(f"o{i}", latin_name() + " Trading Co Ltd") for i in range(500)]
    # Planted: Han-script candidates whose pinyin spelling is on the list (distinct given names).
    planted = {}
    for i in range(100):
        han = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i * 7 + 3) % len(GIVEN)]
        planted[f"c{i}"] = f"h{i}"
        targets.append(person(f"h{i}", han))
    # Index the pinyin side, screen the Han side (and vice versa for half of them).
    index_side = [
        person(t["id"], " ".join(reversed(_romanized(t["properties"]["name"][0]))))
        if t["id"].startswith("h")
        else t
        for t in targets
    ]
    candidates = [person(f"c{i}", t["properties"]["name"][0]) for i, t in enumerate(targets[-100:])]
    candidates += [person(f"n{i}", latin_name()) for i in range(900)]

    start = time.perf_counter()
    index = SanctionsIndex.from_entities(index_side)
    matches = index.screen_all(candidates, threshold=THRESHOLD)
    elapsed = time.perf_counter() - start

    found = {(m.candidate_id, m.target_id) for m in matches}
    assert set(planted.items()) <= found
    assert elapsed < 15.0, f"{elapsed:.1f}s for 1,000 x 4,600"


def test_blocking_bounds_full_comparisons_per_candidate(monkeypatch):
    from analytics.network import sanctions

    targets = [person(f"t{i}", f"Li Name{i:05d}x") for i in range(3000)]  # all share the token "li"
    index = SanctionsIndex.from_entities(targets, top_k=20)
    scored = []
    real = index._score
    monkeypatch.setattr(index, "_score", lambda cand, target: scored.append(target.id) or real(cand, target))
    matches = index.screen(person("c", "LI Name01234x"))
    assert matches[0].target_id == "t1234" and matches[0].score == 1.0
    assert len(scored) <= 20  # not 3,000
    assert sanctions.TOP_K >= 20


def _romanized(han):
    from analytics.names import romanize

    return romanize(han).split()
