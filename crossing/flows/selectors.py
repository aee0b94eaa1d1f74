"""Reads of the money-flows compartment: alerts, a victim's payment traced, the backbone ranking,
an account's page, complaints. Each checks ``flows.view`` (or ``triage``) and is audited.

The transaction index (analytics.flows.trace.TxnIndex) is built once per process and data version
(the batches and account details), like the network graph: a trace is then a fraction of a second.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
import uuid
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from analytics.flows.trace import TxnIndex, UnknownTransaction
from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import NotFound
from crossing.flows import store
from crossing.flows.models import Complaint, ComplaintStatus, DetectionRun, FlowAccount, FlowBatch

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "index": None, "results": {}}
ACCOUNT_SCHEMATA = ("BankAccount", "CryptoWallet")


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def require(actor: Actor, action: str = "view", subject_type: str = "flows", subject_id="") -> None:
    if not actor.can("flows", action):
        if actor.user is not None and actor.user.is_authenticated:
            audit.record(actor, AuditEventType.ACCESS_DENIED, subject_type=subject_type,
                         subject_id=str(subject_id)[:64], outcome="denied", extra={"action": f"flows.{action}"})
        raise NotFound()


def data_version() -> tuple:
    batches = FlowBatch.objects.aggregate(n=Max("created_at"))["n"]
    accounts = FlowAccount.objects.aggregate(n=Max("updated_at"))["n"]
    latest = FlowBatch.objects.order_by("-created_at").values_list("pk", flat=True).first()
    return (FlowBatch.objects.count(), batches, latest, FlowAccount.objects.count(), accounts)


def index() -> TxnIndex:
    """The current transaction index, rebuilt after an import or an account change: built by the first
    process that needs it for this data version and kept on disk (``<flows dir>/index/<version>/``), so
    other processes — a web worker, a fresh ``crossing flows trace`` — memory-map it in a fraction of a
    second instead of rebuilding it (about 11 s for ten million transactions)."""
    key = data_version()
    with _lock:
        if _cache["key"] != key or _cache["index"] is None:
            _cache["index"] = _load_or_build(hashlib.sha256(repr(key).encode()).hexdigest()[:24])
            _cache["key"], _cache["results"] = key, {}
        return _cache["index"]


def _load_or_build(version: str) -> TxnIndex:
    base = store.root() / "index"
    base.mkdir(exist_ok=True, mode=0o700)
    folder = base / version
    if (folder / "meta.json").exists():
        try:
            return TxnIndex.load(folder)
        except (OSError, ValueError, KeyError):
            shutil.rmtree(folder, ignore_errors=True)  # damaged: built again below
    con = store.connect()
    try:
        built = TxnIndex.from_connection(con)
    finally:
        con.close()
    tmp = base / f".{version}.{uuid.uuid4().hex}"
    try:
        built.save(tmp)
        os.rename(tmp, folder)  # atomic; if another process got there first, its copy stays
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in base.iterdir():  # earlier versions (a process still mapping one keeps its pages), dead builds
        if old.name != version and (not old.name.startswith(".") or old.stat().st_mtime < time.time() - 3600):
            shutil.rmtree(old, ignore_errors=True)
    return built


def _cached(name: str, compute):
    index()  # refreshes the key first
    results = _cache["results"]
    if name not in results:
        results[name] = compute()
    return results[name]


_alerts_lock = threading.Lock()
_alerts: dict[str, Any] = {"path": None, "table": None}


def latest_alerts() -> pa.Table | None:
    """The latest detector run's alerts, read once per process and run (a run's file never changes)."""
    path = store.latest_alerts_file()
    if not path:
        return None
    with _alerts_lock:
        if _alerts["path"] != path:
            _alerts["table"], _alerts["path"] = pq.read_table(path), path
        return _alerts["table"]


def learned_scores(actor: Actor, labels, *, feature_set: str = "graph", folds: int = 4) -> dict:
    """Gradient-boosted trees trained on analysts' labels (crossing.flows.labels.Labels) over the
    accounts' graph features and the latest detector run's pattern scores: every account scored, with
    reasons, and the cross-validated precision/recall/F1 on the labelled accounts beside the same model
    on raw features alone.

    Every account that takes part in training (the labelled ones; without any label 0, every account,
    the unlabelled standing in as legitimate) gets its out-of-fold score — from a model that never saw
    it or its group — so an unlabelled account is a lead on its own merits, not one the model was
    taught to call legitimate. Other accounts get the model trained on all labels."""
    import numpy as np

    from analytics.flows import learning
    from crossing.core.errors import ValidationFailed

    require(actor)
    con = store.connect()
    try:
        table = learning.account_features(con, latest_alerts())
    finally:
        con.close()
    accounts = table.column("account").to_pylist()
    known = set(accounts)
    given = {a: v for a, v in labels.values.items() if a in known}
    unlabelled_negative = not any(v == 0 for v in given.values())
    values = {a: given.get(a, 0) for a in accounts} if unlabelled_negative else given
    positives = sum(given.values())
    # a group is the analyst's case; an account without one is its own group (keys kept apart)
    group_of = {a: f"case:{g}" for a, g in labels.groups.items()}
    positive_groups = {group_of.get(a, f"account:{a}") for a, v in given.items() if v == 1}
    if positives < 5 or len(values) - positives < 5 or len(positive_groups) < 2:
        raise ValidationFailed(
            _("at least 5 accounts labelled 1 (in at least 2 cases) and 5 labelled 0 must be scorable accounts of "
              "the stored transactions; found %(p)d labelled 1 in %(g)d case(s) and %(n)d labelled 0 "
              "(%(away)d labelled accounts are not among them: not in the transactions, or victims, merchants "
              "or cash-out points, which are not scored)") % {
                "p": positives, "g": len(positive_groups), "n": len(values) - positives,
                "away": len(labels.values) - len(given)},
            extra={"errors": [{"row": None, "field": "label", "message": _("too few")}]})
    rows = np.array([i for i, a in enumerate(accounts) if a in values], np.int64)
    y = np.array([values[accounts[i]] for i in rows], np.int64)
    groups = np.array([group_of.get(accounts[i], f"account:{accounts[i]}") for i in rows])
    with_patterns = "alert_fan_in" in table.column_names
    metrics, oof = {}, None
    for name in ("raw", feature_set) if feature_set != "raw" else ("raw",):
        x = learning.matrix(table, learning.columns(name, with_patterns=with_patterns))[rows]
        m, scores, hits = learning.cross_validate(x, y, groups, folds=folds)
        metrics[name] = m
        if name == feature_set:
            oof = (scores, hits)
    chosen = metrics[feature_set]
    scored = learning.score(table, values, feature_set=feature_set, threshold=chosen.threshold)
    score = scored.scores.copy()
    flagged = score >= chosen.threshold
    score[rows], flagged[rows] = oof
    order = np.argsort(-score, kind="stable")
    result = {
        "feature_set": feature_set, "labelled": len(given), "positives": positives,
        "unlabelled_as_legitimate": unlabelled_negative, "metrics": {k: m.to_dict() for k, m in metrics.items()},
        "threshold": chosen.threshold, "importance": scored.importance[:10],
        "accounts": [{"account": accounts[i], "score": float(score[i]), "flagged": bool(flagged[i]),
                      "label": given.get(accounts[i]), "reasons": scored.reasons[i]} for i in order],
    }
    audit.record(actor, AuditEventType.FLOWS_ANALYSED, subject_type="flows",
                 extra={"view": "learned_scores", "labelled": len(given), "positives": positives})
    return result


def alerts(actor: Actor, *, typology: str = "", account: str = "", limit: int = 500) -> dict:
    """The latest detector run's alerts: one row per participating account, best first."""
    require(actor)
    run = DetectionRun.objects.first()
    table = latest_alerts()
    rows: list[dict] = []
    summary: dict[str, dict] = {}
    if table is not None and table.num_rows:
        import duckdb

        con = duckdb.connect()
        try:
            con.register("alerts", table)
            where, params = [], []
            if typology:
                where.append("typology = ?")
                params.append(typology)
            if account:
                where.append("alert_id IN (SELECT alert_id FROM alerts WHERE account = ?)")
                params.append(account)
            clause = ("WHERE " + " AND ".join(where)) if where else ""
            rows = _dicts(con.execute(f"SELECT * FROM alerts {clause} ORDER BY score DESC, alert_id, role, account "  # noqa: S608
                                      f"LIMIT {int(limit)}", params))
            for typ, n_alerts, n_accounts, best in con.execute(
                    "SELECT typology, count(DISTINCT alert_id), count(DISTINCT account), max(score) FROM alerts "
                    "GROUP BY typology ORDER BY typology").fetchall():
                summary[typ] = {"alerts": n_alerts, "accounts": n_accounts, "best": best}
        finally:
            con.close()
    audit.record(actor, AuditEventType.FLOWS_VIEWED, subject_type="flows",
                 extra={"view": "alerts", "typology": typology, "rows": len(rows)})
    return {"run": run, "rows": rows, "summary": summary}


