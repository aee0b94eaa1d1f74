"""Section-10 parameter set of ``/work/shared/reference/scenario-facts.md`` as plain data.

Every number carries the source tag of the facts file ([Sn]); values marked "assumption"
are our own choice, with the anchor that motivated them.  Pure standard library: this module
is imported by the generator and must never import Django.
"""

from __future__ import annotations

import math
from datetime import date

# --------------------------------------------------------------------------- timeline
DAY0 = date(2025, 2, 5)  # power/fuel/internet cut, day 0 [S50][S51]
FIRST_RELEASE = date(2025, 2, 12)  # DKBA hand-over at Phop Phra, day 7 [S17]
AS_OF = date(2025, 3, 20)  # between the Indian (10-11 Mar) and Philippine (24-26 Mar) airlifts [S20][S32]
SCHEDULED_HORIZON_DAYS = 14  # a departure within 14 days of AS_OF counts as "scheduled" (assumption)
UTC_OFFSET_HOURS = 7  # all datetimes are Asia/Bangkok local time (UTC+7)

# --------------------------------------------------------------------------- holding groups
DKBA_FIRST_WAVE = 260  # 12 Feb, 260-261 people from 20 countries [S17][S16]
DKBA_FIRST_WAVE_FEMALE = 39 / 260  # 221 M / 39 F [S17]
REFERENCE_TOTAL = 7000  # scale reference: "~7,000 more waiting" [S17], BGF list 7,141 [S4]
DKBA_SHARE_AFTER_FIRST_WAVE = 0.06  # 401 of 6,901 held on 24 Feb [S1]; section 10 share_of_released
BGF_SITE_CAPACITY = (450, 3000)  # derived: 450-person building [S46], 6,500 / 3 sites [S1]
BGF_HELD_24_FEB = 6500  # [S1]
DKBA_SITE_CAPACITY = (300, 500)  # ~470 in the DKBA camp [S45]
DKBA_SITE_POPULATION = 470  # [S45]

# --------------------------------------------------------------------------- population
MALE_SHARE = 0.94  # 6,716 / 7,141 [S4]
AGE_MEAN, AGE_SD, AGE_MIN, AGE_MAX = 28.0, 6.0, 16.0, 55.0  # assumption; anchors [S66][S76][S24]

# Nationality weights, BGF list [S5] (ISO alpha-2 keys as in section 10; "XX" = stateless).
# Tuple: (weight, female_share).  Normalised at load time.
BGF_LIST: dict[str, tuple[float, float]] = {
    "CN": (0.6790, 0.02),
    "VN": (0.0799, 0.11),
    "IN": (0.0735, 0.05),
    "ET": (0.0601, 0.08),
    "ID": (0.0395, 0.23),
    "PH": (0.0177, 0.57),
    "PK": (0.0109, 0.05),
    "MY": (0.0098, 0.07),
    "KE": (0.0089, 0.41),
    "ZA": (0.0036, 0.27),
    "TW": (0.0035, 0.04),
    "NP": (0.0024, 0.12),
    "UG": (0.0018, 0.62),
    "XX": (0.0013, 0.10),  # stateless; female share is an assumption
    "LK": (0.0011, 0.00),
    "UZ": (0.0011, 0.12),
    "NG": (0.0010, 0.71),
    "GH": (0.0008, 0.17),
    "BD": (0.0008, 0.00),
    "CM": (0.0008, 0.50),
    "NA": (0.0006, 0.50),
    "RW": (0.0006, 0.00),
    "TN": (0.0004, 0.00),
    "CZ": (0.0003, 0.50),
    "LA": (0.0001, 1.00),
    "RO": (0.0001, 0.00),
    "DZ": (0.0001, 0.00),
    "SG": (0.0001, 0.00),
}

