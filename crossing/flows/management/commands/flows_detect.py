"""``crossing flows detect --out alerts.csv``: the laundering typology detectors over every transaction."""

import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import NotFound, ValidationFailed
from crossing.core.private_files import write_output
from crossing.core.spreadsheet_safety import neutralise_row
from crossing.flows import selectors, services

# The contract's columns first (account, typology, score, evidence), then the rest of the alert.
COLUMNS = ("account", "typology", "score", "evidence", "alert_id", "role", "amount_usd", "first_ts", "last_ts")


class Command(BaseCommand):
    help = ("Run the typology detectors (fan-in, fan-out, pass-through, cycles, scatter-gather, gather-scatter, "
            "structuring, round amounts, bursts on new accounts) over every stored transaction and write the alerts "
            "as CSV: one row per account taking part in an alert (account, typology, score, evidence, alert_id, role, "
            "amount_usd, first_ts, last_ts). Parameters: --params FILE (JSON, {detector: {parameter: value}}); see "
            "docs/flows.md. The run is kept for the web pages and the ranking. Needs flows.view; audited.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the CSV file to write ('-' for standard output)")
        parser.add_argument("--params", help="a JSON file of detector parameters")
        parser.add_argument("--only", action="append", metavar="TYPOLOGY", help="run only these detectors (repeatable)")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        params = None
        if opts["params"]:
            try:
                params = json.loads(Path(opts["params"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"--params: {exc}", returncode=2) from None
            if not isinstance(params, dict):
                raise CommandError("--params: a JSON object of {detector: {parameter: value}}", returncode=2)
        actor = cli_actor(opts["user"])
        try:
            run = services.run_detection(actor=actor, params=params, only=opts["only"])
        except NotFound:
            raise command_refused(actor, "see money flows", "flows.view") from None
        except (ValidationFailed, ValueError, KeyError) as exc:
            raise CommandError(f"detectors: {getattr(exc, 'message', exc)}", returncode=2) from None
        table = selectors.latest_alerts()
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for row in table.select(list(COLUMNS)).to_pylist() if table is not None else []:
            writer.writerow(neutralise_row([_text(row[c]) for c in COLUMNS]))
        write_output(opts["out"], buffer.getvalue(), self.stdout)  # accounts under suspicion: owner-only
        self.stderr.write(f"{run.transactions} transactions, {run.alerts} alerts over {run.accounts} accounts "
                          f"in {run.seconds:.1f} s" + ("" if opts["out"] == "-" else f"; written to {opts['out']}"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
