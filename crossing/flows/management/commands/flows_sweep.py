"""``crossing flows sweep``: delete transaction and alert files that no import or run names."""

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import NotFound, ValidationFailed
from crossing.flows import services


class Command(BaseCommand):
    help = ("Delete Parquet files under the flows directory that no imported batch or detector run names — left "
            "by an import or a run that died half-way (they are never read, only take space) — if older than "
            "--older-than-hours (default 6: a younger one may belong to an import still running). Needs "
            "flows.import; audited. Safe to run from cron.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=float, default=6.0)
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        actor = cli_actor(opts["user"])
        try:
            removed = services.sweep_orphans(actor=actor, older_than_hours=opts["older_than_hours"])
        except NotFound:
            raise command_refused(actor, "maintain money flows", "flows.import") from None
        except ValidationFailed as exc:
            raise CommandError(f"--older-than-hours: {exc.message}", returncode=2) from None
        self.stdout.write(f"{removed} orphaned file(s) removed")
