"""Overlapping lists of the same scenario people, for record-linkage tests, demos and benchmarks.

    >>> from crossing.scenario.synth import generate
    >>> from crossing.scenario.lists import linkage_lists, duplicate_list
    >>> sc = generate(people=7000, seed=7)
    >>> ab = linkage_lists(sc, size=2000, overlap=0.6, seed=1)   # ab.a, ab.b, ab.truth
    >>> dup = duplicate_list(sc, size=2000, dup_rate=0.1, seed=1)  # dup.rows, dup.truth

* List A (``RTA-HANDOVER``): the Royal Thai Army's hand-over list, names in Latin letters only, as a
  clerk writes them (swapped order, typos, merged words, initials, Wade-Giles, Burmese variants).
* List B (``EMBASSY-MISSING``): embassies' lists of missing nationals / family tracing, names in the
  person's own script where the scenario has one, E.164 phones, passport numbers with typos.
* ``size`` is the number of distinct people; every nationality of the scenario appears (at least
  ``MIN_PER_NATIONALITY`` people when the scenario has that many).

Rows are dicts with exactly ``COLUMNS`` (the import format of docs/import-format.md).  Everything is
derived from (scenario seed, lists seed); a person's row depends only on those and the person key,
never on the sampling order.  The noise is generated independently of ``analytics.names`` so that a
benchmark does not grade the matcher with its own normaliser.  Standard library only.
"""

from __future__ import annotations

import csv
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from random import Random

from . import params as P
from .documents import phone as mobile_phone
from .model import SynthPerson
from .names import _SPELLING_VARIANTS, fold
from .synth import Scenario
from .world import _apportion

COLUMNS = (
    "list_ref",
    "row_ref",
    "full_name",
    "native_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
    "phone",
    "compound",
    "handed_over_by",
    "handed_over_on",
    "facility",
)
TRUTH_AB_HEADER = ("row_ref_a", "row_ref_b", "nationality")
TRUTH_DUP_HEADER = ("row_ref", "cluster")
LIST_A, LIST_B, LIST_DUP = "RTA-HANDOVER", "EMBASSY-MISSING", "NGO-INTAKE"
MIN_PER_NATIONALITY = 5
FILES = ("a-romanized.csv", "b-native.csv", "truth-ab.csv", "duplicates.csv", "truth-duplicates.csv")

_ISO2 = {v: k for k, v in P.ISO3.items()}
_FAMILY_FIRST = frozenset({"CN", "TW", "VN", "KH", "SG"})
_PASSPORT_IN_HAND = frozenset({"holder", "police", "embassy"})


@dataclass(frozen=True)
class LinkageLists:
    a: list[dict[str, str]]
    b: list[dict[str, str]]
    truth: list[tuple[str, str, str]]  # (row_ref_a, row_ref_b, nationality), sorted
    keys: dict[str, int]  # row_ref -> scenario person key, for evaluation in code; never written out


@dataclass(frozen=True)
class DuplicateList:
    rows: list[dict[str, str]]
    truth: list[tuple[str, str]]  # (row_ref, cluster) for every row, singletons included
    keys: dict[str, int]


# --------------------------------------------------------------------------- public interface
def linkage_lists(scenario: Scenario, *, size: int, overlap: float, seed: int) -> LinkageLists:
    """Two lists of ``size`` distinct people, ``round(overlap * size)`` of them on both lists and the
    rest split between A only (handed over, never reported missing) and B only (missing, never seen)."""
    if not 0.0 <= overlap <= 1.0:
        raise ValueError("overlap must be between 0 and 1")
    ctx = _Context(scenario, seed)
    people = _sample(scenario, size, Random(f"lists:{scenario.seed}:{seed}:sample"))
    both = round(overlap * size)
    on_a = people[:both] + people[both::2]
    on_b = people[:both] + people[both + 1 :: 2]
    order = Random(f"lists:{scenario.seed}:{seed}:order")
    refs_a = _row_refs("A", on_a, order)
    refs_b = _row_refs("B", on_b, order)
    a = [ctx.romanized(p, LIST_A, refs_a[p.key], ctx.rng("A", p.key)) for p in _in_order(on_a, refs_a)]
    b = [ctx.native(p, LIST_B, refs_b[p.key], ctx.rng("B", p.key)) for p in _in_order(on_b, refs_b)]
    truth = sorted((refs_a[p.key], refs_b[p.key], p.nationalities[0]) for p in people[:both])
    keys = {refs[k]: k for refs in (refs_a, refs_b) for k in refs}
    return LinkageLists(a, b, truth, keys)


