"""Synthetic money flows: scam rings' laundering typologies planted in ordinary traffic, with the ground truth.

Calibration (/work/shared/reference/scenario-facts.md):

* section 10, ``scam_operations:`` — loss per victim lognormal by scam type (pig butchering median USD
  25,000 / p90 250,000; fake investment 20,000 / 150,000; task scams 1,500 / 15,000; loan apps 3,000 /
  15,000; official impersonation 8,000 / 80,000), weighted by ``scam_type_mix`` (romance-only and gambling
  shares folded into pig butchering); deposits per victim negative binomial with mean 4, at most 30; first
  deposit lognormal(median 500, p90 3,000); each next deposit 1.5-3.0 times the previous
  (``escalation_factor``), the sequence cut or stretched to the victim's loss; ``inducement_payout_share``
  0.05 (see assumptions);
* section 10, ``money_flows:`` — first hop per victim bank_to_mule 0.45 / usdt_trc20 0.45 / other_crypto
  0.05 / cash_courier 0.05; mule accounts per case Poisson(5) (here: every victim's money passes a
  first-hop mule and 2-6 layering hops, ``layering_hops``, so about five accounts per case); at least five
  onward transfers per mule (``mule_onward_transfers``); 30 % of mule accounts newly opened
  (``mule_new_account_share``); exits guarantee marketplaces 30 %, exchanges 50 %, casinos/junkets 20 % of
  the USD leaving a ring's collector wallets; fees 87 bps (charged at the OTC conversion to USDT);
* section 8 — the channels behind those figures: Thai mule accounts (about five per fraud case, most with
  at least five onward transfers, 30 % recently opened), USDT on TRON for 84 % of scam-wallet volume,
  Huione-style payment platforms and OTC desks, Haowang/Xinbi guarantee escrows, exits at Binance/HTX/OKX-
  like exchanges, small inducement payouts to victims;
* section 7.3 — the size of the losses (Thai bank-side cases ≈ USD 3.4 k, Chinese pig-butchering cases
  CNY 225 k per victim), which the per-type lognormals bracket.

Assumptions (not in the facts file):

* victims per ring lognormal(median 22, p90 60), 12-80, paying at least USD 250,000 in all (payments
  scaled up if the draw is smaller); a ring's victims pay over 45-60 % of the window,
  starting in its first 12 %; each ring targets one market currency (THB, CNY, MYR, USD: Cambodian banks
  run in dollars); 1-3 collector wallets and one OTC broker (a payment-platform account that takes fiat or
  ETH and pays USDT) per ring;
* ``inducement_payout_share`` is read as: 5 % of victim payments are followed, before the next one, by a
  payout back to the victim of 5-20 % of that payment, from the account it was paid into;
* hop delays: a "fast" instance moves money within hours (lognormal median 1.5 h, p90 6 h), a "slow" one
  within weeks (median 4 days, p90 15 days; slow layering); each instance is one or the other, half each;
  per-hop fee or mule commission 0-0.3 %; a delay never takes money past the end of the window;
* reporting thresholds (``REPORTING_THRESHOLDS``): THB 50,000 (the Bank of Thailand's per-transfer
  face-verification limit that mules avoid), USD 10,000 (US CTR), USDT 10,000 (taken as an exchange's
  enhanced-due-diligence line), CNY 50,000 (PBoC large-value cash report), MYR 25,000 (BNM cash threshold
  report). Structured amounts are 90-99.9 % of the threshold;
* background traffic (the other rows, ``BACKGROUND_MIX``): card/wallet payments to merchants whose
  popularity is Zipf-like (legitimate fan-in), monthly salaries from employers (legitimate fan-out), P2P
  transfers mostly inside small circles of friends, round-amount monthly rents, people moving money between
  their own two accounts, USDT withdrawals/deposits at exchanges and wallet-to-wallet transfers, cash desks
  and casino deposits, and (since generator version 2) legitimate high-value traffic that looks like
  laundering by size and shape: small and mid-sized businesses (customers' large purchases, supplier
  invoices between firms with a few popular suppliers, payments to contractors; USD medians 800 / 3,000 /
  500) and over-the-counter USDT traders who buy in bulk at exchanges and sell to many wallets (USD medians
  6,000 / 1,500) — without them the rings' accounts stand out by amounts alone; since version 3,
  opening dates for 5 % of ordinary people's accounts (new customers among them: ``_opened_dates``); account currencies THB 55 %, CNY 15 %, MYR 10 %, USD 10 %, USDT wallets 10 %; amounts
  lognormal per kind; local time of day peaks in the Bangkok day.

The planted part is small (Python, about 1,000-2,000 rows per ring whatever the size); the background is
numpy end to end, and the final tables are built from integer codes (accounts, currencies, channels) sorted
by time once, with strings materialised by Arrow ``take``.

Ground truth (``FlowWorld.truth``): every planted typology instance with its accounts, hub, window, speed
and transfers; the victim payments; per ring its mules (first-hop accounts), layering accounts (including
the OTC broker), collectors, holders and victim USD; the backbone (ring accounts by the victim money that
entered them, descending) and the cash-out transfers. Typology conventions:

* ``fan_in``/``fan_out``: ``hub`` receives from / sends to at least ``FAN_K`` distinct accounts within the
  window (mules from victims, collectors from layering wallets; mules onward, collectors to the exits);
* ``pass_through``: ``hub`` receives one transfer and sends it on (less a fee) in one transfer;
  ``accounts`` = [sender, hub, receiver];
* ``cycle``: ``accounts`` = [A, B, C, ...]; transfers A→B→C→...→A in increasing time, decreasing amounts;
  ``hub`` None;
* ``scatter_gather``: ``source`` splits to intermediates that all pay one ``sink`` (= ``hub``);
* ``gather_scatter``: several accounts pay ``hub``, which splits to several others;
* ``structuring``: ``hub`` sends at least three transfers of 90-99.9 % of the threshold of their currency;
* ``round_amounts``: ``hub`` sends at least three transfers in round amounts (multiples of 100 or 1,000);
* ``new_account_burst``: ``hub`` was opened days before a burst of transfers (``opened`` in the instance).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .detectors import TYPOLOGIES
from .schema import (
    ACCOUNT_SCHEMA,
    CASH,
    CASINO,
    EXCHANGE,
    GUARANTEE,
    MERCHANT,
    ORDINARY,
    TXN_SCHEMA,
    USD_RATES,
    VICTIM,
)

REPORTING_THRESHOLDS: dict[str, float] = {"THB": 50_000.0, "USD": 10_000.0, "USDT": 10_000.0, "CNY": 50_000.0,
                                          "MYR": 25_000.0}
GENERATOR_VERSION = 3  # bumped when the same seed gives other data (benchmarks cache per version)
OPENED_SHARE = 0.05  # ordinary accounts whose opening date the banks supplied (v3)
FAN_K = 5  # distinct counterparties that make a fan-in / fan-out hub
FEE_BPS = 87
FIRST_HOP = {"bank_to_mule": 0.45, "usdt_trc20": 0.45, "other_crypto": 0.05, "cash_courier": 0.05}
EXIT_SHARES = {EXCHANGE: 0.50, GUARANTEE: 0.30, CASINO: 0.20}
NEW_MULE_SHARE = 0.30
MIN_RING_USD = 250_000.0
INDUCEMENT_SHARE = 0.05
SCAM_TYPES = {  # name: (weight, median USD, p90 USD)
    "pig_butchering_crypto": (0.55, 25_000, 250_000), "fake_investment_stock": (0.15, 20_000, 150_000),
    "task_or_job_scam": (0.15, 1_500, 15_000), "loan_app": (0.08, 3_000, 15_000),
    "official_impersonation": (0.07, 8_000, 80_000)}
BACKGROUND_MIX = {"merchant": 0.29, "p2p": 0.20, "salary": 0.12, "rent": 0.05, "own": 0.09, "usdt": 0.10,
                  "cash": 0.04, "business": 0.05, "otc": 0.02, "gambling": 0.04}
RING_CURRENCIES = ("THB", "CNY", "THB", "MYR", "USD")
FIAT = ("THB", "CNY", "MYR", "USD")
FIAT_SHARE = np.array([0.55, 0.15, 0.10, 0.10])  # + USDT wallets 0.10
_BANKS = {"THB": (("KBANK", "SCB", "BBL", "KTB", "BAY", "TTB"), 10), "CNY": (("ICBC", "CCB", "ABC", "BOC", "CMB"), 16),
          "MYR": (("MAYBANK", "CIMB", "PBB", "RHB"), 12), "USD": (("ABA", "ACLEDA", "CANADIA", "WING"), 9)}
_B58 = np.frombuffer(b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", np.uint8)
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)
_OTC = ("Golden Fortune", "Lucky Dragon", "Jade Harbour", "Mekong Star", "Royal Phoenix", "Silver Lotus")
_FAST = (1.5 * 3600, 6 * 3600)
_SLOW = (4 * 86400, 15 * 86400)
_DAY = 86400.0
# UTC hour weights: people are awake 07:00-23:00 Bangkok time (UTC+7)
_HOUR_W = np.array([6, 7, 8, 8, 7, 7, 7, 7, 8, 9, 10, 11, 10, 9, 7, 5, 3, 1.5, 0.7, 0.4, 0.3, 0.4, 1, 3], float)
_HOUR_P = _HOUR_W / _HOUR_W.sum()


def _sigma(median: float, p90: float) -> float:
    return (math.log(p90) - math.log(median)) / 1.2816


def _lognormal(rng, median: float, p90: float, size=None):
    return rng.lognormal(math.log(median), _sigma(median, p90), size)


@dataclass
class RingSpec:
    """A ring to plant. ``collector_wallets``: the USDT wallets of its chief financiers (its layered money
    ends there before the exits); ``holders``: account -> holder id, copied into the truth."""
    name: str
    collector_wallets: list[str] = field(default_factory=list)
    holders: dict[str, str] = field(default_factory=dict)


@dataclass
class FlowWorld:
    seed: int
    txns: pa.Table
    accounts: pa.Table
    truth: dict[str, Any]

    def write(self, directory) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        pq.write_table(self.txns, d / "txns.parquet", row_group_size=1_000_000)
        pq.write_table(self.accounts, d / "accounts.parquet")
        (d / "truth.json").write_text(json.dumps(self.truth, indent=1, default=str))


# ------------------------------------------------------------------------------------------- identifiers


def _tron_ids(rng, n: int) -> np.ndarray:
    m = np.empty((n, 34), np.uint8)
    m[:, 0] = ord("T")
    m[:, 1:] = _B58[rng.integers(0, 58, (n, 33))]
    return m.view("S34").ravel()


def _eth_ids(rng, n: int) -> np.ndarray:
    m = np.empty((n, 42), np.uint8)
    m[:, 0], m[:, 1] = ord("0"), ord("x")
    m[:, 2:] = _HEX[rng.integers(0, 16, (n, 40))]
    return m.view("S42").ravel()


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded ASCII, shape (n,) of dtype S<width>."""
    values = np.asarray(values, np.int64)
    m = np.empty((len(values), width), np.uint8)
    for k in range(width):
        m[:, width - 1 - k] = 48 + (values // 10 ** k) % 10
    return m.view(f"S{width}").ravel()


def _bank_ids(rng, n: int, cur: str) -> np.ndarray:
    banks, width = _BANKS[cur]
    lo = 10 ** (width - 1)
    num = rng.integers(lo, 10 ** width, n, dtype=np.int64)
    code = rng.integers(0, len(banks), n)
    prefix = np.array([b.encode() + b":" for b in banks])[code]
    return np.char.add(prefix, _digits(num, width))


def _str(x) -> str:
    return x.decode() if isinstance(x, bytes) else str(x)


# ------------------------------------------------------------------------------------------- planted part


class _Packet:
    __slots__ = ("acct", "amt", "cur", "t", "row", "prev")

    def __init__(self, acct, amt, cur, t, row=None, prev=None):
        self.acct, self.amt, self.cur, self.t, self.row, self.prev = acct, amt, cur, t, row, prev


class _Book:
    """Planted rows (Python lists; small), accounts with kind/opened/label, typology instances."""

    def __init__(self, rng: np.random.Generator, end: float):
        self.rng, self.end = rng, end
        self.meta: dict[str, tuple[str, float | None, str | None]] = {}
        self.ts: list[int] = []
        self.src: list[str] = []
        self.dst: list[str] = []
        self.amount: list[float] = []
        self.cur: list[str] = []
        self.channel: list[str] = []
        self.source: list[str] = []
        self.instances: list[dict] = []
        self.victim_rows: list[int] = []
        self.inducement_rows: list[int] = []
        self.cashouts: list[tuple[int, str]] = []  # (row, ring)
        self.ring_rows: dict[str, list[int]] = {}

    # accounts
    def acc(self, name: str, kind: str = ORDINARY, opened: float | None = None, label: str | None = None) -> str:
        if name not in self.meta:
            self.meta[name] = (kind, opened, label)
        return name

    def tron(self) -> str:
        while True:
            a = _str(_tron_ids(self.rng, 1)[0])
            if a not in self.meta:
                return a

    def bank(self, cur: str) -> str:
        while True:
            a = _str(_bank_ids(self.rng, 1, cur)[0])
            if a not in self.meta:
                return a

    def eth(self) -> str:
        return _str(_eth_ids(self.rng, 1)[0])

    # time
    def later(self, t: float, speed: str, scale: float = 1.0) -> float:
        med, p90 = _FAST if speed == "fast" else _SLOW
        d = max(60.0, min(_lognormal(self.rng, med, p90) * scale, 0.35 * (self.end - t)))
        return min(t + d, self.end - 1.0)

    # transfers
    def tx(self, t: float, src: str, dst: str, amount: float, cur: str, channel: str, ring: str | None = None,
           source: str | None = None) -> tuple[int, float]:
        q = 1e6 if cur in ("ETH", "BTC") else 100.0
        amount = math.floor(amount * q) / q
        if amount <= 0:
            amount = 1.0 / q
        if source is None:
            if channel == "usdt_trc20":
                source = "TRON"
            elif channel == "other_crypto":
                source = "Ethereum"
            else:
                who = src if ":" in src and not src.startswith("HPAY") else dst
                source = who.split(":", 1)[0] if ":" in who else "unknown"
        self.ts.append(int(t))
        self.src.append(src)
        self.dst.append(dst)
        self.amount.append(amount)
        self.cur.append(cur)
        self.channel.append(channel)
        self.source.append(source)
        row = len(self.ts) - 1
        if ring is not None:
            self.ring_rows.setdefault(ring, []).append(row)
        return row, amount

    def inst(self, typology: str, ring: str, speed: str, accounts, hub, rows, **extra) -> None:
        seen, accs = set(), []
        for a in accounts:
            if a not in seen:
                seen.add(a)
                accs.append(a)
        self.instances.append({"typology": typology, "ring": ring, "speed": speed, "accounts": accs, "hub": hub,
                               "rows": list(rows), **extra})


def _split(rng, amount: float, k: int) -> np.ndarray:
    w = rng.dirichlet(np.full(k, 3.0))
    return np.floor(amount * w * 100) / 100


class _Ring:
    """One ring: victims -> first-hop accounts -> layering -> OTC broker -> collectors -> exits."""

    FORCED = [("scatter_gather", "fast"), ("gather_scatter", "slow"), ("cycle", "fast"),
              ("scatter_gather", "slow"), ("gather_scatter", "fast"), ("cycle", "slow")]

    def __init__(self, bk: _Book, rng, spec: RingSpec | None, name: str, cur: str, exits: dict):
        self.bk, self.rng, self.name, self.cur = bk, rng, name, cur
        self.rate, self.thr = USD_RATES[cur], REPORTING_THRESHOLDS[cur]
        self.exits = exits
        self.spec = spec
        self.mules: list[str] = []
        self.layering: list[str] = []
        self.collector_in: dict[str, list[tuple[float, float, int, str]]] = {}
        self.forced = list(self.FORCED)
        self.struct_done = {"fast": 0, "slow": 0}
        self.victim_usd = 0.0

    # ----------------------------------------------------------------------------------- helpers
    def tx(self, t, src, dst, amount, cur, channel, **kw):
        return self.bk.tx(t, src, dst, amount, cur, channel, ring=self.name, **kw)

    def inst(self, typology, speed, accounts, hub, rows, **extra):
        self.bk.inst(typology, self.name, speed, accounts, hub, rows, **extra)

    def fee(self) -> float:
        return 1.0 - self.rng.uniform(0.0, 0.003)

    def pick(self, pool: list[str], exclude=()) -> str:
        cand = [a for a in pool if a not in exclude]
        return cand[int(self.rng.integers(len(cand)))]

    def picks(self, pool: list[str], k: int, exclude=()) -> list[str]:
        cand = [a for a in pool if a not in exclude]
        idx = self.rng.choice(len(cand), size=min(k, len(cand)), replace=False)
        return [cand[i] for i in idx]

    def opened_before(self, t: float, new: bool) -> float:
        return t - (self.rng.uniform(1, 14) * _DAY if new else self.rng.uniform(1, 8) * 365 * _DAY)

    def speed(self) -> str:
        return "fast" if self.rng.random() < 0.5 else "slow"

    # ----------------------------------------------------------------------------------- plant
    def plant(self) -> None:
        rng, bk = self.rng, self.bk
        T = bk.end
        self.t0 = rng.uniform(0.0, 0.12) * T
        self.t1 = self.t0 + rng.uniform(0.45, 0.60) * T
        spec = self.spec
        if spec is not None and spec.collector_wallets:
            self.collectors = list(dict.fromkeys(spec.collector_wallets))
        else:
            self.collectors = [bk.tron() for _ in range(int(rng.integers(1, 4)))]
        for c in self.collectors:
            bk.acc(c)
        self.broker = bk.acc(f"HPAY:{rng.integers(10**7, 10**8)}", ORDINARY,
                             label=f"{_OTC[int(rng.integers(len(_OTC)))]} OTC desk (fiat/ETH to USDT)")
        n_v = int(np.clip(round(_lognormal(rng, 22, 60)), 12, 80))
        self.fiat_pool = []
        for _ in range(max(10, 6 + n_v // 5)):
            a = bk.bank(self.cur)
            bk.acc(a, ORDINARY, opened=self.opened_before(self.t0, rng.random() < NEW_MULE_SHARE))
            self.fiat_pool.append(a)
        self.usdt_pool = [bk.acc(bk.tron()) for _ in range(max(10, 6 + n_v // 6))]
        deps = self.victims(n_v)
        self.first_hops(deps)
        self.exits_out()

    def victims(self, n_v: int):
        """Victim payments: (t, victim, amount local, currency, channel kind)."""
        rng, bk = self.rng, self.bk
        kinds = list(FIRST_HOP)
        chan = rng.choice(4, n_v, p=list(FIRST_HOP.values()))
        chan[:8] = 0  # at least 8 bank victims and 6 USDT victims per ring
        chan[8:14] = 1
        rng.shuffle(chan)
        names = list(SCAM_TYPES)
        w = np.array([v[0] for v in SCAM_TYPES.values()])
        types = rng.choice(len(names), n_v, p=w / w.sum())
        deps = []
        for v in range(n_v):
            kind = kinds[chan[v]]
            med, p90 = SCAM_TYPES[names[types[v]]][1:]
            loss = _lognormal(rng, med, p90)
            k = int(min(30, 1 + rng.negative_binomial(2, 2 / 5)))
            first = min(_lognormal(rng, 500, 3000), loss)
            seq = first * rng.uniform(1.5, 3.0) ** np.arange(k)
            if seq.sum() > loss:
                keep = max(1, int(np.searchsorted(np.cumsum(seq), loss, side="right")))
                seq = seq[:keep]
            elif k > 1:
                seq[1:] *= (loss - first) / seq[1:].sum()
            if kind == "bank_to_mule" or kind == "cash_courier":
                acct, cur, q = bk.bank(self.cur), self.cur, self.rate
            elif kind == "usdt_trc20":
                acct, cur, q = bk.tron(), "USDT", 1.0
            else:
                acct, cur, q = bk.eth(), "ETH", USD_RATES["ETH"]
            bk.acc(acct, VICTIM)
            t = rng.uniform(self.t0, self.t0 + 0.8 * (self.t1 - self.t0))
            for i, usd in enumerate(seq):
                if i:
                    t += _lognormal(rng, 4 * _DAY, 14 * _DAY)
                    if t > self.t1:
                        break
                deps.append([t, acct, usd / q, cur, kind, names[types[v]]])
        total = sum(d[2] * USD_RATES[d[3]] for d in deps)
        if total < MIN_RING_USD:  # a ring that takes less is not worth its mules: scale it up
            for d in deps:
                d[2] *= MIN_RING_USD / total
        return deps

    def first_hops(self, deps) -> None:
        rng, bk = self.rng, self.bk
        by = {k: sorted([d for d in deps if d[4] == k], key=lambda d: d[0]) for k in FIRST_HOP}
        # two "urgent top-up" bursts: 5-7 bank victims pay one freshly opened mule within hours
        bank_victims = list(dict.fromkeys(d[1] for d in by["bank_to_mule"]))
        bursts = []
        for _ in range(2):
            tb = rng.uniform(self.t0 + 0.1 * (self.t1 - self.t0), self.t1)
            who = self.picks(bank_victims, int(rng.integers(FAN_K, FAN_K + 3)))
            span = rng.uniform(2, 10) * 3600
            bdeps = sorted([[tb + rng.uniform(0, span), v, _lognormal(rng, 2000, 8000) / self.rate, self.cur,
                             "bank_to_mule", "pig_butchering_crypto"] for v in who], key=lambda d: d[0])
            bursts.append(bdeps)
        regular = by["bank_to_mule"]
        n_mules = max(3, math.ceil(len(regular) / 8))
        blocks = [b for b in np.array_split(np.arange(len(regular)), n_mules) if len(b)]
        p_new = max(0.0, (NEW_MULE_SHARE * (len(blocks) + 2) - 2) / len(blocks))
        for i, b in enumerate(blocks):
            ds = [regular[i] for i in b]
            forced = i == 0 and p_new * len(blocks) < 1  # one slowly used new account per ring at least
            new = forced or rng.random() < p_new
            mule = bk.acc(bk.bank(self.cur), ORDINARY, opened=self.opened_before(ds[0][0], new))
            self.mule(mule, ds, "slow" if forced else self.speed(), "fiat", new=new)
        for ds in bursts:
            mule = bk.acc(bk.bank(self.cur), ORDINARY, opened=self.opened_before(ds[0][0], True))
            self.mule(mule, ds, "fast", "fiat", new=True, burst=True)
        wallets = by["usdt_trc20"]
        n_w = max(2, math.ceil(len(wallets) / 8))
        for b in np.array_split(np.arange(len(wallets)), n_w):
            if len(b):
                self.mule(bk.acc(bk.tron()), [wallets[i] for i in b], self.speed(), "usdt")
        if by["other_crypto"]:
            self.mule(bk.acc(bk.eth()), by["other_crypto"], "fast", "eth")
        if by["cash_courier"]:
            self.mule(bk.acc(bk.bank(self.cur), ORDINARY, opened=self.opened_before(self.t0, False)),
                      by["cash_courier"], "fast", "cash")

    def mule(self, acct: str, deps, speed: str, domain: str, new: bool = False, burst: bool = False) -> None:
        """A first-hop account: victim payments in (with inducement payouts back), onward transfers out."""
        rng, bk = self.rng, self.bk
        self.mules.append(acct)
        channel = {"fiat": "bank", "usdt": "usdt_trc20", "eth": "other_crypto", "cash": "cash_courier"}[domain]
        in_rows, out_rows, outs, victims = [], [], set(), set()
        items = []  # (t_available, amount, row)
        last_of = {}
        for d in deps:
            last_of[d[1]] = d[0]
        for d in deps:
            t, victim, amount, cur = d[0], d[1], d[2], d[3]
            row, amount = self.tx(t, victim, acct, amount, cur, channel)
            bk.victim_rows.append(row)
            self.victim_usd += amount * USD_RATES[cur]
            in_rows.append(row)
            victims.add(victim)
            avail = t
            if domain != "cash" and rng.random() < INDUCEMENT_SHARE and last_of[victim] > t:
                tp = t + min(rng.uniform(1, 48) * 3600, 0.5 * (last_of[victim] - t))
                r2, paid = self.tx(tp, acct, victim, amount * rng.uniform(0.05, 0.20), cur, channel)
                bk.inducement_rows.append(r2)
                amount -= paid
                avail = tp
            items.append((avail, amount, row))
        cur = deps[0][3]
        # sweeps
        if burst or domain == "eth":
            sweeps = [items] if burst else [[i] for i in items]
        elif speed == "fast" or domain == "cash":
            sweeps = [[i] for i in items]
        else:
            sweeps, curr = [], []
            for it in items:
                curr.append(it)
                if len(curr) >= rng.integers(2, 5):
                    sweeps.append(curr)
                    curr = []
            if curr:
                sweeps.append(curr)
        pool = self.fiat_pool if domain in ("fiat", "cash") else self.usdt_pool
        unused = list(pool)
        rng.shuffle(unused)
        sent = 0
        for si, sw in enumerate(sweeps):
            t = bk.later(max(i[0] for i in sw), speed if domain != "cash" else "fast", 0.5)
            amount = sum(i[1] for i in sw) * self.fee()
            if domain == "eth":  # straight to the OTC broker, converted there
                r, a = self.tx(t, acct, self.broker, amount, cur, channel)
                out_rows.append(r)
                outs.add(self.broker)
                self.convert(_Packet(self.broker, a * USD_RATES[cur], "USDT", t, r, acct), speed)
                continue
            if domain == "cash":  # cash paid in across layering accounts, under the threshold
                packets = self.structure(acct, amount, cur, t, "fast", "cash_courier", pool)
                if packets:
                    for p in packets:
                        out_rows.append(p.row)
                        outs.add(p.acct)
                    self.layer(packets, acct, "fast", int(rng.integers(2, 7)), "fiat")
                    continue
            # at least FAN_K onward transfers to distinct accounts over the mule's life; 3+ in a sweep when
            # it starts a scatter-gather / gather-scatter
            need = max(0, FAN_K + 1 - sent) if si == len(sweeps) - 1 else 0
            k = max(need, 3 if si < 2 or rng.random() < 0.3 else int(rng.integers(1, 3)))
            sent += k
            dests = []
            for _ in range(k):
                if not unused:
                    unused = [a for a in pool if a not in dests]
                    rng.shuffle(unused)
                dests.append(unused.pop())
            dests = list(dict.fromkeys(dests))
            packets = []
            for dst, a in zip(dests, _split(rng, amount, len(dests)), strict=True):
                tt = t + rng.uniform(0, 1800 if speed == "fast" else 2 * _DAY)
                tt = min(tt, bk.end - 1)
                r, a = self.tx(tt, acct, dst, a, cur, "bank" if domain == "cash" else channel)
                out_rows.append(r)
                outs.add(dst)
                packets.append(_Packet(dst, a, cur, tt, r, acct))
            self.layer(packets, acct, speed if not burst else "fast", int(rng.integers(2, 7)),
                       "usdt" if domain == "usdt" else "fiat")
        if domain in ("fiat", "usdt"):
            if len(victims) >= FAN_K:
                self.inst("fan_in", speed, [acct, *victims], acct, in_rows)
            if len(outs) >= FAN_K:
                self.inst("fan_out", speed, [acct, *outs], acct, out_rows)
        if new:
            kind, opened, _ = bk.meta[acct]
            self.inst("new_account_burst", speed, [acct, *victims, *outs], acct, in_rows + out_rows,
                      opened=opened)

    def structure(self, acct, amount, cur, t, speed, channel, pool=None, dst=None):
        """3-8 pieces of 90-99.9 % of the threshold, then the rest in one transfer; None if the amount does
        not make three pieces."""
        rng, bk = self.rng, self.bk
        thr = REPORTING_THRESHOLDS[cur]
        pieces = []
        left = amount
        cap = int(rng.integers(3, 9))
        while left >= thr and len(pieces) < cap:
            p = thr * rng.uniform(0.90, 0.999)
            pieces.append(p)
            left -= p
        if len(pieces) < 3:
            return None
        n_struct = len(pieces)
        if left > 1:
            pieces.append(left)
        rows, packets, dests = [], [], set()
        for p in pieces:
            if len(rows) == n_struct:  # the rest, in one transfer
                t = t + 600
            t = t + (rng.uniform(300, 5400) if speed == "fast" else rng.uniform(0.3, 2.0) * _DAY)
            t = min(t, bk.end - 1)
            d = dst if dst is not None else self.pick(pool, exclude=(acct,))
            r, a = self.tx(t, acct, d, p, cur, channel)
            rows.append(r)
            if len(rows) <= n_struct:
                dests.add(d)
            packets.append(_Packet(d, a, cur, t, r, acct))
        self.inst("structuring", speed, [acct, *dests], acct, rows[:n_struct], threshold=thr, currency=cur)
        self.struct_done[speed] += 1
        return packets

    def next_recipe(self, n: int, speed: str):
        for i, (r, _) in enumerate(self.forced):
            if r == "cycle" or n >= 3:
                return self.forced.pop(i)
        x = self.rng.random()
        if x < 0.55:
            return "chain", speed
        if x < 0.70 and n >= 3:
            return "scatter_gather", speed
        if x < 0.85 and n >= 2:
            return "gather_scatter", speed
        return "cycle", speed

    def layer(self, packets: list[_Packet], source: str, speed: str, hops: int, domain: str) -> None:
        rng, bk = self.rng, self.bk
        pool = self.fiat_pool if domain == "fiat" else self.usdt_pool
        channel = "bank" if domain == "fiat" else "usdt_trc20"
        recipe, rs = self.next_recipe(len(packets), speed)
        left = hops - 1
        if recipe == "scatter_gather":
            sink = self.pick(pool, exclude={p.acct for p in packets} | {source})
            rows, total, tmax = [p.row for p in packets], 0.0, 0.0
            for p in packets:
                t = bk.later(p.t, rs)
                r, a = self.tx(t, p.acct, sink, p.amt * self.fee(), p.cur, channel)
                rows.append(r)
                total += a
                tmax = max(tmax, t)
            self.inst("scatter_gather", rs, [source, *[p.acct for p in packets], sink], sink, rows,
                      source=source, sink=sink)
            packets = [_Packet(sink, total, packets[0].cur, tmax)]
            left -= 1
        elif recipe == "gather_scatter":
            hub = self.pick(pool, exclude={p.acct for p in packets} | {source})
            rows, total, tmax = [], 0.0, 0.0
            for p in packets:
                t = bk.later(p.t, rs)
                r, a = self.tx(t, p.acct, hub, p.amt * self.fee(), p.cur, channel)
                rows.append(r)
                total += a
                tmax = max(tmax, t)
            outs = self.picks(pool, int(rng.integers(3, 6)), exclude={hub} | {p.acct for p in packets})
            new = []
            for o, a in zip(outs, _split(rng, total * self.fee(), len(outs)), strict=True):
                t = bk.later(tmax, rs)
                r, a = self.tx(t, hub, o, a, packets[0].cur, channel)
                rows.append(r)
                new.append(_Packet(o, a, packets[0].cur, t, r, hub))
            self.inst("gather_scatter", rs, [*[p.acct for p in packets], hub, *outs], hub, rows)
            packets = new
            left -= 2
        elif recipe == "cycle":
            p = packets[0]
            members = [p.acct, *self.picks(pool, int(rng.integers(2, 4)), exclude={p.acct, p.prev, source})]
            rows, t, amt = [], p.t, p.amt
            for i in range(len(members)):
                t = bk.later(t, rs)
                r, amt = self.tx(t, members[i], members[(i + 1) % len(members)],
                                 amt * (1 - rng.uniform(0.001, 0.004)), p.cur, channel)
                rows.append(r)
            self.inst("cycle", rs, members, None, rows)
            packets[0] = _Packet(p.acct, amt, p.cur, t, rows[-1], members[-1])
        while left > 0:
            new = []
            for p in packets:
                nxt = self.pick(pool, exclude={p.acct, p.prev})
                new.append(self.hop(p, nxt, bk.later(p.t, speed), speed, channel))
            packets = new
            left -= 1
        for p in packets:
            if domain == "fiat":
                self.to_broker(p, speed)
            else:
                self.to_collector(p, speed)

    def hop(self, p: _Packet, dst: str, t: float, speed: str, channel: str, cur: str | None = None) -> _Packet:
        r, a = self.tx(t, p.acct, dst, p.amt * self.fee(), p.cur, channel)
        if p.row is not None and p.prev is not None:
            self.inst("pass_through", speed, [p.prev, p.acct, dst], p.acct, [p.row, r])
        if p.acct not in self.layering and p.acct not in self.mules:
            self.layering.append(p.acct)
        return _Packet(dst, a, p.cur, t, r, p.acct)

    def to_broker(self, p: _Packet, speed: str) -> None:
        bk = self.bk
        want = min(self.struct_done.values()) < 1 or self.rng.random() < 0.2
        if want:
            s = "fast" if self.struct_done["fast"] <= self.struct_done["slow"] else "slow"
            pieces = self.structure(p.acct, p.amt * self.fee(), p.cur, bk.later(p.t, speed), s, "bank",
                                    dst=self.broker)
            if pieces:
                if p.acct not in self.layering:
                    self.layering.append(p.acct)
                usd = sum(q.amt for q in pieces) * USD_RATES[p.cur]
                self.convert(_Packet(self.broker, usd, "USDT", pieces[-1].t), speed)
                return
        q = self.hop(p, self.broker, bk.later(p.t, speed), speed, "bank")
        self.convert(_Packet(self.broker, q.amt * USD_RATES[p.cur], "USDT", q.t, q.row, p.acct), speed)

    def convert(self, p: _Packet, speed: str) -> None:
        """The OTC broker pays USDT (less 87 bps) to a layering wallet or straight to a collector; the first
        big conversion is split over five or more wallets that all pay one collector within hours."""
        rng, bk = self.rng, self.bk
        usdt = p.amt * (1 - FEE_BPS / 10_000)
        t = bk.later(p.t, "fast")
        if self.layering.count(self.broker) == 0:
            self.layering.append(self.broker)
        if not getattr(self, "consolidated", False) and usdt >= 2_500:
            self.consolidated = True
            coll = self.collectors[0]
            ws = self.picks(self.usdt_pool, int(rng.integers(FAN_K, FAN_K + 3)))
            rows, fin = [], []
            for w, a in zip(ws, _split(rng, usdt, len(ws)), strict=True):
                r, a = self.tx(t + rng.uniform(0, 600), self.broker, w, a, "USDT", "usdt_trc20")
                rows.append(r)
                t2 = bk.later(t + 600, "fast")
                r2, a2 = self.tx(t2, w, coll, a * self.fee(), "USDT", "usdt_trc20")
                rows.append(r2)
                fin.append(r2)
                self.collector_in.setdefault(coll, []).append((t2, a2, r2, w))
                if w not in self.layering:
                    self.layering.append(w)
            self.inst("scatter_gather", "fast", [self.broker, *ws, coll], coll, rows, source=self.broker, sink=coll)
            self.inst("fan_in", "fast", [coll, *ws], coll, fin)
            return
        if rng.random() < 0.5:
            self.to_collector(_Packet(self.broker, usdt, "USDT", t, None, None), speed, t_fixed=t)
        else:
            w = self.pick(self.usdt_pool)
            r, a = self.tx(t, self.broker, w, usdt, "USDT", "usdt_trc20")
            self.to_collector(_Packet(w, a, "USDT", t, r, self.broker), speed)

    def to_collector(self, p: _Packet, speed: str, t_fixed: float | None = None) -> None:
        coll = self.collectors[int(self.rng.integers(len(self.collectors)))] if self.rng.random() < 0.4 \
            else self.collectors[0]
        t = t_fixed if t_fixed is not None else self.bk.later(p.t, speed)
        q = self.hop(p, coll, t, speed, "usdt_trc20")
        self.collector_in.setdefault(coll, []).append((q.t, q.amt, q.row, p.acct))

    def exits_out(self) -> None:
        """Collectors sweep their balance to the exits: exchange 50 % (sometimes structured under USDT
        10,000), guarantee escrows 30 % in round amounts, casinos/junkets 20 %."""
        rng, bk = self.rng, self.bk
        ex = self.exits
        for ci, (coll, ins) in enumerate(self.collector_in.items()):
            ins.sort()
            senders = {s for *_, s in ins}
            if len(senders) >= FAN_K:
                self.inst("fan_in", "slow", [coll, *senders], coll, [r for _, _, r, _ in ins])
            buckets, curr, bal, start = [], [], 0.0, None
            speeds = ["fast", "slow"] if ci % 2 == 0 else ["slow", "fast"]
            sp = speeds[0]
            span = rng.uniform(7, 20) * _DAY
            for it in ins:
                if curr and sp == "slow" and it[0] > start + span:
                    buckets.append((sp, curr))
                    curr, bal, sp = [], 0.0, speeds[len(buckets) % 2] if len(buckets) < 2 else self.speed()
                if not curr:
                    start = it[0]
                curr.append(it)
                bal += it[1]
                if sp == "fast" and bal >= 60_000:
                    buckets.append((sp, curr))
                    curr, bal, sp = [], 0.0, speeds[len(buckets) % 2] if len(buckets) < 2 else self.speed()
            if curr:
                buckets.append((sp, curr))
            carry = 0.0
            for sp, items in buckets:
                total = sum(i[1] for i in items) + carry
                t = bk.later(max(i[0] for i in items), sp)
                rows, dests = [], set()
                # guarantee: round amounts
                g = total * EXIT_SHARES[GUARANTEE]
                unit = 1000.0 if g >= 3000 else 100.0
                n = int(min(6, max(1, g // unit)))
                n = int(rng.integers(3, 7)) if g >= 3 * unit else n
                base = math.floor(g / n / unit) * unit
                g_rows, spent = [], 0.0
                tt = t
                for i in range(n):
                    if base <= 0:
                        break
                    tt = min(tt + (rng.uniform(60, 3600) if sp == "fast" else rng.uniform(0.2, 2) * _DAY), bk.end - 1)
                    d = ex[GUARANTEE][i % len(ex[GUARANTEE])]
                    r, a = self.tx(tt, coll, d, base, "USDT", "usdt_trc20")
                    g_rows.append(r)
                    dests.add(d)
                    spent += a
                if len(g_rows) >= 3:
                    self.inst("round_amounts", sp, [coll, *{bk.dst[r] for r in g_rows}], coll, g_rows, unit=unit)
                rows += g_rows
                # exchange
                e = total * EXIT_SHARES[EXCHANGE]
                deposit = ex["deposit"][self.name]
                done = self.struct_done
                structured = done[sp] < 1 or done["fast"] + done["slow"] < 2 or rng.random() < 0.3
                e_rows = []
                if structured and e >= 3 * REPORTING_THRESHOLDS["USDT"]:
                    thr = REPORTING_THRESHOLDS["USDT"]
                    left, k, cap = e, 0, int(rng.integers(3, 11))
                    while left >= thr and k < cap:
                        p = thr * rng.uniform(0.90, 0.999)
                        tt = min(tt + (rng.uniform(300, 5400) if sp == "fast" else rng.uniform(0.3, 2) * _DAY),
                                 bk.end - 1)
                        r, a = self.tx(tt, coll, deposit[k % len(deposit)], p, "USDT", "usdt_trc20")
                        e_rows.append(r)
                        left -= a
                        spent += a
                        k += 1
                    self.inst("structuring", sp, [coll, *{bk.dst[r] for r in e_rows}], coll, e_rows,
                              threshold=thr, currency="USDT")
                    self.struct_done[sp] += 1
                    if left > 1:
                        tt = min(tt + 600, bk.end - 1)
                        r, a = self.tx(tt, coll, deposit[k % len(deposit)], left, "USDT", "usdt_trc20")
                        e_rows.append(r)
                        spent += a
                else:
                    for k, a in enumerate(_split(rng, e, int(rng.integers(1, 4)))):
                        tt = min(tt + rng.uniform(60, 7200), bk.end - 1)
                        r, a = self.tx(tt, coll, deposit[k % len(deposit)], a, "USDT", "usdt_trc20")
                        e_rows.append(r)
                        spent += a
                rows += e_rows
                dests.update(bk.dst[r] for r in e_rows)
                # casino / junket
                c = total * EXIT_SHARES[CASINO]
                for k, a in enumerate(_split(rng, c, int(rng.integers(1, 3)))):
                    tt = min(tt + rng.uniform(60, 7200), bk.end - 1)
                    d = ex[CASINO][(ci + k) % len(ex[CASINO])]
                    r, a = self.tx(tt, coll, d, a, "USDT", "usdt_trc20")
                    rows.append(r)
                    dests.add(d)
                    spent += a
                carry = max(0.0, total - spent)
                for r in rows:
                    bk.cashouts.append((r, self.name))
                if len(dests) >= FAN_K:
                    self.inst("fan_out", sp, [coll, *dests], coll, rows)


def _exits(bk: _Book, rings: list[str]) -> dict:
    ex: dict[str, Any] = {"hot": [], "deposit": {}, GUARANTEE: [], CASINO: [], CASH: {}}
    for x in "ABC":
        ex["hot"].append(bk.acc(bk.tron(), EXCHANGE, label=f"Exchange {x} hot wallet"))
    for name in rings:
        ex["deposit"][name] = [bk.acc(bk.tron(), EXCHANGE, label=f"Exchange {x} deposit address") for x in "ABC"]
    for m in ("H", "X"):
        for i in range(2):
            ex[GUARANTEE].append(bk.acc(bk.tron(), GUARANTEE, label=f"Guarantee market {m} escrow {i + 1}"))
    for label in ("Casino junket Z cage wallet", "Online casino K deposit wallet", "Junket operator V wallet"):
        ex[CASINO].append(bk.acc(bk.tron(), CASINO, label=label))
    for cur in FIAT:
        ex[CASH][cur] = bk.acc(bk.bank(cur), CASH, label=f"Underground banking desk ({cur})")
    return ex


# ------------------------------------------------------------------------------------------- background


def _times(rng, n: int, days: int, around_the_clock: bool = False) -> np.ndarray:
    """Seconds from the start: a uniform day, an hour weighted to the Bangkok day (crypto transfers,
    made by people in many time zones and by bots, ``around_the_clock``: any hour alike)."""
    day = rng.integers(0, days, n, dtype=np.int64)
    hour = rng.integers(0, 24, n, dtype=np.int64) if around_the_clock else rng.choice(24, n, p=_HOUR_P).astype(np.int64)
    return day * 86400 + hour * 3600 + rng.integers(0, 3600, n, dtype=np.int64)


def _local(usd: np.ndarray, cur_code: np.ndarray, curs: list[str], round_to: np.ndarray | None = None) -> np.ndarray:
    rate = np.array([USD_RATES[c] for c in curs])[cur_code]
    amt = usd / rate
    if round_to is not None:
        amt = np.where(round_to > 0, np.maximum(np.round(amt / np.maximum(round_to, 1)) * round_to, round_to),
                       amt)
    return np.maximum(np.floor(amt * 100) / 100, 1.0)


def _lifespans(rng, res: dict, people: int, fixed: list[np.ndarray], fixed_rows: slice, days: int) -> None:
    """Most accounts are not active all the time: 35 % of the people without a salary or rent (whose
    dates are fixed) are active only for a stretch (lognormal, median 40 days): new customers, people
    who stop using an account, occasional users. Their transfers keep their time of day and move into
    that stretch (the sender's, else the receiver's; a transfer between two such people follows the
    sender's). The people in ``fixed`` are never short-lived, and the ``fixed_rows`` (salaries, rents)
    stay where they are."""
    short = rng.random(people) < 0.35
    short[np.unique(np.concatenate(fixed))] = False
    span = np.clip(_lognormal(rng, 40, 120, people), 7, days).astype(np.int64)
    first = (rng.random(people) * (days - span + 1)).astype(np.int64)
    src, dst = res["src"], res["dst"]
    src_short = (src >= 0) & (src < people)
    src_short[src_short] = short[src[src_short]]
    dst_short = (dst >= 0) & (dst < people)
    dst_short[dst_short] = short[dst[dst_short]]
    who = np.where(src_short, src, np.where(dst_short, dst, -1))
    move = who >= 0
    move[fixed_rows] = False
    a = who[move]
    t = res["t"][move]
    res["t"][move] = (first[a] + (t // 86400) % span[a]) * 86400 + t % 86400


def _background(rng, n: int, days: int, start: datetime, exit_codes: dict, planted_names: set) -> dict:
    """``n`` ordinary transfers as arrays: src/dst codes into ``names`` (exits: -(planted code + 1)),
    local amount, currency code into ``curs``, channel code, source code, seconds from start."""
    curs = list(FIAT) + ["USDT"]
    people = max(200, n // 12)
    n_by = np.maximum(20, np.round(people * np.append(FIAT_SHARE, 0.10)).astype(np.int64))
    merchants = np.maximum(10, n_by[:4] // 60)
    employers = np.maximum(3, n_by[:4] // 150)
    twins = np.maximum(5, n_by[:4] // 10)  # people with a second account of their own
    firms = np.maximum(5, n_by[:4] // 20)  # small and mid-sized businesses: large amounts both ways
    traders = max(3, int(n_by[4]) // 100)  # legitimate over-the-counter USDT traders
    # name blocks: people by currency (4 fiat + USDT), merchants, employers, second accounts (by currency)
    first = 0
    names: list[np.ndarray] = []
    starts = {}

    def block(key, arr):
        nonlocal first
        starts[key] = (first, len(arr))
        names.append(arr)
        first += len(arr)

    for i, cur in enumerate(FIAT):
        block(("p", i), _bank_ids(rng, int(n_by[i]), cur))
    block(("p", 4), _tron_ids(rng, int(n_by[4])))
    for i, cur in enumerate(FIAT):
        block(("m", i), _bank_ids(rng, int(merchants[i]), cur))
    for i, cur in enumerate(FIAT):
        block(("e", i), _bank_ids(rng, int(employers[i]), cur))
    for i, cur in enumerate(FIAT):
        block(("t", i), _bank_ids(rng, int(twins[i]), cur))
    for i, cur in enumerate(FIAT):
        block(("b", i), _bank_ids(rng, int(firms[i]), cur))
    block(("x", 4), _tron_ids(rng, traders))
    allnames = np.concatenate([a.astype("S48") for a in names])
    # make names unique and distinct from the planted ones (a clash is re-drawn as a fresh number)
    _, first_idx = np.unique(allnames, return_index=True)
    dup = np.ones(len(allnames), bool)
    dup[first_idx] = False
    clash = dup | np.isin(allnames, np.array(sorted(planted_names), dtype="S48")) if planted_names else dup
    taken = set(planted_names)
    for i in np.flatnonzero(clash):
        while True:
            s = allnames[i].split(b":")[0] + b":" + str(rng.integers(10**9, 10**10)).encode() if b":" in allnames[i] \
                else _tron_ids(rng, 1)[0]
            if s.decode() not in taken:
                taken.add(s.decode())
                allnames[i] = s
                break
    names_arr = pa.array(allnames, pa.binary()).cast(pa.string())
    sizes = {k: v for k, v in BACKGROUND_MIX.items()}
    counts = {k: int(n * v) for k, v in sizes.items()}
    counts["merchant"] += n - sum(counts.values())
    out = {k: [] for k in ("src", "dst", "amount", "cur", "channel", "t")}
    channels = ["bank", "card", "wallet", "usdt_trc20", "cash_courier"]

    def emit(src, dst, amount, cur, channel, t):
        out["src"].append(np.asarray(src, np.int64))
        out["dst"].append(np.asarray(dst, np.int64))
        out["amount"].append(np.asarray(amount, np.float64))
        out["cur"].append(np.broadcast_to(np.asarray(cur, np.int8), len(src)).copy())
        out["channel"].append(np.broadcast_to(np.asarray(channel, np.int8), len(src)).copy())
        out["t"].append(np.asarray(t, np.int64))

    def fiat_cur(k):
        p = FIAT_SHARE / FIAT_SHARE.sum()
        return rng.choice(4, k, p=p).astype(np.int8)

    def member(key, c, k=None):
        """A random account of block (key, c) for each entry of c (array of currency codes)."""
        f = np.array([starts[(key, i)][0] for i in range(4 if key != "p" else 5)])
        s = np.array([starts[(key, i)][1] for i in range(4 if key != "p" else 5)])
        return f[c] + (rng.random(len(c)) * s[c]).astype(np.int64)

    def other(src, c):
        """A random person of the same currency other than ``src``."""
        f = np.array([starts[("p", i)][0] for i in range(5)])[c]
        s = np.array([starts[("p", i)][1] for i in range(5)])[c]
        return f + (src - f + rng.integers(1, s)) % s

    # merchants: Zipf-like popularity inside each currency
    k = counts["merchant"]
    c = fiat_cur(k)
    src = member("p", c)
    dst = np.empty(k, np.int64)
    for i in range(4):
        m = c == i
        f, s = starts[("m", i)]
        w = 1.0 / np.arange(1, s + 1) ** 1.1
        dst[m] = f + rng.choice(s, int(m.sum()), p=w / w.sum())
    emit(src, dst, _local(_lognormal(rng, 12, 80, k), c, curs), c,
         rng.choice([1, 2, 0], k, p=[0.5, 0.3, 0.2]), _times(rng, k, days))
    # P2P: mostly inside a circle of about 50 neighbouring accounts
    k = counts["p2p"]
    c = fiat_cur(k)
    src = member("p", c)
    f = np.array([starts[("p", i)][0] for i in range(4)])[c]
    s = np.array([starts[("p", i)][1] for i in range(4)])[c]
    near = f + (src - f + rng.integers(1, np.minimum(50, s))) % s
    dst = np.where(rng.random(k) < 0.7, near, other(src, c))
    usd = _lognormal(rng, 40, 400, k)
    rnd = np.where(rng.random(k) < 0.3, np.array([100, 10, 10, 10])[c], 0)
    emit(src, dst, _local(usd, c, curs, rnd), c, rng.choice([0, 2], k, p=[0.6, 0.4]), _times(rng, k, days))
    sched_lo = sum(len(x) for x in out["src"])  # salaries and rents: rows on fixed dates, from here
    # salaries: monthly payroll, each employee tied to one employer
    months = [d for d in range(days) if (start + timedelta(days=d)).day == 25] or [min(days - 1, 24)]
    k = counts["salary"]
    emp = max(1, k // len(months))
    c = fiat_cur(emp)
    who = member("p", c)
    ef = np.array([starts[("e", i)][0] for i in range(4)])[c]
    es = np.array([starts[("e", i)][1] for i in range(4)])[c]
    boss = ef + (who * 2654435761 % 2**32) % es
    pay = _local(_lognormal(rng, 600, 1800, emp), c, curs, np.array([50, 10, 10, 10])[c])
    m_idx = np.repeat(np.arange(len(months)), emp)
    sel = np.tile(np.arange(emp), len(months))
    tt = np.array(months, np.int64)[m_idx] * 86400 + 2 * 3600 + rng.integers(0, 5400, len(sel))
    emit(boss[sel], who[sel], pay[sel] * np.where(rng.random(len(sel)) < 0.1, 1.1, 1.0), c[sel], 0, tt)
    scheduled = [who]
    # rent: monthly round amounts to a landlord
    months1 = [d for d in range(days) if (start + timedelta(days=d)).day == 1] or [0]
    k = counts["rent"]
    ten = max(1, k // len(months1))
    c = fiat_cur(ten)
    tenant = member("p", c)
    landlord = other(tenant, c)
    rent = _local(_lognormal(rng, 250, 700, ten), c, curs, np.array([500, 100, 100, 50])[c])
    m_idx = np.repeat(np.arange(len(months1)), ten)
    sel = np.tile(np.arange(ten), len(months1))
    tt = (np.array(months1, np.int64)[m_idx] + rng.integers(0, 5, len(sel))) * 86400 + \
        rng.choice(24, len(sel), p=_HOUR_P) * 3600
    emit(tenant[sel], landlord[sel], rent[sel], c[sel], 0, tt)
    scheduled += [tenant, landlord]
    n_scheduled_rows = sum(len(x) for x in out["src"])
    # own accounts: a person and their second account, both ways, often round
    k = counts["own"]
    c = fiat_cur(k)
    tw = member("t", c)
    pf = np.array([starts[("p", i)][0] for i in range(4)])[c]
    ps = np.array([starts[("p", i)][1] for i in range(4)])[c]
    tf = np.array([starts[("t", i)][0] for i in range(4)])[c]
    person = pf + (tw - tf) % ps
    fwd = rng.random(k) < 0.5
    rnd = np.where(rng.random(k) < 0.5, np.array([1000, 100, 100, 100])[c], 0)
    emit(np.where(fwd, person, tw), np.where(fwd, tw, person), _local(_lognormal(rng, 150, 2000, k), c, curs, rnd),
         c, rng.choice([0, 2], k, p=[0.7, 0.3]), _times(rng, k, days))
    # USDT: exchange withdrawals, deposits, wallet to wallet
    k = counts["usdt"]
    c4 = np.full(k, 4, np.int8)
    w1 = member("p", c4)
    w2 = other(w1, c4)
    hot = np.array(exit_codes["hot"])[rng.integers(0, len(exit_codes["hot"]), k)]
    kind = rng.choice(3, k, p=[0.35, 0.30, 0.35])
    src = np.where(kind == 0, hot, w1)
    dst = np.where(kind == 1, hot, np.where(kind == 0, w1, w2))
    emit(src, dst, _local(_lognormal(rng, 150, 3000, k), c4, curs), c4, 3, _times(rng, k, days, True))
    # cash desks (remittance, underground banking), both ways
    k = counts["cash"]
    c = fiat_cur(k)
    desk = np.array([exit_codes["cash"][cur] for cur in FIAT])[c]
    who = member("p", c)
    fwd = rng.random(k) < 0.7
    emit(np.where(fwd, who, desk), np.where(fwd, desk, who), _local(_lognormal(rng, 200, 1500, k), c, curs), c, 4,
         _times(rng, k, days))
    # businesses: customers' large purchases, supplier invoices between firms (popular suppliers are
    # legitimate high-value fan-in), payments out to contractors (fan-out); money passes through in days
    k = counts["business"]
    c = fiat_cur(k)
    firm = member("b", c)
    kind = rng.choice(3, k, p=[0.40, 0.35, 0.25])
    bf = np.array([starts[("b", i)][0] for i in range(4)])[c]
    bs = np.array([starts[("b", i)][1] for i in range(4)])[c]
    supplier = bf + np.minimum(bs - 1, (rng.pareto(1.2, k) * bs / 20).astype(np.int64))
    supplier = np.where(supplier == firm, bf + (firm - bf + 1) % bs, supplier)
    person = member("p", c)
    usd = np.where(kind == 0, _lognormal(rng, 800, 8000, k),
                   np.where(kind == 1, _lognormal(rng, 3000, 30000, k), _lognormal(rng, 500, 3000, k)))
    rnd = np.where(rng.random(k) < 0.3, np.array([1000, 100, 100, 100])[c], 0)
    emit(np.where(kind == 0, person, firm), np.where(kind == 0, firm, np.where(kind == 1, supplier, person)),
         _local(usd, c, curs, rnd), c, rng.choice([0, 2], k, p=[0.85, 0.15]), _times(rng, k, days))
    # OTC traders: buy USDT in bulk at exchanges and sell it on to many wallets (legitimate gather-scatter
    # and pass-through in large amounts); some customers sell back
    k = counts["otc"]
    c4 = np.full(k, 4, np.int8)
    xf, xs = starts[("x", 4)]
    trader = xf + (rng.random(k) * xs).astype(np.int64)
    hot = np.array(exit_codes["hot"])[rng.integers(0, len(exit_codes["hot"]), k)]
    wallet = member("p", c4)
    kind = rng.choice(3, k, p=[0.30, 0.55, 0.15])
    t_buy = _times(rng, k, days, True)
    usd = np.where(kind == 0, _lognormal(rng, 6000, 60000, k), _lognormal(rng, 1500, 15000, k))
    emit(np.where(kind == 0, hot, np.where(kind == 1, trader, wallet)),
         np.where(kind == 0, trader, np.where(kind == 1, wallet, trader)), _local(usd, c4, curs), c4, 3, t_buy)
    # gambling: USDT wallets pay casinos, some winnings back
    k = max(0, n - sum(len(x) for x in out["src"]))
    c4 = np.full(k, 4, np.int8)
    cas = np.array(exit_codes["casino"])[rng.integers(0, len(exit_codes["casino"]), k)]
    who = member("p", c4)
    fwd = rng.random(k) < 0.8
    emit(np.where(fwd, who, cas), np.where(fwd, cas, who), _local(_lognormal(rng, 100, 1200, k), c4, curs), c4, 3,
         _times(rng, k, days, True))
    res = {key: np.concatenate(v) for key, v in out.items()}
    people = starts[("p", 4)][0] + starts[("p", 4)][1]  # the people blocks come first
    _lifespans(rng, res, people, scheduled, slice(sched_lo, n_scheduled_rows), days)
    if len(res["src"]) > n:  # tiny worlds: fewer rows than one payroll or rent round
        keep = np.sort(rng.choice(len(res["src"]), n, replace=False))
        res = {key: v[keep] for key, v in res.items()}
    res["names"] = names_arr
    res["people"] = people
    res["curs"] = curs
    res["channels"] = channels
    res["merchants"] = [(starts[("m", i)], FIAT[i]) for i in range(4)]
    res["employers"] = [(starts[("e", i)], FIAT[i]) for i in range(4)]
    return res


# ------------------------------------------------------------------------------------------- assembly


def _ids(values: np.ndarray, width: int) -> pa.Array:
    """'TX' + zero-padded numbers, built as one Arrow buffer."""
    n = len(values)
    m = np.empty((n, width + 2), np.uint8)
    m[:, 0], m[:, 1] = ord("T"), ord("X")
    v = np.asarray(values, np.int64)
    for k in range(width):
        m[:, width + 1 - k] = 48 + (v // 10 ** k) % 10
    offsets = np.arange(0, (n + 1) * (width + 2), width + 2, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(m.ravel())])


def _default_names(n: int) -> list[str]:
    return [f"ring-{i + 1}" for i in range(n)]


def generate_flows(seed: int, transactions: int = 20_000, rings: int = 4, start: str = "2025-01-01", days: int = 180,
                   ring_specs: list[RingSpec] | None = None) -> FlowWorld:
    """A world of ``transactions`` transfers over ``days`` days from ``start`` (UTC): the planted rings (about
    1,000-2,000 rows each, whatever the size) and ordinary traffic for the rest. Deterministic given ``seed``."""
    rng = np.random.default_rng(seed)
    t_start = datetime.fromisoformat(start)
    end = float(days) * _DAY
    bk = _Book(rng, end)
    specs = list(ring_specs) if ring_specs else [None] * rings
    names = [s.name if s is not None else n for s, n in zip(specs, _default_names(len(specs)), strict=True)]
    exits = _exits(bk, names)
    ring_objs = []
    for i, (spec, name) in enumerate(zip(specs, names, strict=True)):
        r = _Ring(bk, np.random.default_rng([seed, i + 1]), spec, name, RING_CURRENCIES[i % len(RING_CURRENCIES)],
                  exits)
        r.bk.rng = r.rng
        r.plant()
        ring_objs.append(r)
    bk.rng = rng
    P = len(bk.ts)
    # ---- accounts of the planted part: codes 0..A-1
    acc_names = list(bk.meta)
    code = {a: i for i, a in enumerate(acc_names)}
    # exits take part in the background too; there they are coded -(code + 1)
    exit_codes = {"hot": [-code[a] - 1 for a in exits["hot"]], "casino": [-code[a] - 1 for a in exits[CASINO]],
                  "cash": {c: -code[a] - 1 for c, a in exits[CASH].items()}}
    B = max(0, transactions - P)
    bg = _background(rng, B, days, t_start, exit_codes, set(acc_names)) if B else None
    opened_rows = _opened_dates(np.random.default_rng([seed, 7919]), bg, t_start) if bg is not None else []
    curs = list(FIAT) + ["USDT", "ETH", "BTC"]
    cur_code = {c: i for i, c in enumerate(curs)}
    channels = ["bank", "card", "wallet", "usdt_trc20", "cash_courier", "other_crypto"]
    ch_code = {c: i for i, c in enumerate(channels)}
    src_inst = sorted(set(bk.source))
    sources = ["TRON", "Ethereum"] + [s for s in src_inst if s not in ("TRON", "Ethereum")]
    for banks, _ in _BANKS.values():
        sources += [b for b in banks if b not in sources]
    s_code = {s: i for i, s in enumerate(sources)}
    A = len(acc_names)
    p_src = np.array([code[a] for a in bk.src], np.int64)
    p_dst = np.array([code[a] for a in bk.dst], np.int64)
    p_amt = np.array(bk.amount, np.float64)
    p_cur = np.array([cur_code[c] for c in bk.cur], np.int8)
    p_ch = np.array([ch_code[c] for c in bk.channel], np.int8)
    p_so = np.array([s_code[s] for s in bk.source], np.int16)
    p_t = np.array(bk.ts, np.int64)
    if bg is not None:
        all_names = pa.concat_arrays([pa.array(acc_names, pa.string()), bg["names"]])
        bsrc = np.where(bg["src"] < 0, -bg["src"] - 1, bg["src"] + A)
        bdst = np.where(bg["dst"] < 0, -bg["dst"] - 1, bg["dst"] + A)
        src = np.concatenate([p_src, bsrc])
        dst = np.concatenate([p_dst, bdst])
        amt = np.concatenate([p_amt, bg["amount"]])
        cur = np.concatenate([p_cur, bg["cur"]])
        ch = np.concatenate([p_ch, bg["channel"]])
        tt = np.concatenate([p_t, bg["t"]])
        # source of a background row: the sender's bank (the receiver's if the sender is not a bank), TRON
        bank_of = np.full(len(all_names), s_code["TRON"], np.int16)
        prefix = pc.utf8_slice_codeunits(all_names, 0, 8)
        for b in sources:
            if b in ("TRON", "Ethereum"):
                continue
            hit = np.asarray(pc.starts_with(prefix, b + ":").to_numpy(zero_copy_only=False))
            bank_of[hit] = s_code[b]
        so_bg = np.where(bg["cur"] == 4, s_code["TRON"], np.where(bank_of[bsrc] != s_code["TRON"], bank_of[bsrc],
                                                                 bank_of[bdst]))
        so = np.concatenate([p_so, so_bg.astype(np.int16)])
        del bg["src"], bg["dst"], bg["amount"], bg["t"], bank_of, bsrc, bdst, so_bg
    else:
        all_names = pa.array(acc_names, pa.string())
        src, dst, amt, cur, ch, tt, so = p_src, p_dst, p_amt, p_cur, p_ch, p_t, p_so
    N = len(src)
    width = max(10, len(str(max(N - 1, 1))))
    perm = rng.permutation(N)
    order = np.argsort(tt, kind="stable")
    rate = np.array([USD_RATES[c] for c in curs])
    t0_us = int((t_start - datetime(1970, 1, 1)).total_seconds() * 1_000_000)
    src, dst, amt, cur, ch, tt, so = (x[order] for x in (src, dst, amt, cur, ch, tt, so))
    ids = perm[order]
    txns = pa.table({
        "txn_id": _ids(ids, width),
        "ts": pa.array(t0_us + tt * 1_000_000, pa.timestamp("us")),
        "src": all_names.take(pa.array(src)),
        "dst": all_names.take(pa.array(dst)),
        "amount": pa.array(amt),
        "currency": pa.array(curs).take(pa.array(cur)),
        "amount_usd": pa.array(amt * rate[cur]),
        "channel": pa.array(channels).take(pa.array(ch)),
        "source": pa.array(sources).take(pa.array(so)),
    }, schema=TXN_SCHEMA)
    del src, dst, amt, cur, ch, tt, so, order, ids
    # ---- accounts table
    rows = []
    for a, (kind, opened, label) in bk.meta.items():
        rows.append({"account": a, "kind": kind,
                     "opened": None if opened is None else t_start + timedelta(seconds=float(opened)), "label": label})
    if bg is not None:
        nm = bg["names"]
        for (f, s), c in bg["merchants"]:
            for j in range(s):
                rows.append({"account": nm[f + j].as_py(), "kind": MERCHANT, "opened": None,
                             "label": f"Merchant {c}-{j + 1}"})
        for (f, s), c in bg["employers"]:
            for j in range(s):
                rows.append({"account": nm[f + j].as_py(), "kind": ORDINARY, "opened": None,
                             "label": f"Payroll: Company {c}-{j + 1}"})
        rows += opened_rows
    accounts = pa.Table.from_pylist(rows, schema=ACCOUNT_SCHEMA)
    truth = _truth(bk, ring_objs, perm, width, t_start)
    truth["planted_rows"] = P
    return FlowWorld(seed=seed, txns=txns, accounts=accounts, truth=truth)


def _opened_dates(rng, bg: dict, t_start: datetime) -> list[dict]:
    """Opening dates for a share (``OPENED_SHARE``) of ordinary people's accounts, as banks supply them
    with statements: an account first seen 30 days or more into the data was, six times in ten, opened
    1-14 days before its first transfer (a new customer); every other one years before. Without these,
    only the rings' accounts would have opening dates and a burst on a new account would be a giveaway.
    Its own random stream: the transactions are the same as without it."""
    people = int(bg["people"])
    first = np.full(people, np.iinfo(np.int64).max)
    for side in ("src", "dst"):
        a = bg[side]
        m = (a >= 0) & (a < people)
        np.minimum.at(first, a[m], bg["t"][m])
    pick = np.flatnonzero((rng.random(people) < OPENED_SHARE) & (first < np.iinfo(np.int64).max))
    late = first[pick] >= 30 * _DAY
    new = late & (rng.random(len(pick)) < 0.6)
    opened = np.where(new, first[pick] - rng.uniform(1, 14, len(pick)) * _DAY,
                      -rng.uniform(1, 8, len(pick)) * 365 * _DAY)
    names = bg["names"].take(pa.array(pick)).to_pylist()
    return [{"account": a, "kind": ORDINARY, "opened": t_start + timedelta(seconds=float(o)), "label": None}
            for a, o in zip(names, opened, strict=True)]


def _truth(bk: _Book, rings: list[_Ring], perm: np.ndarray, width: int, t_start: datetime) -> dict[str, Any]:
    def tid(row: int) -> str:
        return f"TX{int(perm[row]):0{width}d}"

    def iso(sec: float) -> str:
        return (t_start + timedelta(seconds=float(sec))).isoformat()

    typ: dict[str, list[dict]] = {t: [] for t in TYPOLOGIES}
    for ins in bk.instances:
        rows = ins.pop("rows")
        ts = [bk.ts[r] for r in rows]
        d = {"accounts": ins.pop("accounts"), "hub": ins.pop("hub"),
             "window_hours": math.ceil((max(ts) - min(ts)) / 3.6) / 1000 if ts else 0.0,
             "start": iso(min(ts)), "end": iso(max(ts)), "txns": [tid(r) for r in rows]}
        t = ins.pop("typology")
        if "opened" in ins and ins["opened"] is not None:
            ins["opened"] = iso(ins["opened"])
        d.update(ins)
        typ[t].append(d)
    role_of: dict[str, tuple[str, str]] = {}
    ring_truth = {}
    for r in rings:
        skip = set(r.collectors) | set(r.mules)
        layering = [a for a in dict.fromkeys(r.layering) if a not in skip]
        for row in bk.ring_rows.get(r.name, []):
            for a in (bk.src[row], bk.dst[row]):
                if a not in skip and bk.meta[a][0] == ORDINARY and a not in layering:
                    layering.append(a)
        holders = dict(r.spec.holders) if r.spec is not None else {}
        if r.spec is None:
            holders.update({a: f"{r.name}/mule-holder-{i + 1}" for i, a in enumerate(r.mules)})
            holders.update({a: f"{r.name}/nominee-{i + 1}" for i, a in enumerate(layering) if a != r.broker})
            holders[r.broker] = f"{r.name}/otc-broker"
            holders.update({a: f"{r.name}/financier-{i + 1}" for i, a in enumerate(r.collectors)})
        ring_truth[r.name] = {"currency": r.cur, "mules": list(r.mules), "layering": layering,
                              "brokers": [r.broker], "collectors": list(r.collectors), "holders": holders,
                              "victim_usd": round(r.victim_usd, 2),
                              "exit_usd": 0.0, "active": [iso(r.t0), iso(r.t1)]}
        for a in r.mules:
            role_of[a] = (r.name, "mule")
        for a in layering:
            role_of[a] = (r.name, "broker" if a == r.broker else "layering")
        for a in r.collectors:
            role_of[a] = (r.name, "collector")
    # victim money into each ring account (inducements go back to victims and are not counted)
    inflow: dict[str, float] = {}
    for rows in bk.ring_rows.values():
        for row in rows:
            d = bk.dst[row]
            if d in role_of:
                inflow[d] = inflow.get(d, 0.0) + bk.amount[row] * USD_RATES[bk.cur[row]]
    backbone = [{"account": a, "victim_usd": round(v, 2), "ring": role_of[a][0], "role": role_of[a][1]}
                for a, v in sorted(inflow.items(), key=lambda kv: -kv[1])]
    cashouts = []
    for row, ring in bk.cashouts:
        kind, _, label = bk.meta[bk.dst[row]]
        usd = bk.amount[row] * USD_RATES[bk.cur[row]]
        ring_truth[ring]["exit_usd"] += usd
        cashouts.append({"txn_id": tid(row), "ring": ring, "src": bk.src[row], "account": bk.dst[row], "kind": kind,
                         "label": label, "amount_usd": round(usd, 2), "ts": iso(bk.ts[row])})
    for r in ring_truth.values():
        r["exit_usd"] = round(r["exit_usd"], 2)
    return {"typologies": typ, "victim_payments": [tid(r) for r in bk.victim_rows],
            "inducements": [tid(r) for r in bk.inducement_rows], "rings": ring_truth, "backbone": backbone,
            "cashouts": cashouts, "thresholds": dict(REPORTING_THRESHOLDS), "fan_k": FAN_K}


def generate_to_parquet(path_dir, seed: int, transactions: int = 20_000, **kwargs) -> FlowWorld:
    """``generate_flows`` and ``FlowWorld.write`` in one call (row groups of a million transfers)."""
    world = generate_flows(seed, transactions, **kwargs)
    world.write(path_dir)
    return world
