"""``crossing flows export --format ftm --trace TXN_ID``: one victim's payment traced, as FollowTheMoney."""

import io

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import NotFound
from crossing.core.private_files import write_output
from crossing.flows import interop


class Command(BaseCommand):
    help = ("Export one payment's trace (the accounts on its paths and the traced transfers, with amounts) as "
            "FollowTheMoney JSON lines: BankAccount and CryptoWallet entities (with the network compartment's ids "
            "where it knows the account), Payment between bank accounts and, FtM's Payment taking bank accounts "
            "only, an UnknownLink (role 'crypto transfer') for a transfer from or to a wallet — see docs/flows.md. "
            "Needs flows.export; audited.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["ftm"], default="ftm", help="ftm (FollowTheMoney JSON lines)")
        parser.add_argument("--trace", required=True, metavar="TXN_ID", help="the payment to follow")
        parser.add_argument("--rule", choices=["fifo", "proportional"], default="fifo")
        parser.add_argument("--out", default="-", help="the file to write (default: standard output)")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        actor = cli_actor(opts["user"])
        buffer = io.StringIO()
        try:
            counts = interop.export_trace_ftm(buffer, actor=actor, txn_id=opts["trace"], rule=opts["rule"])
        except NotFound:
            if not actor.can("flows", "export"):
                raise command_refused(actor, "export money flows", "flows.export") from None
            raise CommandError(f"no stored transaction {opts['trace']!r}", returncode=1) from None
        write_output(opts["out"], buffer.getvalue(), self.stdout)
        self.stderr.write(f"{counts['entities']} entities ({counts['transfers']} transfers)")
