"""Follow the money: a victim's payment traced forward, hop by hop, to the points where it leaves.

Allocation rule (``rule="fifo"``, the default)
    Every account is a first-in-first-out queue of lots: each incoming transfer, traced or not, is a lot,
    queued in time order; each outgoing transfer takes the oldest money first, so whatever was already in
    the account when the traced money arrived leaves before it. Within one lot the traced part is spread
    evenly (a transfer that carried 30 % traced money passes that share on wherever the lot is split).
    The opening balance of an account is taken as zero: when an account sends more than its queue holds,
    the excess is money from outside the record (an unrecorded deposit, a fee) and carries no traced money.

Alternative (``rule="proportional"``)
    Each outgoing transfer carries the traced share of the balance just before it: ``traced balance /
    balance`` of its amount (all the traced money, if it empties the account).

Both rules are linear in the traced amounts, so several payments are traced at once by adding their lots
(``backbone`` traces every known victim payment in one pass this way).

Time order: transfers are ordered by timestamp, then by ``txn_id``; money can leave only by a transfer
later in this order than the one that brought it (this also makes cycles safe: money that comes back to
an account later is simply a new lot in its queue). A trace stops at cash-out points (accounts whose kind is
in ``CASH_OUT_KINDS``), after ``max_hops`` transfers past the seed, at ``horizon_days`` after the seed, and
for pieces smaller than ``min_usd`` (counted as held where they were, with the reason). Amounts are
conserved: the seed's ``amount_usd`` = reaching cash-out points + held (at the end of the data or the
window, at the hop limit, or too small to follow).

The index (``TxnIndex``) holds the transfers as numpy arrays in time order with integer-coded accounts and
two CSR indexes (by sender, by receiver), so an account's history is two slices; identifiers and currencies
stay in Arrow arrays (no Python string per row).
"""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .schema import ACCOUNT_KINDS, CASH_OUT_KINDS, ORDINARY

RULES = ("fifo", "proportional")
MAX_HOPS = 25
HORIZON_DAYS = 365.0
MIN_SHARE = 1e-4  # pieces below this share of the traced amount are not followed (and no less than a cent)
_US_PER_DAY = 86_400 * 1_000_000
_EPOCH = datetime(1970, 1, 1)
_CACHE_DEGREE = 48  # account histories at least this long are kept between visits
_KIND_CODE = {k: i for i, k in enumerate(ACCOUNT_KINDS)}
_TERMINAL_CODES = np.array([k in CASH_OUT_KINDS for k in ACCOUNT_KINDS])
_ACC = "__crossing_trace_accounts"


class UnknownTransaction(KeyError):
    """The transaction id is not in ``txns``."""

    def __str__(self) -> str:
        return f"unknown transaction: {self.args[0]!r}"


def iso(us: int) -> str:
    return (_EPOCH + timedelta(microseconds=int(us))).isoformat()


# ---------------------------------------------------------------------------------------------- the index


