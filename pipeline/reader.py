"""Reading input documents (.txt, .md, .html, .pdf) into text, with clear errors for bad input."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

log = logging.getLogger(__name__)

SUPPORTED = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}
# spaCy's own default limit; a bigger file is refused before it is read so it never swaps the machine.
DEFAULT_MAX_CHARS = 1_000_000


@dataclass
class SourceText:
    """The text of one input as Python reads it (UTF-8, universal newlines)."""

    doc_id: str
    path: Path
    format: str
    text: str
    warnings: list[str]

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def collect_inputs(inputs: list[Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files and folders into supported files; report what cannot be used."""
    files: list[Path] = []
    errors: list[InputError] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
            if not found:
                errors.append(InputError(item, "folder holds no supported files", f"add {', '.join(sorted(SUPPORTED))} files or name the files directly"))
            files.extend(found)
        elif item.is_file():
            if item.suffix.lower() not in SUPPORTED:
                errors.append(InputError(item, f"unsupported file type {item.suffix or '(none)'!r}", f"convert it to one of {', '.join(sorted(SUPPORTED))}"))
            else:
                files.append(item)
        elif item.exists():
            errors.append(InputError(item, "not a regular file", "name a file or a folder"))
        else:
            errors.append(InputError(item, "no such file or folder", "check the path"))
    # The same file named twice (directly and via its folder) is read once.
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, errors


def read_source(path: Path, max_chars: int = DEFAULT_MAX_CHARS) -> SourceText:
    """Read one file; raise InputError naming the file, the offset and the fix."""
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"unsupported file type {path.suffix!r}", f"use one of {', '.join(sorted(SUPPORTED))}")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror})", "check the path and its permissions") from e
    # UTF-8 text is at most 4 bytes a character; PDF/HTML carry markup, so allow them more room.
    byte_limit = max_chars * (4 if fmt in ("text", "markdown") else 20)
    if size > byte_limit:
        raise InputError(path, f"file is {size / 1e6:.1f} MB, over the limit of {byte_limit / 1e6:.1f} MB", "split it into articles or raise --max-chars")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror})", "check the path and its permissions") from e
    if fmt == "pdf":
        text = _pdf_text(path, raw)
    else:
        if b"\x00" in raw[:8192]:
            raise InputError(path, "looks binary (NUL bytes near the start)", "give a UTF-8 text, Markdown, HTML or PDF file")
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(
                path,
                f"not valid UTF-8: byte 0x{raw[e.start]:02x} at byte offset {e.start}",
                f"re-encode it, e.g. `iconv -f cp1252 -t utf-8 {path.name} > fixed{path.suffix}`",
            ) from e
        # Universal newlines, exactly as open(..., encoding="utf-8").read() gives them.
        decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
        text = _html_text(path, decoded) if fmt == "html" else decoded
    if len(text) > max_chars:
        raise InputError(path, f"text has {len(text):,} characters, over the limit of {max_chars:,}", "split it into articles or raise --max-chars")
    if not text.strip():
        raise InputError(path, "empty or whitespace-only", "remove it from the input or add its text")
    warnings = []
    lang = language_warning(text)
    if lang:
        warnings.append(lang)
        log.warning("%s: %s", path, lang)
    return SourceText(doc_id=path.stem, path=path, format=fmt, text=text, warnings=warnings)


def _html_text(path: Path, html: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not text:
        raise InputError(path, "no main text found in the HTML", "save the article body as .txt or check the page is not a script-only shell")
    return text.replace("\r\n", "\n")


def _pdf_text(path: Path, raw: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as e:
        raise InputError(path, f"not a readable PDF ({e})", "re-export it as PDF or save the text as .txt") from e
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise InputError(path, "PDF has no text layer (scanned?)", "run OCR first and give the text as .txt")
    return text.replace("\r\n", "\n")


_EN_COMMON = frozenset(
    "the of and to in a is that for on as with by are be this it not from or which its an has have was will their".split()
)


def language_warning(text: str, sample: int = 20_000) -> str | None:
    """A cheap check that the text is English: the share of very common English words."""
    words = [w.strip(".,;:()\"'“”’").lower() for w in text[:sample].split()]
    words = [w for w in words if w]
    if len(words) < 30:
        return None
    share = sum(w in _EN_COMMON for w in words) / len(words)
    if share < 0.08:
        return f"text does not look English ({share:.0%} common English words); the English models will give unreliable results"
    return None
