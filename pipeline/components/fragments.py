"""Out-of-schema actors guessed by the NER that are not names: offices, generic nouns, fragments.

GUIDELINES §5.8: "Council", "Union", "defence ministry", "Border Guard Service", "High
Representative" are never actor ids. An NER organisation made only of the schema's office words
(``[offices] words``) is dropped; one that is part of a longer name in the same document is merged
into it ("Informed Citizens" → "Union of Informed Citizens"; "Monitoring Mission" → the schema actor
whose alias "EU Monitoring Mission" holds it); an acronym is merged into the name it abbreviates
("ICRC" → "International Committee of the Red Cross"). A demonym or state name inside the proper
name of an organisation does not add the state (GUIDELINES §5.1): "Armenian Assembly of America",
"Prosperous Armenia" are organisations of their own.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

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


def merge_fragments(mentions: list[Span], known: dict[str, str], acronyms: dict[str, str] | None = None) -> list[Span]:
    """Relabel or drop out-of-schema mentions that are fragments of a longer name.

    ``known``: schema alias (lower case) → actor id; ``acronyms``: upper-case schema aliases ("OSCE")
    → actor id, for their spelled-out names. Rule and in-schema mentions pass unchanged.
    """
    outside = {m.label_ for m in mentions if not m._.argmine_in_schema}
    out = []
    for m in mentions:
        if m._.argmine_in_schema or m._.argmine_method == "rule":
            # a schema alias, also of an [others] state: "China" is no fragment of "People's Republic of China"
            out.append(m)
            continue
        longer = sorted((o for o in outside if _contains(o, m.label_) or _abbreviates(m.label_, o)), key=len, reverse=True)
        if longer:
            out.append(_relabel(m, longer[0], in_schema=False))
            continue
        acronym = next((aid for alias, aid in (acronyms or {}).items() if _abbreviates(alias, m.label_)), None)
        if acronym is not None:  # "Organisation for Security and Cooperation in Europe" → OSCE
            out.append(_relabel(m, acronym, in_schema=True))
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


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is the initials of ``name`` ("ICRC", "International Committee of the Red Cross")."""
    if not acronym.isalpha() or not acronym.isupper() or len(acronym) < 3:
        return False
    initials = "".join(w[0] for w in name.split() if w.lower() not in GLUE)
    return initials.upper() == acronym


def named_organisations(doc: Doc, rule_mentions: list[Span], offices: set[str], org_heads: set[str],
                        states: set[str]) -> list[Span]:
    """Replace alias matches inside an NER organisation's proper name by that organisation.

    The rest of the name (without the aliases and glue words) must be capitalised words that are not
    all office words, and the name must end in the alias or hold an organisation word: "Armenian
    Assembly of America", "Prosperous Armenia", "Sputnik Azerbaijan" — but "Azerbaijan's Foreign
    Ministry", "Russian Ground Forces" or "Russia-led Collective Security Treaty Organization" keep
    their states.
    """
    if not doc.has_annotation("ENT_IOB"):
        return rule_mentions
    out = list(rule_mentions)
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        inner = [m for m in out if m._.argmine_in_schema and ent.start <= m.start and m.end <= ent.end]
        # only a state's name or demonym is absorbed: "Minsk Group of the Organization for …" stays the OSCE
        if ent.start > 0 and doc[ent.start - 1].text in ("/", "-"):
            continue  # "RFE/RL Armenian Service": the NER cut a longer name
        if not inner or any(m.label_ not in states for m in inner) or any(m.start < ent.start < m.end or m.start < ent.end < m.end for m in out):
            continue
        inside = {i for m in inner for i in range(m.start, m.end)}
        rest = [t for t in ent if t.i not in inside and t.lower_ not in GLUE and not t.is_punct]
        if not rest or not all(t.text[:1].isupper() for t in rest) or all(t.lower_ in offices for t in rest):
            continue
        if not any(t.lower_ in org_heads for t in rest):
            continue
        start = ent.start + 1 if ent[0].lower_ == "the" else ent.start
        org = Span(doc, start, ent.end, label=doc[start : ent.end].text)
        org._.argmine_method, org._.argmine_in_schema = "ner", False
        out = [m for m in out if m not in inner] + [org]
    return sorted(out, key=lambda m: m.start)


def bodies_of_states(mentions: list[Span], states: set[str]) -> list[Span]:
    """Drop an organisation's alias that names a state's own body: "the Security Council of Armenia"
    is Armenia's council, not the UN's (the state mention after "of" stays); and one glued to a
    state's name: "Western Azerbaijan" is a name for a territory, not the West."""
    by_start = {m.start: m for m in mentions}
    out = []
    for m in mentions:
        doc = m.doc
        glued = by_start.get(m.end)
        if m.label_ not in states and glued is not None and glued.label_ in states:
            continue
        nxt = m.end + (2 if m.end + 1 < len(doc) and doc[m.end + 1].lower_ == "the" else 1)
        after = by_start.get(nxt)
        if (m.label_ not in states and m.end < len(doc) and doc[m.end].lower_ == "of"
                and after is not None and after.label_ in states):
            continue
        out.append(m)
    return out
