"""The pair of states a pair anaphor stands for ("both countries", "the two sides"; GUIDELINES §5.2).

Used by :mod:`.anaphora`: a pair coordinated right after the anaphor, after "between" before it, or in
the previous sentence; else the pair the text is discussing (its title's, or the one it names together
clearly most often); else the schema's ``[conflict]`` parties, with no antecedent.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from spacy.tokens import Doc, Span

from .anaphora_window import Context, leader
from .pronouns import SUBJECT_DEPS
from .structure import SEGMENTS_KEY

PAIR_GLUE = {"and", ",", "-", "–", "—", "/", "&", "or", "’s", "'s", "the"}
DASHES = {"-", "–", "—"}
APPOSITION = {",", "(", ":", "-", "–", "—", "namely", "the", "of"}  # "the leaders of X and Y"


class Pairs:
    """Finds pairs of states among mentions: ``states`` (ids), ``conflict`` (the default pair) and
    ``relations`` (nouns that pair two states: "Turkey's frontier with Armenia")."""

    def __init__(self, states: set[str], conflict: list[str], relations: set[str]) -> None:
        self.states, self.conflict, self.relations = states, conflict, relations

    def pair_of(self, group: list[Span]) -> list[Span]:
        """Two coordinated states, or the two states an anaphor already stands for ("the two sides")."""
        pair = self.coordinated(group)
        if pair:
            return pair
        by_span: dict[tuple[int, int], list[Span]] = {}
        for m in group:
            if m._.argmine_method == "anaphora" and m.label_ in self.states:
                by_span.setdefault((m.start, m.end), []).append(m)
        pairs = [ms for ms in by_span.values() if len({m.label_ for m in ms}) == 2]
        return pairs[-1] if pairs else []

    def resolve(self, span: Span, ctx: Context) -> list[tuple[str, Span | None]]:
        """A coordinated pair of states right after, after "between" before it, or in the previous sentence;
        else the pair named together most often so far; else the conflict parties."""
        this = ctx.sent_of(span.start)
        after = [m for m in ctx.mentions if span.end <= m.start < span.end + 8 and ctx.sent_of(m.start) == this]
        # Not the anaphor's own sentence before it ("Russia and Iran could sabotage …, so peace must be
        # negotiated not just between the parties" means the conflict's parties), unless it names them.
        groups = ctx.window(span, near=True)
        previous = [g for g in groups if ctx.sent_of(g[0].start) != this]
        own = next((g for g in groups if ctx.sent_of(g[0].start) == this), [])
        pair = self.coordinated(own)
        if {m.label_ for m in pair} == set(self.conflict) or (pair and pair[0].start > 0
                                                             and span.doc[pair[0].start - 1].lower_ == "between"):
            # "Armenia and Azerbaijan agreed …, the first time the two states …"; "trade between Iran and
            # Armenia … the only border between the two countries"
            previous = [own]
        for group in [after] + previous:
            pair = self.coordinated(group) or (self.related(group) if group is not after else [])
            if group is after and pair and not _apposed(span, pair[0]):
                continue  # "the neighbours of the two states, including Iran and Russia": not the two states
            if pair:
                return [(m.label_, m) for m in pair]
        return self.discussed(span, ctx)

    def discussed(self, span: Span, ctx: Context) -> list[tuple[str, Span | None]]:
        """The pair the text is discussing: the pair of the title, if named again; else the pair named
        together most often so far, if clearly the text's subject; else the conflict's parties (no
        antecedent). Not the paragraph's: "Russia and Iran … could encourage either side" means the parties."""
        section = self._section_pair(span, ctx)
        if section:
            return section
        title = _title(span.doc)
        counts: Counter = Counter()
        last: dict[frozenset, list[Span]] = {}
        for group in ctx.window(span, near=False):
            # a relation noun outweighs a coordination in its sentence: "Turkey attached to
            # normalisation with Armenia … Yerevan and Baku"
            pair = self.related(group) or self.coordinated(group)
            if pair:
                key = frozenset(m.label_ for m in pair)
                counts[key] += 1
                last.setdefault(key, pair)  # groups run nearest first
        conflict = frozenset(self.conflict)
        lead = None
        if title is not None:
            in_title = [m for m in ctx.mentions if title.start <= m.start < title.end]
            named = frozenset(m.label_ for m in self.related(in_title) or self.coordinated(in_title))
            lead = named if counts[named] >= 2 else None  # named in the body too, not just listed
        if lead is None:
            lead = leader(counts)
            # another pair must be the text's subject clearly (a text on the peace process may discuss
            # Turkish–Armenian normalisation in a section): twice, and twice as often as the conflict's
            if lead is not None and lead != conflict and (counts[lead] < 2 or counts[lead] < 2 * counts[conflict]):
                lead = None
        if lead is not None:
            return [(m.label_, m) for m in last[lead]]
        return [(actor, None) for actor in self.conflict]

    def _section_pair(self, span: Span, ctx: Context) -> list[tuple[str, Span | None]]:
        """The pair joined by a dash in the anaphor's section heading ("## Türkiye–Armenia normalisation"),
        if the section names both again before the anaphor: the relation the section discusses."""
        heading = _heading_before(span, ctx)
        if heading is None:
            return []
        in_heading = [m for m in ctx.mentions if heading.start <= m.start < heading.end]
        pair = self.coordinated(in_heading)
        if not pair or not any(t.text in DASHES for t in span.doc[pair[0].end : pair[1].start]):
            return []  # "Türkiye–Armenia normalisation" names a relation; "Why Tehran and Moscow Are
            # Watching" names onlookers, not the pair "two sovereign states" means
        named = {m.label_ for m in pair}
        body = [m for m in ctx.mentions if heading.end <= m.start < span.start and m.label_ in named
                and m._.argmine_method != "anaphora"]
        last = {m.label_: m for m in body}
        return [(m.label_, m) for m in sorted(last.values(), key=lambda m: m.start)] if len(last) == 2 else []

    def coordinated(self, group: list[Span]) -> list[Span]:
        """Two different states joined only by "and", a comma or a dash ("Georgia and Azerbaijan")."""
        states = self._named_states(group)
        for a, b in zip(states, states[1:]):
            between = a.doc[a.end : b.start]
            if a.label_ != b.label_ and len(between) <= 3 and all(t.lower_ in PAIR_GLUE for t in between) \
                    and not _starts_clause(b):
                return [a, b]
        return []

    def related(self, group: list[Span]) -> list[Span]:
        """Two states paired by a relation noun: "Turkey's frontier with Armenia", "Turkey attached to
        normalisation with Armenia" (the schema's pair ``relations``); the last such pair in the group."""
        states = self._named_states(group)
        for b in reversed(states):
            with_i = b.start - 1
            if with_i < 1 or b.doc[with_i].lower_ != "with" or b.doc[with_i - 1].lower_ not in self.relations:
                continue
            before = [a for a in states if a.end <= with_i - 1 and with_i - 1 - a.end <= 4 and a.label_ != b.label_]
            if before:
                return [before[-1], b]
        return []

    def _named_states(self, group: list[Span]) -> list[Span]:
        """The group's states named in the text (not through an anaphor), in text order."""
        return sorted((m for m in group if m.label_ in self.states and m._.argmine_method != "anaphora"),
                      key=lambda m: m.start)


