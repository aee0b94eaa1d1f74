"""Laundering typology detectors: one SQL pipeline definition for DuckDB and Apache Spark.

Each detector is a frozen dataclass of parameters (documented defaults), a function that writes its
query as plain SQL text in the DuckDB dialect (parameters bound as literals: numbers formatted,
strings escaped), and a red flag from the FATF / UNODC indicator lists. The same text runs on Spark
after ``sqlglot.transpile(sql, read="duckdb", write="spark")`` (see ``analytics.flows.spark``).

The detectors read ``txns`` and ``accounts`` (``analytics.flows.schema``) and return one row per
participating account per alert::

    alert_id, typology, account, role, score, amount_usd, first_ts, last_ts, evidence

``role`` is one of hub, origin, intermediate, destination, member, sender, receiver. ``score`` is in
[0, 1] (formula in each detector's docstring); ``amount_usd`` is this account's part; ``evidence`` is
the same short explanation on every row of an alert.

Windows. Patterns may unfold over hours or over months (slow layering), so every detector takes
``windows_h``: window lengths in hours, default 48 h and 90 days. A window of W hours hops by W/2
(each transfer falls in two windows of each length), so a pattern shorter than W/2 always lies whole
inside one. Overlapping alerts on the same hub (the two phases, or a 48 h and a 90 day window seeing
the same episode) are reduced to the best: highest score, then most participants.

Speed. Everything is set-based and staged: the shared stages (``_stages``: cleaned transfers with
hours since epoch, both sides of each transfer, per-account totals and degree, per-pair counts, and
per-account counts and sums by half-window slot) are computed once — ``run_detectors`` materialises
them as temp tables (``fl_*``, dropped at the end), Spark as checkpointed temp views — and every
detector reads them. Candidate windows must pass the count and amount thresholds and an upper bound
of the score that can be computed from the window sums (so ``min_score`` prunes before any join);
transfers are revisited only for candidate accounts, by an equi-join on (account, window, slot), and
"sent on within ``onward_h``" is a running sum over a range window frame (one sort per account, no
self-join). Path joins (cycles, scatter-gather) only go through low-degree accounts with amount
similarity and time bounds — no unbounded path enumeration. ``pipeline`` still gives each detector's
SQL self-contained (the stages as CTEs).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .schema import USD_RATES

TYPOLOGIES = ("fan_in", "fan_out", "pass_through", "cycle", "scatter_gather", "gather_scatter",
              "structuring", "round_amounts", "new_account_burst")

WINDOWS_H = (48.0, 2160.0)  # 48 hours and 90 days
NOISY_HUB_KINDS = ("exchange", "guarantee", "casino", "cash", "merchant")
# A counterparty of a hub takes part in pooling / dispersing / passing on funds only with at least this
# much (USD) in the window: small everyday payments (a shared meal, a top-up) are not funds being moved.
MIN_CP_USD = 100.0
# Credits from an institution (an account of a kind in NOISY_HUB_KINDS: exchange, escrow, casino, cash
# desk, merchant) are the account's own money coming back (a withdrawal, winnings, a refund), not funds
# from third parties: they never count as senders or as funding, and a window whose inflow comes more
# than this share from institutions is not pooling or passing on others' money (an OTC trader's
# exchange purchases, a gambler's winnings).
MAX_INSTITUTION_SHARE = 0.5
# A mule or layering account is a conduit: over all data it pays out nearly all it receives (at most
# this share stays, at most 10 % more leaves); businesses and households keep or add money.
CONDUIT_RESIDUAL = 0.2
STRUCTURING_THRESHOLDS = {"THB": 50000.0, "USD": 10000.0, "USDT": 10000.0, "USDC": 10000.0,
                          "CNY": 50000.0, "MYR": 25000.0}

OUTPUT_COLUMNS = ("alert_id", "typology", "account", "role", "score", "amount_usd", "first_ts",
                  "last_ts", "evidence")
ROLES = ("hub", "origin", "intermediate", "destination", "member", "sender", "receiver")


# Literals ----------------------------------------------------------------------------------------

def num(x: float | int) -> str:
    """A numeric literal read as a DOUBLE by both engines (Spark reads ``1.5`` as DECIMAL)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(float(x)):
        raise ValueError(f"not a finite number: {x!r}")
    s = f"{float(x):.17g}"
    return s if "e" in s else s + "e0"


def lit(s: str) -> str:
    """A string literal; quotes doubled, backslashes and control characters refused (Spark reads
    backslash escapes in literals, DuckDB does not)."""
    s = str(s)
    if "\\" in s or any(ord(c) < 32 for c in s):
        raise ValueError(f"unsupported character in {s!r}")
    return "'" + s.replace("'", "''") + "'"


def _in_list(expr: str, values) -> str:
    values = list(values)
    return f"{expr} IN ({', '.join(lit(v) for v in values)})" if values else "FALSE"


def _windows(ws) -> list[float]:
    ws = sorted({float(w) for w in ws})
    if not ws or any(w <= 0 for w in ws):
        raise ValueError("windows_h needs at least one positive window")
    return ws


# SQL fragments --------------------------------------------------------------------------------

def _usd_txt(x: str) -> str:
    return (f"(CASE WHEN {x} >= 1e6 THEN 'USD ' || CAST(round({x} / 1e6, 1) AS VARCHAR) || ' m' "
            f"WHEN {x} >= 1e4 THEN 'USD ' || CAST(CAST(round({x} / 1e3) AS BIGINT) AS VARCHAR) || ' k' "
            f"ELSE 'USD ' || CAST(CAST(round({x}) AS BIGINT) AS VARCHAR) END)")


def _int_txt(x: str) -> str:
    return f"CAST(CAST(round({x}) AS BIGINT) AS VARCHAR)"


def _pct_txt(x: str) -> str:
    return f"CAST(CAST(round(100e0 * {x}) AS BIGINT) AS VARCHAR) || ' %'"


def _win_txt(w: str) -> str:
    return f"(CASE WHEN {w} < 72e0 THEN {_int_txt(w)} || ' h' ELSE {_int_txt(w + ' / 24e0')} || ' days' END)"


def _span_txt(first: str, last: str) -> str:
    """How long from ``first`` to ``last``, in hours below 3 days, else in days."""
    h = f"((epoch({last}) - epoch({first})) / 3600e0)"
    return f"(CASE WHEN {h} < 72e0 THEN {_int_txt(h)} || ' h' ELSE {_int_txt(h + ' / 24e0')} || ' days' END)"


def _clip(x: str) -> str:
    return f"least(1e0, greatest(0e0, {x}))"



_CK = "{a} || '|' || CAST(CAST({w} AS BIGINT) AS VARCHAR) || '|' || CAST({b} AS VARCHAR)"


def _ck(a: str, w: str, b: str) -> str:
    return _CK.format(a=a, w=w, b=b)


