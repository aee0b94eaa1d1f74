"""Who organizes: a ranking of people and companies that looks past the busy middle of a syndicate.

Organizers rarely touch workers or victims. Degree, PageRank and betweenness reward whoever has many
links, so mules, recruiters, team leaders and shared hotlines come first. This ranking weighs instead:

(a) control through chains: every node keeps one upward link (its supervisor before its recruiter, its
    employer, an owner before a director), which makes the control links a forest; a node is credited
    with everything below it in its tree — people, recruits of its subordinates, compounds owned by
    companies it owns — computed for all nodes at once by pushing counts up the forest (numpy bincount,
    one pass per level);
(b) money that reaches an entity and stays: PAYMENT inflow minus outflow over the entity and the accounts
    it holds (HOLDER, or OWNERSHIP of an account); a mule passes nearly everything on, a financier or a
    boss keeps it;
(c) insulation: the score is halved in proportion to the share of what lies below that the node touches
    directly (a recruiter's recruits, a team leader's team).

The record is always partial: each signal stands on its own, so a boss whose command links are missing
still ranks on the companies and the money, and a missing payment leaves the command chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .engine import NetworkGraph
from .vocabulary import RANKED_SCHEMATA, EdgeKind

ACCOUNT_SCHEMATA = frozenset({"BankAccount", "CryptoWallet", "UserAccount"})
COMPANY_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity"})
# Upward-link preference when a node has several parents (lower first).
_PARENT_PRIORITY = {EdgeKind.SUPERVISES: 0, EdgeKind.RECRUITED: 1, EdgeKind.EMPLOYMENT: 2, EdgeKind.MEMBERSHIP: 3,
                    EdgeKind.OWNERSHIP: 4, EdgeKind.DIRECTORSHIP: 5}
MAX_DEPTH = 16
COMPOUND_WEIGHT, COMPANY_WEIGHT, HELD_WEIGHT = 20.0, 3.0, 0.2
UNCHAINED_MONEY = 0.25
PASS_THROUGH = 0.25  # retention below which money is treated as passing through
COMPANY_FACTOR = 0.6  # a company is a vehicle: whoever owns it is credited with what it controls


@dataclass
class RankedEntity:
    id: str
    schema: str
    name: str
    score: float
    reasons: list[str] = field(default_factory=list)


def _usd(x: float) -> str:
    return f"USD {x / 1e6:.1f} m" if x >= 1e6 else f"USD {x / 1e3:,.0f} k" if x >= 1e3 else f"USD {x:,.0f}"


def _plural(k: int, word: str, plural: str | None = None) -> str:
    return f"{k:,} {word if k == 1 else plural or word + 's'}"


def signals(graph: NetworkGraph) -> dict[str, np.ndarray]:
    """Per-node control, command and money figures the score and the reasons are made of."""
    d = graph.data
    n, src, dst, kind = d.node_count, graph.src, graph.dst, graph.kind
    codes = {s: i for i, s in enumerate(sorted(set(d.schemata)))}
    schema = np.fromiter((codes[s] for s in d.schemata), np.int16, n)

    def of(names) -> np.ndarray:
        return np.isin(schema, [codes[s] for s in names if s in codes])

    person, company, compound, account = of({"Person"}), of(COMPANY_SCHEMATA), of({"RealEstate"}), of(ACCOUNT_SCHEMATA)
    # Holding: HOLDER, or OWNERSHIP of an account (FtM 4's BankAccount has no holder property).
    holds = (kind == EdgeKind.HOLDER) | ((kind == EdgeKind.OWNERSHIP) & account[dst])
    # The control forest: one parent per node, by link preference, then lowest edge index.
    prio = np.full(len(kind), 99, np.int8)
    for k, p in _PARENT_PRIORITY.items():
        prio[kind == k] = p
    ctl = np.flatnonzero((prio < 99) & ~holds & (src != dst))
    order = ctl[np.lexsort((ctl, prio[ctl], dst[ctl]))]
    child, first = np.unique(dst[order], return_index=True)
    parent = np.full(n, -1, np.int64)
    parent[child] = src[order[first]]
    up = np.flatnonzero(parent >= 0)

    recruited = np.bincount(src[kind == EdgeKind.RECRUITED], minlength=n).astype(np.float64)
    held = np.bincount(src[kind == EdgeKind.HELD_AT], minlength=n).astype(np.float64)
    # Push [descendants, people, compounds, companies, recruits, held people] up the forest, level by level.
    x = np.column_stack([np.ones(n), person, compound, company, recruited, held]).astype(np.float64)
    below, depth, cur = np.zeros_like(x), np.zeros(n, np.int64), x
    for level in range(1, MAX_DEPTH + 1):
        cur = np.column_stack([np.bincount(parent[up], weights=cur[up, j], minlength=n) for j in range(x.shape[1])])
        if not cur[:, 0].any():
            break
        below += cur
        depth[cur[:, 0] > 0] = level
    direct_people = np.bincount(parent[up], weights=person[up], minlength=n)
    # Money over the node and the accounts it holds; transfers between them are not income.
    owner = np.arange(n)
    owner[dst[holds][::-1]] = src[holds][::-1]  # an account's (first) holder
    pay = np.flatnonzero(kind == EdgeKind.PAYMENT)
    pay = pay[owner[src[pay]] != owner[dst[pay]]]
    to, amount = owner[dst[pay]], d.amount[pay]
    reached = np.bincount(to, weights=amount, minlength=n)
    left = np.bincount(owner[src[pay]], weights=amount, minlength=n)
    h_src = src[holds]
    return {
        "people": below[:, 1], "compounds": below[:, 2], "companies": below[:, 3],
        "recruits": below[:, 4] + recruited, "held": below[:, 5] + held, "depth": depth,
        "direct_people": direct_people, "own_recruits": recruited, "accounts": np.bincount(h_src, minlength=n).astype(np.float64),
        "reached": reached, "kept": np.maximum(reached - left, 0.0),
        "payers": np.bincount(to, minlength=n),
        "company": company, "ranked": of(RANKED_SCHEMATA),
        "chained": (parent >= 0) | (below[:, 0] > 0),
    }


def scores(sig: dict[str, np.ndarray]) -> np.ndarray:
    """(log reach below + log money kept + log accounts held) x insulation."""
    reach = sig["people"] + sig["own_recruits"] + COMPOUND_WEIGHT * sig["compounds"] + COMPANY_WEIGHT * sig["companies"] \
        + HELD_WEIGHT * sig["held"]
    retention = np.divide(sig["kept"], sig["reached"], out=np.zeros_like(sig["kept"]), where=sig["reached"] > 0)
    # A pass-through (a mule keeps a fee) counts little. Money kept outside any command or ownership chain
    # is discounted too: a mule whose onward payment is missing from the record looks like a sink.
    money = np.log1p(sig["kept"] / 1000.0) * np.minimum(1.0, retention / PASS_THROUGH) \
        * np.where(sig["chained"], 1.0, UNCHAINED_MONEY)
    # Organizers rarely touch workers: what lies directly below (a team, a recruiter's recruits) halves it all.
    touched = sig["direct_people"] + sig["own_recruits"]
    insulation = 1.0 - np.minimum(touched / np.maximum(sig["people"] + sig["own_recruits"], 1.0), 1.0)
    score = (np.log1p(reach) + money + 0.5 * np.log1p(sig["accounts"])) * (0.5 + 0.5 * insulation)
    return np.where(sig["company"], COMPANY_FACTOR * score, score)


def _reasons(sig: dict[str, np.ndarray], i: int) -> list[str]:
    v = {k: (a[i].item() if hasattr(a[i], "item") else a[i]) for k, a in sig.items()}
    out = []
    if v["compounds"]:
        via = f" through {_plural(int(v['companies']), 'company', 'companies')}" if v["companies"] else ""
        held = f", {_plural(int(v['held']), 'person', 'people')} held there" if v["held"] else ""
        out.append(f"controls {_plural(int(v['compounds']), 'compound')}{via}{held}")
    elif v["companies"]:
        out.append(f"controls {_plural(int(v['companies']), 'company', 'companies')}")
    if v["people"]:
        out.append(f"{_plural(int(v['people']), 'person', 'people')} below in the command chain "
                   f"({_plural(int(v['depth']), 'level')})")
    if v["recruits"]:
        out.append(f"{_plural(int(v['recruits']), 'recruit')} below" if v["people"] > v["direct_people"]
                   else f"recruited {_plural(int(v['recruits']), 'person', 'people')} directly")
    if v["direct_people"] and v["direct_people"] >= 0.5 * v["people"]:
        out.append(f"in direct contact with {int(v['direct_people']):,} of them (score reduced)")
    if v["accounts"]:
        out.append(f"holds {_plural(int(v['accounts']), 'account')}")
    if v["reached"]:
        share = v["kept"] / v["reached"]
        out.append(f"{_usd(v['reached'])} reached from {_plural(int(v['payers']), 'payment')}, "
                   f"{_usd(v['kept'])} stayed ({share:.0%})")
    if v["reached"] and not v["chained"]:
        out.append("in no command or ownership chain: the money counts 25 %")
    if v["company"]:
        out.append("a company: counted at 60 %, its owners carry what it controls")
    return out


def rank_organizers(graph: NetworkGraph, top: int = 25) -> list[RankedEntity]:
    """The ``top`` Person / Organization / Company / LegalEntity nodes by organizer score, best first."""
    sig = signals(graph)
    score = np.where(sig["ranked"], scores(sig), -np.inf)
    k = min(top, int(sig["ranked"].sum()))
    if k <= 0:
        return []
    best = np.argpartition(-score, k - 1)[:k]
    best = best[np.lexsort((best, -score[best]))]
    d = graph.data
    return [RankedEntity(id=d.ids[i], schema=d.schemata[i], name=d.names[i], score=round(float(score[i]), 3),
                         reasons=_reasons(sig, int(i))) for i in best if score[i] > 0]
