"""Screening records (spec A.7): the interview, every evaluation, the human decision, the MDT's
formal identification, the non-punishment hold, suspect records and child-protection referrals.

Compartments (NP-1): answers, participation, notes and stored evaluations are *statements* and are
read only through ``crossing.screening.selectors`` with the ``screening_statement`` grant, which
investigator and prosecutor roles do not hold. The outcome, the hold and the MDT status are not
statements: anyone who may see the person sees them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossing.core.models import BaseModel


class ScreeningStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Interview in progress")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting second review")
    DECIDED = "decided", _("Decided")
    SUPERSEDED = "superseded", _("Superseded by a later screening")


class AgeBasis(models.TextChoices):
    DOCUMENT = "document", _("Document")
    CLAIMED = "claimed", _("Claimed")
    ASSESSED = "assessed", _("Assessed")
    UNKNOWN = "unknown", _("Unknown")


class ExploitationType(models.TextChoices):
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    LABOUR_OTHER = "labour_other", _("Other labour exploitation")
    SEXUAL = "sexual", _("Sexual exploitation")
    MIXED = "mixed", _("Mixed")
    UNKNOWN = "unknown", _("Unknown")


class AnswerStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    UNKNOWN = "unknown", _("Unknown")


class EvidenceSource(models.TextChoices):
    SELF_REPORT = "self_report", _("Self-report")
    DOCUMENT = "document", _("Document")
    WITNESS = "witness", _("Witness")
    OBSERVATION = "observation", _("Observation")
    DEVICE = "device", _("Device")


class Coercion(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Recommendation(models.TextChoices):
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    NEEDS_FULL_INTERVIEW = "needs_full_interview", _("Needs a full interview")
    SUSPECT = "suspect", _("Suspect")


class Outcome(models.TextChoices):
    REFER_AS_POSSIBLE_VICTIM = "refer_as_possible_victim", _("Refer to the MDT as a possible victim")
    FULL_INTERVIEW = "full_interview", _("Full interview")
    REFER_TO_INVESTIGATION = "refer_to_investigation", _("Refer to investigation")


class ReviewStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned to the officer")


class Screening(BaseModel):
    """One screening interview of one person. A re-screening is a new row pointing at the one it
    supersedes; nothing of the earlier one is changed except its status."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="screenings")
    status = models.CharField(max_length=20, choices=ScreeningStatus.choices, default=ScreeningStatus.IN_PROGRESS,
                              db_index=True)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("access.Agency", on_delete=models.PROTECT, related_name="+")
    registry_version = models.CharField(max_length=64)
    interview_language = models.CharField(max_length=16, blank=True)
    interpreter_language = models.CharField(max_length=16, blank=True)
    interpreter_qualified = models.BooleanField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_basis = models.CharField(max_length=10, choices=AgeBasis.choices, default=AgeBasis.UNKNOWN)
    possible_minor = models.BooleanField(default=False)
    exploitation_type = models.CharField(max_length=20, choices=ExploitationType.choices,
                                         default=ExploitationType.UNKNOWN)
    # NP-5: may be recorded, never an input to any rule (the engine has no such parameter).
    willing_to_testify = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "-created_at"])]


class IndicatorAnswer(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=AnswerStatus.choices, default=AnswerStatus.UNKNOWN)
    evidence_source = models.CharField(max_length=12, choices=EvidenceSource.choices, blank=True)
    note = models.TextField(blank=True)
    provisional = models.BooleanField(default=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["screening", "code"], name="one_answer_per_code")]


class ParticipationAnswer(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="participation")
    code = models.CharField(max_length=8)
    present = models.BooleanField(null=True, blank=True)  # None: unknown
    explained_by_coercion = models.CharField(max_length=8, choices=Coercion.choices, default=Coercion.UNKNOWN)
    evidence_source = models.CharField(max_length=12, choices=EvidenceSource.choices, blank=True)
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["screening", "code"], name="one_participation_per_code")]


