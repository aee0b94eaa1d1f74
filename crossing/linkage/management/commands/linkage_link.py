import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor
from crossing.core.errors import ApplicationError, ValidationFailed
from crossing.core.spreadsheet_safety import neutralise_row
from crossing.linkage import reports, services
from crossing.linkage.sources import read_list


class Command(BaseCommand):
    help = ("Match two lists in the canonical import columns (see docs/import-format.md) without touching the "
            "registry: for example an embassy's list of missing nationals against an army handover list. "
            "Writes the matched pairs (row_ref_a,row_ref_b,match_probability), one pair per person at most, "
            "and prints who is on one list only.")

    def add_arguments(self, parser):
        parser.add_argument("list_a", help="first list (CSV or XLSX)")
        parser.add_argument("list_b", help="second list (CSV or XLSX)")
        parser.add_argument("--out", required=True, help="CSV file for the matched pairs")
        parser.add_argument("--report", help="also write a CSV report: every row of both lists with its match or 'only on list A/B'")
        parser.add_argument("--threshold", type=float, default=0.5, help="minimum match probability (default 0.5)")
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--encoding", help="encoding of CSV files when not UTF-8")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        if not 0 < opts["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1", returncode=2)
        actor = cli_actor(opts["user"])
        lists = []
        for key in ("list_a", "list_b"):
            path = Path(opts[key])
            if not path.is_file():
                raise CommandError(f"{path}: no such file", returncode=2)
            try:
                lists.append(read_list(path.read_bytes(), path.name, encoding=opts["encoding"]))
            except ValidationFailed as exc:
                for p in exc.extra.get("problems", [])[:200]:
                    where = f"row {p['row']} " if p["row"] else ""
                    self.stderr.write(f"{p['severity'].upper():7} {path.name} {where}{p['column']}: {p['message']}")
                raise CommandError(f"{exc}", returncode=1) from exc
        try:
            report = services.link_lists(actor=actor, left=lists[0], right=lists[1], threshold=opts["threshold"],
                                         backend=opts["backend"])
        except ApplicationError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        with open(opts["out"], "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(reports.PAIRS_HEADER)
            writer.writerows(neutralise_row(row) for row in reports.pair_rows(report))
        if opts["report"]:
            with open(opts["report"], "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(reports.REPORT_HEADER)
                writer.writerows(neutralise_row(row) for row in reports.report_rows(report))
        a, b = lists[0].filename, lists[1].filename
        self.stdout.write(f"{len(report.pairs)} people on both lists; {len(report.only_left)} only on {a}; "
                          f"{len(report.only_right)} only on {b}")
        for label, refs in ((a, report.only_left), (b, report.only_right)):
            if refs:
                self.stdout.write(f"only on {label} (row_ref): " + ", ".join(refs[:50])
                                  + (f" ... and {len(refs) - 50} more (see --report)" if len(refs) > 50 else ""))
        sys.stdout.flush()
