"""Writing files that carry personal data: owner-only (0600), complete or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private_file(path: Path, content: bytes | str) -> None:
    """Write next to ``path`` and rename into place: a reader never sees half a file, a failure
    leaves no temporary file behind, and nobody but the owner can read it. Raises OSError."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent if str(path.parent) else ".")
    try:  # mkstemp creates the file 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(out: str, content: str, stdout) -> None:
    """A command's ``--out``: ``-`` is the command's standard output (``BaseCommand.stdout``), anything
    else a private file written whole (``write_private_file``)."""
    if out == "-":
        stdout.write(content, ending="")
    else:
        write_private_file(Path(out), content)
