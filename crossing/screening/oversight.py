"""Oversight of screening for supervisors (``screening.oversee``): the waiting queue, each officer's
throughput, outcomes given the same recommendation (a bias monitor), overrides, pending reviews.

Pure reads. Every section is limited to the people the ``screening.oversee`` grant reaches, and
every read is audited with ``SCREENING_OVERSIGHT_VIEWED``: one event for the page (counts only)
and, because the override and review lists name people by their pseudonymous reference, one event
per person listed (every read of a person's data is audited).

The bias monitor compares like with like: only decisions made on the *same* recommendation are
compared, so an officer who sees more presumed victims is not flagged for referring more people to
the MDT. It uses the current decision of each screening: the newest decision of every screening
that has not been superseded by a re-screening (spec A.7.6: a returned or revised decision stays on
record, the newest one counts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.registry.models import Person, PersonStatus
from crossing.screening.models import (
    Decision,
    Outcome,
    Recommendation,
    ReviewStatus,
    Screening,
    ScreeningStatus,
)

# A cell of the bias monitor is flagged when its override rate differs from the overall override
# rate for the same recommendation by MORE than this many percentage points. 20 points is wide
# enough that ordinary variation between a handful of officers does not light up the page, narrow
# enough that an officer who departs from "presumed victim" one time in three while colleagues do
# so one time in ten is shown.
FLAG_DIFFERENCE_POINTS = 20
# ... and only when the cell holds at least this many decisions: below it, one or two decisions
# swing the rate by tens of points and a flag would be noise (and would single out an officer or a
# nationality on almost no evidence).
FLAG_MIN_DECISIONS = 10
# The lists (overrides, pending reviews) show at most this many rows, newest or oldest first.
LIST_LIMIT = 200

UNKNOWN_NATIONALITY = ""  # shown as "—"; kept as its own group, never merged into another


# --------------------------------------------------------------------------------------------
# Scope
# --------------------------------------------------------------------------------------------


def _oversee_people(actor: Actor, *, include_merged: bool = True) -> QuerySet[Person]:
    """The people the actor's ``screening.oversee`` grant reaches (among those they may see).

    Decisions on records later merged into another still count for their officer, so merged
    records are included unless asked otherwise.
    """
    policy.require(actor, "screening", "oversee")
    return policy.people_for(actor, "screening", "oversee", include_merged=include_merged)


# --------------------------------------------------------------------------------------------
# Queue
# --------------------------------------------------------------------------------------------


def percentile(values: list, q: float):
    """Nearest-rank percentile of ``values`` (0 < q <= 100); None for an empty list."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n*q/100), at least 1
    return ordered[int(rank) - 1]


def median(values: list):
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


@dataclass
class WaitStats:
    label: str  # facility name, or "" when the person is not placed anywhere
    count: int
    median_days: float | None
    p90_days: int | None
    max_days: int | None


@dataclass
class QueueSummary:
    total: WaitStats
    by_facility: list[WaitStats]


def _wait_stats(label: str, days: list[int]) -> WaitStats:
    return WaitStats(label, len(days), median(days), percentile(days, 90), max(days) if days else None)


def _queue(actor: Actor) -> QueueSummary:
    decided = Screening.objects.filter(person=OuterRef("pk"), status__in=[ScreeningStatus.DECIDED,
                                                                          ScreeningStatus.AWAITING_REVIEW])
    started = Screening.objects.filter(person=OuterRef("pk"), status=ScreeningStatus.IN_PROGRESS)
    waiting = (_oversee_people(actor, include_merged=False)
               .annotate(decided=Exists(decided), started=Exists(started))
               .filter(decided=False)
               .filter(Q(status=PersonStatus.AWAITING_SCREENING) | Q(started=True))
               .values_list("created_at", "current_facility__name"))
    now = timezone.now()
    every: list[int] = []
    by_facility: dict[str, list[int]] = defaultdict(list)
    for created_at, facility in waiting:
        days = (now - created_at) // timedelta(days=1)
        every.append(days)
        by_facility[facility or ""].append(days)
    rows = sorted((_wait_stats(name, days) for name, days in by_facility.items()),
                  key=lambda r: (-(r.max_days or 0), r.label))
    return QueueSummary(total=_wait_stats("", every), by_facility=rows)


# --------------------------------------------------------------------------------------------
# Throughput
# --------------------------------------------------------------------------------------------


@dataclass
class OfficerThroughput:
    officer: str
    last_7_days: int
    last_30_days: int
    total: int
    followed: int  # of the total, how many followed the recommendation

    @property
    def followed_percent(self) -> int | None:
        return round(100 * self.followed / self.total) if self.total else None


def _decisions(actor: Actor) -> QuerySet[Decision]:
    return Decision.objects.filter(screening__person__in=_oversee_people(actor).values("id"))


