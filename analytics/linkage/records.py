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
# Kyaw/Chaw), sh/s (Sharma and शर्मा's "srma") and Latin habits (v/w, y/i, doubled letters).
_SKELETON_RULES = (
    ("tch", "c"), ("dzh", "c"), ("tsh", "c"), ("sh", "s"), ("zh", "c"), ("ch", "c"),
    ("ts", "c"), ("tz", "c"), ("j", "c"), ("q", "c"), ("z", "c"),
    ("kh", "k"), ("gh", "k"), ("g", "k"), ("ph", "p"), ("b", "p"), ("f", "p"), ("th", "t"), ("ht", "t"),
    ("d", "t"), ("v", "w"), ("y", "i"), ("ee", "i"), ("oo", "u"), ("ou", "u"), ("ue", "u"), ("ü", "u"),
    ("h", ""), ("'", ""),
)
# Wade-Giles hs is pinyin x only before i or u (Hsiao, Hsu); elsewhere "hs" is an h and an s, as
# in the transliteration of Arabic حسین ("hsyn", Hussain).
_WADE_GILES_HS = re.compile(r"hs(?=[iuü])")
_DOUBLE = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """A loose phonetic key of one Latin token; equal skeletons = plausible transliterations."""
    s = _WADE_GILES_HS.sub("x", token.lower())
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


# Spellings of frequent Muslim names (Arabic, Urdu, Malay, Bengali, Indonesian, Ethiopian lists)
# that differ in vowels or by abbreviation, and anyascii's vowelless reading of their Arabic-script
# form (محمد "mhmd"), mapped to one form: like the Burmese syllable table, a curated list, because
# no rule turns "Mohd" or "mhmd" into "Muhammad". One line a name: the form used, then variants.
# Left out on purpose: "mr" (عمر, but also the title Mr) and "bt" (بٹ, but also Malay binti).
_NAME_VARIANTS_SOURCE = """
muhammad mohammad mohammed muhammed mohamad mohamed mohamud muhamad mohd md mohammod mahomed mhmd
ahmad ahmed ahmet hmd
ali aly ly
umar omar umer
yusuf yusof yousuf yousef yousaf yusoff ywsf
usman osman othman uthman thmn
hasan hassan hsn
husain hussain hussein husein hossain hosain hsyn
ismail ismael esmail
ibrahim ebrahim brhym
abdullah abdallah abdulla bdllh
abdul abdel abd
mustafa mostafa mustapha mstfy
rahman rehman rhmn
rahim raheem
karim kareem krym
nur noor nour nwr
siddiq siddique siddik
khan khn
malik malick mlk
shahid shahed shhd
abbasi abbasy bsy
butt
iqbal ikbal qbl
chaudhry chaudhary chaudhri chowdhury choudhury chaudhari chwhdry
zeeshan zishan dhyshn
"""
_NAME_VARIANTS = {variant: words.split()[0] for words in _NAME_VARIANTS_SOURCE.strip().splitlines()
                  for variant in words.split()}


def _latin_tokens(text: str) -> list[str]:
    key = search_key(unicodedata.normalize("NFKD", text))
    key = "".join(ch for ch in key if ord(ch) < 128 or ch.isspace())
    return [_NAME_VARIANTS.get(t, t) for t in _NON_WORD.split(key) if t]


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


@dataclass(frozen=True, slots=True)
class _OneName:
    writings: tuple[tuple[str, ...], ...]
    tokens: frozenset[str]
    keys: frozenset[str]
    joined: frozenset[str]
    consonants: frozenset[str]
    native: str | None
    vowelless_script: bool


def _join_orders(parts: list[str]) -> set[str]:
    # Sorted, as written and reversed: either name order, and lost or extra spaces ("WANGKUN",
    # "BERHANUGIRMA"), agree.
    return {_DOUBLE.sub(r"\1", "".join(p)) for p in (sorted(parts), parts, parts[::-1])}


@lru_cache(maxsize=400_000)
def _one_name(name: str) -> _OneName:
    """Everything derived from one name alone (cached: the same names recur across lists)."""
    writings = _writings(name)
    latin = is_latin(name)
    joined: set[str] = set()
    consonant_keys: set[str] = set()
    for w in writings:
        joined |= _join_orders([skeleton(t) for t in w])
        consonant_keys |= _join_orders([consonants(t) for t in w])
    return _OneName(
        writings=writings,
        tokens=frozenset(t for w in writings for t in w if len(t) > 1),
        keys=frozenset(" ".join(sorted(t for t in w if len(t) > 1)) for w in writings) - {""},
        joined=frozenset(k for k in joined if len(k) >= 4),
        consonants=frozenset(k for k in consonant_keys if len(k) >= 3),
        native=None if latin else ("".join(search_key(name).split()) or None),
        vowelless_script=not latin and detect_script(name) in VOWELLESS_SCRIPTS,
    )


# Names computed by worker processes for a large run (analytics.linkage.parallel).
PRECOMPUTED: dict[str, _OneName] = {}


def _name(name: str) -> _OneName:
    return PRECOMPUTED.get(name) or _one_name(name)


def name_features(names: list[str], nationality: str | None = None) -> NameFeatures:
    parts = [_name(n.strip()) for n in names if n and n.strip()]
    parts = [p for p in parts if p.writings]
    if not parts:
        return NameFeatures((), (), (), "", "", (), (), "", None)
    vowelless = nationality in VOWELLESS_NATIONALITIES or any(p.vowelless_script for p in parts)
    tokens = sorted(frozenset().union(*(p.tokens for p in parts)))
    primary_tokens = sorted(parts[0].writings[0])
    primary = " ".join(t for t in primary_tokens if len(t) > 1)
    return NameFeatures(
        tokens=tuple(tokens),
        skeletons=tuple(sorted({skeleton(t) for t in tokens})),
        keys=tuple(sorted(frozenset().union(*(p.keys for p in parts)))),
        primary=primary,
        primary_skeleton=" ".join(sorted(skeleton(t) for t in primary.split())),
        joined_keys=tuple(sorted(frozenset().union(*(p.joined for p in parts)))),
        consonant_keys=tuple(sorted(frozenset().union(*(p.consonants for p in parts)))) if vowelless else (),
        initials="".join(sorted(t[0] for t in primary_tokens)),
        native=next((p.native for p in parts if p.native), None),
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
