"""Agencies, teams, roles with scoped grants, memberships, deny list, break-glass and the audit log."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crossing.access.permissions import ACTION_CHOICES, RESOURCE_CHOICES, SENSITIVE_RESOURCES, Scope
from crossing.core.models import BaseModel


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    IMMIGRATION = "immigration", _("Immigration")
    ARMY = "army", _("Army or border force")
    EMBASSY = "embassy", _("Embassy")
    INTERNATIONAL_ORG = "international_org", _("International organisation")
    NGO = "ngo", _("NGO")
    SHELTER_OPERATOR = "shelter_operator", _("Shelter operator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    COORDINATION = "coordination", _("Lead coordinating agency")


class Agency(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    # For an embassy, the country whose nationals it serves (ISO alpha-3).
    country = models.CharField(max_length=3, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="units")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Team(BaseModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_per_agency")]

    def __str__(self):
        return f"{self.agency} / {self.name}"


class Role(BaseModel):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_supervisor = models.BooleanField(default=False, help_text=_("Receives break-glass and security alerts."))

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def requires_two_factor(self) -> bool:
        return self.grants.filter(resource__in=SENSITIVE_RESOURCES).exists()


class Grant(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    resource = models.CharField(max_length=40, choices=RESOURCE_CHOICES)
    action = models.CharField(max_length=20, choices=ACTION_CHOICES)
    scope = models.CharField(max_length=16, choices=Scope.choices)

    class Meta:
        ordering = ["resource", "action"]
        constraints = [
            models.UniqueConstraint(fields=["role", "resource", "action"], name="grant_unique_per_role_action")
        ]

    def __str__(self):
        return f"{self.resource}.{self.action} [{self.scope}]"


class Membership(BaseModel):
    """A user's role in an agency. The scope context (team, facility, nationality) lives here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    facility = models.ForeignKey(
        "registry.HoldingFacility", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    # Nationality caseload; defaults to the agency's country (an embassy sees its own nationals).
    nationality = models.CharField(max_length=3, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__username"]

    def __str__(self):
        return f"{self.user} @ {self.agency} as {self.role}"

    @property
    def caseload_nationality(self) -> str:
        return self.nationality or self.agency.country

    def is_current(self, now=None) -> bool:
        return self.valid_until is None or self.valid_until > (now or timezone.now())


class DenyEntry(BaseModel):
    """A conflict-of-interest bar: a user or a whole agency may not see a person. Beats every grant."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="deny_entries"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="deny_entries")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="deny_entries")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deny entries"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False, agency__isnull=True) | models.Q(user__isnull=True, agency__isnull=False)),
                name="deny_entry_user_xor_agency",
            )
        ]


class BreakGlassGrant(BaseModel):
    """Time-limited emergency access to one person, with a mandatory reason and supervisor review."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Pending review")
        JUSTIFIED = "justified", _("Justified")
        NOT_JUSTIFIED = "not_justified", _("Not justified")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass_grants")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField()
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=16, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Alert(BaseModel):
    """Something a supervisor must see: break-glass use, lock-outs."""

    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", _("Break-glass access")
        LOCKOUT = "lockout", _("Account locked")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=300)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    break_glass = models.ForeignKey(BreakGlassGrant, null=True, blank=True, on_delete=models.CASCADE)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class AccountSecurity(models.Model):
    """Failed-login counter and lock-out state per user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security")
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak gives no working tokens."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    two_factor_verified = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every read and write of protected data.

    Each row's ``hash`` covers its own fields and the previous row's hash, so editing, deleting,
    inserting or reordering rows breaks the chain (``crossing audit verify``). The actor is stored
    by id and name rather than a foreign key so that no later change to users rewrites history.
    Only ``crossing.access.audit`` writes this table.
    """

    seq = models.BigIntegerField(unique=True)
    event_time = models.DateTimeField(db_index=True)
    event_type = models.PositiveIntegerField()
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    person_id = models.UUIDField(null=True, db_index=True)
    outcome = models.CharField(max_length=10, default="allowed")
    ip = models.CharField(max_length=45, blank=True)
    extra = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "event_type", "event_time"], name="audit_subject_type_time"),
            models.Index(fields=["actor_id", "event_time"], name="audit_actor_time"),
        ]

    @property
    def event_type_label(self) -> str:
        from crossing.access.events import AuditEventType

        try:
            return AuditEventType(self.event_type).label
        except ValueError:
            return str(self.event_type)


class AuditHead(models.Model):
    """The last sequence number and hash: serialises writers and reveals deletion of the newest rows."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64, default="")
