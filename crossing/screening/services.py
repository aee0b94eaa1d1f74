"""Screening writes (spec A.7): interviews, evaluations, decisions and their second review, age
verification, the MDT's identification, non-punishment holds, suspect records, child referrals.

Every write checks the actor's grant on the person through the access layer and is audited with
the person's id. Audit rows name codes and outcomes only, never what a person said.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.screening import catalogue as catalogue_mod
from analytics.screening import engine
from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import person_for, refused, service
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.registry.models import Person
from crossing.screening.evaluation import evaluate_record, record_of
from crossing.screening.models import (
    AgeBasis,
    AllegedAct,
    AnswerStatus,
    ChildProtectionReferral,
    Coercion,
    DirectConsequence,
    Evaluation,
    EvidenceSource,
    ExploitationType,
    Identification,
    IndicatorAnswer,
    MdtStatus,
    NonPunishmentHold,
    Outcome,
    ParticipationAnswer,
    ReferralStatus,
    ReviewStatus,
    Screening,
    ScreeningStatus,
    SuspectRecord,
)

# The outcome that follows each recommendation, and how far towards investigation each stands.
FOLLOWS = {
    engine.PRESUMED_VICTIM: Outcome.REFER_AS_POSSIBLE_VICTIM,
    engine.NEEDS_FULL_INTERVIEW: Outcome.FULL_INTERVIEW,
    engine.SUSPECT: Outcome.REFER_TO_INVESTIGATION,
}
_TOWARDS_INVESTIGATION = {
    Outcome.REFER_AS_POSSIBLE_VICTIM: 0,
    Outcome.FULL_INTERVIEW: 1,
    Outcome.REFER_TO_INVESTIGATION: 2,
}
VICTIM_SIDE_OUTCOMES = (Outcome.REFER_AS_POSSIBLE_VICTIM, Outcome.FULL_INTERVIEW)


def _screening_for(actor: Actor, screening_id, action: str) -> Screening:
    try:
        screening = Screening.objects.select_related("person").get(pk=screening_id)
    except (Screening.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise refused(NotFound(), actor, "screening", screening_id, None, f"screening.{action}") from None
    person_for(actor, screening.person_id, "screening", action)
    return screening


def _choice(value, choices, field: str):
    if value not in choices.values:
        raise ValidationFailed(_("%(field)s: %(value)s is not a valid choice.") % {"field": field, "value": value},
                               extra={"errors": [{"field": field, "message": "invalid choice"}]})
    return value


# --------------------------------------------------------------------------------------------
# The interview
# --------------------------------------------------------------------------------------------


def _details(screening: Screening, details: dict) -> list[str]:
    changed = []
    if "interview_language" in details:
        screening.interview_language = str(details["interview_language"] or "")[:16]
        changed.append("interview_language")
    if "interpreter_language" in details:
        screening.interpreter_language = str(details["interpreter_language"] or "")[:16]
        changed.append("interpreter_language")
    if "interpreter_qualified" in details:
        value = details["interpreter_qualified"]
        if value not in (True, False, None):
            raise ValidationFailed(_("interpreter_qualified must be yes, no or unknown."))
        screening.interpreter_qualified = value
        changed.append("interpreter_qualified")
    if "location" in details:
        screening.location = str(details["location"] or "")[:200]
        changed.append("location")
    if "age" in details:
        age = details["age"]
        if age in ("", None):
            age = None
        else:
            try:
                age = int(age)
            except (TypeError, ValueError):
                raise ValidationFailed(_("age: a whole number of years, or empty when unknown.")) from None
            if not 0 <= age <= 120:
                raise ValidationFailed(_("age: a whole number of years, or empty when unknown."))
        screening.age = age
        changed.append("age")
    if "age_basis" in details:
        screening.age_basis = _choice(details["age_basis"] or AgeBasis.UNKNOWN, AgeBasis, "age_basis")
        changed.append("age_basis")
    if "possible_minor" in details:
        # The registry's minor flag keeps the presumption: only a verified age ends it (A.7.7).
        screening.possible_minor = bool(details["possible_minor"]) or screening.person.is_minor
        changed.append("possible_minor")
    if "exploitation_type" in details:
        screening.exploitation_type = _choice(details["exploitation_type"] or ExploitationType.UNKNOWN,
                                              ExploitationType, "exploitation_type")
        changed.append("exploitation_type")
    if "willing_to_testify" in details:
        # NP-5: stored because practitioners ask for it; no rule reads it.
        screening.willing_to_testify = details["willing_to_testify"]
        changed.append("willing_to_testify")
    if screening.age is not None and screening.age_basis == AgeBasis.UNKNOWN:
        screening.age_basis = AgeBasis.CLAIMED  # an age someone gave us has at least been claimed
    return changed


@service
def start_screening(*, actor: Actor, person_id, details: dict | None = None) -> Screening:
    """Start a screening, or return the one in progress (save and resume). A person whose last
    screening was decided gets a new one that supersedes it: the history stays whole."""
    person = person_for(actor, person_id, "screening", "conduct")
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one start at a time per person
    current = Screening.objects.filter(person=person).exclude(status=ScreeningStatus.SUPERSEDED).first()
    if current is not None and current.status in (ScreeningStatus.IN_PROGRESS, ScreeningStatus.AWAITING_REVIEW):
        return current
    membership = actor.memberships[0] if actor.memberships else None
    if membership is None:
        raise PermissionDeniedError(_("You have no agency."))
    screening = Screening(
        person=person, started_by=actor.user, agency_id=membership.agency_id,
        registry_version=catalogue_mod.DEFAULT_VERSION, supersedes=current,
    )
    if person.age_estimate is not None and not (details and "age" in details):
        screening.age = person.age_estimate
        screening.age_basis = AgeBasis.CLAIMED
    screening.possible_minor = person.is_minor
    _details(screening, details or {})
    screening.save()
    if current is not None:
        current.status = ScreeningStatus.SUPERSEDED
        current.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.SCREENING_STARTED, subject_type="screening", subject_id=screening.pk,
                 person_id=person.pk, extra={"rescreening": current is not None})
    return screening


def _editable(actor: Actor, screening_id) -> Screening:
    screening = _screening_for(actor, screening_id, "conduct")
    if screening.status != ScreeningStatus.IN_PROGRESS:
        raise ValidationFailed(_("This screening is no longer open for answers."))
    return screening


@service
def save_answers(*, actor: Actor, screening_id, details: dict | None = None, answers: dict | None = None,
                 participation: dict | None = None) -> Evaluation:
    """Save interview details and any number of answers, then evaluate and store the evaluation.

    ``answers``: code -> {status, evidence_source, note, provisional}; ``participation``: code ->
    {present (True/False/None), explained_by_coercion, evidence_source, note}.
    """
    screening = _editable(actor, screening_id)
    catalogue = catalogue_mod.load(screening.registry_version)
    changed = _details(screening, details or {})
    if changed:
        screening.save(update_fields=[*changed, "updated_at"])
    codes: list[str] = []
    for code, raw in (answers or {}).items():
        if code not in catalogue.indicators:
            raise ValidationFailed(_("answers.%(code)s: not an indicator of this questionnaire.") % {"code": code})
        status = _choice(raw.get("status") or AnswerStatus.UNKNOWN, AnswerStatus, f"answers.{code}.status")
        source = raw.get("evidence_source") or ""
        if source:
            _choice(source, EvidenceSource, f"answers.{code}.evidence_source")
        IndicatorAnswer.objects.update_or_create(
            screening=screening, code=code,
            defaults={"status": status, "evidence_source": source, "note": str(raw.get("note") or "")[:4000],
                      "provisional": bool(raw.get("provisional")), "answered_by": actor.user},
        )
        codes.append(code)
    for code, raw in (participation or {}).items():
        if code not in catalogue.participation:
            raise ValidationFailed(_("participation.%(code)s: not a participation item of this questionnaire.")
                                   % {"code": code})
        present = raw.get("present")
        if present not in (True, False, None):
            raise ValidationFailed(_("participation.%(code)s.present: yes, no or unknown.") % {"code": code})
        coercion = _choice(raw.get("explained_by_coercion") or Coercion.UNKNOWN, Coercion,
                           f"participation.{code}.explained_by_coercion")
        source = raw.get("evidence_source") or ""
        if source:
            _choice(source, EvidenceSource, f"participation.{code}.evidence_source")
        ParticipationAnswer.objects.update_or_create(
            screening=screening, code=code,
            defaults={"present": present, "explained_by_coercion": coercion, "evidence_source": source,
                      "note": str(raw.get("note") or "")[:4000], "answered_by": actor.user},
        )
        codes.append(code)
    evaluation = _store_evaluation(actor, screening, trigger="answers")
    # The count only: which codes were answered, and how, is case content (auditors see no content).
    audit.record(actor, AuditEventType.SCREENING_ANSWERED, subject_type="screening", subject_id=screening.pk,
                 person_id=screening.person_id, extra={"answers": len(codes), "evaluation": evaluation.pk})
    return evaluation


def _store_evaluation(actor: Actor, screening: Screening, *, trigger: str) -> Evaluation:
    """Evaluate the stored answers; store the evaluation unless it repeats the last one exactly."""
    record = record_of(screening)
    if trigger == "answers":  # a save that changed no input (a note, say) repeats nothing
        last = screening.evaluations.order_by("-created_at", "-id").first()
        if last is not None and (last.trigger, last.inputs, last.engine_version) == (
                trigger, record, engine.ENGINE_VERSION):
            return last
    explanation = evaluate_record(record, screening.registry_version)
    evaluation = Evaluation.objects.create(
        screening=screening, created_by=actor.user, trigger=trigger, inputs=record,
        engine_version=explanation["engine_version"], registry_version=explanation["registry_version"],
        explanation=explanation, rule=explanation["rule"], recommendation=explanation["recommendation"],
    )
    if explanation["non_punishment_hold"]:
        # NP-3: presumed_victim, and needs_full_interview while pending, protect the person from the
        # first evaluation that says so; the hold is sticky (NP-4).
        _open_hold(actor, screening.person, f"screening:{evaluation.recommendation}", screening)
    return evaluation


# --------------------------------------------------------------------------------------------
# The decision and its second review (A.7.6)
# --------------------------------------------------------------------------------------------


def review_reason(recommendation: str, outcome: str) -> str:
    """Why a decision needs a second reviewer, or "" when it does not (A.7.6)."""
    if outcome == Outcome.REFER_TO_INVESTIGATION:
        return "referral_to_investigation"
    if _TOWARDS_INVESTIGATION[outcome] > _TOWARDS_INVESTIGATION[FOLLOWS[recommendation]]:
        return "override_towards_investigation"
    return ""


def presumed_child(screening: Screening, evaluation: Evaluation) -> bool:
    """NP-10: a child or a presumed child: the child rule R1 applied, the officer ticked "may be a
    child", the registry flags a minor, or the registry's birth date allows an age under 18 today."""
    person = screening.person
    return (evaluation.rule == "R1" or screening.possible_minor or person.is_minor
            or person.could_be_a_child(timezone.localdate()))