def _tail(typology: str, min_score: float) -> str:
    """Common end: ``cand`` (ck, hub, score, nm, first_ts, last_ts, evidence) and ``mem`` (ck, account,
    rr = role rank, u, f, l) -> overlapping alerts on one hub reduced to the best, one row per account."""
    roles = " ".join(f"WHEN {i} THEN {lit(r)}" for i, r in enumerate(ROLES))
    return f""",
rk AS (SELECT c.*, row_number() OVER (PARTITION BY c.hub ORDER BY c.score DESC, c.nm DESC, c.last_ts - c.first_ts, c.ck) AS r
       FROM cand c WHERE c.score >= {num(min_score)}),
dom AS (SELECT DISTINCT a.ck FROM rk a JOIN rk b
        ON a.hub = b.hub AND b.r < a.r AND b.first_ts <= a.last_ts AND a.first_ts <= b.last_ts),
kept AS (SELECT a.* FROM rk a LEFT JOIN dom d ON d.ck = a.ck WHERE d.ck IS NULL),
memr AS (SELECT m.ck, m.account, min(m.rr) AS rr, max(m.u) AS u, min(m.f) AS f, max(m.l) AS l
         FROM mem m JOIN kept k ON k.ck = m.ck GROUP BY m.ck, m.account)
SELECT {lit(typology + '-')} || substr(md5({lit(typology + '|')} || k.ck), 1, 16) AS alert_id,
       {lit(typology)} AS typology, m.account, CASE m.rr {roles} END AS role,
       round(k.score, 4) AS score, m.u AS amount_usd, m.f AS first_ts, m.l AS last_ts, k.evidence
FROM kept k JOIN memr m ON m.ck = k.ck"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings


# Parameters ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FanInParams:
    """Fan-in: ``min_senders`` distinct senders (after discounting senders that transact with each
    other: each such related sender counts half; institutions do not count) into one hub within a
    window, at least ``min_usd`` from them, sent on (``min_onward``) by a conduit hub."""
    windows_h: tuple = WINDOWS_H
    min_senders: int = 5
    min_usd: float = 1000.0
    min_cp_usd: float = MIN_CP_USD  # a sender counts (and is listed) only with at least this much in the window
    onward_h: float = 48.0  # money sent on by the hub up to this long after the last credit counts
    min_onward: float = 0.5  # at least this share of the credits sent on within onward_h, unless the senders are a network
    conduit_residual: float = CONDUIT_RESIDUAL  # over all data the hub pays out 1 - this .. 110 % of all it received
    max_institution_share: float = MAX_INSTITUTION_SHARE  # at most this share of the inflow from institutions
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.55  # weaker alerts are dropped (tuned on the synthetic generator)


@dataclass(frozen=True)
class FanOutParams:
    """Fan-out: ``min_receivers`` distinct receivers paid by one hub within a window."""
    windows_h: tuple = WINDOWS_H
    min_receivers: int = 5
    min_usd: float = 1000.0
    min_cp_usd: float = MIN_CP_USD  # a receiver counts (and is listed) only with at least this much in the window
    regular_payments: int = 3  # a receiver paid this often by the hub over all data is a regular payee
    funding_h: float = 48.0  # credits up to this long before a payment fund it
    conduit_residual: float = CONDUIT_RESIDUAL  # over all data the hub pays out 1 - this .. 110 % of all it received
    max_institution_share: float = MAX_INSTITUTION_SHARE  # at most this share of the inflow from institutions
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.7  # weaker alerts are dropped (tuned on the synthetic generator)


@dataclass(frozen=True)
class PassThroughParams:
    """Rapid pass-through: money in and out within a window, little left, short money-weighted dwell."""
    windows_h: tuple = WINDOWS_H
    min_usd: float = 1000.0
    min_out_txns: int = 2
    min_cp_usd: float = MIN_CP_USD  # a counterparty is listed only with at least this much in the window
    max_residual: float = 0.2  # at most this share of the inflow stays (and at most 10 % more leaves)
    max_dwell_h: float = 72.0  # money-weighted mean time from credit to debit
    onward_h: float = 48.0  # a credit counts as passed through if sent on within this long
    conduit_residual: float = CONDUIT_RESIDUAL  # over all data the hub pays out 1 - this .. 110 % of all it received
    max_institution_share: float = MAX_INSTITUTION_SHARE  # at most this share of the inflow from institutions
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.8  # weaker alerts are dropped (tuned on the synthetic generator, 1M and 10M rows)


@dataclass(frozen=True)
class CycleParams:
    """Temporal cycle: money leaves an account and comes back through ``min_hops``..``max_hops``
    transfers, each later than the one before and of a similar amount, within the longest window."""
    windows_h: tuple = WINDOWS_H
    min_hops: int = 3
    max_hops: int = 6
    min_usd: float = 500.0
    amount_drop: float = 0.3  # a hop may carry up to 30 % less (fees, peeling) ...
    amount_rise: float = 0.05  # ... or 5 % more than the hop before
    max_degree: int = 50  # accounts with more distinct counterparties are not followed
    exclude_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.5  # weaker alerts are dropped (tuned on the synthetic generator)


@dataclass(frozen=True)
class ScatterGatherParams:
    """Scatter-gather: one origin pays ``min_intermediates`` low-degree accounts which each pass a
    similar amount to one destination, all within a window."""
    windows_h: tuple = WINDOWS_H
    min_intermediates: int = 3
    min_usd: float = 1000.0
    max_degree: int = 30  # intermediates with more distinct counterparties are not followed
    min_kept: float = 0.5  # an intermediate passes on between 50 % ...
    max_kept: float = 1.1  # ... and 110 % of what it received
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.5  # weaker alerts are dropped (tuned on the synthetic generator)


@dataclass(frozen=True)
class GatherScatterParams:
    """Gather-scatter: a hub receives from ``min_senders`` and pays ``min_receivers`` within a window."""
    windows_h: tuple = WINDOWS_H
    min_senders: int = 4
    min_receivers: int = 4
    min_usd: float = 1000.0
    min_cp_usd: float = MIN_CP_USD  # a sender or receiver counts (and is listed) only with at least this much in the window
    min_onward: float = 0.5  # at least half of the inflow leaves within the window
    onward_h: float = 48.0  # a credit counts as passed on if sent on within this long
    conduit_residual: float = CONDUIT_RESIDUAL  # over all data the hub pays out 1 - this .. 110 % of all it received
    max_institution_share: float = MAX_INSTITUTION_SHARE  # at most this share of the inflow from institutions
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.75  # weaker alerts are dropped (tuned on the synthetic generator)


@dataclass(frozen=True)
class StructuringParams:
    """Structuring: ``min_txns`` transfers within ``margin`` below a currency's reporting threshold, not
    counting a pair's regular monthly payments."""
    windows_h: tuple = WINDOWS_H
    thresholds: dict = field(default_factory=lambda: dict(STRUCTURING_THRESHOLDS))
    margin: float = 0.1
    min_txns: int = 3
    regular_payments: int = 4  # a pair paying such amounts on this many days ...
    regular_gap_d: float = 25.0  # ... at least this many days apart on average, at most two a day, pays monthly
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.55  # weaker alerts are dropped (tuned on the synthetic generator)


@dataclass(frozen=True)
class RoundAmountsParams:
    """Round amounts: ``min_txns`` transfers of whole multiples of a round unit, making up at least
    ``min_share`` of the account's transfers on that side. The unit per currency is the power of ten
    nearest to ``unit_usd`` (USD 1,000 -> THB 10,000, CNY 10,000, USD 1,000), unless given in ``units``."""
    windows_h: tuple = WINDOWS_H
    unit_usd: float = 1000.0
    units: dict = field(default_factory=dict)
    min_txns: int = 5
    min_share: float = 0.5
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    min_score: float = 0.0  # round amounts alerts are already precise on the synthetic generator


@dataclass(frozen=True)
class NewAccountBurstParams:
    """Burst on a new account: ``min_txns`` transfers and ``min_usd`` within a window that starts in the
    account's first ``new_days`` (opening date from ``accounts``; else, only if ``use_first_seen``, the
    first transfer seen, when that is at least ``new_days`` after the first transfer in the data), the
    account a conduit taking third-party money (``_own_money``): a new customer's busy first weeks are
    not a red flag, a new account that passes on what others pay into it is."""
    windows_h: tuple = WINDOWS_H
    new_days: float = 30.0
    min_txns: int = 8
    min_usd: float = 3000.0
    use_first_seen: bool = False  # off: an account first seen late may be dormant or occasional, not new
    exclude_hub_kinds: tuple = NOISY_HUB_KINDS
    max_institution_share: float = MAX_INSTITUTION_SHARE  # a new customer topping up from an exchange is not a mule
    conduit_residual: float = CONDUIT_RESIDUAL  # a new account used to pass money on, not a new customer's account
    min_score: float = 0.75  # weaker alerts are dropped (tuned on the synthetic generator)


# Stages: shared preparation, materialised once ------------------------------------------------

BASE, KINDS, EV, ACC, PAIRS = "fl_base", "fl_kinds", "fl_ev", "fl_acc", "fl_pairs"


def _wkey(ws) -> str:
    return "_".join(f"{w:g}".replace(".", "p") for w in _windows(ws))


