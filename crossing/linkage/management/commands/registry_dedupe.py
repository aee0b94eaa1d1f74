from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from crossing.access.cli_actor import cli_actor
from crossing.core.errors import ApplicationError
from crossing.linkage import services


class Command(BaseCommand):
    help = ("Find people registered more than once (the same person from several lists, agencies or scripts) "
            "and put each likely pair in the adjudication queue, where an officer decides 'same person' "
            "(merge) or 'different'. Nothing is merged here. Pairs already decided are never queued again.")

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=0.5,
                            help="queue pairs whose match probability is at least this (default 0.5)")
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb",
                            help="duckdb (one machine, default) or spark (local[*] or SPARK_MASTER)")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        if not 0 < opts["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1", returncode=2)
        actor = cli_actor(opts["user"])
        console = Console(stderr=True)
        try:
            with console.status("linking") as status:
                report = services.dedupe_registry(actor=actor, threshold=opts["threshold"], backend=opts["backend"],
                                                  progress=lambda stage: status.update(stage))
        except ApplicationError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        run = report.run
        self.stdout.write(
            f"{run.records} records compared ({run.candidate_pairs} pairs scored above the threshold) in {run.seconds:.1f} s; "
            f"{report.new} new pairs queued, {report.updated} pending pairs re-scored, "
            f"{report.kept_decided} already decided. Model {'trained on this data' if run.trained else 'not trained (too few records): priors used'}.")
