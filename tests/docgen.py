"""Derived documents made by real tools from the project's own corpus texts (test fixtures).

Each clean text (``corpus/texts``: the project's CC-BY texts) is laid out by argmine's own segmenter,
then typeset with LaTeX (one and two columns, running header, page numbers, a footnote, hyphenation),
converted with LibreOffice (HTML → .docx → .pdf), hard-wrapped with ``fold -s -w 72``, or wrapped in a
web page with navigation, a cookie banner, "Read also" links and comments. Nothing here is committed
output: the files are made in the test session's set-up.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from argmine.segment import segment_text

TOOLS = {"latex": "pdflatex", "soffice": "soffice", "fold": "fold"}
FOOTNOTE = "Written for the argmine project and released under CC-BY 4.0; the events are referred to in paraphrase."


def missing_tool(kind: str) -> str | None:
    """Why ``kind`` fixtures cannot be made here (None when they can)."""
    exe = TOOLS[kind]
    if kind == "latex" and shutil.which(exe) and subprocess.run(["kpsewhich", "lmodern.sty"], capture_output=True).returncode != 0:
        return "the LaTeX package lmodern is missing (run `make setup` as root, or: apt-get install lmodern)"
    if shutil.which(exe) is None:
        return f"{exe} is not installed (run `make setup` as root, or: apt-get install texlive-latex-base texlive-latex-recommended texlive-fonts-recommended lmodern libreoffice-writer-nogui)"
    return None


def blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) blocks of a clean text as argmine segments it; list items and references keep their kind."""
    segments, _, _ = segment_text(text)
    return [(s.kind, text[s.start : s.end]) for s in segments]


# --- LaTeX ------------------------------------------------------------------------

_TEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "'": r"\textquotesingle{}",
                '"': r"\textquotedbl{}", "ı": r"{\i}", "ğ": r"\u{g}", "ş": r"\c{s}", "•": "", "✍": "", "\ufe0f": ""}


def tex_escape(s: str) -> str:
    return "".join(_TEX_ESCAPES.get(c, c) for c in s)


def to_latex(text: str, twocolumn: bool = False) -> str:
    """A LaTeX article of ``text``: title block, sections, itemize lists, a footnote, a running header."""
    parts = blocks(text)
    title = next((t for k, t in parts if k == "title"), "Untitled")
    byline = next((t for k, t in parts if k == "byline"), "")
    date = next((t for k, t in parts if k == "date"), "")
    font = r"\usepackage{mathptmx}" if twocolumn else r"\usepackage{lmodern}"
    out = [rf"\documentclass[11pt{',twocolumn' if twocolumn else ''}]{{article}}", r"\usepackage[T1]{fontenc}", font,
           r"\usepackage{textcomp}", *_page_style(title, twocolumn),
           rf"\title{{{tex_escape(title)}}}", rf"\author{{{tex_escape(byline.lstrip('✍️ '))}}}", rf"\date{{{tex_escape(date)}}}",
           r"\begin{document}", r"\maketitle", r"\thispagestyle{fancy}" if twocolumn else r"\thispagestyle{myheadings}"]
    in_list, footnoted = False, False
    for kind, body in parts:
        if kind in ("title", "byline", "date"):
            continue
        if in_list and kind not in ("list_item", "reference"):
            out.append(r"\end{itemize}")
            in_list = False
        if kind in ("list_item", "reference"):
            if not in_list:
                out.append(r"\begin{itemize}")
                in_list = True
            out.append(rf"\item {tex_escape(body)}")
        elif kind == "heading":
            out.append(rf"\section*{{{tex_escape(body)}}}")
        else:
            note = rf"\footnote{{{FOOTNOTE}}}" if kind == "paragraph" and not footnoted else ""
            footnoted = footnoted or bool(note)
            out.append(tex_escape(body) + note + "\n")
    if in_list:
        out.append(r"\end{itemize}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _page_style(title: str, twocolumn: bool) -> list[str]:
    """One column: LaTeX's own running head (short title, page number top right). Two columns: fancyhdr
    with the title and an outlet in the header and the page number centred in the footer."""
    short = tex_escape(title[:40])
    if not twocolumn:
        return [r"\pagestyle{myheadings}", rf"\markright{{{short}}}"]
    return [r"\usepackage{fancyhdr}", r"\pagestyle{fancy}", r"\fancyhf{}", rf"\fancyhead[L]{{{short}}}",
            r"\fancyhead[R]{Caucasus Review}", r"\fancyfoot[C]{\thepage}"]


def latex_pdf(text: str, out: Path, twocolumn: bool = False) -> Path:
    """Typeset ``text`` with pdflatex into ``out`` (a .pdf path)."""
    work = out.with_suffix("")
    work.mkdir(parents=True, exist_ok=True)
    (work / "doc.tex").write_text(to_latex(text, twocolumn), encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=work, capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        raise RuntimeError(f"pdflatex failed for {out.name}: {run.stdout[-2000:]}")
    shutil.copy(work / "doc.pdf", out)
    return out


def blank_pdf(out: Path) -> Path:
    """A PDF whose only page holds a drawn box and no text (what a scan without OCR looks like to a reader)."""
    work = out.with_suffix("")
    work.mkdir(parents=True, exist_ok=True)
    (work / "doc.tex").write_text(r"\documentclass{article}\pagestyle{empty}\begin{document}\rule{8cm}{10cm}\end{document}" + "\n")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], cwd=work, capture_output=True, timeout=120, check=True)
    shutil.copy(work / "doc.pdf", out)
    return out


