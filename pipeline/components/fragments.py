"""Out-of-schema actors guessed by the NER that are not names: offices, generic nouns, fragments.

GUIDELINES §5.8: "Council", "Union", "defence ministry", "Border Guard Service", "High
Representative" are never actor ids. An NER organisation made only of the schema's office words
(``[offices] words``) is dropped; one that is part of a longer name in the same document is merged
into it ("Informed Citizens" → "Union of Informed Citizens"; "Monitoring Mission" → the schema actor
whose alias "EU Monitoring Mission" holds it).
"""

from __future__ import annotations

import re

from spacy.tokens import Span

# Words that glue a name together and say nothing about what it names.
GLUE = {"the", "of", "and", "for", "on", "in", "to", "&", "'s", "’s"}


def name_words(text: str) -> list[str]:
    """Lower-cased words of a name, without glue words and punctuation."""
    return [w for w in re.findall(r"[\w’'&]+", text.lower()) if w not in GLUE]


def is_generic(span: Span, offices: set[str]) -> bool:
    """Whether an NER guess is only office/body words ("Defence Ministry") or a lower-case noun phrase."""
    words = name_words(span.text)
    if not words:
        return True
    if span.text[:1].islower():
        return True
    return bool(offices) and all(w in offices for w in words)


def _contains(longer: str, shorter: str) -> bool:
    return longer != shorter and re.search(rf"(?<!\w){re.escape(shorter)}(?!\w)", longer) is not None


def merge_fragments(mentions: list[Span], known: dict[str, str]) -> list[Span]:
    """Relabel or drop out-of-schema mentions that are fragments of a longer name.

    ``known``: schema alias (lower case) → actor id. Rule and in-schema mentions pass unchanged.
    """
    outside = {m.label_ for m in mentions if not m._.argmine_in_schema}
    out = []
    for m in mentions:
        if m._.argmine_in_schema:
            out.append(m)
            continue
        longer = sorted((o for o in outside if _contains(o, m.label_)), key=len, reverse=True)
        if longer:
            out.append(_relabel(m, longer[0], in_schema=False))
            continue
        owners = {aid for alias, aid in known.items() if _contains(alias, m.label_.lower())}
        if not owners:
            out.append(m)
        elif len(owners) == 1 and len(name_words(m.label_)) > 1:
            out.append(_relabel(m, owners.pop(), in_schema=True))
        # else: a one-word piece of a schema name, or a piece of two ("Council"): dropped
    return out


def _relabel(m: Span, label: str, in_schema: bool) -> Span:
    new = Span(m.doc, m.start, m.end, label=label)
    new._.argmine_method, new._.argmine_in_schema = m._.argmine_method, in_schema
    return new