def victim_txns() -> list[str]:
    """Payments known to come from victims: complaints linked to a transaction or added as one
    (transfers from accounts of kind "victim" are found by the ranking itself)."""
    return list(Complaint.objects.filter(status__in=[ComplaintStatus.LINKED, ComplaintStatus.ADDED])
                .exclude(txn_id="").values_list("txn_id", flat=True))


def ranking(actor: Actor, top: int = 25) -> list[dict]:
    """Accounts ranked by the victim money that passes through them (or, without known victims,
    by the detected patterns and the flow structure), with the network entities behind them."""
    from analytics.flows.backbone import rank_backbone

    require(actor)
    run = DetectionRun.objects.first()
    victims = victim_txns()
    key = f"rank:{top}:{run.pk if run else ''}:{hash(tuple(sorted(victims)))}"

    def compute():
        idx = index()
        known = [t for t in victims if _has(idx, t)]
        return rank_backbone(idx, victim_txns=known, alerts=latest_alerts(), top=top)

    ranked = [dict(r) for r in _cached(key, compute)]
    _behind(ranked)
    audit.record(actor, AuditEventType.FLOWS_ANALYSED, subject_type="flows", extra={"view": "ranking", "top": top})
    return ranked


def _has(idx: TxnIndex, txn_id: str) -> bool:
    try:
        idx.position(txn_id)
    except (UnknownTransaction, KeyError):
        return False
    return True


