"""A learned score for laundering accounts: gradient-boosted trees on graph features, where labels exist.

The issue's reference point is IBM's AMLworld: on HI-Small, gradient-boosted trees reach about 63 %
minority-class F1 with graph features and 21 % with the transactions' raw features alone. Here the unit
is the account (is it a mule, layering or collector account?), not the transaction, and two feature sets
are computed in one DuckDB pass over ``txns`` so the same run measures both:

* ``raw``: what each account's own transfers say, without looking at who is on the other side — counts,
  USD in and out, average and largest amounts, round amounts, channels, crypto, night-time share, when
  it was first seen and how long it was active;
* ``graph`` = ``raw`` plus the account's place in the flow graph: distinct senders and receivers,
  repeat pairs, reciprocity, out/in balance, money-weighted dwell time, the share of money sent on
  within 48 hours of arriving, the counterparties' own degrees and balances (two hops), the share of
  money from victims and to cash-out points — and the typology detectors' pattern scores for the
  account (the "graph feature preprocessing" of Blanuša et al. for AMLworld: fan-in/out, cycles,
  scatter-gather), when a detector run is given.

``cross_validate`` trains ``sklearn.ensemble.HistGradientBoostingClassifier`` out of fold (folds grouped so
that accounts of one group — one ring — never sit on both sides), picks the decision threshold on the
training side only, and reports minority-class precision, recall and F1 for both feature sets.
``score`` trains on all labels and scores every account, each with the features that make it stand
out (its value and its percentile among all accounts) as reasons.

Known cash-out points, merchants and victims' accounts are not scored: what they are is known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .detectors import TYPOLOGIES
from .schema import CASH_OUT_KINDS, CRYPTO_CURRENCIES, MERCHANT, VICTIM

RAW_FEATURES = (
    "n_in", "n_out", "log_usd_in", "log_usd_out", "log_avg_in", "log_avg_out", "log_max_in", "log_max_out",
    "round_share", "crypto_share", "cash_share", "card_share", "night_share", "first_seen_days", "active_days",
)
GRAPH_FEATURES = (
    "deg_in", "deg_out", "repeat_in", "repeat_out", "reciprocity", "balance", "dwell_h", "onward_48h",
    "snd_deg_out", "snd_balance", "rcv_deg_in", "rcv_balance", "victim_in_share", "cashout_out_share",
    "cashout_in_share",
)
PATTERN_FEATURES = tuple(f"alert_{t}" for t in TYPOLOGIES) + ("alerts",)
FEATURE_SETS = ("raw", "graph")
# Human words for the reasons ("many distinct senders" reads better than deg_in).
LABELS = {
    "n_in": "transfers in", "n_out": "transfers out", "log_usd_in": "USD in (log)", "log_usd_out": "USD out (log)",
    "log_avg_in": "average transfer in (log USD)", "log_avg_out": "average transfer out (log USD)",
    "log_max_in": "largest transfer in (log USD)", "log_max_out": "largest transfer out (log USD)",
    "round_share": "share in round amounts", "crypto_share": "share in crypto", "cash_share": "share by cash courier",
    "card_share": "share by card", "night_share": "share at night (00-06 Bangkok)",
    "first_seen_days": "first seen (days into the data)", "active_days": "days active",
    "deg_in": "distinct senders", "deg_out": "distinct receivers", "repeat_in": "transfers per sender",
    "repeat_out": "transfers per receiver", "reciprocity": "counterparties both ways",
    "balance": "out/in balance (1 = all sent on)",
    "dwell_h": "hours between money's arrival and departure (money-weighted means; negative: sent before received)",
    "onward_48h": "share of money out sent while at least half its amount had arrived in the 48 h before", "snd_deg_out": "senders' distinct receivers",
    "snd_balance": "senders' out/in balance", "rcv_deg_in": "receivers' distinct senders",
    "rcv_balance": "receivers' out/in balance", "victim_in_share": "share of money from victims",
    "cashout_out_share": "share of money to cash-out points", "cashout_in_share": "share of money from cash-out points",
    "alerts": "alerts naming the account",
    **{f"alert_{t}": f"{t.replace('_', ' ')} alert score" for t in TYPOLOGIES},
}
_NOT_SCORED = tuple(sorted(CASH_OUT_KINDS | {MERCHANT, VICTIM}))


def _list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


FEATURES_SQL = f"""
WITH t AS (
  SELECT src, dst, amount_usd AS u, epoch(ts) / 3600.0 AS h, amount, currency, channel,
         (hour(ts) + 7) % 24 < 6 AS night
  FROM txns WHERE amount_usd > 0 AND src <> dst),
