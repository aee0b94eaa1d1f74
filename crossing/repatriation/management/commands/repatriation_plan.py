"""``crossing repatriation plan --input problem.json --output plan.json``: the repatriation planner.

Reads the problem (people with destination, ready date, weight and group; movements with date,
destinations and capacity; daily capacities), writes who boards which movement, the objective, a proven
lower bound and the seconds spent. Needs no database. See analytics/repatriation for the model.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics.repatriation import ProblemError, fcfs, loads, solve
from crossing.core.private_files import write_private_file


class Command(BaseCommand):
    help = ("Plan repatriation movements: read a problem (JSON: start_date, horizon_days, daily_capacity, people, "
            "movements), minimise the weighted days people wait, and write {assignments, objective, lower_bound, "
            "seconds}. A malformed input exits non-zero with a message naming the field.")
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="problem JSON file ('-' for standard input)")
        parser.add_argument("--output", required=True, help="plan JSON file ('-' for standard output)")
        parser.add_argument("--time-limit", type=float, default=8.0,
                            help="seconds for the optimiser (default 8); the best plan found and a proven bound are written")
        parser.add_argument("--method", choices=["optimal", "fcfs"], default="optimal",
                            help="optimal (default) or first-come-first-served (lower_bound is then null)")

    def handle(self, *args, **opts):
        if not opts["time_limit"] > 0:
            raise CommandError("--time-limit must be more than 0", returncode=2)
        source = opts["input"]
        try:
            raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            raise CommandError(f"--input {source}: {exc.strerror or exc}", returncode=2) from None
        try:
            problem = loads(raw)
        except ProblemError as exc:
            raise CommandError(str(exc), returncode=1) from None
        plan = fcfs(problem) if opts["method"] == "fcfs" else solve(problem, time_limit=opts["time_limit"])
        text = json.dumps(plan.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
        target = opts["output"]
        if target == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(target)
        try:
            write_private_file(path, text)
        except OSError as exc:
            raise CommandError(f"--output {target}: {exc.strerror or exc}", returncode=2) from None
        moved = len(plan.assignments)
        self.stdout.write(f"{moved:,} of {len(problem.people):,} people assigned; objective {plan.objective:,.2f}"
                          + ("" if plan.lower_bound is None else f", lower bound {plan.lower_bound:,.2f}")
                          + f" ({plan.status}, {plan.seconds:.2f} s)")
