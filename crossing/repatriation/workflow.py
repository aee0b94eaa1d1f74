"""The repatriation case's gated states (issue 5; prior art 1.4 IOM AVRR steps and 4.2 workflow).

Plain data and functions, no database: the services ask ``check`` whether a transition may happen
given the facts they gathered, and record it. A case moves forward one gate at a time; the person
may withdraw at any state before departure; an active hold (medical, witness, legal, embassy not
responding, funding refused) stops every forward move until it is lifted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPEN = "open"
COUNSELLED = "counselled"
VOLUNTARINESS_CONFIRMED = "voluntariness_confirmed"
RISK_ASSESSED = "risk_assessed"
TRAVEL_DOCUMENT_READY = "travel_document_ready"
EXIT_CLEARED = "exit_cleared"
FUNDED = "funded"
FIT_TO_TRAVEL = "fit_to_travel"
BOOKED = "booked"
DEPARTED = "departed"
ARRIVED = "arrived"
CLOSED = "closed"
WITHDRAWN = "withdrawn"

# The forward path, in order: each state is entered only from the one before it.
PATH = (OPEN, COUNSELLED, VOLUNTARINESS_CONFIRMED, RISK_ASSESSED, TRAVEL_DOCUMENT_READY, EXIT_CLEARED, FUNDED,
        FIT_TO_TRAVEL, BOOKED, DEPARTED, ARRIVED, CLOSED)
STATES = (*PATH, WITHDRAWN)
BEFORE_DEPARTURE = frozenset(PATH[: PATH.index(DEPARTED)])

HOLD_REASONS = ("medical", "witness", "legal", "embassy_not_responding", "funding_refused", "security")
# Holds that also stop a booking from departing (every hold stops forward moves; these are named
# so the planner can say why someone is not ready).
RISK_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Facts:
    """What the service knows about the case when a transition is asked for."""

    state: str
    active_holds: tuple[str, ...] = ()
    has_travel_document: bool = False  # passport with the person or an authority, or an ETD issued
    risk_level: str = ""  # set by the risk assessment
    high_risk_accepted: bool = False  # a high return risk needs a named decision to proceed
    is_minor: bool = False
    receiving_agency: str = ""  # minors: the guardian or agency receiving the child at home
    funded: bool = False  # a funding source covers the return
    movement_booked: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    problems: tuple[str, ...] = field(default_factory=tuple)


def next_state(state: str) -> str | None:
    if state not in PATH or state == CLOSED:
        return None
    return PATH[PATH.index(state) + 1]


def check(target: str, facts: Facts) -> Verdict:
    """May the case move from ``facts.state`` to ``target``? Problems are codes for the interface."""
    problems: list[str] = []
    if target not in STATES:
        return Verdict(False, ("unknown_state",))
    if not facts.reason.strip():
        problems.append("reason_required")
    if target == WITHDRAWN:
        if facts.state not in BEFORE_DEPARTURE:
            problems.append("already_departed")
        return Verdict(not problems, tuple(problems))
    if facts.state == WITHDRAWN:
        # A person who withdrew and changes their mind again starts from counselling.
        if target != COUNSELLED:
            problems.append("reopen_with_counselling")
        return Verdict(not problems, tuple(problems))
    if next_state(facts.state) != target:
        problems.append("not_the_next_step")
    if facts.active_holds:
        problems.append("on_hold")
    if target == TRAVEL_DOCUMENT_READY and not facts.has_travel_document:
        problems.append("no_travel_document")
    if target == RISK_ASSESSED and facts.risk_level not in RISK_LEVELS:
        problems.append("risk_level_required")
    if target == TRAVEL_DOCUMENT_READY and facts.risk_level == "high" and not facts.high_risk_accepted:
        problems.append("high_risk_not_accepted")
    if target == FUNDED and not facts.funded:
        problems.append("not_funded")
    if target == FIT_TO_TRAVEL and facts.is_minor and not facts.receiving_agency.strip():
        problems.append("minor_without_receiving_agency")
    if target == BOOKED and not facts.movement_booked:
        problems.append("no_movement")
    return Verdict(not problems, tuple(problems))