def _stages(windows_h=None) -> dict[str, str]:
    """Shared stages (name -> SQL reading ``txns``, ``accounts`` and earlier stages), in order:
    cleaned transfers (hours since epoch in ``hr``), account kinds, transfers seen from both sides, per
    account totals and degree, per (src, dst) pair counts; with ``windows_h``, the windows and the per
    (account, window, half-window slot) counts and sums."""
    st = {
        BASE: """SELECT x.txn_id, x.src, x.dst, x.ts, x.amount, upper(x.currency) AS cur, x.amount_usd AS usd,
       epoch(x.ts) / 3600e0 AS hr
FROM txns x
WHERE x.src IS NOT NULL AND x.dst IS NOT NULL AND x.src <> x.dst AND x.amount_usd > 0e0""",
        KINDS: "SELECT account, max(kind) AS kind, max(opened) AS opened FROM accounts GROUP BY account",
        EV: f"""SELECT b.dst AS acct, b.src AS cp, 1 AS inb, b.usd, b.hr, b.ts, b.txn_id,
       CASE WHEN {_in_list("k.kind", NOISY_HUB_KINDS)} THEN 1 ELSE 0 END AS ik
FROM {BASE} b LEFT JOIN {KINDS} k ON k.account = b.src
UNION ALL
SELECT b.src AS acct, b.dst AS cp, 0 AS inb, b.usd, b.hr, b.ts, b.txn_id,
       CASE WHEN {_in_list("k.kind", NOISY_HUB_KINDS)} THEN 1 ELSE 0 END AS ik
FROM {BASE} b LEFT JOIN {KINDS} k ON k.account = b.dst""",  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
        ACC: f"SELECT acct, sum(inb * usd) AS in_u, sum((1 - inb) * usd) AS out_u, sum(inb * ik * usd) AS ik_u, "  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
             f"count(DISTINCT cp) AS deg FROM {EV} GROUP BY acct",  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
        PAIRS: f"SELECT src, dst, count(*) AS n FROM {BASE} GROUP BY src, dst",  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    }
    if windows_h is not None:
        k = _wkey(windows_h)
        wins, slots, bkt = f"fl_wins_{k}", f"fl_slots_{k}", f"fl_bkt_{k}"
        ws = ", ".join(f"({num(w)})" for w in _windows(windows_h))
        st[wins] = f"SELECT * FROM (VALUES {ws}) AS w(win_h)"  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
        st[slots] = _slots_sql(EV, wins)
        st[bkt] = _bkt_sql(slots)
    return st


def _names(windows_h) -> tuple[str, str]:
    k = _wkey(windows_h)
    return f"fl_wins_{k}", f"fl_bkt_{k}"


# Per account, window length and half-window slot: counts, sums and money-weighted hours; then the
# window starting at each non-empty slot (slots k and k+1). A window starting at an empty slot holds
# a subset of the next one, so it is never needed.
def _slots_sql(ev: str, wins: str) -> str:
    return f"""SELECT acct, win_h, CAST(floor(hr / (win_h / 2e0)) AS BIGINT) AS sl,
       sum(inb) AS n_in, sum(1 - inb) AS n_out, sum(inb * usd) AS in_u, sum((1 - inb) * usd) AS out_u,
       sum(inb * usd * hr) AS in_w, sum((1 - inb) * usd * hr) AS out_w, sum(inb * ik) AS n_ik, sum(inb * ik * usd) AS ik_u,
       min(ts) AS f, max(ts) AS l
FROM {ev} CROSS JOIN {wins} GROUP BY acct, win_h, CAST(floor(hr / (win_h / 2e0)) AS BIGINT)"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings


def _bkt_sql(slots: str) -> str:
    return f"""SELECT a.acct, a.win_h, a.sl AS bk, a.sl * a.win_h / 2e0 AS h0,
       a.n_in + coalesce(b.n_in, 0) AS n_in, a.n_out + coalesce(b.n_out, 0) AS n_out,
       a.in_u + coalesce(b.in_u, 0e0) AS in_u, a.out_u + coalesce(b.out_u, 0e0) AS out_u,
       a.in_w + coalesce(b.in_w, 0e0) AS in_w, a.out_w + coalesce(b.out_w, 0e0) AS out_w,
       a.n_ik + coalesce(b.n_ik, 0) AS n_ik, a.ik_u + coalesce(b.ik_u, 0e0) AS ik_u,
       a.f AS f, coalesce(b.l, a.l) AS l
FROM {slots} a LEFT JOIN {slots} b ON b.acct = a.acct AND b.win_h = a.win_h AND b.sl = a.sl + 1"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings


@dataclass(frozen=True)
class _Query:
    """A detector's query: the shared stages it reads and its own part (CTEs, then the final SELECT)."""
    stages: dict
    body: str

    def sql(self) -> str:
        """Self-contained: the stages as CTEs in front of the detector's own CTEs."""
        ctes = ",\n".join(f"{n} AS (\n{s})" for n, s in self.stages.items())
        return f"WITH {ctes},\n{self.body}"

    def staged(self) -> str:
        """Reading the stages as tables (``run_detectors`` materialises them first)."""
        return f"WITH {self.body}"


_OO = "(SELECT * FROM (VALUES (0), (1)) AS oo(o))"


def _ew(wins: str) -> str:
    """``ew``: every transfer of a candidate account (``cand0``) in each window of each length that
    holds it (half-window slot ``bk`` = its slot and the one before): an equi-join, no range join."""
    return f"""cacc AS (SELECT DISTINCT acct FROM cand0),
ew AS (
  SELECT e.acct, e.cp, e.inb, e.ik, e.usd, e.ts, e.hr, e.txn_id, w.win_h,
         CAST(floor(e.hr / (w.win_h / 2e0)) AS BIGINT) - o.o AS bk
  FROM {EV} e JOIN cacc a ON a.acct = e.acct CROSS JOIN {wins} w CROSS JOIN {_OO} o)"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings


# Detail for candidate windows: one row per (window, counterparty, direction).
_DET = """det AS (
  SELECT c.ck, e.cp AS account, e.inb, max(e.ik) AS ik, sum(e.usd) AS u, min(e.ts) AS f, max(e.ts) AS l
  FROM cand0 c JOIN ew e ON e.acct = c.acct AND e.win_h = c.win_h AND e.bk = c.bk
  GROUP BY c.ck, e.cp, e.inb)"""


def _fwd(onward_h: float, wins: str, funded: bool = False) -> str:
    """``fws`` (ck, share): for the candidate windows ``cand0``, the share of the hub's credits sent on
    within ``onward_h`` of each credit (or, ``funded``, of its debits covered by credits in the
    ``onward_h`` before each debit, credits from institutions not counted); a debit may cover several
    credits, so the share is also capped by the total outflow (inflow) over the inflow (outflow) of
    the window. The money sent on after
    each credit is a running sum over a range frame (one sort per account, no self-join)."""
    first, other = (0, 1) if funded else (1, 0)
    own_in = "(c.in_u - c.ik_u)"
    frame = (f"RANGE BETWEEN {num(onward_h)} PRECEDING AND CURRENT ROW" if funded
             else f"RANGE BETWEEN CURRENT ROW AND {num(onward_h)} FOLLOWING")
    ratio = f"{own_in} / c.out_u" if funded else "c.out_u / c.in_u"
    summed = f"e.inb = {other} AND e.ik = 0" if funded else f"e.inb = {other}"
    return f"""fx AS (
  SELECT q.* FROM (
    SELECT e.acct, e.inb, e.usd, e.hr,
           coalesce(sum(CASE WHEN {summed} THEN e.usd ELSE 0e0 END)
                    OVER (PARTITION BY e.acct ORDER BY e.hr {frame}), 0e0) AS o
    FROM {EV} e JOIN cacc a ON a.acct = e.acct) q
  WHERE q.inb = {first}),
fw AS (
  SELECT c.ck, x.usd AS u, x.o FROM cand0 c JOIN (
    SELECT x.acct, x.usd, x.o, w.win_h, CAST(floor(x.hr / (w.win_h / 2e0)) AS BIGINT) - oo.o AS bk
    FROM fx x CROSS JOIN {wins} w CROSS JOIN {_OO} oo) x
  ON x.acct = c.acct AND x.win_h = c.win_h AND x.bk = c.bk),
fws AS (SELECT fw.ck, least(sum(least(fw.u, fw.o)) / sum(fw.u), max({ratio})) AS share
        FROM fw JOIN cand0 c ON c.ck = fw.ck GROUP BY fw.ck)"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings


# Detectors -----------------------------------------------------------------------------------

def _hub_ok(p, alias: str = "k") -> str:
    kind = f"coalesce({alias}.kind, 'account')"
    return f"NOT ({_in_list(kind, p.exclude_hub_kinds)})"


def _own_money(p) -> str:
    """Third-party money through a conduit: at most ``max_institution_share`` of the inflow in the
    window, and of the account's inflow over all data, comes from institutions (its own money:
    withdrawals, winnings); and over all data the account pays out between 1 - ``conduit_residual``
    and 110 % of all it received (a conduit keeps next to nothing, unlike a business or a household)."""
    s, r = num(p.max_institution_share), num(1 - p.conduit_residual)
    return (f"b.ik_u <= {s} * b.in_u AND t.ik_u <= {s} * t.in_u"
            f" AND t.out_u >= {r} * t.in_u AND t.out_u <= 1.1e0 * t.in_u AND t.in_u > 0e0")


