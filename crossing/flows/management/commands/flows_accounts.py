"""``crossing flows accounts FILE``: what is known about accounts (cash-out points, labels, opening dates)."""

import csv
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import NotFound, ValidationFailed
from crossing.flows import services
from crossing.network.management.commands.network_import import describe


class Command(BaseCommand):
    help = ("Record account details from a CSV with columns account, kind[, label, opened, entity_id]: kind is one of "
            "victim, account, exchange, guarantee, casino, cash, merchant (exchanges, guarantee marketplaces, casinos "
            "and cash desks are cash-out points that end a trace); opened is a date (ISO 8601). All or nothing; "
            "audited. Needs flows.edit.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file ('-' for standard input)")
        parser.add_argument("--reason", default="", help="where this knowledge comes from (kept in the audit log)")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        source = opts["file"]
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{source}: {getattr(exc, 'strerror', None) or exc}", returncode=2) from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or "account" not in reader.fieldnames or "kind" not in reader.fieldnames:
            raise CommandError(f"{source}: the header needs the columns account and kind", returncode=1)
        rows, errors = [], []
        for number, raw in enumerate(reader, start=2):
            row = {"account": (raw.get("account") or "").strip(), "kind": (raw.get("kind") or "").strip()}
            for key in ("label", "entity_id"):
                if raw.get(key):
                    row[key] = raw[key].strip()
            if raw.get("opened"):
                try:
                    opened = datetime.fromisoformat(raw["opened"].strip())
                    row["opened"] = opened if opened.tzinfo else opened.replace(tzinfo=UTC)
                except ValueError:
                    errors.append({"row": number, "field": "opened", "message": f"{raw['opened']!r} is not a date"})
            rows.append(row)
        if errors:
            for problem in errors:
                self.stderr.write(f"ERROR   {describe(problem)}")
            raise CommandError(f"{source}: {len(errors)} problem(s); nothing was changed.", returncode=1)
        actor = cli_actor(opts["user"])
        try:
            count = services.set_accounts(actor=actor, rows=rows, reason=opts["reason"]) if rows else 0
        except ValidationFailed as exc:
            for problem in exc.extra.get("errors", []):
                problem = {**problem, "row": problem["row"] + 1 if isinstance(problem["row"], int) else problem["row"]}
                self.stderr.write(f"ERROR   {describe(problem)}")
            raise CommandError(f"{source}: {exc.message}", returncode=1) from None
        except NotFound:
            raise command_refused(actor, "edit account details", "flows.edit") from None
        self.stdout.write(f"{source}: {count} accounts recorded")
