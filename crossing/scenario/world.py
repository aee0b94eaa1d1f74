"""Fixed world of the scenario: agencies, compounds, holding facilities, rescue events.

A *rescue event* is the release of a group of foreigners from one compound by the armed group
controlling the area (BGF/KNA or DKBA), who hand them over to the Thai side (received by the
Royal Thai Army).  ``occurred_on`` is the release / hand-over announcement date and
``expected_count`` the armed group's own, noisy, count (section 11 of the facts: armed-group
headcounts are self-reported and inconsistent).  Except for the DKBA first wave of 12 Feb, who
crossed the same day [S17], people then wait at the armed group's temporary sites until their
country can take them (Thailand admits only people whose repatriation is arranged [S14][S15]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from . import params as P
from .model import SynthAgency, SynthCompound, SynthFacility, SynthInfra, SynthRescueEvent

BGF_NAME = "Border Guard Force (BGF/KNA)"
DKBA_NAME = "Democratic Karen Buddhist Army (DKBA)"

# --------------------------------------------------------------------------- agencies


def build_agencies(nationalities: list[str]) -> list[SynthAgency]:
    a = [
        SynthAgency("rta", "Royal Thai Army (Naresuan Task Force, Tak)", "army", "THA"),
        SynthAgency(
            "th-immigration",
            "Immigration Bureau, Royal Thai Police (Tak / Mae Sot checkpoint)",
            "immigration",
            "THA",
        ),
        SynthAgency("rtp", "Royal Thai Police (Tak Provincial Police)", "police", "THA"),
        SynthAgency("rtp-atpd", "Royal Thai Police, Anti-Trafficking in Persons Division", "police", "THA"),
        SynthAgency("th-oag", "Office of the Attorney General of Thailand", "prosecutor", "THA"),
        SynthAgency(
            "th-msdhs",
            "Ministry of Social Development and Human Security (shelters)",
            "shelter_operator",
            "THA",
        ),
        SynthAgency("iom-th", "IOM Thailand", "international_org", "THA"),
        # invented NGOs (synthetic; not real organisations)
        SynthAgency("ngo-moei-shelter", "Moei Valley Survivor Shelter (NGO)", "shelter_operator", "THA"),
        SynthAgency("ngo-border-legal", "Border Rights Legal Aid Network (NGO)", "ngo", "THA"),
    ]
    for iso2 in nationalities:
        if iso2 == "XX":
            continue
        a.append(embassy_for(iso2))
    return a


def embassy_key(iso2: str) -> str:
    return "teco-th" if iso2 == "TW" else f"emb-{P.ISO3[iso2].lower()}"


def embassy_for(iso2: str) -> SynthAgency:
    iso3 = P.ISO3[iso2]
    if iso2 == "TW":
        return SynthAgency("teco-th", "Taipei Economic and Cultural Office in Thailand", "embassy", "TWN")
    country = P.COUNTRY_NAME[iso2]
    if iso2 in P.EMBASSY_IN_BANGKOK:
        name = f"Embassy of {country} (Bangkok)"
    elif iso2 in P.NON_RESIDENT_EMBASSY:  # Ethiopia: no embassy in Bangkok, covered from New Delhi [S39][S36]
        name = f"Embassy of {country} ({P.NON_RESIDENT_EMBASSY[iso2]}, accredited)"
    else:  # assumption: mission accredited to Thailand from abroad
        name = f"Embassy of {country} (non-resident, accredited to Thailand)"
    return SynthAgency(embassy_key(iso2), name, "embassy", iso3)


# --------------------------------------------------------------------------- compounds
# Named sites of section 6.1.  Coordinates are approximate (assumption): the Moei river bank
# around Myawaddy and the Payathonzu cluster at Three Pagodas Pass.
# (key, name, aliases, lat, lon, controller, headcount anchor or None)
_NAMED = [
    # KK Park: KNU Brigade 6 area / KNU-owned lessor, BGF security in 2025 [S59][S68]; ~2,198 detained +
    # ~1,500 fled in Oct 2025 [S58][S61] -> ~3,700
    ("kk-park", "KK Park", (("KK园区", "Hani"), ("เคเคปาร์ค", "Thai")), 16.615, 98.557, "BGF/KNA", 3700),
    # Shwe Kokko / Yatai New City, ~16-20 km north of Myawaddy, BGF/KNA [S62][S63][S64]; headcount assumption
    (
        "shwe-kokko",
        "Shwe Kokko (Yatai New City)",
        (("亚太新城", "Hani"), ("ရွှေကုက္ကို", "Mymr"), ("ชเวโก๊กโก่", "Thai")),
        16.838,
        98.443,
        "BGF/KNA",
        3000,
    ),
    # Min Let Pan / Shunda Park, DKBA Battalion 905, ~2,000 foreigners [S65][S66]
    ("min-let-pan", "Min Let Pan (Shunda Park)", (("顺达园区", "Hani"),), 16.468, 98.628, "DKBA", 2000),
    # Apollo Park and Yulong Bay (Shwe Padauk Myaing, near Thae Pone): BGF family stakes [S67]
    ("apollo-park", "Apollo Park", (("阿波罗园区", "Hani"),), 16.742, 98.488, "BGF/KNA", None),
    ("yulong-bay", "Yulong Bay (Shwe Padauk Myaing)", (("玉龙湾", "Hani"),), 16.802, 98.462, "BGF/KNA", None),
    # Tai Chang (泰昌) and Dongmei Park: named via ASPI/Guardian summaries [S68]; no headcount found
    ("tai-chang", "Tai Chang", (("泰昌", "Hani"), ("泰昌园区", "Hani")), 16.724, 98.497, "BGF/KNA", None),
    ("dongmei-park", "Dongmei Park", (), 16.587, 98.574, "other", None),
]
# Payathonzu (Three Pagodas Pass), DKBA area: 5 major complexes, >7,000 Chinese (Feb 2025) [S70][S71]
_PAYATHONZU = (15.300, 98.400)
_PAYATHONZU_EACH = 7000 // 5  # derived [S70]

# Generic areas for the remaining "more than 30" compounds [S68][S56] (coordinates: assumption)
_AREAS = [
    ("Myawaddy north", (16.72, 16.78), (98.470, 98.500)),
    ("Myawaddy south", (16.60, 16.68), (98.520, 98.570)),
    ("Shwe Kokko road", (16.78, 16.86), (98.430, 98.470)),
    ("Mae Htaw Talay", (16.55, 16.62), (98.550, 98.600)),
    ("Moei riverside", (16.42, 16.55), (98.580, 98.600)),
]


def _lognormal_headcount(rng: Random) -> int:
    mu, sigma = P.lognormal_params(P.WORKERS_MEDIAN, P.WORKERS_P90)
    return int(min(P.WORKERS_MAX, max(40, round(math.exp(rng.gauss(mu, sigma))))))


def _infrastructure(rng: Random, key: str, headcount: int) -> tuple[SynthInfra, ...]:
    """Before the cut, the 5 Feb 2025 cut [S50][S51], and the workaround period [S19][S53]."""
    p_star = 1 - math.exp(-headcount * P.STARLINK_KITS_PER_1000 / 1000 / 8)  # assumption
    star_pre = key == "kk-park" or rng.random() < p_star * 0.5
    star_post = key == "kk-park" or star_pre or rng.random() < p_star  # ~80 dishes on one KK Park roof [S57]
    generator = key == "shwe-kokko" or rng.random() < P.GENERATOR_AFTER_CUT  # Shwe Kokko still lit [S19][S53]
    fuel_after = generator and rng.random() < 0.6
    later = P.DAY0 + timedelta(days=rng.randint(2, 12))
    return (
        SynthInfra(date(2025, 1, 20), True, True, True, star_pre, "baseline before the Thai cut"),
        SynthInfra(
            P.DAY0,
            False,
            False,
            False,
            star_pre,
            "Thai PEA cut power, fuel and broadband at the crossing points, 09:00 [S50][S51]",
        ),
        SynthInfra(
            later,
            generator,
            fuel_after,
            False,
            star_post,
            ("generators/solar running; " if generator else "no power observed; ")
            + ("Starlink terminals seen" if star_post else "no satellite terminals seen"),
        ),
    )


def build_compounds(rng: Random) -> list[SynthCompound]:
    count = rng.randint(*P.COMPOUND_COUNT)  # 27-35 [S68][S56]
    specs = [list(s) for s in _NAMED]
    for i in range(1, 6):
        lat = _PAYATHONZU[0] + rng.uniform(-0.012, 0.012)
        lon = _PAYATHONZU[1] + rng.uniform(-0.010, 0.010)
        specs.append(
            [
                f"payathonzu-{i}",
                f"Payathonzu complex {i} (Three Pagodas Pass)",
                (("ဘုရားသုံးဆူ", "Mymr"), ("พญาตองซู", "Thai"), (f"三塔{i}号园区", "Hani")),
                lat,
                lon,
                "DKBA",
                _PAYATHONZU_EACH,
            ]
        )
    n_generic = max(0, count - len(specs))
    # controllers of the generic sites chosen so that the whole border matches section 10 shares
    target = {g: round(s * count) for g, s in P.CONTROLLERS.items()}
    for s in specs:
        target[s[5]] -= 1
    pool: list[str] = []
    for g, n in target.items():
        pool.extend([g] * max(0, n))
    while len(pool) < n_generic:
        pool.append("BGF/KNA")
    rng.shuffle(pool)
    numbers = rng.sample(range(3, 60), n_generic)
    for i in range(n_generic):
        if pool[i] == "DKBA":  # DKBA sites lie south of Myawaddy along the Moei (assumption)
            area, (la0, la1), (lo0, lo1) = _AREAS[-1]
        else:
            area, (la0, la1), (lo0, lo1) = _AREAS[i % 4] if i < 4 else rng.choice(_AREAS)
        n = numbers[i]
        specs.append(
            [
                f"park-{n:02d}",
                f"Park {n} ({area})",
                ((f"{n}号园区", "Hani"),),
                round(rng.uniform(la0, la1), 4),
                round(rng.uniform(lo0, lo1), 4),
                pool[i],
                None,
            ]
        )
    out = []
    for key, name, aliases, lat, lon, ctrl, anchor in specs:
        head = anchor if anchor is not None else _lognormal_headcount(rng)
        if anchor is not None:
            head = int(round(anchor * rng.uniform(0.85, 1.15)))  # intelligence estimates are noisy
        out.append(
            SynthCompound(
                key,
                name,
                tuple(aliases),
                round(lat, 4),
                round(lon, 4),
                "MMR",
                ctrl,
                head,
                _infrastructure(rng, key, head),
            )
        )
    return out


# --------------------------------------------------------------------------- facilities


def build_facilities(rng: Random) -> list[SynthFacility]:
    lo, hi = P.BGF_SITE_CAPACITY  # 450-3000 [S46][S1]
    c1 = rng.randint(2400, hi)
    c2 = rng.randint(1800, 2600)
    c3 = max(lo, min(hi, P.BGF_HELD_24_FEB - c1 - c2))  # three sites hold ~6,500 [S1]

    def split(total: int, women: float = 1 - P.MALE_SHARE, minors: float = 0.02) -> tuple[int, int, int]:
        w = round(total * women)
        m = round(total * minors)
        return total - w - m, w, m

    dk = rng.randint(*P.DKBA_SITE_CAPACITY)  # 300-500, ~470 [S45]
    f = [
        SynthFacility(
            "bgf-site-1",
            "BGF temporary site 1 (Myawaddy town)",
            "temporary_site",
            "MMR",
            16.6905,
            98.5060,
            *split(c1),
            "",
        ),
        SynthFacility(
            "bgf-site-2",
            "BGF temporary site 2 (Shwe Kokko)",
            "temporary_site",
            "MMR",
            16.8300,
            98.4480,
            *split(c2),
            "",
        ),
        SynthFacility(
            "bgf-site-3",
            "BGF temporary site 3 (Mae Htaw Talay, near KK Park)",
            "temporary_site",
            "MMR",
            16.6050,
            98.5620,
            *split(c3),
            "",
        ),
        SynthFacility(
            "dkba-site-1",
            "DKBA temporary site (south of Myawaddy)",
            "temporary_site",
            "MMR",
            16.4750,
            98.6200,
            *split(dk, 0.15, 0.02),
            "",
        ),
        # Royal Thai Army at Phop Phra received the DKBA first wave [S17]
        SynthFacility(
            "rta-phop-phra",
            "Royal Thai Army camp, Phop Phra",
            "army_camp",
            "THA",
            16.3850,
            98.6900,
            400,
            80,
            20,
            "rta",
        ),
        SynthFacility(
            "maesot-idc",
            "Mae Sot Immigration Detention Centre",
            "immigration_detention",
            "THA",
            16.7140,
            98.5740,
            600,
            120,
            10,
            "th-immigration",
        ),
        SynthFacility(
            "msdhs-shelter-maesot",
            "MSDHS temporary shelter (Mae Sot)",
            "shelter",
            "THA",
            16.7050,
            98.5650,
            80,
            150,
            60,
            "th-msdhs",
        ),
        SynthFacility(
            "ngo-shelter-maesot",
            "Moei Valley Survivor Shelter (Mae Sot)",
            "shelter",
            "THA",
            16.7230,
            98.5810,
            40,
            60,
            30,
            "ngo-moei-shelter",
        ),
    ]
    return f


def armed_group_site(compound: SynthCompound) -> str:
    if compound.controlling_group == "DKBA":
        return "dkba-site-1"
    if compound.lat >= 16.76:
        return "bgf-site-2"
    if compound.lat <= 16.64:
        return "bgf-site-3"
    return "bgf-site-1"


# --------------------------------------------------------------------------- rescue events


@dataclass(frozen=True)
class EventPlan:
    event: SynthRescueEvent
    pool: str  # "dkba1" (crossed 12 Feb), "dkba", "bgf"
    count: int  # people actually generated for this event
    site_key: str
    compound_name: str


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder apportionment of ``total`` over ``weights`` (exact sum)."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    base = [int(x) for x in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - base[i], -i), reverse=True)
    for i in order[:rest]:
        base[i] += 1
    return base


def _noisy(rng: Random, n: int) -> int:
    if n <= 0:
        return 0
    v = n * math.exp(rng.gauss(0, 0.08))
    if v > 100:
        return int(round(v / 10) * 10)  # armed groups announce round numbers
    return max(1, int(round(v)))


def build_events(rng: Random, people: int, compounds: list[SynthCompound]) -> list[EventPlan]:
    by_key = {c.key: c for c in compounds}
    n_first = min(people, round(people * P.DKBA_FIRST_WAVE / P.REFERENCE_TOTAL))  # 260 per 7,000 [S17]
    n_rest = people - n_first
    n_dkba = round(n_rest * P.DKBA_SHARE_AFTER_FIRST_WAVE)  # [S1]
    n_bgf = n_rest - n_dkba

    # each entry: (date, compound key, pool, weight, place)
    # DKBA: first wave handed to the Royal Thai Army at Phop Phra on 12 Feb [S17] (compound: assumption)
    first = [(P.FIRST_RELEASE, "min-let-pan", "dkba1", 1.0, "Phop Phra, Tak (Royal Thai Army)")]
    dkba_comps = [
        c for c in compounds if c.controlling_group == "DKBA" and c.lat > 16.0 and c.key != "min-let-pan"
    ]
    dkba_second = dkba_comps[0].key if dkba_comps else "payathonzu-1"
    dkba = [
        (
            date(2025, 2, 17),
            "min-let-pan",
            "dkba",
            0.6,
            "DKBA area south of Myawaddy (hand-over at Phop Phra)",
        ),
        (date(2025, 2, 21), dkba_second, "dkba", 0.4, "DKBA area south of Myawaddy (hand-over at Phop Phra)"),
    ]
    # BGF: raids on KK Park and Shwe Kokko from mid-February; 6,500 held on 24 Feb [S1]
    bridge = "Myawaddy (BGF) - Second Thai-Myanmar Friendship Bridge, Mae Sot"  # [S7]
    bgf: list[tuple[date, str, str, float, str]] = []
    for d, share in ((date(2025, 2, 14), 0.45), (date(2025, 2, 17), 0.35), (date(2025, 2, 21), 0.20)):
        bgf.append((d, "kk-park", "bgf", 0.33 * share, bridge))  # KK Park share: assumption
    for d, share in ((date(2025, 2, 15), 0.45), (date(2025, 2, 18), 0.35), (date(2025, 2, 22), 0.20)):
        bgf.append((d, "shwe-kokko", "bgf", 0.27 * share, bridge))  # Shwe Kokko share: assumption
    others = [
        c for c in compounds if c.controlling_group != "DKBA" and c.key not in ("kk-park", "shwe-kokko")
    ]
    tot = sum(c.estimated_headcount for c in others) or 1
    for c in others:
        share = 0.40 * c.estimated_headcount / tot
        k = 2 if share > 0.04 else 1
        for _ in range(k):
            d = date(2025, 2, 16) + timedelta(days=int(20 * rng.random() ** 1.6))
            bgf.append((d, c.key, "bgf", share / k, bridge))
    counts_first = [n_first]
    counts_dkba = _apportion(n_dkba, [x[3] for x in dkba])
    counts_bgf = _apportion(n_bgf, [x[3] for x in bgf])
    raw = (
        list(zip(first, counts_first, strict=True))
        + list(zip(dkba, counts_dkba, strict=True))
        + list(zip(bgf, counts_bgf, strict=True))
    )
    raw.sort(key=lambda t: (t[0][0], t[0][2] != "dkba1", t[0][1]))
    out: list[EventPlan] = []
    seen: dict[str, int] = {}
    for (d, ckey, pool, _w, place), n in raw:
        if n <= 0:
            continue
        base = f"ev-{d:%m%d}-{ckey}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if pool == "dkba1":
            expected = n + (1 if rng.random() < 0.5 else 0)  # 260-261 [S17][S16]
            by = DKBA_NAME
        else:
            expected = _noisy(rng, n)
            by = DKBA_NAME if pool == "dkba" else BGF_NAME
        ev = SynthRescueEvent(key, d, place, ckey, by, "rta", expected)
        out.append(EventPlan(ev, pool, n, armed_group_site(by_key[ckey]), by_key[ckey].name))
    return out