# --- HTML and LibreOffice -----------------------------------------------------------


def article_html(text: str) -> str:
    """The article body of ``text`` as HTML (h1, h2, p, ul/li) without page boilerplate."""
    out, in_list = [], False
    for kind, body in blocks(text):
        if in_list and kind not in ("list_item", "reference"):
            out.append("</ul>")
            in_list = False
        b = html.escape(body.lstrip("✍️ "), quote=False)
        if kind in ("list_item", "reference"):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{b}</li>")
        elif kind == "title":
            out.append(f"<h1>{b}</h1>")
        elif kind == "heading":
            out.append(f"<h2>{b}</h2>")
        else:
            out.append(f"<p>{b}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def web_page(text: str, meta: dict[str, str]) -> str:
    """A news-site page around ``text``: head metadata, navigation, cookie banner, related links, comments, footer."""
    e = {k: html.escape(v) for k, v in meta.items()}
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e['title']} | {e['outlet']}</title>
<meta property="og:title" content="{e['title']}">
<meta property="og:site_name" content="{e['outlet']}">
<meta property="og:url" content="{e['url']}">
<link rel="canonical" href="{e['url']}">
<meta name="author" content="{e['author']}">
<meta property="article:published_time" content="{e['date']}T08:00:00+00:00">
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience and to analyse traffic. By continuing to browse you agree to our use of cookies.</p><button>Accept all</button></div>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/region">Region</a></li><li><a href="/analysis">Analysis</a></li><li><a href="/subscribe">Subscribe now for unlimited access</a></li></ul></nav></header>
<main><article>
{article_html(text)}
</article>
<aside class="related"><h3>Read also</h3><ul><li><a href="/a/1">Markets rally as the central bank holds interest rates steady again</a></li><li><a href="/a/2">Ten restaurants that define the capital's new food scene this year</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3><div class="comment"><p>Reader4521: This is the worst analysis I have read all year and the author should resign.</p></div></section>
</main>
<footer><p>© 2026 {e['outlet']}. All rights reserved. Terms of use. Privacy policy.</p></footer>
</body></html>
"""


def soffice_convert(src: Path, target: str, outdir: Path) -> Path:
    """``soffice --headless --convert-to TARGET src`` into ``outdir``; the converted file's path."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"  # a private profile: parallel or leftover soffice processes do not collide
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target, "--outdir", str(outdir), str(src)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    out = outdir / f"{src.stem}.{target.split(':')[0]}"
    if not out.is_file():
        raise RuntimeError(f"soffice could not convert {src.name} to {target}: {run.stdout} {run.stderr}")
    return out


def fold_text(src: Path, out: Path, width: int = 72) -> Path:
    """``fold -s -w WIDTH src > out``: hard-wrapped at spaces, as mail clients and PDF copy-paste do."""
    with open(out, "wb") as fh:
        subprocess.run(["fold", "-s", "-w", str(width), str(src)], stdout=fh, check=True, timeout=60)
    return out
