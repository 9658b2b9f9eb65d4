"""Seats of power used as a venue or a time marker are places, not actors (GUIDELINES §5.6).

"talks in Brussels", "meetings in Washington, Brussels and Moscow", "met at the White House", "the
Moscow statement", "the Brussels meeting", "analysts in Yerevan", "the Trump Route" (a project's name):
the schema's ``[venues]`` lists the seats (capitals, "Kremlin", "White House"), the prepositions, the event
words (nouns and verbs of meeting) and the observers. A study state's name is never a venue ("into
Armenia", "the mission in Armenia" keep their actor): only the listed seats are, and the names of states
outside the study ("the European Political Community summit in Moldova").
"""

from __future__ import annotations

from spacy.tokens import Span

# Tokens that may stand between the preposition and a seat in a list of venues.
LIST_GLUE = {",", "and", "or", "the", "&"}
MAX_LIST = 10
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"}
CLAUSE_LINKS = {"and", "but", "while", "whereas", "yet", "so"}  # after a comma: a new clause begins
EVENT_REACH = 6  # tokens before the preposition where an event word makes the seat a venue


class Venues:
    """The ``[venues]`` table as a test on a mention span."""

    def __init__(self, table: dict, outside: frozenset[str] | set[str] = frozenset()) -> None:
        self.seats = set(table.get("seats", []))
        # A state outside the study, by its name, is a venue right after an event: "the summit in Moldova"
        # (not "hosted the meeting, but its war in Ukraine …").
        self.outside = set(outside)
        self.preps = {p.lower() for p in table.get("prepositions", [])}
        self.events = {e.lower() for e in table.get("events", [])}
        self.verbs = {v.lower() for v in table.get("verbs", [])}
        self.places = set(table.get("places", []))
        self.partners = {w.lower() for w in table.get("partners", [])}
        self.projects = {p.lower() for p in table.get("projects", [])}
        self.place_preps = {p.lower() for p in table.get("place_prepositions", [])}
        self.observers = {w.lower() for w in table.get("observers", [])}
        self.located = {w.lower() for w in table.get("located", [])}
        self.geography = set(table.get("geography", []))

    def is_venue(self, span: Span) -> bool:
        """Whether a rule mention is a seat used only as a place or a date.

        After "in"/"at", only where an event word comes just before ("meetings in Washington, Brussels
        and Moscow", "met at the White House"): "anyone in Washington" and "reopen in Tehran" keep
        the actor. A grammatical subject is never a venue ("…, Tehran is finding itself …").
        """
        doc = span.doc
        after = [t.lower_ for t in doc[span.end : span.end + 2]]
        if len(after) == 2 and after[0] in ("-", "–", "‐") and after[1] in self.located:
            return True  # "a Baku-based institute", "an Armenia-based NGO": where someone sits (§5.1)
        if span.end < len(doc) and doc[span.end].text in self.geography:
            return True  # "the Armenian Highlands": a geographic term (§5.3)
        if span.text in self.places:  # "peace in Europe", "trade with Europe": a region; "Europe brings little",
            # "partnerships with Europe": the EU
            if doc.has_annotation("DEP"):
                root = span.root.head if span.root.dep_ == "conj" else span.root
                # a nominal ROOT is the small parser's reading of "A Europe that invests … would build"
                if root.dep_ in ("nsubj", "nsubjpass", "poss", "ROOT"):
                    return False
                return not (root.dep_ == "pobj" and root.head.head.lower_ in self.partners)
            return span.start > 0 and doc[span.start - 1].lower_ in self.place_preps
        if span.end < len(doc) and doc[span.end].lower_ in self.projects and doc[span.end].text[:1].isupper():
            return True  # a project's proper name: "the Trump Route for International Peace and Prosperity"
        if span.text in self.outside:
            prep = self._preposition_before(span)
            return prep is not None and prep > 0 and (doc[prep - 1].lower_ in self.events)
        if span.text not in self.seats:
            return False
        # A subject is no venue ("…, Tehran is finding itself …"), unless it ends a list of places, where
        # the small parser often takes the last one for the verb's subject ("meetings in Washington, …,
        # and Moscow suggest …").
        in_list = span.start > 0 and doc[span.start - 1].lower_ in LIST_GLUE
        if doc.has_annotation("DEP") and span.root.dep_ in ("nsubj", "nsubjpass") and not in_list:
            return False
        if span.end < len(doc) and doc[span.end].lower_ in self.events:
            return True  # "the Moscow statement", "the Brussels meeting"
        if self._in_project_name(span):
            return True
        prep = self._preposition_before(span)
        if prep is None:
            return False
        before = list(doc[max(0, prep - EVENT_REACH) : prep])
        for k in range(len(before) - 1, 0, -1):  # not across a clause: "a short time, and no one in Yerevan"
            if before[k].text == ";" or (before[k - 1].text == "," and before[k].lower_ in CLAUSE_LINKS):
                before = before[k + 1 :]
                break
        if any(t.lower_ in self.events or t.lower_ in self.verbs for t in before):
            return True
        if prep > 0 and doc[prep - 1].lower_ in self.observers:
            return True  # "analysts in Yerevan": where a source sits, not the state (GUIDELINES §5.1, §5.7)
        # "in Washington on 8 August", "at the White House last week": a place and a date
        return bool(after) and (after[0] in ("last", "earlier") or (after[0] in ("on", "in") and len(after) > 1
                                and (after[1].isdigit() or after[1] in MONTHS)))

    def _in_project_name(self, span: Span) -> bool:
        """"the Baku–Tbilisi–Kars railway": a chain of names joined by dashes, then a project noun."""
        doc = span.doc
        i = span.end
        while i < len(doc) and (doc[i].text in ("–", "-", "—") or (doc[i].is_alpha and doc[i].text[:1].isupper())):
            i += 1
        return i > span.end and i < len(doc) and doc[i].lower_ in self.projects and doc[span.end].text in ("–", "-", "—")

    def _preposition_before(self, span: Span) -> int | None:
        """Index of the "in"/"at" that governs the seat, walking back over a list of places."""
        doc = span.doc
        i = span.start - 1
        lo = max(0, span.start - MAX_LIST)
        while i >= lo:
            tok = doc[i]
            if tok.lower_ in self.preps:
                return i
            # a list of places, with dates: "meetings in Moscow in 2021 and Tehran in 2023"
            if tok.lower_ in LIST_GLUE or (tok.is_alpha and tok.text[:1].isupper()) or tok.like_num:
                i -= 1
                continue
            return None
        return None


def locates_group(m: Span) -> bool:
    """"Hezbollah in Lebanon", "the Houthis in Yemen": a state outside the study right after an
    organisation or group and "in" only says where that group is — a place (GUIDELINES §5.6)."""
    doc = m.doc
    if m.start < 2 or doc[m.start - 1].lower_ != "in" or not doc.has_annotation("ENT_IOB"):
        return False
    before = doc[m.start - 2]
    return before.ent_type_ in ("ORG", "NORP") and before.ent_iob_ != "O"