def _throughput(actor: Actor) -> list[OfficerThroughput]:
    now = timezone.now()
    rows = (_decisions(actor).values("decided_by__username")
            .annotate(total=Count("id"),
                      last_7=Count("id", filter=Q(created_at__gte=now - timedelta(days=7))),
                      last_30=Count("id", filter=Q(created_at__gte=now - timedelta(days=30))),
                      followed=Count("id", filter=Q(follows_recommendation=True)))
            .order_by("decided_by__username"))
    return [OfficerThroughput(r["decided_by__username"], r["last_7"], r["last_30"], r["total"], r["followed"])
            for r in rows]


# --------------------------------------------------------------------------------------------
# Outcomes given the same recommendation (bias monitor)
# --------------------------------------------------------------------------------------------


@dataclass
class OutcomeCell:
    group: str  # officer username or nationality (alpha-3; "" unknown)
    decisions: int
    outcomes: dict  # outcome value -> count, every Outcome value present
    overrides: int
    flagged: bool = False

    @property
    def override_percent(self) -> float:
        return 100 * self.overrides / self.decisions if self.decisions else 0.0

    @property
    def outcome_counts(self) -> list[int]:
        """Counts in the order of ``Outcome.values`` (for templates)."""
        return [self.outcomes[o] for o in Outcome.values]


@dataclass
class RecommendationOutcomes:
    recommendation: str
    label: str
    overall: OutcomeCell
    by_officer: list[OutcomeCell] = field(default_factory=list)
    by_nationality: list[OutcomeCell] = field(default_factory=list)

    @property
    def flagged(self) -> list[OutcomeCell]:
        return [c for c in (*self.by_officer, *self.by_nationality) if c.flagged]


def current_decisions(decisions: QuerySet[Decision]) -> list[Decision]:
    """The newest decision of each screening that has not been superseded."""
    newest: dict = {}
    for d in (decisions.exclude(screening__status=ScreeningStatus.SUPERSEDED)
              .select_related("evaluation", "decided_by", "screening__person")
              .order_by("screening_id", "-created_at")):
        newest.setdefault(d.screening_id, d)
    return list(newest.values())


def is_flagged(cell: OutcomeCell, overall: OutcomeCell) -> bool:
    return (cell.decisions >= FLAG_MIN_DECISIONS
            and abs(cell.override_percent - overall.override_percent) > FLAG_DIFFERENCE_POINTS)


def _cell(group: str, decisions: list[Decision]) -> OutcomeCell:
    counts = Counter(d.outcome for d in decisions)
    return OutcomeCell(group=group, decisions=len(decisions), outcomes={o: counts.get(o, 0) for o in Outcome.values},
                       overrides=sum(1 for d in decisions if not d.follows_recommendation))


def outcomes_table(decisions: list[Decision]) -> list[RecommendationOutcomes]:
    """Group current decisions by recommendation, then by officer and by nationality."""
    by_recommendation: dict[str, list[Decision]] = defaultdict(list)
    for d in decisions:
        by_recommendation[d.evaluation.recommendation].append(d)
    table = []
    for value, label in Recommendation.choices:
        found = by_recommendation.get(value, [])
        if not found:
            continue
        overall = _cell("", found)
        officers: dict[str, list[Decision]] = defaultdict(list)
        nationalities: dict[str, list[Decision]] = defaultdict(list)
        for d in found:
            officers[d.decided_by.get_username()].append(d)
            nationalities[d.screening.person.primary_nationality or UNKNOWN_NATIONALITY].append(d)
        entry = RecommendationOutcomes(value, str(label), overall)
        for groups, target in ((officers, entry.by_officer), (nationalities, entry.by_nationality)):
            for name in sorted(groups):
                cell = _cell(name, groups[name])
                cell.flagged = is_flagged(cell, overall)
                target.append(cell)
        table.append(entry)
    return table


# --------------------------------------------------------------------------------------------
# Overrides and pending reviews
# --------------------------------------------------------------------------------------------


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class _Labels:
    """Display labels for the stored values (templates cannot look choices up)."""

    @property
    def recommendation_label(self) -> str:
        return _label(Recommendation, self.recommendation)

    @property
    def outcome_label(self) -> str:
        return _label(Outcome, self.outcome)


@dataclass
class OverrideRow(_Labels):
    decided_at: object
    person_id: object
    person_reference: str
    officer: str
    recommendation: str
    outcome: str
    reason: str  # the officer's justification (not a statement of the person)
    review_status: str
    current: bool  # the screening's current decision (not returned, revised or superseded since)

    @property
    def review_label(self) -> str:
        return _label(ReviewStatus, self.review_status)


