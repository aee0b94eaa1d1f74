from pathlib import Path

from django.core.management.base import BaseCommand

from crossing.intake.form import FORM_ID
from crossing.intake.xlsform import build_form, write_xlsx


class Command(BaseCommand):
    help = (
        "Write the field intake form as an XLSForm (labels in English, Chinese, Thai and Burmese) to upload to "
        "ODK Central or KoboToolbox. The compound and facility lists come from this database: import the "
        "submissions into the same installation, and write the form again when compounds or facilities change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=f"{FORM_ID}.xlsx", help="the workbook to write (default: %(default)s)")
        # Not --version: every Django command already has that option.
        parser.add_argument("--form-version", help="the form's version string (default: one that changes whenever "
                                                   "the questions or choice lists do)")

    def handle(self, *args, **opts):
        sheets = build_form(version=opts["form_version"])
        path = Path(opts["out"])
        with path.open("wb") as fh:
            write_xlsx(sheets, fh)
        settings = sheets["settings"][0]
        lists = {}
        for row in sheets["choices"]:
            lists[row["list_name"]] = lists.get(row["list_name"], 0) + 1
        self.stdout.write(f"{path}: form {settings['form_id']} version {settings['version']}, "
                          f"{lists['compound'] - 1} compounds, {lists['facility'] - 1} facilities, "
                          f"{lists['country']} nationalities. Upload it to ODK Central or KoboToolbox.")
