"""The Fellegi-Sunter model Crossing links people with: comparisons, their levels, blocking rules.

Each comparison's levels go from strongest to weakest agreement; Splink learns how much each
level says (m and u probabilities) from the data by expectation maximisation. The priors below
are what a small list (too few records to learn from) is scored with; they were set from the
trained model on the multi-script benchmark and the FEBRL data (see docs/linkage.md).

Levels are written with Splink's dialect-neutral level library only, so the same model runs on
DuckDB and on Spark.
"""

from __future__ import annotations

from dataclasses import dataclass

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import block_on


@dataclass(frozen=True)
class ComparisonSpec:
    name: str  # output column name in Splink (gamma_<name>, bf_<name>)
    title: str  # what a person reads in the adjudication queue
    column: str  # the column whose presence decides whether the comparison applies
    levels: tuple  # (label, level creator, m prior, u prior), strongest first; no null/else
    else_m: float
    else_u: float

    def creator(self, priors: bool = True):
        levels = [cll.NullLevel(self.column)]
        for label, level, _m, _u in self.levels:
            levels.append(level.configure(label_for_charts=label))
        levels.append(cll.ElseLevel().configure(label_for_charts="disagree"))
        comparison = cl.CustomComparison(output_column_name=self.name, comparison_levels=levels,
                                         comparison_description=self.title)
        if priors:
            comparison.configure(m_probabilities=[m for _l, _c, m, _u in self.levels] + [self.else_m],
                                 u_probabilities=[u for _l, _c, _m, u in self.levels] + [self.else_u])
        return comparison

    @property
    def labels(self) -> list[str]:
        return ["no data", *(label for label, *_ in self.levels), "disagree"]


def _name_levels():
    # Order matters: a pair lands in the first level that holds.
    return (
        ("same name in its own script", cll.ExactMatchLevel("name_native"), 0.45, 0.00002),
        ("same name in one of its romanizations", cll.ArrayIntersectLevel("name_keys", 1), 0.35, 0.0001),
        ("same name up to transliteration or spacing", cll.Or(cll.ExactMatchLevel("name_skeleton"),
                                                              cll.ArrayIntersectLevel("name_joined", 1)), 0.08, 0.0002),
        ("same consonants (vowels written differently)", cll.ArrayIntersectLevel("name_consonants", 1), 0.05, 0.0006),
        ("very similar spelling", cll.Or(cll.JaroWinklerLevel("name_primary", 0.92),
                                         cll.JaroWinklerLevel("name_skeleton", 0.94)), 0.05, 0.0008),
        ("two or more name parts agree", cll.ArrayIntersectLevel("name_skeletons", 2), 0.03, 0.002),
        ("same initials, one name part agrees", cll.And(cll.ExactMatchLevel("name_initials"),
                                                        cll.ArrayIntersectLevel("name_skeletons", 1)), 0.02, 0.004),
        ("similar spelling", cll.JaroWinklerLevel("name_skeleton", 0.85), 0.01, 0.01),
        ("one name part agrees", cll.ArrayIntersectLevel("name_skeletons", 1), 0.006, 0.05),
    )


def _dob_levels():
    # At least one side knows only the year of birth (two known, different months are a disagreement).
    imprecise = cll.CustomLevel("(dob_month_l IS NULL OR dob_month_r IS NULL)")
    return (
        ("same date of birth", cll.ExactMatchLevel("dob"), 0.70, 0.00008),
        ("date of birth one typo apart", cll.DamerauLevenshteinLevel("dob", 1), 0.08, 0.0008),
        ("same month and year of birth", cll.ExactMatchLevel("dob_month"), 0.06, 0.0015),
        ("same birth year, day not known on one list", cll.And(cll.ExactMatchLevel("dob_year"), imprecise),
         0.10, 0.025),
        ("same birth year, different day", cll.ExactMatchLevel("dob_year"), 0.02, 0.025),
        ("birth years one apart", cll.AbsoluteDifferenceLevel("dob_year", 1), 0.03, 0.05),
    )


