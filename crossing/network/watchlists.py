"""Screening the compartment against imported sanctions lists (analytics.network.sanctions).

A sanctions list is an FtM file imported with source kind ``sanctions``; its entities are targets,
every other Person, Organization, Company, LegalEntity and CryptoWallet is a candidate. Hits are
stored with their score and explanation; an analyst confirms or dismisses each, and a re-screen
keeps those decisions. A candidate with a hit that was not dismissed is flagged in the graph.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.network.sanctions import DEFAULT_THRESHOLD, SanctionsIndex
from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.core.errors import NotFound
from crossing.network import store
from crossing.network.models import Entity, SanctionHit, SourceKind, Statement

CANDIDATE_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "CryptoWallet")


def _as_ftm(entity: Entity) -> dict:
    return {"id": entity.pk, "schema": entity.schema, "properties": entity.properties}


@service
def screen(*, actor: Actor, threshold: float = DEFAULT_THRESHOLD) -> dict:
    require(actor, "network", "edit", "network")
    target_ids = set(Statement.objects.filter(source_kind=SourceKind.SANCTIONS).values_list("entity_id", flat=True))
    targets = Entity.objects.filter(pk__in=target_ids)
    index = SanctionsIndex.from_entities(_as_ftm(t) for t in targets.iterator())
    candidates = (Entity.objects.filter(schema__in=CANDIDATE_SCHEMATA, canonical__isnull=True)
                  .exclude(pk__in=target_ids))
    now = timezone.now()
    matches = index.screen_all((_as_ftm(c) for c in candidates.iterator()), threshold=threshold)
    kept = {(h.entity_id, h.target_id): h for h in SanctionHit.objects.all()}
    fresh = []
    for match in matches:
        hit = kept.get((match.candidate_id, match.target_id))
        if hit is None:
            fresh.append(SanctionHit(entity_id=match.candidate_id, target_id=match.target_id, score=match.score,
                                     explanation=match.explanation, screened_at=now))
        else:
            hit.score, hit.explanation, hit.screened_at = match.score, match.explanation, now
            hit.save(update_fields=["score", "explanation", "screened_at"])
    SanctionHit.objects.bulk_create(fresh, batch_size=1000)
    _flag()
    audit.record(actor, AuditEventType.NETWORK_ANALYSED, subject_type="network",
                 extra={"view": "sanctions", "targets": len(index), "hits": len(matches), "new": len(fresh)})
    return {"targets": len(index), "hits": len(matches), "new": len(fresh)}


def _flag() -> None:
    flagged = set(SanctionHit.objects.exclude(decision=SanctionHit.Decision.DISMISSED)
                  .values_list("entity_id", flat=True))
    flagged |= set(Statement.objects.filter(source_kind=SourceKind.SANCTIONS).values_list("entity_id", flat=True))
    Entity.objects.filter(sanctioned=True).exclude(pk__in=flagged).update(sanctioned=False)
    Entity.objects.filter(pk__in=flagged, sanctioned=False).update(sanctioned=True)
    store.bump()


@service
def decide_hit(*, actor: Actor, hit_id: int, same: bool) -> SanctionHit:
    require(actor, "network", "resolve", "sanction_hit", hit_id)
    hit = SanctionHit.objects.filter(pk=hit_id).first()
    if hit is None:
        raise NotFound(_("No such match."))
    hit.decision = SanctionHit.Decision.CONFIRMED if same else SanctionHit.Decision.DISMISSED
    hit.decided_by = actor.user
    hit.save(update_fields=["decision", "decided_by"])
    _flag()
    audit.record(actor, AuditEventType.NETWORK_RESOLVED, subject_type="network_entity", subject_id=hit.entity_id,
                 extra={"sanctions_target": hit.target_id, "same": same})
    return hit