@dataclass
class TxnIndex:
    """Transfers in (ts, txn_id) order; row position == time rank."""

    accounts: pa.Array  # account identifiers, sorted; code = position
    kind: np.ndarray  # int8 code into ACCOUNT_KINDS per account
    labels: dict[int, str]
    txn_id: pa.ChunkedArray
    ts: np.ndarray  # int64 microseconds since the epoch, UTC
    src: np.ndarray  # int32 account codes
    dst: np.ndarray
    usd: np.ndarray  # float64 amount_usd
    amount: np.ndarray  # float64, in the original currency
    currency: np.ndarray  # int16 code into currencies (0 = unknown)
    currencies: list[str]
    out_ptr: np.ndarray  # CSR by sender: out_pos[out_ptr[a]:out_ptr[a+1]] are a's outgoing rows, in time order
    out_pos: np.ndarray
    in_ptr: np.ndarray
    in_pos: np.ndarray
    _codes: dict[str, int] | None = field(default=None, repr=False)

    # -- construction

    @classmethod
    def from_connection(cls, con) -> TxnIndex:
        """Read ``txns`` (and ``accounts`` if present) from a DuckDB connection."""
        accounts = con.sql("SELECT account FROM (SELECT src AS account FROM txns UNION SELECT dst FROM txns) "
                               "WHERE account IS NOT NULL ORDER BY account").to_arrow_table().column(0).combine_chunks()
        n = len(accounts)
        currencies = [r[0] for r in con.execute(
            "SELECT DISTINCT currency FROM txns WHERE currency IS NOT NULL ORDER BY 1").fetchall()]
        con.register(_ACC, pa.table({"account": accounts, "code": pa.array(np.arange(n, dtype=np.int32))}))
        try:
            t = con.sql(
                f"SELECT t.txn_id, epoch_us(t.ts) AS ts, s.code AS src, d.code AS dst, t.amount_usd, t.amount, "
                f"coalesce(list_position($cur, t.currency), 0)::SMALLINT AS cur "
                f"FROM txns t JOIN {_ACC} s ON s.account = t.src JOIN {_ACC} d ON d.account = t.dst "
                f"ORDER BY t.ts, t.txn_id", params={"cur": currencies or [""]}).to_arrow_table()
            kind = np.full(n, _KIND_CODE[ORDINARY], np.int8)
            labels: dict[int, str] = {}
            try:
                rows = con.execute(f"SELECT a.code, x.kind, x.label FROM accounts x JOIN {_ACC} a USING (account) "
                                   f"ORDER BY a.code, x.kind NULLS LAST").fetchall()
            except Exception:  # no accounts relation: every account is an ordinary one
                rows = []
            for code, k, label in reversed(rows):  # the first row per account wins
                kind[code] = _KIND_CODE.get(k, _KIND_CODE[ORDINARY])
                if label:
                    labels[code] = label
        finally:
            con.unregister(_ACC)

        def col(name, dtype):
            return np.ascontiguousarray(t.column(name).to_numpy(), dtype=dtype)

        ts, src, dst = col("ts", np.int64), col("src", np.int32), col("dst", np.int32)
        usd = np.nan_to_num(col("amount_usd", np.float64))
        amount, cur = np.nan_to_num(col("amount", np.float64)), col("cur", np.int16)
        txn_id = t.column("txn_id")
        t = None  # the arrays above are copies: release the Arrow table
        out_ptr, out_pos = _csr(src, n, src != dst)
        in_ptr, in_pos = _csr(dst, n, src != dst)
        return cls(accounts=accounts, kind=kind, labels=labels, txn_id=txn_id, ts=ts, src=src, dst=dst, usd=usd,
                   amount=amount, currency=cur, currencies=["?"] + currencies, out_ptr=out_ptr, out_pos=out_pos,
                   in_ptr=in_ptr, in_pos=in_pos)

    @classmethod
    def from_tables(cls, txns: pa.Table, accounts: pa.Table | None = None) -> TxnIndex:
        import duckdb

        con = duckdb.connect()
        con.register("txns", txns)
        if accounts is not None:
            con.register("accounts", accounts)
        try:
            return cls.from_connection(con)
        finally:
            con.close()

    # -- on disk: built once per data version, then memory-mapped by every process that needs it

    _ARRAYS = ("kind", "ts", "src", "dst", "usd", "amount", "currency", "out_ptr", "out_pos", "in_ptr", "in_pos")

    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (created; ``meta.json`` last, so its presence means complete)."""
        import pyarrow.feather as feather

        folder.mkdir(parents=True, exist_ok=False, mode=0o700)
        for name in self._ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)
        feather.write_feather(pa.table({"account": self.accounts}), folder / "accounts.arrow", compression="uncompressed")
        feather.write_feather(pa.table({"txn_id": self.txn_id}), folder / "txn_id.arrow", compression="uncompressed")
        (folder / "meta.json").write_text(json.dumps({"labels": {str(k): v for k, v in self.labels.items()},
                                                      "currencies": self.currencies}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> TxnIndex:
        """Memory-map an index written by ``save``: a fraction of a second, and pages shared by processes."""
        import pyarrow.feather as feather

        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in cls._ARRAYS}
        accounts = feather.read_table(folder / "accounts.arrow", memory_map=True).column(0).combine_chunks()
        txn_id = feather.read_table(folder / "txn_id.arrow", memory_map=True).column(0)
        return cls(accounts=accounts, labels={int(k): v for k, v in meta["labels"].items()}, txn_id=txn_id,
                   currencies=meta["currencies"], **arrays)

    # -- look-ups

    def __len__(self) -> int:
        return len(self.ts)

    @property
    def n_accounts(self) -> int:
        return len(self.accounts)

    def position(self, txn_id: str) -> int:
        i = pc.index(self.txn_id, pa.scalar(str(txn_id))).as_py()
        if i is None or i < 0:
            raise UnknownTransaction(txn_id)
        return int(i)

    def positions(self, txn_ids) -> np.ndarray:
        ids = pa.array([str(x) for x in txn_ids], pa.string())
        if not len(ids):
            return np.zeros(0, np.int64)
        return np.flatnonzero(pc.is_in(self.txn_id, value_set=ids).to_numpy(zero_copy_only=False))

    def code(self, account: str) -> int:
        if self._codes is None:
            self._codes = {}
        if account not in self._codes:
            i = pc.index(self.accounts, pa.scalar(account)).as_py()
            if i is None or i < 0:
                raise KeyError(account)
            self._codes[account] = int(i)
        return self._codes[account]

    def codes(self, accounts) -> np.ndarray:
        """Codes of ``accounts`` (-1 where unknown)."""
        v = pc.index_in(pa.array([str(a) for a in accounts], pa.string()), value_set=self.accounts)
        return v.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)

    def names(self, codes) -> list[str]:
        return self.accounts.take(pa.array(np.asarray(codes, np.int64))).to_pylist()

    def ids(self, positions) -> list[str]:
        return self.txn_id.take(pa.array(np.asarray(positions, np.int64))).to_pylist()

    def kind_of(self, code: int) -> str:
        return ACCOUNT_KINDS[int(self.kind[code])]

    @property
    def terminal(self) -> np.ndarray:
        return _TERMINAL_CODES[self.kind]

    def nbytes(self) -> int:
        arrays = (self.ts, self.src, self.dst, self.usd, self.amount, self.currency, self.out_ptr, self.out_pos,
                  self.in_ptr, self.in_pos, self.kind)
        return sum(a.nbytes for a in arrays) + self.txn_id.nbytes + self.accounts.nbytes


def _csr(key: np.ndarray, n: int, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row positions grouped by ``key`` (stable: in time order within a group) with offsets."""
    rows = np.flatnonzero(keep).astype(np.int32 if len(key) < 2**31 else np.int64)
    k = key[rows]
    order = np.argsort(k, kind="stable")
    pos = rows[order]
    del order
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(k, minlength=n), out=ptr[1:])
    return ptr, pos