@service
def decide(*, actor: Actor, screening_id, outcome: str, reason: str = "", participation_findings: str = ""):
    """Record the officer's outcome against a fresh evaluation of the stored answers."""
    from crossing.screening.models import Decision

    screening = _screening_for(actor, screening_id, "decide")
    if screening.status not in (ScreeningStatus.IN_PROGRESS, ScreeningStatus.DECIDED):
        raise ValidationFailed(_("This screening is waiting for its second review."))
    _choice(outcome, Outcome, "outcome")
    evaluation = _store_evaluation(actor, screening, trigger="decision")
    if screening.status == ScreeningStatus.DECIDED:
        # A decided screening is decided again only when its recommendation changed since (age
        # verification, A.7.7); otherwise a new view of the person needs a re-screening.
        last = screening.decisions.first()
        if last is not None and last.evaluation.recommendation == evaluation.recommendation:
            raise ValidationFailed(_("This screening is decided. Start a re-screening to reconsider it."))
    if outcome == Outcome.REFER_TO_INVESTIGATION and presumed_child(screening, evaluation):
        # NP-10: never towards investigation for a child or a presumed child; verify the age first.
        raise ValidationFailed(_("A child, or a person who may be a child, is not referred to investigation. "
                                 "Verify the age first."))
    follows = FOLLOWS[evaluation.recommendation] == outcome
    reason = reason.strip()
    if not follows and not reason:
        raise ValidationFailed(_("Give the reason for departing from the recommendation."),
                               extra={"errors": [{"field": "reason", "message": "required"}]})
    needs_review = review_reason(evaluation.recommendation, outcome)
    decision = Decision.objects.create(
        screening=screening, evaluation=evaluation, outcome=outcome, follows_recommendation=follows,
        reason=reason[:4000], participation_findings=participation_findings.strip()[:4000], decided_by=actor.user,
        review_status=ReviewStatus.PENDING if needs_review else ReviewStatus.NOT_REQUIRED,
        review_required_because=needs_review,
    )
    screening.status = ScreeningStatus.AWAITING_REVIEW if needs_review else ScreeningStatus.DECIDED
    screening.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.SCREENING_DECIDED, subject_type="screening", subject_id=screening.pk,
                 person_id=screening.person_id,
                 extra={"evaluation": evaluation.pk, "follows": follows, "review": bool(needs_review)})
    # NP-3: a victim-side recommendation or outcome protects the person from now on, also while a
    # referral to investigation waits for its review.
    if outcome in VICTIM_SIDE_OUTCOMES or evaluation.recommendation != engine.SUSPECT:
        _open_hold(actor, screening.person, f"screening:{outcome}", screening)
    if evaluation.rule == "R1":
        _child_referral(actor, screening)
    return decision


