"""``crossing network import FILE``: FtM JSON lines, or a partner's CSV through a source adapter."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import ApplicationError, NotFound, ValidationFailed
from crossing.network import services, sources, watchlists
from crossing.network.models import SourceKind

FORMATS = ("ftm", "sanctions", "contacts", "chat", "complaints")
MAX_SHOWN = 200


def describe(problem: dict) -> str:
    """``row 3, column phone: message`` / ``line 2, field properties.name: message``."""
    row, column = problem.get("row"), problem.get("field") or ""
    if isinstance(row, int):
        where = f"row {row}"
    elif row:
        where = str(row)
    else:
        where = "file"
    label = "field" if where.startswith("line") else "column"
    return f"{where}{f', {label} {column}' if column else ''}: {problem.get('message', '')}"


class Command(BaseCommand):
    help = ("Import intelligence into the network compartment, all or nothing: FtM entities as JSON lines "
            "(--format ftm, the default), a sanctions list in FtM (--format sanctions: imported, then every "
            "person, organization and wallet is screened against it across scripts), or a CSV of a seized device's contacts (contacts: device_owner, "
            "contact_name, phone[, handle, service, device_ref]), a chat export (chat: timestamp, sender, "
            "recipient, text[, sender_handle, recipient_handle, service]) or victims' complaints (complaints: "
            "complaint_ref, date, amount, currency, paid_to_kind, paid_to[, bank_name, scam_type, contact_phone]). "
            "Any problem leaves the database untouched and exits 1 naming each line or row and column; the same "
            "file twice is a no-op. See docs/network-interop.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import ('-' for standard input)")
        parser.add_argument("--format", choices=FORMATS, default="ftm", help="ftm (default), sanctions, contacts, chat, complaints")
        parser.add_argument("--map", action="append", metavar="OURS=THEIRS",
                            help="read our column OURS from the file's header THEIRS, e.g. --map phone='Mobile No.'; "
                                 "repeatable (CSV formats)")
        parser.add_argument("--confidence", type=float, default=1.0,
                            help="how far the source is trusted, 0 to 1 (default 1), recorded on every statement")
        parser.add_argument("--name", help="the source's name in the provenance (default: the file's name)")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        source = opts["file"]
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            raise CommandError(f"{source}: {exc.strerror or exc}", returncode=2) from None
        try:
            mapping = sources.parse_mapping(opts["map"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if mapping and opts["format"] in ("ftm", "sanctions"):
            raise CommandError("--map applies to the CSV formats (contacts, chat, complaints)", returncode=2)
        if not 0 <= opts["confidence"] <= 1:
            raise CommandError("--confidence must be between 0 and 1", returncode=2)
        name = opts["name"] or ("stdin" if source == "-" else Path(source).name)
        actor = cli_actor(opts["user"])
        console = Console(stderr=True)
        try:
            with console.status(f"importing {name}", spinner="dots") if sys.stderr.isatty() else _Quiet():
                screened = None
                if opts["format"] in ("ftm", "sanctions"):
                    kind = SourceKind.FTM if opts["format"] == "ftm" else SourceKind.SANCTIONS
                    report = services.import_ftm(actor=actor, data=data, name=name, source_kind=kind,
                                                 confidence=opts["confidence"])
                    if kind == SourceKind.SANCTIONS:
                        screened = watchlists.screen(actor=actor)
                else:
                    report = sources.import_csv(actor=actor, fmt=opts["format"], data=data, name=name,
                                                mapping=mapping, confidence=opts["confidence"])
        except ValidationFailed as exc:
            problems = exc.extra.get("errors") or []
            for problem in problems[:MAX_SHOWN]:
                self.stderr.write(f"ERROR   {describe(problem)}")
            raise CommandError(f"{name}: {exc.message}" + ("" if "nothing" in exc.message.lower()
                                                           else " Nothing was imported."), returncode=1) from None
        except NotFound:
            raise command_refused(actor, "import into the network compartment", "network.import") from None
        except ApplicationError as exc:
            raise CommandError(f"{name}: {exc.message} Nothing was imported.", returncode=1) from None
        if report.already_imported:
            self.stdout.write(f"{name}: already imported ({report.entities} entities, {report.statements} "
                              f"statements); nothing changed")
            return
        self.stdout.write(f"{name}: {report.entities} entities, {report.new_statements} new statements "
                          f"({report.statements - report.new_statements} already known), {report.resolved} resolved "
                          f"onto an existing phone, account or wallet")
        if screened is not None:
            self.stdout.write(f"screened against {screened['targets']} listed entities: {screened['hits']} possible "
                              f"matches ({screened['new']} new) to review on the entity pages")


class _Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
