import pytest

from analytics.names import romanize, romanize_variants
from analytics.names.han import wade_giles


@pytest.mark.parametrize(
    ("han", "latin"),
    [
        ("张伟", "Zhang Wei"),
        ("張偉", "Zhang Wei"),
        ("王小明", "Wang Xiaoming"),
        ("欧阳娜娜", "Ouyang Nana"),
        ("司马懿", "Sima Yi"),
        ("诸葛亮", "Zhuge Liang"),
        ("上官婉儿", "Shangguan Waner"),
        ("皇甫嵩", "Huangfu Song"),
        ("张 伟", "Zhang Wei"),
        ("欧阳 娜娜", "Ouyang Nana"),
        ("李", "Li"),
    ],
)
def test_han_names_become_pinyin_surname_and_given_name(han, latin):
    assert romanize(han) == latin


@pytest.mark.parametrize(
    ("han", "latin"),
    [
        ("单伟", "Shan Wei"),
        ("曾伟", "Zeng Wei"),
        ("区伟", "Ou Wei"),
        ("解芳", "Xie Fang"),
        ("仇明", "Qiu Ming"),
        ("覃丽", "Qin Li"),
    ],
)
def test_surnames_use_their_surname_reading(han, latin):
    assert romanize(han) == latin


def test_the_surname_reading_applies_to_the_surname_only():
    assert romanize("王单") == "Wang Dan"


def test_two_character_surname_alone_is_not_split_as_a_compound():
    assert romanize("欧阳") == "Ou Yang"


def test_transliterated_foreign_names_keep_one_word_per_dot_separated_part():
    assert romanize("阿卜杜拉·买买提") == "Abodula Maimaiti"


def test_han_variants_include_wade_giles_and_hong_kong_surname():
    assert romanize_variants("张伟") == ["Zhang Wei", "Chang Wei", "Cheung Wei"]
    assert romanize_variants("王小明") == ["Wang Xiaoming", "Wang Hsiao-ming", "Wong Xiaoming"]
    assert "Au-Yeung Nana" in romanize_variants("欧阳娜娜")
    assert "Chan Xiaoming" in romanize_variants("陈小明")


def test_u_umlaut_gets_the_passport_spelling_as_a_variant():
    assert romanize("吕布") == "Lü Bu"
    assert "Lyu Bu" in romanize_variants("吕布")


@pytest.mark.parametrize(
    ("pinyin", "wg"),
    [
        ("zhang", "chang"), ("xiao", "hsiao"), ("chen", "chen"), ("zhou", "chou"), ("guo", "kuo"),
        ("he", "ho"), ("ge", "ko"), ("luo", "lo"), ("zuo", "tso"), ("shuo", "shuo"), ("gui", "kuei"),
        ("hui", "hui"), ("dong", "tung"), ("xiong", "hsiung"), ("tian", "tien"), ("xie", "hsieh"),
        ("xue", "hsueh"), ("lüe", "lueh"), ("jun", "chun"), ("qu", "chu"), ("zi", "tzu"), ("ci", "tzu"),
        ("si", "ssu"), ("zhi", "chih"), ("shi", "shih"), ("ri", "jih"), ("ren", "jen"), ("er", "erh"),
        ("yi", "i"), ("you", "yu"), ("yan", "yen"), ("ye", "yeh"), ("zeng", "tseng"), ("cao", "tsao"),
        ("bo", "po"), ("de", "te"), ("ou", "ou"), ("ming", "ming"), ("jiang", "chiang"), ("qiu", "chiu"),
    ],
)  # fmt: skip
def test_wade_giles_follows_the_standard_table_without_apostrophes(pinyin, wg):
    assert wade_giles(pinyin) == wg


def test_latin_input_is_returned_unchanged():
    assert romanize("Nguyễn Văn Đức") == "Nguyễn Văn Đức"
    assert romanize("WANG XIAOMING") == "WANG XIAOMING"
    assert romanize_variants("Jean-Pierre O'Brien") == ["Jean-Pierre O'Brien"]


def test_thai_names_use_rtgs():
    assert romanize("สมชาย ใจดี") == "Somchai Chaidi"


def test_burmese_names_use_the_conventional_syllable_spellings():
    assert romanize("အောင်ကျော်") == "Aung Kyaw"
    assert romanize_variants("ဝေဝေ") == ["Wai Wai", "Wei Wei"]


def test_other_scripts_fall_back_to_anyascii_in_title_case():
    assert romanize("አበበ ቢቂላ") == "Abebe Bikila"
    assert romanize("Иван Петров") == "Ivan Petrov"
    assert romanize("अमित") == "Amit"


def test_korean_names_split_into_surname_and_given_name():
    assert romanize("김민준") == "Gim Minjun"
    assert romanize("남궁민수") == "Namgung Minsu"


def test_mixed_text_converts_only_the_non_latin_parts():
    assert romanize("王小明 (WANG)") == "Wang Xiaoming (WANG)"


def test_romanize_is_deterministic():
    assert [romanize_variants("张伟") for _ in range(3)] == [romanize_variants("张伟")] * 3
