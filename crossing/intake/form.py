"""The intake questionnaire's structure: question names, types and rules (wording is in labels.py).

Question names are the canonical import columns wherever one exists, so an export of the form maps
onto a handover list by name. The exceptions are the date-of-birth questions (combined into
``date_of_birth`` on import) and the notes.
"""

from dataclasses import dataclass

FORM_ID = "crossing_intake"
# The form version is "<REVISION>.<hash of questions and choices>"; bump REVISION for a deliberate redesign.
REVISION = 1
# One list for every export of the form, from ODK Central or KoboToolbox alike: instanceIDs are
# made by the phone, so they are unique across servers.
LIST_REF = f"odk:{FORM_ID}"

DOB_KNOWN = "dob_known"
DOB_DATE = "dob_date"
DOB_MONTH = "dob_month"
DOB_YEAR = "dob_year"
# dob_known's choices and the question each one asks next.
DOB_QUESTIONS = {"day": DOB_DATE, "month": DOB_MONTH, "year": DOB_YEAR}
DOB_UNKNOWN = "unknown"

# The choice on the compound and facility lists meaning "none of these".
NONE_CHOICE = "none"
SEX_CHOICES = ("male", "female", "other", "unknown")

# Questions whose answer is the canonical column of the same name, as written.
TEXT_ANSWERS = ("full_name", "native_name", "passport_number", "phone", "handed_over_by", "handed_over_on")

_PAST_DATE = ". >= date('1900-01-01') and . <= today()"


@dataclass(frozen=True)
class Question:
    type: str
    name: str
    required: str = ""
    relevant: str = ""
    constraint: str = ""
    appearance: str = ""
    default: str = ""


SURVEY = (
    Question("start", "start"),
    Question("end", "end"),
    Question("note", "intro"),
    Question("acknowledge", "info_given", required="yes"),
    Question("begin_group", "person"),
    Question("text", "full_name"),
    Question("text", "native_name", required="${full_name} = ''"),
    Question("select_one sex", "sex"),
    Question("select_one dob_precision", DOB_KNOWN, required="yes"),
    Question("date", DOB_DATE, required="yes", relevant=f"${{{DOB_KNOWN}}} = 'day'", constraint=_PAST_DATE),
    Question("date", DOB_MONTH, required="yes", relevant=f"${{{DOB_KNOWN}}} = 'month'", constraint=_PAST_DATE,
             appearance="month-year"),
    # An integer, not a date with the "year" appearance: a year typed on the keypad is quicker and
    # the constraint can catch Buddhist-era years (2537 for 1994).
    Question("integer", DOB_YEAR, required="yes", relevant=f"${{{DOB_KNOWN}}} = 'year'",
             constraint=". >= 1900 and . <= int(format-date(today(), '%Y'))"),
    Question("select_one country", "nationality", appearance="autocomplete"),
    Question("text", "passport_number", constraint="regex(., '^[A-Za-z0-9]{5,20}$')"),
    Question("text", "phone", constraint="regex(., '^[+]?[0-9 ()-]{6,24}$')"),
    Question("end_group", ""),
    Question("begin_group", "handover"),
    Question("select_one compound", "compound", appearance="autocomplete"),
    Question("text", "handed_over_by"),
    Question("date", "handed_over_on", constraint=". <= today()", default="today()"),
    Question("select_one facility", "facility", appearance="minimal"),
    Question("end_group", ""),
    Question("note", "closing"),
)
QUESTION_NAMES = frozenset(q.name for q in SURVEY if q.name)
INSTANCE_NAME = "concat(${full_name}, ' ', ${native_name})"
