"""Reading analysts' labels for the learned score: a CSV of ``account,label[,group]``.

``label`` is 1 for an account confirmed as laundering (a mule, a layering or collector account: from
a case, a bank's report, a national mule-account list) and 0 for one confirmed legitimate. ``group``
(optional: a case number) keeps the accounts of one case in one fold when the score is cross-validated,
so a case is never judged by a model that saw its own accounts. Every problem names its row (the header
is row 1) and column; the whole file is refused if any row is wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from crossing.core.errors import ValidationFailed
from crossing.flows.formats import ID_MAX, MAX_ERRORS

TRUE, FALSE = frozenset({"1", "true", "yes"}), frozenset({"0", "false", "no"})


@dataclass
class Labels:
    values: dict[str, int] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def positives(self) -> int:
        return sum(self.values.values())


def read_labels(data: bytes, name: str = "labels.csv") -> Labels:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(_("%(name)s is not UTF-8 text") % {"name": name}, extra={"errors": [
            {"row": None, "field": None, "message": _("not UTF-8 text (byte %(b)d)") % {"b": exc.start}}]}) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    errors = [{"row": 1, "field": col, "message": _("missing column")} for col in ("account", "label")
              if col not in header]
    if errors:
        raise ValidationFailed(_("%(name)s: the header needs account and label") % {"name": name},
                               extra={"errors": errors})
    at = {h: header.index(h) for h in ("account", "label", "group") if h in header}
    labels = Labels()
    seen: dict[str, int] = {}
    for row_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(col, row=row):
            return row[at[col]].strip() if col in at and at[col] < len(row) else ""

        account, label = cell("account"), cell("label").lower()
        if not account:
            errors.append({"row": row_no, "field": "account", "message": _("empty")})
        elif len(account) > ID_MAX:
            errors.append({"row": row_no, "field": "account", "message": _("longer than %(n)d characters") % {"n": ID_MAX}})
        if label not in TRUE | FALSE:
            errors.append({"row": row_no, "field": "label", "message": _("must be 1 (laundering) or 0 (legitimate)")})
        if account and account in seen and label in TRUE | FALSE and labels.values.get(account) != (label in TRUE):
            errors.append({"row": row_no, "field": "label",
                           "message": _("contradicts row %(r)d for the same account") % {"r": seen[account]}})
        if len(errors) >= MAX_ERRORS:
            break
        if account and label in TRUE | FALSE:
            seen.setdefault(account, row_no)
            labels.values[account] = int(label in TRUE)
            if cell("group"):
                labels.groups[account] = cell("group")
    if errors:
        raise ValidationFailed(_("%(name)s: %(n)d problem(s); nothing was used") % {"name": name, "n": len(errors)},
                               extra={"errors": errors})
    if not labels.values:
        raise ValidationFailed(_("%(name)s has no labelled account") % {"name": name},
                               extra={"errors": [{"row": None, "field": "label", "message": _("no rows")}]})
    return labels