# ---------------------------------------------------------------------------------------------- propagation


class _History:
    """One account's transfers merged in time order, with the FIFO queue pointers and balances."""

    __slots__ = ("pos", "is_in", "amt", "lot_lo", "lot_hi", "out_at", "out_pos", "out_lo", "out_hi", "out_f", "g")

    def __init__(self, index: TxnIndex, a: int, proportional: bool):
        i = index.in_pos[index.in_ptr[a]:index.in_ptr[a + 1]]
        o = index.out_pos[index.out_ptr[a]:index.out_ptr[a + 1]]
        pos = np.concatenate([i, o]).astype(np.int64)
        is_in = np.zeros(len(pos), bool)
        is_in[:len(i)] = True
        order = np.argsort(pos, kind="stable")
        self.pos, self.is_in = pos[order], is_in[order]
        amt = self.amt = index.usd[self.pos]
        inflow = np.where(self.is_in, amt, 0.0)
        q = np.cumsum(inflow)  # queue tail: everything that ever came in
        s = np.cumsum(inflow - np.where(self.is_in, 0.0, amt))
        bal = s - np.minimum(np.minimum.accumulate(s), 0.0)  # balance after each event, overdrafts are outside money
        head = q - bal  # queue head: how much of the queue has left
        self.lot_lo, self.lot_hi = q - inflow, q  # an incoming lot's place in the queue
        out = np.flatnonzero(~self.is_in)
        self.out_at, self.out_pos = out, self.pos[out]
        prev_head = np.concatenate([[0.0], head[:-1]])
        self.out_lo, self.out_hi = prev_head[out], head[out]  # the slice of the queue each outgoing transfer takes
        if proportional:
            before = np.concatenate([[0.0], bal[:-1]])[out]
            f = np.ones(len(out))
            np.divide(amt[out], before, out=f, where=before > amt[out])
            self.out_f = np.zeros(len(pos))
            self.out_f[out] = f  # share of the balance each event takes (0 for incoming)
            self.g = 1.0 - self.out_f


