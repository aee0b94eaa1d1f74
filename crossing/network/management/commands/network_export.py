"""``crossing network export --format ftm|statements|gexf|i2-csv [--output FILE]``."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import ApplicationError, NotFound
from crossing.network import interop


class Command(BaseCommand):
    help = ("Export the whole network compartment (canonical entities; merged ones folded in): ftm (FtM JSON "
            "lines, for Aleph and the ftm tools), statements (FtM statement CSV with provenance), gexf (GEXF 1.3 "
            "for Gephi) or i2-csv (i2 Analyst's Notebook import CSV, formulas neutralised). Audited; needs "
            "network.export. Writes to standard output unless --output is given (the file is created owner-only).")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=interop.FORMATS, default="ftm", help="ftm (default), statements, "
                                                                                     "gexf, i2-csv")
        parser.add_argument("--output", metavar="FILE", help="write here (owner-only, replaced whole) instead of "
                                                             "standard output")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        actor = cli_actor(opts["user"])
        export = interop.EXPORTERS[opts["format"]]
        target = opts["output"]
        try:
            if not target or target == "-":
                export(_Text(self.stdout), actor=actor)
                return
            path = Path(target)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent if str(path.parent)
                                       else ".")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                    counts = export(handle, actor=actor)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except NotFound:
            raise command_refused(actor, "export the network compartment", "network.export") from None
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from None
        except OSError as exc:
            raise CommandError(f"--output {target}: {exc.strerror or exc}", returncode=2) from None
        summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        self.stderr.write(f"{path}: {opts['format']}, {summary}")


class _Text:
    """A management command's stdout as a plain text stream (no line ending added to each write)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()