# DKBA first wave, counts / 260 [S17].  Female shares are not published per country for this
# wave; we reuse the BGF-list share where it exists and 0.15 otherwise (assumption, so that the
# wave's overall female share stays near 39/260 = 15% [S17]).
DKBA_LIST: dict[str, float] = {
    "ET": 0.531,
    "KE": 0.088,
    "PH": 0.062,
    "MY": 0.058,
    "PK": 0.046,
    "CN": 0.038,
    "ID": 0.031,
    "NP": 0.027,
    "TW": 0.027,
    "UG": 0.023,
    "LA": 0.023,
    "BI": 0.008,
    "BD": 0.008,
    "BR": 0.008,
    "NG": 0.004,
    "GH": 0.004,
    "IN": 0.004,
    "KH": 0.004,
    "LK": 0.004,
    "TZ": 0.004,
}
DKBA_FEMALE_DEFAULT = 0.15  # assumption (see above)
DKBA_FEMALE_OVERRIDE = {
    "ET": 0.12,
    "LA": 0.50,
}  # assumption: ET 138 of 260 cannot be 8% F if the wave is 15% F


def female_share(iso2: str, pool: str) -> float:
    if pool != "bgf":
        if iso2 in DKBA_FEMALE_OVERRIDE:
            return DKBA_FEMALE_OVERRIDE[iso2]
        if iso2 in BGF_LIST and iso2 != "LA":
            return BGF_LIST[iso2][1]
        return DKBA_FEMALE_DEFAULT
    return BGF_LIST[iso2][1]


AFRICA = frozenset({"ET", "KE", "ZA", "UG", "NG", "GH", "CM", "NA", "RW", "TN", "DZ", "BI", "TZ"})

ISO3 = {
    "CN": "CHN",
    "VN": "VNM",
    "IN": "IND",
    "ET": "ETH",
    "ID": "IDN",
    "PH": "PHL",
    "PK": "PAK",
    "MY": "MYS",
    "KE": "KEN",
    "ZA": "ZAF",
    "TW": "TWN",
    "NP": "NPL",
    "UG": "UGA",
    "XX": "XXA",
    "LK": "LKA",
    "UZ": "UZB",
    "NG": "NGA",
    "GH": "GHA",
    "BD": "BGD",
    "CM": "CMR",
    "NA": "NAM",
    "RW": "RWA",
    "TN": "TUN",
    "CZ": "CZE",
    "LA": "LAO",
    "RO": "ROU",
    "DZ": "DZA",
    "SG": "SGP",
    "BI": "BDI",
    "BR": "BRA",
    "KH": "KHM",
    "TZ": "TZA",
    "TH": "THA",
    "MM": "MMR",
}

COUNTRY_NAME = {
    "CN": "China",
    "VN": "Vietnam",
    "IN": "India",
    "ET": "Ethiopia",
    "ID": "Indonesia",
    "PH": "the Philippines",
    "PK": "Pakistan",
    "MY": "Malaysia",
    "KE": "Kenya",
    "ZA": "South Africa",
    "TW": "Taiwan",
    "NP": "Nepal",
    "UG": "Uganda",
    "LK": "Sri Lanka",
    "UZ": "Uzbekistan",
    "NG": "Nigeria",
    "GH": "Ghana",
    "BD": "Bangladesh",
    "CM": "Cameroon",
    "NA": "Namibia",
    "RW": "Rwanda",
    "TN": "Tunisia",
    "CZ": "the Czech Republic",
    "LA": "Laos",
    "RO": "Romania",
    "DZ": "Algeria",
    "SG": "Singapore",
    "BI": "Burundi",
    "BR": "Brazil",
    "KH": "Cambodia",
    "TZ": "Tanzania",
}

# Resident embassy in Bangkok?  Ethiopia: none, covered from New Delhi (and Tokyo) [S39][S36].
# Taiwan is represented by TECO.  The residency of the other small African / Central Asian
# missions is an assumption to verify (modelled as "non-resident, accredited").
EMBASSY_IN_BANGKOK = frozenset(
    {
        "CN",
        "VN",
        "IN",
        "ID",
        "PH",
        "PK",
        "MY",
        "KE",
        "ZA",
        "NP",
        "LK",
        "BD",
        "NG",
        "LA",
        "KH",
        "SG",
        "CZ",
        "RO",
        "BR",
    }
)
NON_RESIDENT_EMBASSY = {"ET": "New Delhi"}  # [S39][S36]; others: city unknown (assumption)

