"""``crossing flows trace TXN_ID``: one payment followed forward to where it left."""

import json

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import NotFound
from crossing.flows import selectors


def _usd(value: float) -> str:
    return f"USD {value:,.2f}"


class Command(BaseCommand):
    help = ("Follow one transaction's money forward along time-respecting paths (first-in-first-out per account, "
            "amounts conserved) to the cash-out points (exchanges, guarantee marketplaces, casinos, cash) and to the "
            "accounts where it still is. Text by default; --format json prints the whole trace. Needs flows.view; "
            "audited.")

    def add_arguments(self, parser):
        parser.add_argument("txn_id", help="the transaction to follow, e.g. a victim's payment")
        parser.add_argument("--rule", choices=["fifo", "proportional"], default="fifo",
                            help="allocation rule: fifo (default: oldest money leaves first) or proportional")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        actor = cli_actor(opts["user"])
        if not actor.can("flows", "view"):
            raise command_refused(actor, "see money flows", "flows.view")
        try:
            result = selectors.trace(actor, opts["txn_id"], rule=opts["rule"])
        except NotFound:
            raise CommandError(f"no transaction {opts['txn_id']!r}", returncode=1) from None
        if opts["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
            return
        seed = result["seed"]
        self.stdout.write(f"{seed['txn_id']}: {seed['amount']:,.2f} {seed['currency']} ({_usd(seed['amount_usd'])}) "
                          f"from {seed['src']} to {seed['dst']} at {seed['ts']}")
        self.stdout.write(f"rule: {result['rule']}; {len(result['flows'])} flows")
        self.stdout.write("cash-out points:")
        for c in result["cashouts"] or []:
            self.stdout.write(f"  {c['account']} ({c.get('label') or c['kind']}): {_usd(c['amount_usd'])} ({c['share']:.0%})")
        if not result["cashouts"]:
            self.stdout.write("  none reached")
        self.stdout.write("still held:")
        for h in sorted(result["held"], key=lambda h: -h["amount_usd"])[:20]:
            self.stdout.write(f"  {h['account']}: {_usd(h['amount_usd'])} ({h['reason']})")
        self.stdout.write("paths:")
        for p in result["paths"][:20]:
            self.stdout.write(f"  {_usd(p['amount_usd'])}: " + " -> ".join(p["accounts"]))
        check = result["conserved"]
        self.stdout.write(f"conserved: {'yes' if check['ok'] else 'NO'} (seed {_usd(check['seed_usd'])} = cashed out "
                          f"{_usd(check['cashed_out_usd'])} + held {_usd(check['held_usd'])})")
