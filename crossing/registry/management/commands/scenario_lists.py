import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.scenario.lists import FILES, duplicate_list, linkage_lists, write_all
from crossing.scenario.synth import generate


class Command(BaseCommand):
    help = ("Write CSV lists of the same synthetic people for record-linkage tests, demos and benchmarks. "
            "a-romanized.csv is a Royal Thai Army hand-over list with names in Latin letters as a clerk writes them "
            "(swapped order, typos, Wade-Giles, Burmese spelling variants, confiscated passports); b-native.csv is an "
            "embassy list of missing nationals with names in the people's own scripts (中文, မြန်မာ, አማርኛ ...); "
            "truth-ab.csv pairs the rows that are the same person. duplicates.csv is one list in which some people "
            "appear two or three times, and truth-duplicates.csv gives every row its person (cluster). "
            "The lists are in the import format (docs/import-format.md), so 'crossing registry import' accepts them. "
            "Give the --people and --seed used with 'crossing scenario generate' and the people on the lists are the "
            "people in the demo registry. No database is needed; existing files in --out-dir are overwritten. "
            "Synthetic data only.")

    def add_arguments(self, parser):
        parser.add_argument("--out-dir", required=True, type=Path, help="folder for the five CSV files (created if missing)")
        parser.add_argument("--people", type=int, default=7000,
                            help="size of the scenario, as for 'crossing scenario generate' (default 7000)")
        parser.add_argument("--seed", type=int, default=7,
                            help="scenario seed, as for 'crossing scenario generate' (default 7)")
        parser.add_argument("--size", type=int, default=2000,
                            help="distinct people on each set of lists: A and B together, and the duplicates list "
                                 "(default 2000; every nationality gets at least a few people)")
        parser.add_argument("--overlap", type=float, default=0.6,
                            help="share of the --size people who are on both A and B; the others are on one list only "
                                 "(default 0.6)")
        parser.add_argument("--dup-rate", type=float, default=0.1,
                            help="share of the people on the duplicates list who appear two or three times (default 0.1)")
        parser.add_argument("--lists-seed", type=int, default=1,
                            help="seed for who is picked and for the spelling noise: the same seeds give the same files "
                                 "(default 1)")

    def handle(self, *args, **opts):
        if opts["people"] < 1:
            raise CommandError("--people must be at least 1", returncode=2)
        started = time.monotonic()
        scenario = generate(people=opts["people"], seed=opts["seed"])
        try:
            linkage = linkage_lists(scenario, size=opts["size"], overlap=opts["overlap"], seed=opts["lists_seed"])
            duplicates = duplicate_list(scenario, size=opts["size"], dup_rate=opts["dup_rate"], seed=opts["lists_seed"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        paths = write_all(opts["out_dir"], linkage, duplicates)
        counts = (len(linkage.a), len(linkage.b), len(linkage.truth), len(duplicates.rows), len(duplicates.truth))
        for name, path, n in zip(FILES, paths, counts, strict=True):
            self.stdout.write(f"{path}  {n} {'pairs' if name == 'truth-ab.csv' else 'rows'}")
        self.stdout.write(f"lists written in {time.monotonic() - started:.1f}s (scenario: {opts['people']} people, "
                          f"seed {opts['seed']}; lists seed {opts['lists_seed']})")
