"""Web pages through trafilatura's structured (XML) output: headings, lists, paragraphs and page metadata.

trafilatura keeps navigation, cookie banners, related-article boxes and comments out of the main
text; its XML output keeps the structure (``head``, ``list/item``, ``p``) that flat text loses, and its
metadata gives title, author, date (via htmldate), site name and URL.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from xml.etree import ElementTree

from ..errors import InputError
from . import Extracted

log = logging.getLogger(__name__)


def extract_html(path: Path, html: str) -> Extracted:
    """The main text of a page as ``# title``, ``## heading``, ``- item`` and paragraphs, plus metadata."""
    try:
        import trafilatura

        xml = trafilatura.extract(html, output_format="xml", with_metadata=True, include_comments=False,
                                  include_tables=False, include_links=False, include_formatting=False, favor_precision=True)
    except ImportError as e:  # trafilatura needs lxml_html_clean (a declared dependency)
        raise InputError(path, f"cannot read HTML: missing package ({e.name or e})", "reinstall argmine: `pip install -e .`") from e
    except Exception as e:  # a malformed page must fail this file only, never the run
        raise InputError(path, f"HTML could not be parsed ({type(e).__name__}: {e})", "save the article body as .txt") from e
    if not xml:
        raise InputError(path, "no main text found in the HTML", "save the article body as .txt or check the page is not a script-only shell")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as e:
        raise InputError(path, f"trafilatura returned malformed XML ({e})", "save the article body as .txt") from e
    raw = {
        "title": root.get("title"), "author": root.get("author"), "date": root.get("date"),
        "outlet": root.get("sitename"), "url": root.get("url"), "language": root.get("language"),
    }
    meta = {k: v.strip() for k, v in raw.items() if v and v.strip()}
    blocks = _blocks(root.find("main") if root.find("main") is not None else root)
    title = meta.get("title")
    if title and not (blocks and blocks[0].lstrip("# ").strip() == title):
        blocks.insert(0, f"# {title}")
    elif blocks and blocks[0].startswith("## "):
        blocks[0] = "#" + blocks[0][2:]  # the page's own h1 is the title
    if not any(not b.startswith("#") for b in blocks):
        raise InputError(path, "the page's main text holds no paragraphs", "save the article body as .txt")
    log.debug("%s: %d blocks, metadata %s", path, len(blocks), sorted(meta))
    return Extracted(text=_join(blocks), meta=meta)


def _text(elem) -> str:
    return re.sub(r"\s+", " ", "".join(elem.itertext())).strip()


def _blocks(main) -> list[str]:
    out: list[str] = []
    for elem in main:
        if elem.tag == "head":
            t = _text(elem)
            level = elem.get("rend", "h2")
            out.append(("# " if level == "h1" and not out else "## ") + t if t else "")
        elif elem.tag == "list":
            ordered = elem.get("rend") == "ol"
            items = [_text(i) for i in elem.iter("item")]
            out.append("\n".join((f"{n}. " if ordered else "- ") + t for n, t in enumerate(items, 1) if t))
        elif elem.tag in ("p", "quote", "item"):
            out.append(_text(elem))
    return [b for b in out if b.strip()]


def _join(blocks: list[str]) -> str:
    return "\n\n".join(blocks) + "\n"
