"""Burmese names: syllables and their conventional Latin spellings.

There is no standard romanization that Burmese people actually use for
their names.  Passports and NGO intake forms use a loose conventional
spelling per syllable (အောင် "Aung", ကျော် "Kyaw", ...), one Latin word per
syllable ("Aung Kyaw").  Generic transliterators such as anyascii produce
something unrecognisable ("'eankyea"), so we segment into syllables and look
the common name syllables up in a curated table; only unknown syllables fall
back to anyascii.

Segmentation rule: a syllable starts at every Myanmar letter (consonant or
independent vowel) except a consonant that is killed by asat (U+103A,
optionally after the dot below U+1037) or that is the upper half of a
virama (U+1039) stack; those close the current syllable instead.  The
consonant under a virama starts a new syllable, so နန္ဒာ is နန္ + ဒာ; the
table holds such multi-syllable words (Nanda) and lookup is greedy
longest-match over up to three syllables.

Input is NFC-normalised first: this fixes the common order ambiguity of
dot below vs. asat (U+1037 sorts before U+103A canonically) and composes
ဥ + ီ into ဦ.  Myanmar digit zero (၀) is replaced by the letter wa (ဝ) inside
words, because people type one for the other and they look identical.
Zawgyi-encoded text is not detected or converted.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii

_ASAT = "\u103a"
_VIRAMA = "\u1039"
_DOT_BELOW = "\u1037"

# Burmese text -> conventional spellings (first one is the primary, the
# others are common alternatives that go into romanize_variants).
# Keep one entry per line; tests check every key segments as documented.
_TABLE_SOURCE = """
အောင် Aung
ကျော် Kyaw
မောင် Maung
မြင့် Myint
ဝင်း Win
ထွန်း Tun Htun
သန်း Than
စိုး Soe
လှ Hla
ခင် Khin
ကြည် Kyi
ဇော် Zaw
နိုင် Naing
မင်း Min
သူ Thu
ဦး U Oo
ဒေါ် Daw
စန်း San
မြ Mya
နု Nu
ချို Cho
ဖြိုး Phyo
ကို Ko
မ Ma
ထက် Htet
ပိုင် Paing
ရဲ Ye
လင်း Lin
ဟိန်း Hein
သက် Thet
ထူး Htoo Htu
ညွန့် Nyunt
ဆွေ Swe
ဝေ Wai Wei
ခိုင် Khaing
ဇင် Zin
မိုး Moe
သီ Thi
ရီ Yi
နွယ် Nwe
ပြည့် Pyae Pyi
စု Su
မြတ် Myat
သိန်း Thein
ထွေး Htwe
ဌေး Htay Htei
ထေး Htay
မျိုး Myo
ဖြူ Phyu
ဆန်း San Hsan
ဆု Su Hsu
စော Saw
အေး Aye
ငြိမ်း Nyein
လွင် Lwin
ကောင်း Kaung
ရန် Yan
နောင် Naung
တင် Tin
ထင် Htin
ကြီး Gyi Kyi
ငယ် Nge
လေး Lay Lei
စိန် Sein
ဖုန်း Phone Phon
ပြုံး Pyone
သော် Thaw
ဟန် Han
ချစ် Chit
နှင်း Hnin
ယဉ် Yin
ဝါ War Wa
မာ Mar Ma
ဇာ Zar Za
တင့် Tint
ထွဋ် Htut
ထွတ် Htut
နေ Nay Ne
ခန့် Khant
သန့် Thant
လှိုင် Hlaing
ချမ်း Chan
အိ Ei
မေ May Mei
ပန်း Pan
ပွင့် Pwint
ညီ Nyi
ရွှေ Shwe
ထား Htar Hta
သစ် Thit
မီ Mi
ဇေ Zay Ze
နန်း Nan
ဘ Ba
ဘို Bo
ဗိုလ် Bo
စိုင်း Sai
နော် Naw
ဝဏ္ဏ Wunna
ရတနာ Yadanar Yadana
သဇင် Thazin
သီတာ Thida
နန္ဒာ Nanda Nandar
စန္ဒာ Sanda Sandar
သန္တာ Thanda Thandar
သူရ Thura
ဇေယျာ Zeyar Zeya
ဆလိုင်း Salai
"""


def _parse_table(source: str) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for line in source.strip().splitlines():
        burmese, *spellings = line.split()
        table[unicodedata.normalize("NFC", burmese)] = tuple(spellings)
    return table


SYLLABLES: dict[str, tuple[str, ...]] = _parse_table(_TABLE_SOURCE)
_MAX_ENTRY_SYLLABLES = 3


def _is_letter(ch: str) -> bool:
    """Myanmar consonants, independent vowels and extension letters."""
    cp = ord(ch)
    return 0x1000 <= cp <= 0x109F and unicodedata.category(ch) == "Lo"


def _clean(word: str) -> str:
    word = unicodedata.normalize("NFC", word)
    if "\u1040" in word and any(_is_letter(c) for c in word):
        word = word.replace("\u1040", "\u101d")  # digit zero typed for wa
    return word


def segment(text: str) -> list[str]:
    """Split Burmese text into syllables (whitespace also separates)."""
    out: list[str] = []
    for word in text.split():
        word = _clean(word)
        current = ""
        n = len(word)
        for i, ch in enumerate(word):
            starts = False
            if _is_letter(ch):
                j = i + 1
                while j < n and word[j] == _DOT_BELOW:
                    j += 1
                killed = j < n and word[j] in (_ASAT, _VIRAMA)
                starts = not killed
            if starts and current:
                out.append(current)
                current = ""
            current += ch
        if current:
            out.append(current)
    return out


def _fallback(syllable: str) -> str:
    latin = anyascii(syllable).replace("'", "").replace("`", "")
    return latin[:1].upper() + latin[1:].lower()


@lru_cache(maxsize=8192)
def romanize_words(text: str, variant: int = 0) -> tuple[str, ...]:
    """Conventional Latin words for a Burmese string, one per table entry.

    ``variant=0`` uses each entry's primary spelling; ``variant=1`` uses
    its first alternative where it has one.  Syllables missing from the
    table are transliterated with anyascii, one word each.
    """
    syllables = segment(text)
    words: list[str] = []
    i = 0
    while i < len(syllables):
        for size in range(min(_MAX_ENTRY_SYLLABLES, len(syllables) - i), 0, -1):
            spellings = SYLLABLES.get("".join(syllables[i : i + size]))
            if spellings:
                words.append(spellings[min(variant, len(spellings) - 1)])
                i += size
                break
        else:
            latin = _fallback(syllables[i])
            if latin:
                words.append(latin)
            i += 1
    return tuple(words)