@service
def review(*, actor: Actor, decision_id, confirm: bool, note: str = ""):
    """The second reviewer confirms the decision or returns it to the officer (with a note)."""
    from crossing.screening.models import Decision

    try:
        decision = Decision.objects.select_related("screening").get(pk=decision_id)
    except (Decision.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise refused(NotFound(), actor, "decision", decision_id, None, "screening.review") from None
    screening = _screening_for(actor, decision.screening_id, "review")
    if decision.review_status != ReviewStatus.PENDING:
        raise ValidationFailed(_("This decision is not waiting for review."))
    if decision.decided_by_id == actor.user.pk:
        raise PermissionDeniedError(_("A second reviewer must be someone other than the officer who decided."))
    note = note.strip()
    if not confirm and not note:
        raise ValidationFailed(_("Say why the decision goes back to the officer."))
    decision.review_status = ReviewStatus.CONFIRMED if confirm else ReviewStatus.RETURNED
    decision.reviewed_by = actor.user
    decision.reviewed_at = timezone.now()
    decision.review_note = note[:4000]
    decision.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    screening.status = ScreeningStatus.DECIDED if confirm else ScreeningStatus.IN_PROGRESS
    screening.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditEventType.SCREENING_REVIEWED, subject_type="screening", subject_id=screening.pk,
                 person_id=screening.person_id, extra={"confirmed": confirm, "decision": str(decision.pk)})
    return decision