# --------------------------------------------------------------------------- roles
ROLES = ("deceived_or_trafficked", "knowing_worker", "team_leader_or_translator", "manager_or_financier")
ROLE_DEFAULT = (0.55, 0.38, 0.05, 0.02)  # assumption bracketed by [S2][S95][S31][S28][S3][S119][S121]
ROLE_OVERRIDE = {
    "CN": (0.40, 0.50, 0.07, 0.03),
    "VN": (0.40, 0.55, 0.04, 0.01),
    "africa": (0.80, 0.18, 0.02, 0.00),
}
MANAGERS_ESCAPE_BEFORE_RAID = 0.95  # assumption; "only six Chinese managers" among ~7,000 [S3]
REPEAT_ENTRANT_RATE = 0.05  # [S31][S43]; not modelled (skipped, see README)


def role_weights(iso2: str) -> tuple[float, ...]:
    w = ROLE_OVERRIDE.get(iso2) or (ROLE_OVERRIDE["africa"] if iso2 in AFRICA else ROLE_DEFAULT)
    # managers mostly escaped before the raids, so few are among the released [S3]
    w = (w[0], w[1], w[2], w[3] * (1 - MANAGERS_ESCAPE_BEFORE_RAID))
    s = sum(w)
    return tuple(x / s for x in w)


# --------------------------------------------------------------------------- compounds
COMPOUND_COUNT = (27, 35)  # 27 (ASPI) / "more than 30" [S68][S56]
WORKERS_MEDIAN, WORKERS_P90, WORKERS_MAX = 400, 3000, 10000  # assumption; anchors [S70][S65][S58][S61]
CONTROLLERS = {"BGF/KNA": 0.55, "DKBA": 0.25, "KNU-linked": 0.10, "other": 0.10}  # assumption [section 6]
GENERATOR_AFTER_CUT = 0.8  # connectivity_after_cut.generator, assumption [S19][S53]
STARLINK_KITS_PER_1000 = 20  # assumption; anchors >2,500 kits [S56], ~80 dishes on one roof [S57]

Z90 = 1.2815515655446004  # standard-normal 90th percentile


def lognormal_params(median: float, p90: float) -> tuple[float, float]:
    """mu, sigma such that median and 90th percentile match (section 10 convention)."""
    return math.log(median), (math.log(p90) - math.log(median)) / Z90


# --------------------------------------------------------------------------- screening and waits
THAI_NRM_DAYS = (15, 30)  # [S15][S18]
CHINESE_ID_VERIFICATION_DAYS = 5  # [S6]
MAX_HOURS_IN_THAILAND = 24  # [S34]

# --------------------------------------------------------------------------- departures
# A "wave" is a departure window for one nationality from one custody group:
#   group "held"    = still with the BGF/DKBA on the Myanmar side (everyone but the DKBA first wave),
#   group "crossed" = the DKBA first wave, in Thai custody since 12 Feb [S17].
# share = fraction of that group's nationals who leave in the window (the generator converts it
# to a conditional probability given the release-date distribution); lead = minimum days
# between release from the compound and departure.  Waves after AS_OF produce "scheduled"
# (within SCHEDULED_HORIZON_DAYS) or "awaiting_documents".
# Each entry: (first_day, last_day, share, lead_days, route)
Wave = tuple[date, date, float, int, str]

_D = date
_CN_CHARTER = "China Southern charter, Mae Sot -> Nanjing/Jinghong"  # [S8][S9][S11]
_BKK_COMMERCIAL = "bus Mae Sot -> Bangkok, commercial flight"  # [S29][S33]

