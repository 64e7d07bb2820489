"""Dynamic programming over links between two sequences, in a band around the diagonal.

A link covers one or two items of each side: 1-1, 1-0 and 0-1 (an item left out or
added), 2-1 and 1-2 (two paragraphs joined into one, or one split in two). The best
sequence of links minimises the sum of their costs (Viterbi); each link's confidence is
the posterior probability that the alignment holds it, from the sums over every path
(forward-backward), so a pairing that another pairing of nearly the same cost could
replace is not trusted.

Only cells within ``band`` of the diagonal from (0, 0) to (n, m) are visited: the work is
O((n + m) × band), not O(n × m).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

#: The link shapes: (source items, target items).
MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))

#: cost(source start, source end, target start, target end) of a link that is not 1-0 or 0-1.
CostFunction = Callable[[int, int, int, int], float]

INF = math.inf


@dataclass(frozen=True)
class Link:
    """Source items ``source`` linked to target items ``target`` (indices, either may be
    empty), with the link's cost and the posterior probability that it is right."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    cost: float
    confidence: float

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.source), len(self.target))


def band_width(n: int, m: int) -> int:
    """How far from the diagonal the search looks: the difference in length, and a
    margin that grows slowly with the length for runs of left-out paragraphs."""
    return 8 + abs(n - m) + max(n, m) // 16


def align(
    n: int,
    m: int,
    cost: CostFunction,
    *,
    skip: float,
    temperature: float = 1.0,
    band: int | None = None,
) -> list[Link]:
    """The best links between ``n`` source and ``m`` target items, in order.

    ``skip`` is the cost of leaving one item unlinked; ``temperature`` scales the costs
    when turning them into posterior probabilities."""
    if n == 0 or m == 0:
        return [Link((i,), (), skip, 1.0) for i in range(n)] + [
            Link((), (j,), skip, 1.0) for j in range(m)
        ]
    width = band if band is not None else band_width(n, m)
    lo = [max(0, math.floor(i * m / n - width)) for i in range(n + 1)]
    hi = [min(m, math.ceil(i * m / n + width)) for i in range(n + 1)]

    def inside(i: int, j: int) -> bool:
        return 0 <= i <= n and lo[i] <= j <= hi[i]

    # Costs of each move into each cell, computed once for every pass.
    steps: dict[tuple[int, int], list[tuple[int, int, int, float]]] = {}
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            into = []
            for di, dj in MOVES:
                pi, pj = i - di, j - dj
                if pj < 0 or not inside(pi, pj):
                    continue
                c = skip if di == 0 or dj == 0 else cost(pi, i, pj, j)
                if c < INF:
                    into.append((pi, pj, di * 10 + dj, c))
            steps[(i, j)] = into

    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    forward: dict[tuple[int, int], float] = {(0, 0): 0.0}
    t = temperature
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            low = INF
            arg = None
            soft = []
            for pi, pj, _, c in steps[(i, j)]:
                before = best.get((pi, pj), INF)
                if before + c < low:
                    low, arg = before + c, (pi, pj)
                f = forward.get((pi, pj), INF)
                if f < INF:
                    soft.append(f + c)
            if arg is not None:
                best[(i, j)] = low
                back[(i, j)] = arg
            if soft:
                forward[(i, j)] = _softmin(soft, t)

    backward: dict[tuple[int, int], float] = {(n, m): 0.0}
    incoming: dict[tuple[int, int], list[float]] = {}
    for i in range(n, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            if (i, j) != (n, m):
                found = incoming.pop((i, j), None)
                if not found:
                    continue
                backward[(i, j)] = _softmin(found, t)
            b = backward[(i, j)]
            for pi, pj, _, c in steps[(i, j)]:
                incoming.setdefault((pi, pj), []).append(b + c)

    if (n, m) not in back:
        raise ValueError("no path through the band")  # the band always holds one
    total = forward[(n, m)]
    links: list[Link] = []
    cell = (n, m)
    while cell != (0, 0):
        prev = back[cell]
        c = next(c for pi, pj, _, c in steps[cell] if (pi, pj) == prev)
        posterior = math.exp(-(forward[prev] + c + backward[cell] - total) / t)
        links.append(
            Link(
                tuple(range(prev[0], cell[0])),
                tuple(range(prev[1], cell[1])),
                c,
                min(1.0, posterior),
            )
        )
        cell = prev
    links.reverse()
    return links


def _softmin(values: list[float], temperature: float) -> float:
    low = min(values)
    return low - temperature * math.log(
        math.fsum(math.exp((low - v) / temperature) for v in values)
    )
