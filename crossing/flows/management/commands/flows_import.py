"""``crossing flows import FILE --format canonical|tron|bank-csv``."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import ApplicationError, NotFound, ValidationFailed
from crossing.flows import formats, services
from crossing.network.management.commands.network_import import describe
from crossing.network.sources import parse_mapping

MAX_SHOWN = 200


class Command(BaseCommand):
    help = ("Import transactions all or nothing: canonical CSV (txn_id, timestamp, from_account, to_account, amount, "
            "currency[, channel, source]), a block explorer's token-transfer CSV (tron: transaction id, time, from, to, "
            "amount, token; the explorers' own headers are recognised) or one account's bank statement as CSV or XLSX "
            "(bank-csv: date, description, debit, credit, counterparty_account[, time, reference, balance, currency, "
            "account]). Any problem leaves everything untouched and exits 1 naming each row and column; the same file "
            "twice, or rows already stored, add nothing. Account identifiers are kept as written. See docs/flows.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import ('-' for standard input)")
        parser.add_argument("--format", choices=formats.FORMATS, required=True, help="canonical, tron or bank-csv")
        parser.add_argument("--map", action="append", metavar="OURS=THEIRS",
                            help="read our column OURS from the file's header THEIRS, e.g. --map amount='Amount (THB)'; "
                                 "repeatable")
        parser.add_argument("--account", default="", help="bank-csv: the statement's own account, when no 'account' column")
        parser.add_argument("--currency", default="", help="bank-csv: the statement's currency, when no 'currency' column")
        parser.add_argument("--source", default="", help="who supplied the file (a bank, an exchange), kept on each row")
        parser.add_argument("--name", help="the file's name in the record (default: its own name)")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        source = opts["file"]
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            raise CommandError(f"{source}: {exc.strerror or exc}", returncode=2) from None
        try:
            mapping = parse_mapping(opts["map"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        name = opts["name"] or ("stdin" if source == "-" else Path(source).name)
        actor = cli_actor(opts["user"])
        try:
            report = services.import_file(actor=actor, data=data, name=name, fmt=opts["format"], mapping=mapping,
                                          account=opts["account"].strip(), currency=opts["currency"].strip(),
                                          source=opts["source"].strip())
        except ValidationFailed as exc:
            for problem in (exc.extra.get("errors") or [])[:MAX_SHOWN]:
                self.stderr.write(f"ERROR   {describe(problem)}")
            raise CommandError(f"{name}: {exc.message}" + ("" if "nothing" in exc.message.lower()
                                                           else " Nothing was imported."), returncode=1) from None
        except NotFound:
            raise command_refused(actor, "import transactions", "flows.import") from None
        except ApplicationError as exc:
            raise CommandError(f"{name}: {exc.message} Nothing was imported.", returncode=1) from None
        if report.already_imported:
            self.stdout.write(f"{name}: already imported ({report.rows} rows); nothing changed")
            return
        self.stdout.write(f"{name}: {report.rows} rows, {report.new_rows} new transactions"
                          f" ({report.known_rows} already stored)")