@service
def verify_age(*, actor: Actor, screening_id, age: int, basis: str = AgeBasis.DOCUMENT) -> Evaluation:
    """A.7.7: age verified later. The answers are re-evaluated with the verified age; the earlier
    evaluation (R1) stays next to the new one, so both results are on record."""
    screening = _screening_for(actor, screening_id, "decide")
    if basis not in (AgeBasis.DOCUMENT, AgeBasis.ASSESSED):
        # A claimed age verifies nothing: the child presumption lasts until a document or an
        # assessment settles the age (A.7.7).
        raise ValidationFailed(_("An age is verified by a document or an age assessment."))
    if screening.status in (ScreeningStatus.SUPERSEDED, ScreeningStatus.AWAITING_REVIEW):
        raise ValidationFailed(_("Record the verified age on the current screening, once no decision waits "
                                 "for review."))
    try:
        age = int(age)
    except (TypeError, ValueError):
        raise ValidationFailed(_("age: a whole number of years.")) from None
    if not 0 <= age <= 120:
        raise ValidationFailed(_("age: a whole number of years."))
    screening.age, screening.age_basis, screening.possible_minor = age, basis, False
    screening.save(update_fields=["age", "age_basis", "possible_minor", "updated_at"])
    evaluation = _store_evaluation(actor, screening, trigger="age_verified")
    audit.record(actor, AuditEventType.AGE_VERIFIED, subject_type="screening", subject_id=screening.pk,
                 person_id=screening.person_id, extra={"basis": basis, "evaluation": evaluation.pk})
    return evaluation


