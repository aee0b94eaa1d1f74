"""Reading CSV and XLSX files into rows of text, with clear errors for unreadable files.

Rows are yielded lazily and the reader can be iterated twice (validation, then writing), so
memory stays flat for lists of hundreds of thousands of rows.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from crossing.core.errors import ValidationFailed

csv.field_size_limit(1 << 20)


@dataclass
class Problem:
    row: int | None  # 1-based line/row in the file, header = 1
    column: str
    message: str
    severity: str = "error"  # "error" blocks the import; "warning" does not

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "severity": self.severity, "message": self.message}


def file_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"problems": [Problem(None, "", message).as_dict()]})


class TableFile:
    """A CSV or XLSX file as a header and an iterator of (row_number, {header: text})."""

    def __init__(self, data: bytes, filename: str, encoding: str | None = None):
        self.data = data
        self.filename = filename
        self.kind = "xlsx" if Path(filename).suffix.lower() in {".xlsx", ".xlsm"} or data[:2] == b"PK" else "csv"
        self.text = self._decode(encoding) if self.kind == "csv" else None
        self.delimiter = _delimiter(self.text) if self.text is not None else ","
        self.header = self._read_header()
        # Problems found while reading, beyond each row's own (none for a plain list; see submissions.py).
        self.problems: list[Problem] = []

    def _decode(self, encoding: str | None) -> str:
        if encoding:
            try:
                # Excel's "CSV UTF-8" starts with a byte-order mark; naming UTF-8 must not keep it.
                codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
                return self.data.decode(codec)
            except LookupError:
                raise file_error(_("unknown encoding %(encoding)r") % {"encoding": encoding}) from None
            except UnicodeDecodeError as exc:
                raise file_error(self._encoding_message(exc, encoding)) from None
        if self.data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                return self.data.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise file_error(self._encoding_message(exc, "UTF-16")) from None
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise file_error(self._encoding_message(exc, "UTF-8")) from None

    def _encoding_message(self, exc: UnicodeDecodeError, encoding: str) -> str:
        line = self.data.count(b"\n", 0, exc.start) + 1
        return _("the file is not valid %(encoding)s: byte 0x%(byte)02x on line %(line)s cannot be read. Save it as "
                 "'CSV UTF-8' or give its encoding (for example --encoding cp874 for Thai Windows, gb18030 for Chinese "
                 "Windows).") % {"encoding": encoding, "byte": self.data[exc.start], "line": line}

    def _read_header(self) -> list[str]:
        first = next(self._raw_rows(), None)
        if first is None:
            raise file_error(_("the file is empty: no header row"))
        header = [h.strip() for h in first[1]]
        if not any(header):
            raise file_error(_("the first row must be a header naming the columns"))
        return header

    def _raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        if self.kind == "csv":
            try:
                reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
                for number, row in enumerate(reader, start=1):
                    yield number, row
            except csv.Error as exc:
                raise file_error(_("the CSV file is malformed near line %(line)s: %(error)s")
                                 % {"line": reader.line_num, "error": exc}) from None
        else:
            yield from self._xlsx_rows()

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise file_error(_("the spreadsheet cannot be opened (%(error)s); save it again as .xlsx")
                             % {"error": exc.__class__.__name__}) from None
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
        workbook.close()

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        rows = self._raw_rows()
        next(rows, None)
        width = len(self.header)
        for number, values in rows:
            if not any((v or "").strip() for v in values):
                continue
            if len(values) > width and any(v.strip() for v in values[width:]):
                yield number, {"__extra__": "more cells than header columns", **dict(zip(self.header, values, strict=False))}
                continue
            yield number, {h: (values[i].strip() if i < len(values) and values[i] is not None else "") for i, h in enumerate(self.header)}


def _delimiter(text: str) -> str:
    """KoboToolbox's CSV exports and spreadsheets in many locales separate columns with ';'."""
    end = text.find("\n")
    header = text[:end] if end >= 0 else text
    return ";" if header.count(";") > header.count(",") else ","


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
