import csv
import sys

from django.core.management.base import BaseCommand

from crossing.access.cli_actor import cli_actor
from crossing.core.spreadsheet_safety import neutralise_row
from crossing.registry.selectors import PersonFilters, person_export_rows


class Command(BaseCommand):
    help = ("Export the people the acting user may export as CSV (spreadsheet formulas neutralised). "
            "Each exported person gets an audit event.")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument("--nationality", default="", help="ISO alpha-3 code, e.g. KEN")
        parser.add_argument("--status", default="")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        actor = cli_actor(opts["user"])
        header, rows = person_export_rows(actor=actor, filters=PersonFilters(nationality=opts["nationality"], status=opts["status"]))
        out = open(opts["out"], "w", newline="", encoding="utf-8") if opts["out"] else sys.stdout
        try:
            writer = csv.writer(out)
            writer.writerow(header)
            for row in rows:
                writer.writerow(neutralise_row(row))
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"{len(rows)} people exported")
