"""Search before create: how long scoring what an officer typed takes, next to plain name search.

Run on a registry database that ``benchmarks/run.py`` (or ``make run``) built, after
``crossing registry dedupe`` stored a trained model:

    DATABASE_URL=sqlite:////path/to/registry.sqlite3 .venv/bin/python benchmarks/intake_latency.py [--queries 200]

For each query (a registered person's name, written as another agency would: the native name, the
Latin name with its words swapped, or with one letter changed) it times
``crossing.linkage.selectors.intake_matches`` (candidate search plus Splink scoring, what the
intake page calls on each pause in typing) and, as the baseline in the same run,
``crossing.registry.search.search_people`` alone (the token search the candidates come from).
It prints p50/p95/max in milliseconds and whether the person was among the matches.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CROSSING_ENV", "dev")

TARGET_P95_MS = 300.0  # a pause in typing is 400 ms (the intake page's htmx delay)


def _variant(rng: random.Random, name: str) -> str:
    words = name.split()
    roll = rng.random()
    if roll < 0.4 and len(words) > 1:
        return " ".join(reversed(words))
    if roll < 0.7 and len(name) > 4:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from crossing.access.cli_actor import cli_actor
    from crossing.access.policy import people
    from crossing.linkage.selectors import intake_matches
    from crossing.registry.models import PersonName
    from crossing.registry.search import search_people

    actor = cli_actor(None)
    rng = random.Random(args.seed)
    # Names as written on a passport or in the person's script (a compound nickname such as "Louis"
    # is shared by many people and names nobody).
    names = PersonName.objects.exclude(kind="compound").order_by("id").values_list("person_id", "full_name")
    total = names.count()
    picks = []
    for _ in range(args.queries):
        name = names[rng.randrange(total)]
        picks.append((name[0], _variant(rng, name[1])))
    intake_matches(actor=actor, names=["WARM UP"])  # first call builds the SQL and the DuckDB connection
    scored, plain, found = [], [], 0
    visible = people(actor, "list")
    for person_id, query in picks:
        start = time.perf_counter()
        matches = intake_matches(actor=actor, names=[query])
        scored.append((time.perf_counter() - start) * 1000)
        found += any(m.person.pk == person_id for m in matches)
        start = time.perf_counter()
        list(search_people(visible, query, by_document=False)[:25])
        plain.append((time.perf_counter() - start) * 1000)

    def summary(values):
        ordered = sorted(values)
        return (statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))], ordered[-1])

    s, p = summary(scored), summary(plain)
    print(f"registry: {visible.count()} people, {len(picks)} queries")
    print(f"{'':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(f"{'search before create (scored)':34} {s[0]:8.1f} {s[1]:8.1f} {s[2]:8.1f}   target p95 <= {TARGET_P95_MS:.0f} ms: "
          f"{'pass' if s[1] <= TARGET_P95_MS else 'FAIL'}")
    print(f"{'baseline: token search only':34} {p[0]:8.1f} {p[1]:8.1f} {p[2]:8.1f}")
    print(f"the person typed was among the matches in {found}/{len(picks)} queries ({100 * found / len(picks):.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
