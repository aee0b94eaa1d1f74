"""Turning a person as written on some list into the features the linkage model compares.

Every name, in whatever script, becomes Latin tokens under each plausible romanization
(pinyin, Wade-Giles, Cantonese surnames, Thai, the Burmese syllable table, anyascii for the
rest) plus a "skeleton" of each token that erases the spelling differences transliteration
conventions make (Zhang/Chang, Hsiao/Xiao, Sukchai/Sukjai, Htun/Tun). Word order is dropped
(family-name-first lists meet given-name-first lists) and initials are kept apart so that
"A. Kyaw" can still meet "Aung Kyaw". Django-free: the same code prepares registry rows and
raw CSV lists, on DuckDB or Spark.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from analytics.linkage.phones import to_e164
from analytics.names import detect_script, romanize_variants, search_key
from analytics.names.romanize import is_latin

# Transliteration alternations, applied in order to a lower-case ASCII token. Chosen so that the
# conventions met in this crisis collapse: Wade-Giles vs pinyin (ch/zh/j/q, hs/x, k/g, p/b,
# t/d, ts/z/c), RTGS vs everyday Thai spellings (ph/p, th/t, kh/k, j/ch), Burmese (Htun/Tun,
# Kyaw/Chaw) and Latin habits (v/w, y/i, doubled letters).
_SKELETON_RULES = (
    ("tch", "c"), ("dzh", "c"), ("tsh", "c"), ("hs", "x"), ("sh", "x"), ("zh", "c"), ("ch", "c"),
    ("ts", "c"), ("tz", "c"), ("j", "c"), ("q", "c"), ("z", "c"),
    ("kh", "k"), ("gh", "k"), ("g", "k"), ("ph", "p"), ("b", "p"), ("f", "p"), ("th", "t"), ("ht", "t"),
    ("d", "t"), ("v", "w"), ("y", "i"), ("ee", "i"), ("oo", "u"), ("ou", "u"), ("ue", "u"), ("ü", "u"),
    ("h", ""), ("'", ""),
)
_DOUBLE = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """A loose phonetic key of one Latin token; equal skeletons = plausible transliterations."""
    s = token.lower()
    for old, new in _SKELETON_RULES:
        s = s.replace(old, new)
    s = _DOUBLE.sub(r"\1", s)
    return s or token.lower()


_VOWELS = str.maketrans("", "", "aeiouy")


def consonants(token: str) -> str:
    """The skeleton without vowels: abjads (Arabic, Urdu), Indic and Lao transliterations drop
    vowels that Latin spellings write (Adnan/'dnn, Ajay/ajy, Somphone/somphn); consonants agree."""
    return skeleton(token).translate(_VOWELS)


# Scripts that leave vowels unwritten or that transliterators drop (abjads, Brahmic abugidas,
# Ge'ez), and the nationalities whose names are mostly written in them: only these names get
# consonant keys. For pinyin-like names consonants alone say too little (Zhang Jin ~ Chen Huaqiang).
VOWELLESS_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu",
                               "Knda", "Mlym", "Sinh", "Laoo", "Thai", "Khmr", "Mymr", "Ethi", "Tibt"})
VOWELLESS_NATIONALITIES = frozenset({
    "AFG", "ARE", "BGD", "BHR", "BTN", "DZA", "EGY", "ERI", "ETH", "IND", "IRN", "IRQ", "ISR", "JOR", "KHM", "KWT", "LAO",
    "LBN", "LBY", "LKA", "MAR", "MDV", "MMR", "NPL", "OMN", "PAK", "PSE", "QAT", "SAU", "SDN", "SYR", "THA", "TUN",
    "XXA", "YEM",
})


@dataclass(frozen=True, slots=True)
class NameFeatures:
    tokens: tuple[str, ...]  # every Latin token of every writing, sorted, unique
    skeletons: tuple[str, ...]  # skeletons of the tokens, sorted, unique
    keys: tuple[str, ...]  # each writing's tokens sorted and joined: order-free whole names
    primary: str  # the first writing's sorted tokens joined (for string similarity)
    primary_skeleton: str
    joined_keys: tuple[str, ...]  # skeletons joined without spaces, sorted and in written order
    consonant_keys: tuple[str, ...]  # consonants of each writing, joined sorted and in written order
    initials: str  # sorted first letters of the primary writing's tokens
    native: str | None  # non-Latin name, normalised, spaces removed


def _latin_tokens(text: str) -> list[str]:
    key = search_key(unicodedata.normalize("NFKD", text))
    key = "".join(ch for ch in key if ord(ch) < 128 or ch.isspace())
    return [t for t in _NON_WORD.split(key) if t]