@dataclass
class _Result:
    flow_pos: np.ndarray
    flow_usd: np.ndarray
    flow_hop: np.ndarray
    cashout: dict[int, float]
    held: dict[tuple[int, str], float]


class _Propagator:
    def __init__(self, index: TxnIndex, rule: str, max_hops: int, last_pos: int, min_usd: float):
        if rule not in RULES:
            raise ValueError(f"rule must be one of {RULES}")
        self.x, self.rule, self.max_hops, self.last_pos, self.min_usd = index, rule, max_hops, last_pos, min_usd
        self.terminal = index.terminal
        self.cache: dict[int, _History] = {}
        self.cut_reason = "end of data" if last_pos >= len(index) - 1 else "end of window"

    def history(self, a: int) -> _History:
        h = self.cache.get(a)
        if h is None:
            h = _History(self.x, a, self.rule == "proportional")
            if len(h.pos) >= _CACHE_DEGREE:
                self.cache[a] = h
        return h

    def run(self, seed_pos: np.ndarray, seed_usd: np.ndarray) -> _Result:
        flows_p, flows_u, flows_h = [seed_pos.astype(np.int64)], [seed_usd.astype(np.float64)], [np.zeros(len(seed_pos), np.int16)]
        self.cashout: dict[int, float] = {}
        self.held: dict[tuple[int, str], float] = {}
        self.pending: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
        self.heap: list[tuple[int, int]] = []
        self._deliver(seed_pos.astype(np.int64), seed_usd.astype(np.float64), np.zeros(len(seed_pos), np.int16))
        while self.heap:
            _, a = heapq.heappop(self.heap)
            lots = self.pending.pop(a, None)
            if not lots:
                continue
            pos = np.concatenate([p for p, _, _ in lots])
            usd = np.concatenate([u for _, u, _ in lots])
            hop = np.concatenate([h for _, _, h in lots])
            out = self._spend(a, pos, usd, hop)
            if out is not None:
                flows_p.append(out[0]), flows_u.append(out[1]), flows_h.append(out[2])
                self._deliver(*out)
        return _Result(np.concatenate(flows_p), np.concatenate(flows_u), np.concatenate(flows_h), self.cashout, self.held)

    def _hold(self, a: int, reason: str, usd: float) -> None:
        if usd > 0:
            self.held[(a, reason)] = self.held.get((a, reason), 0.0) + usd

    def _deliver(self, pos: np.ndarray, usd: np.ndarray, hop: np.ndarray) -> None:
        """Traced money carried by transfers ``pos`` arrives at their receivers."""
        if not len(pos):
            return
        dst = self.x.dst[pos]
        term = self.terminal[dst]
        if term.any():
            for a, u in zip(dst[term].tolist(), usd[term].tolist(), strict=False):
                self.cashout[a] = self.cashout.get(a, 0.0) + u
        keep = ~term & (self.x.src[pos] != dst)
        if not keep.all():
            for a, u in zip(dst[~term & ~keep].tolist(), usd[~term & ~keep].tolist(), strict=False):
                self._hold(a, self.cut_reason, u)  # a transfer to itself: stays
        pos, usd, hop, dst = pos[keep], usd[keep], hop[keep], dst[keep]
        if not len(pos):
            return
        order = np.lexsort((pos, dst))
        pos, usd, hop, dst = pos[order], usd[order], hop[order], dst[order]
        starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
        ends = np.r_[starts[1:], len(dst)]
        for s, e in zip(starts.tolist(), ends.tolist(), strict=False):
            a = int(dst[s])
            lots = self.pending.get(a)
            if lots is None:
                lots = self.pending[a] = []
                heapq.heappush(self.heap, (int(pos[s]), a))
            lots.append((pos[s:e], usd[s:e], hop[s:e]))

    def _spend(self, a: int, pos: np.ndarray, usd: np.ndarray, hop: np.ndarray):
        """Pass the traced lots ``pos`` (incoming transfers of ``a``) on by the rule; returns what left."""
        h = self.history(a)
        at = np.searchsorted(h.pos, pos)
        stop = hop >= self.max_hops
        if stop.any():
            self._hold(a, "hop limit", float(usd[stop].sum()))
            at, usd, hop = at[~stop], usd[~stop], hop[~stop]
        n_out = int(np.searchsorted(h.out_pos, self.last_pos, "right"))  # outgoing transfers inside the window
        res_p, res_u, res_h = [], [], []
        for hp in np.unique(hop).tolist():
            sel = hop == hp
            k, u = np.unique(at[sel], return_inverse=True)
            u = np.bincount(u, weights=usd[sel], minlength=len(k))
            if self.rule == "fifo":
                j, carried = self._fifo(h, k, u, n_out)
            else:
                j, carried = self._proportional(h, k, u, n_out)
            left = float(u.sum() - carried.sum())
            small = carried < self.min_usd
            if small.any():
                self._hold(a, "too small to follow", float(carried[small].sum()))
                j, carried = j[~small], carried[~small]
            self._hold(a, self.cut_reason, left)
            if len(j):
                res_p.append(h.out_pos[j]), res_u.append(carried), res_h.append(np.full(len(j), hp + 1, np.int16))
        if not res_p:
            return None
        return np.concatenate(res_p), np.concatenate(res_u), np.concatenate(res_h)

    @staticmethod
    def _fifo(h: _History, k: np.ndarray, u: np.ndarray, n_out: int):
        lo, hi = h.lot_lo[k], h.lot_hi[k]  # disjoint, increasing (k is sorted and unique)
        xs = np.empty(2 * len(k))
        xs[0::2], xs[1::2] = lo, hi
        cum = np.cumsum(u)
        fs = np.empty(2 * len(k))
        fs[0::2], fs[1::2] = cum - u, cum
        j0 = int(np.searchsorted(h.out_hi[:n_out], lo[0], "right"))
        j1 = int(np.searchsorted(h.out_lo[:n_out], hi[-1], "left"))
        if j1 <= j0:
            return np.zeros(0, np.int64), np.zeros(0)
        j = np.arange(j0, j1)
        carried = np.interp(h.out_hi[j], xs, fs) - np.interp(h.out_lo[j], xs, fs)
        ok = carried > 0
        return j[ok], carried[ok]

    @staticmethod
    def _proportional(h: _History, k: np.ndarray, u: np.ndarray, n_out: int):
        """Each lot decays through later outgoing transfers: transfer j takes f_j of what is left."""
        end = int(h.out_at[n_out - 1]) + 1 if n_out else 0
        total = np.zeros(n_out)
        for kk, uu in zip(k.tolist(), u.tolist(), strict=False):
            if kk + 1 >= end:
                continue
            g = h.g[kk + 1:end]
            left = np.cumprod(g)
            before = np.concatenate([[1.0], left[:-1]])
            share = uu * h.out_f[kk + 1:end] * before
            outs = np.searchsorted(h.out_at, kk + 1)
            total[outs:] += share[h.out_at[outs:n_out] - (kk + 1)]
        ok = np.flatnonzero(total > 0)
        return ok, total[ok]


