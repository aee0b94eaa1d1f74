"""A traced payment as a flow diagram (a Sankey-style SVG), drawn on the server.

Columns are hops from the victim; a box's height is the traced money through it, a band's width the
money on that link. Drawn on the server so it works without scripts, on poor connections, and in a
printed report; the page also lists every flow as a table. Only the largest links are drawn
(``max_links``): the table has the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 960
COLUMN_GAP = 190
BOX_WIDTH = 14
TOP = 24
HEIGHT = 420
MIN_BOX = 3.0


@dataclass
class Node:
    account: str
    column: int
    usd: float
    kind: str = ""
    flagged: bool = False
    x: float = 0.0
    y: float = 0.0
    h: float = 0.0


@dataclass
class Link:
    src: Node
    dst: Node
    usd: float
    sy: float = 0.0
    dy: float = 0.0
    w: float = 0.0


def layout(seed: dict, flows: list[dict], cashouts: set[str], flagged: set[str], max_links: int = 60):
    """Nodes and links with positions; ``flows`` as analytics.flows.trace gives them."""
    flows = sorted(flows, key=lambda f: -f["amount_usd"])[:max_links]
    column: dict[str, int] = {seed["src"]: 0}
    # A node's column is its shortest hop from the victim (money may come back later: a cycle).
    for f in sorted(flows, key=lambda f: f["hop"]):
        column.setdefault(f["src"], f["hop"])
        column.setdefault(f["dst"], column[f["src"]] + 1)
    usd: dict[str, float] = {}
    for f in flows:
        usd[f["dst"]] = usd.get(f["dst"], 0.0) + f["amount_usd"]
    usd[seed["src"]] = seed["amount_usd"]
    nodes = {a: Node(a, c, usd.get(a, 0.0), "cashout" if a in cashouts else "", a in flagged) for a, c in column.items()}
    columns: dict[int, list[Node]] = {}
    for node in nodes.values():
        columns.setdefault(node.column, []).append(node)
    scale_base = max(sum(n.usd for n in col) for col in columns.values()) or 1.0
    gap = 10
    tallest = max(len(col) for col in columns.values())
    scale = max(HEIGHT - TOP - gap * tallest, 60) / scale_base
    for c, col in columns.items():
        col.sort(key=lambda n: (-n.usd, n.account))
        y = TOP
        for node in col:
            node.x = 20 + c * COLUMN_GAP
            node.h = max(node.usd * scale, MIN_BOX)
            node.y = y
            y += node.h + gap
    links = [Link(nodes[f["src"]], nodes[f["dst"]], f["amount_usd"]) for f in flows]
    out_offset = {a: 0.0 for a in nodes}
    in_offset = {a: 0.0 for a in nodes}
    for link in sorted(links, key=lambda k: (k.src.y, k.dst.y)):
        link.w = max(link.usd * scale, 1.0)
        link.sy = link.src.y + out_offset[link.src.account] + link.w / 2
        link.dy = link.dst.y + in_offset[link.dst.account] + link.w / 2
        out_offset[link.src.account] += link.w
        in_offset[link.dst.account] += link.w
    height = max((n.y + n.h for n in nodes.values()), default=HEIGHT) + TOP
    width = max((n.x for n in nodes.values()), default=0) + COLUMN_GAP + 40
    return list(nodes.values()), links, max(width, WIDTH), height


def short(account: str, n: int = 22) -> str:
    return account if len(account) <= n else account[: n - 9] + "…" + account[-8:]
