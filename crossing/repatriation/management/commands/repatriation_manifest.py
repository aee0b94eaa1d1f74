"""``crossing repatriation manifest MOVEMENT_REF --format pdf|xlsx --out FILE --password-file FILE``.

Writes the movement's passenger manifest encrypted with a password read from a file (first line) or
from CROSSING_MANIFEST_PASSWORD, never from the command line, where other users and the shell history
would see it. The file is written owner-only (0600) next to the target and renamed into place, so
nobody ever reads half a manifest. Every passenger gets an audit event; a user whose grants do not
reach every passenger gets "not found" and no file.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.core.private_files import write_private_file
from crossing.repatriation.manifests import FORMATS, export_manifest

ENV_PASSWORD = "CROSSING_MANIFEST_PASSWORD"  # noqa: S105 - the variable's name, not a password


class Command(BaseCommand):
    help = ("Export a movement's passenger manifest (names as on the travel document, birth dates, document "
            "numbers, nationality, escort) as a password-protected PDF or XLSX. The password (12 characters or "
            f"more) comes from --password-file or the {ENV_PASSWORD} environment variable.")

    def add_arguments(self, parser):
        parser.add_argument("movement", help="the movement's reference, e.g. CHARTER-1")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="pdf or xlsx")
        parser.add_argument("--out", required=True, help="file to write (created owner-only, 0600)")
        parser.add_argument("--password-file",
                            help=f"file whose first line is the password (default: ${ENV_PASSWORD})")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        password = self._password(opts["password_file"])
        actor = cli_actor(opts["user"])
        try:
            filename, _type, content = export_manifest(actor=actor, reference=opts["movement"], fmt=opts["format"],
                                                       password=password)
        except (NotFound, PermissionDeniedError):
            raise CommandError(f"movement {opts['movement']!r} not found, or its manifest is not yours to export",
                               returncode=1) from None
        except ValidationFailed as exc:
            raise CommandError(exc.message, returncode=2) from None
        self._write(Path(opts["out"]), content)
        self.stderr.write(f"{opts['movement']}: manifest written to {opts['out']} ({opts['format']}, encrypted; "
                          f"suggested name {filename})")

    def _password(self, path: str | None) -> str:
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"--password-file {path}: {getattr(exc, 'strerror', None) or exc}",
                                   returncode=2) from None
            lines = text.splitlines()
            return lines[0] if lines else ""
        password = os.environ.get(ENV_PASSWORD, "")
        if not password:
            raise CommandError(f"give the password in --password-file or ${ENV_PASSWORD} (never on the command line)",
                               returncode=2)
        return password

    def _write(self, path: Path, content: bytes) -> None:
        try:
            write_private_file(path, content)
        except OSError as exc:
            raise CommandError(f"--out {path}: {exc.strerror or exc}", returncode=2) from None
