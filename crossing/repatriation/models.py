"""Repatriation (issue 5): a case per person with gated states, its holds and its history; travel
document requests to embassies; movements (flights, buses, land crossings)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossing.core.models import BaseModel
from crossing.repatriation import workflow


class CaseState(models.TextChoices):
    OPEN = workflow.OPEN, _("Open")
    COUNSELLED = workflow.COUNSELLED, _("Counselled")
    VOLUNTARINESS_CONFIRMED = workflow.VOLUNTARINESS_CONFIRMED, _("Voluntariness confirmed")
    RISK_ASSESSED = workflow.RISK_ASSESSED, _("Return risk assessed")
    TRAVEL_DOCUMENT_READY = workflow.TRAVEL_DOCUMENT_READY, _("Travel document ready")
    EXIT_CLEARED = workflow.EXIT_CLEARED, _("Exit clearance")
    FUNDED = workflow.FUNDED, _("Funded")
    FIT_TO_TRAVEL = workflow.FIT_TO_TRAVEL, _("Fit to travel")
    BOOKED = workflow.BOOKED, _("Booked on a movement")
    DEPARTED = workflow.DEPARTED, _("Departed")
    ARRIVED = workflow.ARRIVED, _("Arrived and handed over")
    CLOSED = workflow.CLOSED, _("Closed")
    WITHDRAWN = workflow.WITHDRAWN, _("Withdrawn")


class HoldReason(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    WITNESS = "witness", _("Held as a witness")
    LEGAL = "legal", _("Legal")
    EMBASSY_NOT_RESPONDING = "embassy_not_responding", _("Embassy not responding")
    FUNDING_REFUSED = "funding_refused", _("Funding refused")
    SECURITY = "security", _("Security")


class MovementKind(models.TextChoices):
    CHARTER = "charter", _("Charter flight")
    COMMERCIAL = "commercial", _("Commercial flight")
    MILITARY = "military", _("Military flight")
    BUS = "bus", _("Bus")
    LAND_CROSSING = "land_crossing", _("Land crossing")


class MovementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by an embassy")
    PLANNED = "planned", _("Planned")
    MANIFEST_OPEN = "manifest_open", _("Manifest open")
    MANIFEST_LOCKED = "manifest_locked", _("Manifest locked")
    DEPARTED = "departed", _("Departed")
    CANCELLED = "cancelled", _("Cancelled")


class Movement(BaseModel):
    kind = models.CharField(max_length=16, choices=MovementKind.choices)
    reference = models.CharField(max_length=40, unique=True)
    carrier = models.CharField(max_length=120, blank=True)
    origin = models.CharField(max_length=120, help_text="Where it leaves from, e.g. Mae Sot, Bangkok (BKK).")
    departs_at = models.DateTimeField(db_index=True)
    destinations = models.JSONField(default=list, help_text="ISO alpha-3 countries the movement serves.")
    capacity = models.PositiveIntegerField()
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=16, choices=MovementStatus.choices, default=MovementStatus.PLANNED)
    nominated_by = models.ForeignKey("access.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["departs_at", "reference"]


class RepatriationCase(BaseModel):
    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="repatriation")
    state = models.CharField(max_length=24, choices=CaseState.choices, default=CaseState.OPEN, db_index=True)
    state_since = models.DateTimeField()
    # When the case became fit to travel; kept when a booking is undone so the wait keeps counting.
    ready_since = models.DateTimeField(null=True, blank=True)
    destination = models.CharField(max_length=3, help_text="ISO alpha-3 country of return.")
    risk_level = models.CharField(max_length=8, blank=True)
    high_risk_accepted = models.BooleanField(default=False)
    receiving_agency = models.CharField(max_length=200, blank=True)
    funder = models.CharField(max_length=200, blank=True)
    # The pledge the return draws on (set at the "funded" gate); ``funder`` keeps its name for the record.
    pledge = models.ForeignKey("Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    escort = models.CharField(max_length=200, blank=True)
    # People who travel together (a family, co-workers who ask to): the planner books them together.
    travel_group = models.CharField(max_length=40, blank=True)
    movement = models.ForeignKey(Movement, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class CaseTransition(models.Model):
    """Every change of state, with who and why (append-only by convention; audited as well)."""

    case = models.ForeignKey(RepatriationCase, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=24, choices=CaseState.choices)
    to_state = models.CharField(max_length=24, choices=CaseState.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class CaseHold(BaseModel):
    case = models.ForeignKey(RepatriationCase, on_delete=models.CASCADE, related_name="holds")
    reason = models.CharField(max_length=24, choices=HoldReason.choices)
    note = models.TextField(blank=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lift_note = models.TextField(blank=True)


class DocumentRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested from the embassy")
    IDENTITY_CONFIRMED = "identity_confirmed", _("Identity confirmed by the embassy")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


class TravelDocumentRequest(BaseModel):
    """An emergency travel document asked of the person's embassy; issuing it records the document."""

    case = models.ForeignKey(RepatriationCase, on_delete=models.PROTECT, related_name="document_requests")
    country = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=DocumentRequestStatus.choices,
                              default=DocumentRequestStatus.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    document = models.ForeignKey("registry.IdentityDocument", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    note = models.TextField(blank=True)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")


class RepatriationPlan(BaseModel):
    """A proposal of who boards which movement, made by the planner, reviewed and published by an
    officer. Stored with the exact problem it solved, so it can be re-run with the CLI."""

    start_date = models.DateField()
    horizon_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)
    problem = models.JSONField()
    objective = models.FloatField()
    lower_bound = models.FloatField(null=True)
    fcfs_objective = models.FloatField()
    seconds = models.FloatField()
    blockers = models.JSONField(default=list)  # what holds back people who are not ready, per destination
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)


