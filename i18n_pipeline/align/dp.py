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
    return 6 + abs(n - m) + max(n, m) // 32


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
    t = temperature
    exp, log = math.exp, math.log

    # Per cell (i, j): the moves into it, as (previous i, previous j, cost).
    steps: list[list[list[tuple[int, int, float]]]] = []
    best: list[list[float]] = []  # Viterbi
    back: list[list[tuple[int, int] | None]] = []
    forward: list[list[float]] = []  # soft minimum over every path
    for i in range(n + 1):
        row_steps: list[list[tuple[int, int, float]]] = []
        row_best: list[float] = []
        row_back: list[tuple[int, int] | None] = []
        row_forward: list[float] = []
        for j in range(lo[i], hi[i] + 1):
            into: list[tuple[int, int, float]] = []
            low, arg = (0.0, None) if i == 0 and j == 0 else (INF, None)
            soft: list[float] = []
            for di, dj in MOVES:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or not lo[pi] <= pj <= hi[pi]:
                    continue
                c = skip if di == 0 or dj == 0 else cost(pi, i, pj, j)
                if c == INF:
                    continue
                into.append((pi, pj, c))
                offset = pj - lo[pi]
                before = (row_best if pi == i else best[pi])[offset]
                if before + c < low:
                    low, arg = before + c, (pi, pj)
                f = (row_forward if pi == i else forward[pi])[offset]
                if f < INF:
                    soft.append(f + c)
            row_steps.append(into)
            row_best.append(low)
            row_back.append(arg)
            if i == 0 and j == 0:
                row_forward.append(0.0)
            elif not soft:
                row_forward.append(INF)
            elif len(soft) == 1:
                row_forward.append(soft[0])
            else:
                m0 = min(soft)
                row_forward.append(m0 - t * log(sum(exp((m0 - v) / t) for v in soft)))
        steps.append(row_steps)
        best.append(row_best)
        back.append(row_back)
        forward.append(row_forward)

    # Backward: soft minimum over the paths from each cell to the end.
    incoming: list[list[list[float]]] = [
        [[] for _ in range(lo[i], hi[i] + 1)] for i in range(n + 1)
    ]
    backward: list[list[float]] = [[INF] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    backward[n][m - lo[n]] = 0.0
    for i in range(n, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            k = j - lo[i]
            if (i, j) != (n, m):
                found = incoming[i][k]
                if not found:
                    continue
                m0 = min(found)
                backward[i][k] = (
                    m0 if len(found) == 1 else m0 - t * log(sum(exp((m0 - v) / t) for v in found))
                )
            b = backward[i][k]
            for pi, pj, c in steps[i][k]:
                incoming[pi][pj - lo[pi]].append(b + c)

    if back[n][m - lo[n]] is None:
        raise ValueError("no path through the band")  # the band always holds one
    total = forward[n][m - lo[n]]
    links: list[Link] = []
    cell = (n, m)
    while cell != (0, 0):
        i, j = cell
        prev = back[i][j - lo[i]]
        assert prev is not None
        c = next(c for pi, pj, c in steps[i][j - lo[i]] if (pi, pj) == prev)
        f = forward[prev[0]][prev[1] - lo[prev[0]]]
        posterior = math.exp(-(f + c + backward[i][j - lo[i]] - total) / t)
        links.append(
            Link(
                tuple(range(prev[0], i)),
                tuple(range(prev[1], j)),
                c,
                min(1.0, posterior),
            )
        )
        cell = prev
    links.reverse()
    return links
