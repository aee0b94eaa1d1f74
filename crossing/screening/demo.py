"""Synthetic screenings for the demo: interviews answered after a few profiles drawn from the case
fixtures (deceived and held, coerced team leader, people who knew it was scam work and were then
held, willing recruiter, minors, incomplete interviews), decided by the screening officer persona and
reviewed by the supervisor persona, all through the services so the demo audit log is realistic.
Synthetic data only; the notes say so."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from analytics.screening import catalogue as catalogue_mod
from crossing.access.policy import actor_for
from crossing.registry.models import Person, PersonStatus
from crossing.screening import services

# (weight, present codes, unknown codes, participation, outcome override)
_PROFILES = [
    (40, ["DR01", "DR08", "EX01", "EX04", "CD01", "CD05", "CD14", "VD01", "VD02"], [], {}, None),
    (12, ["DR01", "DR02", "EX01", "EX02", "CD03", "CD05", "VD01"], [],
     {"PL01": {"present": True, "explained_by_coercion": "yes"}}, None),
    (10, ["DR01", "EX01", "EX04", "CD01", "CD05", "CD07"], [],
     {"PV01": {"present": True, "explained_by_coercion": "yes"}}, None),
    (16, ["DR01", "EX01"], ["CD*", "VD*"], {}, None),
    (8, [], [], {"PL02": {"present": True, "explained_by_coercion": "no"}}, None),
    (6, ["DR01", "DR08", "EX01", "EX04", "CD05", "CD14", "VD01", "VD02", "VD05"], [],
     {"PL01": {"present": True, "explained_by_coercion": "no"}}, "refer_to_investigation"),
    (8, ["EX01", "CD05"], ["DR*"], {}, None),
]
_NOTE = "Synthetic demo answer."


def _answers(catalogue, present, unknown) -> dict:
    unknown_dims = {u[:2] for u in unknown if u.endswith("*")}
    out = {}
    for code, ind in catalogue.indicators.items():
        if code in present:
            out[code] = {"status": "present", "evidence_source": "self_report", "note": _NOTE}
        elif ind.dimension in unknown_dims or code in unknown:
            continue  # left unknown, as in an interrupted interview
        else:
            out[code] = {"status": "absent"}
    return out


def load_demo_screenings(*, count: int, seed: int = 7) -> int:
    """Screen ``count`` people awaiting screening; leave about a tenth in progress or under review."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["screening.officer", "supervisor"])}
    if len(users) < 2:
        return 0
    officer, supervisor = actor_for(users["screening.officer"]), actor_for(users["supervisor"])
    rng = random.Random(seed)
    catalogue = catalogue_mod.load()
    # People further along (awaiting documents, scheduled, returned) were screened earlier; most of
    # those awaiting screening are left for the queue.
    screened_before = list(Person.objects.filter(
        status__in=[PersonStatus.AWAITING_DOCUMENTS, PersonStatus.SCHEDULED, PersonStatus.REPATRIATED],
        merged_into__isnull=True).order_by("reference")[: count * 3])
    waiting = list(Person.objects.filter(status=PersonStatus.AWAITING_SCREENING, merged_into__isnull=True)
                   .order_by("reference")[:count])
    rng.shuffle(screened_before)
    rng.shuffle(waiting)
    people = screened_before[: count - count // 10] + waiting[: count // 10]
    done = 0
    weights = [p[0] for p in _PROFILES]
    for person in people[:count]:
        _w, present, unknown, participation, override = rng.choices(_PROFILES, weights=weights)[0]
        details = {"interview_language": rng.choice(["zh", "en", "th", "my", "vi"]), "location": "Mae Sot"}
        if person.is_minor:
            details |= {"possible_minor": True, "age_basis": "claimed"}
        screening = services.start_screening(actor=officer, person_id=person.pk, details=details)
        services.save_answers(actor=officer, screening_id=screening.pk,
                              answers=_answers(catalogue, set(present), set(unknown)), participation=participation)
        done += 1
        if rng.random() < 0.08:
            continue  # an interview still in progress
        evaluation = screening.evaluations.order_by("-created_at", "-id").first()
        outcome = override or services.FOLLOWS[evaluation.recommendation]
        # Never towards investigation for a child or a presumed child (NP-10), as the service decides it.
        if outcome == "refer_to_investigation" and services.presumed_child(screening, evaluation):
            outcome = services.FOLLOWS[evaluation.recommendation]
        reason = "" if outcome == services.FOLLOWS[evaluation.recommendation] else \
            "Synthetic demo: leads a team and recruited others; for the MDT and a second review."
        decision = services.decide(actor=officer, screening_id=screening.pk, outcome=outcome, reason=reason)
        if decision.review_status == "pending" and rng.random() < 0.6:
            services.review(actor=supervisor, decision_id=decision.pk, confirm=True, note="")
    return done