def _cand0(p, where: str, extra: str = "") -> str:
    """Candidate windows: a hub's (account, window) pairs that pass the count and amount thresholds
    and whose best possible score (``where`` includes that bound) reaches ``min_score``."""
    _, bkt = _names(p.windows_h)
    return f"""cand0 AS (
  SELECT b.*, {_ck('b.acct', 'b.win_h', 'b.bk')} AS ck, t.out_u / greatest(t.in_u, 1e-9) AS thru{extra} FROM {bkt} b LEFT JOIN {KINDS} k ON k.account = b.acct
  LEFT JOIN {ACC} t ON t.acct = b.acct
  WHERE {where} AND {_hub_ok(p)})"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings


def _fan_in(p: FanInParams) -> _Query:
    wins, _ = _names(p.windows_h)
    ub = (f"0.3e0 * least(1e0, (b.n_in - b.n_ik) / {num(2 * p.min_senders)}) + 0.4e0 * least(1e0, b.out_u / b.in_u)"
          f" + 0.3e0 * least(1e0, b.in_u / t.in_u)")
    where = f"""b.n_in - b.n_ik >= {int(p.min_senders)} AND b.in_u - b.ik_u >= {num(p.min_usd)}
    AND {_own_money(p)} AND {ub} >= {num(p.min_score)} - 1e-9"""
    body = f"""{_cand0(p, where)},
{_ew(wins)},
{_DET},
snd AS (SELECT * FROM det WHERE inb = 1 AND ik = 0 AND u >= {num(p.min_cp_usd)}),
cnt AS (SELECT ck, count(*) AS n FROM snd GROUP BY ck HAVING count(*) >= {int(p.min_senders)}),
snd2 AS (SELECT s.* FROM snd s JOIN cnt c ON c.ck = s.ck),
lp AS (SELECT s1.ck, s1.account AS a1, s2.account AS a2 FROM snd2 s1
       JOIN {PAIRS} e ON e.src = s1.account JOIN snd2 s2 ON s2.ck = s1.ck AND s2.account = e.dst),
linked AS (SELECT ck, count(*) AS nl FROM (SELECT ck, a1 AS a FROM lp UNION SELECT ck, a2 AS a FROM lp) q
           GROUP BY ck),
agg AS (
  SELECT c.ck, c.acct AS hub, c.win_h, c.thru, n.n, coalesce(l.nl, 0) AS nl, n.n - 0.5e0 * coalesce(l.nl, 0) AS eff,
         s.u, c.in_u AS win_in, s.f, s.l
  FROM cand0 c JOIN cnt n ON n.ck = c.ck LEFT JOIN linked l ON l.ck = c.ck
  JOIN (SELECT ck, sum(u) AS u, min(f) AS f, max(l) AS l FROM snd2 GROUP BY ck) s ON s.ck = c.ck
  WHERE n.n - 0.5e0 * coalesce(l.nl, 0) >= {int(p.min_senders)}),
{_fwd(p.onward_h, wins)},
sc AS (
  SELECT a.*, {_clip('coalesce(o.share, 0e0)')} AS onward, {_clip('a.win_in / t.in_u')} AS conc
  FROM agg a LEFT JOIN fws o ON o.ck = a.ck JOIN {ACC} t ON t.acct = a.hub),
cand AS (
  SELECT ck, hub, n + 1 AS nm, f AS first_ts, l AS last_ts,
         0.3e0 * least(1e0, eff / {num(2 * p.min_senders)}) + 0.4e0 * onward + 0.3e0 * conc AS score,
         {_int_txt('n')} || ' senders in ' || {_span_txt('f', 'l')} || ' into ' || hub || ' (' || {_usd_txt('u')}
         || ')' || CASE WHEN nl > 0 THEN ', ' || {_int_txt('nl')} || ' of them related' ELSE '' END
         || ', ' || {_pct_txt('onward')} || ' sent on within ' || {_int_txt(num(p.onward_h))} || ' h of each credit, '
         || {_pct_txt('conc')} || ' of all its inflow' || ', ' || {_pct_txt('thru')} || ' of all it ever received paid out' AS evidence
  FROM sc WHERE onward >= {num(p.min_onward)} OR nl >= n),