WAVES: dict[tuple[str, str], tuple[Wave, ...]] = {
    # China: 1,041 in the first airlift 20-22 Feb [S11] ~ 21% of 4,860 [S5]; ~1,500 on 6-9 Mar
    # [S9][S10] ~ 31%; next batches at ~1,000/week planned 28 Feb [S12] (late-March batch: assumption).
    ("CN", "held"): (
        (_D(2025, 2, 20), _D(2025, 2, 22), 0.21, CHINESE_ID_VERIFICATION_DAYS, _CN_CHARTER),
        (_D(2025, 3, 6), _D(2025, 3, 9), 0.31, CHINESE_ID_VERIFICATION_DAYS, _CN_CHARTER),
        (_D(2025, 3, 26), _D(2025, 3, 28), 0.20, CHINESE_ID_VERIFICATION_DAYS, _CN_CHARTER),
    ),
    # 28 of the first wave repatriated by embassies on 18 Feb [S19] (which countries: assumption)
    ("CN", "crossed"): (
        (_D(2025, 2, 18), _D(2025, 2, 18), 0.5, 5, "embassy-arranged flight"),
        (_D(2025, 3, 6), _D(2025, 3, 9), 0.5, 5, _CN_CHARTER),
    ),
    # India: 549 on two IAF C-17 flights 10-11 Mar [S20][S21][S22] (more than the 526 listed [S5])
    ("IN", "held"): ((_D(2025, 3, 10), _D(2025, 3, 11), 0.95, 3, "IAF C-17, Mae Sot -> India"),),
    ("IN", "crossed"): ((_D(2025, 3, 10), _D(2025, 3, 11), 0.95, 3, "IAF C-17, Mae Sot -> India"),),
    # Indonesia: 84 on 27-28 Feb [S25], 554 on 18-19 Mar [S26][S27] (84/638 = 13%)
    ("ID", "held"): (
        (_D(2025, 2, 27), _D(2025, 2, 28), 0.13, 3, "commercial flights Mae Sot -> Jakarta"),
        (_D(2025, 3, 18), _D(2025, 3, 19), 0.75, 3, "Lion Air charter, Don Mueang -> Jakarta"),
    ),
    ("ID", "crossed"): (
        (_D(2025, 2, 18), _D(2025, 2, 18), 0.4, 5, "embassy-arranged flight"),
        (_D(2025, 2, 27), _D(2025, 2, 28), 0.4, 3, "commercial flights Mae Sot -> Jakarta"),
    ),
    # Philippines: 206 crossed 24-26 Mar [S32][S33] -> "scheduled" on AS_OF
    ("PH", "held"): ((_D(2025, 3, 24), _D(2025, 3, 26), 0.85, 3, "PR733 / PAL special flight via Bangkok"),),
    ("PH", "crossed"): (
        (_D(2025, 2, 18), _D(2025, 2, 18), 0.4, 5, "embassy-arranged flight"),
        (_D(2025, 3, 24), _D(2025, 3, 26), 0.5, 3, "PR733 / PAL special flight via Bangkok"),
    ),
    # Vietnam: 471 of 681 returned 8 Apr - 14 May [S29][S30][S31]
    ("VN", "held"): ((_D(2025, 4, 8), _D(2025, 5, 14), 0.69, 3, _BKK_COMMERCIAL),),
    # Ethiopia: 32 + 43 of the 133 first-wave Ethiopians ~early Mar [S39][S36]; May returns [S37][S38]
    ("ET", "crossed"): (
        (_D(2025, 3, 3), _D(2025, 3, 8), 0.56, 5, "self/embassy-funded flights via Bangkok"),
    ),
    ("ET", "held"): ((_D(2025, 5, 1), _D(2025, 5, 29), 0.35, 3, "flights via Bangkok"),),
    # Kenya: ETDs and discounted Kenya Airways fares [S43]; share is an assumption
    ("KE", "crossed"): ((_D(2025, 3, 1), _D(2025, 3, 15), 0.30, 5, "Kenya Airways via Bangkok"),),
    ("KE", "held"): ((_D(2025, 4, 15), _D(2025, 6, 30), 0.40, 3, "Kenya Airways via Bangkok"),),
    # Uganda: ~40 still stranded on 9 Apr [S40]: nobody leaves before AS_OF
    ("UG", "crossed"): ((_D(2025, 5, 1), _D(2025, 6, 30), 0.5, 3, "IOM-assisted return"),),
    # Pakistan: ~8-day wait in late Feb [S49]; share assumption
    ("PK", "held"): ((_D(2025, 2, 26), _D(2025, 3, 5), 0.60, 5, _BKK_COMMERCIAL),),
    ("PK", "crossed"): ((_D(2025, 2, 18), _D(2025, 2, 18), 0.5, 5, "embassy-arranged flight"),),
    # Bangladesh: 18 home via Bangkok on 18 Mar [S89]
    ("BD", "held"): ((_D(2025, 3, 18), _D(2025, 3, 18), 0.7, 3, _BKK_COMMERCIAL),),
    ("BD", "crossed"): ((_D(2025, 3, 18), _D(2025, 3, 18), 0.9, 3, _BKK_COMMERCIAL),),
    # Africa other than ET/KE/UG: IOM-facilitated in spring [S44]
    ("africa", "crossed"): ((_D(2025, 3, 10), _D(2025, 3, 20), 0.2, 5, "IOM-assisted return"),),
    ("africa", "held"): ((_D(2025, 4, 10), _D(2025, 6, 30), 0.3, 3, "IOM-assisted return"),),
    # Neighbours (overland / short flights): assumption
    ("neighbour", "held"): ((_D(2025, 2, 25), _D(2025, 3, 10), 0.6, 3, "overland via Mae Sot"),),
    ("neighbour", "crossed"): ((_D(2025, 2, 18), _D(2025, 2, 18), 0.6, 5, "overland via Mae Sot"),),
    # Other countries with an embassy in Bangkok: asia_with_embassy wait median 20 days (assumption)
    ("default", "held"): (
        (_D(2025, 3, 3), _D(2025, 3, 17), 0.40, 5, _BKK_COMMERCIAL),
        (_D(2025, 3, 24), _D(2025, 4, 2), 0.30, 5, _BKK_COMMERCIAL),
    ),
    ("default", "crossed"): (
        (_D(2025, 2, 18), _D(2025, 2, 18), 0.45, 5, "embassy-arranged flight"),
        (_D(2025, 3, 3), _D(2025, 3, 17), 0.40, 5, _BKK_COMMERCIAL),
    ),
    # Stateless: no state to return to
    ("XX", "held"): (),
    ("XX", "crossed"): (),
}
NEIGHBOURS = frozenset({"LA", "KH"})