def duplicate_list(scenario: Scenario, *, size: int, dup_rate: float, seed: int) -> DuplicateList:
    """One list of ``size`` distinct people where ``round(dup_rate * size)`` of them appear 2-3 times,
    each appearance written independently in the romanized (A) or native (B) manner."""
    if not 0.0 <= dup_rate <= 1.0:
        raise ValueError("dup_rate must be between 0 and 1")
    ctx = _Context(scenario, seed)
    rng = Random(f"lists:{scenario.seed}:{seed}:duplicates")
    people = _sample(scenario, size, rng)
    repeated = round(dup_rate * size)
    # the sample order is stratified by nationality, so the first `repeated` spread over all of them
    rows_of = [(p, copy) for i, p in enumerate(people) for copy in range(_copies(i, repeated, rng))]
    rng.shuffle(rows_of)
    rows, truth, keys, clusters = [], [], {}, {}
    for i, (p, copy) in enumerate(rows_of, 1):
        ref = f"D-{i:06d}"
        r = ctx.rng(f"D{copy}", p.key)
        write = ctx.native if r.random() < 0.5 else ctx.romanized
        rows.append(write(p, LIST_DUP, ref, r))
        truth.append((ref, clusters.setdefault(p.key, f"C-{len(clusters) + 1:05d}")))
        keys[ref] = p.key
    return DuplicateList(rows, truth, keys)


def own_phone(scenario_seed: int, key: int, nationality: str) -> str:
    """The person's own mobile number (E.164), fixed by (scenario seed, key) so that all lists agree.
    The scenario itself records only the contacts' phones."""
    return mobile_phone(Random(f"own-phone:{scenario_seed}:{key}"), _ISO2.get(nationality, "XX"))


