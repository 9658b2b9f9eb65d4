"""The window an anaphor looks back over: sentences, the mentions found so far, who holds an office."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Span


@dataclass
class Context:
    """Sentence boundaries (token offsets), the mentions found so far, and who is a person."""

    starts: list[int]
    mentions: list[Span]
    offices: dict[tuple[int, int, str], str] = field(default_factory=dict)  # person mention → office
    people: list[Span] = field(default_factory=list)  # officials' titles ("Turkish envoy Serdar Kılıç")
    memo: dict = field(default_factory=dict)  # per-document answers that do not change between anaphors

    def sent_of(self, token_i: int) -> int:
        return bisect_right(self.starts, token_i) - 1

    def window(self, span: Span, near: bool, people: bool = False) -> list[list[Span]]:
        """Mentions before ``span`` grouped by sentence, nearest first (``near``: this and the previous one)."""
        this = self.sent_of(span.start)
        groups: dict[int, list[Span]] = {}
        for m in self.mentions + (self.people if people else []):
            k = self.sent_of(m.start)
            if m.start < span.start and (not near or k >= this - 1):
                groups.setdefault(k, []).append(m)
        return [groups[k] for k in sorted(groups, reverse=True)]

    def add(self, m: Span, office: str | None = None) -> None:
        self.mentions.append(m)
        if office is not None:
            self.offices[(m.start, m.end, m.label_)] = office

    def office_of(self, m: Span) -> str | None:
        return self.offices.get((m.start, m.end, m.label_))


def has_cue(m: Span, cues: set[str]) -> bool:
    """Whether the mention or the three tokens after it carry a cue word ("EUMA", "peacekeeping mission")."""
    doc = m.doc
    words = [t.lower_ for t in doc[m.start : min(len(doc), m.end + 3)]]
    return any(w in cues for w in words)


def one_of(groups: list[list[Span]], ok) -> list[tuple[str, Span | None]]:
    """The single actor id among the qualifying mentions of the nearest group that has any."""
    for group in groups:
        hits = [m for m in group if ok(m)]
        if hits:
            ids = {m.label_ for m in hits}
            return [(hits[-1].label_, hits[-1])] if len(ids) == 1 else []
    return []


def leader(counts: Counter):
    """The key counted most often, if no other ties with it; else None."""
    ranked = counts.most_common(2)
    return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