# ---------------------------------------------------------------------------------------------- the trace


@dataclass
class Trace:
    txn_id: str
    rule: str
    amount_usd: float
    seed: dict[str, Any]
    flows: list[dict[str, Any]]
    cashouts: list[dict[str, Any]]
    held: list[dict[str, Any]]
    paths: list[dict[str, Any]]
    conserved: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"txn_id": self.txn_id, "rule": self.rule, "amount_usd": self.amount_usd, "seed": self.seed,
                "params": self.params, "flows": self.flows, "cashouts": self.cashouts, "held": self.held,
                "paths": self.paths, "conserved": self.conserved}


def propagate(index: TxnIndex, seed_pos, seed_usd=None, rule: str = "fifo", max_hops: int = MAX_HOPS,
              last_pos: int | None = None, min_usd: float = 0.01) -> _Result:
    """Trace several transfers at once (their traced amounts add up; ``seed_usd`` defaults to their amounts)."""
    seed_pos = np.asarray(seed_pos, np.int64)
    seed_usd = index.usd[seed_pos] if seed_usd is None else np.asarray(seed_usd, np.float64)
    last = len(index) - 1 if last_pos is None else int(last_pos)
    return _Propagator(index, rule, max_hops, last, min_usd).run(seed_pos, seed_usd)


