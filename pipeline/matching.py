"""Matching predicted claims to gold claims (TASK.md: relaxed match = overlap ≥ half the longer span)."""

from __future__ import annotations

from typing import Protocol, Sequence


class _Span(Protocol):
    start: int
    end: int


def overlap(a: _Span, b: _Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def relaxed_match(a: _Span, b: _Span, threshold: float = 0.5) -> bool:
    """True when the spans overlap by at least ``threshold`` of the longer of the two."""
    longer = max(a.end - a.start, b.end - b.start)
    return longer > 0 and overlap(a, b) >= threshold * longer


def exact_match(a: _Span, b: _Span) -> bool:
    return a.start == b.start and a.end == b.end


def match_claims(gold: Sequence[_Span], pred: Sequence[_Span], exact: bool = False) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), greedily by largest overlap first.

    One-to-one matters: a predicted sentence that covers two gold clauses may match at most one.
    """
    test = exact_match if exact else relaxed_match
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if p.start >= g.end or p.end <= g.start:
                continue
            if test(g, p):
                candidates.append((overlap(g, p), i, j))
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)
