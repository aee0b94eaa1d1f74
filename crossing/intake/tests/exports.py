"""Submissions of the intake form written as ODK Central and KoboToolbox export them, for tests.

Column names, nesting, metadata and value types follow the servers' own exports: ODK Central's CSV
(groups joined with "-", KEY and ReviewState at the end) and OData JSON (nested groups, __id, __system,
numbers as numbers); KoboToolbox's CSV (";"-separated, groups joined with "/") and API v2 JSON (flat
"group/question" keys, every value a string, unanswered questions left out).
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

from crossing.intake.form import FORM_ID, SURVEY


@dataclass
class Submission:
    instance_id: str  # as first submitted
    answers: dict = field(default_factory=dict)  # question name -> value (ints stay ints)
    review: str = ""  # "rejected", "approved" ... ("" = not reviewed)
    edited_to: str = ""  # the instanceID of the current version when edited on the server

    @property
    def current_id(self) -> str:
        return self.edited_to or self.instance_id


def _groups() -> dict[str, str]:
    """Each exported question and the group it sits in ("" at the top)."""
    groups, current = {}, ""
    for question in SURVEY:
        if question.type == "begin_group":
            current = question.name
        elif question.type == "end_group":
            current = ""
        elif question.type != "note":
            groups[question.name] = current
    return groups


GROUPS = _groups()
_ODK_TAIL = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
             "ReviewState", "DeviceID", "Edits", "FormVersion"]
_KOBO_TAIL = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
              "__version__", "_tags", "_index"]
_KOBO_STATUS = {"rejected": ("validation_status_not_approved", "Not Approved"),
                "approved": ("validation_status_approved", "Approved")}


def _path(question: str, separator: str) -> str:
    group = GROUPS[question]
    return f"{group}{separator}{question}" if group else question


def _bare(instance_id: str) -> str:
    return instance_id.removeprefix("uuid:")


def odk_csv(submissions: list[Submission]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["SubmissionDate", *(_path(q, "-") for q in GROUPS), "meta-instanceID", *_ODK_TAIL])
    for n, s in enumerate(submissions, start=1):
        writer.writerow(["2025-02-20T10:00:00.000Z", *(s.answers.get(q, "") for q in GROUPS), s.current_id,
                         s.instance_id, "5", "border-post-1", "0", "0", "", s.review, f"collect:{n}",
                         "1" if s.edited_to else "0", "1"])
    return buffer.getvalue().encode()


def odk_zip(submissions: list[Submission]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{FORM_ID}.csv", odk_csv(submissions))
        archive.writestr("media/.keep", b"")
    return buffer.getvalue()


def odk_json(submissions: list[Submission]) -> bytes:
    value = []
    for n, s in enumerate(submissions, start=1):
        record: dict = {"__id": s.instance_id, "__system": {
            "submissionDate": "2025-02-20T10:00:00.000Z", "updatedAt": None, "submitterId": "5",
            "submitterName": "border-post-1", "attachmentsPresent": 0, "attachmentsExpected": 0, "status": None,
            "reviewState": s.review or None, "deviceId": f"collect:{n}", "edits": 1 if s.edited_to else 0,
            "formVersion": "1"}}
        for question, group in GROUPS.items():
            target = record.setdefault(group, {}) if group else record
            target[question] = s.answers.get(question)
        record["meta"] = {"instanceID": s.current_id}
        value.append(record)
    document = {"@odata.context": f"https://central.example/v1/projects/1/forms/{FORM_ID}.svc/$metadata#Submissions",
                "value": value}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def kobo_csv(submissions: list[Submission]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([*(_path(q, "/") for q in GROUPS), "meta/instanceID", "meta/rootUuid", "meta/deprecatedID",
                     *_KOBO_TAIL])
    for n, s in enumerate(submissions, start=1):
        status = _KOBO_STATUS.get(s.review, ("", ""))[1]
        writer.writerow([*(s.answers.get(q, "") for q in GROUPS), s.current_id, s.instance_id,
                         s.instance_id if s.edited_to else "", str(1000 + n), _bare(s.current_id),
                         "2025-02-20T10:00:00", status, "", "submitted_via_web", "", "vA1b2C3", "", str(n)])
    return buffer.getvalue().encode()


def kobo_xlsx(submissions: list[Submission]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(kobo_csv(submissions).decode(), newline=""), delimiter=";"):
        sheet.append([int(cell) if cell.isdigit() else cell or None for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def kobo_json(submissions: list[Submission], *, bare_list: bool = False) -> bytes:
    results = []
    for n, s in enumerate(submissions, start=1):
        record = {"_id": 1000 + n, "formhub/uuid": "0f9a8b7c6d5e4f30a1b2c3d4e5f60718", "__version__": "vA1b2C3"}
        record |= {_path(q, "/"): str(v) for q, v in s.answers.items() if v not in ("", None)}
        record |= {"meta/instanceID": s.current_id, "meta/rootUuid": s.instance_id}
        if s.edited_to:
            record["meta/deprecatedID"] = s.instance_id
        uid, label = _KOBO_STATUS.get(s.review, ("", ""))
        record |= {"_uuid": _bare(s.current_id), "_submission_time": "2025-02-20T10:00:00", "_attachments": [],
                   "_geolocation": [None, None], "_tags": [], "_notes": [], "_status": "submitted_via_web",
                   "_submitted_by": None, "_xform_id_string": "aBcDeFgHiJkLmNoPqRsT",
                   "_validation_status": {"uid": uid, "label": label, "by_whom": "reviewer"} if uid else {}}
        results.append(record)
    document = results if bare_list else {"count": len(results), "next": None, "previous": None, "results": results}
    return json.dumps(document, ensure_ascii=False).encode()


FORMATS = {"odk.csv": odk_csv, "odk.json": odk_json, "kobo.csv": kobo_csv, "kobo.json": kobo_json, "kobo.xlsx": kobo_xlsx,
           "kobo-list.json": lambda subs: kobo_json(subs, bare_list=True), "odk.zip": odk_zip}
