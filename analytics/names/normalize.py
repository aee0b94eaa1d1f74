"""Search keys and index/query tokens for names in any script.

The search model this module is built for: every stored name contributes
``index_tokens(name)`` to its person's token set; a query matches a person
when EVERY token of ``query_tokens(query)`` is a prefix of SOME token in
that set.  Prefix matching makes typing-as-you-go work ("Wang Xiao" finds
"Wang Xiaoming"); requiring all query tokens keeps results narrow.

Because all query tokens are required, a query can only use one spelling
per word (there is no OR).  So the rules are:

1. Queries are compared in Latin.  A Latin query gives the tokens of
   ``search_key(query)``.  Any other query is romanized first; Han (and
   Hangul) queries are split into one token per syllable, so "张伟" searches
   "zhang" AND "wei" and "小明" searches "xiao" AND "ming".  Typing Chinese
   therefore finds a person known only by the pinyin on their passport.
2. The index is generous, because a stored name must satisfy every way it
   may be asked for.  It holds:
   - the tokens of ``search_key(name)`` (Latin or native script: Thai and
     Burmese words, "张伟" as a whole);
   - the tokens of ``search_key`` of ``romanize(name)``, of every
     ``romanize_variants`` form (Wade-Giles, HK surname, passport "yu",
     Burmese alternatives) and of the syllable-split romanization, so each
     Han syllable is a token ("xiao", "ming") as well as the given name
     ("xiaoming");
   - hyphenated or apostrophised words also joined ("Hsiao-ming" ->
     "hsiaoming", "Jean-Pierre" -> "jeanpierre");
   - for Han names: the whole name joined ("wangxiaoming"), the native
     surname and given name ("王", "小明"), every character's standalone
     and surname readings (so "单" typed alone, read Shan, still finds a
     given name 单 read Dan), and "lv"/"lyu" spellings of ü;
   - for Burmese: each native syllable.
3. A Latin name also gives each pair of neighbouring words joined
   ("Xiao Ming" -> "xiaoming"), the whole name joined when it has 2-4 words,
   and the pinyin syllables of every word that splits into pinyin
   ("XIAOMING" -> "xiao", "ming"; "LYU" -> "lu"), so a query typed in
   characters finds a person known only by a passport spelling.
4. Every token is at most 64 characters (longer ones are cut, in queries
   too, so a long query token still prefix-matches).

Consequences, all tested: a person stored with "王小明" and "WANG XIAOMING"
is found by "王小明", "小明", "wang xiaoming", "xiaoming wang", "Wang Xiao",
"wang xiao ming" and "xiaoming"; "Nguyễn Văn Đức" by "nguyen duc" and
"Nguyễn"; "အောင်ကျော်" by "aung kyaw" and by the Burmese text; "สมชาย ใจดี"
by "somchai" and the Thai text; "አበበ ቢቂላ" by "abebe bikila".

What does not work:
- a name stored only in Wade-Giles or Cantonese Latin ("Chang Wei") is not
  found by typing the characters (the reverse works);
- typing part of an unsegmented Thai word finds nothing (the query is
  romanized as a whole);
- Thai names whose royin romanization differs from the passport spelling
  are linked only through the passport name itself.
"""

from __future__ import annotations

import string
import unicodedata
from itertools import pairwise

from . import han
from .burmese import segment as burmese_segment
from .romanize import is_latin, romanize_variants, segments, words

MAX_TOKEN = 64

_ASCII_PUNCT = str.maketrans({c: " " for c in string.punctuation + "".join(map(chr, range(32))) + "\x7f"})

# Latin letters with no Unicode decomposition that people still write
# without their mark (Vietnamese đ above all).
_LETTERS = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "ŧ": "t",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ŀ": "l",
    }
)
_DIACRITICS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))


def _is_diacritic(ch: str) -> bool:
    cp = ord(ch)
    return any(a <= cp <= b for a, b in _DIACRITICS)


def _clean_char(ch: str) -> str:
    if ch.isalnum():
        return ch
    cat = unicodedata.category(ch)
    if cat[0] == "M":
        return "" if _is_diacritic(ch) else ch  # keep Thai/Indic/Burmese vowel signs
    if cat == "Cf":
        return ""  # ZWJ, ZWNJ, soft hyphen live inside words
    if cat[0] in "PSZC":
        return " "
    return ch


