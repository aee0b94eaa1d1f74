"""Turning one mapped row of text into checked values, naming the column of every problem."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.linkage.phones import to_e164
from analytics.names import search_key
from crossing.core.countries import to_alpha3
from crossing.registry.importing.columns import CANONICAL_COLUMNS
from crossing.registry.importing.reader import Problem

SEX_BY_TEXT = {  # what lists write for sex -> the stored value
    "m": "male", "male": "male", "man": "male", "ชาย": "male", "男": "male", "ကျား": "male",
    "f": "female", "female": "female", "woman": "female", "หญิง": "female", "女": "female", "မ": "female",
    "x": "other", "other": "other",
    "": "unknown", "u": "unknown", "unknown": "unknown", "?": "unknown",
}
_DOC = re.compile(r"^[A-Z0-9]{5,20}$")
BUDDHIST_ERA_OFFSET = 543


@dataclass(slots=True)
class ParsedRow:
    number: int
    list_ref: str
    row_ref: str
    full_name: str
    native_name: str
    sex: str
    date_of_birth: date | None
    dob_precision: str
    nationality: str | None
    passport_number: str
    phone: str
    compound_id: object
    handed_over_by: str
    handed_over_on: date | None
    facility_id: object
    content_hash: str
    problems: list[Problem] = field(default_factory=list)


# Columns added after lists were first imported join the hash only when filled in, so a list
# imported before they existed is still recognised as unchanged.
_LATER_COLUMNS = ("phone",)


def content_hash(values: dict[str, str]) -> str:
    parts = [values.get(c, "") for c in CANONICAL_COLUMNS if c not in _LATER_COLUMNS]
    parts += [f"{c}={values[c]}" for c in _LATER_COLUMNS if values.get(c)]
    joined = "\x1f".join(parts)
    return hashlib.sha256(joined.encode()).hexdigest()


def parse_date(text: str, *, column: str, row: int, problems: list[Problem], today: date | None = None) -> tuple[date | None, str]:
    """ISO (YYYY-MM-DD, YYYY-MM, YYYY) or DD/MM/YYYY; Thai Buddhist-era years are converted."""
    value = text.strip()
    if not value or value.lower() in {"unknown", "-", "n/a"}:
        return None, "unknown"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", value):
        year, month, day, precision = int(m[1]), int(m[2]), int(m[3]), "day"
    elif m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value):
        day, month, year, precision = int(m[1]), int(m[2]), int(m[3]), "day"
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month, day, precision = int(m[1]), int(m[2]), 1, "month"
    elif m := re.fullmatch(r"(\d{4})", value):
        year, month, day, precision = int(m[1]), 1, 1, "year"
    else:
        problems.append(Problem(row, column, _("%(value)r is not a date: use YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY")
                                % {"value": value}))
        return None, "unknown"
    if year > 2400:
        problems.append(Problem(row, column, _("year %(year)s read as Buddhist era (%(converted)s)")
                                % {"year": year, "converted": year - BUDDHIST_ERA_OFFSET}, "warning"))
        year -= BUDDHIST_ERA_OFFSET
    try:
        parsed = date(year, month, day)
    except ValueError:
        problems.append(Problem(row, column, _("%(value)r is not a real date") % {"value": value}))
        return None, "unknown"
    if parsed > (today or timezone.localdate()):
        problems.append(Problem(row, column, _("%(value)r is in the future") % {"value": value}))
        return None, "unknown"
    if parsed.year < 1900:
        problems.append(Problem(row, column, _("%(value)r is before 1900") % {"value": value}))
        return None, "unknown"
    return parsed, precision


class RowParser:
    """Checks rows against the registry's lookups (compounds, facilities) loaded once."""

    def __init__(self, compounds: dict[str, object], facilities: dict[str, object]):
        self.compounds = compounds
        self.facilities = facilities
        self.today = timezone.localdate()

    def parse(self, number: int, values: dict[str, str]) -> ParsedRow:
        problems: list[Problem] = []
        if "__extra__" in values:
            problems.append(Problem(number, "", _("this row has more cells than the header has columns")))
        get = lambda c: (values.get(c) or "").strip()  # noqa: E731
        list_ref, row_ref = get("list_ref"), get("row_ref")
        for column, value in (("list_ref", list_ref), ("row_ref", row_ref)):
            if not value:
                problems.append(Problem(number, column, _("required")))
            elif len(value) > 100:
                problems.append(Problem(number, column, _("longer than %(n)s characters") % {"n": 100}))
        full_name, native_name = get("full_name"), get("native_name")
        if not full_name and not native_name:
            problems.append(Problem(number, "full_name", _("a name is required (full_name or native_name)")))
        for column, value in (("full_name", full_name), ("native_name", native_name)):
            if len(value) > 300:
                problems.append(Problem(number, column, _("longer than %(n)s characters") % {"n": 300}))
        sex_text = get("sex")
        sex = SEX_BY_TEXT.get(sex_text.casefold())
        if sex is None:
            problems.append(Problem(number, "sex", _("%(value)r is not a sex: use M, F, X or leave blank") % {"value": sex_text}))
            sex = "unknown"
        dob, precision = parse_date(get("date_of_birth"), column="date_of_birth", row=number, problems=problems,
                                     today=self.today)
        nationality_text = get("nationality")
        nationality = to_alpha3(nationality_text) if nationality_text else None
        if nationality_text and nationality is None:
            problems.append(Problem(number, "nationality", _(
                "unknown nationality %(value)r: use an ISO 3166 code (CHN or CN), an English country name, "
                "or 'stateless'") % {"value": nationality_text}))
        passport = "".join(ch for ch in get("passport_number").upper() if ch.isalnum())
        if passport and not _DOC.match(passport):
            problems.append(Problem(number, "passport_number", _("a passport number has 5 to 20 letters and digits")))
        phone = get("phone")[:40]
        if phone and to_e164(phone, nationality) is None:
            problems.append(Problem(number, "phone", _("%(value)r is not a phone number") % {"value": phone}))
        compound_text = get("compound")
        compound_id = None
        if compound_text:
            compound_id = self.compounds.get(search_key(compound_text))
            if compound_id is None:
                problems.append(Problem(number, "compound", _("unknown compound %(value)r: use a registered name or alias")
                                        % {"value": compound_text}))
        handed_over_on, _precision = parse_date(get("handed_over_on"), column="handed_over_on", row=number, problems=problems,
                                       today=self.today)
        facility_text = get("facility")
        facility_id = None
        if facility_text:
            facility_id = self.facilities.get(search_key(facility_text))
            if facility_id is None:
                problems.append(Problem(number, "facility", _("unknown facility %(value)r") % {"value": facility_text}))
        return ParsedRow(
            number=number, list_ref=list_ref, row_ref=row_ref, full_name=full_name, native_name=native_name, sex=sex,
            date_of_birth=dob, dob_precision=precision, nationality=nationality, passport_number=passport, phone=phone,
            compound_id=compound_id, handed_over_by=get("handed_over_by")[:200], handed_over_on=handed_over_on,
            facility_id=facility_id, content_hash=content_hash({c: get(c) for c in CANONICAL_COLUMNS}), problems=problems,
        )