def _overrides(actor: Actor) -> tuple[list[OverrideRow], int]:
    found = (_decisions(actor).filter(follows_recommendation=False)
             .select_related("evaluation", "decided_by", "screening__person").order_by("-created_at"))
    total = found.count()
    rows = list(found[:LIST_LIMIT])
    newest = {}
    for screening_id, decision_id, status in (Decision.objects.filter(screening_id__in={d.screening_id for d in rows})
                                              .order_by("screening_id", "-created_at")
                                              .values_list("screening_id", "id", "screening__status")):
        newest.setdefault(screening_id, (decision_id, status))
    out = []
    for d in rows:
        current_id, status = newest.get(d.screening_id, (None, None))
        out.append(OverrideRow(
            decided_at=d.created_at, person_id=d.screening.person_id, person_reference=d.screening.person.reference,
            officer=d.decided_by.get_username(), recommendation=d.evaluation.recommendation, outcome=d.outcome,
            reason=d.reason, review_status=d.review_status,
            current=current_id == d.pk and status != ScreeningStatus.SUPERSEDED,
        ))
    return out, total


@dataclass
class PendingReview(_Labels):
    decided_at: object
    person_id: object
    person_reference: str
    officer: str
    recommendation: str
    outcome: str
    because: str
    waiting_days: int


@dataclass
class PendingReviews:
    rows: list[PendingReview]
    total: int
    median_days: float | None
    max_days: int | None


def _pending_reviews(actor: Actor) -> PendingReviews:
    found = (_decisions(actor).filter(review_status=ReviewStatus.PENDING)
             .select_related("evaluation", "decided_by", "screening__person").order_by("created_at"))
    now = timezone.now()
    every = [(now - created) // timedelta(days=1) for created in found.values_list("created_at", flat=True)]
    rows = [PendingReview(
        decided_at=d.created_at, person_id=d.screening.person_id, person_reference=d.screening.person.reference,
        officer=d.decided_by.get_username(), recommendation=d.evaluation.recommendation, outcome=d.outcome,
        because=d.review_required_because, waiting_days=(now - d.created_at) // timedelta(days=1),
    ) for d in found[:LIST_LIMIT]]
    return PendingReviews(rows, len(every), median(every), max(every) if every else None)


# --------------------------------------------------------------------------------------------
# Public selectors
# --------------------------------------------------------------------------------------------


def _audit(actor: Actor, section: str, counts: dict, person_ids=()) -> None:
    drafts = [EventDraft(AuditEventType.SCREENING_OVERSIGHT_VIEWED, "screening_oversight", section,
                         extra={"section": section, **counts})]
    shown = {"section": section}
    drafts += [EventDraft(AuditEventType.SCREENING_OVERSIGHT_VIEWED, "screening_oversight", section, pid, extra=shown)
               for pid in dict.fromkeys(person_ids)]
    audit.record_many(actor, drafts)


def queue_summary(actor: Actor) -> QueueSummary:
    """How many people wait for screening and for how long, overall and by facility."""
    summary = _queue(actor)
    _audit(actor, "queue", {"waiting": summary.total.count})
    return summary


def throughput(actor: Actor) -> list[OfficerThroughput]:
    """Decisions per officer in the last 7 and 30 days and in all, with how many followed the
    recommendation."""
    rows = _throughput(actor)
    _audit(actor, "throughput", {"officers": len(rows)})
    return rows


def outcomes(actor: Actor) -> list[RecommendationOutcomes]:
    """Outcomes per officer and per nationality for each recommendation, with flags."""
    table = outcomes_table(current_decisions(_decisions(actor)))
    _audit(actor, "outcomes", {"decisions": sum(e.overall.decisions for e in table),
                               "flagged": sum(len(e.flagged) for e in table)})
    return table


def overrides(actor: Actor) -> tuple[list[OverrideRow], int]:
    """Decisions that departed from the recommendation, newest first (at most LIST_LIMIT), and
    how many there are in all."""
    rows, total = _overrides(actor)
    _audit(actor, "overrides", {"shown": len(rows), "total": total}, [r.person_id for r in rows])
    return rows, total


def pending_reviews(actor: Actor) -> PendingReviews:
    """Decisions waiting for a second review (A.7.6), longest wait first."""
    found = _pending_reviews(actor)
    _audit(actor, "reviews", {"shown": len(found.rows), "total": found.total}, [r.person_id for r in found.rows])
    return found


@dataclass
class Overview:
    queue: QueueSummary
    throughput: list[OfficerThroughput]
    outcomes: list[RecommendationOutcomes]
    overrides: list[OverrideRow]
    overrides_total: int
    reviews: PendingReviews


def overview(actor: Actor) -> Overview:
    """Every section for the oversight page, audited as one page view (plus one event per person
    named in the lists)."""
    queue = _queue(actor)
    officers = _throughput(actor)
    table = outcomes_table(current_decisions(_decisions(actor)))
    override_rows, override_total = _overrides(actor)
    reviews = _pending_reviews(actor)
    _audit(actor, "overview", {
        "waiting": queue.total.count, "officers": len(officers),
        "decisions": sum(e.overall.decisions for e in table), "flagged": sum(len(e.flagged) for e in table),
        "overrides": override_total, "reviews": reviews.total,
    }, [r.person_id for r in override_rows] + [r.person_id for r in reviews.rows])
    return Overview(queue, officers, table, override_rows, override_total, reviews)
