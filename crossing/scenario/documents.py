"""Plausible per-country formats for passport / ID / ETD numbers and E.164 mobile numbers.

Formats are approximations of the public number patterns (letter prefixes, digit counts);
they are synthetic and do not encode real documents.  Passport numbers are unique across a
scenario by construction: the digit block is an affine bijection of the person key modulo
10**digits, shared by all countries with the same digit count, so two people can only get
the same string if they have the same key.
"""

from __future__ import annotations

from datetime import date
from random import Random

# iso2 -> (prefixes, digits, letter suffix?)
PASSPORT_FORMATS: dict[str, tuple[tuple[str, ...], int, bool]] = {
    "CN": (("E",), 8, False),  # ordinary e-passport "E" + 8 digits
    "TW": (("",), 9, False),
    "VN": (("C", "N", "P"), 7, False),
    "IN": (("M", "N", "P", "R", "S", "T", "U", "V", "W", "Z"), 7, False),  # letter + 7 digits
    "ET": (("EP",), 7, False),
    "ID": (("A", "B", "C", "E", "X"), 7, False),
    "PH": (("P",), 7, True),  # P1234567A
    "PK": (("AB", "BN", "CK", "DL", "FP"), 7, False),
    "MY": (("A", "H"), 8, False),
    "KE": (("AK", "BK", "CK"), 7, False),
    "ZA": (("A", "M"), 8, False),
    "NP": (("PA",), 7, False),
    "UG": (("A", "B"), 8, False),
    "LK": (("N",), 7, False),
    "UZ": (("FA", "AA", "AB"), 7, False),
    "NG": (("A", "B"), 8, False),
    "GH": (("G",), 7, False),
    "BD": (("A", "B", "E"), 8, False),
    "CM": (("",), 8, False),
    "NA": (("P",), 7, False),
    "RW": (("PC",), 7, False),
    "TN": (("X",), 7, False),
    "CZ": (("",), 8, False),
    "LA": (("P",), 7, False),
    "RO": (("",), 9, False),
    "DZ": (("",), 9, False),
    "SG": (("K", "E"), 7, True),
    "BI": (("OP",), 7, False),
    "BR": (("FX", "GB"), 7, False),
    "KH": (("N",), 7, False),
    "TZ": (("AB", "TAE"), 7, False),
}
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class Numbering:
    """Seeded affine bijections key -> digit block, one per digit count and purpose."""

    def __init__(self, seed: int):
        self.seed = seed
        self._params: dict[tuple[str, int], tuple[int, int]] = {}

    def digits(self, key: int, width: int, purpose: str = "passport") -> str:
        p = self._params.get((purpose, width))
        if p is None:
            # parameters depend only on (seed, purpose, width), never on call order
            r = Random(f"numbering:{self.seed}:{purpose}:{width}")
            mod = 10**width
            a = r.randrange(mod // 7, mod) | 1
            while a % 5 == 0:
                a += 2
            p = (a % mod, r.randrange(mod))
            self._params[(purpose, width)] = p
        a, b = p
        return str((key * a + b) % (10**width)).zfill(width)

    def passport_number(self, rng: Random, iso2: str, key: int) -> str:
        prefixes, width, suffix = PASSPORT_FORMATS[iso2]
        num = rng.choice(prefixes) + self.digits(key, width)
        if suffix:
            num += rng.choice(_LETTERS)
        return num

    def etd_number(self, rng: Random, iso2: str, key: int) -> str:
        if iso2 == "CN":
            return "T" + self.digits(key, 8, "etd")  # PRC travel document
        return "ETD" + iso2 + self.digits(key, 7, "etd")


_CN_REGIONS = (
    "350582",
    "350583",
    "445281",
    "441581",
    "360722",
    "430524",
    "510623",
    "532801",
    "530102",
    "452424",
    "410526",
    "342401",
)
_VN_PROVINCES = ("001", "079", "038", "040", "042", "036", "034", "031", "092", "052")
_ID_REGIONS = ("3201", "3273", "3578", "3374", "1271", "6171", "7371", "3329")
_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_CHECK = "10X98765432"


def cn_resident_id(rng: Random, dob: date, female: bool) -> str:
    """18-digit PRC resident identity number with ISO 7064 MOD 11-2 check digit."""
    seq = rng.randrange(0, 50) * 2 + (0 if female else 1)
    body = f"{rng.choice(_CN_REGIONS)}{dob:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"
    s = sum(int(c) * w for c, w in zip(body, _CN_WEIGHTS, strict=True))
    return body + _CN_CHECK[s % 11]


def national_id(rng: Random, iso2: str, dob: date | None, female: bool) -> str:
    d = rng.randrange
    if iso2 == "CN" and dob is not None:
        return cn_resident_id(rng, dob, female)
    if iso2 == "VN" and dob is not None:  # 12-digit citizen identity card (CCCD)
        century_sex = (0 if dob.year < 2000 else 2) + (1 if female else 0)
        return f"{rng.choice(_VN_PROVINCES)}{century_sex}{dob:%y}{d(10**6):06d}"
    if iso2 == "ID" and dob is not None:  # 16-digit NIK, day + 40 for women
        day = dob.day + (40 if female else 0)
        return f"{rng.choice(_ID_REGIONS)}{d(1, 100):02d}{day:02d}{dob:%m%y}{d(1, 10000):04d}"
    if iso2 == "IN":  # 12 digits, first digit 2-9
        return f"{d(2, 10)}{d(10**11):011d}"
    if iso2 == "KE":
        return f"{d(10**7, 4 * 10**7)}"
    if iso2 == "PH":
        return f"{d(10**15, 10**16)}"
    if iso2 == "MY" and dob is not None:  # YYMMDD-PB-###G (last digit odd for men)
        last = d(0, 5) * 2 + (0 if female else 1)
        return f"{dob:%y%m%d}-{d(1, 15):02d}-{d(1000):03d}{last}"
    return f"{d(10**8, 10**9)}"


# --------------------------------------------------------------------------- phones (E.164)
def _digits(rng: Random, n: int) -> str:
    return str(rng.randrange(10**n)).zfill(n)


# iso2 -> (country and network prefix, one of these next digits or None, a literal after them,
# how many further digits: a number, or a pair to choose from). Mobile plans as published.
_MOBILE: dict[str, tuple[str, tuple[str, ...] | str | None, str, int | tuple[int, int]]] = {
    "CN": ("+86", ("13", "15", "17", "18", "19"), "", 9),
    "TW": ("+8869", None, "", 8),
    "VN": ("+84", ("9", "3", "8", "7"), "", 8),
    "IN": ("+91", "6789", "", 9),
    "ET": ("+2519", None, "", 8),
    "ID": ("+628", ("12", "13", "21", "22", "52", "53", "57", "95", "96"), "", (7, 8)),
    "PH": ("+639", None, "", 9),
    "PK": ("+923", None, "", 9),
    "MY": ("+601", "0123456789", "", (7, 8)),
    "KE": ("+254", "71", "", 8),
    "ZA": ("+27", "678", "", 8),
    "NP": ("+9779", "678", "", 8),
    "UG": ("+2567", None, "", 8),
    "LK": ("+947", None, "", 8),
    "UZ": ("+9989", None, "", 8),
    "NG": ("+234", ("80", "81", "70", "90", "91"), "", 8),
    "GH": ("+233", "25", "", 8),
    "BD": ("+8801", "3456789", "", 8),
    "CM": ("+2376", None, "", 8),
    "NA": ("+26481", None, "", 7),
    "RW": ("+2507", "238", "", 7),
    "TN": ("+216", "259", "", 7),
    "CZ": ("+420", "67", "", 8),
    "LA": ("+85620", None, "", 8),
    "RO": ("+407", None, "", 8),
    "DZ": ("+213", "567", "", 8),
    "SG": ("+65", "89", "", 7),
    "BI": ("+257", "67", "", 7),
    "BR": ("+55", ("11", "21", "31", "41", "51", "61", "71", "81"), "9", 8),
    "KH": ("+855", ("10", "12", "15", "16", "17", "70", "77", "92", "96"), "", (6, 7)),
    "TZ": ("+255", "67", "", 8),
    "TH": ("+66", "689", "", 8),
}
_STATELESS_MOBILE = ("+959", None, "", 9)  # stateless people: family in Myanmar


def phone(rng: Random, iso2: str) -> str:
    """A mobile number of the given country in E.164 form."""
    prefix, choices, literal, length = _MOBILE.get(iso2, _STATELESS_MOBILE)
    head = prefix + (rng.choice(choices) if choices else "") + literal
    return head + _digits(rng, length if isinstance(length, int) else rng.choice(length))
