"""Writes to the intelligence compartment: statements in, entities and edges derived, all audited.

Every write goes through ``record_entities``: it validates each entity against the FtM model, adds
statements (a repeated statement is a no-op, so imports are safe to repeat), rebuilds the derived
entity rows and edges, resolves identifiers (the same phone, account or wallet is one entity) and
audits one event per entity written. It runs in one transaction: a bad entity anywhere rejects all.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from followthemoney import model
from followthemoney.exc import InvalidData

from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.core.errors import NotFound, ValidationFailed
from crossing.network import derive, identifiers, insider, store
from crossing.network.models import Edge, Entity, SourceBatch, SourceKind, Statement

MAX_ERRORS = 50
WRITE_CHUNK = 5000


@dataclass
class ImportReport:
    entities: int = 0
    statements: int = 0
    new_statements: int = 0
    resolved: int = 0
    already_imported: bool = False
    batch_id: str = ""
    errors: list[dict] = field(default_factory=list)


def _clean(raw: dict, where: str) -> tuple[object | None, list[dict]]:
    """An FtM proxy for ``raw``, or the problems with it, each naming the field."""
    if not isinstance(raw, dict):
        return None, [{"row": where, "field": "", "message": _("not a JSON object")}]
    problems = []
    for key in ("id", "schema"):
        if not str(raw.get(key) or "").strip():
            problems.append({"row": where, "field": key, "message": _("missing")})
    if problems:
        return None, problems
    if len(str(raw["id"])) > 128:
        return None, [{"row": where, "field": "id", "message": _("longer than 128 characters")}]
    schema = model.get(raw["schema"])
    if schema is None or schema.abstract:
        return None, [{"row": where, "field": "schema", "message": _("unknown FtM schema %(s)s") % {"s": raw["schema"]}}]
    props = raw.get("properties") or {}
    if not isinstance(props, dict):
        return None, [{"row": where, "field": "properties", "message": _("must be an object")}]
    for name, values in props.items():
        if name not in schema.properties:
            problems.append({"row": where, "field": f"properties.{name}",
                             "message": _("not a property of %(s)s") % {"s": schema.name}})
        elif not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
            problems.append({"row": where, "field": f"properties.{name}", "message": _("must be a list of values")})
    if problems:
        return None, problems
    values = {}
    for name, raw_values in props.items():
        texts = [str(v).strip() for v in raw_values if str(v).strip()]
        if schema.properties[name].type.name == "phone":
            # FtM drops a number without a country code; the sources are Thai-side, so read it as Thai.
            texts = [identifiers.phone(v) for v in texts]
        values[name] = texts
    try:
        proxy = model.get_proxy({"id": str(raw["id"]), "schema": schema.name, "properties": values}, cleaned=False)
    except InvalidData as exc:
        return None, [{"row": where, "field": "", "message": str(exc)}]
    for name, texts in values.items():
        kept = len(proxy.get(name, quiet=True)) if name in proxy.schema.properties else 0
        if kept < len(set(texts)):
            problems.append({"row": where, "field": f"properties.{name}",
                             "message": _("a value is not a valid %(t)s") % {"t": schema.properties[name].type.name}})
    return (None, problems) if problems else (proxy, [])


def validate(raws: list[tuple[str, dict]]) -> tuple[list, list[dict]]:
    proxies, errors = [], []
    for where, raw in raws:
        proxy, problems = _clean(raw, where)
        errors += problems
        if proxy is not None:
            proxies.append(proxy)
        if len(errors) >= MAX_ERRORS:
            break
    return proxies, errors


def _materialise(entity_ids: set[str], now: datetime) -> int:
    """Rebuild the derived rows of these entities from their live statements; returns how many were
    resolved into another entity by a shared identifier."""
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    seen: dict[str, tuple] = {}
    for entity_id, prop, value, recorded_at in (Statement.objects.filter(entity_id__in=entity_ids,
                                                                         retracted_at__isnull=True)
                                                 .order_by("id").values_list("entity_id", "prop", "value",
                                                                             "recorded_at")):
        if value not in props[entity_id][prop]:
            props[entity_id][prop].append(value)
        first, last = seen.get(entity_id, (recorded_at, recorded_at))
        seen[entity_id] = (min(first, recorded_at), max(last, recorded_at))
    resolved = 0
    claimed: dict[str, str] = {}  # identifier -> entity of this batch that holds it
    entities = sorted(Entity.objects.filter(pk__in=entity_ids), key=lambda e: e.pk)
    Edge.objects.filter(origin_id__in=entity_ids).delete()
    edges = []
    for entity in entities:
        entity.properties = {k: v for k, v in props[entity.pk].items()}
        proxy = model.get_proxy({"id": entity.pk, "schema": entity.schema, "properties": entity.properties},
                                cleaned=False)
        entity.caption = (proxy.caption or entity.pk)[:300]
        entity.identifier = identifiers.identifier_of(entity.schema, entity.properties)[:200]
        entity.first_seen, entity.last_seen = seen.get(entity.pk, (None, None))
        if entity.identifier and entity.canonical_id is None:
            holder = (Entity.objects.filter(identifier=entity.identifier, canonical__isnull=True)
                      .exclude(pk__in=entity_ids).order_by("first_seen", "pk").values_list("pk", flat=True).first()
                      or claimed.get(entity.identifier))
            if holder is not None:
                entity.canonical_id = holder
                resolved += 1
            else:
                claimed[entity.identifier] = entity.pk
        edges += [Edge(source=e.source, target=e.target, kind=int(e.kind), amount=e.amount, date=e.date[:32],
                       origin_id=entity.pk, link_id=entity.pk if e.is_link else None)
                  for e in derive.edges_of(entity.pk, entity.schema, entity.properties)]
    Entity.objects.bulk_update(entities, ["properties", "caption", "identifier", "first_seen", "last_seen",
                                          "canonical"], batch_size=1000)
    Edge.objects.bulk_create(edges, batch_size=2000)
    return resolved


def _write(actor: Actor, proxies, *, source: str, source_kind: str, batch: SourceBatch | None,
           confidence: float, recorded_at: datetime | None = None, event: AuditEventType) -> ImportReport:
    """Write in chunks: a sanctions list or a registry dump has 100,000s of entities, more than one
    SQL statement may name (SQLite allows 32,766 parameters)."""
    now = timezone.now()
    report = ImportReport(entities=len(proxies))
    for start in range(0, len(proxies), WRITE_CHUNK):
        chunk = proxies[start:start + WRITE_CHUNK]
        ids = [p.id for p in chunk]
        existing = dict(Entity.objects.filter(pk__in=ids).values_list("pk", "schema"))
        clash = next((p.id for p in chunk if existing.get(p.id, p.schema.name) != p.schema.name), None)
        if clash:
            raise ValidationFailed(_("Entity %(id)s already exists with another schema.") % {"id": clash},
                                   extra={"errors": [{"row": clash, "field": "schema",
                                                      "message": _("already exists with another schema")}]})
        Entity.objects.bulk_create([Entity(pk=p.id, schema=p.schema.name) for p in chunk if p.id not in existing],
                                   batch_size=1000, ignore_conflicts=True)
        statements = []
        for proxy in chunk:
            for prop, values in proxy.properties.items():
                statements += [Statement(entity_id=proxy.id, schema=proxy.schema.name, prop=prop, value=str(v),
                                         value_hash=hashlib.sha1(str(v).encode()).hexdigest(),  # noqa: S324
                                         source=source[:200], source_kind=source_kind, batch=batch,
                                         recorded_by=actor.user if getattr(actor.user, "pk", None) else None,
                                         recorded_at=recorded_at or now, confidence=confidence) for v in values]
        # Counted over these entities only: a count of the whole table is a full scan on PostgreSQL.
        before = Statement.objects.filter(entity_id__in=ids).count()
        Statement.objects.bulk_create(statements, batch_size=2000, ignore_conflicts=True)
        report.new_statements += Statement.objects.filter(entity_id__in=ids).count() - before
        report.statements += len(statements)
        report.resolved += _materialise(set(ids), now)
        audit.record_many(actor, [EventDraft(event, "network_entity", p.id, None, "allowed",
                                             {"schema": p.schema.name, "source": source[:80]}) for p in chunk])
    store.bump()
    insider.scan(actor)
    return report


def _confidence(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Confidence must be a number between 0 and 1.")) from None
    if not 0 <= number <= 1:
        raise ValidationFailed(_("Confidence must be a number between 0 and 1."))
    return number


@service
def record_entities(*, actor: Actor, entities: list[dict], source: str, source_kind: str = SourceKind.MANUAL,
                    confidence: float = 1.0, recorded_at: datetime | None = None) -> ImportReport:
    """Add entities from a form, a source adapter or the demo: all are checked before any is written."""
    require(actor, "network", "edit", "network_entity")
    proxies, errors = validate([(str(i + 1), raw) for i, raw in enumerate(entities)])
    if errors:
        raise ValidationFailed(_("%(n)d problem(s) in the entities; nothing was recorded.") % {"n": len(errors)},
                               extra={"errors": errors})
    return _write(actor, proxies, source=source, source_kind=source_kind, batch=None,
                  confidence=_confidence(confidence), recorded_at=recorded_at,
                  event=AuditEventType.NETWORK_ENTITY_CHANGED)


def write_lead(*, actor: Actor, entities: list[dict], person, source: str) -> ImportReport:
    """For ``leads.contribute``, which has checked ``network.contribute`` and the person: record the
    lead's entities and resolve its worker to the registry record."""
    proxies, errors = validate([(str(i + 1), raw) for i, raw in enumerate(entities)])
    if errors:
        raise ValidationFailed(_("The lead could not be recorded: %(m)s") % {"m": errors[0]["message"]},
                               extra={"errors": errors})
    report = _write(actor, proxies, source=source, source_kind=SourceKind.INTAKE, batch=None, confidence=0.7,
                    event=AuditEventType.NETWORK_ENTITY_CHANGED)
    Entity.objects.filter(pk=f"worker-{person.reference}", schema="Person").update(person=person)
    store.bump()
    return report


