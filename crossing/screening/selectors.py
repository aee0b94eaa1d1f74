"""Screening reads, scoped by the access layer.

Two levels (NP-1): the *status* of a person (non-punishment hold, latest outcome, MDT status) is
shown wherever the person appears, to anyone who may see them; the hold is shown even to roles
without the ``screening`` grant, because it protects the person. The *statements* (answers, notes,
participation, evaluations) are a compartment read only with ``screening_statement``; every such
read is audited and a refused one is audited as denied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from analytics.screening import catalogue as catalogue_mod
from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import NotFound
from crossing.registry.models import Person, PersonStatus
from crossing.screening.evaluation import evaluate_record, record_of
from crossing.screening.models import (
    ChildProtectionReferral,
    Decision,
    Identification,
    NonPunishmentHold,
    ReferralStatus,
    ReviewStatus,
    Screening,
    ScreeningStatus,
    SuspectRecord,
)


@dataclass
class PersonScreeningStatus:
    hold: NonPunishmentHold | None
    may_see_outcome: bool
    screening: Screening | None = None  # the current (not superseded) screening
    decision: Decision | None = None
    identification: Identification | None = None
    suspect_records: list = field(default_factory=list)
    child_referral: ChildProtectionReferral | None = None
    history: list = field(default_factory=list)  # earlier screenings with their decisions
    may_conduct: bool = False
    may_see_statements: bool = False
    may_identify: bool = False
    may_lift_hold: bool = False
    may_open_suspect_record: bool = False


def status_for(actor: Actor, person: Person) -> PersonScreeningStatus:
    """What the person page shows about screening (the person is already visible to the actor)."""
    hold = NonPunishmentHold.objects.filter(person=person, lifted_at__isnull=True).order_by("created_at").first()
    may_see = policy.may(actor, "screening", "view", person)
    status = PersonScreeningStatus(hold=hold, may_see_outcome=may_see)
    if not may_see:
        return status
    screenings = list(Screening.objects.filter(person=person).select_related("started_by").prefetch_related(
        "decisions__decided_by", "decisions__reviewed_by"))

    def newest_decision(screening):
        decisions = screening.decisions.all()  # prefetched, newest first
        return decisions[0] if decisions else None

    current = next((s for s in screenings if s.status != ScreeningStatus.SUPERSEDED), None)
    status.screening = current
    status.decision = newest_decision(current) if current is not None else None
    status.history = [(s, newest_decision(s)) for s in screenings if s is not current]
    status.identification = Identification.objects.filter(person=person).select_related("recorded_by").first()
    status.may_conduct = policy.may(actor, "screening", "conduct", person)
    status.may_see_statements = policy.may(actor, "screening_statement", "view", person)
    # The referral names the child's guardian: welfare data, for those who work the case only.
    if status.may_see_statements or status.may_conduct:
        status.child_referral = ChildProtectionReferral.objects.filter(person=person).order_by("-created_at").first()
    if policy.may(actor, "suspect_record", "view", person):
        status.suspect_records = list(SuspectRecord.objects.filter(person=person).prefetch_related("acts")
                                      .order_by("-created_at"))
    status.may_identify = policy.may(actor, "screening", "identify", person)
    status.may_lift_hold = policy.may(actor, "screening", "lift_hold", person)
    status.may_open_suspect_record = policy.may(actor, "suspect_record", "update", person)
    return status


def holds_for(person_ids) -> set:
    """The ids among ``person_ids`` under an active hold (for lists: one query)."""
    return set(NonPunishmentHold.objects.filter(person_id__in=list(person_ids), lifted_at__isnull=True)
               .values_list("person_id", flat=True))


@dataclass
class InterviewView:
    screening: Screening
    person: Person
    catalogue: object
    answers: dict  # code -> IndicatorAnswer
    participation: dict  # code -> ParticipationAnswer
    explanation: dict
    evaluations: list
    decisions: list
    may_edit: bool
    may_decide: bool
    may_review: bool


def _statement_screening(actor: Actor, screening_id) -> tuple[Screening, Person]:
    try:
        screening = Screening.objects.get(pk=screening_id)
    except (Screening.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None
    person = policy.access_person(actor, screening.person_id)
    if not policy.may(actor, "screening_statement", "view", person):
        audit.record(actor, AuditEventType.ACCESS_DENIED, subject_type="screening", subject_id=screening.pk,
                     person_id=person.pk, outcome="denied", extra={"compartment": "screening_statement"})
        raise NotFound()
    return screening, person


def interview(actor: Actor, screening_id, *, audit_read: bool = True) -> InterviewView:
    """The whole interview with its live explanation; a read of statements, audited."""
    screening, person = _statement_screening(actor, screening_id)
    catalogue = catalogue_mod.load(screening.registry_version)
    explanation = evaluate_record(record_of(screening), screening.registry_version)
    if audit_read:
        audit.record(actor, AuditEventType.SCREENING_VIEWED, subject_type="screening", subject_id=screening.pk,
                     person_id=person.pk)
    return InterviewView(
        screening=screening, person=person, catalogue=catalogue,
        answers={a.code: a for a in screening.answers.all()},
        participation={p.code: p for p in screening.participation.all()},
        explanation=explanation,
        evaluations=list(screening.evaluations.select_related("created_by").order_by("-created_at", "-id")),
        decisions=list(screening.decisions.select_related("decided_by", "reviewed_by", "evaluation")),
        may_edit=screening.status == ScreeningStatus.IN_PROGRESS and policy.may(actor, "screening", "conduct", person),
        may_decide=policy.may(actor, "screening", "decide", person),
        may_review=policy.may(actor, "screening", "review", person),
    )


def stored_inputs(actor: Actor) -> QuerySet:
    """Every stored evaluation whose statements the actor's ``screening_statement`` grant reaches,
    person by person (break-glass access does not open the compartment), for reproduction."""
    from crossing.screening.models import Evaluation

    if not actor.can("screening_statement", "view"):
        return Evaluation.objects.none()
    screened = policy.people(actor, "view", include_merged=True).filter(
        id__in=Screening.objects.values("person_id"))
    allowed = [p.pk for p in screened if policy.may(actor, "screening_statement", "view", p)]
    return Evaluation.objects.filter(screening__person_id__in=allowed).order_by("created_at", "id")


# --------------------------------------------------------------------------------------------
# Queues
# --------------------------------------------------------------------------------------------


@dataclass
class Waiting:
    person: Person
    since: object
    days: int
    screening: Screening | None


def awaiting_screening(actor: Actor, *, limit: int = 200) -> tuple[list[Waiting], int]:
    """People with no decided screening, longest wait first: those marked awaiting screening and
    those with an interview in progress. The wait runs from registration."""
    if not actor.can("screening", "conduct"):
        return [], 0
    decided = Screening.objects.filter(person=OuterRef("pk"), status__in=[ScreeningStatus.DECIDED,
                                                                          ScreeningStatus.AWAITING_REVIEW])
    started = Screening.objects.filter(person=OuterRef("pk"), status=ScreeningStatus.IN_PROGRESS)
    people = (policy.people(actor, "view")
              .annotate(decided=Exists(decided), started=Exists(started))
              .filter(decided=False)
              .filter(Q(status=PersonStatus.AWAITING_SCREENING) | Q(started=True))
              .order_by("created_at"))
    total = people.count()
    rows = list(people.select_related("current_facility")[:limit])
    in_progress = {s.person_id: s for s in Screening.objects.filter(person__in=[p.pk for p in rows],
                                                                    status=ScreeningStatus.IN_PROGRESS)}
    now = timezone.now()
    audit.record(actor, AuditEventType.PERSON_LISTED, subject_type="screening_queue",
                 extra={"count": len(rows), "total": total})
    return [Waiting(p, p.created_at, (now - p.created_at) // timedelta(days=1), in_progress.get(p.pk))
            for p in rows], total


def awaiting_review(actor: Actor) -> list[Decision]:
    """Decisions waiting for a second reviewer that the actor may review (not their own)."""
    if not actor.can("screening", "review"):
        return []
    pending = (Decision.objects.filter(review_status=ReviewStatus.PENDING)
               .exclude(decided_by=actor.user)
               .select_related("screening__person", "decided_by", "evaluation").order_by("created_at"))
    visible = set(policy.people(actor, "view").filter(
        pk__in=[d.screening.person_id for d in pending]).values_list("pk", flat=True))
    return [d for d in pending if d.screening.person_id in visible
            and policy.may(actor, "screening", "review", d.screening.person)]


def open_child_referrals(actor: Actor) -> list[ChildProtectionReferral]:
    if not (actor.can("screening", "conduct") or actor.can("screening", "review")):
        return []
    visible = policy.people(actor, "view")
    found = (ChildProtectionReferral.objects.exclude(status=ReferralStatus.CLOSED)
             .filter(person__in=visible.values("id")).select_related("person").order_by("created_at"))
    return [r for r in found if policy.may(actor, "screening", "conduct", r.person)
            or policy.may(actor, "screening", "review", r.person)]