def entities_behind(accounts: list[str]) -> dict[str, dict]:
    """account -> {"entity": (id, caption), "holders": [(id, caption), ...]} from the network
    compartment: the BankAccount or CryptoWallet with that identifier, and who holds or owns it."""
    from analytics.network.vocabulary import EdgeKind
    from crossing.network import identifiers
    from crossing.network.models import Edge, Entity

    if not accounts:
        return {}
    linked = dict(FlowAccount.objects.filter(account__in=accounts).exclude(entity_id="")
                  .values_list("account", "entity_id"))
    # The network's resolution keys (identifiers.identifier_of): "wallet:<address>", "account:<BANK:NUMBER>".
    keys = {a: {f"wallet:{identifiers.wallet(a)}", f"account:{a}", f"account:{identifiers.account(a)}"}
            for a in accounts}
    wanted = set().union(*keys.values())
    by_identifier = {}
    for pk, identifier, caption, canonical in Entity.objects.filter(
            Q(identifier__in=wanted, schema__in=ACCOUNT_SCHEMATA) | Q(pk__in=linked.values())).values_list(
            "pk", "identifier", "caption", "canonical_id"):
        by_identifier.setdefault(identifier, (canonical or pk, caption))
        by_identifier.setdefault(f"id:{pk}", (canonical or pk, caption))
    out: dict[str, dict] = {}
    for account in accounts:
        found = by_identifier.get(f"id:{linked[account]}") if account in linked else None
        found = found or next((by_identifier[k] for k in keys[account] if k in by_identifier), None)
        if found:
            out[account] = {"entity": found, "holders": []}
    entity_ids = {v["entity"][0] for v in out.values()}
    holders: dict[str, list[str]] = {}
    for source, target in Edge.objects.filter(target__in=entity_ids, kind__in=[EdgeKind.HOLDER, EdgeKind.OWNERSHIP]) \
            .values_list("source", "target"):
        holders.setdefault(target, []).append(source)
    captions = dict(Entity.objects.filter(pk__in={h for hs in holders.values() for h in hs})
                    .values_list("pk", "caption"))
    for info in out.values():
        info["holders"] = [(h, captions.get(h, h)) for h in sorted(set(holders.get(info["entity"][0], [])))]
    return out


def _behind(rows: list[dict]) -> None:
    behind = entities_behind([r["account"] for r in rows])
    for row in rows:
        info = behind.get(row["account"])
        row["entity"] = info["entity"] if info else None
        row["holders"] = info["holders"] if info else []


def trace(actor: Actor, txn_id: str, rule: str = "fifo") -> dict:
    """One payment followed forward to where it left (cash-out points) or still is, with amounts."""
    require(actor, subject_type="flows_txn", subject_id=txn_id)
    result = _trace(txn_id, rule)
    audit.record(actor, AuditEventType.FLOWS_VIEWED, subject_type="flows_txn", subject_id=txn_id[:64],
                 extra={"view": "trace", "rule": rule})
    return result


def trace_for_export(actor: Actor, txn_id: str, rule: str = "fifo") -> dict:
    """The trace for an export (``flows.export``); the exporter audits it with what it wrote."""
    require(actor, "export", subject_type="flows_txn", subject_id=txn_id)
    return _trace(txn_id, rule)


