"""Exports of the whole compartment for the tools investigators already use.

* ``export_ftm``: FtM entities as JSON lines (Aleph, ``ftm`` / followthemoney tooling, OpenSanctions'
  nomenklatura). Only canonical entities are written: an entity merged into another (by a shared
  phone, account or wallet, or by an analyst) is folded into its canonical entity, and every entity
  reference (a link's subject, a payment's beneficiary account) is rewritten to the canonical id.
* ``export_statements``: FtM statements as CSV, one row per value, so provenance survives: dataset
  is our source (the file or form), origin who recorded it (username, or the source kind when no
  one did), first_seen when. Merged entities keep their own entity_id under the canonical_id.
* ``export_gexf``: GEXF 1.3 for Gephi: the analysis graph (phone numbers as nodes), one edge per
  derived edge, labelled with its kind, weighted by the amount paid.
* ``export_i2_csv``: i2 Analyst's Notebook import CSV, one link per row between two entities.

Every export needs ``network.export``; a refusal is a NotFound, audited as ACCESS_DENIED; an export
is audited as one NETWORK_EXPORTED event with its format and counts. Retracted statements are never
exported. Nothing about the registry (who an entity is in the registry, an official's account) is
exported: those are links inside Crossing, not intelligence. See docs/network-interop.md.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC
from typing import TextIO
from xml.sax.saxutils import XMLGenerator

from django.db.models.functions import Coalesce
from django.utils import timezone
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.statement import Statement as FtmStatement
from followthemoney.statement.serialize import CSVStatementWriter
from followthemoney.types import registry

from analytics.network.vocabulary import LINK_SCHEMATA, EdgeKind
from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.access.refusals import require, service
from crossing.core.spreadsheet_safety import neutralise_row
from crossing.network import store
from crossing.network.models import Edge, Entity, Statement
from crossing.network.selectors import EDGE_LABELS

FORMATS = ("ftm", "statements", "gexf", "i2-csv")
I2_COLUMNS = ["Entity1 Identity", "Entity1 Type", "Entity1 Label", "Link Type", "Entity2 Identity", "Entity2 Type",
              "Entity2 Label", "Link Date", "Amount"]
GEXF_NS = "http://gexf.net/1.3"
EDGE_SCHEMATA = frozenset(LINK_SCHEMATA) | {"Message"}
# Characters XML 1.0 cannot carry even escaped (a control character pasted into a name).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _allowed(actor: Actor) -> None:
    require(actor, "network", "export", "network")


def _audited(actor: Actor, fmt: str, **counts) -> None:
    audit.record(actor, AuditEventType.NETWORK_EXPORTED, subject_type="network", extra={"format": fmt, **counts})


def canonical_map() -> dict[str, str]:
    """Merged entity id -> the id of the canonical entity it ends up in (following merge chains)."""
    direct = dict(Entity.objects.filter(canonical__isnull=False).values_list("pk", "canonical_id"))
    resolved = {}
    for pk in direct:
        seen, target = {pk}, direct[pk]
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        resolved[pk] = target
    return resolved


def _rewrite(proxy, canonical: dict[str, str]):
    for prop in list(proxy.iterprops()):
        if prop.type == registry.entity:
            values = proxy.get(prop)
            rewritten = [canonical.get(v, v) for v in values]
            if rewritten != values:
                proxy.set(prop, rewritten, cleaned=True, quiet=True)
    return proxy


def proxies() -> Iterator:
    """The compartment's canonical entities as FtM proxies, merged entities folded in."""
    canonical = canonical_map()
    folded: dict[str, list[Entity]] = defaultdict(list)
    for entity in Entity.objects.filter(pk__in=list(canonical)).order_by("pk"):
        folded[canonical[entity.pk]].append(entity)
    for entity in Entity.objects.filter(canonical__isnull=True).order_by("pk").iterator(2000):
        proxy = model.get_proxy({"id": entity.pk, "schema": entity.schema, "properties": entity.properties},
                                cleaned=False)
        for other in folded.get(entity.pk, []):
            try:
                proxy.merge(model.get_proxy({"id": other.pk, "schema": other.schema,
                                             "properties": other.properties}, cleaned=False))
            except InvalidData:
                continue  # schemata that cannot be one entity: keep the canonical one as it is
        yield _rewrite(proxy, canonical)


