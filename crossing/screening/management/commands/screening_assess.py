"""``crossing screening assess FILE``: the screening rules over ScreeningRecord JSON, one explanation per record.

FILE ('-' for stdin) holds one record, a JSON array of records, or JSON lines; the record format is
``analytics/screening/records.py``. Output: one A.7.5 explanation object per record, as JSON lines, in
input order, with the record's ``id`` as the first key. A record that cannot be read is reported on
stderr as ``record <id or position>: <field>: <message>`` and the others are still assessed.

Exit status: 0 when every record was assessed, 1 when any record failed (the others are still
written), 2 when the input cannot be read at all (missing file, not UTF-8, a broken JSON array) or
the registry version is unknown. No database access.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from analytics.screening import catalogue as catalogue_mod
from analytics.screening import records

FLUSH_EVERY = 2000  # output lines written per write() call


class Command(BaseCommand):
    help = ("Apply the screening rules (spec A.7.4) to ScreeningRecord JSON: one object, a JSON array or "
            "JSON lines ('-' for stdin). Prints one explanation object (A.7.5) per record as JSON lines, in "
            "input order. Exit 1 if any record failed (the rest are still printed), 2 if the input is unreadable.")
    requires_system_checks: list[str] = []  # a pure computation: no models, no database

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="ScreeningRecord JSON file, or '-' for stdin")
        parser.add_argument("--registry-version", default=catalogue_mod.DEFAULT_VERSION,
                            help=f"indicator registry version (default {catalogue_mod.DEFAULT_VERSION})")
        parser.add_argument("--pretty", action="store_true",
                            help="indented JSON for human reading (still one object per record)")
        parser.add_argument("--out", metavar="FILE", help="write the explanations to FILE instead of stdout")

    def handle(self, *args, **opts):
        try:
            catalogue = catalogue_mod.load(opts["registry_version"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        path = opts["file"]
        try:
            source = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}", returncode=2) from exc
        try:
            sink = open(opts["out"], "w", encoding="utf-8") if opts["out"] else None
        except OSError as exc:
            if source is not sys.stdin:
                source.close()
            raise CommandError(f"cannot write {opts['out']}: {exc.strerror or exc}", returncode=2) from exc
        write = sink.write if sink is not None else self.stdout.write
        try:
            done, failed = self._assess(source, catalogue, write, pretty=opts["pretty"])
        finally:
            if source is not sys.stdin:
                source.close()
            if sink is not None:
                sink.close()
        if failed:
            raise CommandError(f"{failed} of {done + failed} records failed", returncode=1)

    def _assess(self, source, catalogue, write, *, pretty: bool) -> tuple[int, int]:
        if pretty:
            encode = json.JSONEncoder(indent=2, ensure_ascii=False).encode
        else:
            encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
        done = failed = 0
        batch: list[str] = []
        error = records.RecordError
        try:
            for item in records.assess_stream(source, catalogue, encode=encode):
                if type(item) is str:
                    batch.append(item)
                    done += 1
                    if len(batch) >= FLUSH_EVERY:
                        write("\n".join(batch) + "\n")
                        batch.clear()
                elif isinstance(item, error):
                    failed += 1
                    if batch:  # keep stdout and stderr in step for a reader of both
                        write("\n".join(batch) + "\n")
                        batch.clear()
                    self.stderr.write(str(item))
        except records.InputError as exc:
            raise CommandError(f"cannot read the input: {exc}", returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"cannot read the input: not UTF-8 text ({exc.reason} at byte {exc.start})",
                               returncode=2) from exc
        finally:
            if batch:
                write("\n".join(batch) + "\n")
        return done, failed

