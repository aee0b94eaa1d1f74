"""Rewriting the figures section of a benchmark document between its two marker comments."""

from pathlib import Path


def replace_section(path: Path, begin: str, end: str, lines: list[str], title: str) -> None:
    """Put ``lines`` between ``begin`` and ``end`` in ``path`` (appended when the markers are missing)."""
    block = "\n".join([begin, *lines, end])
    text = path.read_text(encoding="utf-8") if path.exists() else f"# {title}\n\n{begin}\n{end}\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
