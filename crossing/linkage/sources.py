"""Where linkage records come from: registry people, or rows of an uploaded list.

Both end as ``analytics.linkage.records.features`` dicts, so a romanized army list, an
embassy's list in native script and the registry are compared by one model.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from analytics.linkage import engine
from analytics.linkage.parallel import names_precomputed
from analytics.linkage.records import features
from crossing.core.countries import to_alpha3
from crossing.core.errors import ValidationFailed
from crossing.registry.importing.columns import NAME_COLUMNS, parse_mapping
from crossing.registry.importing.reader import Problem, TableFile
from crossing.registry.importing.rows import SEX_BY_TEXT, parse_date
from crossing.registry.models import IdentityDocument, PersonName, PhoneNumber


def registry_frame(people) -> pd.DataFrame:
    """Features of every person in the queryset ``people`` (already scoped by the access layer)."""
    ids = people.values("id")
    names: dict = defaultdict(list)
    for pid, name in PersonName.objects.filter(person_id__in=ids).order_by("id").values_list("person_id", "full_name"):
        names[pid].append(name)
    docs: dict = defaultdict(list)
    for pid, number in IdentityDocument.objects.filter(person_id__in=ids).values_list("person_id", "number_normalized"):
        docs[pid].append(number)
    phones: dict = defaultdict(list)
    for pid, number in PhoneNumber.objects.filter(person_id__in=ids).values_list("person_id", "e164"):
        if number:
            phones[pid].append(number)
    rows = []
    fields = ("id", "date_of_birth", "dob_precision", "sex", "primary_nationality", "compound_id",
              "rescue_event__occurred_on")
    with names_precomputed(n for person_names in names.values() for n in person_names):
        for pid, dob, precision, sex, nationality, compound_id, event_date in people.values_list(*fields).iterator(
                chunk_size=5000):
            rows.append(features(
                unique_id=str(pid), names=names.get(pid, []), date_of_birth=dob, dob_precision=precision, sex=sex,
                nationality=nationality, documents=docs.get(pid), phones=phones.get(pid),
                compound=str(compound_id) if compound_id else None, event_date=event_date,
            ))
    return engine.frame(rows)


@dataclass
class ListRecords:
    """A list read for linking: features keyed by row_ref, and each row as written."""

    filename: str
    frame: pd.DataFrame
    rows: dict[str, dict]  # row_ref -> canonical values as written (for the report)
    problems: list[Problem]


def read_list(data: bytes, filename: str, *, mapping: list[str] | None = None, encoding: str | None = None) -> ListRecords:
    """Read a list in the canonical import columns for linking. Compounds and facilities need not
    be registered (lists from outside often name places the registry does not know)."""
    try:
        source = TableFile(data, filename, encoding=encoding)
        columns = parse_mapping(mapping)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    problems: list[Problem] = []
    header = [columns.get(h, h) for h in source.header]
    if "row_ref" not in header:
        problems.append(Problem(1, "row_ref", _("required column is missing")))
    if not any(c in header for c in NAME_COLUMNS):
        problems.append(Problem(1, "full_name", _("a name column is required (full_name or native_name)")))
    if problems:
        raise ValidationFailed(_("%(file)s cannot be linked") % {"file": filename},
                               extra={"problems": [p.as_dict() for p in problems]})
    records, rows, seen = [], {}, {}
    for number, raw in source.rows():
        values = {columns.get(k, k): (v or "").strip() for k, v in raw.items() if k != "__extra__"}
        row_ref = values.get("row_ref", "")
        if not row_ref:
            problems.append(Problem(number, "row_ref", _("required")))
            continue
        if row_ref in seen:
            problems.append(Problem(number, "row_ref", _("%(ref)r is also on row %(row)s") % {"ref": row_ref, "row": seen[row_ref]}))
            continue
        seen[row_ref] = number
        names = [values.get(c, "") for c in NAME_COLUMNS if values.get(c)]
        if not names:
            problems.append(Problem(number, "full_name", _("a name is required (full_name or native_name)")))
            continue
        dob, precision = parse_date(values.get("date_of_birth", ""), column="date_of_birth", row=number, problems=problems)
        event, _precision = parse_date(values.get("handed_over_on", ""), column="handed_over_on", row=number,
                                       problems=problems)
        nationality = to_alpha3(values.get("nationality", "")) if values.get("nationality") else None
        if values.get("nationality") and nationality is None:
            problems.append(Problem(number, "nationality", _("unknown nationality %(value)r") % {"value": values["nationality"]}))
        sex = SEX_BY_TEXT.get(values.get("sex", "").casefold(), "unknown")
        records.append(features(
            unique_id=row_ref, names=names, date_of_birth=dob, dob_precision=precision, sex=sex, nationality=nationality,
            documents=[values["passport_number"]] if values.get("passport_number") else None,
            phones=[values["phone"]] if values.get("phone") else None,
            compound=" ".join(values.get("compound", "").casefold().split()) or None, event_date=event,
        ))
        rows[row_ref] = values
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValidationFailed(_("%(file)s has %(n)s problems: nothing was linked") % {"file": filename, "n": len(errors)},
                               extra={"problems": [p.as_dict() for p in problems[:1000]]})
    return ListRecords(filename=filename, frame=engine.frame(records), rows=rows, problems=problems)
