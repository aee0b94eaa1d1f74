import unicodedata

from analytics.names.burmese import SYLLABLES, romanize_words, segment

MULTI_SYLLABLE_ENTRIES = {"ဝဏ္ဏ", "ရတနာ", "သဇင်", "သီတာ", "နန္ဒာ", "စန္ဒာ", "သန္တာ", "သူရ", "ဇေယျာ", "ဆလိုင်း"}


def test_the_curated_table_has_at_least_eighty_name_syllables():
    assert len(SYLLABLES) >= 80


def test_every_table_entry_is_nfc_myanmar_text_with_a_latin_spelling():
    for burmese, spellings in SYLLABLES.items():
        assert unicodedata.normalize("NFC", burmese) == burmese
        assert all(0x1000 <= ord(c) <= 0x109F for c in burmese), burmese
        assert spellings and all(s.isascii() and s[0].isupper() for s in spellings)


def test_every_single_syllable_entry_segments_as_one_syllable():
    for burmese in SYLLABLES:
        expected_one = burmese not in MULTI_SYLLABLE_ENTRIES
        assert (len(segment(burmese)) == 1) == expected_one, burmese


def test_segmentation_keeps_killed_and_stacked_consonants_in_their_syllable():
    assert segment("အောင်ကျော်") == ["အောင်", "ကျော်"]
    assert segment("မြင့်ဝင်း") == ["မြင့်", "ဝင်း"]
    assert segment("နန္ဒာ") == ["နန္", "ဒာ"]
    assert segment("ဒေါ်အောင်ဆန်းစုကြည်") == ["ဒေါ်", "အောင်", "ဆန်း", "စု", "ကြည်"]


def test_common_names_romanize_to_their_conventional_spelling():
    assert romanize_words("အောင်ကျော်") == ("Aung", "Kyaw")
    assert romanize_words("ဒေါ်အောင်ဆန်းစုကြည်") == ("Daw", "Aung", "San", "Su", "Kyi")
    assert romanize_words("ဦးမောင်မောင်") == ("U", "Maung", "Maung")
    assert romanize_words("မနန္ဒာ") == ("Ma", "Nanda")
    assert romanize_words("ထွန်းထွန်းဝင်း") == ("Tun", "Tun", "Win")


def test_dot_below_and_asat_in_either_order_read_the_same():
    dot_then_asat = "\u1019\u103c\u1004\u1037\u103a"
    asat_then_dot = "\u1019\u103c\u1004\u103a\u1037"
    assert romanize_words(dot_then_asat) == romanize_words(asat_then_dot) == ("Myint",)


def test_digit_zero_typed_for_wa_is_read_as_wa():
    assert romanize_words("၀င်း") == ("Win",)


def test_unknown_syllables_fall_back_to_anyascii_one_word_each():
    words = romanize_words("ဂျူး")
    assert len(words) == 1 and words[0].isascii() and words[0]


def test_alternative_spellings_are_available_as_a_variant():
    assert romanize_words("ဝေဝေ", 1) == ("Wei", "Wei")