def trace(index: TxnIndex, txn_id: str, rule: str = "fifo", max_hops: int = MAX_HOPS,
          horizon_days: float | None = HORIZON_DAYS, min_usd: float | None = None, max_paths: int = 3) -> Trace:
    """Follow transfer ``txn_id`` forward from its receiver (see the module docstring for the rule)."""
    seed = index.position(txn_id)
    amount = float(index.usd[seed])
    last = len(index) - 1
    if horizon_days is not None:
        last = int(np.searchsorted(index.ts, index.ts[seed] + int(horizon_days * _US_PER_DAY), "right")) - 1
    min_usd = max(MIN_SHARE * amount, 0.01) if min_usd is None else float(min_usd)
    res = propagate(index, [seed], [amount], rule, max_hops, last, min_usd)
    flows = flow_edges(index, res.flow_pos, res.flow_usd, res.flow_hop)
    cashouts = [{"account": index.names([a])[0], "kind": index.kind_of(a), "label": index.labels.get(a),
                 "amount_usd": u, "share": u / amount if amount else 0.0}
                for a, u in sorted(res.cashout.items(), key=lambda t: (-t[1], t[0]))]
    held = [{"account": index.names([a])[0], "kind": index.kind_of(a), "amount_usd": u, "reason": r}
            for (a, r), u in sorted(res.held.items(), key=lambda t: (-t[1], t[0]))]
    out, kept = sum(res.cashout.values()), sum(res.held.values())
    conserved = {"seed_usd": amount, "cashed_out_usd": out, "held_usd": kept, "difference_usd": amount - out - kept,
                 "ok": abs(amount - out - kept) <= 1e-6 * max(amount, 1.0)}
    s, d = int(index.src[seed]), int(index.dst[seed])
    seed_info = {"txn_id": str(txn_id), "src": index.names([s])[0], "dst": index.names([d])[0], "ts": iso(index.ts[seed]),
                 "amount": float(index.amount[seed]), "currency": index.currencies[index.currency[seed]],
                 "amount_usd": amount, "src_kind": index.kind_of(s)}
    paths = top_paths(flows, seed_info["src"], {c["account"] for c in cashouts}, per_cashout=max_paths)
    params = {"max_hops": max_hops, "horizon_days": horizon_days, "min_usd": min_usd,
              "window_end": iso(index.ts[last]) if last >= 0 else None}
    return Trace(str(txn_id), rule, amount, seed_info, flows, cashouts, held, paths, conserved, params)