@service
def export_ftm(stream: TextIO, *, actor: Actor) -> dict:
    """FtM entities as JSON lines; each line is ``model.get_proxy(line).to_dict()``-clean."""
    _allowed(actor)
    count = 0
    for proxy in proxies():
        stream.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    counts = {"entities": count}
    _audited(actor, "ftm", **counts)
    return counts


def _when(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") if value else None


@service
def export_statements(stream: TextIO, *, actor: Actor) -> dict:
    """FtM statement CSV (followthemoney.statement's CSV columns): dataset = our source, origin = who
    recorded it (or the source kind), first_seen = when. ``stream`` is a text stream opened with
    ``newline=""``."""
    _allowed(actor)
    canonical = canonical_map()
    writer = CSVStatementWriter(stream)
    count, entities = 0, set()
    # Grouped by canonical entity, as FtM's sorted aggregation (``ftm sorted-aggregate``) expects.
    rows = (Statement.objects.filter(retracted_at__isnull=True)
            .order_by(Coalesce("entity__canonical_id", "entity_id"), "entity_id", "id")
            .values_list("entity_id", "schema", "prop", "value", "original_value", "lang", "source", "source_kind",
                         "recorded_by__username", "recorded_at"))
    for entity_id, schema, prop, value, original, lang, source, kind, username, recorded_at in rows.iterator(5000):
        prop_obj = model.get(schema).get(prop) if model.get(schema) else None
        if prop_obj is None:
            continue
        if prop_obj.type == registry.entity and value in canonical:
            original, value = original or value, canonical[value]
        writer.write(FtmStatement(entity_id=entity_id, canonical_id=canonical.get(entity_id, entity_id), prop=prop,
                                  schema=schema, value=value, dataset=source, lang=lang or None,
                                  original_value=original or None, first_seen=_when(recorded_at),
                                  origin=username or kind))
        count += 1
        entities.add(entity_id)
    writer.close()
    counts = {"entities": len(entities), "statements": count}
    _audited(actor, "statements", **counts)
    return counts


def graph_links() -> tuple[list[str], list[str], list[str], list[tuple[int, int, int, float, str]]]:
    """Nodes (ids, schemata, names) and edges (source, target, kind, amount, date) of the analysis graph,
    as ``store.graph_data`` folds them (canonical entities, phones as nodes), with the edges' dates."""
    data = store.graph_data()
    canonical = data.meta.get("canonical", {})
    index = {pk: i for i, pk in enumerate(data.ids)}

    def node(key: str) -> int | None:
        key = canonical.get(key, key)
        return index.get(canonical.get(key, key))

    edges = []
    for source, target, kind, amount, when in Edge.objects.order_by("id").values_list(
            "source", "target", "kind", "amount", "date").iterator(8000):
        a, b = node(source), node(target)
        if a is None or b is None or a == b:
            continue
        edges.append((a, b, kind, amount, when))
    return data.ids, data.schemata, data.names, edges


def _label(kind: int) -> str:
    try:
        return EDGE_LABELS[EdgeKind(kind)]
    except ValueError:
        return str(kind)


def _kind(kind: int) -> str:
    try:
        return EdgeKind(kind).name.lower()
    except ValueError:
        return str(kind)


def _xml(text) -> str:
    return _NOT_XML.sub("", str(text))


@service
def export_gexf(stream: TextIO, *, actor: Actor) -> dict:
    """GEXF 1.3: nodes with label and schema, directed edges labelled with their kind and weighted by
    the amount paid (1 for edges without an amount)."""
    _allowed(actor)
    ids, schemata, names, edges = graph_links()
    used = set()
    for a, b, *_ in edges:
        used.update((a, b))
    # A link entity (Payment, UnknownLink, a Message) is drawn as the edges it makes, not as a node.
    keep = [i for i in range(len(ids)) if i in used or not (ids[i].startswith("phone:") or schemata[i] in EDGE_SCHEMATA)]
    out = XMLGenerator(stream, encoding="utf-8", short_empty_elements=True)
    out.startDocument()
    out.startElement("gexf", {"xmlns": GEXF_NS, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                              "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"})
    out.startElement("meta", {"lastmodifieddate": timezone.now().date().isoformat()})
    for tag, text in (("creator", "Crossing"), ("description", "Crossing network compartment: FtM entities and "
                                                                   "phone numbers, derived edges")):
        out.startElement(tag, {})
        out.characters(text)
        out.endElement(tag)
    out.endElement("meta")
    out.startElement("graph", {"defaultedgetype": "directed", "mode": "static"})
    out.startElement("attributes", {"class": "node", "mode": "static"})
    out.startElement("attribute", {"id": "schema", "title": "schema", "type": "string"})
    out.endElement("attribute")
    out.endElement("attributes")
    out.startElement("attributes", {"class": "edge", "mode": "static"})
    for key in ("kind", "date"):
        out.startElement("attribute", {"id": key, "title": key, "type": "string"})
        out.endElement("attribute")
    out.endElement("attributes")
    out.startElement("nodes", {"count": str(len(keep))})
    for i in keep:
        out.startElement("node", {"id": _xml(ids[i]), "label": _xml(names[i] or ids[i])})
        out.startElement("attvalues", {})
        out.startElement("attvalue", {"for": "schema", "value": schemata[i]})
        out.endElement("attvalue")
        out.endElement("attvalues")
        out.endElement("node")
    out.endElement("nodes")
    out.startElement("edges", {"count": str(len(edges))})
    for n, (a, b, kind, amount, when) in enumerate(edges):
        out.startElement("edge", {"id": str(n), "source": _xml(ids[a]), "target": _xml(ids[b]), "label": _label(kind),
                                  "weight": repr(float(amount)) if amount and amount > 0 else "1.0"})
        out.startElement("attvalues", {})
        out.startElement("attvalue", {"for": "kind", "value": _kind(kind)})
        out.endElement("attvalue")
        if when:
            out.startElement("attvalue", {"for": "date", "value": _xml(when)})
            out.endElement("attvalue")
        out.endElement("attvalues")
        out.endElement("edge")
    out.endElement("edges")
    out.endElement("graph")
    out.endElement("gexf")
    out.endDocument()
    stream.write("\n")
    counts = {"nodes": len(keep), "edges": len(edges)}
    _audited(actor, "gexf", **counts)
    return counts


@service
def export_i2_csv(stream: TextIO, *, actor: Actor) -> dict:
    """i2 Analyst's Notebook import CSV: one row per link, two entities each with identity, type and
    label; every cell neutralised against spreadsheet formulas. ``stream`` opened with ``newline=""``."""
    _allowed(actor)
    ids, schemata, names, edges = graph_links()
    writer = csv.writer(stream)
    writer.writerow(I2_COLUMNS)
    entities = set()
    for a, b, kind, amount, when in edges:
        writer.writerow(neutralise_row([ids[a], schemata[a], names[a] or ids[a], _label(kind), ids[b], schemata[b],
                                        names[b] or ids[b], when, f"{amount:.2f}" if amount else ""]))
        entities.update((a, b))
    counts = {"entities": len(entities), "links": len(edges)}
    _audited(actor, "i2-csv", **counts)
    return counts


EXPORTERS = {"ftm": export_ftm, "statements": export_statements, "gexf": export_gexf, "i2-csv": export_i2_csv}