t0 AS (SELECT min(h) AS h0 FROM t),
ev AS (
  SELECT dst AS a, src AS cp, 1 AS inb, u, h, amount, currency, channel, night FROM t
  UNION ALL SELECT src, dst, 0, u, h, amount, currency, channel, night FROM t),
own AS (
  SELECT a,
    sum(inb) AS n_in, count(*) - sum(inb) AS n_out,
    coalesce(sum(CASE WHEN inb = 1 THEN u END), 0) AS usd_in,
    coalesce(sum(CASE WHEN inb = 0 THEN u END), 0) AS usd_out,
    coalesce(max(CASE WHEN inb = 1 THEN u END), 0) AS max_in,
    coalesce(max(CASE WHEN inb = 0 THEN u END), 0) AS max_out,
    avg(CASE WHEN amount >= 100 AND amount = round(amount, -2) THEN 1.0 ELSE 0.0 END) AS round_share,
    avg(CASE WHEN currency IN ({_list(sorted(CRYPTO_CURRENCIES))}) OR channel IN ('usdt_trc20', 'other_crypto')
        THEN 1.0 ELSE 0.0 END) AS crypto_share,
    avg(CASE WHEN channel = 'cash_courier' THEN 1.0 ELSE 0.0 END) AS cash_share,
    avg(CASE WHEN channel = 'card' THEN 1.0 ELSE 0.0 END) AS card_share,
    avg(CASE WHEN night THEN 1.0 ELSE 0.0 END) AS night_share,
    min(h) AS first_h, max(h) AS last_h,
    count(DISTINCT CASE WHEN inb = 1 THEN cp END) AS deg_in,
    count(DISTINCT CASE WHEN inb = 0 THEN cp END) AS deg_out,
    sum(CASE WHEN inb = 1 THEN u * h END) AS in_uh, sum(CASE WHEN inb = 0 THEN u * h END) AS out_uh
  FROM ev GROUP BY a),
pairs AS (SELECT a, cp, max(inb) AS has_in, max(1 - inb) AS has_out FROM ev GROUP BY a, cp),
recip AS (SELECT a, avg(CASE WHEN has_in = 1 AND has_out = 1 THEN 1.0 ELSE 0.0 END) AS reciprocity
          FROM pairs GROUP BY a),
onward AS (
  SELECT a, sum(CASE WHEN inb = 0 AND recent_in >= 0.5 * u THEN u ELSE 0 END) AS fast_out FROM (
    SELECT a, inb, u, sum(CASE WHEN inb = 1 THEN u ELSE 0 END) OVER (
      PARTITION BY a ORDER BY h RANGE BETWEEN 48 PRECEDING AND CURRENT ROW) AS recent_in
    FROM ev) GROUP BY a),
bal AS (SELECT a, deg_in, deg_out, CASE WHEN usd_in > 0 THEN least(usd_out / usd_in, 3.0) ELSE 3.0 END AS balance
        FROM own),
nbr AS (
  SELECT p.a,
    avg(CASE WHEN p.has_in = 1 THEN ln(1 + b.deg_out) END) AS snd_deg_out,
    avg(CASE WHEN p.has_in = 1 THEN b.balance END) AS snd_balance,
    avg(CASE WHEN p.has_out = 1 THEN ln(1 + b.deg_in) END) AS rcv_deg_in,
    avg(CASE WHEN p.has_out = 1 THEN b.balance END) AS rcv_balance
  FROM pairs p JOIN bal b ON b.a = p.cp GROUP BY p.a),
kinds AS (
  SELECT e.a,
    sum(CASE WHEN e.inb = 1 AND k.kind = '{VICTIM}' THEN e.u ELSE 0 END) AS victim_in,
    sum(CASE WHEN e.inb = 0 AND k.kind IN ({_list(sorted(CASH_OUT_KINDS))}) THEN e.u ELSE 0 END) AS cashout_out,
    sum(CASE WHEN e.inb = 1 AND k.kind IN ({_list(sorted(CASH_OUT_KINDS))}) THEN e.u ELSE 0 END) AS cashout_in
  FROM ev e JOIN accounts k ON k.account = e.cp GROUP BY e.a)
