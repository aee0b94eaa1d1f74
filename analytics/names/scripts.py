"""Which writing system a name is written in.

Name search treats each script differently (Han goes through pinyin, Thai
through RTGS, Burmese through a curated syllable table, the rest through
anyascii), so the first question about any string is "what script is
this?".  ``unicodedata`` has no script property, and a regex per script is
slower than one binary search over block ranges, so we keep a small sorted
table of Unicode block ranges and look characters up with ``bisect``.

Block ranges are coarser than the real Script property (a Thai digit counts
as Thai), which is what we want here: those characters travel with the
surrounding name.

Codes are ISO 15924.  Beyond the ones the project asked for we also
recognise Greek, Hebrew, Hiragana and Katakana, and say ``"Zzzz"`` (the
ISO code for "uncoded") for letters of any other script, so callers can
tell "no letters at all" (``"Zyyy"``) from "letters we don't know".
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

# (first, last, code), sorted by first; ranges never overlap.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latn"),
    (0x0061, 0x007A, "Latn"),
    (0x00AA, 0x00AA, "Latn"),
    (0x00BA, 0x00BA, "Latn"),
    (0x00C0, 0x00D6, "Latn"),
    (0x00D8, 0x00F6, "Latn"),
    (0x00F8, 0x02AF, "Latn"),
    (0x0370, 0x03FF, "Grek"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0750, 0x077F, "Arab"),
    (0x08A0, 0x08FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Laoo"),
    (0x1000, 0x109F, "Mymr"),
    (0x1100, 0x11FF, "Hang"),
    (0x1200, 0x139F, "Ethi"),
    (0x1780, 0x17FF, "Khmr"),
    (0x19E0, 0x19FF, "Khmr"),
    (0x1C80, 0x1C8F, "Cyrl"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x1F00, 0x1FFF, "Grek"),
    (0x2C60, 0x2C7F, "Latn"),
    (0x2D80, 0x2DDF, "Ethi"),
    (0x2DE0, 0x2DFF, "Cyrl"),
    (0x2E80, 0x2FDF, "Hani"),
    (0x3005, 0x3005, "Hani"),
    (0x3007, 0x3007, "Hani"),
    (0x3021, 0x3029, "Hani"),
    (0x3038, 0x303B, "Hani"),
    (0x3040, 0x309F, "Hira"),
    (0x30A0, 0x30FF, "Kana"),
    (0x3130, 0x318F, "Hang"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3400, 0x4DBF, "Hani"),
    (0x4E00, 0x9FFF, "Hani"),
    (0xA640, 0xA69F, "Cyrl"),
    (0xA720, 0xA7FF, "Latn"),
    (0xA8E0, 0xA8FF, "Deva"),
    (0xA960, 0xA97F, "Hang"),
    (0xA9E0, 0xA9FF, "Mymr"),
    (0xAA60, 0xAA7F, "Mymr"),
    (0xAB00, 0xAB2F, "Ethi"),
    (0xAB30, 0xAB6F, "Latn"),
    (0xAC00, 0xD7FF, "Hang"),
    (0xF900, 0xFAFF, "Hani"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0xFF21, 0xFF3A, "Latn"),
    (0xFF41, 0xFF5A, "Latn"),
    (0xFF66, 0xFF9F, "Kana"),
    (0xFFA0, 0xFFDC, "Hang"),
    (0x1E7E0, 0x1E7FF, "Ethi"),
    (0x20000, 0x2FA1F, "Hani"),
    (0x30000, 0x323AF, "Hani"),
)
_STARTS = [r[0] for r in _RANGES]

# Combining diacritics (U+0300 block and friends) belong to whatever letter
# they follow; callers see them as "Zinh" (ISO 15924 "inherited").
_INHERITED = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))

_cache: dict[str, str | None] = {}


def script_of(ch: str) -> str | None:
    """ISO 15924 code for one character, ``None`` for separators.

    ASCII digits count as Latin (they stay inside a Latin word); combining
    diacritics are ``"Zinh"``; letters outside the table are ``"Zzzz"``;
    everything else (spaces, punctuation, symbols, other digits) is
    ``None``.  Results are memoised per character because names reuse a
    small alphabet.
    """
    try:
        return _cache[ch]
    except KeyError:
        pass
    cp = ord(ch)
    code: str | None = None
    i = bisect_right(_STARTS, cp) - 1
    if i >= 0 and cp <= _RANGES[i][1]:
        code = _RANGES[i][2]
    elif 0x30 <= cp <= 0x39:
        code = "Latn"
    elif any(a <= cp <= b for a, b in _INHERITED):
        code = "Zinh"
    elif ch.isalpha():
        code = "Zzzz"
    if len(_cache) < 100_000:
        _cache[ch] = code
    return code


def detect_script(text: str) -> str:
    """ISO 15924 code of the dominant script of ``text``.

    Dominant means "most letters" (letters and combining marks both count,
    because Thai, Burmese and Indic vowels are marks).  Ties go to the
    script seen first.  Returns ``"Zyyy"`` when there are no letters.
    """
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else "Zyyy"
    counts: dict[str, int] = {}
    for ch in text:
        code = script_of(ch)
        if code is None or code == "Zinh":
            continue
        if code == "Latn" and not ch.isalpha():
            continue  # ASCII digits are not letters
        if code != "Latn" and unicodedata.category(ch)[0] not in "LM":
            continue  # digits and punctuation inside a script block
        counts[code] = counts.get(code, 0) + 1
    if not counts:
        return "Zyyy"
    return max(counts, key=counts.__getitem__)  # dicts keep first-seen order