# --------------------------------------------------------------------------------------------
# Formal identification, holds, the suspect role, children
# --------------------------------------------------------------------------------------------


@service
def record_identification(*, actor: Actor, person_id, status: str, decided_on: date, team: str,
                          reasons: str) -> Identification:
    """The MDT's formal identification, stored apart from screening as the authoritative status.
    "Not identified" leaves any hold in place (NP-4): lifting it is a separate, reasoned act."""
    person = person_for(actor, person_id, "screening", "identify")
    _choice(status, MdtStatus, "status")
    if not team.strip() or not reasons.strip():
        raise ValidationFailed(_("Name the team and give its reasons."))
    if decided_on > timezone.localdate():
        raise ValidationFailed(_("The decision date cannot be in the future."))
    identification = Identification.objects.create(
        person=person, status=status, decided_on=decided_on, team=team.strip()[:300], reasons=reasons.strip(),
        recorded_by=actor.user,
    )
    audit.record(actor, AuditEventType.IDENTIFICATION_RECORDED, subject_type="identification",
                 subject_id=identification.pk, person_id=person.pk, extra={"status": status})
    if status == MdtStatus.IDENTIFIED_VICTIM:
        _open_hold(actor, person, "mdt:identified_victim", None)
    return identification


def active_hold(person_id) -> NonPunishmentHold | None:
    return NonPunishmentHold.objects.filter(person_id=person_id, lifted_at__isnull=True).order_by("created_at").first()


def _open_hold(actor: Actor, person: Person, basis: str, screening: Screening | None) -> NonPunishmentHold:
    hold = active_hold(person.pk)
    if hold is not None:
        return hold
    hold = NonPunishmentHold.objects.create(person=person, opened_by=actor.user, basis=basis, screening=screening)
    audit.record(actor, AuditEventType.HOLD_OPENED, subject_type="hold", subject_id=hold.pk, person_id=person.pk,
                 extra={"basis": basis})
    return hold


@service
def lift_hold(*, actor: Actor, hold_id, reason: str) -> NonPunishmentHold:
    try:
        hold = NonPunishmentHold.objects.select_for_update().get(pk=hold_id)
    except (NonPunishmentHold.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise refused(NotFound(), actor, "hold", hold_id, None, "screening.lift_hold") from None
    person_for(actor, hold.person_id, "screening", "lift_hold")
    if hold.lifted_at is not None:
        raise ValidationFailed(_("This hold was already lifted."))
    if not reason.strip():
        raise ValidationFailed(_("Lifting a non-punishment hold needs a written reason."))
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), actor.user, reason.strip()[:4000]
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    audit.record(actor, AuditEventType.HOLD_LIFTED, subject_type="hold", subject_id=hold.pk, person_id=hold.person_id)
    return hold


def override_hold(*, actor: Actor, person_id, action: str, reason: str):
    """NP-3: an action against a person under hold needs a written reason, which is audited.
    Returns the override, or None when the person has no active hold. Call inside the action's
    transaction so the action and its override stand or fall together."""
    from crossing.screening.models import HoldOverride

    hold = active_hold(person_id)
    if hold is None:
        return None
    if not (reason or "").strip():
        raise ValidationFailed(_("This person is under a non-punishment hold: give a written reason to proceed."),
                               extra={"errors": [{"field": "hold_override_reason", "message": "required"}]})
    override = HoldOverride.objects.create(hold=hold, action=action[:40], reason=reason.strip()[:4000], by=actor.user)
    audit.record(actor, AuditEventType.HOLD_OVERRIDDEN, subject_type="hold", subject_id=hold.pk, person_id=person_id,
                 extra={"action": action[:40]})
    return override


