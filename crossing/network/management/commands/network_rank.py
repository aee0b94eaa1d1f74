"""``crossing network rank --top K --format json|table``: the likely organizers, best first."""

import io
import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import ApplicationError, NotFound
from crossing.network import selectors


class Command(BaseCommand):
    help = ("Rank the compartment's Person and Organization entities (an FtM Company is an Organization) by how "
            "likely they organise the network: command chains, money received, recruiting, brokerage. --format json "
            "prints only a JSON array, best first, of {id, schema, name, score, reasons}; --format table a table. "
            "Needs network.view; audited.")

    def add_arguments(self, parser):
        parser.add_argument("--top", type=int, default=25, help="how many (default 25)")
        parser.add_argument("--format", choices=["json", "table"], default="json", help="json (default) or table")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        if opts["top"] < 1:
            raise CommandError("--top must be at least 1", returncode=2)
        actor = cli_actor(opts["user"])
        try:
            ranked = selectors.ranking(actor, top=opts["top"])
        except NotFound:
            raise command_refused(actor, "analyse the network compartment", "network.view") from None
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from None
        rows = [{"id": r.id, "schema": r.schema, "name": r.name, "score": float(r.score), "reasons": list(r.reasons)}
                for r in ranked]
        if opts["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"Likely organizers (top {opts['top']})")
        for column in ("#", "name", "schema", "score", "why", "id"):
            table.add_column(column, justify="right" if column in ("#", "score") else "left",
                             overflow="fold")
        for n, row in enumerate(rows, start=1):
            table.add_row(str(n), row["name"], row["schema"], f"{row['score']:.3f}", "; ".join(row["reasons"]),
                          row["id"])
        buffer = io.StringIO()
        Console(file=buffer, width=160, force_terminal=self.stdout.isatty()).print(table)
        self.stdout.write(buffer.getvalue(), ending="")