def write_list(path: str | Path, rows: Iterable[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_truth(path: str | Path, header: tuple[str, ...], records: Iterable[tuple[str, ...]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(records)


def write_all(out_dir: str | Path, linkage: LinkageLists, duplicates: DuplicateList) -> list[Path]:
    """Write the five files of ``FILES`` into ``out_dir`` (created if needed, files overwritten)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in FILES]
    write_list(paths[0], linkage.a)
    write_list(paths[1], linkage.b)
    write_truth(paths[2], TRUTH_AB_HEADER, linkage.truth)
    write_list(paths[3], duplicates.rows)
    write_truth(paths[4], TRUTH_DUP_HEADER, duplicates.truth)
    return paths


# --------------------------------------------------------------------------- sampling
def _sample(scenario: Scenario, size: int, rng: Random) -> list[SynthPerson]:
    """``size`` people, every nationality present, ordered by a rank stratified per nationality so
    that any prefix of the result holds each nationality in about its share."""
    if not 0 < size <= scenario.people_count:
        raise ValueError(f"size must be between 1 and the scenario's {scenario.people_count} people")
    by_nat: dict[str, list[int]] = {}
    for p in scenario.iter_people():  # keys only: constant memory even for 300,000 people
        by_nat.setdefault(p.nationalities[0], []).append(p.key)
    nats = sorted(by_nat)
    floors = [min(len(by_nat[n]), MIN_PER_NATIONALITY) for n in nats]
    if sum(floors) > size:
        raise ValueError(f"size {size} is too small to show every nationality: use at least {sum(floors)}")
    extra = _apportion(size - sum(floors), [len(by_nat[n]) - f for n, f in zip(nats, floors, strict=True)])
    ranked = []
    for nat, n in zip(nats, (f + e for f, e in zip(floors, extra, strict=True)), strict=True):
        for i, key in enumerate(rng.sample(by_nat[nat], n)):
            ranked.append(((i + rng.random()) / n, key))
    ranked.sort()
    return [scenario.person(key) for _, key in ranked]


def _row_refs(prefix: str, people: list[SynthPerson], rng: Random) -> dict[int, str]:
    """Shuffled, sequential references: neither the order nor the number says who the person is."""
    keys = [p.key for p in people]
    rng.shuffle(keys)
    return {key: f"{prefix}-{i:06d}" for i, key in enumerate(keys, 1)}


def _in_order(people: list[SynthPerson], refs: dict[int, str]) -> list[SynthPerson]:
    return sorted(people, key=lambda p: refs[p.key])


def _copies(i: int, repeated: int, rng: Random) -> int:
    return 1 if i >= repeated else (3 if rng.random() < 0.3 else 2)


# --------------------------------------------------------------------------- the two ways of writing a row
class _Context:
    def __init__(self, scenario: Scenario, seed: int):
        self.scenario_seed, self.seed = scenario.seed, seed
        self.events = {e.key: e for e in scenario.rescue_events}
        self.compounds = {c.key: c for c in scenario.compounds}

    def rng(self, part: str, key: int) -> Random:
        return Random(f"lists:{self.scenario_seed}:{self.seed}:{part}:{key}")

    def romanized(self, p: SynthPerson, list_ref: str, row_ref: str, rng: Random) -> dict[str, str]:
        """An army clerk's row: Latin letters only, noisy spelling, passport often confiscated."""
        nat = p.nationalities[0]
        iso2 = _ISO2[nat]
        written_nat = _clerk_nationality(nat, rng)
        number = _passport(p)
        if number and rng.random() >= (0.9 if _custodian(p) in _PASSPORT_IN_HAND else 0.15):
            number = ""  # confiscated or lost: only sometimes known from a copy
        if number and rng.random() < 0.03:
            number = _number_typo(number, rng)
        phone = ""
        if rng.random() < 0.3:
            e164 = own_phone(self.scenario_seed, p.key, nat)
            # a national number only reads back with the right nationality (the importer's default region)
            local = written_nat == nat and rng.random() < 0.7
            phone = (_national(e164, iso2) if local else None) or _international(e164)
        event = self.events.get(p.rescue_event_key)
        return _row(
            list_ref,
            row_ref,
            full_name=_clerk_spelling(p, iso2, rng),
            sex="" if rng.random() < 0.02 else _SEX.get(p.sex, ""),
            date_of_birth=_dob_text(p, rng, year_only=0.25, swapped=0.02, from_age=0.4),
            nationality=written_nat,
            passport_number=number,
            phone=phone,
            compound=self._compound(p, rng, blank=0.1, alias_script="Thai"),
            handed_over_by=event.handed_over_by if event else "",
            handed_over_on=event.occurred_on.isoformat() if event else "",
        )

    def native(self, p: SynthPerson, list_ref: str, row_ref: str, rng: Random) -> dict[str, str]:
        """An embassy's or a family's row: the name in the person's own script, passport number on file."""
        native = next((n.full_name for n in p.names if n.kind == "native" and not _plain_latin(n)), "")
        full = ""
        if not native or rng.random() < 0.25:
            latin = _latin_name(p)
            # a Vietnamese name with diacritics is already the native name: add the passport form
            full = _light_noise(
                fold(latin).upper() if latin == native else latin, _ISO2[p.nationalities[0]], rng
            )
        number = _passport(p) if rng.random() < 0.8 else ""
        if number and rng.random() < 0.06:
            number = _number_typo(number, rng)
        phone = own_phone(self.scenario_seed, p.key, p.nationalities[0]) if rng.random() < 0.45 else ""
        script = "Hani" if _ISO2[p.nationalities[0]] in ("CN", "TW") else ""
        return _row(
            list_ref,
            row_ref,
            full_name=full,
            native_name=native,
            sex=_SEX.get(p.sex, ""),
            date_of_birth=_dob_text(p, rng, year_only=0.05, swapped=0.03, from_age=0.0),
            nationality=p.nationalities[0],
            passport_number=number,
            phone=phone,
            compound=self._compound(p, rng, blank=0.7, alias_script=script),
        )

    def _compound(self, p: SynthPerson, rng: Random, *, blank: float, alias_script: str) -> str:
        c = self.compounds.get(p.compound_key)
        if c is None or rng.random() < blank:
            return ""
        aliases = [a for a, script in c.aliases if script == alias_script]
        return rng.choice(aliases) if aliases and rng.random() < 0.3 else c.name


_SEX = {"male": "M", "female": "F"}


def _row(list_ref: str, row_ref: str, **values: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(list_ref=list_ref, row_ref=row_ref, **values)
    return row


def _plain_latin(name) -> bool:
    """A native name that is just plain ASCII Latin belongs in full_name (Filipino, Kenyan ...)."""
    return name.script == "Latn" and name.full_name.isascii()


def _latin_name(p: SynthPerson) -> str:
    """Passport spelling, else the person's own Latin name, else the staff transliteration."""
    first: dict[str, str] = {}
    for n in p.names:
        if n.script == "Latn":
            first.setdefault(n.kind, n.full_name)
    return first.get("passport") or first.get("native") or first.get("alias") or ""


def _passport(p: SynthPerson) -> str:
    return next((d.number for d in p.documents if d.doc_type == "passport"), "")


def _custodian(p: SynthPerson) -> str | None:
    return next((d.custodian for d in p.documents if d.doc_type == "passport"), None)


def _clerk_nationality(nat: str, rng: Random) -> str:
    r = rng.random()
    if r < 0.02:
        return ""
    if nat == "TWN" and r < 0.25:
        return "CHN"  # Taiwanese are often listed with the Chinese
    if nat == "XXA" and r < 0.5:
        return "MMR"  # stateless people from Myanmar listed as Myanmar nationals
    return nat


def _dob_text(p: SynthPerson, rng: Random, *, year_only: float, swapped: float, from_age: float) -> str:
    d, precision = p.date_of_birth, p.dob_precision
    if d is None:
        if p.age_estimate is not None and rng.random() < from_age:
            return str(P.AS_OF.year - p.age_estimate)  # "age 27" written down as a birth year
        return ""
    if precision == "day" and rng.random() < year_only:
        precision = "year"
    if precision == "day" and d.day <= 12 and d.day != d.month and rng.random() < swapped:
        d = d.replace(month=d.day, day=d.month)  # DD/MM read as MM/DD
    return {"day": d.isoformat(), "month": f"{d:%Y-%m}", "year": str(d.year)}[precision]


def _number_typo(number: str, rng: Random) -> str:
    """One transposed pair or one substituted character, keeping the length and the character class."""
    chars = list(number)
    i = rng.randrange(len(chars) - 1)
    if chars[i] != chars[i + 1] and rng.random() < 0.5:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        pool = string.digits if chars[i].isdigit() else string.ascii_uppercase
        chars[i] = rng.choice([c for c in pool if c != chars[i]])
    return "".join(chars)


# --------------------------------------------------------------------------- name noise
def _clerk_spelling(p: SynthPerson, iso2: str, rng: Random) -> str:
    """The name as an army clerk writes it: Latin letters only, with the usual variants and slips."""
    words = fold(_latin_name(p)).split()
    burmese = any(n.script == "Mymr" for n in p.names)
    if iso2 == "CN" and rng.random() < 0.35:
        words = [_wade_giles(w) for w in words]
    elif iso2 == "TW" and rng.random() < 0.4:  # "Chih-wei" as "Chih Wei" or "Chihwei"
        words = " ".join(w.replace("-", rng.choice((" ", ""))) for w in words).split()
    elif burmese and rng.random() < 0.5:
        words = [_MM_VARIANTS.get(w.capitalize(), w) for w in words]
    elif rng.random() < 0.4:
        words = _spelling_variant(words, rng)
    if burmese and p.sex in _MM_HONORIFIC and rng.random() < 0.15:
        words.insert(0, _MM_HONORIFIC[p.sex])
    if iso2 == "CN" and len(words) == 2 and rng.random() < 0.15:
        words = [words[0], *(_split_pinyin(words[1]) or [words[1]])]  # "Weiqiang" as "Wei Qiang"
    if iso2 not in _FAMILY_FIRST and len(words) > 1 and rng.random() < 0.06:
        words[0] = words[0][0] + "."  # given name as an initial
    if len(words) > 1 and rng.random() < 0.2:  # family and given names swapped
        words = _swapped(words, iso2)
    if len(words) > 1 and rng.random() < 0.08:  # a dropped space
        i = rng.randrange(len(words) - 1)
        words[i : i + 2] = [words[i] + words[i + 1]]
    if rng.random() < 0.12:
        words = _typo(words, rng)
    return " ".join(words).upper() if rng.random() < 0.5 else " ".join(_title(w) for w in words)


def _light_noise(name: str, iso2: str, rng: Random) -> str:
    """Embassy staff mostly copy the passport: a rare slip or swapped order."""
    words = name.split()
    if len(words) > 1 and rng.random() < 0.05:
        words = _swapped(words, iso2)
    if rng.random() < 0.04:
        words = _typo(words, rng)
    return " ".join(words)


def _swapped(words: list[str], iso2: str) -> list[str]:
    """Family name moved to the other end; Malay and Tamil patronymics ("bin", "a/l") have none."""
    if any(w.casefold() in ("bin", "binti", "a/l", "a/p") for w in words):
        return words
    return words[1:] + words[:1] if iso2 in _FAMILY_FIRST else words[-1:] + words[:-1]


def _title(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _spelling_variant(words: list[str], rng: Random) -> list[str]:
    text = " ".join(words)
    hits = [(a, b) for a, b in _SPELLING_VARIANTS if a.casefold() in text.casefold()]
    if not hits:
        return words
    a, b = rng.choice(hits)
    start = text.casefold().index(a.casefold())
    return (text[:start] + (b.upper() if text.isupper() else b) + text[start + len(a) :]).split()


def _typo(words: list[str], rng: Random) -> list[str]:
    """One keyboard slip in one word of four letters or more: swap, drop, double or replace a letter."""
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return words
    i = rng.choice(candidates)
    w = list(words[i])
    j = rng.randrange(1, len(w) - 1)  # clerks rarely get the first letter wrong
    op = rng.randrange(4)
    if op == 0:
        w[j], w[j + 1] = w[j + 1], w[j]
    elif op == 1:
        del w[j]
    elif op == 2:
        w.insert(j, w[j])
    else:
        letter = rng.choice([c for c in string.ascii_lowercase if c != w[j].lower()])
        w[j] = letter.upper() if w[j].isupper() else letter
    return [*words[:i], "".join(w), *words[i + 1 :]]


# Burmese names have no fixed romanization; clerks use the variant spellings common in Myanmar.
_MM_VARIANTS = {
    "Tun": "Htun",
    "Htun": "Tun",
    "Oo": "U",
    "U": "Oo",
    "Win": "Winn",
    "Lin": "Linn",
    "Min": "Minn",
    "Phyo": "Pyo",
    "Myat": "Myatt",
    "Zin": "Zinn",
    "Nwe": "Nway",
    "Mon": "Mone",
    "Moe": "Mo",
    "Soe": "So",
}
_MM_HONORIFIC = {"male": "Mg", "female": "Ma"}  # Maung / Ma, often written on Thai lists

# Toneless pinyin syllable: optional initial and a final (used to cut "Weiqiang" into wei + qiang).
_PINYIN = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|an|ao|ei|en|er|ia|ie|in|iu|ou|ua|ue|ui|un|uo|a|e|i|o|u)"
    r"|[ln]yu"  # passport spelling of lü, nü
)
_WG_WHOLE = {
    "zi": "tzu", "ci": "tzu", "si": "ssu", "zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih",
    "yan": "yen", "ye": "yeh", "you": "yu", "yong": "yung", "yue": "yueh", "yi": "i", "er": "erh", "lyu": "lu",
}  # fmt: skip
# Apostrophes (ch'iang, t'ang) are dropped, as on passports and hand-written lists.
_WG_INITIAL = {
    "zh": "ch",
    "j": "ch",
    "q": "ch",
    "x": "hs",
    "z": "ts",
    "c": "ts",
    "r": "j",
    "b": "p",
    "d": "t",
    "g": "k",
}


def _split_pinyin(word: str, first: bool = True) -> list[str]:
    """Syllables of a pinyin word, longest first ("jianguo" -> jian guo), or [] if it is not pinyin.
    Only the first syllable may start with a vowel: pinyin needs an apostrophe there (Xi'an)."""
    word = word.lower()
    if not word or (not first and word[0] in "aeiou"):
        return []
    for end in range(min(6, len(word)), 0, -1):
        head = word[:end]
        if _PINYIN.fullmatch(head):
            rest = _split_pinyin(word[end:], first=False) if end < len(word) else []
            if end == len(word) or rest:
                return [head, *rest]
    return []


def _wg_syllable(s: str) -> str:
    if s in _WG_WHOLE:
        return _WG_WHOLE[s]
    initial = s[:2] if s[:2] in ("zh", "ch", "sh") else "" if s[0] in "aeiou" else s[:1]
    final = s[len(initial) :]
    if final == "e" and initial in ("g", "k", "h"):
        final = "o"
    elif final == "uo" and initial not in ("g", "k", "h", "sh"):
        final = "o"
    elif final == "ui" and initial in ("g", "k"):
        final = "uei"
    elif final.endswith("ong"):
        final = final[:-3] + "ung"
    elif final == "ian":
        final = "ien"
    elif final in ("ie", "ue"):
        final += "h"
    return _WG_INITIAL.get(initial, initial) + final


def _wade_giles(word: str) -> str:
    """Pinyin word in Wade-Giles, syllables hyphenated as in Taiwan ("Zhang" -> "chang", "Weiqiang" ->
    "wei-chiang"); words that are not pinyin are returned unchanged."""
    syllables = _split_pinyin(word)
    return "-".join(_wg_syllable(s) for s in syllables) if syllables else word


# --------------------------------------------------------------------------- phones
# Country calling codes and the mobile numbers written without a trunk "0" at home.
_CALLING_CODE = dict(
    item.split(":")
    for item in (
        "CN:86 TW:886 VN:84 IN:91 ET:251 ID:62 PH:63 PK:92 MY:60 KE:254 ZA:27 NP:977 UG:256 LK:94 UZ:998 "
        "NG:234 GH:233 BD:880 CM:237 NA:264 RW:250 TN:216 CZ:420 LA:856 RO:40 DZ:213 SG:65 BI:257 BR:55 "
        "KH:855 TZ:255 TH:66"
    ).split()
)
_NO_TRUNK = frozenset({"CN", "IN", "NP", "UZ", "CM", "TN", "CZ", "SG", "BI", "BR"})
_STATELESS_CODE = "95"  # stateless people's phones are Myanmar numbers


def _grouped(digits: str) -> str:
    """Digits grouped as people write them: "0812345678" -> "081 234 5678", "13812345678" -> "138 1234 5678"."""
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    head = len(digits) - 7
    return f"{digits[:head]} {digits[head:-4]} {digits[-4:]}" if head > 0 else f"{digits[:-4]} {digits[-4:]}"


def _national(e164: str, iso2: str) -> str | None:
    """The number as written at home, or None when it cannot be read back without the country code."""
    code = _CALLING_CODE.get(iso2)
    if code is None or e164.startswith("+86179"):  # 179xx is an IP-dialling prefix in China
        return None
    return _grouped(("" if iso2 in _NO_TRUNK else "0") + e164[1 + len(code) :])


def _international(e164: str) -> str:
    code = next((c for c in (*_CALLING_CODE.values(), _STATELESS_CODE) if e164.startswith("+" + c)), None)
    if code is None:
        return e164
    return f"+{code} {_grouped(e164[1 + len(code) :])}"
