"""Neutralise spreadsheet formulas in every export (CSV/XLSX injection; a real Primero fix, 40091bb).

A cell that starts with = + - @ (or a tab/CR that some spreadsheet programs skip) is executed as a
formula when the file is opened. We keep the stored value as it was given and prefix the exported
text with an apostrophe, which spreadsheets display but never evaluate.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(values):
    return [neutralise(v) for v in values]