SELECT o.a AS account,
  o.n_in::DOUBLE AS n_in, o.n_out::DOUBLE AS n_out, ln(1 + o.usd_in) AS log_usd_in, ln(1 + o.usd_out) AS log_usd_out,
  ln(1 + CASE WHEN o.n_in > 0 THEN o.usd_in / o.n_in ELSE 0 END) AS log_avg_in,
  ln(1 + CASE WHEN o.n_out > 0 THEN o.usd_out / o.n_out ELSE 0 END) AS log_avg_out,
  ln(1 + o.max_in) AS log_max_in, ln(1 + o.max_out) AS log_max_out,
  o.round_share, o.crypto_share, o.cash_share, o.card_share, o.night_share,
  (o.first_h - t0.h0) / 24.0 AS first_seen_days, (o.last_h - o.first_h) / 24.0 AS active_days,
  o.deg_in::DOUBLE AS deg_in, o.deg_out::DOUBLE AS deg_out,
  CASE WHEN o.deg_in > 0 THEN o.n_in / o.deg_in ELSE 0 END AS repeat_in,
  CASE WHEN o.deg_out > 0 THEN o.n_out / o.deg_out ELSE 0 END AS repeat_out,
  r.reciprocity, b.balance,
  CASE WHEN o.usd_in > 0 AND o.usd_out > 0 THEN o.out_uh / o.usd_out - o.in_uh / o.usd_in END AS dwell_h,
  CASE WHEN o.usd_out > 0 THEN coalesce(w.fast_out, 0) / o.usd_out ELSE 0 END AS onward_48h,
  n.snd_deg_out, n.snd_balance, n.rcv_deg_in, n.rcv_balance,
  CASE WHEN o.usd_in > 0 THEN coalesce(k.victim_in, 0) / o.usd_in ELSE 0 END AS victim_in_share,
  CASE WHEN o.usd_out > 0 THEN coalesce(k.cashout_out, 0) / o.usd_out ELSE 0 END AS cashout_out_share,
  CASE WHEN o.usd_in > 0 THEN coalesce(k.cashout_in, 0) / o.usd_in ELSE 0 END AS cashout_in_share