def parse_ftm_lines(data: bytes) -> list[tuple[str, dict]]:
    """JSON lines, each an FtM entity; line numbers name the problems."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("The file is not UTF-8 text."),
                               extra={"errors": [{"row": "", "field": "", "message": "not UTF-8"}]}) from None
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append({"row": f"line {number}", "field": "", "message": _("not JSON: %(e)s") % {"e": exc.msg}})
    if errors:
        raise ValidationFailed(_("%(n)d line(s) are not JSON; nothing was imported.") % {"n": len(errors)},
                               extra={"errors": errors[:MAX_ERRORS]})
    if not rows:
        raise ValidationFailed(_("The file has no entities."), extra={"errors": []})
    return rows


@service
def import_batch(*, actor: Actor, rows: list[tuple[str, dict]], data: bytes, name: str, source_kind: str,
                 confidence: float = 1.0) -> ImportReport:
    """Import FtM entities that came from one file: all or nothing, and the same file twice is a no-op."""
    require(actor, "network", "import", "network_batch")
    digest = hashlib.sha256(data).hexdigest()
    done = SourceBatch.objects.filter(kind=source_kind, sha256=digest).first()
    if done is not None:
        return ImportReport(entities=done.entities, statements=done.statements, already_imported=True,
                            batch_id=str(done.pk))
    proxies, errors = validate(rows)
    ids = [p.id for p in proxies]
    if len(ids) != len(set(ids)):
        # FtM streams may repeat an id to add properties; fold them before writing.
        folded = {}
        for proxy in proxies:
            if proxy.id in folded:
                if folded[proxy.id].schema != proxy.schema:
                    errors.append({"row": proxy.id, "field": "schema", "message": _("one id, two schemata")})
                    continue
                folded[proxy.id].merge(proxy)
            else:
                folded[proxy.id] = proxy
        proxies = list(folded.values())
    if errors:
        raise ValidationFailed(_("%(n)d problem(s) in %(f)s; nothing was imported.") % {"n": len(errors), "f": name},
                               extra={"errors": errors})
    batch = SourceBatch.objects.create(kind=source_kind, name=name[:200], sha256=digest, imported_by=actor.user,
                                       rows=len(rows))
    report = _write(actor, proxies, source=f"{source_kind}:{name}"[:200], source_kind=source_kind, batch=batch,
                    confidence=_confidence(confidence), event=AuditEventType.NETWORK_IMPORTED)
    batch.entities, batch.statements = report.entities, report.new_statements
    batch.save(update_fields=["entities", "statements"])
    report.batch_id = str(batch.pk)
    return report


@service
def import_ftm(*, actor: Actor, data: bytes, name: str, source_kind: str = SourceKind.FTM,
               confidence: float = 1.0) -> ImportReport:
    """FtM JSON lines from a file or an upload: the permission is checked before the file is read."""
    require(actor, "network", "import", "network_batch")
    return import_batch(actor=actor, rows=parse_ftm_lines(data), data=data, name=name, source_kind=source_kind,
                        confidence=confidence)


def _entity(entity_id: str) -> Entity:
    entity = Entity.objects.filter(pk=entity_id).first()
    if entity is None:
        raise NotFound()
    return entity


@service
def merge(*, actor: Actor, keep_id: str, merge_id: str, reason: str) -> Entity:
    """An analyst decides two entities are one (two spellings of a boss): ``merge_id`` folds into
    ``keep_id`` in the graph; its statements stay, so ``split`` restores it exactly."""
    require(actor, "network", "resolve", "network_entity", merge_id)
    if not reason.strip():
        raise ValidationFailed(_("Give a reason for the merge."))
    keep, other = _entity(keep_id), _entity(merge_id)
    keep = keep.canonical or keep
    if keep.pk == other.pk or other.canonical_id == keep.pk:
        raise ValidationFailed(_("These are already one entity."))
    if not model.get(keep.schema).can_match(model.get(other.schema)):
        raise ValidationFailed(_("A %(a)s cannot be the same as a %(b)s.") % {"a": keep.schema, "b": other.schema})
    Entity.objects.filter(canonical=other).update(canonical=keep)
    other.canonical = keep
    other.save(update_fields=["canonical"])
    store.bump()
    insider.scan(actor)
    audit.record(actor, AuditEventType.NETWORK_RESOLVED, subject_type="network_entity", subject_id=other.pk,
                 extra={"into": keep.pk, "reason": reason.strip()[:200]})
    return keep


@service
def split(*, actor: Actor, entity_id: str, reason: str) -> Entity:
    """Undo a merge or an identifier resolution the analyst disagrees with."""
    require(actor, "network", "resolve", "network_entity", entity_id)
    if not reason.strip():
        raise ValidationFailed(_("Give a reason for the split."))
    entity = _entity(entity_id)
    if entity.canonical_id is None:
        raise ValidationFailed(_("This entity is not merged into another."))
    was = entity.canonical_id
    entity.canonical = None
    # Keep it apart from now on even though it shares an identifier: a split is a decision.
    entity.identifier = ""
    entity.save(update_fields=["canonical", "identifier"])
    store.bump()
    audit.record(actor, AuditEventType.NETWORK_RESOLVED, subject_type="network_entity", subject_id=entity.pk,
                 extra={"split_from": was, "reason": reason.strip()[:200]})
    return entity


@service
def retract(*, actor: Actor, statement_id: int, reason: str) -> Statement:
    """Withdraw one value (a wrong phone, a false allegation); it stays on record, out of the graph."""
    require(actor, "network", "edit", "network_statement", statement_id)
    if not reason.strip():
        raise ValidationFailed(_("Give a reason for the retraction."))
    statement = Statement.objects.filter(pk=statement_id, retracted_at__isnull=True).first()
    if statement is None:
        raise NotFound()
    statement.retracted_at = timezone.now()
    statement.save(update_fields=["retracted_at"])
    _materialise({statement.entity_id}, statement.retracted_at)
    store.bump()
    audit.record(actor, AuditEventType.NETWORK_ENTITY_CHANGED, subject_type="network_entity",
                 subject_id=statement.entity_id, extra={"retracted": statement.prop, "reason": reason.strip()[:200]})
    return statement


@service
def link_person(*, actor: Actor, entity_id: str, person_id) -> Entity:
    """Resolve a Person entity to a registry record (a rescued worker named in a chain)."""
    from crossing.access.refusals import person_for

    require(actor, "network", "resolve", "network_entity", entity_id)
    person = person_for(actor, person_id, "person", "view")
    entity = _entity(entity_id)
    if entity.schema != "Person":
        raise ValidationFailed(_("Only a Person entity can be a registry record."))
    entity.person = person
    entity.save(update_fields=["person"])
    store.bump()
    audit.record(actor, AuditEventType.NETWORK_RESOLVED, subject_type="network_entity", subject_id=entity.pk,
                 person_id=person.pk, extra={"registry_person": str(person.pk)})
    return entity


@service
def mark_official(*, actor: Actor, entity_id: str, user) -> Entity:
    """Record that an entity is a Crossing user (an officer's declared phone or account), so that
    links from it to the syndicates raise a conflict-of-interest alert."""
    require(actor, "network", "resolve", "network_entity", entity_id)
    entity = _entity(entity_id)
    entity.official = user
    entity.save(update_fields=["official"])
    store.bump()
    insider.scan(actor)
    audit.record(actor, AuditEventType.NETWORK_RESOLVED, subject_type="network_entity", subject_id=entity.pk,
                 extra={"official": user.pk})
    return entity


@service
def link_people(*, actor: Actor, links: dict[str, object]) -> int:
    """``link_person`` for many entities at once (a source that names rescued workers by reference)."""
    require(actor, "network", "resolve", "network_entity")
    visible = set(policy.people(actor).filter(pk__in=list(links.values())).values_list("pk", flat=True))
    entities = list(Entity.objects.filter(pk__in=list(links), schema="Person"))
    if len(entities) != len(links) or any(links[e.pk] not in visible for e in entities):
        raise ValidationFailed(_("Every entity must be a Person and every record one you may see."))
    for entity in entities:
        entity.person_id = links[entity.pk]
    Entity.objects.bulk_update(entities, ["person"], batch_size=1000)
    store.bump()
    audit.record_many(actor, [EventDraft(AuditEventType.NETWORK_RESOLVED, "network_entity", e.pk, e.person_id,
                                         "allowed", {"registry_person": str(e.person_id)}) for e in entities])
    insider.scan(actor)
    return len(entities)
