"""Latin spellings of a name written in any script.

Caseworkers, passports and people themselves write the same name in
different scripts; search and record linkage compare them in Latin.
Each script gets the romanization people actually use for names:

* Han: pinyin without tones, surname and given name as two words
  ("王小明" -> "Wang Xiaoming"), see ``han``.
* Thai: RTGS via pythainlp's offline rule-based "royin" engine, one Latin
  word per Thai word.  It needs no model download; it is imperfect on
  some spellings (e.g. อรุณ -> "Run"), but it is deterministic, which is
  what search needs since stored names and queries go through the same
  function.
* Burmese: curated syllable table, see ``burmese``.
* Hangul: anyascii per syllable, grouped as surname + given name like Han.
* Everything else: anyascii, with its apostrophes/backticks (glottal stop
  and ejective marks) dropped because people never type them in names.

Latin text is returned unchanged.  In mixed text, Latin parts are kept and
every other run of one script is converted in place.

A Han run is read in name mode (surname + given name) only when it is the
only Han run in the text and has 2-4 characters; otherwise each run is one
word, so "张 伟" and "欧阳 娜娜" still come out right and transliterated
foreign names such as "阿卜杜拉·买买提" give "Abudula Maimaiti".
"""

from __future__ import annotations

import os
from functools import lru_cache

from anyascii import anyascii

from . import burmese, han
from .scripts import script_of

_HANGUL_COMPOUND_SURNAMES = frozenset("남궁 선우 황보 제갈 독고 사공 서문".split())


def _title(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


@lru_cache(maxsize=16384)
def segments(text: str) -> tuple[tuple[str, str], ...]:
    """Split text into (script, chunk) pairs.

    Whitespace separates chunks.  Punctuation and symbols count as Latin
    so that "Jean-Pierre" or "(Wang)" stay whole; combining marks stay
    with whatever they follow.  A chunk of another script ends at any
    character that is not of that script.
    """
    out: list[tuple[str, str]] = []
    code, chunk = "", ""
    for ch in text:
        if ch.isspace():
            if chunk:
                out.append((code, chunk))
            code, chunk = "", ""
            continue
        c = script_of(ch) or "Latn"
        if c == "Zinh":
            c = code or "Latn"
        if c != code and chunk:
            out.append((code, chunk))
            chunk = ""
        code = c
        chunk += ch
    if chunk:
        out.append((code, chunk))
    return tuple(out)


def is_latin(text: str) -> bool:
    """True when nothing in ``text`` needs romanizing."""
    return text.isascii() or all(code == "Latn" for code, _ in segments(text))


@lru_cache(maxsize=8192)
def _thai_word(word: str) -> str:
    # Read-only mode stops pythainlp from creating ~/pythainlp-data: we
    # only use data shipped inside the package.  Respect an explicit setting.
    if "PYTHAINLP_READ_ONLY" not in os.environ and "PYTHAINLP_READ_MODE" not in os.environ:
        os.environ["PYTHAINLP_READ_ONLY"] = "1"
    try:
        from pythainlp.transliterate import romanize as thai_romanize

        latin = thai_romanize(word, engine="royin")
    except Exception:  # pythainlp missing or choking on odd input
        latin = ""
    if not latin.strip() or not latin.isascii():
        latin = anyascii(word)
    return latin


def _anyascii_words(chunk: str) -> list[str]:
    latin = anyascii(chunk).replace("'", "").replace("`", "")
    return [_title(w) for w in latin.split()]


def _hangul_words(chunk: str, name_mode: bool) -> list[list[str]]:
    syllables = [anyascii(c).lower() for c in chunk]
    syllables = [s for s in syllables if s.isalpha()]
    if name_mode and 2 <= len(chunk) <= 4 and len(syllables) == len(chunk):
        cut = 2 if len(chunk) >= 3 and chunk[:2] in _HANGUL_COMPOUND_SURNAMES else 1
        return [syllables[:cut], syllables[cut:]]
    return [syllables] if syllables else []


# Styles: "pinyin" (romanize), "syllables" (every Han/Hangul syllable its
# own word: what queries use), "wg" (Wade-Giles), "hk" (Cantonese surname),
# "passport" (ü written yu as on PRC passports), "alt" (Burmese
# alternative spellings).
@lru_cache(maxsize=16384)
def words(text: str, style: str = "pinyin") -> tuple[str, ...]:
    """Latin words for ``text`` in one romanization style."""
    segs = segments(text)
    han_runs = sum(1 for code, _ in segs if code == "Hani")
    hangul_runs = sum(1 for code, _ in segs if code == "Hang")
    out: list[str] = []
    for code, chunk in segs:
        if code == "Latn":
            if any(c.isalnum() for c in chunk):
                out.append(chunk)
        elif code == "Hani":
            groups = han.name_words(chunk, han_runs == 1)
            out.extend(_han_style(chunk, groups, style))
        elif code == "Hang":
            groups = _hangul_words(chunk, hangul_runs == 1)
            if style == "syllables":
                out.extend(_title(s) for g in groups for s in g)
            else:
                out.extend(_title("".join(g)) for g in groups)
        elif code == "Thai":
            out.extend(_anyascii_words(_thai_word(chunk)))
        elif code == "Mymr":
            out.extend(burmese.romanize_words(chunk, 1 if style == "alt" else 0))
        else:
            out.extend(_anyascii_words(chunk))
    return tuple(out)


def _han_style(chunk: str, groups: tuple[tuple[str, ...], ...], style: str) -> list[str]:
    if style == "syllables":
        return [_title(s) for g in groups for s in g]
    if style == "wg":
        return [_title("-".join(han.wade_giles(s) for s in g)) for g in groups]
    joined = [_title("".join(g)) for g in groups]
    if style == "passport":
        return [w.replace("ü", "yu") for w in joined]
    if style == "hk" and len(groups) == 2:
        surname = han.cantonese_surname(chunk)
        if surname:
            return [surname, *joined[1:]]
    return joined


def romanize(text: str) -> str:
    """Latin romanization of a name, Title Case words; Latin is unchanged."""
    if is_latin(text):
        return text
    return " ".join(words(text))


@lru_cache(maxsize=8192)
def _variants(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for style in ("pinyin", "wg", "hk", "passport", "alt"):
        form = " ".join(words(text, style))
        if form:
            seen.setdefault(form, None)
    return tuple(seen)


def romanize_variants(text: str) -> list[str]:
    """Deterministic list of plausible Latin spellings, ``romanize`` first.

    Han names add Wade-Giles ("Wang Hsiao-ming"), the Hong Kong surname
    form when the surname is in our table ("Cheung Wei" - the given name
    stays pinyin because we have no offline Cantonese readings) and the
    PRC-passport "yu" spelling of ü ("Lyu").  Burmese names add the
    alternative syllable spellings ("Wei" for ဝေ).  Latin input gives
    ``[text]``.
    """
    if is_latin(text):
        return [text]
    return list(_variants(text))
