from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from crossing.access.cli_actor import cli_actor
from crossing.core.errors import NotFound
from crossing.core.private_files import write_private_file
from crossing.screening import exports

FORMATS = ("htcds", "ctdc")


class Command(BaseCommand):
    help = ("Export screening data. --format htcds: one HTCDS-aligned JSON object per person you may export "
            "screening statements of (pseudonymous, no names or notes; audited per person). --format ctdc: "
            f"counts per combination of CTDC-style variables, k-anonymised with k={exports.K} (CSV; audited once). "
            "Nothing is written when the export fails.")

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt", help="htcds (JSON) or ctdc (CSV)")
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        fmt, out = opts["fmt"], opts["out"]
        if fmt not in FORMATS:  # call_command(..., fmt=...) bypasses argparse choices
            raise CommandError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        target = Path(out)
        if not out or target.is_dir():
            raise CommandError(f"--out must name a file, not {out!r}")
        if not target.parent.is_dir():
            raise CommandError(f"cannot write {out}: the directory {target.parent} does not exist")
        actor = cli_actor(opts["user"])
        # The audit events and the file stand or fall together: a failed write rolls the events back,
        # and the file appears only complete (written aside, then renamed into place).
        try:
            with transaction.atomic():
                if fmt == "htcds":
                    records = exports.htcds_records(actor)
                    text, summary = exports.htcds_json(records), f"{len(records)} people exported (HTCDS JSON)"
                else:
                    table = exports.ctdc_table(actor)
                    text = exports.ctdc_csv(table)
                    summary = (f"{len(table.rows)} combinations of {table.people} people exported (CTDC CSV, "
                               f"k={exports.K}); {table.suppressed} people suppressed")
                write_private_file(target, text)
        except NotFound:
            raise CommandError(f"{actor.user.get_username() if actor.user else 'this user'} may not make the "
                               f"{fmt} screening export", returncode=2) from None
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror or exc}", returncode=2) from exc
        self.stderr.write(summary)