def wave_group_key(iso2: str, group: str) -> tuple[str, str]:
    if (iso2, group) in WAVES:
        return (iso2, group)
    if iso2 in AFRICA:
        return ("africa", group)
    if iso2 in NEIGHBOURS:
        return ("neighbour", group)
    return ("default", group)


# Probability that a person still on the Myanmar side has an embassy verification under way
# (status awaiting_documents rather than held).  Assumption anchored on "2,000 others need
# embassy work" [S12] and Vietnam identifying 681 citizens [S29].
AWAITING_DOCS_HELD = {"VN": 0.45, "ET": 0.35, "KE": 0.5, "UG": 0.3, "CN": 0.2, "default": 0.3, "XX": 0.05}
AWAITING_DOCS_HELD["africa"] = 0.35
# Vulnerable people (possible minors, pregnant, medical) on the Myanmar side moved into Thai
# custody for NRM screening; and a small general share.  Assumption.
VULNERABLE_TRANSFER = 0.5
GENERAL_TRANSFER = 0.03

# Overlays (assumptions; anchors: escape attempt and fights [S48][S65], deaths rare, kidney
# complications and TB fears [S36][S42]).
P_DECEASED = 0.0006
P_ABSCONDED_HELD = 0.012
P_ABSCONDED_AFRICA_DKBA = 0.03  # DKBA sites: African detainees, later a mass escape attempt [S48]
P_ABSCONDED_THAI = 0.01
P_RELEASED = 0.004
P_RELEASED_STATELESS = 0.35

# --------------------------------------------------------------------------- people details (assumptions)
P_HAS_PASSPORT = 0.86
PASSPORT_CUSTODIAN = (
    ("confiscated", 0.50),
    ("holder", 0.19),
    ("lost", 0.12),
    ("police", 0.11),
    ("embassy", 0.08),
)
P_NATIONAL_ID = 0.30
P_OTHER_DOC = 0.05
P_CONTACT = 0.60
P_SECOND_CONTACT = 0.12
P_CONSENT = 0.9
P_MEDICAL = 0.05
P_PREGNANT_WOMAN = 0.04  # of women aged 18-40
P_DISABILITY = 0.01
P_SEX_UNKNOWN = 0.003
P_COMPOUND_NICKNAME = {"CN": 0.45, "TW": 0.40, "default": 0.22}
P_ALIAS = 0.15
