"""Per-person generation.  Each person is derived only from (seed, key) and the fixed plan, so
people can be streamed in any order and regenerated identically."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta, timezone
from random import Random

from . import params as P
from .documents import Numbering, national_id, phone
from .model import SynthContact, SynthDocument, SynthName, SynthPerson, SynthPlacement
from .names import Table, alias_variant, compound_nickname, fold, generate_name, relative_name
from .world import EventPlan

TZ = timezone(timedelta(hours=P.UTC_OFFSET_HOURS), "Asia/Bangkok")


def at(d: date, hour: float) -> datetime:
    minutes = int(hour * 60)
    return datetime(d.year, d.month, d.day, minutes // 60, minutes % 60, tzinfo=TZ)


# English / Thai ability by nationality (assumption; decides interpreter_needed)
_P_ENGLISH = {
    "CN": 0.12,
    "TW": 0.35,
    "VN": 0.15,
    "IN": 0.7,
    "ET": 0.45,
    "ID": 0.2,
    "PH": 0.95,
    "PK": 0.5,
    "MY": 0.75,
    "KE": 0.95,
    "ZA": 0.95,
    "NP": 0.45,
    "UG": 0.9,
    "LK": 0.5,
    "UZ": 0.2,
    "NG": 0.95,
    "GH": 0.95,
    "BD": 0.3,
    "CM": 0.4,
    "NA": 0.9,
    "RW": 0.5,
    "TN": 0.3,
    "CZ": 0.7,
    "LA": 0.2,
    "RO": 0.7,
    "DZ": 0.2,
    "SG": 1.0,
    "BI": 0.2,
    "BR": 0.3,
    "KH": 0.2,
    "TZ": 0.7,
    "XX": 0.05,
}
_P_THAI = {"LA": 0.9, "KH": 0.3, "XX": 0.3, "MY": 0.05}
# extra languages: iso2 -> ((code, probability), ...)
_EXTRA = {
    "CN": (("yue", 0.08), ("nan", 0.08)),
    "TW": (("nan", 0.5),),
    "PK": (("pa", 0.4),),
    "UZ": (("ru", 0.6),),
    "RW": (("fr", 0.4),),
    "BI": (("fr", 0.5),),
    "TN": (("fr", 0.6),),
    "DZ": (("fr", 0.6),),
    "SG": (("zh", 0.8),),
    "NP": (("hi", 0.3),),
}
_ENGLISH_NATIVE = frozenset({"SG"})
_CONTACT_RELS = ("mother", "father", "spouse", "brother", "sister", "cousin", "friend")
_DOB_IN_ID_NUMBER = frozenset({"CN", "VN", "ID", "MY"})


class Plan:
    """Everything the per-person generator needs, computed once per scenario."""

    def __init__(
        self, seed: int, people: int, as_of: date, events: list[EventPlan], compound_names: dict[str, str]
    ):
        self.seed = seed
        self.people = people
        self.as_of = as_of
        self.events = events
        self.compound_names = compound_names
        self.starts: list[int] = []
        k = 1
        for e in events:
            self.starts.append(k)
            k += e.count
        if k - 1 != people:
            raise ValueError(f"event counts sum to {k - 1}, expected {people}")
        self.numbering = Numbering(seed)
        bgf_codes = list(P.BGF_LIST)
        self.nat = {
            "bgf": Table(bgf_codes, [P.BGF_LIST[c][0] for c in bgf_codes]),
            "dkba": Table(list(P.DKBA_LIST), list(P.DKBA_LIST.values())),
        }
        self.nat["dkba1"] = self.nat["dkba"]
        self.roles: dict[str, Table] = {}
        self.waves = self._wave_probabilities()

    # ------------------------------------------------------------------ waves
    def _wave_probabilities(self) -> dict[tuple[str, str], list[tuple[date, date, float, int, str]]]:
        n_pool: dict[str, int] = {}
        dated: dict[str, list[tuple[date, int]]] = {}
        for e in self.events:
            n_pool[e.pool] = n_pool.get(e.pool, 0) + e.count
            dated.setdefault(e.pool, []).append((e.event.occurred_on, e.count))
        cdf: dict[str, tuple[list[date], list[float]]] = {}
        for pool, items in dated.items():
            items.sort()
            ds, cum, c = [], [], 0
            for d, n in items:
                c += n
                ds.append(d)
                cum.append(c / n_pool[pool])
            cdf[pool] = (ds, cum)

        def F(pool: str, d: date) -> float:
            if pool not in cdf:
                return 0.0
            ds, cum = cdf[pool]
            i = bisect_right(ds, d)
            return cum[i - 1] if i else 0.0

        wb = {c: v[0] for c, v in P.BGF_LIST.items()}
        sb = sum(wb.values())
        wd = dict(P.DKBA_LIST)
        sd = sum(wd.values())
        out = {}
        for c in sorted(set(wb) | set(wd)):
            for group in ("held", "crossed"):
                if group == "crossed":
                    masses = {"dkba1": n_pool.get("dkba1", 0) * wd.get(c, 0) / sd}
                else:
                    masses = {
                        "bgf": n_pool.get("bgf", 0) * wb.get(c, 0) / sb,
                        "dkba": n_pool.get("dkba", 0) * wd.get(c, 0) / sd,
                    }
                m = sum(masses.values())
                waves = P.WAVES[P.wave_group_key(c, group)]
                cum = 0.0
                probs = []
                for first, last, share, lead, route in waves:
                    cut = first - timedelta(days=lead)
                    f = sum(masses[p] * F(p, cut) for p in masses) / m if m > 0 else 0.0
                    elig = f - cum
                    p = min(1.0, share / elig) if elig > 1e-9 else 0.0
                    cum += p * max(0.0, elig)
                    probs.append((first, last, p, lead, route))
                out[(c, group)] = probs
        return out

    def role_table(self, iso2: str) -> Table:
        t = self.roles.get(iso2)
        if t is None:
            t = self.roles[iso2] = Table(P.ROLES, P.role_weights(iso2))
        return t

    def event_for(self, key: int) -> EventPlan:
        return self.events[bisect_right(self.starts, key) - 1]


def _dob_precision(rng: Random, passport_custodian: str | None) -> str:
    r = rng.random()
    if passport_custodian in ("holder", "police", "embassy"):
        return "day" if r < 0.97 else "month"
    if passport_custodian is not None:  # confiscated / lost: number and name known from copies or lists
        return "day" if r < 0.6 else "month" if r < 0.7 else "year" if r < 0.9 else "unknown"
    return "day" if r < 0.35 else "month" if r < 0.45 else "year" if r < 0.8 else "unknown"


def build_person(plan: Plan, key: int) -> SynthPerson:
    ep = plan.event_for(key)
    ev = ep.event
    rng = Random(plan.seed * 1_099_511_627_776 + key)  # seed * 2**40 + key
    as_of = plan.as_of
    pool = ep.pool
    group = "crossed" if pool == "dkba1" else "held"

    # ---------------------------------------------------------------- identity
    iso2 = plan.nat[pool].pick(rng)
    female = rng.random() < P.female_share(iso2, pool)
    sex = "unknown" if rng.random() < P.P_SEX_UNKNOWN else ("female" if female else "male")
    age = min(P.AGE_MAX, max(P.AGE_MIN, rng.gauss(P.AGE_MEAN, P.AGE_SD)))  # normal(28, 6) clipped 16-55
    true_dob = as_of - timedelta(days=int(age * 365.2425) + 1)
    role = plan.role_table(iso2).pick(rng)
    gn = generate_name(rng, iso2, female)

    # ---------------------------------------------------------------- vulnerabilities (part 1)
    medical = rng.random() < P.P_MEDICAL
    pregnant = female and 18 <= age <= 40 and rng.random() < P.P_PREGNANT_WOMAN
    disability = rng.random() < P.P_DISABILITY

    # ---------------------------------------------------------------- documents (part 1) and date of birth
    has_passport = iso2 != "XX" and rng.random() < P.P_HAS_PASSPORT
    custodian = None
    if has_passport:
        r = rng.random()
        acc = 0.0
        for name, w in P.PASSPORT_CUSTODIAN:
            acc += w
            if r < acc:
                custodian = name
                break
        else:
            custodian = "embassy"
    nid_custodian = None
    if iso2 != "XX" and rng.random() < (0.4 if iso2 in ("CN", "VN", "ID") else 0.2):
        r = rng.random()
        nid_custodian = "holder" if r < 0.55 else "confiscated" if r < 0.9 else "lost"
    precision = _dob_precision(rng, custodian)
    if nid_custodian in ("holder", "confiscated") and iso2 in _DOB_IN_ID_NUMBER:
        precision = "day"  # the date of birth can be read off the ID number
    if precision == "day":
        dob = true_dob
    elif precision == "month":
        dob = date(true_dob.year, true_dob.month, 1)
    elif precision == "year":
        dob = date(true_dob.year, 1, 1)
    else:
        dob = None
    age_estimate = None
    if precision in ("year", "unknown"):
        age_estimate = int(min(65, max(14, round(age + rng.gauss(0, 2.5)))))
    possible_minor = age < 18 or (age_estimate is not None and age_estimate < 18)
    vulnerable = possible_minor or pregnant or medical

    # ---------------------------------------------------------------- timeline
    release = ev.occurred_on
    compound_name = plan.compound_names.get(ev.compound_key, ev.compound_key)
    holder_name = "the DKBA" if pool != "bgf" else "the BGF"
    path: list[tuple[str, datetime, str]] = []
    screening_end = None
    in_thai_custody = False

    def thai_facility() -> str:
        if female or possible_minor or pregnant:
            return "msdhs-shelter-maesot" if rng.random() < 0.75 else "ngo-shelter-maesot"
        return "maesot-idc"

    if group == "crossed":
        path.append(
            (
                "dkba-site-1",
                at(release - timedelta(days=1), rng.uniform(6, 16)),
                f"released from {compound_name} by {holder_name} in the 11-12 Feb raids",
            )
        )
        path.append(
            (
                "rta-phop-phra",
                at(release, rng.uniform(10, 14)),
                "handed over to the Royal Thai Army at Phop Phra",
            )
        )
        tdate = release + timedelta(days=rng.randint(2, 6))
        path.append(
            (thai_facility(), at(tdate, rng.uniform(9, 17)), "Thai National Referral Mechanism screening")
        )
        screening_end = release + timedelta(days=rng.randint(*P.THAI_NRM_DAYS))  # 15-30 days [S15][S18]
        in_thai_custody = True
    else:
        path.append(
            (
                ep.site_key,
                at(release, rng.uniform(8, 18)),
                f"released from {compound_name} by {holder_name}; held pending hand-over to Thailand",
            )
        )

    status = None
    end: datetime | None = None
    u = rng.random()
    if pool == "dkba" and iso2 in P.AFRICA:
        p_abs = P.P_ABSCONDED_AFRICA_DKBA
    elif group == "crossed":
        p_abs = P.P_ABSCONDED_THAI
    else:
        p_abs = P.P_ABSCONDED_HELD
    p_rel = P.P_RELEASED_STATELESS if iso2 == "XX" else P.P_RELEASED
    span = max(1, (as_of - release).days - 2)
    if u < P.P_DECEASED:
        status = "deceased"
    elif u < P.P_DECEASED + p_abs:
        status = "absconded"
    elif u < P.P_DECEASED + p_abs + p_rel:
        status = "released"
    if status is not None:
        end = at(release + timedelta(days=2 + rng.randrange(span)), rng.uniform(0, 23.5))
    else:
        for first, last, p, lead, route in plan.waves[(iso2, group)]:
            if release > first - timedelta(days=lead) or rng.random() >= p:
                continue
            dep = first + timedelta(days=rng.randint(0, (last - first).days))
            if dep <= as_of:
                status = "repatriated"
                if group == "crossed":
                    end = at(dep, rng.uniform(5, 10))
                else:
                    cin = at(dep, rng.uniform(7, 11))
                    path.append(
                        (
                            "maesot-idc",
                            cin,
                            f"crossed at Mae Sot; exit processing (TM.35) before departure: {route}",
                        )
                    )
                    end = cin + timedelta(
                        minutes=rng.randint(180, 720)
                    )  # same day; flown out within 24 h [S34]
            elif (dep - as_of).days <= P.SCHEDULED_HORIZON_DAYS:
                status = "scheduled"
            else:
                status = "awaiting_documents"
            break
    if status is None or status == "awaiting_documents":
        if group == "held" and rng.random() < (P.VULNERABLE_TRANSFER if vulnerable else P.GENERAL_TRANSFER):
            tdate = release + timedelta(days=rng.randint(3, 20))
            if tdate < as_of:
                path.append(
                    (
                        thai_facility(),
                        at(tdate, rng.uniform(9, 17)),
                        "transferred to Thai custody for NRM screening"
                        + (" (vulnerable person)" if vulnerable else ""),
                    )
                )
                screening_end = tdate + timedelta(days=rng.randint(*P.THAI_NRM_DAYS))
                in_thai_custody = True
                status = None
    if status is None:
        if in_thai_custody:
            status = "awaiting_screening" if screening_end > as_of else "awaiting_documents"
        else:
            docs_key = iso2 if iso2 in P.AWAITING_DOCS_HELD else ("africa" if iso2 in P.AFRICA else "default")
            status = "awaiting_documents" if rng.random() < P.AWAITING_DOCS_HELD[docs_key] else "held"

    if end is not None:
        path = [x for x in path if x[1] < end] or path[:1]
        if end <= path[-1][1]:
            end = path[-1][1] + timedelta(hours=6)
    placements = tuple(
        SynthPlacement(fac, cin, path[i + 1][1] if i + 1 < len(path) else end, reason)
        for i, (fac, cin, reason) in enumerate(path)
    )

    # ---------------------------------------------------------------- documents (part 2)
    docs: list[SynthDocument] = []
    issuer = P.ISO3[iso2]
    if has_passport:
        if in_thai_custody and custodian == "holder" and rng.random() < 0.6:
            custodian = "police"
        expiry = as_of - timedelta(days=rng.randint(20, 3600)) + timedelta(days=3652)
        if custodian == "lost" and rng.random() < 0.4:
            expiry = None
        docs.append(
            SynthDocument(
                "passport", plan.numbering.passport_number(rng, iso2, key), issuer, expiry, custodian
            )
        )
    if nid_custodian is not None:
        docs.append(
            SynthDocument(
                "national_id", national_id(rng, iso2, true_dob, female), issuer, None, nid_custodian
            )
        )
    passport_in_hand = custodian in ("holder", "police", "embassy")
    if iso2 != "XX" and not passport_in_hand:
        p_etd = (
            0.85
            if status in ("repatriated", "scheduled")
            else 0.25
            if status == "awaiting_documents"
            else 0.0
        )
        if p_etd and rng.random() < p_etd:
            issued = min(as_of, release + timedelta(days=rng.randint(3, 25)))
            docs.append(
                SynthDocument(
                    "emergency_travel_document",
                    plan.numbering.etd_number(rng, iso2, key),
                    issuer,
                    issued + timedelta(days=rng.choice((30, 60, 90))),
                    "holder" if status == "repatriated" else "embassy",
                )
            )
    if rng.random() < P.P_OTHER_DOC:
        docs.append(
            SynthDocument(
                "other",
                f"WC-{rng.randrange(10**6):06d}",
                "MMR",
                None,
                "holder" if rng.random() < 0.5 else "confiscated",
            )
        )

    # ---------------------------------------------------------------- names
    names: list[SynthName] = []
    if has_passport:
        names.append(SynthName(gn.passport, "Latn", gn.language, "passport"))
    if gn.native:
        names.append(SynthName(gn.native, gn.native_script, gn.language, "native"))
        if not has_passport:
            names.append(SynthName(gn.latin, "Latn", gn.language, "alias"))  # staff transliteration
    elif not has_passport or fold(gn.latin) != gn.latin:
        names.append(SynthName(gn.latin, "Latn", gn.language, "native"))
    if rng.random() < P.P_ALIAS:
        alt = alias_variant(rng, iso2, gn)
        if alt is not None:
            names.append(SynthName(alt[0], alt[1], alt[2], "alias"))
    p_nick = P.P_COMPOUND_NICKNAME.get(iso2, P.P_COMPOUND_NICKNAME["default"])
    if role == "team_leader_or_translator":
        p_nick = 0.8
    if rng.random() < p_nick:
        nick = compound_nickname(rng, iso2, gn, female)
        names.append(SynthName(nick[0], nick[1], nick[2], "compound"))
    seen = set()
    uniq = []
    for n in names:
        if n.full_name not in seen:
            seen.add(n.full_name)
            uniq.append(n)

    # ---------------------------------------------------------------- languages
    primary = gn.language
    if iso2 == "KE":
        primary = "sw"
    elif iso2 == "SG":
        primary = "en"
    spoken = [primary]
    if iso2 == "KE" and gn.language != "sw":
        spoken.append(gn.language)
    if iso2 == "ET" and primary == "om" and rng.random() < 0.6:
        spoken.append("am")
    if iso2 == "IN" and primary not in ("hi", "en") and rng.random() < 0.3:
        spoken.append("hi")
    if iso2 == "MY" and primary != "ms" and rng.random() < 0.7:
        spoken.append("ms")
    for code, p in _EXTRA.get(iso2, ()):
        if code not in spoken and rng.random() < p:
            spoken.append(code)
    english = primary == "en" or rng.random() < _P_ENGLISH.get(iso2, 0.3)
    thai = rng.random() < _P_THAI.get(iso2, 0.0)
    if role == "team_leader_or_translator":
        if iso2 in ("CN", "TW"):
            english = english or rng.random() < 0.6
        elif "zh" not in spoken and rng.random() < 0.5:
            spoken.append("zh")
    if english and "en" not in spoken:
        spoken.append("en")
    if thai and "th" not in spoken:
        spoken.append("th")
    needs = primary not in ("en", "th") and not english and not thai
    languages = tuple((code, needs if i == 0 else False) for i, code in enumerate(spoken))

    # ---------------------------------------------------------------- contacts
    contacts: list[SynthContact] = []
    if rng.random() < P.P_CONTACT:
        n_contacts = 2 if rng.random() < P.P_SECOND_CONTACT else 1
        used: set[str] = set()
        for _ in range(n_contacts):
            weights = [
                0 if r in used else w
                for r, w in zip(_CONTACT_RELS, (28, 17, 20 if age > 22 else 2, 12, 12, 6, 5), strict=True)
            ]
            rel = rng.choices(_CONTACT_RELS, weights)[0]
            used.add(rel)
            if rel == "spouse":
                rel = "husband" if female else "wife"
            contacts.append(
                SynthContact(
                    relative_name(rng, iso2, gn, rel), rel, phone(rng, iso2), rng.random() < P.P_CONSENT
                )
            )

    vulns = tuple(
        v
        for v, flag in (
            ("possible_minor", possible_minor),
            ("medical", medical),
            ("pregnancy", pregnant),
            ("disability", disability),
        )
        if flag
    )
    return SynthPerson(
        key=key,
        names=tuple(uniq),
        sex=sex,
        date_of_birth=dob,
        dob_precision=precision,
        age_estimate=age_estimate,
        nationalities=(P.ISO3[iso2],),
        languages=languages,
        documents=tuple(docs),
        contacts=tuple(contacts),
        vulnerabilities=vulns,
        compound_key=ev.compound_key,
        rescue_event_key=ev.key,
        placements=placements,
        status=status,
        role_truth=role,
    )
