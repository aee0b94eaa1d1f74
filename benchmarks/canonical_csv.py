"""Write a canonical import CSV (docs/import-format.md columns) of synthetic people.

Source of the people, best first:

1. ``crossing.scenario.synth.generate(people=N, seed=...)`` -- the full scenario generator;
2. the scenario's name and document tables (``crossing.scenario.names`` / ``documents``) with the
   BGF-list nationality mix, when the generator itself is not importable;
3. a tiny built-in generator, when neither is importable.

The CSV leaves ``compound`` and ``facility`` blank: those columns must name registered records,
and the benchmark's scratch database has none (blank is valid).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random

HEADER = ("list_ref", "row_ref", "full_name", "native_name", "sex", "date_of_birth", "nationality",
          "passport_number", "compound", "handed_over_by", "handed_over_on", "facility")
BGF = "Border Guard Force (BGF/KNA)"
DKBA = "Democratic Karen Buddhist Army (DKBA)"
FIRST_HANDOVER = date(2025, 2, 12)
LAST_HANDOVER = date(2025, 3, 20)
_SEX = {"male": "M", "female": "F"}


@dataclass
class CsvInfo:
    path: Path
    rows: int
    source: str  # "synth", "scenario-names" or "builtin"
    note: str = ""


def format_dob(dob: date | None, precision: str) -> str:
    if dob is None or precision == "unknown":
        return ""
    if precision == "year":
        return f"{dob.year:04d}"
    if precision == "month":
        return f"{dob.year:04d}-{dob.month:02d}"
    return dob.isoformat()


def _handover_date(rng: Random) -> date:
    return FIRST_HANDOVER + timedelta(days=rng.randrange((LAST_HANDOVER - FIRST_HANDOVER).days + 1))


# --------------------------------------------------------------------------- 1. the scenario generator
def _synth_rows(n: int, seed: int) -> Iterator[tuple]:
    from crossing.scenario import synth  # optional: may be missing

    scenario = synth.generate(people=n, seed=seed)
    events = {}
    for attr in ("rescue_events", "events"):
        value = getattr(scenario, attr, None)
        if value:
            items = value.values() if isinstance(value, dict) else value
            events = {getattr(e, "key", None): e for e in items}
            break
    rng = Random(seed)
    counters: dict[str, int] = {}
    for p in scenario.iter_people():
        passport = next((nm.full_name for nm in p.names if nm.kind == "passport"), "")
        native = next((nm.full_name for nm in p.names if nm.kind == "native"), "")
        if not passport and not native:
            passport = p.names[0].full_name if p.names else ""
        doc = next((d for d in p.documents if d.doc_type == "passport"), p.documents[0] if p.documents else None)
        event = events.get(p.rescue_event_key)
        if event is not None:
            by, on = event.handed_over_by or BGF, event.occurred_on
        else:
            by, on = (BGF if rng.random() < 0.9 else DKBA), _handover_date(rng)
        list_ref = f"BENCH-{p.rescue_event_key or on.isoformat()}"[:100]
        counters[list_ref] = counters.get(list_ref, 0) + 1
        yield (list_ref, f"{counters[list_ref]:06d}", passport, native, _SEX.get(p.sex, ""),
               format_dob(p.date_of_birth, p.dob_precision), p.nationalities[0] if p.nationalities else "",
               doc.number if doc else "", "", by, on.isoformat(), "")


# --------------------------------------------------------------------------- 2. the scenario's name tables
def _names_rows(n: int, seed: int) -> Iterator[tuple]:
    from crossing.scenario import params as P
    from crossing.scenario.documents import Numbering
    from crossing.scenario.names import Table, generate_name

    rng = Random(seed)
    numbering = Numbering(seed)
    countries = Table(list(P.BGF_LIST), [w for w, _ in P.BGF_LIST.values()])
    list_size = 2500
    for i in range(n):
        iso2 = countries.pick(rng)
        female = rng.random() < P.BGF_LIST[iso2][1]
        name = generate_name(rng, iso2, female)
        native = name.native or ""
        age = max(16, min(55, int(rng.gauss(28, 6))))
        r = rng.random()
        if r < 0.05:
            dob, precision = None, "unknown"
        else:
            dob = date(2025 - age, 1, 1) + timedelta(days=rng.randrange(365))
            precision = "day" if r < 0.85 else ("month" if r < 0.93 else "year")
        number = "" if iso2 == "XX" or rng.random() < 0.12 else numbering.passport_number(rng, iso2, i)
        on = _handover_date(rng)
        yield (f"BENCH-{on.isoformat()}-{i // list_size:03d}", f"{i % list_size + 1:06d}", name.passport, native,
               "F" if female else "M", format_dob(dob, precision), "stateless" if iso2 == "XX" else P.ISO3[iso2],
               number, "", BGF if rng.random() < 0.9 else DKBA, on.isoformat(), "")


# --------------------------------------------------------------------------- 3. built-in
_SURNAMES = [("王", "WANG"), ("李", "LI"), ("张", "ZHANG"), ("刘", "LIU"), ("陈", "CHEN"), ("杨", "YANG"),
             ("黄", "HUANG"), ("赵", "ZHAO"), ("吴", "WU"), ("周", "ZHOU")]
_GIVEN = [("伟", "WEI"), ("芳", "FANG"), ("强", "QIANG"), ("敏", "MIN"), ("磊", "LEI"), ("静", "JING"),
          ("军", "JUN"), ("丽", "LI"), ("涛", "TAO"), ("明", "MING")]
_OTHER = [("VNM", ["NGUYEN VAN AN", "TRAN THI BICH", "LE VAN HUNG"]),
          ("ETH", ["ABEBE KEBEDE", "TESFAYE ALEMU", "HIRUT GIRMA"]),
          ("IND", ["RAHUL SHARMA", "AMIT KUMAR", "PRIYA SINGH"]),
          ("IDN", ["BUDI SANTOSO", "SITI RAHAYU", "AGUS SETIAWAN"])]


def _builtin_rows(n: int, seed: int) -> Iterator[tuple]:
    rng = Random(seed)
    for i in range(n):
        on = _handover_date(rng)
        if rng.random() < 0.7:
            (sh, sp), (g1h, g1p) = rng.choice(_SURNAMES), rng.choice(_GIVEN)
            gh, gp = (g1h, g1p) if rng.random() < 0.4 else (g1h + rng.choice(_GIVEN)[0], g1p + rng.choice(_GIVEN)[1])
            full, native, nat, number = f"{sp} {gp}", sh + gh, "CHN", f"E{rng.randrange(10**8):08d}"
        else:
            nat, names = rng.choice(_OTHER)
            full, native, number = rng.choice(names), "", f"P{rng.randrange(10**7):07d}"
        yield (f"BENCH-{on.isoformat()}-{i // 2500:03d}", f"{i % 2500 + 1:06d}", full, native, rng.choice("MMMMF"),
               f"{1970 + rng.randrange(35)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", nat, number, "",
               BGF, on.isoformat(), "")


def write_csv(path: Path, n: int, seed: int = 7) -> CsvInfo:
    """Write ``n`` rows to ``path`` and say which generator made them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    note = ""
    try:
        import crossing.scenario.synth  # noqa: F401

        source, rows = "synth", _synth_rows(n, seed)
    except ImportError as exc:
        note = f"crossing.scenario.synth not importable ({exc}); "
        try:
            import crossing.scenario.names  # noqa: F401

            source, rows = "scenario-names", _names_rows(n, seed)
            note += "used the scenario's name/document tables with the BGF-list nationality mix instead"
        except ImportError:
            source, rows = "builtin", _builtin_rows(n, seed)
            note += "used the small built-in generator instead"
    written = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(row)
            written += 1
            if written >= n:
                break
    return CsvInfo(path=path, rows=written, source=source, note=note)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file")
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(write_csv(Path(a.file), a.rows, a.seed))