def _trace(txn_id: str, rule: str) -> dict:
    """The trace with the network entities behind its accounts and their alerts."""
    from analytics.flows.trace import trace as follow

    try:
        result = follow(index(), txn_id, rule=rule).to_dict()
    except (UnknownTransaction, KeyError):
        raise NotFound() from None
    accounts = sorted({f["src"] for f in result["flows"]} | {f["dst"] for f in result["flows"]})
    result["behind"] = {a: {"entity": list(v["entity"]), "holders": [list(h) for h in v["holders"]]}
                        for a, v in entities_behind(accounts).items()}
    table = latest_alerts()
    flagged: dict[str, list[str]] = {}
    if table is not None and table.num_rows and accounts:
        import pyarrow.compute as pc

        hit = table.filter(pc.is_in(table["account"], pa.array(accounts)))
        for account, typology in zip(hit["account"].to_pylist(), hit["typology"].to_pylist(), strict=True):
            if typology not in flagged.setdefault(account, []):
                flagged[account].append(typology)
    result["flagged"] = flagged
    return result


def account(actor: Actor, account_id: str, limit: int = 200) -> dict:
    """An account: what is known about it, its transfers in and out, its alerts, the entity behind it."""
    require(actor, subject_type="flows_account", subject_id=account_id)
    con = store.connect()
    try:
        rows = _dicts(con.execute("SELECT * FROM txns WHERE src = ? OR dst = ? ORDER BY ts DESC, txn_id LIMIT ?",
                                  [account_id, account_id, limit]))
        totals = con.execute("""SELECT count(*) FILTER (WHERE dst = $1), coalesce(sum(amount_usd) FILTER (WHERE dst = $1), 0),
                                       count(*) FILTER (WHERE src = $1), coalesce(sum(amount_usd) FILTER (WHERE src = $1), 0),
                                       min(ts), max(ts)
                                FROM txns WHERE src = $1 OR dst = $1""", [account_id]).fetchall()[0]
    finally:
        con.close()
    known = FlowAccount.objects.filter(pk=account_id).first()
    if not rows and known is None:
        raise NotFound()
    audit.record(actor, AuditEventType.FLOWS_VIEWED, subject_type="flows_account", subject_id=account_id[:64],
                 extra={"view": "account"})
    return {"account": account_id, "known": known, "rows": rows,
            "totals": dict(zip(("in_n", "in_usd", "out_n", "out_usd", "first", "last"), totals, strict=True)),
            "alerts": alerts_for(account_id), "behind": entities_behind([account_id]).get(account_id)}


def alerts_for(account_id: str) -> list[dict]:
    table = latest_alerts()
    if table is None or not table.num_rows:
        return []
    import pyarrow.compute as pc

    ids = pc.unique(table.filter(pc.equal(table["account"], account_id))["alert_id"])
    return table.filter(pc.is_in(table["alert_id"], ids)).sort_by([("score", "descending")]).to_pylist()


def complaints(actor: Actor, status: str = ComplaintStatus.NEW, limit: int = 200) -> list[Complaint]:
    require(actor, "triage", subject_type="complaint")
    rows = list(Complaint.objects.filter(status=status)[:limit])
    audit.record(actor, AuditEventType.COMPLAINT_VIEWED, subject_type="complaint",
                 extra={"view": "list", "status": status, "rows": len(rows)})
    return rows


def complaint(actor: Actor, complaint_id) -> tuple[Complaint, list[dict]]:
    """A complaint and the stored transactions that may be its payment (same account, amount within
    1 %, within three days)."""
    require(actor, "triage", subject_type="complaint", subject_id=complaint_id)
    item = Complaint.objects.filter(pk=complaint_id).first()
    if item is None:
        raise NotFound()
    con = store.connect()
    try:
        candidates = _dicts(con.execute("""
            SELECT txn_id, ts, src, dst, amount, currency FROM txns
            WHERE dst = ? AND currency = ? AND abs(amount - ?) <= 0.01 * ?
              AND ts BETWEEN CAST(? AS TIMESTAMP) - INTERVAL 3 DAY AND CAST(? AS TIMESTAMP) + INTERVAL 3 DAY
            ORDER BY abs(epoch(ts) - epoch(CAST(? AS TIMESTAMP))) LIMIT 10""",
            [item.paid_to, item.currency, float(item.amount), float(item.amount)] +
            [item.paid_at.replace(tzinfo=None).isoformat(sep=" ")] * 3))
    finally:
        con.close()
    audit.record(actor, AuditEventType.COMPLAINT_VIEWED, subject_type="complaint", subject_id=item.pk,
                 extra={"view": "complaint"})
    return item, candidates
