"""The analysis graph as plain arrays: what the engine, the generator and the store exchange.

Django-free. Nodes are indexed 0..n-1; edges are parallel numpy arrays. A million nodes and five
million edges fit in well under a gigabyte this way, where Python objects per edge would not.
"""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class GraphData:
    ids: list[str]                      # FtM entity id, or "phone:+<E.164>" for a phone node
    schemata: list[str]                 # FtM schema name, or "Phone"
    names: list[str]                    # caption for display and reasons
    src: np.ndarray                     # int32, edge source node index
    dst: np.ndarray                     # int32, edge target node index
    kind: np.ndarray                    # int8, vocabulary.EdgeKind
    amount: np.ndarray | None = None    # float64, US dollars on PAYMENT edges, 0 elsewhere
    # Node flags: an official who uses Crossing (insider-threat checks), a rescued worker or victim
    # from the registry, an entity on an imported sanctions list.
    official: np.ndarray | None = None  # bool per node
    worker: np.ndarray | None = None    # bool per node
    sanctioned: np.ndarray | None = None  # bool per node
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        n, m = len(self.ids), len(self.src)
        if len(self.schemata) != n or len(self.names) != n:
            raise ValueError("ids, schemata and names must have the same length")
        if len(self.dst) != m or len(self.kind) != m:
            raise ValueError("src, dst and kind must have the same length")
        if self.amount is None:
            self.amount = np.zeros(m, dtype=np.float64)
        for flag in ("official", "worker", "sanctioned"):
            if getattr(self, flag) is None:
                setattr(self, flag, np.zeros(n, dtype=bool))

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return len(self.src)