mem AS (
  SELECT ck, hub AS account, 0 AS rr, u, f, l FROM agg
  UNION ALL SELECT ck, account, 5 AS rr, u, f, l FROM snd2){_tail('fan_in', p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(p.windows_h), body)


def _fan_out(p: FanOutParams) -> _Query:
    wins, _ = _names(p.windows_h)
    ub = (f"0.3e0 * least(1e0, b.n_out / {num(2 * p.min_receivers)}) + 0.3e0"
          f" + 0.4e0 * least(1e0, (b.in_u - b.ik_u) / b.out_u)")
    body = f"""{_cand0(p, f"b.n_out >= {int(p.min_receivers)} AND b.out_u >= {num(p.min_usd)} AND {_own_money(p)} AND {ub} >= {num(p.min_score)} - 1e-9")},
{_ew(wins)},
{_DET},
rcv AS (SELECT * FROM det WHERE inb = 0 AND u >= {num(p.min_cp_usd)}),
cnt AS (SELECT ck, count(*) AS n, sum(u) AS u, min(f) AS f, max(l) AS l FROM rcv GROUP BY ck
        HAVING count(*) >= {int(p.min_receivers)}),
rcv2 AS (SELECT r.*, c0.acct AS hub FROM rcv r JOIN cnt c ON c.ck = r.ck JOIN cand0 c0 ON c0.ck = r.ck),
reg AS (SELECT r.ck, sum(CASE WHEN p.n >= {int(p.regular_payments)} THEN 1 ELSE 0 END) AS nreg
        FROM rcv2 r JOIN {PAIRS} p ON p.src = r.hub AND p.dst = r.account GROUP BY r.ck),
agg AS (SELECT c0.ck, c0.acct AS hub, c0.win_h, c0.h0, c0.thru, c.n, c.u, c.f, c.l, coalesce(g.nreg, 0) AS nreg
        FROM cand0 c0 JOIN cnt c ON c.ck = c0.ck LEFT JOIN reg g ON g.ck = c0.ck),
{_fwd(p.funding_h, wins, funded=True)},
cand AS (
  SELECT a.ck, a.hub, a.n + 1 AS nm, a.f AS first_ts, a.l AS last_ts,
         0.3e0 * least(1e0, a.n / {num(2 * p.min_receivers)}) + 0.3e0 * (1e0 - a.nreg / a.n)
         + 0.4e0 * {_clip('coalesce(fu.share, 0e0)')} AS score,
         {_int_txt('a.n')} || ' receivers in ' || {_span_txt('a.f', 'a.l')} || ' from ' || a.hub || ' ('
         || {_usd_txt('a.u')} || '), ' || {_int_txt('a.nreg')} || ' of them regular payees, funded '
         || {_pct_txt(_clip('coalesce(fu.share, 0e0)'))} || ' by credits in the ' || {_int_txt(num(p.funding_h))}
         || ' h before each payment' || ', ' || {_pct_txt('a.thru')} || ' of all it ever received paid out' AS evidence
  FROM agg a LEFT JOIN fws fu ON fu.ck = a.ck),
mem AS (
  SELECT ck, hub AS account, 0 AS rr, u, f, l FROM agg
  UNION ALL SELECT ck, account, 6 AS rr, u, f, l FROM rcv2){_tail('fan_out', p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(p.windows_h), body)


def _pass_through(p: PassThroughParams) -> _Query:
    wins, _ = _names(p.windows_h)
    rterm = _clip(f'1e0 - abs(1e0 - b.out_u / b.in_u) / {num(max(p.max_residual, 1e-9))}')
    ub = (f"0.3e0 * {rterm} + 0.5e0 * least(1e0, b.out_u / b.in_u)"
          f" + 0.2e0 * least(1e0, b.n_out / {num(2 * p.min_out_txns)})")
    where = f"""b.in_u >= {num(p.min_usd)} AND b.n_out >= {int(p.min_out_txns)} AND b.n_in >= 1
    AND {_own_money(p)}
    AND b.out_u >= {num(1 - p.max_residual)} * b.in_u AND b.out_u <= 1.1e0 * b.in_u
    AND b.out_w / b.out_u - b.in_w / b.in_u BETWEEN 0e0 AND {num(p.max_dwell_h)} AND {ub} >= {num(p.min_score)} - 1e-9"""
    body = f"""{_cand0(p, where, ", b.out_u / b.in_u AS ratio, (b.out_w / b.out_u - b.in_w / b.in_u) AS dwell")},
{_ew(wins)},
{_DET},
{_fwd(p.onward_h, wins)},
cand AS (
  SELECT c.ck, acct AS hub, n_in + n_out + 1 AS nm, f AS first_ts, l AS last_ts,
         0.3e0 * {_clip(f'1e0 - abs(1e0 - ratio) / {num(max(p.max_residual, 1e-9))}')}
         + 0.5e0 * {_clip('coalesce(w.share, 0e0)')}
         + 0.2e0 * least(1e0, n_out / {num(2 * p.min_out_txns)}) AS score,
         {_usd_txt('in_u')} || ' in (' || {_int_txt('n_in')} || ' credits) and ' || {_pct_txt('ratio')}
         || ' out again (' || {_int_txt('n_out')} || ' debits) through ' || acct || ' within '
         || {_span_txt('f', 'l')} || ', money held ' || {_int_txt('dwell')} || ' h on average, '
         || {_pct_txt(_clip('coalesce(w.share, 0e0)'))} || ' of the credits sent on within ' || {_int_txt(num(p.onward_h))} || ' h' || ', ' || {_pct_txt('c.thru')} || ' of all it ever received paid out' AS evidence
  FROM cand0 c LEFT JOIN fws w ON w.ck = c.ck),
mem AS (
  SELECT ck, acct AS account, 0 AS rr, in_u AS u, f, l FROM cand0
  UNION ALL SELECT ck, account, CASE WHEN inb = 1 THEN 5 ELSE 6 END AS rr, u, f, l FROM det
  WHERE u >= {num(p.min_cp_usd)}){_tail('pass_through', p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(p.windows_h), body)


def _cycle(p: CycleParams) -> _Query:
    if not 2 <= p.min_hops <= p.max_hops <= 8:
        raise ValueError("cycle hops must satisfy 2 <= min_hops <= max_hops <= 8")
    wmax = max(_windows(p.windows_h))
    lo, hi = num(1 - p.amount_drop), num(1 + p.amount_rise)
    ctes = [f"""okacc AS (SELECT d.acct AS a FROM {ACC} d LEFT JOIN {KINDS} k ON k.account = d.acct
          WHERE d.deg <= {int(p.max_degree)} AND NOT ({_in_list("coalesce(k.kind, 'account')", p.exclude_kinds)})),
e AS (SELECT b.txn_id, b.src, b.dst, b.ts, b.hr, b.usd FROM {BASE} b
      JOIN okacc s ON s.a = b.src JOIN okacc t ON t.a = b.dst WHERE b.usd >= {num(p.min_usd)})""",  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
            """p1 AS (SELECT src AS a0, dst AS a1, ts AS t0, hr AS h0, usd AS u0, ts AS t1, hr AS hl, usd AS ul,
           txn_id AS x0 FROM e)"""]
    closes = []
    for k in range(1, p.max_hops):
        cols = ", ".join([f"p.a{i}" for i in range(k + 1)] + [f"q.dst AS a{k + 1}"])
        not_seen = " AND ".join(f"q.dst <> p.a{i}" for i in range(1, k + 1))
        cond = (f"q.src = p.a{k} AND q.hr > p.hl AND q.hr <= p.h0 + {num(wmax)} "
                f"AND q.usd >= {lo} * p.ul AND q.usd <= {hi} * p.ul")
        if k + 1 >= p.min_hops:
            closes.append(f"""SELECT p.a0 AS origin, {k + 1} AS hops, p.t0, q.ts AS tl, p.u0, q.usd AS ul,
       {', '.join(f'p.a{i} AS m{i}' for i in range(1, k + 1))}{''.join(f', CAST(NULL AS VARCHAR) AS m{i}' for i in range(k + 1, p.max_hops))}
  FROM p{k} p JOIN e q ON {cond} AND q.dst = p.a0""")  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
        if k + 1 < p.max_hops:
            ctes.append(f"""p{k + 1} AS (SELECT {cols}, p.t0, p.h0, p.u0, q.ts AS t{k + 1}, q.hr AS hl, q.usd AS ul, p.x0
  FROM p{k} p JOIN e q ON {cond} AND q.dst <> p.a0 AND {not_seen})""")  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    mem_parts = ["SELECT ck, origin AS account, 0 AS rr, u0 AS u, t0 AS f, tl AS l FROM cyc"] + [
        f"SELECT ck, m{i} AS account, 4 AS rr, u0 AS u, t0 AS f, tl AS l FROM cyc WHERE m{i} IS NOT NULL"  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
        for i in range(1, p.max_hops)]
    ckexpr = "origin || '|' || CAST(CAST(epoch(t0) AS BIGINT) AS VARCHAR) || '|' || CAST(CAST(ul * 100e0 AS BIGINT) AS VARCHAR)" + "".join(
        f" || '|' || coalesce(m{i}, '')" for i in range(1, p.max_hops))
    chain = "origin || " + " || ".join(f"coalesce(' > ' || m{i}, '')" for i in range(1, p.max_hops)) + " || ' > ' || origin"
    body = f"""{(',' + chr(10)).join(ctes)},
allc AS ({(chr(10) + '  UNION ALL ').join(closes)}),
cyc AS (SELECT a.*, {ckexpr} AS ck,
       (epoch(tl) - epoch(t0)) / 3600e0 AS span_h FROM allc a),
cand AS (
  SELECT ck, origin AS hub, hops + 0 AS nm, t0 AS first_ts, tl AS last_ts,
         0.5e0 * {_clip('ul / u0')} + 0.25e0 * least(1e0, hops / 4e0) + 0.25e0 * {_clip(f'1e0 - span_h / {num(wmax)}')} AS score,
         {_usd_txt('u0')} || ' left ' || origin || ' and ' || {_pct_txt('ul / u0')} || ' came back after '
         || {_int_txt('hops')} || ' transfers in ' || CASE WHEN span_h < 72e0 THEN {_int_txt('span_h')} || ' h'
         ELSE {_int_txt('span_h / 24e0')} || ' days' END || ': ' || {chain} AS evidence
  FROM cyc),
mem AS ({(chr(10) + '  UNION ALL ').join(mem_parts)}){_tail('cycle', p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(), body)


def _scatter_gather(p: ScatterGatherParams) -> _Query:
    wins, _ = _names(p.windows_h)
    wmax = max(_windows(p.windows_h))
    body = f"""mid AS (SELECT d.acct AS a FROM {ACC} d LEFT JOIN {KINDS} k ON k.account = d.acct
        WHERE d.deg <= {int(p.max_degree)} AND NOT ({_in_list("coalesce(k.kind, 'account')", NOISY_HUB_KINDS)})),
tin AS (SELECT b.txn_id, b.src, b.dst AS m, b.usd, b.ts, b.hr FROM {BASE} b JOIN mid ON mid.a = b.dst),
tout AS (SELECT b.txn_id, b.src AS m, b.dst, b.usd, b.ts, b.hr FROM {BASE} b JOIN mid ON mid.a = b.src),
two0 AS (  -- each credit of an intermediate with its first similar debit to another account after it
  SELECT i.txn_id, i.src, i.m, o.dst, i.usd AS ui, o.usd AS uo, i.ts AS f, o.ts AS l, i.hr AS fh, o.hr AS lh,
         row_number() OVER (PARTITION BY i.txn_id ORDER BY o.hr, o.txn_id) AS r
  FROM tin i JOIN tout o ON o.m = i.m AND o.dst <> i.src AND o.hr >= i.hr AND o.hr <= i.hr + {num(wmax)}
  WHERE o.usd >= {num(p.min_kept)} * i.usd AND o.usd <= {num(p.max_kept)} * i.usd),
two AS (  -- in each window of each length that holds the whole path
  SELECT t.*, w.win_h, CAST(floor(t.fh / (w.win_h / 2e0)) AS BIGINT) - oo.o AS bk
  FROM two0 t CROSS JOIN {wins} w CROSS JOIN {_OO} oo
  WHERE t.r = 1 AND t.lh < (CAST(floor(t.fh / (w.win_h / 2e0)) AS BIGINT) - oo.o + 2) * w.win_h / 2e0),
grp AS (SELECT src, dst, win_h, bk, count(DISTINCT m) AS n, sum(ui) AS ui, sum(uo) AS uo, min(f) AS f, max(l) AS l,
               max(lh) - min(fh) AS span_h
        FROM two GROUP BY src, dst, win_h, bk HAVING count(DISTINCT m) >= {int(p.min_intermediates)}),
g2 AS (SELECT g.*, {_ck("g.src || '>' || g.dst", 'g.win_h', 'g.bk')} AS ck FROM grp g LEFT JOIN {KINDS} ks ON ks.account = g.src
       LEFT JOIN {KINDS} kd ON kd.account = g.dst
       WHERE g.ui >= {num(p.min_usd)} AND {_hub_ok(p, 'ks')} AND {_hub_ok(p, 'kd')}),
cand AS (
  SELECT ck, dst AS hub, n + 2 AS nm, f AS first_ts, l AS last_ts,
         0.5e0 * least(1e0, n / {num(2 * p.min_intermediates)}) + 0.5e0 * {_clip('uo / ui')} AS score,
         src || ' scattered ' || {_usd_txt('ui')} || ' over ' || {_int_txt('n')} || ' intermediaries, '
         || {_pct_txt('uo / ui')} || ' gathered in ' || dst || ' within '
         || CASE WHEN span_h < 72e0 THEN {_int_txt('span_h')} || ' h' ELSE {_int_txt('span_h / 24e0')} || ' days' END AS evidence
  FROM g2),
mem AS (
  SELECT ck, src AS account, 1 AS rr, ui AS u, f, l FROM g2
  UNION ALL SELECT ck, dst AS account, 3 AS rr, uo AS u, f, l FROM g2
  UNION ALL SELECT g.ck, t.m AS account, 2 AS rr, sum(t.ui) AS u, min(t.f) AS f, max(t.l) AS l FROM g2 g
    JOIN two t ON t.src = g.src AND t.dst = g.dst AND t.win_h = g.win_h AND t.bk = g.bk
    GROUP BY g.ck, t.m){_tail('scatter_gather', p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(p.windows_h), body)


def _gather_scatter(p: GatherScatterParams) -> _Query:
    wins, _ = _names(p.windows_h)
    ub = (f"0.2e0 * least(1e0, (b.n_in - b.n_ik) / {num(2 * p.min_senders)}) + 0.2e0 * least(1e0, b.n_out / {num(2 * p.min_receivers)})"
          f" + 0.6e0 * least(1e0, b.out_u / b.in_u)")
    where = f"""b.n_in - b.n_ik >= {int(p.min_senders)} AND b.n_out >= {int(p.min_receivers)} AND b.in_u >= {num(p.min_usd)}
    AND b.out_u >= {num(p.min_onward)} * b.in_u AND b.out_w / b.out_u >= b.in_w / b.in_u
    AND {_own_money(p)} AND {ub} >= {num(p.min_score)} - 1e-9"""
    body = f"""{_cand0(p, where)},
{_ew(wins)},
{_DET},
{_fwd(p.onward_h, wins)},
det2 AS (SELECT * FROM det WHERE u >= {num(p.min_cp_usd)} AND (inb = 0 OR ik = 0)),
cnt AS (SELECT ck, sum(inb) AS ns, sum(1 - inb) AS nr, sum(inb * u) AS us, sum((1 - inb) * u) AS ur FROM det2 GROUP BY ck
        HAVING sum(inb) >= {int(p.min_senders)} AND sum(1 - inb) >= {int(p.min_receivers)}),
cand AS (
  SELECT c.ck, c.acct AS hub, n.ns + n.nr + 1 AS nm, c.f AS first_ts, c.l AS last_ts,
         0.2e0 * least(1e0, n.ns / {num(2 * p.min_senders)}) + 0.2e0 * least(1e0, n.nr / {num(2 * p.min_receivers)})
         + 0.6e0 * {_clip('coalesce(w.share, 0e0)')} AS score,
         {_int_txt('n.ns')} || ' senders paid ' || {_usd_txt('n.us')} || ' into ' || c.acct || ' and '
         || {_int_txt('n.nr')} || ' receivers got ' || {_usd_txt('n.ur')} || ' within ' || {_span_txt('c.f', 'c.l')}
         || ', ' || {_pct_txt(_clip('coalesce(w.share, 0e0)'))} || ' of the credits sent on within '
         || {_int_txt(num(p.onward_h))} || ' h' || ', ' || {_pct_txt('c.thru')} || ' of all it ever received paid out' AS evidence
  FROM cand0 c JOIN cnt n ON n.ck = c.ck LEFT JOIN fws w ON w.ck = c.ck),
mem AS (
  SELECT c.ck, c.acct AS account, 0 AS rr, c.in_u - c.ik_u AS u, c.f, c.l FROM cand0 c JOIN cnt n ON n.ck = c.ck
  UNION ALL SELECT d.ck, d.account, CASE WHEN d.inb = 1 THEN 5 ELSE 6 END AS rr, d.u, d.f, d.l
  FROM det2 d JOIN cnt n ON n.ck = d.ck){_tail('gather_scatter', p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(p.windows_h), body)


def _side_events(filter_cte: str, wins: str, bkt: str) -> str:
    """Selected transfers ``sel`` seen from both sides, each in the two windows of each length that
    hold it (``bk`` = its slot and the one before); ``allv``: all the hub's transfers on that side in
    that window (from the per-window counts)."""
    return f"""{filter_cte},
sev AS (
  SELECT src AS hub, dst AS cp, 0 AS inb, ts, hr, amount, usd, q FROM sel
  UNION ALL SELECT dst AS hub, src AS cp, 1 AS inb, ts, hr, amount, usd, q FROM sel),
sw AS (
  SELECT s.*, w.win_h, CAST(floor(s.hr / (w.win_h / 2e0)) AS BIGINT) - o.o AS bk
  FROM sev s CROSS JOIN {wins} w CROSS JOIN {_OO} o),
grp AS (
  SELECT hub, inb, win_h, bk, count(*) AS n, sum(usd) AS u, avg(q) AS q, min(ts) AS f, max(ts) AS l,
         {_ck("hub || CASE WHEN inb = 1 THEN '<' ELSE '>' END", 'win_h', 'bk')} AS ck,
         bk * win_h / 2e0 AS h0
  FROM sw GROUP BY hub, inb, win_h, bk),
allv AS (
  SELECT g.ck, CASE WHEN g.inb = 1 THEN b.n_in ELSE b.n_out END AS n FROM grp g JOIN {bkt} b
    ON b.acct = g.hub AND b.win_h = g.win_h AND b.bk = g.bk)"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings


def _structuring(p: StructuringParams) -> _Query:
    if not p.thresholds:
        raise ValueError("structuring needs at least one threshold")
    thr = ", ".join(f"({lit(str(c).upper())}, {num(v)})" for c, v in sorted(p.thresholds.items()))
    sel = f"""thr AS (SELECT * FROM (VALUES {thr}) AS t(cur, v)),
near AS (
  SELECT b.*, (b.amount - t.v * {num(1 - p.margin)}) / (t.v * {num(p.margin)}) AS q, t.v
  FROM {BASE} b JOIN thr t ON t.cur = b.cur
  WHERE b.amount >= t.v * {num(1 - p.margin)} AND b.amount < t.v),
pairs AS (SELECT b.src, b.dst, count(*) AS n, count(DISTINCT CAST(floor(b.hr / 24e0) AS BIGINT)) AS days,
                 max(b.hr) - min(b.hr) AS span_h FROM near b GROUP BY b.src, b.dst),
reg AS (  -- pairs that pay such amounts on {int(p.regular_payments)}+ days, on average {num(p.regular_gap_d)}+ days apart, not several a day
  SELECT src, dst FROM pairs WHERE days >= {int(max(p.regular_payments, 2))}
     AND span_h >= {num(24 * p.regular_gap_d)} * (days - 1) AND n <= 2 * days),
sel AS (
  SELECT n.* FROM near n LEFT JOIN reg r ON r.src = n.src AND r.dst = n.dst WHERE r.src IS NULL)"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _side_aggs(p, sel, "structuring", "just under the reporting threshold", "0.3e0 * q")


def _side_aggs(p, sel: str, typology: str, what: str, qterm: str) -> _Query:
    wins, bkt = _names(p.windows_h)
    body = f"""{_side_events(sel, wins, bkt)},
g1 AS (SELECT g.*, a.n AS nall FROM grp g JOIN allv a ON a.ck = g.ck LEFT JOIN {KINDS} k ON k.account = g.hub
       WHERE g.n >= {int(p.min_txns)} AND {_hub_ok(p)}{_share_cond(p)}),
cand AS (
  SELECT ck, hub, n + 1 AS nm, f AS first_ts, l AS last_ts,
         0.4e0 * least(1e0, n / {num(2 * p.min_txns)}) + {qterm} + 0.3e0 * least(1e0, n / nall) AS score,
         {_int_txt('n')} || ' transfers ' || {lit(what)} || CASE WHEN inb = 1 THEN ' into ' ELSE ' from ' END
         || hub || ' (' || {_usd_txt('u')} || ') within ' || {_span_txt('f', 'l')} || ', '
         || {_pct_txt('n / nall')} || ' of its ' || CASE WHEN inb = 1 THEN 'credits' ELSE 'debits' END AS evidence
  FROM g1),
mem AS (
  SELECT ck, hub AS account, 0 AS rr, u, f, l FROM g1
  UNION ALL SELECT g.ck, s.cp AS account, CASE WHEN s.inb = 1 THEN 5 ELSE 6 END AS rr, sum(s.usd) AS u,
         min(s.ts) AS f, max(s.ts) AS l
  FROM g1 g JOIN sw s ON s.hub = g.hub AND s.inb = g.inb AND s.win_h = g.win_h AND s.bk = g.bk
  GROUP BY g.ck, s.cp, s.inb){_tail(typology, p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(p.windows_h), body)


def _share_cond(p) -> str:
    ms = getattr(p, "min_share", None)
    return f" AND g.n >= {num(ms)} * a.n" if ms else ""


def round_units(p: RoundAmountsParams) -> dict[str, float]:
    units = {c: 10.0 ** round(math.log10(p.unit_usd / r)) for c, r in USD_RATES.items() if r > 0}
    units = {c: u for c, u in units.items() if u >= 1}  # a coin worth more than the unit: no round amounts
    units.update({str(c).upper(): float(u) for c, u in p.units.items()})
    return units


def _round_amounts(p: RoundAmountsParams) -> _Query:
    units = ", ".join(f"({lit(c)}, {num(u)})" for c, u in sorted(round_units(p).items()))
    sel = f"""un AS (SELECT * FROM (VALUES {units}) AS t(cur, v)),
sel AS (
  SELECT b.*, 0e0 AS q FROM {BASE} b JOIN un ON un.cur = b.cur
  WHERE b.usd >= {num(p.unit_usd)} * 0.5e0 AND abs(b.amount - round(b.amount / un.v) * un.v) < 0.005e0)"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _side_aggs(p, sel, "round_amounts", "in round amounts",
                      f"0.3e0 * least(1e0, u / {num(20 * p.unit_usd)})")


def _new_account_burst(p: NewAccountBurstParams) -> _Query:
    wins, _ = _names(p.windows_h)
    first_seen = ("" if not p.use_first_seen else f"""
  UNION ALL
  SELECT fs.acct, fs.hr0 FROM (SELECT acct, min(hr) AS hr0 FROM {EV} GROUP BY acct) fs
  LEFT JOIN {KINDS} k ON k.account = fs.acct
  WHERE k.opened IS NULL AND fs.hr0 >= (SELECT min(hr) FROM {BASE}) + {num(24 * p.new_days)}""")  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    body = f"""opened AS (
  SELECT account AS acct, epoch(opened) / 3600e0 AS oh FROM {KINDS} WHERE opened IS NOT NULL{first_seen}),
evn AS (SELECT e.* FROM {EV} e JOIN opened o ON o.acct = e.acct WHERE e.hr >= o.oh
        AND e.hr < o.oh + {num(24 * p.new_days)} + (SELECT max(win_h) FROM {wins})),
slots AS ({_slots_sql('evn', wins)}),
bkt AS ({_bkt_sql('slots')}),
cand0 AS (
  SELECT b.*, {_ck('b.acct', 'b.win_h', 'b.bk')} AS ck, (epoch(b.f) / 3600e0 - o.oh) / 24e0 AS age_d,
         t.out_u / greatest(t.in_u, 1e-9) AS thru
  FROM bkt b JOIN opened o ON o.acct = b.acct LEFT JOIN {KINDS} k ON k.account = b.acct
  LEFT JOIN {ACC} t ON t.acct = b.acct
  WHERE b.n_in + b.n_out >= {int(p.min_txns)} AND b.in_u + b.out_u >= {num(p.min_usd)}
    AND epoch(b.f) / 3600e0 - o.oh <= {num(24 * p.new_days)} AND {_hub_ok(p)} AND {_own_money(p)}),
det AS (
  SELECT c.ck, e.cp AS account, e.inb, sum(e.usd) AS u, min(e.ts) AS f, max(e.ts) AS l
  FROM cand0 c JOIN evn e ON e.acct = c.acct AND e.hr >= c.h0 AND e.hr < c.h0 + c.win_h
  GROUP BY c.ck, e.cp, e.inb),
cand AS (
  SELECT ck, acct AS hub, n_in + n_out + 1 AS nm, f AS first_ts, l AS last_ts,
         0.4e0 * least(1e0, (n_in + n_out) / {num(2 * p.min_txns)})
         + 0.3e0 * least(1e0, (in_u + out_u) / {num(2 * p.min_usd)})
         + 0.3e0 * {_clip(f'1e0 - age_d / {num(max(p.new_days, 1e-9))}')} AS score,
         acct || ', ' || {_int_txt('age_d')} || ' days old: ' || {_int_txt('n_in + n_out')} || ' transfers ('
         || {_usd_txt('in_u')} || ' in, ' || {_usd_txt('out_u')} || ' out) within ' || {_span_txt('f', 'l')}
         || ', ' || {_pct_txt('thru')} || ' of all it ever received paid out' AS evidence
  FROM cand0),
mem AS (
  SELECT ck, acct AS account, 0 AS rr, in_u AS u, f, l FROM cand0
  UNION ALL SELECT ck, account, CASE WHEN inb = 1 THEN 5 ELSE 6 END AS rr, u, f, l FROM det){_tail('new_account_burst', p.min_score)}"""  # noqa: S608 -- SQL text built from literals bound with num()/lit(), never user strings
    return _Query(_stages(p.windows_h), body)


# The detectors' SQL, self-contained (stages as CTEs) ------------------------------------------

def fan_in_sql(p: FanInParams = FanInParams()) -> str:
    """FATF/UNODC red flag: funds from many unrelated senders pooled in one account (collection /
    "funnel" account, AMLSim fan-in) and sent on. A sender counts (and is listed) only if it paid the
    hub at least ``min_cp_usd`` in the window and is not an institution (``NOISY_HUB_KINDS``: money
    from an exchange or casino is the hub's own): small everyday payments are not funds being pooled.
    Needs at least ``min_onward`` of the credits sent on within ``onward_h``, unless every sender deals
    with another sender (a network of layering accounts feeding a collector, which sweeps later); and
    the hub must be a conduit taking third-party money (``_own_money``).

    score = 0.3 * min(1, effective senders / (2 * min_senders)) + 0.4 * (share of the credits sent on
    within ``onward_h`` of each) + 0.3 * (share of the hub's inflow over all data that falls in
    this window: a mule's burst, not a merchant's steady trade)."""
    return _fan_in(p).sql()


def fan_out_sql(p: FanOutParams = FanOutParams()) -> str:
    """FATF/UNODC red flag: funds quickly dispersed to many accounts (distribution to mules, AMLSim
    fan-out), unlike regular payments (payroll, suppliers). A receiver counts (and is listed) only if
    the hub paid it at least ``min_cp_usd`` in the window: small everyday payments are not dispersal.
    Credits from institutions do not fund a payment (a trader's exchange purchases are its own money),
    and the hub must be a conduit taking third-party money (``_own_money``).

    score = 0.3 * min(1, receivers / (2 * min_receivers)) + 0.3 * (share of receivers that are not
    regular payees of the hub, i.e. paid fewer than ``regular_payments`` times over all data) + 0.4 *
    (share of the payments covered by credits, not from institutions, in the ``funding_h`` before each:
    funded just before)."""
    return _fan_out(p).sql()


def pass_through_sql(p: PassThroughParams = PassThroughParams()) -> str:
    """FATF/UNODC red flag: funds received and sent on almost at once, leaving little in the account
    (pass-through / mule account; Thai mule accounts show >= 5 onward transfers after a credit).

    Needs out/in within [1 - max_residual, 1.1] and 0 <= dwell <= max_dwell_h (dwell = money-weighted
    mean debit time - mean credit time), and the hub a conduit taking third-party money
    (``_own_money``). Counterparties with less than ``min_cp_usd`` in the window are not listed.
    score = 0.3 * (1 - |1 - out/in| / max_residual) + 0.5 * (share of the credits sent on within
    ``onward_h`` of each) + 0.2 * min(1, onward transfers / (2 * min_out_txns))."""
    return _pass_through(p).sql()


def cycle_sql(p: CycleParams = CycleParams()) -> str:
    """FATF/UNODC red flag: funds moved in a circle back to the originator through several accounts
    (round-tripping; AMLSim cycle). Only accounts with at most ``max_degree`` distinct counterparties
    and not of an excluded kind are followed; each hop is later than the one before and carries a
    similar amount.

    score = 0.5 * (amount that comes back / amount that left) + 0.25 * min(1, hops / 4) + 0.25 *
    (1 - span / longest window)."""
    return _cycle(p).sql()


def scatter_gather_sql(p: ScatterGatherParams = ScatterGatherParams()) -> str:
    """FATF/UNODC red flag: funds split across several intermediaries (smurfs, mules) and gathered
    again in one account (AMLSim scatter-gather; layering through mule accounts).

    score = 0.5 * min(1, intermediates / (2 * min_intermediates)) + 0.5 * min(1, amount gathered /
    amount scattered)."""
    return _scatter_gather(p).sql()


def gather_scatter_sql(p: GatherScatterParams = GatherScatterParams()) -> str:
    """FATF/UNODC red flag: an account collecting from many and paying out to many within a short
    time (a layering hub; AMLSim gather-scatter). A sender or receiver counts (and is listed) only
    with at least ``min_cp_usd`` in the window, a sender only if not an institution; the hub must be a
    conduit taking third-party money (``_own_money``).

    score = 0.2 * min(1, senders / (2 * min_senders)) + 0.2 * min(1, receivers / (2 * min_receivers))
    + 0.6 * (share of the credits sent on within ``onward_h`` of each)."""
    return _gather_scatter(p).sql()


def structuring_sql(p: StructuringParams = StructuringParams()) -> str:
    """FATF/UNODC red flag: several transactions just below the reporting threshold (structuring,
    smurfing), sent or received by one account. Regular monthly payments are left out: a (sender,
    receiver) pair whose near-threshold transfers fall on ``regular_payments`` or more days, on average
    ``regular_gap_d`` or more days apart (a salary or rent just under the threshold), is not splitting.

    score = 0.4 * min(1, transfers / (2 * min_txns)) + 0.3 * (mean closeness to the threshold, 0 at
    the margin's bottom, 1 at the threshold) + 0.3 * (share of the account's transfers on that side in
    the window that are near the threshold)."""
    return _structuring(p).sql()


def round_amounts_sql(p: RoundAmountsParams = RoundAmountsParams()) -> str:
    """FATF/UNODC red flag: transactions in large round amounts (no invoice behind them), many of an
    account's transfers.

    score = 0.4 * min(1, transfers / (2 * min_txns)) + 0.3 * min(1, amount / (20 * unit_usd)) + 0.3 *
    (share of the account's transfers on that side in the window that are round)."""
    return _round_amounts(p).sql()


def new_account_burst_sql(p: NewAccountBurstParams = NewAccountBurstParams()) -> str:
    """FATF/UNODC red flag: a newly opened account that at once sees many or large transfers (mule
    accounts; 30 % of Thai mule accounts were recently opened). The opening date comes from
    ``accounts``; the first transfer seen is used only with ``use_first_seen`` (off by default: an
    account first seen late in the data may be dormant or an occasional user, not new).

    score = 0.4 * min(1, transfers / (2 * min_txns)) + 0.3 * min(1, USD / (2 * min_usd)) + 0.3 *
    (1 - age of the account at the window's first transfer / new_days)."""
    return _new_account_burst(p).sql()


# Registry ------------------------------------------------------------------------------------

DETECTORS: dict[str, tuple[type, Callable[[Any], str]]] = {
    "fan_in": (FanInParams, fan_in_sql),
    "fan_out": (FanOutParams, fan_out_sql),
    "pass_through": (PassThroughParams, pass_through_sql),
    "cycle": (CycleParams, cycle_sql),
    "scatter_gather": (ScatterGatherParams, scatter_gather_sql),
    "gather_scatter": (GatherScatterParams, gather_scatter_sql),
    "structuring": (StructuringParams, structuring_sql),
    "round_amounts": (RoundAmountsParams, round_amounts_sql),
    "new_account_burst": (NewAccountBurstParams, new_account_burst_sql),
}


def make_params(name: str, overrides: dict | None = None):
    """The parameters of one detector: defaults with ``overrides`` (unknown names are an error)."""
    cls = DETECTORS[name][0]
    overrides = dict(overrides or {})
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"{name}: unknown parameter(s) {sorted(unknown)}")
    for key in ("windows_h", "exclude_hub_kinds", "exclude_kinds"):
        if key in overrides:
            overrides[key] = tuple(overrides[key])
    return cls(**overrides)


def selected(only: list[str] | None = None) -> list[str]:
    names = list(TYPOLOGIES) if not only else list(only)
    bad = [n for n in names if n not in DETECTORS]
    if bad:
        raise ValueError(f"unknown typology: {bad}")
    return names


def detector_sql(name: str, params: dict | None = None) -> str:
    """The DuckDB SQL text of one detector; ``params`` are its overrides."""
    return DETECTORS[name][1](make_params(name, params))


def pipeline(params: dict | None = None, only: list[str] | None = None) -> list[tuple[str, str]]:
    """(typology, SQL in the DuckDB dialect) for each selected detector; ``params`` maps a typology to
    its parameter overrides. Each text is self-contained (the shared stages as CTEs)."""
    return [(n, q.sql()) for n, q in _queries(params, only)]


_QUERIES: dict[str, Callable[[Any], _Query]] = {
    "fan_in": _fan_in, "fan_out": _fan_out, "pass_through": _pass_through, "cycle": _cycle,
    "scatter_gather": _scatter_gather, "gather_scatter": _gather_scatter, "structuring": _structuring,
    "round_amounts": _round_amounts, "new_account_burst": _new_account_burst,
}


def _queries(params: dict | None = None, only: list[str] | None = None) -> list[tuple[str, _Query]]:
    params = params or {}
    unknown = set(params) - set(DETECTORS)
    if unknown:
        raise ValueError(f"parameters for unknown typology: {sorted(unknown)}")
    return [(n, _QUERIES[n](make_params(n, params.get(n)))) for n in selected(only)]


def staged_pipeline(params: dict | None = None, only: list[str] | None = None):
    """(stages, detectors): the shared stages (name, SQL) in order, each to be materialised once as a
    table or cached view of that name, and (typology, SQL reading those stages) per detector."""
    qs = _queries(params, only)
    stages: dict[str, str] = {}
    for _, q in qs:
        for name, sql in q.stages.items():
            stages.setdefault(name, sql)
    return list(stages.items()), [(n, q.staged()) for n, q in qs]


def _empty():
    import pyarrow as pa
    return pa.schema([("alert_id", pa.string()), ("typology", pa.string()), ("account", pa.string()),
                      ("role", pa.string()), ("score", pa.float64()), ("amount_usd", pa.float64()),
                      ("first_ts", pa.timestamp("us")), ("last_ts", pa.timestamp("us")),
                      ("evidence", pa.string())])


def run_detectors(con, params: dict | None = None, only: list[str] | None = None):
    """Run the selected detectors on a DuckDB connection with ``txns`` and ``accounts``; a pyarrow
    table of ``OUTPUT_COLUMNS``, sorted by score (best first), alert and role."""
    import pyarrow as pa

    schema = _empty()
    stages, queries = staged_pipeline(params, only)
    parts, made = [], []
    try:
        for name, sql in stages:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
            made.append(name)
        for _, sql in queries:
            t = con.sql(sql).to_arrow_table()
            if t.num_rows:
                parts.append(t.select(list(OUTPUT_COLUMNS)).cast(schema))
    finally:
        for name in reversed(made):
            con.execute(f"DROP TABLE IF EXISTS {name}")
    if not parts:
        return schema.empty_table()
    out = pa.concat_tables(parts)
    return out.sort_by([("score", "descending"), ("alert_id", "ascending"), ("role", "ascending"),
                        ("account", "ascending")])


def run_detectors_spark(spark, params: dict | None = None, only: list[str] | None = None):
    """The same on Spark (``txns`` and ``accounts`` as temp views); a Spark DataFrame."""
    from .spark import run_detectors_spark as run
    return run(spark, params=params, only=only)


def _jsonable(v):
    if isinstance(v, tuple):
        return list(v)
    return v


def detector_catalogue() -> list[dict[str, Any]]:
    """For docs and the UI: each detector's name, description (red flag, score formula) and
    parameters with their defaults and explanation."""
    out = []
    for name, (cls, fn) in DETECTORS.items():
        defaults = cls()
        out.append({
            "name": name,
            "description": " ".join((fn.__doc__ or "").split()),
            "parameters_doc": " ".join((cls.__doc__ or "").split()),
            "parameters": {f.name: _jsonable(getattr(defaults, f.name)) for f in dataclasses.fields(cls)},
        })
    return out