class _CleanTable(dict):
    """str.translate table that fills itself: one _clean_char per distinct
    character ever seen, then C-speed lookups."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        value = _LETTERS.get(cp) or _clean_char(ch)
        if len(self) < 100_000:
            self[cp] = value
        return value


_CLEAN = _CleanTable()


def _key_once(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold()
    s = unicodedata.normalize("NFD", s).translate(_CLEAN)
    return " ".join(unicodedata.normalize("NFC", s).split())


def search_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name.

    Casefolds, strips Latin-style diacritics (the combining-diacritics
    blocks only, so Thai, Burmese and Indic vowel signs survive), maps
    đ -> d and a few similar letters, turns punctuation, symbols and
    separators into spaces and collapses whitespace.  Idempotent.
    """
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_PUNCT).split())
    key = _key_once(text)
    if key.isascii():
        return key  # ASCII lower-case words without punctuation: a fixed point
    # NFKC after casefolding can expose new foldable characters (and vice
    # versa); iterate to the fixed point so search_key is idempotent.
    for _ in range(3):
        again = _key_once(key)
        if again == key:
            break
        key = again
    return key


def _add_words(text: str, out: set[str]) -> None:
    """Tokens of search_key(text) plus each multi-part word joined.

    Works word by word: every step of search_key is per character or per
    combining sequence, which never spans whitespace, so the union of the
    words' keys equals the key of the whole text.
    """
    for word in text.split():
        parts = search_key(word).split()
        out.update(parts)
        if len(parts) > 1:
            out.add("".join(parts))


def _add_latin(text: str, out: set[str]) -> None:
    """A Latin name: its words, joined neighbours, and pinyin syllables."""
    joined_words: list[str] = []
    for word in text.split():
        parts = search_key(word).split()
        if not parts:
            continue
        out.update(parts)
        joined = "".join(parts)
        joined_words.append(joined)
        out.add(joined)
        out.update(han.split_pinyin(joined))
    for a, b in pairwise(joined_words):
        out.add(a + b)
    if 2 < len(joined_words) <= 4:
        out.add("".join(joined_words))


def _cut(tokens: set[str]) -> set[str]:
    return {t[:MAX_TOKEN] for t in tokens if t}


def index_tokens(text: str) -> set[str]:
    """Tokens a stored name should be findable by (see module docstring)."""
    out: set[str] = set()
    if text.isascii() or is_latin(text):
        _add_latin(text, out)
        return _cut(out)
    out.update(search_key(text).split())
    for form in romanize_variants(text):
        _add_words(form, out)
        if "ü" in form:
            _add_words(form.replace("ü", "v"), out)
    out.update(search_key(" ".join(words(text, "syllables"))).split())
    segs = segments(text)
    han_runs = [chunk for code, chunk in segs if code == "Hani"]
    for run in han_runs:
        _add_han(run, len(han_runs) == 1, out)
    for code, chunk in segs:
        if code == "Mymr":
            out.update(search_key(" ".join(burmese_segment(chunk))).split())
    return _cut(out)


def _add_han(run: str, name_mode: bool, out: set[str]) -> None:
    groups = han.name_words(run, name_mode)
    joined = "".join(s for g in groups for s in g)
    out.add(search_key(joined))
    if "ü" in joined:
        out.add(joined.replace("ü", "v"))
        out.add(joined.replace("ü", "yu"))
    native = search_key(run)
    if name_mode and 2 <= len(native) <= 4:
        surname, given = han.split_name(native)
        out.update((surname, given))
    for ch in native:
        for reading in han.char_readings(ch):
            out.add(search_key(reading))
            if "ü" in reading:
                out.update((reading.replace("ü", "v"), reading.replace("ü", "yu")))


def query_tokens(query: str) -> list[str]:
    """Tokens to search with, in order, without duplicates (see module docstring)."""
    if query.isascii() or is_latin(query):
        key = search_key(query)
    else:
        key = search_key(" ".join(words(query, "syllables")))
    return list(dict.fromkeys(t[:MAX_TOKEN] for t in key.split()))