def _starts_clause(m: Span) -> bool:
    """"… partial to Armenia, and the United States is preoccupied …": a state that is the subject of its
    own clause begins a new one; the second of a coordinated pair is a ``conj`` of the first."""
    root = m.root
    while root.dep_ in ("compound", "flat") and root.head is not root:
        root = root.head
    return m.doc.has_annotation("DEP") and root.dep_ in SUBJECT_DEPS


def _apposed(span: Span, first: Span) -> bool:
    """Whether a pair after the anaphor names it: "the two neighbours, Turkey and Armenia", "both
    countries (Armenia and Azerbaijan)", "the leaders of Azerbaijan and Russia"; not "…, including Iran and
    Russia"."""
    between = span.doc[span.end : first.start]
    return len(between) <= 2 and all(t.lower_ in APPOSITION for t in between)


def _heading_before(span: Span, ctx: Context) -> Span | None:
    """The last heading segment before ``span``, if any (the headings listed once per document)."""
    if "headings" not in ctx.memo:
        ctx.memo["headings"] = [s for s in span.doc.spans.get(SEGMENTS_KEY, []) if s.label_ == "heading"]
    headings = ctx.memo["headings"]
    i = bisect_right(headings, span.start, key=lambda s: s.end) - 1  # headings do not overlap: ends sorted
    return headings[i] if i >= 0 else None


def _title(doc: Doc) -> Span | None:
    """The document's title segment, if the structure component found one."""
    return next((s for s in doc.spans.get(SEGMENTS_KEY, []) if s.label_ == "title"), None)
