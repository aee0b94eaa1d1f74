"""The financial backbone: accounts ranked by how much victim money passes through them.

With victim payments known (transfers sent by an account of kind ``victim``, plus any transfer named by a
complaint), every one of them is traced forward at once by the allocation rule of ``trace`` (first-in-
first-out by default; both rules are linear, so the traced amounts of all victims simply add up and one
event-driven pass over the accounts the money reaches does what one trace per victim would). An account's
score is the victim money that entered it (USD); victims and cash-out points are not ranked, but where the
money went on to is named in the reasons (followed at the account level: the shares an account passed to
each next account, down to the cash-out points).

Without any known victim payment the ranking stands on the detected patterns and the flow structure: a
money-weighted personalised PageRank over the transfer graph that restarts at the accounts named in alerts
(weighted by alert score; uniformly over all accounts if there are no alerts) and is absorbed at cash-out
points. The score is the share of that walk the account carries, in percent: accounts where flagged money
converges (a collector) outrank those it merely touches, and a busy merchant paid by the whole population
gets little of it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pyarrow as pa

from .schema import ACCOUNT_KINDS, VICTIM
from .trace import MAX_HOPS, TxnIndex, propagate

ALPHA = 0.85  # PageRank: probability of following the money rather than restarting at an alerted account
ITERATIONS = 40
_VICTIM = ACCOUNT_KINDS.index(VICTIM)


def _usd(x: float) -> str:
    return f"USD {x / 1e6:.1f} m" if x >= 1e6 else f"USD {x / 1e3:,.0f} k" if x >= 1e3 else f"USD {x:,.0f}"


def _plural(k: int, word: str, plural: str | None = None) -> str:
    return f"{k:,} {word if k == 1 else plural or word + 's'}"


def _index(source) -> TxnIndex:
    return source if isinstance(source, TxnIndex) else TxnIndex.from_connection(source)


def rank_backbone(source, victim_txns: list[str] | None = None, alerts: pa.Table | None = None, top: int = 50,
                  rule: str = "fifo", max_hops: int = MAX_HOPS, min_usd: float = 1.0) -> list[dict[str, Any]]:
    """The ``top`` accounts, best first: ``{"account", "score", "reasons", "victim_usd", "kind", "label",
    "basis"}`` (``basis`` is ``"victim money"`` or ``"structure"``). ``source`` is a ``TxnIndex`` or a DuckDB
    connection with ``txns`` and ``accounts``."""
    index = _index(source)
    seeds = np.flatnonzero(index.kind[index.src] == _VICTIM)
    if victim_txns:
        seeds = np.union1d(seeds, index.positions(victim_txns))
    seeds = seeds[index.src[seeds] != index.dst[seeds]]
    named = _alerts(index, alerts)
    if len(seeds):
        return _by_victim_money(index, seeds, named, top, rule, max_hops, min_usd)
    return _by_structure(index, named, top)


def _alerts(index: TxnIndex, alerts: pa.Table | None) -> dict[int, dict[str, Any]]:
    """Account code -> alert count, score, typologies (with roles), USD."""
    out: dict[int, dict[str, Any]] = {}
    if alerts is None or not len(alerts):
        return out
    rows = alerts.select([c for c in ("typology", "account", "role", "score", "amount_usd")
                          if c in alerts.column_names]).to_pylist()
    codes = index.codes([r.get("account") for r in rows])
    for r, c in zip(rows, codes.tolist(), strict=False):
        if c < 0:
            continue
        a = out.setdefault(c, {"n": 0, "score": 0.0, "typologies": Counter(), "roles": defaultdict(set)})
        a["n"] += 1
        s = r.get("score")
        a["score"] += 1.0 if s is None or not np.isfinite(s) else max(float(s), 0.0)
        t = r.get("typology") or "pattern"
        a["typologies"][t] += 1
        if r.get("role"):
            a["roles"][t].add(str(r["role"]))
    return out


def _alert_reason(a: dict[str, Any]) -> str:
    parts = []
    for t, k in sorted(a["typologies"].items(), key=lambda x: (-x[1], x[0])):
        roles = sorted(a["roles"].get(t, ()))
        parts.append(f"{t}{' x' + str(k) if k > 1 else ''}{' (' + ', '.join(roles) + ')' if roles else ''}")
    return f"named in {_plural(a['n'], 'alert')}: {', '.join(parts)}"


def _name(index: TxnIndex, code: int) -> str:
    label = index.labels.get(code)
    return f"{label} ({index.names([code])[0]})" if label else index.names([code])[0]


def _top(score: np.ndarray, eligible: np.ndarray, top: int) -> np.ndarray:
    """Indices of the ``top`` best eligible scores, ties by position (positions follow account order)."""
    cand = np.flatnonzero(eligible & (score > 0))
    order = cand[np.lexsort((cand, -score[cand]))]
    return order[:top]


# ---------------------------------------------------------------------------------------------- victim money


def _by_victim_money(index: TxnIndex, seeds: np.ndarray, named, top: int, rule: str, max_hops: int,
                     min_usd: float) -> list[dict[str, Any]]:
    res = propagate(index, seeds, rule=rule, max_hops=max_hops, min_usd=min_usd)
    s_code, d_code = index.src[res.flow_pos], index.dst[res.flow_pos]
    nodes = np.unique(np.r_[s_code, d_code])  # sorted codes: ties go by account
    s, d, u = np.searchsorted(nodes, s_code), np.searchsorted(nodes, d_code), res.flow_usd
    m = len(nodes)
    through = np.bincount(d, weights=u, minlength=m)
    transfers = np.bincount(d, minlength=m)
    pair = np.unique(s.astype(np.int64) * m + d)
    senders = np.bincount(pair % m, minlength=m)
    from_victims = np.bincount(d, weights=u * (index.kind[s_code] == _VICTIM), minlength=m)
    held = np.zeros(m)
    for (a, _), x in res.held.items():
        held[np.searchsorted(nodes, a)] += x
    kind = index.kind[nodes]
    terminal = index.terminal[nodes]
    best = _top(through, ~terminal & (kind != _VICTIM), top)
    if not len(best):
        return []
    fate = _fate(s, d, u, through, terminal, best, max_hops)
    total = float(res.flow_usd[:len(seeds)].sum())
    out = []
    for col, i in enumerate(best.tolist()):
        code = int(nodes[i])
        v = float(through[i])
        reasons = [f"{_usd(v)} of victim money passed through ({v / total:.0%} of all traced victim money), "
                   f"in {_plural(int(transfers[i]), 'transfer')} from {_plural(int(senders[i]), 'account')}"]
        if from_victims[i] > 0:
            reasons.append(f"{_usd(from_victims[i])} of it paid in directly by victims")
        shares = fate[:, col]
        cash = np.flatnonzero(shares >= 0.005)
        cash = cash[np.lexsort((cash, -shares[cash]))]
        if len(cash):
            head = ", ".join(f"{shares[j]:.0%} via {_name(index, int(nodes[j]))}" for j in cash[:3].tolist())
            more = f" and {shares[cash[3:]].sum():.0%} via {len(cash) - 3} more" if len(cash) > 3 else ""
            reasons.append(f"{shares.sum():.0%} of it left through cash-out points: {head}{more}")
        if held[i] > 0.005 * v:
            reasons.append(f"{_usd(held[i])} of it still here where the trace ends")
        if code in named:
            reasons.append(_alert_reason(named[code]))
        out.append({"account": index.names([code])[0], "score": round(v, 2), "reasons": reasons, "victim_usd": v,
                    "kind": ACCOUNT_KINDS[int(index.kind[code])], "label": index.labels.get(code),
                    "cashout_shares": {index.names([int(nodes[j])])[0]: float(shares[j]) for j in cash.tolist()},
                    "basis": "victim money"})
    return out


def _fate(s, d, u, through, terminal, starts, steps: int) -> np.ndarray:
    """Share of the money entering each start account that ends at each node (non-zero at cash-out points
    only), following at every account the split of the traced money it passed on."""
    from scipy import sparse

    m = len(through)
    w = np.divide(u, through[s], out=np.zeros_like(u), where=(through[s] > 0) & ~terminal[s])
    step = sparse.csr_matrix((w, (s, d)), shape=(m, m))
    x = np.zeros((m, len(starts)))
    x[starts, np.arange(len(starts))] = 1.0
    reached = np.zeros_like(x)
    for _ in range(steps + 1):
        x = np.asarray(step.T @ x)
        reached[terminal] += x[terminal]
        x[terminal] = 0.0
        if x.sum() < 1e-9 * len(starts):
            break
    return reached


# ---------------------------------------------------------------------------------------------- structure


def _by_structure(index: TxnIndex, named, top: int) -> list[dict[str, Any]]:
    n = index.n_accounts
    terminal, victim = index.terminal, index.kind == _VICTIM
    p = np.zeros(n)
    for code, a in named.items():
        p[code] += a["score"]
    if p.sum() <= 0:
        p[~terminal] = 1.0
    p /= p.sum()
    src, dst, usd = index.src, index.dst, index.usd
    out_total = np.bincount(src, weights=usd, minlength=n)
    w = np.divide(usd, out_total[src], out=np.zeros_like(usd), where=(out_total[src] > 0) & ~terminal[src])
    x = p.copy()
    for _ in range(ITERATIONS):
        y = ALPHA * np.bincount(dst, weights=x[src] * w, minlength=n)
        y += (1.0 - y.sum()) * p  # restarts, and what cash-out points and dead ends absorb
        done = np.abs(y - x).sum() < 1e-10
        x = y
        if done:
            break
    del w
    best = _top(x, ~terminal & ~victim, top)
    alerted = np.zeros(n, bool)
    alerted[list(named)] = True
    out = []
    for i in best.tolist():
        ins = index.in_pos[index.in_ptr[i]:index.in_ptr[i + 1]]
        outs = index.out_pos[index.out_ptr[i]:index.out_ptr[i + 1]]
        received, sent = float(usd[ins].sum()), float(usd[outs].sum())
        reasons = [f"carries {x[i]:.2%} of a money-weighted walk from the accounts named in alerts"
                   if named else f"carries {x[i]:.2%} of the money-weighted walk over all accounts"]
        if i in named:
            reasons.append(_alert_reason(named[i]))
        flagged = alerted[src[ins]] & (src[ins] != i)
        if flagged.any():
            k = len(np.unique(src[ins][flagged]))
            reasons.append(f"received {_usd(received)}, {_usd(usd[ins][flagged].sum())} of it from "
                           f"{_plural(k, 'account')} named in alerts")
        elif received:
            reasons.append(f"received {_usd(received)} in {_plural(len(ins), 'transfer')}")
        if received and sent:
            reasons.append(f"passed on {min(sent / received, 9.99):.0%} of what it received")
        to_cash = terminal[dst[outs]]
        if to_cash.any() and sent:
            c = Counter()
            for j, a in zip(outs[to_cash].tolist(), dst[outs][to_cash].tolist(), strict=False):
                c[a] += usd[j]
            head = ", ".join(f"{_name(index, a)} {_usd(v)}" for a, v in sorted(c.items(), key=lambda t: (-t[1], t[0]))[:3])
            reasons.append(f"sent {usd[outs][to_cash].sum() / sent:.0%} of its outflow to cash-out points: {head}")
        out.append({"account": index.names([i])[0], "score": round(float(100 * x[i]), 4), "reasons": reasons,
                    "victim_usd": 0.0, "kind": ACCOUNT_KINDS[int(index.kind[i])], "label": index.labels.get(i),
                    "basis": "structure"})
    return out