SPECS: tuple[ComparisonSpec, ...] = (
    ComparisonSpec("name", "Name", "name_tokens", _name_levels(), 0.001, 0.93),
    ComparisonSpec("date_of_birth", "Date of birth", "dob_year", _dob_levels(), 0.01, 0.9),
    ComparisonSpec("document", "Passport or ID number", "document", (
        ("same number", cll.ExactMatchLevel("document"), 0.85, 0.00001),
        ("one typo apart", cll.DamerauLevenshteinLevel("document", 1), 0.10, 0.00005),
        ("two typos apart", cll.DamerauLevenshteinLevel("document", 2), 0.02, 0.0002),
    ), 0.03, 0.9997),
    ComparisonSpec("phone", "Phone number", "phone", (
        ("same number", cll.ExactMatchLevel("phone"), 0.85, 0.00001),
        ("same last eight digits", cll.ExactMatchLevel("phone_tail"), 0.08, 0.00005),
    ), 0.07, 0.99994),
    ComparisonSpec("nationality", "Nationality", "nationality", (
        ("same nationality", cll.ExactMatchLevel("nationality"), 0.95, 0.15),
    ), 0.05, 0.85),
    ComparisonSpec("sex", "Sex", "sex", (
        ("same sex", cll.ExactMatchLevel("sex"), 0.97, 0.55),
    ), 0.03, 0.45),
    ComparisonSpec("compound", "Compound", "compound", (
        ("same compound", cll.ExactMatchLevel("compound"), 0.85, 0.3),
    ), 0.15, 0.7),
    ComparisonSpec("event_date", "Rescue or handover date", "event_date", (
        ("same day", cll.ExactMatchLevel("event_date"), 0.7, 0.05),
        ("within a week", cll.AbsoluteDateDifferenceLevel("event_date", input_is_string=True, threshold=7,
                                                           metric="day"), 0.2, 0.15),
    ), 0.1, 0.8),
    ComparisonSpec("address", "Address or place of origin", "address", (
        ("same address", cll.ExactMatchLevel("address"), 0.7, 0.0001),
        ("very similar address", cll.JaroWinklerLevel("address", 0.9), 0.15, 0.001),
        ("similar address", cll.JaroWinklerLevel("address", 0.75), 0.08, 0.02),
    ), 0.07, 0.98),
)
SPEC_BY_NAME = {s.name: s for s in SPECS}

# Candidate pairs are the union of these (Splink removes pairs found twice). Each rule is an
# equality, so the database joins instead of comparing every pair.
# Sized on the 300,000-record benchmark registry: together about 8 million pairs (a rule as loose as
# "same birth year and nationality and one name part" alone made 140 million).
_BLOCKING = (
    ("block_native",),
    ("name_native", "dob_year"),
    ("document",),
    ("phone",),
    ("dob", "name_initials"),
    ("dob_month", "name_initials"),
)
# Exploding arrays finds a romanized list entry by any of the native name's writings. The joined
# skeletons cover equal romanizations and equal sorted skeletons too (separate rules for those
# found the same pairs and doubled the blocking time).
_EXPLODED = (
    (("block_joined",), ("block_joined",)),
    (("name_joined", "dob_year"), ("name_joined",)),
    (("name_consonants", "nationality"), ("name_consonants",)),
    # One name part and the full birth date: "A. THREDGOLD" and "ALANA THREDGOLD", born the same day.
    (("name_skeletons", "dob"), ("name_skeletons",)),
)


# A name shared by more than this many records (Zhang Wei, Nguyen Van Hung) is no reason on its own
# to compare them all with each other: such records are compared when they also share the birth
# year, a document, a phone or a birth date with initials. block_* columns hold the rarer names.
COMMON_NAME_RECORDS = 100

# Below this many records, looser rules cost little and find the pairs whose names share only one
# part (given name as an initial, year-only birth dates). Above it they would dominate the run.
LOOSE_BLOCKING_BELOW = 50_000
_LOOSE = (
    (("dob",), ()),
    (("dob_year", "nationality", "name_initials"), ()),
    (("name_skeletons", "dob_year", "nationality"), ("name_skeletons",)),
)


def blocking_rules(columns_present: set[str], records: int = 0):
    rules = [block_on(*cols) for cols in _BLOCKING if set(cols) <= columns_present]
    rules += [block_on(*cols, arrays_to_explode=list(arrays)) for cols, arrays in _EXPLODED
              if set(cols) <= columns_present]
    if records < LOOSE_BLOCKING_BELOW:
        rules += [block_on(*cols, arrays_to_explode=list(arrays)) if arrays else block_on(*cols)
                  for cols, arrays in _LOOSE if set(cols) <= columns_present]
    return rules


# Near-certain matches, used to estimate how many pairs match at all (Splink's lambda). Only
# identifiers: "same native name and birth date" is fooled by namesakes on placeholder birth dates
# (registration defaults such as 1 January), which a large registry has by the thousand.
DETERMINISTIC_RULES = (("document", "dob_year"), ("phone",))
DETERMINISTIC_RECALL = 0.5

# Rules for the EM sessions: each fixes some columns so the others can be learnt.
# Two sessions suffice: one fixes the name (and learns everything else), one fixes birth date and
# initials (and learns the name levels); a third on documents helps lists rich in passports.
TRAINING_RULES = (
    ("name_skeleton",),
    ("dob", "name_initials"),
    ("document",),
)


def settings(*, link_type: str, columns_present: set[str], records: int = 0, priors: bool = True,
             retain_columns: bool = True, prior_match_probability: float = 1e-4) -> dict:
    from splink import SettingsCreator

    specs = [s for s in SPECS if s.column in columns_present]
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[s.creator(priors) for s in specs],
        blocking_rules_to_generate_predictions=blocking_rules(columns_present, records),
        retain_intermediate_calculation_columns=retain_columns,
        retain_matching_columns=True,
        probability_two_random_records_match=prior_match_probability,
    )
