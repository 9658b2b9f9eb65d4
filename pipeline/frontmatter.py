"""Front matter as it really comes: bylines, datelines, kickers, photo credits and date lines.

Recognised bylines: "By X", "Written by X", "Author: X", "✍️ X – role", "News analysis by X",
"Policy brief by X", "Opinion | X", "X, Senior Fellow at Y", "X – Senior Correspondent, Y". A dateline
("YEREVAN, 10 February 2026 — …", "BAKU (Reuters) – …") opens a news paragraph; a kicker ("Opinion",
"Analysis") sits above a title; a photo credit ("Photo: X/Agency", "Cover image by X") is meta-text.
"""

from __future__ import annotations

import re

from .formats.dates import DATE_VALUE

_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
DATE_LINE = re.compile(
    rf"^(?:(?:published|date|posted|updated|last updated|first published)\s*(?:on\s*)?:?\s*)?(?:[A-Z][a-z]+,\s+)?"
    rf"(?:{DATE_VALUE.pattern}){_TIME}\s*\.?$",
    re.I,
)
_NAME = r"[A-Z][\w’'.-]*\.?(?:\s+(?:[A-Z][\w’'.-]*\.?|de|van|von|der|al|el|bin|di|da)){1,3}"
_ROLE = (r"fellow|analyst|researcher|director|professor|lecturer|editor|correspondent|journalist|reporter|writer"
         r"|columnist|scholar|associate|chair|head|president|founder|ambassador|advis[eo]r|expert|economist"
         r"|consultant|officer|manager|coordinator|contributor|specialist|historian|commentator|member|student|candidate")
_GENRE = (r"opinion|analysis|news analysis|commentary|comment|op-ed|editorial|perspective|viewpoint|column|policy brief"
          r"|brief|report|essay|interview|explainer|feature|review|blog")
_PREFIXED = re.compile(r"^(?:✍️?\s*|by\s+|author:\s*|written by\s+)(?P<rest>.+)$", re.I)
_GENRE_BY = re.compile(rf"^(?i:(?:an?\s+)?(?:{_GENRE})(?:\s+[\w-]+)?\s+by)\s+(?P<rest>{_NAME}.*)$")
# "Opinion | X" (a colon is a title's: "Interview: De Waal Sees …"), the name alone or followed by a comma.
_GENRE_BAR = re.compile(rf"^(?i:{_GENRE})\s*\|\s*(?P<rest>{_NAME}(?:\s*,.*)?)$")
_NAME_ROLE = re.compile(rf"^(?P<rest>{_NAME}\s*(?:,|\s[–—-]|\|)\s*(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){{0,3}}(?i:{_ROLE})s?\b.*)$")
_KICKER = re.compile(rf"^(?:{_GENRE})\s*[:|]?$", re.I)
CREDIT = re.compile(
    r"^(?:\(?(?:cover |header |top |lead |main )?(?:photo|photograph|image|picture|illustration)s?(?:\s+credits?)?\s*(?:by\b|[:|/©])"
    r"|credits?\s*:|©|\(c\)\s)",
    re.I,
)
DATELINE = re.compile(
    rf"^(?P<line>(?:[A-Z][A-Z.’'-]+(?:\s+[A-Z][A-Z.’'-]+){{0,2}}(?:,\s*(?P<d1>(?i:{DATE_VALUE.pattern})))?"
    rf"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s*(?P<d2>(?i:{DATE_VALUE.pattern})))"
    rf"(?:\s*\([A-Z][\w ]+\))?)\s*[—–-]{{1,2}}\s+(?=[A-Z“\"])",
)


def byline_author(line: str) -> str | None:
    """The author(s) named by a byline line, or None when ``line`` is not a byline."""
    if len(line.split()) > 25:
        return None
    for pattern in (_PREFIXED, _GENRE_BY, _GENRE_BAR, _NAME_ROLE):
        m = pattern.match(line)
        if m:
            return _name_of(m.group("rest")) or ("" if pattern is _PREFIXED else None)
    return None


def _name_of(rest: str) -> str | None:
    """The names at the start of a byline's rest: up to a comma, a dash, a bar or a date."""
    rest = DATE_VALUE.split(rest, maxsplit=1)[0]
    name = re.split(r"\s+[–—|-]\s*|\s*\|\s*|,\s*", rest.strip(), maxsplit=1)[0].strip(" .")
    return name or None


def is_kicker(line: str) -> bool:
    """A genre label above a title ("Opinion", "News analysis")."""
    return bool(_KICKER.match(line))


def dateline(paragraph: str) -> tuple[int, str | None] | None:
    """(length of the dateline prefix incl. its dash, its date) when a paragraph opens with one."""
    m = DATELINE.match(paragraph)
    if not m:
        return None
    return m.end(), m.group("d1") or m.group("d2")
