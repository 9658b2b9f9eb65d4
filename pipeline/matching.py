"""Matching predicted claims to gold claims (TASK.md: relaxed match = overlap ≥ half the longer span)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol


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
    return _one_to_one(candidates)


def _words(text: str) -> list[str]:
    return text.split()


def match_claim_texts(gold: Sequence[str], pred: Sequence[str], threshold: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one pairs of claims from two versions of a document (e.g. a clean text and its PDF).

    Offsets of two different texts cannot be compared, so the relaxed match is taken on the
    whitespace-normalised claim texts instead: two claims match when the words they share (as a
    multiset) are at least ``threshold`` of the longer claim's words. Greedy by overlap, like
    :func:`match_claims`.
    """
    bags = [Counter(_words(t)) for t in pred]
    candidates = []
    for i, g in enumerate(gold):
        gb = Counter(_words(g))
        for j, pb in enumerate(bags):
            shared = sum((gb & pb).values())
            longer = max(sum(gb.values()), sum(pb.values()))
            if longer and shared >= threshold * longer:
                candidates.append((shared, i, j))
    return _one_to_one(candidates)


def _one_to_one(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(overlap, gold index, pred index) candidates → one-to-one pairs, largest overlap first."""
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)
