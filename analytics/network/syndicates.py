"""Synthetic scam syndicates: FtM entities with a planted truth, and a vectorised million-node graph.

Calibration (/work/shared/reference/scenario-facts.md):

* section 10, ``prosecution:`` — organised group size lognormal(median 30, p90 300, max 3000); victims per
  group lognormal(median 80, p90 1500); clan syndicates (about one in twenty here) with 10-41 compounds
  and at least 300 members; hierarchy boss 1, heads 1-3, supervisors 3 per 100, one team leader per 6-10
  members, tech 3 per 100, finance 2 per 100 (at least one);
* section 9 — the court cases behind those figures (Yuanfeng: boss + head + supervisors + group leaders +
  tech; Bai family: 41 compounds; Liang: a compound manager hosting tenant gangs);
* section 8 — about five mule accounts per fraud case (here 1 + Poisson(5) per syndicate, more with many
  victims), 2-6 layering hops, collection in USDT on TRON wallets held by the finance people.

Everything else is an assumption: each victim pays 1-2 times, lognormal(median USD 3,000, p90 30,000);
of the finance people (2 per 100), one or two are chief financiers (organizers) who collect the USDT, pass
30 % to the boss, 15 % to the heads, 3 % per official as bribes, and keep the rest; the others are
bookkeepers under them, paid like the team leaders (lognormal median USD 20,000, p90 60,000 a year,
within 8 % of the take).

Both outputs share one skeleton (``_skeleton``: numpy arrays, one block of nodes per role, no per-edge
Python), so the benchmark graph has the structure of the small FtM worlds the tests and demos use.

FtM modelling choices (followthemoney 4):

* Roles without a schema are UnknownLink with ``role`` from vocabulary.ROLE_KINDS ("recruited",
  "supervises", "held at" (subject person, object compound), "sold to", "has in contacts").
* Compounds are RealEstate; companies Company; job adverts Document, naming the recruiter through a
  Mention or the recruiter's phone through ``phoneMentioned``.
* Phones are ``phone`` properties; the graph gives each number a Phone node (``phone:+66...``).
* CryptoWallet has ``holder``; FtM 4's BankAccount has none, so its holder is an Ownership.
* Money is FtM Payment, whose payer and beneficiary are LegalEntities: the parties are always named, and
  ``payerAccount`` / ``beneficiaryAccount`` are set when the money moved through a BankAccount (the
  graph then joins the accounts, as crossing.network.derive does). Wallet legs (USDT on TRON) name the
  wallet's holder only, the wallet's address in ``description``: FtM has no wallet-valued account on a
  Payment, and an UnknownLink "paid" would lose the amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from followthemoney.types import registry

from .graphdata import GraphData
from .vocabulary import HOLDER_PROPERTIES, LINK_SCHEMATA, PHONE_SCHEMA, REVERSED_ROLES, ROLE_KINDS, EdgeKind

# Node roles of the skeleton; the role decides the FtM schema and the id.
(BOSS, HEAD, SUPERVISOR, TEAM_LEADER, MEMBER, TECH, FINANCE, RECRUITER, NOMINEE, VICTIM, MULE, OFFICIAL,
 HOLDING, OPCO, COMPOUND, ACCOUNT, WALLET, PHONE, AD, BACKGROUND, BOOKKEEPER) = range(21)
ROLE_NAMES = ("boss", "head", "supervisor", "team leader", "member", "tech", "finance", "recruiter", "nominee",
              "victim", "mule", "official", "holding company", "operating company", "compound", "account",
              "wallet", "phone", "advert", "person", "bookkeeper")
ROLE_SCHEMA = ("Person",) * 12 + ("Company", "Company", "RealEstate", "BankAccount", "CryptoWallet", PHONE_SCHEMA,
                                  "Document", "Person", "Person")
ORGANIZER_ROLES = (BOSS, HEAD, FINANCE)


class _Block(NamedTuple):
    first: np.ndarray   # per syndicate: index of its first node of this role
    counts: np.ndarray  # per syndicate: how many
    idx: np.ndarray     # all nodes of the block, grouped by syndicate
    syn: np.ndarray     # syndicate of each node


def _lognormal(rng, median: float, p90: float, size: int) -> np.ndarray:
    return rng.lognormal(np.log(median), (np.log(p90) - np.log(median)) / 1.2816, size)


@dataclass
class _Skeleton:
    rng: np.random.Generator
    syndicates: int
    n: int = 0
    roles: list = field(default_factory=list)
    syns: list = field(default_factory=list)
    edges: list = field(default_factory=list)  # (kind, src, dst, amount)

    def block(self, role: int, counts) -> _Block:
        counts = np.asarray(counts, dtype=np.int64)
        syn = np.repeat(np.arange(self.syndicates), counts)
        first = self.n + np.concatenate(([0], np.cumsum(counts)[:-1]))
        idx = np.arange(self.n, self.n + len(syn))
        self.n += len(syn)
        self.roles.append(np.full(len(syn), role, np.int8))
        self.syns.append(syn.astype(np.int32))
        return _Block(first, counts, idx, syn)

    def free(self, role: int, count: int) -> np.ndarray:
        """Nodes of no syndicate (shared hotlines, background people)."""
        idx = np.arange(self.n, self.n + count)
        self.n += count
        self.roles.append(np.full(count, role, np.int8))
        self.syns.append(np.full(count, -1, np.int32))
        return idx

    def pick(self, block: _Block, syn: np.ndarray) -> np.ndarray:
        """A random node of ``block`` in the same syndicate, for each entry of ``syn``."""
        return block.first[syn] + (self.rng.random(len(syn)) * block.counts[syn]).astype(np.int64)

    def cycle(self, block: _Block, children: _Block) -> np.ndarray:
        """Parents from ``block`` dealt round-robin to ``children`` of the same syndicate."""
        return block.first[children.syn] + (children.idx - children.first[children.syn]) % block.counts[children.syn]

    def link(self, kind: EdgeKind, src, dst, amount=None) -> None:
        src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
        amount = np.zeros(len(src)) if amount is None else np.round(np.asarray(amount, np.float64), 2)
        self.edges.append((np.full(len(src), int(kind), np.int8), src, dst, amount))

    def arrays(self):
        kind, src, dst, amount = (np.concatenate(x) for x in zip(*self.edges, strict=True))
        return np.concatenate(self.roles), np.concatenate(self.syns), kind, src, dst, amount


def _skeleton(rng: np.random.Generator, syndicates: int) -> tuple[_Skeleton, dict[int, _Block]]:
    S, sk = syndicates, _Skeleton(rng, syndicates)
    g = np.clip(_lognormal(rng, 30, 300, S), 8, 3000).astype(np.int64)
    clan = rng.random(S) < 0.05
    g[clan] = np.maximum(g[clan], rng.integers(300, 3000, int(clan.sum())))
    heads = rng.integers(1, 4, S)
    sup, fin = np.maximum(1, np.rint(0.03 * g)), np.maximum(1, np.rint(0.02 * g))
    tech = np.rint(0.03 * g)
    rest = np.maximum(2, g - 1 - heads - sup - fin - tech)
    tl = np.maximum(1, np.ceil(rest / (1 + rng.integers(6, 11, S))))
    members = np.maximum(1, rest - tl)
    compounds = np.where(clan, rng.integers(10, 42, S), 1 + rng.poisson(members / 400))
    opcos = np.ceil(compounds / 3)
    victims = np.clip(_lognormal(rng, 80, 1500, S), 5, 20_000).astype(np.int64)
    mule_accounts = 1 + rng.poisson(5, S) + victims // 200
    officials = rng.poisson(0.6, S)
    officials[0] = max(1, officials[0])  # every world has a paid-off official to find

    b = {BOSS: sk.block(BOSS, np.ones(S)), HEAD: sk.block(HEAD, heads), SUPERVISOR: sk.block(SUPERVISOR, sup),
         TEAM_LEADER: sk.block(TEAM_LEADER, tl), MEMBER: sk.block(MEMBER, members), TECH: sk.block(TECH, tech),
         FINANCE: sk.block(FINANCE, np.minimum(2, fin)), BOOKKEEPER: sk.block(BOOKKEEPER, fin - np.minimum(2, fin)),
         RECRUITER: sk.block(RECRUITER, 2 + rng.poisson(members / 30)),
         NOMINEE: sk.block(NOMINEE, opcos), VICTIM: sk.block(VICTIM, victims),
         MULE: sk.block(MULE, mule_accounts), OFFICIAL: sk.block(OFFICIAL, officials),
         HOLDING: sk.block(HOLDING, np.ones(S)), OPCO: sk.block(OPCO, opcos), COMPOUND: sk.block(COMPOUND, compounds)}
    boss, head, rec, mem, cpd = b[BOSS], b[HEAD], b[RECRUITER], b[MEMBER], b[COMPOUND]
    link, pick, SUP = sk.link, sk.pick, EdgeKind.SUPERVISES
    # Command: boss -> heads -> supervisors -> team leaders -> members; finance under the boss.
    link(SUP, boss.first[head.syn], head.idx)
    link(SUP, sk.cycle(head, b[SUPERVISOR]), b[SUPERVISOR].idx)
    link(SUP, pick(b[SUPERVISOR], b[TEAM_LEADER].syn), b[TEAM_LEADER].idx)
    link(SUP, pick(b[TEAM_LEADER], mem.syn), mem.idx)
    link(SUP, boss.first[b[FINANCE].syn], b[FINANCE].idx)
    link(SUP, sk.cycle(b[FINANCE], b[BOOKKEEPER]), b[BOOKKEEPER].idx)
    link(SUP, sk.cycle(head, b[TECH]), b[TECH].idx)
    # Recruitment: a head runs the lead agent, who recruited the sub-agents; agents recruit the workers.
    link(SUP, head.first + head.counts - 1, rec.first)
    sub = rec.idx[rec.idx != rec.first[rec.syn]]
    link(EdgeKind.RECRUITED, rec.first[rec.syn[sub - rec.idx[0]]], sub)
    came = rng.random(len(mem.idx)) < 0.9
    link(EdgeKind.RECRUITED, pick(rec, mem.syn[came]), mem.idx[came])
    link(EdgeKind.HELD_AT, pick(cpd, mem.syn), mem.idx)
    # Ownership: boss -> holding -> operating companies (nominee directors) -> compounds.
    link(EdgeKind.OWNERSHIP, boss.idx, b[HOLDING].idx)
    link(EdgeKind.OWNERSHIP, b[HOLDING].first[b[OPCO].syn], b[OPCO].idx)
    link(EdgeKind.OWNERSHIP, pick(b[OPCO], cpd.syn), cpd.idx)
    link(EdgeKind.DIRECTORSHIP, b[NOMINEE].idx, b[OPCO].idx)
    link(EdgeKind.DIRECTORSHIP, head.first, b[HOLDING].idx)
    link(EdgeKind.EMPLOYMENT, pick(b[OPCO], b[SUPERVISOR].syn), b[SUPERVISOR].idx)
    link(EdgeKind.EMPLOYMENT, pick(b[OPCO], b[TECH].syn), b[TECH].idx)
    sold = rng.integers(0, len(cpd.idx), (max(1, S // 10), 2))
    link(EdgeKind.SOLD_TO, cpd.idx[sold[:, 0]], cpd.idx[sold[:, 1]])
    # Accounts: finance hold the USDT wallets and a bank account; mules, boss, heads, officials accounts.
    fin_acc = sk.block(ACCOUNT, b[FINANCE].counts)
    link(EdgeKind.HOLDER, b[FINANCE].idx, sk.block(WALLET, b[FINANCE].counts).idx)
    mule_acc = sk.block(ACCOUNT, mule_accounts)
    boss_acc, head_acc = sk.block(ACCOUNT, np.ones(S)), sk.block(ACCOUNT, heads)
    off_acc, keeper_acc = sk.block(ACCOUNT, b[OFFICIAL].counts), sk.block(ACCOUNT, b[BOOKKEEPER].counts)
    for owner, acc in ((b[FINANCE], fin_acc), (b[MULE], mule_acc), (boss, boss_acc), (head, head_acc),
                       (b[OFFICIAL], off_acc), (b[BOOKKEEPER], keeper_acc)):
        link(EdgeKind.OWNERSHIP, owner.idx, acc.idx)
    # Money: victims -> mule accounts -> 1-5 layering accounts -> a chief financier (2-6 hops; the USDT
    # wallet leg names its holder, see the module docstring).
    pays = 1 + (rng.random(len(b[VICTIM].idx)) < 0.4)
    payer = np.repeat(b[VICTIM].idx, pays)
    into = pick(mule_acc, b[VICTIM].syn[payer - b[VICTIM].idx[0]])
    paid = _lognormal(rng, 3000, 30_000, len(payer))
    link(EdgeKind.PAYMENT, payer, into, paid)
    inflow = np.bincount(into - mule_acc.idx[0], weights=paid, minlength=len(mule_acc.idx))
    hops = rng.integers(2, 7, len(mule_acc.idx))
    layers = np.bincount(mule_acc.syn, weights=hops - 1, minlength=S).astype(np.int64)
    layer = sk.block(ACCOUNT, layers)
    link(EdgeKind.OWNERSHIP, sk.block(MULE, layers).idx, layer.idx)
    start = layer.idx[0] + np.concatenate(([0], np.cumsum(hops - 1)[:-1]))  # each chain's first layer account
    acc = np.repeat(np.arange(len(mule_acc.idx)), hops)
    pos = np.arange(len(acc)) - np.repeat(np.cumsum(hops) - hops, hops)
    collector = sk.cycle(b[FINANCE], mule_acc)
    src = np.where(pos == 0, mule_acc.idx[acc], start[acc] + pos - 1)
    dst = np.where(pos == hops[acc] - 1, collector[acc], start[acc] + pos)
    link(EdgeKind.PAYMENT, src, dst, inflow[acc] * 0.98 ** (pos + 1))  # about 2 % fee per hop
    got = np.bincount(collector - b[FINANCE].idx[0], weights=inflow * 0.98 ** hops, minlength=len(fin_acc.idx))
    fsyn, f = b[FINANCE].syn, b[FINANCE].idx
    link(EdgeKind.PAYMENT, f, fin_acc.idx, 0.2 * got)  # off-ramp into the financier's own bank account
    link(EdgeKind.PAYMENT, f, boss_acc.first[fsyn], 0.3 * got)
    link(EdgeKind.PAYMENT, b[FINANCE].first[head.syn], head_acc.idx,
         0.15 * got[b[FINANCE].first[head.syn] - f[0]] / head.counts[head.syn])
    staff = np.bincount(np.concatenate([b[TEAM_LEADER].syn, b[BOOKKEEPER].syn]), minlength=S)
    for who, paid_into in ((b[TEAM_LEADER], b[TEAM_LEADER].idx), (b[BOOKKEEPER], keeper_acc.idx)):
        payer = pick(b[FINANCE], who.syn)
        # a year's pay and commission, within 8 % of what the chiefs collect
        pool = 0.08 * got[payer - f[0]] * b[FINANCE].counts[who.syn] / staff[who.syn]
        link(EdgeKind.PAYMENT, payer, paid_into, np.minimum(_lognormal(rng, 20_000, 60_000, len(payer)), pool))
    off = b[OFFICIAL]
    payer_f = pick(b[FINANCE], off.syn)
    link(EdgeKind.PAYMENT, payer_f, off_acc.idx, 0.03 * got[payer_f - f[0]])
    # Contacts, family (clans), phones, hotlines shared across syndicates, adverts (some reused).
    link(EdgeKind.CONTACT, boss.first[off.syn], off.idx)
    link(EdgeKind.CONTACT, boss.first[head.syn], head.idx)
    fam = np.flatnonzero(clan | (rng.random(S) < 0.3))
    link(EdgeKind.FAMILY, boss.first[fam], head.first[fam])
    phones = {}
    for role in (BOSS, HEAD, FINANCE, SUPERVISOR, TEAM_LEADER, RECRUITER, OFFICIAL):
        phones[role] = sk.block(PHONE, b[role].counts)
        link(EdgeKind.PHONE, b[role].idx, phones[role].idx)
    hotlines = sk.free(PHONE, max(2, S // 20))
    shared = rec.idx[rng.random(len(rec.idx)) < 0.5]
    link(EdgeKind.PHONE, shared, hotlines[rng.integers(0, len(hotlines), len(shared))])
    ads = b[AD] = sk.block(AD, 1 + rec.counts // 2)
    named = pick(rec, ads.syn)
    by_phone = rng.random(len(ads.idx)) < 0.6
    link(EdgeKind.PHONE, ads.idx[by_phone], phones[RECRUITER].idx[named[by_phone] - rec.idx[0]])
    link(EdgeKind.MENTION, ads.idx[~by_phone], named[~by_phone])
    reused = rng.random(len(ads.idx)) < 0.3
    link(EdgeKind.PHONE, ads.idx[reused], hotlines[rng.integers(0, len(hotlines), int(reused.sum()))])
    reused = rng.random(len(ads.idx)) < 0.15
    link(EdgeKind.MENTION, ads.idx[reused], rec.idx[rng.integers(0, len(rec.idx), int(reused.sum()))])
    return sk, b


def _noise(sk: _Skeleton, b: dict[int, _Block], count: int) -> None:
    """Scam chats (workers message victims) and associates inside a syndicate: the high-degree, organizer-free
    part of a real record."""
    rng = sk.rng
    chats = count // 2
    victim = b[VICTIM].idx[rng.integers(0, len(b[VICTIM].idx), chats)]
    sk.link(EdgeKind.MESSAGE, sk.pick(b[MEMBER], b[VICTIM].syn[victim - b[VICTIM].idx[0]]), victim)
    who = b[MEMBER].idx[rng.integers(0, len(b[MEMBER].idx), count - chats)]
    syn = b[MEMBER].syn[who - b[MEMBER].idx[0]]
    sk.link(EdgeKind.ASSOCIATE, who, np.where(rng.random(len(who)) < 0.5, sk.pick(b[MEMBER], syn),
                                              sk.pick(b[TEAM_LEADER], syn)))


def _drop(rng, kind, src, dst, amount, missing: float):
    keep = (rng.random(len(src)) >= missing) & (src != dst) & ((kind != EdgeKind.PAYMENT) | (amount > 0))
    return kind[keep], src[keep], dst[keep], amount[keep]


# ------------------------------------------------------------------------------------------ FtM world
_FAMILY = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu",
           "Hu", "Guo", "He", "Lin", "Luo", "Bai", "Wei", "Ming", "Tun", "Aung", "Kyaw", "Soe")
_GIVEN = ("Wei", "Jun", "Hao", "Lei", "Ming", "Qiang", "Yong", "Jie", "Tao", "Bin", "Hui", "Xin", "Peng", "Fei",
          "Min", "Htet", "Naing", "Zaw", "Lwin", "Oo")
_PLACE = ("Shwe", "Golden", "Yatai", "Lucky", "Dragon", "Phoenix", "Jade", "Rainbow", "Star", "Ocean", "Royal")
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# The core of a syndicate is written in Han characters, as Chinese case files and seized ledgers name
# them; sanctions lists publish the same people romanized (the cross-script screening the demo shows).
# Officials on the take are Thai and written in Thai script.
_HAN_FAMILY = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高白魏"
_HAN_GIVEN = "伟军浩磊明强勇杰涛斌辉鑫鹏飞华平刚建国文成所"
_THAI_GIVEN = ("สมชาย", "สมศักดิ์", "ประยุทธ", "วิชัย", "สุรชัย", "ธนากร", "อนุชา", "กิตติ")
_THAI_FAMILY = ("ใจดี", "ศรีสุข", "วงศ์ไทย", "บุญมา", "ทองดี", "แก้วมณี", "สุขสวัสดิ์", "พรหมมา")


def _name(role: int, s: int, k: int, i: int) -> str:
    if role in (BOSS, HEAD, FINANCE):
        return (_HAN_FAMILY[(i * 7 + s) % len(_HAN_FAMILY)] + _HAN_GIVEN[(i * 13 + k) % len(_HAN_GIVEN)]
                + _HAN_GIVEN[(i * 5 + s + 3) % len(_HAN_GIVEN)])
    if role == OFFICIAL:
        return f"{_THAI_GIVEN[(i + s) % len(_THAI_GIVEN)]} {_THAI_FAMILY[(i * 3 + k) % len(_THAI_FAMILY)]}"
    if ROLE_SCHEMA[role] == "Person":
        return f"{_FAMILY[(i * 7 + s) % len(_FAMILY)]} {_GIVEN[(i * 13 + k) % len(_GIVEN)]}"
    place = _PLACE[(s * 3 + k) % len(_PLACE)]
    return {HOLDING: f"{place} Holdings Group Ltd", OPCO: f"{place} {k} Technology Co., Ltd",
            COMPOUND: f"{place} Park {k}", ACCOUNT: f"Account {i:08d}", WALLET: f"USDT wallet {i}",
            AD: f"Job advert {s}-{k}: customer service, USD 1,500/month, visa and flight paid"}.get(role, str(i))


def _phone_number(i: int) -> str:
    return f"+668{i:08d}"  # a Thai mobile: E.164, one per phone node


def _tron(i: int, seed: int) -> str:
    x, out = (i + 1) * 1_000_003 + seed * 7919, []
    for _ in range(33):
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(_BASE58[x >> 58 if x >> 58 < 58 else x % 58])
    return "T" + "".join(out)


@dataclass
class SyndicateWorld:
    seed: int
    entities: list[dict]                  # FtM entity dicts, nodes first, then links
    organizers: set[str]                  # planted truth: boss, heads and chief financiers
    officials: set[str]                   # officials paid off or in a boss's contacts
    workers: set[str] = field(default_factory=set)  # recruited workers (ids worker-<key> when given)
    bosses: list[str] = field(default_factory=list)  # one per syndicate, by syndicate number
    syndicate_of: dict[str, int] = field(default_factory=dict)

    def to_graph_data(self) -> GraphData:
        """The analysis graph of these entities, read the way crossing.network.derive reads FtM."""
        return graph_from_entities(self.entities, officials=self.officials, workers=self.workers)


def generate_syndicates(seed: int, syndicates: int = 3, workers: list[tuple] | None = None,
                        missing: float = 0.1) -> SyndicateWorld:
    """``syndicates`` syndicates as FtM entities; ``missing`` is the share of links left out of the record.

    ``workers``: (key, name, nationality) of rescued people (crossing.scenario) who become the first
    recruited workers, with ids ``worker-<key>``."""
    rng = np.random.default_rng(seed)
    sk, b = _skeleton(rng, syndicates)
    _noise(sk, b, len(b[MEMBER].idx) // 2)
    role, syn, *edges = sk.arrays()
    kind, src, dst, amount = _drop(rng, *edges, missing)
    ids, names, props = _node_entities(seed, role, syn, b, workers or [])
    # Holders named on payments come from the full record (a payment names its parties).
    holder = {}
    for k, s_, d in zip(*(x.tolist() for x in edges[:3]), strict=True):
        if k in (EdgeKind.OWNERSHIP, EdgeKind.HOLDER) and role[d] in (ACCOUNT, WALLET):
            holder.setdefault(d, s_)
    links = _link_entities(ids, role, kind, src, dst, amount, holder, props)
    entities = [{"id": ids[i], "schema": ROLE_SCHEMA[r], "properties": props[i]}
                for i, r in enumerate(role.tolist()) if r != PHONE]
    org = {ids[i] for i in np.flatnonzero(np.isin(role, ORGANIZER_ROLES))}
    return SyndicateWorld(
        seed=seed, entities=entities + links, organizers=org,
        officials={ids[i] for i in np.flatnonzero(role == OFFICIAL)},
        workers={ids[i] for i in b[MEMBER].idx}, bosses=[ids[i] for i in b[BOSS].idx],
        syndicate_of={ids[i]: int(s) for i, s in enumerate(syn.tolist()) if s >= 0 and role[i] != PHONE})


def _node_entities(seed, role, syn, b, workers):
    ids, names, props, counter = [], [], [], {}
    worker_of = dict(zip(b[MEMBER].idx.tolist(), workers, strict=False))
    for i, (r, s) in enumerate(zip(role.tolist(), syn.tolist(), strict=True)):
        schema = ROLE_SCHEMA[r]
        k = counter[(s, schema)] = counter.get((s, schema), 0) + 1
        if r == PHONE:
            ids.append(f"phone:{_phone_number(i)}")
            names.append(_phone_number(i))
            props.append({})
            continue
        p: dict[str, list[str]] = {}
        if i in worker_of:
            key, name, nationality = worker_of[i]
            ids.append(f"worker-{key}")
            country = registry.country.clean(nationality or "")  # ISO 3166 alpha-3 -> FtM's alpha-2
            p["name"] = [name]
            if country:
                p["nationality"] = [country]
        else:
            ids.append(f"syn-{s}-{schema.lower()}-{k}")
            p["name" if schema != "Document" else "title"] = [_name(r, s, k, i)]
        if r == OFFICIAL:
            p.update(position=["Immigration officer"], topics=["role.civil"])
        elif r in (BOSS, HEAD, FINANCE):
            p["topics"] = ["crime.boss" if r == BOSS else "crime.fraud"]
        elif r == ACCOUNT:
            p.update(accountNumber=[f"{7000000000 + i}"], bankName=["Bank of Myawaddy"])
            del p["name"]
        elif r == WALLET:
            p.update(publicKey=[_tron(i, seed)], currency=["USDT"])
            del p["name"]
        elif r == COMPOUND:
            p["country"] = ["mm"]
        names.append((p.get("name") or p.get("title") or p.get("accountNumber") or p.get("publicKey"))[0])
        props.append(p)
    return ids, names, props


_ROLE_OF_KIND = {v: k for k, v in ROLE_KINDS.items() if v is not EdgeKind.PAYMENT}
_LINK_OF_KIND = {v[0]: (schema, v[1], v[2]) for schema, v in LINK_SCHEMATA.items()
                 if schema not in ("UnknownLink", "Documentation")}


def _link_entities(ids, role, kind, src, dst, amount, holder, props) -> list[dict]:
    out = []
    for e, (k, s, d, a) in enumerate(zip(kind.tolist(), src.tolist(), dst.tolist(), amount.tolist(), strict=True)):
        k = EdgeKind(k)
        lid = f"syn-link-{k.name.lower()}-{e}"
        if k is EdgeKind.PHONE:  # a property of the entity (or an advert's phoneMentioned)
            prop = "phoneMentioned" if role[s] == AD else "phone"
            props[s].setdefault(prop, []).append(ids[d][len("phone:"):])
        elif k is EdgeKind.HOLDER:
            props[d].setdefault("holder", []).append(ids[s])
        elif k is EdgeKind.PAYMENT:
            p = {"amount": [f"{a:.2f}"], "currency": ["USD"]}
            for end, party, account in ((s, "payer", "payerAccount"), (d, "beneficiary", "beneficiaryAccount")):
                if role[end] == ACCOUNT:
                    p[account] = [ids[end]]
                    if end in holder:
                        p[party] = [ids[holder[end]]]
                else:
                    p[party] = [ids[end]]
            if role[d] == FINANCE:
                p["description"] = ["USDT (TRON) into a wallet held by the beneficiary"]
            out.append({"id": lid, "schema": "Payment", "properties": p})
        elif k is EdgeKind.MESSAGE:
            out.append({"id": lid, "schema": "Message",
                        "properties": {"sender": [ids[s]], "recipients": [ids[d]], "bodyText": ["hello dear"]}})
        elif k in _ROLE_OF_KIND:
            subject, obj = (d, s) if _ROLE_OF_KIND[k] in REVERSED_ROLES else (s, d)
            out.append({"id": lid, "schema": "UnknownLink",
                        "properties": {"subject": [ids[subject]], "object": [ids[obj]], "role": [_ROLE_OF_KIND[k]]}})
        else:
            schema, sp, tp = _LINK_OF_KIND[k]
            out.append({"id": lid, "schema": schema, "properties": {sp: [ids[s]], tp: [ids[d]]}})
    return out


def graph_from_entities(entities: list[dict], officials=frozenset(), workers=frozenset()) -> GraphData:
    """FtM entity dicts -> GraphData, following vocabulary (the same reading as crossing.network.derive:
    payments join accounts when named, phones become Phone nodes; Django-free for tests and benchmarks)."""
    index: dict[str, int] = {}
    ids, schemata, names = [], [], []

    def node(key: str, schema: str = PHONE_SCHEMA, name: str = "") -> int:
        if key not in index:
            index[key] = len(ids)
            ids.append(key)
            schemata.append(schema)
            names.append(name or key.removeprefix("phone:"))
        return index[key]

    for ent in entities:
        if ent["schema"] not in LINK_SCHEMATA and ent["schema"] != "Message":
            p = ent["properties"]
            caption = (p.get("name") or p.get("title") or p.get("accountNumber") or p.get("publicKey") or [ent["id"]])
            node(ent["id"], ent["schema"], caption[0])
    src, dst, kind, amount = [], [], [], []

    def edge(s: str, t: str, k: EdgeKind, a: float = 0.0) -> None:
        if s in index and (t in index or t.startswith("phone:")) and s != t:
            src.append(index[s])
            dst.append(node(t))
            kind.append(int(k))
            amount.append(a)

    for ent in entities:
        schema, p, eid = ent["schema"], ent["properties"], ent["id"]
        if schema in LINK_SCHEMATA:
            k, sp, tp = LINK_SCHEMATA[schema]
            sources, targets = p.get(sp, []), p.get(tp, [])
            if schema == "Payment":
                sources, targets = p.get("payerAccount") or sources, p.get("beneficiaryAccount") or targets
            role = (p.get("role") or [""])[0].strip().lower()
            if schema == "UnknownLink" and role in ROLE_KINDS:
                k = ROLE_KINDS[role]
                if role in REVERSED_ROLES:
                    sources, targets = targets, sources
            a = float((p.get("amount") or [0])[0])
            for s in sources:
                for t in targets:
                    edge(s, t, k, a)
        elif schema == "Message":
            for s in p.get("sender", []):
                for t in p.get("recipients", []):
                    edge(s, t, EdgeKind.MESSAGE)
        for (holder_schema, prop), k in HOLDER_PROPERTIES.items():
            if schema == holder_schema:
                for h in p.get(prop, []):
                    edge(h, eid, k)
        for number in p.get("phone", []) + p.get("phoneMentioned", []):
            edge(eid, f"phone:{number}", EdgeKind.PHONE)
    n = len(ids)
    return GraphData(ids=ids, schemata=schemata, names=names, src=np.asarray(src, np.int32),
                     dst=np.asarray(dst, np.int32), kind=np.asarray(kind, np.int8),
                     amount=np.asarray(amount, np.float64),
                     official=np.fromiter((i in officials for i in ids), bool, n),
                     worker=np.fromiter((i in workers for i in ids), bool, n))


# ------------------------------------------------------------------------------------- benchmark scale
def scale_graph(nodes: int = 1_000_000, edges: int = 5_000_000, seed: int = 1) -> tuple[GraphData, np.ndarray]:
    """A graph of exactly ``nodes`` nodes and ``edges`` edges: as many syndicates as fit (10 % of links
    missing), scam chats and associates as noise, background people to fill. Returns the graph and the
    planted organizers' node indices."""
    rng = np.random.default_rng(seed)
    per = 1500  # about the mean nodes per syndicate (victims dominate); shrink until the nodes fit
    syndicates = max(1, int(nodes * 0.9 / per))
    while True:
        sk, b = _skeleton(rng, syndicates)
        if sk.n <= nodes:
            break
        syndicates = int(syndicates * 0.9)
    structural = sum(len(e[1]) for e in sk.edges)
    _noise(sk, b, max(0, int((edges - structural * 0.9) / 0.9) + 1))
    sk.free(BACKGROUND, nodes - sk.n)
    role, syn, *arrays = sk.arrays()
    kind, src, dst, amount = (x[:edges] for x in _drop(rng, *arrays, 0.1))
    if len(src) < edges:  # top up with background associations
        extra = edges - len(src)
        src = np.concatenate([src, rng.integers(0, nodes, extra)])
        dst = np.concatenate([dst, rng.integers(0, nodes, extra)])
        kind = np.concatenate([kind, np.full(extra, int(EdgeKind.ASSOCIATE), np.int8)])
        amount = np.concatenate([amount, np.zeros(extra)])
    schema_of = np.array(ROLE_SCHEMA, dtype=object)
    rn = np.array(ROLE_NAMES, dtype=object)
    ids = [f"phone:{_phone_number(i)}" if r == PHONE else f"n{i}" for i, r in enumerate(role.tolist())]
    names = (rn[role] + " " + np.arange(nodes).astype(str).astype(object)).tolist()
    data = GraphData(ids=ids, schemata=schema_of[role].tolist(), names=names, src=src.astype(np.int32),
                     dst=dst.astype(np.int32), kind=kind.astype(np.int8), amount=amount,
                     official=role == OFFICIAL, worker=role == MEMBER,
                     meta={"syndicates": syndicates, "role": role, "syndicate": syn})
    return data, np.flatnonzero(np.isin(role, ORGANIZER_ROLES))
