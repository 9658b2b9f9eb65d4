"""Debate motions as (target, sentiment) frames, and a topic-overlap guard for auxiliary stance data.

IBM Claim Stance releases each topic's *target* and *sentiment* ("This house would ban boxing" →
target "boxing", sentiment -1). ArgKP-2021 releases only the motion text ("We should ban human
cloning"). ``frame`` reads the same two fields off a motion with a few patterns and a verb-polarity
lexicon, so ArgKP arguments can be used as extra (target, argument, stance toward the target) rows.

``overlapping`` keeps auxiliary topics away from the topics being scored: a motion that shares a
content word with any evaluation topic is dropped (deliberately coarse: "compulsory voting" goes
because "make physical education compulsory" is a topic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Verb (phrase) → the motion's sentiment toward its object. Longest phrases are tried first.
VERB_POLARITY = {
    "fight for the abolition of": -1, "abolish": -1, "ban": -1, "prohibit": -1, "end": -1, "abandon": -1,
    "close": -1, "fight": -1, "limit": -1, "restrict": -1, "outlaw": -1, "criminalize": -1, "stop": -1,
    "reject": -1, "oppose": -1, "cancel": -1, "reduce": -1,
    "adopt": 1, "legalize": 1, "legalise": 1, "subsidize": 1, "subsidise": 1, "introduce": 1, "support": 1,
    "allow": 1, "permit": 1, "protect": 1, "encourage": 1, "embrace": 1, "build": 1, "institute": 1,
    "reintroduce": 1, "fund": 1, "increase": 1, "expand": 1, "promote": 1,
}
# "X should be <predicate>" → sentiment toward X.
PREDICATE_POLARITY = {
    "banned": -1, "abolished": -1, "abandoned": -1, "prohibited": -1, "a criminal offence": -1,
    "a criminal offense": -1, "illegal": -1, "regulated by the government": -1, "restricted": -1, "limited": -1,
    "mandatory": 1, "compulsory": 1, "allowed": 1, "legal": 1, "legalized": 1, "subsidized": 1, "protected": 1,
    "permitted": 1, "encouraged": 1,
}
_LEADS = r"(?:we should|this house would|this house should|the government should)"
# Words of a motion that say nothing about its subject.
_FRAME_WORDS = {"house", "believes", "believe", "would", "should", "support", "supports", "government", "use"} | set(VERB_POLARITY) | {
    w for p in PREDICATE_POLARITY for w in p.split()}


@dataclass(frozen=True)
class Frame:
    target: str
    sentiment: int  # +1: the motion favours its target; -1: it opposes it


def frame(motion: str) -> Optional[Frame]:
    """The (target, sentiment) of a motion, or None when no pattern reads it."""
    text = re.sub(r"\s+", " ", motion.strip().rstrip(".")).strip()
    low = text.lower()
    m = re.match(_LEADS + r" (.+)$", low)
    if m:
        rest = m.group(1)
        for verb in sorted(VERB_POLARITY, key=len, reverse=True):
            if rest.startswith(verb + " "):
                return Frame(text[len(text) - len(rest) + len(verb) + 1:].strip(), VERB_POLARITY[verb])
        return None
    m = re.match(r"(.+?) should (not )?be (.+)$", low)
    if m and m.group(3) in PREDICATE_POLARITY:
        sign = PREDICATE_POLARITY[m.group(3)] * (-1 if m.group(2) else 1)
        return Frame(text[: len(m.group(1))].strip(), sign)
    return None


def content_words(text: str) -> set[str]:
    """Lower-cased content words, plural -s stripped, without stop words and motion verbs."""
    words = set()
    for w in re.findall(r"[a-z][a-z\-]+", text.lower()):
        if w in ENGLISH_STOP_WORDS or w in _FRAME_WORDS or len(w) < 3:
            continue
        words.add(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 4 else w)
    return words


def overlapping(motion: str, topics: Iterable[str]) -> list[str]:
    """The topics that share a content word with ``motion`` (empty: no overlap)."""
    mine = content_words(motion)
    return [t for t in topics if mine & content_words(t)]
