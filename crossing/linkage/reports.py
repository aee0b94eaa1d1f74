"""The link report as rows: the pairs file partners script against, and the full report."""

from crossing.linkage.services import LinkReport

# Exact header: scripts and partners read this file.
PAIRS_HEADER = ("row_ref_a", "row_ref_b", "match_probability")
REPORT_HEADER = ("list", "row_ref", "full_name", "native_name", "nationality", "date_of_birth", "outcome",
                 "matched_row_ref", "match_probability")


def pair_rows(report: LinkReport):
    for p in report.pairs:
        yield (p.id_l, p.id_r, f"{p.probability:.6f}")


def report_rows(report: LinkReport):
    """Every row of both lists: matched (with its partner) or on one list only."""
    partner_l = {p.id_l: p for p in report.pairs}
    partner_r = {p.id_r: p for p in report.pairs}
    for side, records, partners, other in (("A", report.left, partner_l, "id_r"), ("B", report.right, partner_r, "id_l")):
        for ref, values in records.rows.items():
            pair = partners.get(ref)
            yield (side, ref, values.get("full_name", ""), values.get("native_name", ""), values.get("nationality", ""),
                   values.get("date_of_birth", ""), "on both lists" if pair else f"only on list {side}",
                   getattr(pair, other) if pair else "", f"{pair.probability:.6f}" if pair else "")
