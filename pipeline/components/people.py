"""People outside the schema named with a title and a state or body ("Turkish special envoy Serdar
Kılıç", "European Council President Charles Michel", "Foreign Minister of Azerbaijan X").

GUIDELINES §5.4: such an official stands for the state of the title; a person whose title names no
state (an analyst, a journalist) is not an actor. Later mentions of the surname ("Kılıç said …")
are resolved to that state by ``argmine_anaphora``. Needs the statistical NER (PERSON entities);
on a blank pipeline nobody is found.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

# Words that may sit inside a title between the state and the name.
TITLE_GLUE = {"of", "the", ",", "to", "for", "former", "acting", "then", "current", "incumbent", "’s", "'s"}
MAX_TITLE = 8  # tokens between the state mention and the name


@dataclass
class TitledPerson:
    """A person's surname, the actor their title names, their office words and the title's span."""

    surname: str
    actor: str
    office: str
    title: Span  # from the state/body mention to the end of the name


def titled_people(doc: Doc, mentions: list[Span], offices: set[str]) -> list[TitledPerson]:
    """Every PERSON entity introduced by office words and a state/body mention, in text order."""
    if not doc.has_annotation("ENT_IOB") or not offices:
        return []
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" or any(i in at for i in range(ent.start, ent.end)):
            continue
        found = _title_before(doc, ent, at, offices)
        if found is not None:
            actor_mention, office = found
            out.append(TitledPerson(ent[-1].text, actor_mention.label_, office, doc[actor_mention.start : ent.end]))
    return out


def _title_before(doc: Doc, ent: Span, at: dict[int, Span], offices: set[str]) -> tuple[Span, str] | None:
    """(state/body mention, office) of "<state> <office> NAME" or "<office> of <state> NAME", or None."""
    words: list[str] = []
    lo = max(ent.sent.start, ent.start - MAX_TITLE)
    i = ent.start - 1
    while i >= lo:
        if i in at:
            mention = at[i]
            j = mention.start - 1
            j -= 1 if j >= lo and doc[j].lower_ == "the" else 0
            if j >= lo and doc[j].lower_ == "to":
                i = j - 1  # "Turkish Ambassador to the United States X": the host country is not the title's
                continue
            if not words:  # "<office> of <state> NAME": the office sits before the state
                j = mention.start - 1
                if j >= lo and doc[j].lower_ == "of":
                    k = j - 1
                    while k >= lo and doc[k].lower_ in offices:
                        words.append(doc[k].lower_)
                        k -= 1
            office = " ".join(reversed([w for w in words if w in offices]))
            return (mention, office) if office else None
        low = doc[i].lower_
        if low in offices or low in TITLE_GLUE:
            words.append(low)
            i -= 1
            continue
        return None
    return None
