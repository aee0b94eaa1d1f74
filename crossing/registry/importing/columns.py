"""The canonical import columns (documented in docs/import-format.md)."""

from django.utils.translation import gettext as _

CANONICAL_COLUMNS = (
    "list_ref",
    "row_ref",
    "full_name",
    "native_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
    "phone",
    "compound",
    "handed_over_by",
    "handed_over_on",
    "facility",
)
REQUIRED_COLUMNS = ("list_ref", "row_ref")
# At least one of these must be present as a column and filled in on every row.
NAME_COLUMNS = ("full_name", "native_name")


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``["full_name=Name (Latin)", ...]`` -> {"Name (Latin)": "full_name"} (source header -> canonical)."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        canonical, sep, source = pair.partition("=")
        canonical, source = canonical.strip(), source.strip()
        if not sep or canonical not in CANONICAL_COLUMNS or not source:
            raise ValueError(_("bad column mapping %(pair)r: use canonical=Source Header, canonical one of %(columns)s")
                             % {"pair": pair, "columns": ", ".join(CANONICAL_COLUMNS)})
        mapping[source] = canonical
    return mapping