@lru_cache(maxsize=200_000)
def _writings(name: str) -> tuple[tuple[str, ...], ...]:
    """Token lists of every plausible Latin writing of one name."""
    out: list[tuple[str, ...]] = []
    for form in romanize_variants(name) if not is_latin(name) else [name]:
        tokens = _latin_tokens(form)
        if tokens:
            out.append(tuple(tokens))
            # "Hsiao-ming" and "Xiaoming" are one given name written two ways.
            if any("-" in w for w in form.split()):
                joined = _latin_tokens(form.replace("-", ""))
                if joined != tokens:
                    out.append(tuple(joined))
    return tuple(out)


def name_features(names: list[str], nationality: str | None = None) -> NameFeatures:
    writings: list[tuple[str, ...]] = []
    native = None
    vowelless = nationality in VOWELLESS_NATIONALITIES
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        if native is None and not is_latin(name):
            native = "".join(search_key(name).split()) or None
            vowelless = vowelless or detect_script(name) in VOWELLESS_SCRIPTS
        writings.extend(_writings(name))
    tokens = sorted({t for w in writings for t in w})
    full = [t for t in tokens if len(t) > 1]
    keys = sorted({" ".join(sorted(t for t in w if len(t) > 1)) for w in writings} - {""})
    primary_tokens = sorted(writings[0]) if writings else []
    joined_keys = set()
    for w in writings:
        parts = [skeleton(t) for t in w]
        # Lost or extra spaces ("WANGKUN", "Hsiao-ming") and either name order agree here.
        joined_keys.update(_DOUBLE.sub(r"\1", "".join(p)) for p in (sorted(parts), parts, parts[::-1]))
    consonant_keys = set()
    for w in writings if vowelless else ():
        parts = [consonants(t) for t in w]
        # In written order too, so a name whose spaces were lost ("BERHANUGIRMA") still agrees.
        for joined in (_DOUBLE.sub(r"\1", "".join(p)) for p in (sorted(parts), parts, parts[::-1])):
            if len(joined) >= 3:
                consonant_keys.add(joined)
    primary = " ".join(t for t in primary_tokens if len(t) > 1)
    return NameFeatures(
        tokens=tuple(full),
        skeletons=tuple(sorted({skeleton(t) for t in full})),
        keys=tuple(keys),
        primary=primary,
        primary_skeleton=" ".join(sorted(skeleton(t) for t in primary.split())),
        joined_keys=tuple(sorted(k for k in joined_keys if len(k) >= 4)),
        consonant_keys=tuple(sorted(consonant_keys)),
        initials="".join(sorted(t[0] for t in primary_tokens)),
        native=native,
    )


def _digits_tail(e164: str | None) -> str | None:
    return e164[-8:] if e164 and len(e164) >= 9 else None


def document_key(number: str | None) -> str | None:
    key = "".join(ch for ch in (number or "").upper() if ch.isalnum())
    return key if len(key) >= 5 else None


ARRAY_COLUMNS = ("name_tokens", "name_skeletons", "name_keys", "name_joined", "name_consonants")
# The columns handed to Splink, in order (see features()).
COLUMNS = (
    "unique_id", "name_tokens", "name_skeletons", "name_keys", "name_primary", "name_skeleton", "name_initials",
    "name_native", "name_joined", "name_consonants", "dob", "dob_month", "dob_year", "sex", "nationality", "document", "phone", "phone_tail",
    "compound", "event_date", "address",
)


def features(
    *,
    unique_id: str,
    names: list[str],
    date_of_birth: date | None = None,
    dob_precision: str = "day",
    sex: str | None = None,
    nationality: str | None = None,
    documents: list[str] | None = None,
    phones: list[str] | None = None,
    compound: str | None = None,
    event_date: date | None = None,
    address: str | None = None,
) -> dict:
    """One record as Splink reads it. Unknown values are None, never "" (Splink's null level)."""
    n = name_features(names, nationality)
    docs = [d for d in (document_key(x) for x in documents or []) if d]
    phone = next((p for p in (to_e164(x, nationality) for x in phones or []) if p), None)
    precision = dob_precision if date_of_birth else "unknown"
    return {
        "unique_id": unique_id,
        "name_tokens": list(n.tokens) or None,
        "name_skeletons": list(n.skeletons) or None,
        "name_keys": list(n.keys) or None,
        "name_primary": n.primary or None,
        "name_skeleton": n.primary_skeleton or None,
        "name_initials": n.initials or None,
        "name_native": n.native,
        "name_joined": list(n.joined_keys) or None,
        "name_consonants": list(n.consonant_keys) or None,
        "dob": date_of_birth.isoformat() if precision == "day" else None,
        "dob_month": date_of_birth.strftime("%Y-%m") if precision in ("day", "month") else None,
        "dob_year": date_of_birth.year if precision in ("day", "month", "year") else None,
        "sex": sex if sex in ("male", "female") else None,
        "nationality": nationality or None,
        "document": docs[0] if docs else None,
        "phone": phone,
        "phone_tail": _digits_tail(phone),
        "compound": compound or None,
        "event_date": event_date.isoformat() if event_date else None,
        "address": " ".join(search_key(address).split()) if address else None,
    }
