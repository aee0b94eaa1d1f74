"""Linkage features: the same name in different scripts and spellings must agree somewhere."""

from datetime import date

import pytest

from analytics.linkage.phones import to_e164
from analytics.linkage.records import consonants, features, name_features, skeleton


def _shares(a: list[str], b: list[str], field: str, nationality: str | None = None) -> bool:
    fa = getattr(name_features(a, nationality), field)
    fb = getattr(name_features(b, nationality), field)
    return bool(set(fa) & set(fb))


@pytest.mark.parametrize("latin,native", [
    ("ZHANG WEI", "张伟"),          # pinyin, family name first
    ("WEI ZHANG", "张伟"),          # given name first
    ("CHANG WEI", "张伟"),          # Wade-Giles
    ("WANG HSIAO-MING", "王小明"),  # Wade-Giles with a hyphenated given name
    ("AUNG KYAW", "အောင်ကျော်"),     # the Burmese syllable table
    ("ABEBE BIKILA", "አበበ ቢቂላ"),   # Ge'ez
])
def test_a_native_name_and_its_romanization_share_a_writing_or_a_skeleton(latin, native):
    assert _shares([latin], [native], "keys") or _shares([latin], [native], "joined_keys")


@pytest.mark.parametrize("a,b", [("ZHANG WEI", "CHANG WEI"), ("HSIAO MING", "XIAO MING"), ("SOMCHAI", "SOMJAI"),
                                 ("HTUN HTUN", "TUN TUN")])
def test_transliteration_variants_have_one_skeleton(a, b):
    assert [skeleton(t) for t in a.lower().split()] == [skeleton(t) for t in b.lower().split()]


def test_lost_spaces_still_agree():
    assert _shares(["WANGKUN"], ["王坤"], "joined_keys")
    assert _shares(["BERHANUGIRMA"], ["ብርሃኑ ግርማ"], "consonant_keys", "ETH")


def test_consonant_keys_cover_scripts_that_drop_vowels_and_only_those():
    assert _shares(["ADNAN ABBASI"], ["عدنان عباسی"], "consonant_keys", "PAK")
    assert consonants("muhammad") == consonants("mohammad")
    # Pinyin-like names get none: consonants alone would make Zhang Jin and Chen Huaqiang agree.
    assert name_features(["ZHANG JIN"], "CHN").consonant_keys == ()


def test_initials_are_kept_for_abbreviated_given_names():
    assert name_features(["A. KYAW"]).initials == name_features(["AUNG KYAW"]).initials == "ak"


def test_features_keep_the_birth_date_precision_and_normalise_phones_and_documents():
    f = features(unique_id="1", names=["X Y"], date_of_birth=date(1990, 1, 1), dob_precision="year", nationality="THA",
                 documents=["aa 123-456"], phones=["081 234 5678"])
    assert f["dob"] is None and f["dob_month"] is None and f["dob_year"] == 1990
    assert f["document"] == "AA123456" and f["phone"] == "+66812345678" and f["phone_tail"] == "12345678"
    assert features(unique_id="2", names=["X"])["name_tokens"] is None  # one-letter tokens carry no name


@pytest.mark.parametrize("text,nationality,expected", [
    ("081 234 5678", "THA", "+66812345678"), ("+66 81 234 5678", None, "+66812345678"),
    ("0066812345678", None, "+66812345678"), ("call the camp", "THA", None), ("12", "CHN", None),
])
def test_phone_numbers_become_e164(text, nationality, expected):
    assert to_e164(text, nationality) == expected


@pytest.mark.parametrize("a,b,field", [
    ("MOHD AZLAN BIN ISMAIL", "MUHAMMAD AZLAN BIN ISMAIL", "keys"), ("YUSOF OSMAN", "YUSUF USMAN", "keys"),
    ("SHAHID MALIK", "شاہد ملک", "keys"), ("MALIK MOHAMMAD UMAR", "محمد عمر ملک", "consonant_keys"),
])
def test_frequent_muslim_names_agree_across_spellings_abbreviations_and_arabic_script(a, b, field):
    assert _shares([a], [b], field, "PAK")


def test_titles_and_malay_particles_are_not_mistaken_for_names():
    assert "umar" not in name_features(["MR JOHN SMITH"]).tokens
    assert "butt" not in name_features(["SITI BT AHMAD"]).tokens