class Evaluation(models.Model):
    """One run of the rule engine, stored with exactly what went in (the ``crossing screening
    assess`` record format) and the versions, so the CLI reproduces it."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="evaluations")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(max_length=20)  # "decision", "age_verified", ...
    inputs = models.JSONField()
    engine_version = models.CharField(max_length=40)
    registry_version = models.CharField(max_length=64)
    explanation = models.JSONField()
    rule = models.CharField(max_length=4)
    recommendation = models.CharField(max_length=24, choices=Recommendation.choices)

    class Meta:
        ordering = ["created_at", "id"]


class Decision(BaseModel):
    """The screening officer's outcome for one evaluation, and its second review (A.7.6). A decision
    returned by the reviewer, or revised after age verification, stays; the newest one counts."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="decisions")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=28, choices=Outcome.choices)
    follows_recommendation = models.BooleanField()
    reason = models.TextField(blank=True)
    participation_findings = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_status = models.CharField(max_length=14, choices=ReviewStatus.choices, default=ReviewStatus.NOT_REQUIRED,
                                     db_index=True)
    review_required_because = models.CharField(max_length=40, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]


class MdtStatus(models.TextChoices):
    IDENTIFIED_VICTIM = "identified_victim", _("Identified as a victim of trafficking")
    NOT_IDENTIFIED = "not_identified", _("Not identified as a victim")
    DEFERRED = "deferred", _("Deferred: more information needed")


class Identification(BaseModel):
    """The multidisciplinary team's formal identification: the authoritative status (A.6, A.7.6).
    Kept apart from screening; the newest row is the person's status, earlier ones remain."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="identifications")
    status = models.CharField(max_length=20, choices=MdtStatus.choices)
    decided_on = models.DateField()
    team = models.CharField(max_length=300, help_text="The MDT members or agencies who decided.")
    reasons = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_on", "-created_at"]


class NonPunishmentHold(BaseModel):
    """NP-3/NP-4: set by a victim-side screening outcome or identification; lifted only by a named
    supervisor with a reason, never silently."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="holds")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=40)  # "screening:refer_as_possible_victim", "mdt:identified_victim", ...
    screening = models.ForeignKey(Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lift_reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "lifted_at"])]


class HoldOverride(BaseModel):
    """An action taken against a person under hold, with the written reason NP-3 requires."""

    hold = models.ForeignKey(NonPunishmentHold, on_delete=models.PROTECT, related_name="overrides")
    action = models.CharField(max_length=40)  # "suspect_record", "placement:immigration_detention"
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class SuspectRecord(BaseModel):
    """NP-6: the suspect role, a separate record linked to the same person; it never changes the
    victim-side records (screenings, identification, hold)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="suspect_records")
    agency = models.ForeignKey("access.Agency", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)


class DirectConsequence(models.TextChoices):
    INSIDE = "inside", _("Direct consequence of being trafficked")
    OUTSIDE = "outside", _("Outside the direct-consequence test")
    UNDETERMINED = "undetermined", _("Not yet determined")


class AllegedAct(models.Model):
    suspect_record = models.ForeignKey(SuspectRecord, on_delete=models.CASCADE, related_name="acts")
    description = models.CharField(max_length=300)
    offence = models.CharField(max_length=120, blank=True)
    direct_consequence = models.CharField(max_length=14, choices=DirectConsequence.choices,
                                          default=DirectConsequence.UNDETERMINED)
    reasoning = models.TextField(blank=True)


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Open")
    GUARDIAN_APPOINTED = "guardian_appointed", _("Guardian appointed")
    CLOSED = "closed", _("Closed")


class ChildProtectionReferral(BaseModel):
    """R1 / A.7.7: a child-protection task and the guardian appointment it leads to."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="child_referrals")
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="child_referrals")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.OPEN, db_index=True)
    referred_to = models.CharField(max_length=200, blank=True)
    guardian_name = models.CharField(max_length=200, blank=True)
    guardian_relationship = models.CharField(max_length=80, blank=True)
    guardian_agency = models.CharField(max_length=200, blank=True)
    guardian_appointed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
