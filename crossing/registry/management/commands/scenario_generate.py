import sys
import time

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crossing.access.cli_actor import cli_actor
from crossing.registry.scenario_loader import load_scenario, registry_size
from crossing.scenario.synth import generate


class Command(BaseCommand):
    help = ("Fill the database with a synthetic scenario modelled on the 2025 Myawaddy operation (see "
            "shared/reference/scenario-facts.md, section 10): compounds, holding sites, agencies, people from 28 "
            "countries with names in their own scripts, documents, rescue events, and one demo persona per role. "
            "Synthetic data only.")

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=7000, help="how many people (default 7000; scales to 300000)")
        parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed gives the same scenario")
        parser.add_argument("--screenings", type=int, default=0,
                            help="also screen this many people awaiting screening (synthetic interviews, decisions, "
                                 "reviews), through the screening services")
        parser.add_argument("--repatriation", type=int, default=0,
                            help="also open this many repatriation cases at various steps, and demo movements")
        parser.add_argument("--syndicates", type=int, default=0,
                            help="also load this many synthetic syndicates into the intelligence compartment, "
                                 "recruiting rescued people, with a sanctions list and a paid-off official")
        parser.add_argument("--transactions", type=int, default=0,
                            help="also load this many synthetic transactions (money flows) whose rings launder into "
                                 "the syndicates' wallets, with victims' complaints and one detector run")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the registry already has people")

    def handle(self, *args, **opts):
        existing = registry_size()
        if existing and opts["if_empty"]:
            self.stdout.write(f"the registry already holds {existing} people: scenario not loaded")
            return
        if existing:
            raise CommandError("the registry is not empty; use a fresh database (DATABASE_URL) or --if-empty", returncode=1)
        if opts["people"] < 1:
            raise CommandError("--people must be at least 1", returncode=2)
        started = time.monotonic()
        scenario = generate(people=opts["people"], seed=opts["seed"])
        actor = cli_actor(None)
        progress = Progress(TextColumn("loading people"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty())
        with progress:
            task = progress.add_task("load", total=opts["people"])
            result = load_scenario(actor=actor, scenario=scenario, progress=lambda n: progress.update(task, completed=n))
        screened = 0
        if opts["screenings"] > 0:
            from crossing.screening.demo import load_demo_screenings  # screening builds on the registry

            screened = load_demo_screenings(count=opts["screenings"], seed=opts["seed"])
        cases = 0
        if opts["repatriation"] > 0:
            from crossing.repatriation.demo import (
                load_demo_repatriation,  # repatriation builds on the registry
            )

            cases = load_demo_repatriation(count=opts["repatriation"], seed=opts["seed"])
        entities = 0
        if opts["syndicates"] > 0:
            from crossing.network.demo import load_demo_network  # the network recruits registry people

            entities = load_demo_network(seed=opts["seed"], syndicates=opts["syndicates"])
        transactions = 0
        if opts["transactions"] > 0:
            from crossing.flows.demo import load_demo_flows  # the rings launder into the network's wallets

            transactions = load_demo_flows(seed=opts["seed"], transactions=opts["transactions"])
        self.stdout.write(f"scenario loaded: {result['people']} people, {result['personas']} demo personas, "
                          f"{screened} screenings, {cases} repatriation cases, {entities} network entities, {transactions} transactions in {time.monotonic() - started:.1f}s (seed {opts['seed']})")
