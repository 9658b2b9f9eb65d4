"""Reading input documents (.txt, .md, .html, .pdf, .docx) into text, with clear errors for bad input.

Format-specific extraction lives in ``argmine.formats``; this module checks and dispatches.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .formats import extract_file, extract_markup

log = logging.getLogger(__name__)

SUPPORTED = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
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
    meta: dict[str, str] = field(default_factory=dict)  # title, author, date, … from the file's own metadata

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
        else:
            errors.append(_not_usable(item))
    # The same file named twice (directly and via its folder) is read once.
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, errors


def _not_usable(item: Path) -> InputError:
    """Why a path that is neither a file nor a folder cannot be read (a loop is not "no such file")."""
    try:
        os.stat(item)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return InputError(item, "symbolic link loop", "point the link at a real file or folder")
        if e.errno == errno.ENOENT:
            return InputError(item, "no such file or folder" if not item.is_symlink() else "broken symbolic link", "check the path")
        return InputError(item, f"cannot read ({e.strerror})", "check the path and its permissions")
    return InputError(item, "not a regular file (a pipe, socket or device)", "name a file or a folder")


def read_source(path: Path, max_chars: int = DEFAULT_MAX_CHARS) -> SourceText:
    """Read one file; raise InputError naming the file, the offset and the fix."""
    if max_chars <= 0:
        raise ValueError(f"max_chars must be positive, not {max_chars}")
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"unsupported file type {path.suffix!r}", f"use one of {', '.join(sorted(SUPPORTED))}")
    try:
        st = path.stat()
    except OSError as e:
        raise _not_usable(path) from e
    if not stat.S_ISREG(st.st_mode):  # reading a FIFO would block the run forever
        raise _not_usable(path)
    size = st.st_size
    # UTF-8 text is at most 4 bytes a character; PDF/HTML carry markup, so allow them more room.
    byte_limit = max_chars * (4 if fmt in ("text", "markdown") else 20)
    if size > byte_limit:
        raise InputError(path, f"file is {size / 1e6:.1f} MB, over the limit of {byte_limit / 1e6:.1f} MB", "split it into articles or raise --max-chars")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror})", "check the path and its permissions") from e
    meta: dict[str, str] = {}
    warnings: list[str] = []
    if fmt in ("pdf", "docx"):
        extracted = extract_file(path, raw, fmt)
        text, meta, warnings = extracted.text, extracted.meta, list(extracted.warnings)
    else:
        decoded, warning = _decode(path, raw)
        if warning:
            warnings.append(warning)
        # Universal newlines, exactly as open(..., encoding="utf-8").read() gives them.
        decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
        text = decoded
        if fmt == "html":
            extracted = extract_markup(path, decoded, fmt)
            text, meta = extracted.text, extracted.meta
            warnings.extend(extracted.warnings)
    if len(text) > max_chars:
        raise InputError(path, f"text has {len(text):,} characters, over the limit of {max_chars:,}", "split it into articles or raise --max-chars")
    if not text.strip():
        raise InputError(path, "empty or whitespace-only", "remove it from the input or add its text")
    if "\x00" in text:  # e.g. from a PDF's text layer; NUL breaks every downstream tool
        raise InputError(path, f"NUL character at offset {text.index(chr(0))} of the text", "remove the binary data from the file")
    lang = language_warning(text)
    if lang:
        warnings.insert(0, lang)  # the first warning is the document's language_warning field
        log.info("%s: %s", path, lang)  # reported with the document (DocumentRecord.warnings)
    return SourceText(doc_id=path.stem, path=path, format=fmt, text=text, warnings=warnings, meta=meta)


def _decode(path: Path, raw: bytes) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (a UTF-8 BOM is kept, as Python keeps it), or UTF-16 with a BOM."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16"), "read as UTF-16 (byte-order mark); texts/ holds it as UTF-8"
        except UnicodeDecodeError as e:
            raise InputError(path, f"not valid UTF-16 at byte offset {e.start}", f"re-encode it, e.g. `iconv -f utf-16 -t utf-8 {path.name}`") from e
    nul = raw.find(b"\x00")
    if 0 <= nul < 8192:
        raise InputError(path, "looks binary (NUL bytes near the start)", "give a UTF-8 text, Markdown, HTML, PDF or Word (.docx) file")
    if nul >= 0:
        raise InputError(path, f"NUL byte at byte offset {nul} (binary data inside the text)", f"remove it, e.g. `tr -d '\\000' < {path.name} > fixed{path.suffix}`")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as e:
        raise InputError(
            path,
            f"not valid UTF-8: byte 0x{raw[e.start]:02x} at byte offset {e.start}",
            f"re-encode it, e.g. `iconv -f cp1252 -t utf-8 {path.name} > fixed{path.suffix}`",
        ) from e



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