FROM own o CROSS JOIN t0
JOIN bal b ON b.a = o.a
LEFT JOIN recip r ON r.a = o.a
LEFT JOIN onward w ON w.a = o.a
LEFT JOIN nbr n ON n.a = o.a
LEFT JOIN kinds k ON k.a = o.a
WHERE o.a NOT IN (SELECT account FROM accounts WHERE kind IN ({_list(_NOT_SCORED)}))
ORDER BY o.a
"""  # noqa: S608 -- built from module constants only


def account_features(con, alerts: pa.Table | None = None) -> pa.Table:
    """One row per scorable account with every feature (``raw``, ``graph`` and, from ``alerts``, the
    pattern scores). ``con`` is a DuckDB connection with the ``txns`` and ``accounts`` relations."""
    table = con.sql(FEATURES_SQL).to_arrow_table()
    scores = {name: np.zeros(table.num_rows) for name in PATTERN_FEATURES}
    if alerts is not None and alerts.num_rows and table.num_rows:
        import duckdb

        local = duckdb.connect()
        try:
            local.register("alerts", alerts.select(["alert_id", "account", "typology", "score"]))
            rows = local.execute("SELECT account, typology, max(score), count(DISTINCT alert_id) FROM alerts "
                                 "GROUP BY account, typology").fetchall()
        finally:
            local.close()
        position = {a: i for i, a in enumerate(table.column("account").to_pylist())}
        for account, typology, best, count in rows:
            i = position.get(account)
            name = f"alert_{typology}"
            if i is None or name not in scores:
                continue
            scores[name][i] = best
            scores["alerts"][i] += count
    for name in PATTERN_FEATURES:
        table = table.append_column(name, pa.array(scores[name], pa.float64()))
    return table


def columns(feature_set: str, with_patterns: bool = True) -> tuple[str, ...]:
    if feature_set == "raw":
        return RAW_FEATURES
    if feature_set == "graph":
        return RAW_FEATURES + GRAPH_FEATURES + (PATTERN_FEATURES if with_patterns else ())
    raise ValueError(f"feature set {feature_set!r}: one of {', '.join(FEATURE_SETS)}")


def matrix(table: pa.Table, names) -> np.ndarray:
    """Features as float32, missing (no senders, no receivers) as NaN: the trees handle it natively."""
    return np.column_stack([table.column(n).to_numpy(zero_copy_only=False).astype(np.float32) for n in names]) \
        if table.num_rows else np.zeros((0, len(names)), np.float32)


@dataclass
class Metrics:
    precision: float
    recall: float
    f1: float
    positives: int
    negatives: int
    threshold: float
    skipped_folds: int = 0  # folds with fewer than two positives to learn from (their positives count as missed)

    def to_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "positives": self.positives, "negatives": self.negatives, "threshold": round(self.threshold, 4),
                "skipped_folds": self.skipped_folds}


def _model(seed: int, positives: int):
    from sklearn.ensemble import HistGradientBoostingClassifier

    # Early stopping holds out a stratified tenth, which needs enough positives on both sides; with
    # fewer, a fixed 100 trees.
    early = positives >= 20
    return HistGradientBoostingClassifier(max_iter=300 if early else 100, learning_rate=0.1, max_leaf_nodes=31,
                                          min_samples_leaf=min(10, max(1, positives // 2)), l2_regularization=1.0,
                                          early_stopping=early, validation_fraction=0.1, n_iter_no_change=20,
                                          random_state=seed)


def _sample(y: np.ndarray, rng: np.random.Generator, negatives_per_positive: int) -> np.ndarray:
    """All positives and a sample of the negatives. The probabilities are then not calibrated to the
    true share, which does not matter: the threshold is chosen on held-out rows. (Weighting the
    negatives back made sklearn's early stopping two orders of magnitude slower.)"""
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    keep = min(len(neg), max(1000, negatives_per_positive * len(pos)))
    chosen = rng.choice(neg, keep, replace=False) if keep < len(neg) else neg
    return np.concatenate([pos, chosen])


def _fit(x, y, seed, negatives_per_positive):
    from threadpoolctl import threadpool_limits

    idx = _sample(y, np.random.default_rng(seed), negatives_per_positive)
    model = _model(seed, int((y == 1).sum()))
    # One thread: on small matrices OpenMP threads mostly wait, and when another process (DuckDB) holds the
    # cores, spinning threads made a fit or a prediction 10-100 times slower.
    with threadpool_limits(1, "openmp"):
        model.fit(x[idx], y[idx])
    return model


def _predict(model, x: np.ndarray) -> np.ndarray:
    from threadpoolctl import threadpool_limits

    if not len(x):
        return np.zeros(0)
    with threadpool_limits(1, "openmp"):
        return model.predict_proba(x)[:, 1]


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability that maximises F1 on these (training-side) predictions. Only cuts between
    different probabilities count: ``p >= threshold`` flags a run of equal scores whole."""
    order = np.argsort(-p, kind="stable")
    ps = p[order]
    tp = np.cumsum(y[order] == 1)
    k = np.arange(1, len(order) + 1)
    f1 = 2 * tp / (k + max(1, int((y == 1).sum())))
    run_end = np.append(ps[1:] != ps[:-1], True)
    f1 = np.where(run_end, f1, -1.0)
    return float(ps[int(np.argmax(f1))])


def _metrics(y: np.ndarray, flagged: np.ndarray, threshold: float, skipped: int = 0) -> Metrics:
    """Minority-class precision, recall and F1 of ``flagged`` against the labels ``y``."""
    tp = int((flagged & (y == 1)).sum())
    precision = tp / max(1, int(flagged.sum()))
    recall = tp / max(1, int((y == 1).sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, int((y == 1).sum()), int((y == 0).sum()), threshold, skipped)


def _folds(groups: np.ndarray, k: int) -> np.ndarray:
    """Fold number per row: groups dealt round-robin in a seeded order, so a group sits in one fold."""
    uniq = np.unique(groups)
    order = np.random.default_rng(7).permutation(len(uniq))
    fold_of = {g: int(i % k) for i, g in zip(order, uniq, strict=True)}
    return np.array([fold_of[g] for g in groups])


def cross_validate(x: np.ndarray, y: np.ndarray, groups: np.ndarray, *, folds: int = 4, seed: int = 0,
                   negatives_per_positive: int = 50) -> tuple[Metrics, np.ndarray, np.ndarray]:
    """Minority-class metrics, out-of-fold scores and flags (score at or above the fold's threshold).
    Each fold's model is fitted on two thirds of its training side and its threshold chosen on the
    other third (never on the rows it is judged on)."""
    fold = _folds(groups, folds)
    oof = np.zeros(len(y))
    hits = np.zeros(len(y), bool)
    thresholds = []
    skipped = 0
    for f in range(folds):
        train, test = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        if not len(test):
            continue
        if (y[train] == 1).sum() < 2 or not (y[train] == 0).any():
            skipped += 1  # nothing to learn from: this fold's positives count as missed
            continue
        inner = _folds(groups[train], 3)
        fit_part, tune_part = train[inner != 0], train[inner == 0]
        if (y[fit_part] == 1).sum() < 2 or not (y[tune_part] == 1).any():
            fit_part, tune_part = train, train  # too few groups to hold a third out: tuned in-sample (optimistic)
        # one model per fold, fitted on two thirds of its training side: the other third sets its threshold
        model = _fit(x[fit_part], y[fit_part], seed + f, negatives_per_positive)
        threshold = _best_threshold(y[tune_part], _predict(model, x[tune_part]))
        oof[test] = _predict(model, x[test])
        hits[test] = oof[test] >= threshold
        thresholds.append(threshold)
    threshold = float(np.median(thresholds)) if thresholds else 0.5
    return _metrics(y, hits, threshold, skipped), oof, hits


@dataclass
class Scored:
    accounts: list[str]
    scores: np.ndarray
    threshold: float
    reasons: list[list[str]]
    importance: list[tuple[str, float]]


def score(table: pa.Table, labels: dict[str, int], *, feature_set: str = "graph", seed: int = 0,
          negatives_per_positive: int = 50, top_reasons: int = 3, threshold: float | None = None) -> Scored:
    """Train on the labelled accounts and score every account in ``table``.

    ``threshold`` (an account is flagged at or above it) is best taken from ``cross_validate`` (the
    median of its folds' thresholds); without it, the F1-best on the training rows, which is optimistic.
    Reasons are the account's most unusual values among the features the model relies on most
    (permutation importance on the labelled rows)."""
    from sklearn.inspection import permutation_importance
    from threadpoolctl import threadpool_limits

    names = columns(feature_set, with_patterns="alert_fan_in" in table.column_names)
    x = matrix(table, names)
    accounts = table.column("account").to_pylist()
    idx = np.array([i for i, a in enumerate(accounts) if a in labels], np.int64)
    y = np.array([labels[accounts[i]] for i in idx], np.int64)
    model = _fit(x[idx], y, seed, negatives_per_positive)
    p_all = _predict(model, x)
    if threshold is None:
        threshold = _best_threshold(y, p_all[idx])
    sample = _sample(y, np.random.default_rng(seed), 20)
    with threadpool_limits(1, "openmp"):  # see _fit
        imp = permutation_importance(model, x[idx][sample], y[sample], n_repeats=3, random_state=seed,
                                     scoring="average_precision")
    ranked = sorted(zip(names, imp.importances_mean, strict=True), key=lambda kv: -kv[1])
    important = [n for n, v in ranked if v > 0][:8] or [n for n, _ in ranked[:8]]
    cols = [names.index(n) for n in important]
    pct = np.column_stack([_percentiles(x[:, c]) for c in cols])
    # per account, the important features where it is furthest from the median (missing values last)
    picks = np.argsort(-np.where(np.isnan(pct), -1.0, np.abs(pct - 0.5)), axis=1, kind="stable")[:, :top_reasons]
    reasons = [[_reason(important[j], float(x[i, cols[j]]), pct[i, j]) for j in row if not np.isnan(pct[i, j])]
               for i, row in enumerate(picks.tolist())]
    return Scored(accounts, p_all, threshold, reasons, [(n, float(v)) for n, v in ranked])


def _percentiles(col: np.ndarray) -> np.ndarray:
    out = np.full(len(col), np.nan)
    ok = ~np.isnan(col)
    if ok.any():
        order = col[ok].argsort(kind="stable").argsort(kind="stable")
        out[ok] = (order + 0.5) / ok.sum()
    return out


def _reason(name: str, value: float, pct: float) -> str:
    where = f"top {max(1, math.ceil((1 - pct) * 100))} %" if pct >= 0.5 else f"bottom {max(1, math.ceil(pct * 100))} %"
    shown = f"{value:.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{LABELS.get(name, name)}: {shown} ({where} of accounts)"
