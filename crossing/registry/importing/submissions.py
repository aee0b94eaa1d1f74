"""Exports of the field intake form (crossing/intake) from ODK Central and KoboToolbox, read as canonical rows.

Accepted: ODK Central's CSV (groups joined with "-") and OData JSON ({"value": [...]}, groups nested);
KoboToolbox's CSV (groups joined with "/", columns separated by "," or ";"), XLSX and JSON (API v2
{"results": [...]} or a bare list). Answers are found by question name, whatever the group prefix. The
date-of-birth questions become one ``date_of_birth`` (YYYY-MM-DD, YYYY-MM or YYYY) and choice names
become compound and facility names, so every format yields the same rows for the same submission.

Every export of the form is one list (``LIST_REF``) whose rows are the submissions, keyed by the
instanceID the submission was first sent with (ODK Central ``__id``/``KEY``, Kobo ``meta/rootUuid``):
a later export creates only the new submissions. Rows are numbered by submission, the first in the
export being 1. Submissions a reviewer rejected are left out with a warning.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from crossing.core.errors import ValidationFailed
from crossing.intake.form import (
    DOB_KNOWN,
    DOB_QUESTIONS,
    DOB_UNKNOWN,
    FORM_ID,
    LIST_REF,
    NONE_CHOICE,
    QUESTION_NAMES,
    SEX_CHOICES,
    TEXT_ANSWERS,
)
from crossing.intake.nationalities import nationality_codes
from crossing.registry.importing.columns import CANONICAL_COLUMNS
from crossing.registry.importing.reader import Problem, TableFile, file_error
from crossing.registry.models import Compound, HoldingFacility, ImportedRow

FORMATS = ("auto", "list", "odk", "kobo")
_PLATFORM_NAMES = {"odk": "ODK Central", "kobo": "KoboToolbox"}
# Columns that only ODK Central's or KoboToolbox's CSV export has; a handover list has none of them.
_ODK_COLUMNS = {"KEY", "SubmissionDate", "ReviewState", "meta-instanceID"}
_KOBO_COLUMNS = {"_uuid", "_id", "_submission_time", "_validation_status", "meta/instanceID"}
# Server bookkeeping that is not an answer: ODK Central's CSV columns, OpenRosa meta, Kobo's formhub.
# Anything under a key starting with "_" (ODK's __id and __system, Kobo's _uuid ...) is bookkeeping too.
_SYSTEM = {"KEY", "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
           "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "instanceID", "instanceName", "deprecatedID",
           "rootUuid", "audit", "formhub/uuid"}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# A CSV unpacked from ODK Central's zip is held in memory; beyond this it goes through unzip and the CLI.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
_DOB_FORMATS = {"day": re.compile(r"(\d{4}-\d{2}-\d{2})"), "month": re.compile(r"(\d{4}-\d{2})"),
                "year": re.compile(r"(\d{4})$")}


def open_file(data: bytes, filename: str, encoding: str | None = None,
              file_format: str = "auto") -> "TableFile | SubmissionExport":
    """The upload as a handover list (TableFile) or as an intake form export (SubmissionExport)."""
    if file_format not in FORMATS:
        raise file_error(_("unknown format %(format)r: use one of %(formats)s")
                         % {"format": file_format, "formats": ", ".join(FORMATS)})
    if file_format != "list" and _is_zip_archive(data, filename):
        data, filename = _csv_in_zip(data)
    if file_format != "list" and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        platform, records, problems = _json_records(data, file_format)
        return SubmissionExport(platform, records, problems)
    table = TableFile(data, filename, encoding)
    platform = _platform(table.header) if file_format == "auto" else file_format
    if platform in (None, "list"):
        return table
    return SubmissionExport(platform, _table_records(table), [])


def _is_zip_archive(data: bytes, filename: str) -> bool:
    """A zip that is not a spreadsheet (XLSX is a zip too): ODK Central's "Download all submissions"."""
    if data[:2] != b"PK" or filename.lower().endswith((".xlsx", ".xlsm")):
        return False
    try:
        return "[Content_Types].xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def _csv_in_zip(data: bytes) -> tuple[bytes, str]:
    """The form's own CSV from the zip (beside it: one CSV per repeat group, and media/)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    tables = [info for info in archive.infolist() if "/" not in info.filename and info.filename.endswith(".csv")]
    chosen = next((info for info in tables if info.filename == f"{FORM_ID}.csv"), None)
    if chosen is None and len(tables) == 1:
        chosen = tables[0]
    if chosen is None:
        raise file_error(_("the zip holds no %(name)s: upload the CSV of the intake form's submissions")
                         % {"name": f"{FORM_ID}.csv"})
    if chosen.file_size > MAX_UNZIPPED_BYTES:
        raise file_error(_("%(name)s is too large to unpack here: unzip it and import the CSV")
                         % {"name": chosen.filename})
    return archive.read(chosen), chosen.filename


def _platform(header: list[str]) -> str | None:
    columns = set(header)
    if columns & {"list_ref", "row_ref"}:
        return None
    if columns & _ODK_COLUMNS:
        return "odk"
    if columns & _KOBO_COLUMNS:
        return "kobo"
    return None


def _table_records(table: TableFile) -> Iterator[tuple[int, dict]]:
    for number, (_line, values) in enumerate(table.rows(), start=1):
        yield number, values


def _json_records(data: bytes, file_format: str) -> tuple[str, list[tuple[int, dict]], list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_error(_("the JSON file is not valid UTF-8 (byte %(position)s)") % {"position": exc.start}) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(text, exc) from None
    problems: list[Problem] = []
    if isinstance(document, dict) and isinstance(document.get("value"), list):
        platform, items = "odk", document["value"]
        more = document.get("@odata.nextLink")
    elif isinstance(document, dict) and isinstance(document.get("results"), list):
        platform, items = "kobo", document["results"]
        more = document.get("next")
    elif isinstance(document, list):
        first = items[0] if (items := document) else {}
        platform, more = ("odk" if isinstance(first, dict) and "__id" in first else "kobo"), None
    else:
        raise file_error(_("this JSON is not a submission export: expected ODK Central's {\"value\": [...]}, "
                           "KoboToolbox's {\"results\": [...]} or a list of submissions"))
    if more:
        problems.append(Problem(None, "", _("this is one page of the export; the next page (%(next)s) is not in "
                                            "the file and its submissions are not imported") % {"next": more},
                                "warning"))
    return (platform if file_format == "auto" else file_format), list(enumerate(items, start=1)), problems


def _json_error(text: str, exc: json.JSONDecodeError) -> ValidationFailed:
    number = _broken_submission(text)
    where = {"number": number, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
    if number:
        message = _("submission %(number)s is not valid JSON (line %(line)s, column %(column)s): %(error)s") % where
    else:
        message = _("the file is not valid JSON (line %(line)s, column %(column)s): %(error)s") % where
    return ValidationFailed(message, extra={"problems": [Problem(number, "", message).as_dict()]})


def _broken_submission(text: str) -> int | None:
    """Which submission of the export's list a JSON syntax error is in, found by decoding them one by one."""
    start = re.search(r'^\s*\[|"(?:value|results)"\s*:\s*\[', text)
    if start is None:
        return None
    decoder, position, number = json.JSONDecoder(), start.end(), 0
    while True:
        position = _skip_space(text, position)
        if text.startswith("]", position):
            return None
        number += 1
        try:
            _item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return number
        position = _skip_space(text, position)
        if text.startswith(",", position):
            position += 1
        elif not text.startswith("]", position):
            return number + 1


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _flatten(record: dict, prefix: str = "") -> dict[str, object]:
    """ODK Central's nested groups as "group/question" paths, like KoboToolbox's keys."""
    flat: dict[str, object] = {}
    for key, value in record.items():
        path = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(_flatten(value, path))
        else:
            flat[path] = value
    return flat


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _leaf(path: str) -> str:
    """The question name of a column: ODK Central joins groups with "-", KoboToolbox with "/"."""
    return re.split(r"[/-]", path)[-1]


