"""The intake form as an XLSForm workbook: survey, choices and settings sheets.

The compound and facility lists come from the database and their choice names are the records'
ids, which survive renaming. Generate the form from the Crossing installation its submissions will
be imported into, and again (a new version) when compounds or facilities are added.
"""

import hashlib
import json
from typing import BinaryIO

from crossing.intake import labels
from crossing.intake.form import FORM_ID, INSTANCE_NAME, NONE_CHOICE, REVISION, SURVEY, Question
from crossing.intake.labels import LANGUAGES, Text
from crossing.intake.nationalities import nationality_choices
from crossing.registry.models import Compound, CompoundAlias, HoldingFacility

Sheets = dict[str, list[dict[str, str]]]

_TRANSLATED = ("label", "hint", "required_message", "constraint_message")
_SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
                   "constraint_message", "appearance", "default")
_CHOICE_COLUMNS = ("list_name", "name", "label")
_SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language", "instance_name")
# ISO 15924 script of a compound alias -> the form language that writes it.
_ALIAS_SCRIPTS = {"Hani": "zh", "Thai": "th", "Mymr": "my"}


def _translated(column: str, text: Text | None) -> dict[str, str]:
    if text is None:
        return {}
    return {f"{column}::{language}": getattr(text, code) for code, language in LANGUAGES.items()}


def _survey_row(question: Question) -> dict[str, str]:
    row = {"type": question.type, "name": question.name, "required": question.required,
           "relevant": question.relevant, "constraint": question.constraint, "appearance": question.appearance,
           "default": question.default}
    row |= _translated("label", labels.LABELS.get(question.name))
    row |= _translated("hint", labels.HINTS.get(question.name))
    row |= _translated("required_message", labels.REQUIRED_MESSAGES.get(question.name))
    row |= _translated("constraint_message", labels.CONSTRAINT_MESSAGES.get(question.name))
    return {column: value for column, value in row.items() if value}


def _choice(list_name: str, name: str, text: Text) -> dict[str, str]:
    return {"list_name": list_name, "name": name, **_translated("label", text)}


def _compound_names() -> list[tuple[str, Text]]:
    """Each compound labelled by its name, with its alias in a language's own script where it has one
    (亚太新城 / Shwe Kokko), so autocomplete finds it in any of the four languages."""
    aliases: dict[tuple, str] = {}
    for compound_id, name, script in CompoundAlias.objects.order_by("name").values_list("compound_id", "name", "script"):
        if script in _ALIAS_SCRIPTS:
            aliases.setdefault((compound_id, _ALIAS_SCRIPTS[script]), name)
    rows = []
    for pk, name in Compound.objects.order_by("name").values_list("id", "name"):
        local = {code: f"{aliases[(pk, code)]} / {name}" if (pk, code) in aliases else name for code in LANGUAGES}
        rows.append((str(pk), Text(**local)))
    return rows


def _choices() -> list[dict[str, str]]:
    rows = [_choice(list_name, name, text) for list_name, options in labels.CHOICES.items()
            for name, text in options.items()]
    rows += [_choice("country", code, text) for code, text in nationality_choices()]
    rows += [_choice("compound", name, text) for name, text in _compound_names()]
    rows.append(_choice("compound", NONE_CHOICE, labels.NONE_CHOICES["compound"]))
    for pk, name in HoldingFacility.objects.order_by("name").values_list("id", "name"):
        rows.append(_choice("facility", str(pk), Text(name, name, name, name)))
    rows.append(_choice("facility", NONE_CHOICE, labels.NONE_CHOICES["facility"]))
    return rows


def build_form(*, version: str | None = None) -> Sheets:
    """The workbook's sheets as rows of {column: text}. The default version changes exactly when the
    questions or choice lists do, which ODK Central needs to accept a new upload of the form."""
    survey = [_survey_row(q) for q in SURVEY]
    choices = _choices()
    digest = hashlib.sha256(json.dumps([survey, choices], ensure_ascii=False).encode()).hexdigest()[:8]
    settings = [{"form_title": labels.FORM_TITLE, "form_id": FORM_ID, "version": version or f"{REVISION}.{digest}",
                 "default_language": labels.DEFAULT_LANGUAGE, "instance_name": INSTANCE_NAME}]
    return {"survey": survey, "choices": choices, "settings": settings}


def _header(columns: tuple[str, ...]) -> list[str]:
    header = []
    for column in columns:
        if column in _TRANSLATED:
            header += [f"{column}::{language}" for language in LANGUAGES.values()]
        else:
            header.append(column)
    return header


def write_xlsx(sheets: Sheets, out: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns in (("survey", _SURVEY_COLUMNS), ("choices", _CHOICE_COLUMNS), ("settings", _SETTINGS_COLUMNS)):
        sheet = workbook.create_sheet(title)
        header = _header(columns)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in sheets[title]:
            sheet.append([row.get(column) for column in header])
    workbook.save(out)
