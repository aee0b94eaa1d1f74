"""Record linkage state: runs of the model, candidate pairs waiting for a person, merges.

Candidates and merges point at people and are protected like them: read through
``crossing.linkage.selectors`` (which asks ``crossing.access.policy``), written by services.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossing.core.models import BaseModel


class RunKind(models.TextChoices):
    DEDUPE = "dedupe", _("Registry deduplication")
    LINK = "link", _("Two lists linked")


class LinkageRun(BaseModel):
    """One run of the model: what it saw, how it was trained, what it found (no personal data)."""

    kind = models.CharField(max_length=10, choices=RunKind.choices)
    backend = models.CharField(max_length=10, default="duckdb")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    candidate_pairs = models.PositiveIntegerField(default=0)
    new_candidates = models.PositiveIntegerField(default=0)
    threshold = models.FloatField()
    trained = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)
    # The trained Splink model (m and u probabilities per level): reused by search before create.
    model = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    SAME = "same", _("Same person (merged)")
    DIFFERENT = "different", _("Different people")
    UNMERGED = "unmerged", _("Merge undone")


class MatchCandidate(BaseModel):
    """Two registry records the model thinks may be one person, with the evidence for it."""

    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="candidates")
    # person_a sorts before person_b (by id), so a pair is stored once whichever run found it.
    person_a = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(db_index=True)
    match_weight = models.FloatField()
    # [{"comparison", "title", "level", "weight"}]: which fields agree and what each weighs.
    evidence = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-probability", "created_at"]
        constraints = [models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_unique_pair")]


class Merge(BaseModel):
    """A merge of ``merged`` into ``survivor`` and exactly what it moved, so it can be undone.

    Nothing is deleted: the merged record stays with ``merged_into`` set, the rows it owned are
    re-pointed to the survivor and listed here, and survivor fields that were empty and filled
    from the merged record keep their previous value here.
    """

    candidate = models.ForeignKey(MatchCandidate, null=True, blank=True, on_delete=models.PROTECT, related_name="merges")
    survivor = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    moved = models.JSONField(default=dict)  # {"names": [ids], "documents": [ids], ...}
    filled = models.JSONField(default=dict)  # {"date_of_birth": previous survivor value, ...}
    closed_placements = models.JSONField(default=list)  # moved open placements closed because the survivor had one
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    undo_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
