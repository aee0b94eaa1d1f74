import pytest

from analytics.names import detect_script


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("张伟", "Hani"),
        ("張偉", "Hani"),
        ("欧阳娜娜", "Hani"),
        ("สมชาย ใจดี", "Thai"),
        ("အောင်ကျော်", "Mymr"),
        ("አበበ ቢቂላ", "Ethi"),
        ("अमित शर्मा", "Deva"),
        ("محمد علي", "Arab"),
        ("Иван Петров", "Cyrl"),
        ("김민준", "Hang"),
        ("សុខា", "Khmr"),
        ("ສົມພອນ", "Laoo"),
        ("রহিম", "Beng"),
        ("Nguyễn Văn Đức", "Latn"),
        ("WANG XIAOMING", "Latn"),
        ("", "Zyyy"),
        ("123 - 456", "Zyyy"),
        ("๑๒๓", "Zyyy"),
    ],
)
def test_detect_script_names_the_dominant_script(text, code):
    assert detect_script(text) == code


def test_the_script_with_most_letters_wins_in_mixed_text():
    assert detect_script("王小明 WANG XIAOMING") == "Latn"
    assert detect_script("Mr 王小明") == "Hani"


def test_letters_of_scripts_outside_the_table_are_uncoded_not_absent():
    assert detect_script("ᏣᎳᎩ") == "Zzzz"  # Cherokee