class PlanAssignment(models.Model):
    plan = models.ForeignKey(RepatriationPlan, on_delete=models.CASCADE, related_name="assignments")
    case = models.ForeignKey(RepatriationCase, on_delete=models.PROTECT, related_name="+")
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="+")
    removed = models.BooleanField(default=False)  # taken out by the reviewing officer

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "case"], name="one_assignment_per_case")]


class FunderKind(models.TextChoices):
    HOME_GOVERNMENT = "home_government", _("Home government")
    IOM = "iom", _("IOM")
    OTHER_STATE = "other_state", _("Another state")
    DONOR = "donor", _("Donor")


class PledgeBasis(models.TextChoices):
    PER_PERSON = "per_person", _("Per person")
    PER_SEAT = "per_seat", _("Per seat")
    LUMP_SUM = "lump_sum", _("Lump sum")


class PledgeCondition(models.TextChoices):
    NONE = "none", _("No condition")
    CO_FUNDED = "co_funded", _("Only if another funder also pays")
    OTHER = "other", _("Other condition (see note)")


class PledgeStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Pledge(BaseModel):
    """Money promised for the returns of one country's nationals (2025: "some countries refuse to
    fly their citizens home unless someone else pays")."""

    funder = models.CharField(max_length=200)
    funder_kind = models.CharField(max_length=20, choices=FunderKind.choices)
    destination = models.CharField(max_length=3, db_index=True)
    basis = models.CharField(max_length=12, choices=PledgeBasis.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    max_people = models.PositiveIntegerField(null=True, blank=True, help_text="Per person or per seat: at most this many.")
    condition = models.CharField(max_length=12, choices=PledgeCondition.choices, default=PledgeCondition.NONE)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=PledgeStatus.choices, default=PledgeStatus.PLEDGED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class RouteCost(BaseModel):
    """The estimated cost of returning one person to a country (flight or bus, escort, fees)."""

    destination = models.CharField(max_length=3, unique=True)
    per_person = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    basis = models.CharField(max_length=200, blank=True, help_text="How the estimate was made.")


class ProcessingDay(BaseModel):
    """The Thai side's rule for one day, where it differs from the weekday default in settings
    (``CROSSING_DEPARTURE_CAPACITY``): how many people immigration processes, and whether the day is
    reserved for particular nationalities (2025: days set aside for one country's charters)."""

    day = models.DateField(unique=True)
    capacity = models.PositiveIntegerField()
    reserved_for = models.JSONField(default=list, blank=True, help_text="ISO alpha-3 countries; empty: any.")
    note = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["day"]