@service
def open_suspect_record(*, actor: Actor, person_id, acts: list[dict], summary: str = "",
                        hold_override_reason: str = "") -> SuspectRecord:
    """NP-6: the suspect role as its own record, citing each alleged act and whether it falls
    inside the direct-consequence test. The victim-side records are untouched."""
    person = person_for(actor, person_id, "suspect_record", "update")
    if not acts:
        raise ValidationFailed(_("List at least one alleged act."))
    cleaned = []
    for i, act in enumerate(acts, start=1):
        description = str(act.get("description") or "").strip()
        if not description:
            raise ValidationFailed(_("Alleged act %(n)s: describe the act.") % {"n": i})
        cleaned.append(AllegedAct(
            description=description[:300], offence=str(act.get("offence") or "")[:120],
            direct_consequence=_choice(act.get("direct_consequence") or DirectConsequence.UNDETERMINED,
                                       DirectConsequence, f"acts.{i}.direct_consequence"),
            reasoning=str(act.get("reasoning") or "")[:4000],
        ))
    override_hold(actor=actor, person_id=person.pk, action="suspect_record", reason=hold_override_reason)
    record = SuspectRecord.objects.create(person=person, agency_id=actor.memberships[0].agency_id,
                                          opened_by=actor.user, summary=summary.strip()[:4000])
    for act in cleaned:
        act.suspect_record = record
    AllegedAct.objects.bulk_create(cleaned)
    audit.record(actor, AuditEventType.SUSPECT_RECORD_OPENED, subject_type="suspect_record", subject_id=record.pk,
                 person_id=person.pk, extra={"acts": len(cleaned),
                                             "inside_direct_consequence": sum(a.direct_consequence == "inside"
                                                                              for a in cleaned)})
    return record


def _child_referral(actor: Actor, screening: Screening) -> ChildProtectionReferral:
    existing = ChildProtectionReferral.objects.filter(person_id=screening.person_id).exclude(
        status=ReferralStatus.CLOSED).first()
    if existing is not None:
        return existing
    referral = ChildProtectionReferral.objects.create(person_id=screening.person_id, screening=screening,
                                                      created_by=actor.user)
    audit.record(actor, AuditEventType.CHILD_REFERRAL_UPDATED, subject_type="child_referral", subject_id=referral.pk,
                 person_id=screening.person_id, extra={"status": referral.status, "opened": True})
    return referral


@service
def update_child_referral(*, actor: Actor, referral_id, fields: dict) -> ChildProtectionReferral:
    """Record where the child was referred and the guardian appointed (A.7.7)."""
    try:
        referral = ChildProtectionReferral.objects.get(pk=referral_id)
    except (ChildProtectionReferral.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise refused(NotFound(), actor, "child_referral", referral_id, None, "screening.conduct") from None
    try:
        person_for(actor, referral.person_id, "screening", "conduct")
    except PermissionDeniedError:
        person_for(actor, referral.person_id, "screening", "review")
    for name in ("referred_to", "guardian_name", "guardian_relationship", "guardian_agency", "note"):
        if name in fields:
            setattr(referral, name, str(fields[name] or "").strip()[:4000 if name == "note" else 200])
    if fields.get("guardian_appointed_on"):
        referral.guardian_appointed_on = fields["guardian_appointed_on"]
    if "status" in fields:
        referral.status = _choice(fields["status"], ReferralStatus, "status")
    if referral.status == ReferralStatus.GUARDIAN_APPOINTED and not (referral.guardian_name and
                                                                    referral.guardian_appointed_on):
        raise ValidationFailed(_("Name the guardian and the date of appointment."))
    referral.save()
    audit.record(actor, AuditEventType.CHILD_REFERRAL_UPDATED, subject_type="child_referral", subject_id=referral.pk,
                 person_id=referral.person_id, extra={"status": referral.status})
    return referral
