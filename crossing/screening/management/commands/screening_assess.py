"""``crossing screening assess FILE``: the screening rules over ScreeningRecord JSON, one explanation per record.

FILE ('-' for stdin) holds one record, a JSON array of records, or JSON lines; the record format is
``analytics/screening/records.py``. Output: one A.7.5 explanation object per record, as JSON lines, in
input order, with the record's ``id`` as the first key. A record that cannot be read is reported on
stderr as ``record <id or position>: <field>: <message>`` and the others are still assessed.

Exit status: 0 when every record was assessed, 1 when any record failed (the others are still
written), 2 when the input cannot be read at all (missing file, not UTF-8, a broken JSON array) or
the registry version is unknown. No database access.
"""

from __future__ import annotations

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from analytics.screening import catalogue as catalogue_mod
from analytics.screening import records

FLUSH_EVERY = 2000  # output lines written per write() call
PARALLEL_MIN_BYTES = 8 * 1024 * 1024  # below this, one process is faster than starting workers
CHUNK_BYTES = 4 * 1024 * 1024


class Command(BaseCommand):
    help = ("Apply the screening rules (spec A.7.4) to ScreeningRecord JSON: one object, a JSON array or "
            "JSON lines ('-' for stdin). Prints one explanation object (A.7.5) per record as JSON lines, in "
            "input order. Exit 1 if any record failed (the rest are still printed), 2 if the input is unreadable.")
    requires_system_checks: list[str] = []  # a pure computation: no models, no database

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="ScreeningRecord JSON file, or '-' for stdin")
        parser.add_argument("--registry-version", default=catalogue_mod.DEFAULT_VERSION,
                            help=f"indicator registry version (default {catalogue_mod.DEFAULT_VERSION})")
        parser.add_argument("--pretty", action="store_true",
                            help="indented JSON for human reading (still one object per record)")
        parser.add_argument("--out", metavar="FILE", help="write the explanations to FILE instead of stdout")
        parser.add_argument("--jobs", type=int, default=0, metavar="N",
                            help="worker processes for a JSON lines file (default: one per CPU for files of "
                                 "8 MB or more, else 1)")

    def handle(self, *args, **opts):
        try:
            catalogue = catalogue_mod.load(opts["registry_version"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        path = opts["file"]
        try:
            source = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}", returncode=2) from exc
        try:
            sink = open(opts["out"], "w", encoding="utf-8") if opts["out"] else None
        except OSError as exc:
            if source is not sys.stdin:
                source.close()
            raise CommandError(f"cannot write {opts['out']}: {exc.strerror or exc}", returncode=2) from exc
        write = sink.write if sink is not None else self.stdout.write
        try:
            jobs = self._jobs(opts["jobs"], path, source)
            if jobs > 1:
                done, failed = self._assess_parallel(path, jobs, opts, write)
            else:
                done, failed = self._assess(source, catalogue, write, pretty=opts["pretty"])
        finally:
            if source is not sys.stdin:
                source.close()
            if sink is not None:
                sink.close()
        if failed:
            raise CommandError(f"{failed} of {done + failed} records failed", returncode=1)

    def _assess(self, source, catalogue, write, *, pretty: bool) -> tuple[int, int]:
        encode = _encoder(pretty)
        done = failed = 0
        batch: list[str] = []
        error = records.RecordError
        try:
            for item in records.assess_stream(source, catalogue, encode=encode):
                if type(item) is str:
                    batch.append(item)
                    done += 1
                    if len(batch) >= FLUSH_EVERY:
                        write("\n".join(batch) + "\n")
                        batch.clear()
                elif isinstance(item, error):
                    failed += 1
                    if batch:  # keep stdout and stderr in step for a reader of both
                        write("\n".join(batch) + "\n")
                        batch.clear()
                    self.stderr.write(str(item))
        except records.InputError as exc:
            raise CommandError(f"cannot read the input: {exc}", returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"cannot read the input: not UTF-8 text ({exc.reason} at byte {exc.start})",
                               returncode=2) from exc
        finally:
            if batch:
                write("\n".join(batch) + "\n")
        return done, failed


    # ---------------------------------------------------------------------------------------------
    # JSON lines files in parallel: workers read their own byte ranges, the output keeps input order.

    def _jobs(self, requested: int, path: str, source) -> int:
        if path == "-" or requested == 1:
            return 1
        try:
            size = os.fstat(source.fileno()).st_size
            cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        except (OSError, ValueError):
            return 1
        jobs = requested if requested > 1 else (cpus if size >= PARALLEL_MIN_BYTES else 1)
        if jobs <= 1 or not _looks_like_json_lines(source):
            return 1
        return jobs

    def _assess_parallel(self, path: str, jobs: int, opts: dict, write) -> tuple[int, int]:
        import multiprocessing

        chunks = [(path, offset, length, line, opts["registry_version"], opts["pretty"])
                  for offset, length, line in _chunks(path, jobs)]
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        done = failed = 0
        with context.Pool(min(jobs, len(chunks))) as pool:
            for text, errors, n_done, decode_error in pool.imap(_assess_chunk, chunks):
                if decode_error:
                    pool.terminate()
                    raise CommandError(f"cannot read the input: {decode_error}", returncode=2)
                if text:
                    write(text)
                for message in errors:
                    self.stderr.write(message)
                done += n_done
                failed += len(errors)
        return done, failed


def _looks_like_json_lines(source) -> bool:
    """Does the (seekable) file start with a line that is one JSON object? Rewinds the file."""
    try:
        line = ""
        while not line.strip():
            line = source.readline()
            if not line:
                return False
        json.loads(line)
        return line.lstrip().startswith("{")
    except (ValueError, UnicodeDecodeError):
        return False
    finally:
        source.seek(0)


def _chunks(path: str, jobs: int) -> list[tuple[int, int, int]]:
    """(byte offset, length, first line number) of pieces of the file that end at a line end."""
    size = os.path.getsize(path)
    target = max(64 * 1024, min(CHUNK_BYTES, size // (jobs * 4) or 1))
    out = []
    offset, line = 0, 1
    with open(path, "rb") as f:
        while offset < size:
            f.seek(offset)
            block = f.read(target)
            if offset + len(block) < size:
                end = block.rfind(b"\n")
                while end < 0:  # a line longer than the target: read on to its end
                    more = f.read(target)
                    if not more:
                        end = len(block) - 1
                        break
                    found = more.find(b"\n")
                    block += more
                    end = len(block) - len(more) + found if found >= 0 else -1
                block = block[: end + 1]
            out.append((offset, len(block), line))
            offset += len(block)
            line += block.count(b"\n")
    return out


def _assess_chunk(args) -> tuple[str, list[str], int, str | None]:
    """In a worker: assess the records of one byte range of a JSON lines file."""
    path, offset, length, first_line, registry_version, pretty = args
    catalogue = catalogue_mod.load(registry_version)
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "", [], 0, f"not UTF-8 text ({exc.reason} at byte {offset + exc.start})"
    if offset == 0:
        text = text.removeprefix("\ufeff")
    encode = _encoder(pretty)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[str] = []
    errors: list[str] = []
    for item in records.assess_items(records.iter_lines(lines, first_line), catalogue, encode=encode):
        if type(item) is str:
            out.append(item)
        else:
            errors.append(str(item))
    return ("\n".join(out) + "\n") if out else "", errors, len(out), None


def _encoder(pretty: bool):
    """Compact JSON, one record per line; or indented for reading (still one object per record)."""
    if pretty:
        return json.JSONEncoder(indent=2, ensure_ascii=False).encode
    return json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
