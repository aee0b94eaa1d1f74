"""Record linkage writes: run deduplication, decide candidate pairs, merge, unmerge, link lists.

A merge deletes nothing. The merged record stays, marked ``merged_into``; the rows it owned
(names, documents, phones, placements, the list rows it came from, ...) are re-pointed to the
survivor and listed on the Merge, so ``unmerge`` puts every one back and restores any survivor
field the merge filled in. Every decision is audited with both people's ids.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.linkage import engine
from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.models import DenyEntry
from crossing.access.policy import Actor
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.linkage.models import CandidateStatus, LinkageRun, MatchCandidate, Merge, RunKind
from crossing.linkage.sources import ListRecords, registry_frame
from crossing.registry.models import (
    FamilyContact,
    IdentityDocument,
    ImportedRow,
    NameToken,
    Person,
    PersonLanguage,
    PersonName,
    PersonNationality,
    PhoneNumber,
    Placement,
    Vulnerability,
)
from crossing.screening.models import (
    ChildProtectionReferral,
    Identification,
    NonPunishmentHold,
    Screening,
    SuspectRecord,
)

# Rows a person owns that move to the survivor on a merge. Models with a uniqueness rule per
# person carry the field that must not repeat: such a row stays with the merged record when the
# survivor already has one like it (nothing is lost, and it comes back on unmerge anyway).
_OWNED = (
    ("names", PersonName, None),
    ("name_tokens", NameToken, "token"),
    ("nationalities", PersonNationality, "country"),
    ("languages", PersonLanguage, None),
    ("documents", IdentityDocument, None),
    ("contacts", FamilyContact, None),
    ("phones", PhoneNumber, None),
    ("vulnerabilities", Vulnerability, "kind"),
    ("placements", Placement, None),
    ("source_rows", ImportedRow, None),
    # Screening follows the person: interviews (with their answers, evaluations and decisions),
    # the MDT's identifications, non-punishment holds, suspect records, child-protection referrals.
    ("screenings", Screening, None),
    ("identifications", Identification, None),
    ("holds", NonPunishmentHold, None),
    ("suspect_records", SuspectRecord, None),
    ("child_referrals", ChildProtectionReferral, None),
)
_OWNED_BY_KEY = {key: model for key, model, _unique in _OWNED}
# Survivor fields a merge fills in from the merged record when the survivor does not know them.
_FILLABLE = ("sex", "date_of_birth", "dob_precision", "age_estimate", "compound_id", "rescue_event_id",
             "primary_nationality", "current_facility_id")
_PRECISION_RANK = {"unknown": 0, "year": 1, "month": 2, "day": 3}


def _require(actor: Actor, action: str) -> None:
    if not actor.can("linkage", action):
        raise PermissionDeniedError(_("You may not do this."))


# ---------------------------------------------------------------------------------------- runs


@dataclass
class DedupeReport:
    run: LinkageRun
    pairs: int
    new: int
    updated: int
    kept_decided: int
    stages: list[str] = field(default_factory=list)


def dedupe_registry(*, actor: Actor, threshold: float = engine.DEFAULT_THRESHOLD, backend: str = "duckdb",
                    progress=None) -> DedupeReport:
    """Score every pair of records the actor may see that the model calls likely duplicates and
    queue new pairs for a decision. Pairs already decided are never queued again."""
    _require(actor, "run")
    started = time.monotonic()
    people = policy.people(actor, "list")
    if progress:
        progress("reading and romanizing the registry")
    frame = registry_frame(people)
    previous = LinkageRun.objects.filter(kind=RunKind.DEDUPE, trained=True).exclude(model={}).first()
    result = engine.dedupe(frame, backend=backend, threshold=threshold, progress=progress,
                           model_json=previous.model if previous is not None and len(frame) < engine.MIN_RECORDS_TO_TRAIN
                           else None)
    if progress:
        progress("queueing pairs")
    with transaction.atomic():
        run = LinkageRun.objects.create(
            kind=RunKind.DEDUPE, backend=backend, started_by=actor.user if actor.user and actor.user.pk else None,
            records=result.records, candidate_pairs=result.candidate_pairs, threshold=threshold, trained=result.trained,
            model=result.model_json if result.trained else {},
        )
        new, updated, kept = _store_candidates(run, result.pairs)
        run.new_candidates = new
        run.finished_at = timezone.now()
        run.seconds = round(time.monotonic() - started, 2)
        run.save(update_fields=["new_candidates", "finished_at", "seconds"])
        audit.record(actor, AuditEventType.LINKAGE_RUN, subject_type="linkage_run", subject_id=run.pk, extra={
            "kind": "dedupe", "records": result.records, "pairs": len(result.pairs), "new": new, "backend": backend,
            "threshold": threshold, "trained": result.trained})
    return DedupeReport(run=run, pairs=len(result.pairs), new=new, updated=updated, kept_decided=kept)


def _store_candidates(run: LinkageRun, pairs: list[engine.ScoredPair]) -> tuple[int, int, int]:
    ordered = {}
    for p in pairs:
        a, b = sorted((p.id_l, p.id_r))
        ordered[(a, b)] = p
    existing = {}
    keys = list(ordered)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        q = Q()
        for a, b in chunk:
            q |= Q(person_a_id=a, person_b_id=b)
        for c in MatchCandidate.objects.filter(q):
            existing[(str(c.person_a_id), str(c.person_b_id))] = c
    new, updated, kept, to_update = [], 0, 0, []
    for key, p in ordered.items():
        evidence = [e.as_dict() for e in p.evidence]
        found = existing.get(key)
        if found is None:
            new.append(MatchCandidate(run=run, person_a_id=key[0], person_b_id=key[1], probability=p.probability,
                                      match_weight=p.weight, evidence=evidence))
        elif found.status == CandidateStatus.PENDING:
            found.run, found.probability, found.match_weight, found.evidence = run, p.probability, p.weight, evidence
            to_update.append(found)
            updated += 1
        else:
            kept += 1
    MatchCandidate.objects.bulk_create(new, batch_size=2000)
    MatchCandidate.objects.bulk_update(to_update, ["run", "probability", "match_weight", "evidence", "updated_at"],
                                       batch_size=2000)
    return len(new), updated, kept


@dataclass
class LinkReport:
    """Two lists matched one-to-one, and who is on one list only."""

    left: ListRecords
    right: ListRecords
    pairs: list[engine.ScoredPair]
    only_left: list[str]
    only_right: list[str]
    trained: bool
    candidate_pairs: int


def link_lists(*, actor: Actor, left: ListRecords, right: ListRecords, threshold: float = engine.DEFAULT_THRESHOLD,
               backend: str = "duckdb", progress=None) -> LinkReport:
    """Match two lists without touching the registry. Each row is on at most one pair."""
    _require(actor, "link_lists")
    result = engine.link(left.frame, right.frame, backend=backend, threshold=threshold, progress=progress)
    pairs = engine.best_one_to_one(result.pairs)
    matched_l = {p.id_l for p in pairs}
    matched_r = {p.id_r for p in pairs}
    report = LinkReport(
        left=left, right=right, pairs=pairs,
        only_left=[r for r in left.rows if r not in matched_l], only_right=[r for r in right.rows if r not in matched_r],
        trained=result.trained, candidate_pairs=result.candidate_pairs,
    )
    run = LinkageRun.objects.create(
        kind=RunKind.LINK, backend=backend, started_by=actor.user if actor.user and actor.user.pk else None,
        records=result.records, candidate_pairs=result.candidate_pairs, new_candidates=len(pairs), threshold=threshold,
        trained=result.trained, finished_at=timezone.now(),
    )
    # The lists' contents are not kept; the audit says who linked what, by file and size.
    audit.record(actor, AuditEventType.LISTS_LINKED, subject_type="linkage_run", subject_id=run.pk, extra={
        "left": left.filename, "right": right.filename, "left_rows": len(left.rows), "right_rows": len(right.rows),
        "pairs": len(pairs), "only_left": len(report.only_left), "only_right": len(report.only_right)})
    return report


# ------------------------------------------------------------------------------------ decisions


def _decidable(actor: Actor, candidate_id) -> tuple[MatchCandidate, Person, Person]:
    """The candidate and both people, if the actor may adjudicate and update both (else 404)."""
    _require(actor, "adjudicate")
    try:
        candidate = MatchCandidate.objects.select_for_update().get(pk=candidate_id)
    except (MatchCandidate.DoesNotExist, ValueError, DjangoValidationError):  # missing or malformed id
        raise NotFound() from None
    a = policy.access_person(actor, candidate.person_a_id, "update")
    b = policy.access_person(actor, candidate.person_b_id, "update")
    return candidate, a, b


@transaction.atomic
def decide(*, actor: Actor, candidate_id, decision: str, survivor_id=None, note: str = "") -> MatchCandidate:
    """Record "same" (and merge, keeping ``survivor_id`` or the older record) or "different"."""
    candidate, a, b = _decidable(actor, candidate_id)
    if candidate.status != CandidateStatus.PENDING:
        raise ValidationFailed(_("This pair was already decided."))
    if decision not in ("same", "different"):
        raise ValidationFailed(_("Decide 'same' or 'different'."))
    candidate.note = note[:500]
    candidate.decided_by = actor.user
    candidate.decided_at = timezone.now()
    if decision == "different":
        candidate.status = CandidateStatus.DIFFERENT
        candidate.save(update_fields=["status", "note", "decided_by", "decided_at", "updated_at"])
    else:
        if survivor_id is not None and str(survivor_id) not in (str(a.pk), str(b.pk)):
            raise ValidationFailed(_("The record to keep must be one of the pair."))
        if survivor_id is None:
            survivor, merged = (a, b) if a.created_at <= b.created_at else (b, a)
        else:
            survivor, merged = (a, b) if str(survivor_id) == str(a.pk) else (b, a)
        candidate.status = CandidateStatus.SAME
        candidate.save(update_fields=["status", "note", "decided_by", "decided_at", "updated_at"])
        _merge(actor, survivor, merged, candidate, note)
    audit.record_many(actor, [
        EventDraft(AuditEventType.MATCH_DECIDED, "match_candidate", str(candidate.pk), p.pk,
                   extra={"decision": decision, "probability": round(candidate.probability, 6)})
        for p in (a, b)
    ])
    return candidate


def _merge(actor: Actor, survivor: Person, merged: Person, candidate: MatchCandidate | None, reason: str) -> Merge:
    if survivor.pk == merged.pk:
        raise ValidationFailed(_("A record cannot be merged into itself."))
    moved: dict[str, list] = {}
    for key, model, unique_field in _OWNED:
        rows = model.objects.filter(person=merged)
        if unique_field:
            taken = model.objects.filter(person=survivor).values(unique_field)
            rows = rows.exclude(**{f"{unique_field}__in": taken})
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(person=survivor)
            moved[key] = [str(i) for i in ids]
    # Two open stays would put one person in two places: the survivor's stands, the other closes.
    closed = []
    if survivor.current_facility_id is not None:
        now = timezone.now()
        for placement in Placement.objects.filter(pk__in=moved.get("placements", []), check_out__isnull=True):
            placement.check_out, placement.check_out_reason = now, _("record merged into %(ref)s") % {"ref": survivor.reference}
            placement.save(update_fields=["check_out", "check_out_reason"])
            closed.append(str(placement.pk))
    filled = {}
    for name in _FILLABLE:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if name == "dob_precision" or theirs in (None, "", "unknown"):
            continue
        if name == "date_of_birth":
            if _PRECISION_RANK[merged.dob_precision] > _PRECISION_RANK[survivor.dob_precision]:
                filled.update(date_of_birth=_json(mine), dob_precision=survivor.dob_precision)
                survivor.date_of_birth, survivor.dob_precision = theirs, merged.dob_precision
            continue
        if mine in (None, "", "unknown"):
            filled[name] = _json(mine)
            setattr(survivor, name, theirs)
    if filled:
        survivor.save(update_fields=[*filled, "updated_at"])
    deny_added = []
    for entry in DenyEntry.objects.filter(person=merged, revoked_at__isnull=True):
        # Whoever may not see the merged record may not see the person it now lives in.
        if not DenyEntry.objects.filter(person=survivor, revoked_at__isnull=True, user_id=entry.user_id,
                                        agency_id=entry.agency_id).exists():
            copy = DenyEntry.objects.create(person=survivor, user_id=entry.user_id, agency_id=entry.agency_id,
                                            reason=entry.reason, created_by=actor.user)
            deny_added.append(str(copy.pk))
    if deny_added:
        moved["deny_entries_added"] = deny_added
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    merge = Merge.objects.create(candidate=candidate, survivor=survivor, merged=merged, merged_by=actor.user,
                                 reason=reason[:500], moved=moved, filled=filled, closed_placements=closed)
    audit.record_many(actor, [
        EventDraft(AuditEventType.PERSON_MERGED, "merge", str(merge.pk), p.pk,
                   extra={"survivor": str(survivor.pk), "merged": str(merged.pk),
                          "moved": {k: len(v) for k, v in moved.items()}, "filled": sorted(filled)})
        for p in (survivor, merged)
    ])
    return merge


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None and not isinstance(value, (int, str)) else value)


@transaction.atomic
def unmerge(*, actor: Actor, merge_id, reason: str) -> Merge:
    """Undo a merge exactly: rows go back, filled fields get their old values, both records stand."""
    _require(actor, "adjudicate")
    try:
        merge = Merge.objects.select_for_update().get(pk=merge_id)
    except (Merge.DoesNotExist, ValueError, DjangoValidationError):
        raise NotFound() from None
    survivor = policy.access_person(actor, merge.survivor_id, "update")
    if not policy.people(actor, "update", include_merged=True).filter(pk=merge.merged_id).exists():
        raise NotFound()
    if merge.undone_at is not None:
        raise ValidationFailed(_("This merge was already undone."))
    if not reason.strip():
        raise ValidationFailed(_("Say why the merge is undone."), extra={"fields": {"reason": [_("Required.")]}})
    merged = Person.objects.get(pk=merge.merged_id)
    if merged.merged_into_id != survivor.pk:
        raise ValidationFailed(_("The merged record has changed since; undo later merges first."))
    for key, ids in merge.moved.items():
        if key == "deny_entries_added":
            DenyEntry.objects.filter(pk__in=ids, revoked_at__isnull=True).update(revoked_at=timezone.now())
            continue
        _OWNED_BY_KEY[key].objects.filter(pk__in=ids, person=survivor).update(person=merged)
    Placement.objects.filter(pk__in=merge.closed_placements).update(check_out=None, check_out_reason="")
    for name, previous in merge.filled.items():
        if name == "date_of_birth" and previous:
            previous = date.fromisoformat(previous)
        setattr(survivor, name, previous)
    if merge.filled:
        survivor.save(update_fields=[*merge.filled, "updated_at"])
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), actor.user, reason[:500]
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason", "updated_at"])
    if merge.candidate_id:
        MatchCandidate.objects.filter(pk=merge.candidate_id).update(status=CandidateStatus.UNMERGED,
                                                                     updated_at=timezone.now())
    audit.record_many(actor, [
        EventDraft(AuditEventType.PERSON_UNMERGED, "merge", str(merge.pk), p.pk, extra={"reason": reason[:500]})
        for p in (survivor, merged)
    ])
    return merge
