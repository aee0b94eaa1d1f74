"""``crossing flows rank --top K --format json``: the accounts that carry the victims' money, best first."""

import io
import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import NotFound
from crossing.flows import selectors


class Command(BaseCommand):
    help = ("Rank accounts by how much victim money passes through them, traced forward from victims' payments "
            "(first-in-first-out per account, amounts conserved); without known victim payments, by the detected "
            "patterns and the flow structure. --format json prints only a JSON array, best first, of "
            "{account, score, reasons}; --format table a table with the network entities behind the accounts. "
            "Needs flows.view; audited.")

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
            raise command_refused(actor, "see money flows", "flows.view") from None
        if opts["format"] == "json":
            rows = [{"account": r["account"], "score": float(r["score"]), "reasons": list(r["reasons"])}
                    for r in ranked]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"Financial backbone (top {opts['top']})")
        for column in ("#", "account", "score", "behind it", "why"):
            table.add_column(column, justify="right" if column in ("#", "score") else "left", overflow="fold")
        for n, r in enumerate(ranked, start=1):
            behind = ", ".join(name for _id, name in r["holders"]) or (r["entity"][1] if r["entity"] else "")
            table.add_row(str(n), r["account"], f"{r['score']:,.2f}", behind, "; ".join(r["reasons"]))
        buffer = io.StringIO()
        Console(file=buffer, width=180, force_terminal=self.stdout.isatty()).print(table)
        self.stdout.write(buffer.getvalue(), ending="")