def _is_system(path: str) -> bool:
    return path.startswith("_") or "@" in path or path in _SYSTEM or _leaf(path) in _SYSTEM


class SubmissionExport:
    """An export of the intake form as canonical rows, numbered by submission."""

    def __init__(self, platform: str, records: Iterable[tuple[int, object]], problems: list[Problem]):
        self.platform = platform
        self.header = list(CANONICAL_COLUMNS)
        self.problems = problems
        self._rows: list[tuple[int, dict[str, str]]] = []
        self._choices = {
            "sex": {name: name for name in SEX_CHOICES},
            "nationality": {code: code for code in nationality_codes()},
            "compound": {str(pk): name for pk, name in Compound.objects.values_list("id", "name")} | {NONE_CHOICE: ""},
            "facility": {str(pk): name for pk, name in HoldingFacility.objects.values_list("id", "name")}
            | {NONE_CHOICE: ""},
        }
        self._unknown_columns: set[str] = set()
        # row_refs of submissions edited on the server since they were first sent.
        self.edited: set[str] = set()
        rejected: list[tuple[int, str]] = []
        count = 0
        for number, record in records:
            count += 1
            if not isinstance(record, dict):
                self.problems.append(Problem(number, "", _("the submission is not a JSON object")))
                continue
            row = self._canonical(number, _flatten(record), rejected)
            if row is not None:
                self._rows.append((number, row))
        if count == 0:
            raise file_error(_("the %(platform)s export contains no submissions")
                             % {"platform": _PLATFORM_NAMES.get(platform, platform)})
        self._report_rejected(rejected)
        for column in sorted(self._unknown_columns):
            self.problems.append(Problem(None, column, _("not a question of the Crossing intake form: ignored"),
                                         "warning"))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        yield from self._rows

    def _canonical(self, number: int, record: dict[str, object], rejected: list) -> dict[str, str] | None:
        answers: dict[str, str] = {}
        for path, value in record.items():
            name = _leaf(path)
            if name in QUESTION_NAMES and not _is_system(path):
                answers[name] = answers.get(name) or _text(value)
            elif not _is_system(path):
                self._unknown_columns.add(path)
        row_ref = self._row_ref(number, record)
        if row_ref is None:
            return None
        if self._rejected(record):
            rejected.append((number, row_ref))
            return None
        if self._edited(record):
            self.edited.add(row_ref)
        if "__extra__" in record:
            self.problems.append(Problem(number, "", _("this row has more cells than the header has columns")))
        row = {column: "" for column in CANONICAL_COLUMNS}
        row |= {"list_ref": LIST_REF, "row_ref": row_ref}
        row |= {name: answers.get(name, "") for name in TEXT_ANSWERS}
        for question in ("sex", "nationality", "compound", "facility"):
            row[question] = self._choice(number, question, answers.get(question, ""))
        row["date_of_birth"] = self._date_of_birth(number, answers)
        return row

    def _row_ref(self, number: int, record: dict[str, object]) -> str | None:
        """The instanceID the submission was first sent with, which editing on the server keeps."""
        by_leaf = {_leaf(path): _text(value) for path, value in record.items() if _text(value)}
        for key in ("__id", "KEY", "rootUuid", "instanceID", "_uuid"):
            if value := by_leaf.get(key):
                if key in ("instanceID", "_uuid") and by_leaf.get("deprecatedID"):
                    self.problems.append(Problem(number, "meta/instanceID", _(
                        "edited on the server, and this export lacks the instanceID it was first sent with (KEY, "
                        "__id or meta/rootUuid): if it was imported before its edit, it is now imported again as "
                        "another person"), "warning"))
                return f"uuid:{value}" if _UUID.fullmatch(value) else value
        self.problems.append(Problem(number, "meta/instanceID", _(
            "the submission has no instanceID (meta/instanceID, KEY, __id or _uuid), so it could not be "
            "recognised when imported again; export it again with its metadata")))
        return None

    @staticmethod
    def _rejected(record: dict[str, object]) -> bool:
        """Rejected by a reviewer: ODK Central's review state "rejected", Kobo's status "Not approved"."""
        odk = _text(record.get("ReviewState") or record.get("__system/reviewState")).lower()
        kobo = _text(record.get("_validation_status/uid") or record.get("_validation_status")).lower()
        return odk == "rejected" or kobo.replace(" ", "_") in {"validation_status_not_approved", "not_approved"}

    @staticmethod
    def _edited(record: dict[str, object]) -> bool:
        """ODK Central counts edits (and may mark the review state "edited"); an edit in either sets deprecatedID."""
        edits = _text(record.get("Edits") or record.get("__system/edits"))
        review = _text(record.get("ReviewState") or record.get("__system/reviewState")).lower()
        replaced = any(_leaf(path) == "deprecatedID" and _text(value) for path, value in record.items())
        return edits not in ("", "0") or review == "edited" or replaced

    def _report_rejected(self, rejected: list[tuple[int, str]]) -> None:
        if not rejected:
            return
        earlier = set(ImportedRow.objects.filter(list_ref=LIST_REF, row_ref__in=[ref for _n, ref in rejected])
                      .values_list("row_ref", flat=True))
        server = _PLATFORM_NAMES.get(self.platform, self.platform)
        for number, row_ref in rejected:
            if row_ref in earlier:
                message = _("rejected on %(server)s after it was imported: the person's record stays; review it")
            else:
                message = _("rejected on %(server)s: not imported")
            self.problems.append(Problem(number, "row_ref", message % {"server": server}, "warning"))

    def _choice(self, number: int, question: str, value: str) -> str:
        if not value:
            return ""
        choices = self._choices[question]
        if value in choices:
            return choices[value]
        self._unknown_choice(number, question, value)
        return ""

    def _unknown_choice(self, number: int, question: str, value: str) -> None:
        self.problems.append(Problem(number, question, _(
            "unknown choice %(value)r for %(question)s: export the submissions with XML values, not labels, and "
            "import them into the Crossing installation that generated the form") % {"value": value, "question": question}))

    def _date_of_birth(self, number: int, answers: dict[str, str]) -> str:
        """dob_known and the one question it asked next, as YYYY-MM-DD, YYYY-MM or YYYY."""
        known = answers.get(DOB_KNOWN, "")
        if not known:
            known = next((precision for precision, question in DOB_QUESTIONS.items() if answers.get(question)), "")
        if known in ("", DOB_UNKNOWN):
            return ""
        if known not in DOB_QUESTIONS:
            self._unknown_choice(number, DOB_KNOWN, known)
            return ""
        question = DOB_QUESTIONS[known]
        value = answers.get(question, "")
        if match := _DOB_FORMATS[known].match(value):
            return match[1]
        if value:
            message = {"day": _("%(value)r is not a date (YYYY-MM-DD)"), "month": _("%(value)r is not a month (YYYY-MM)"),
                       "year": _("%(value)r is not a year (YYYY)")}[known]
            self.problems.append(Problem(number, question, message % {"value": value}))
        else:
            self.problems.append(Problem(number, question, _("empty, although %(question)s is %(value)r")
                                         % {"question": DOB_KNOWN, "value": known}))
        return ""
