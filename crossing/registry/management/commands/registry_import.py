import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from crossing.access.cli_actor import cli_actor
from crossing.core.errors import ApplicationError
from crossing.registry.importing.columns import CANONICAL_COLUMNS, parse_mapping
from crossing.registry.importing.service import import_list
from crossing.registry.importing.submissions import FORMATS


class Command(BaseCommand):
    help = (
        "Import a handover list (CSV or XLSX) into the registry. Canonical columns: "
        + ", ".join(CANONICAL_COLUMNS)
        + ". Also reads ODK Central and KoboToolbox exports (CSV, JSON or ODK's zip) of the field intake form "
        "(crossing intake xlsform). The whole file is validated first; any error leaves the database untouched "
        "and exits 1 with a report naming row and column. Importing the same list again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file, or the intake form's export")
        parser.add_argument("--format", choices=FORMATS, default="auto",
                            help="list: a handover list; odk/kobo: an intake form export from ODK Central or "
                                 "KoboToolbox; auto (default): recognise it from the content")
        parser.add_argument("--dry-run", action="store_true", help="validate and report only; write nothing")
        parser.add_argument("--map", action="append", metavar="CANONICAL=SOURCE",
                            help="map a column of the file to a canonical column, e.g. --map full_name='Name (EN)'; repeatable")
        parser.add_argument("--encoding", help="the CSV's encoding when it is not UTF-8 (e.g. cp874, gb18030, utf-16)")
        parser.add_argument("--report", metavar="FILE", help="also write the problems to this CSV file")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        try:
            mapping = parse_mapping(opts["map"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        actor = cli_actor(opts["user"])
        console = Console(stderr=True)
        progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"),
                            TimeElapsedColumn(), console=console, transient=True, disable=not sys.stderr.isatty())
        with progress:
            tasks: dict[str, int] = {}

            def tick(stage: str, rows: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task("validating" if stage == "validate" else "writing", total=None)
                progress.update(tasks[stage], completed=rows)
                if not sys.stderr.isatty():
                    print(f"{stage}: {rows} rows", file=sys.stderr, flush=True)

            try:
                report = import_list(actor=actor, data=path.read_bytes(), filename=path.name, mapping=mapping,
                                     dry_run=opts["dry_run"], encoding=opts["encoding"], file_format=opts["format"],
                                     progress=tick)
            except ApplicationError as exc:
                raise CommandError(f"{path.name}: {exc.message}. Nothing was imported.", returncode=1) from None
        if opts["report"]:
            with open(opts["report"], "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["row", "column", "severity", "message"])
                for p in report.problems:
                    writer.writerow([p.row or "", p.column, p.severity, p.message])
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for p in report.problems[:200]:
                where = f"row {p.row}" if p.row else "file"
                col = f", column {p.column}" if p.column else ""
                self.stdout.write(f"{p.severity.upper():7} {where}{col}: {p.message}")
            if len(report.problems) > 200:
                self.stdout.write(f"... and {len(report.problems) - 200} more (use --report FILE for all)")
            verb = "would create" if report.dry_run else ("created" if report.committed else "nothing written;")
            self.stdout.write(f"{report.filename}: {report.rows_total} rows, {verb} {report.rows_to_create} people, "
                              f"{report.rows_unchanged} already imported, {len(report.errors)} errors")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} errors: nothing was imported", returncode=1)
