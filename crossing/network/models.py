"""The intelligence compartment: FollowTheMoney entities stored as statements with provenance.

FtM's statement model keeps one row per (entity, property, value, source); an entity is the sum of
its statements. We add who recorded each value and how confident they were, which FtM's
``Statement`` has no field for (they travel as ``origin`` on export). ``Entity`` and ``Edge`` are
derived from the statements by the services and rebuilt whenever they change, so the graph and the
pages read one row per entity instead of folding statements on every request.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossing.core.models import BaseModel


class SourceKind(models.TextChoices):
    INTAKE = "intake", _("Intake and screening")
    COMPLAINT = "complaint", _("Victim's complaint")
    DEVICE_CONTACTS = "device_contacts", _("Seized device: contact list")
    CHAT_EXPORT = "chat_export", _("Seized device: chat export")
    FTM = "ftm", _("FollowTheMoney import")
    SANCTIONS = "sanctions", _("Sanctions list")
    MANUAL = "manual", _("Analyst's entry")
    SCENARIO = "scenario", _("Synthetic scenario")


class SourceBatch(BaseModel):
    """One imported file: importing the same bytes again is a no-op (idempotent)."""

    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    entities = models.PositiveIntegerField(default=0)
    statements = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "sha256"], name="network_batch_unique_file")]
        ordering = ["-created_at"]


class Entity(models.Model):
    """An FtM entity. ``id`` is the FtM id, kept as imported; ``canonical`` points to the entity this
    one was resolved into (same phone, account or wallet; or an analyst's merge)."""

    id = models.CharField(primary_key=True, max_length=128)
    schema = models.CharField(max_length=40, db_index=True)
    caption = models.CharField(max_length=300, blank=True)
    properties = models.JSONField(default=dict)
    # Normalised identifier of a phone-bearing, account or wallet entity, the resolution key.
    identifier = models.CharField(max_length=200, blank=True, db_index=True)
    canonical = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="network_entities")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="network_entities")
    sanctioned = models.BooleanField(default=False)
    first_seen = models.DateTimeField(null=True)
    last_seen = models.DateTimeField(null=True)

    class Meta:
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["caption"])]

    def __str__(self):
        return f"{self.schema}: {self.caption or self.id}"


class Statement(models.Model):
    """One value of one property of one entity, from one source, with who recorded it and when."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="statements")
    schema = models.CharField(max_length=40)
    prop = models.CharField(max_length=64)
    value = models.TextField()
    # Unique on a digest: PostgreSQL cannot index a long text value (a chat message body).
    value_hash = models.CharField(max_length=40)
    original_value = models.TextField(blank=True)
    lang = models.CharField(max_length=8, blank=True)
    source = models.CharField(max_length=200)  # FtM's "dataset": the file, list or form it came from
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    batch = models.ForeignKey(SourceBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()
    confidence = models.FloatField(default=1.0)
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "prop", "value_hash", "source"], name="network_statement_unique"),
            models.CheckConstraint(condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                                   name="network_statement_confidence_range"),
        ]


class Edge(models.Model):
    """A derived, directed edge of the analysis graph (see analytics.network.vocabulary).

    ``target`` may be a phone node ("phone:+<E.164>"), which has no Entity row: FtM has no phone
    schema, yet two entities sharing a number must meet in the graph."""

    source = models.CharField(max_length=128, db_index=True)
    target = models.CharField(max_length=128, db_index=True)
    kind = models.PositiveSmallIntegerField()
    link = models.ForeignKey(Entity, null=True, on_delete=models.CASCADE, related_name="+")
    origin = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="edges_out")
    amount = models.FloatField(default=0)
    date = models.CharField(max_length=32, blank=True)


class GraphVersion(models.Model):
    """One row, bumped by every write: the in-process graph cache rebuilds when it changes.

    The cache keys on ``token``, a fresh random value per write, not on the counter alone: a rolled
    back transaction or a restored backup winds the counter back to a number another graph was
    built under, and a process would serve that graph again.
    """

    version = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=32, default="", blank=True)


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Deny-list entries approved")
    REJECTED = "rejected", _("Rejected")


class ConflictAlert(BaseModel):
    """An official who uses Crossing is linked to the syndicates' graph: a conflict of interest.

    The alert proposes deny-list entries (the official may no longer see the people linked to the
    entities involved); a supervisor approves or rejects them."""

    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_alerts")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="conflict_alerts")
    reason = models.CharField(max_length=400)
    path = models.JSONField(default=list)  # [[node id, caption, schema, edge label], ...]
    proposed_people = models.JSONField(default=list)  # registry person ids to bar the official from
    status = models.CharField(max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["official", "entity"], condition=models.Q(status="open"),
                                               name="network_one_open_alert_per_link")]


class SanctionHit(models.Model):
    """A compartment entity that matches an entry of an imported sanctions list, with the score and
    how it matched (romanized forms, birth date, wallet address); an analyst confirms or dismisses."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("To review")
        CONFIRMED = "confirmed", _("Same entity")
        DISMISSED = "dismissed", _("Not the same")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="sanction_hits")
    target = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    explanation = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    screened_at = models.DateTimeField()

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["entity", "target"], name="network_one_hit_per_pair")]