def flow_edges(index: TxnIndex, pos: np.ndarray, usd: np.ndarray, hop: np.ndarray,
               max_ids: int = 100) -> list[dict[str, Any]]:
    """Traced money per (sender, receiver): amount, currencies, transfers, first and last time, first hop."""
    if not len(pos):
        return []
    p, inv = np.unique(pos, return_inverse=True)
    u = np.bincount(inv, weights=usd, minlength=len(p))
    hp = np.full(len(p), np.iinfo(np.int16).max, np.int16)
    np.minimum.at(hp, inv, hop)
    s, d = index.src[p].astype(np.int64), index.dst[p].astype(np.int64)
    key = s * index.n_accounts + d
    order = np.lexsort((p, key))
    p, u, hp, key = p[order], u[order], hp[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    share = u / index.usd[p]
    native = share * index.amount[p]
    cur = index.currency[p]
    codes = np.unique(np.r_[index.src[p], index.dst[p]])
    name = dict(zip(codes.tolist(), index.names(codes), strict=False))
    ids = index.ids(p) if len(p) <= 200_000 else None
    out = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=False):
        cs = sorted({index.currencies[c] for c in cur[a:b].tolist()})
        row = {"src": name[int(index.src[p[a]])], "dst": name[int(index.dst[p[a]])],
               "amount_usd": float(u[a:b].sum()), "currency": cs[0] if len(cs) == 1 else ",".join(cs),
               "amount": float(native[a:b].sum()) if len(cs) == 1 else None,
               "txn_count": b - a, "txn_ids": (ids[a:min(b, a + max_ids)] if ids is not None
                                                else index.ids(p[a:min(b, a + max_ids)])),
               "first_ts": iso(index.ts[p[a:b]].min()), "last_ts": iso(index.ts[p[a:b]].max()),
               "hop": int(hp[a:b].min())}
        out.append(row)
    out.sort(key=lambda r: (r["hop"], -r["amount_usd"], r["src"], r["dst"]))
    return out


def top_paths(flows: list[dict[str, Any]], start: str, cashouts: set[str], per_cashout: int = 3,
              max_cashouts: int = 20) -> list[dict[str, Any]]:
    """For display: the widest paths (largest amount on their smallest edge) from ``start`` to each cash-out,
    each path's amount taken off the edges before the next one is sought (a flow decomposition)."""
    residual: dict[str, dict[str, float]] = {}
    inflow: dict[str, float] = {}
    for f in flows:
        residual.setdefault(f["src"], {})
        residual[f["src"]][f["dst"]] = residual[f["src"]].get(f["dst"], 0.0) + f["amount_usd"]
        inflow[f["dst"]] = inflow.get(f["dst"], 0.0) + f["amount_usd"]
    targets = sorted((c for c in cashouts if c in inflow), key=lambda c: (-inflow[c], c))[:max_cashouts]
    total = sum(inflow.get(c, 0.0) for c in targets) or 1.0
    paths = []
    for target in targets:
        for _ in range(per_cashout):
            path, width = _widest(residual, start, target, cashouts)
            if path is None or width <= 1e-9 * total:
                break
            for a, b in zip(path, path[1:], strict=False):
                residual[a][b] -= width
            paths.append({"cashout": target, "accounts": path, "amount_usd": width, "hops": len(path) - 1})
    return paths


def _widest(g: dict[str, dict[str, float]], start: str, target: str, stops: set[str]):
    best = {start: np.inf}
    prev: dict[str, str] = {}
    heap = [(-np.inf, 0, start)]
    done = set()
    while heap:
        w, hops, a = heapq.heappop(heap)
        if a in done:
            continue
        done.add(a)
        if a == target:
            break
        if a in stops and a != start:
            continue
        for b, c in g.get(a, {}).items():
            nw = min(-w, c)
            if nw > best.get(b, 0.0) and b not in done:
                best[b] = nw
                prev[b] = a
                heapq.heappush(heap, (-nw, hops + 1, b))
    if target not in done:
        return None, 0.0
    path = [target]
    while path[-1] != start:
        path.append(prev[path[-1]])
    return path[::-1], float(best[target])
