"""Dates to ISO 8601 (YYYY-MM-DD): from front-matter lines, PDF info dictionaries, HTML/Word metadata and CSV files."""

from __future__ import annotations

import logging
import re
from datetime import date

log = logging.getLogger(__name__)

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
# A date as written in a date line, byline or dateline ("10 February 2026", "Feb. 3, 2024", "13/02/2026").
DATE_VALUE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})",
    re.I,
)
# PDF dates (ISO 32000 §7.9.4): "D:20260210093000+01'00'", or just "D:2026".
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
# dateparser reads these formats without guessing; a bare number ("12") is not a date.
_HAS_YEAR = re.compile(r"\b(1[89]|20)\d{2}\b")


def to_iso(value: str | None) -> str | None:
    """``value`` as YYYY-MM-DD, or None when it is empty or not a date with a year.

    Day-first for numeric dates (13/02/2026 and 02/03/2026 are read day/month), as in the
    European and Caucasus outlets of the corpus; a month and year alone give the first day.
    """
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _PDF_DATE.match(s)
    if m:
        return _checked(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    if not _HAS_YEAR.search(s):
        return None
    found = DATE_VALUE.search(s)
    s = found.group(0) if found else s  # "Published: 3 March 2025, 09:30" → "3 March 2025"
    import dateparser  # type: ignore[import-untyped]  # no stubs (types-dateparser) in the environment

    parsed = dateparser.parse(
        s,
        languages=["en"],
        settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"], "STRICT_PARSING": False},
    )
    return parsed.date().isoformat() if parsed else None


def _checked(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_or_warning(value: str | None, where: str, warnings: list[str]) -> str | None:
    """``to_iso(value)``; an unparseable non-empty value adds a warning naming ``where`` instead of failing."""
    iso = to_iso(value)
    if iso is None and value and str(value).strip():
        msg = f"{where}: date {str(value).strip()!r} could not be read as a date; give it as YYYY-MM-DD (e.g. in --metadata)"
        log.warning("%s", msg)
        warnings.append(msg)
    return iso
