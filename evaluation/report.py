"""Reports: one list of blocks rendered to Markdown and to a self-contained HTML page, plus plots.

A report is built as a list of blocks (headings, paragraphs, tables, figures); the same blocks
render to ``report.md`` (figures as PNG files beside it) and ``report.html`` (figures embedded as
base64, so the page is one file a person can open anywhere). Every file is written atomically.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from argmine.markdown import fmt, markdown_table

import matplotlib

from argmine.writers import atomic_write

matplotlib.use("Agg")  # no display on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402


def _json_default(o: Any):
    if hasattr(o, "tolist"):
        return o.tolist()
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"cannot serialise {type(o).__name__}")


def _clean(o: Any) -> Any:
    """NaN/inf become null: metrics.json must be valid JSON for any reader."""
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items() if not str(k).startswith("_")}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


def write_json(path: Path, data: dict) -> None:
    atomic_write(path, json.dumps(_clean(data), indent=2, ensure_ascii=False, default=_json_default) + "\n")


@dataclass
class Report:
    """Blocks of a report; ``render`` writes report.md, report.html and figures/ into a folder."""

    title: str
    blocks: list[tuple] = field(default_factory=list)

    def h(self, text: str, level: int = 2) -> None:
        self.blocks.append(("h", level, text))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.blocks.append(("table", list(header), [[fmt(x) for x in r] for r in rows]))

    def pre(self, text: str) -> None:
        self.blocks.append(("pre", text))

    def figure(self, name: str, fig, caption: str = "") -> None:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        self.blocks.append(("fig", name, buf.getvalue(), caption))

    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        for b in self.blocks:
            if b[0] == "h":
                out += ["#" * b[1] + " " + b[2], ""]
            elif b[0] == "p":
                out += [b[1], ""]
            elif b[0] == "pre":
                out += ["```", b[1], "```", ""]
            elif b[0] == "table":
                out += [markdown_table(b[1], b[2]), ""]
            elif b[0] == "fig":
                out += [f"![{b[3] or b[1]}](figures/{b[1]}.png)", ""]
                if b[3]:
                    out += [f"*{b[3]}*", ""]
        return "\n".join(out)

    def html(self) -> str:
        esc = html.escape
        body = [f"<h1>{esc(self.title)}</h1>"]
        for b in self.blocks:
            if b[0] == "h":
                body.append(f"<h{b[1]}>{esc(b[2])}</h{b[1]}>")
            elif b[0] == "p":
                body.append(f"<p>{_inline(b[1])}</p>")
            elif b[0] == "pre":
                body.append(f"<pre>{esc(b[1])}</pre>")
            elif b[0] == "table":
                head = "".join(f"<th>{esc(c)}</th>" for c in b[1])
                rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in b[2])
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            elif b[0] == "fig":
                data = base64.b64encode(b[2]).decode("ascii")
                cap = f"<figcaption>{esc(b[3])}</figcaption>" if b[3] else ""
                body.append(f'<figure><img alt="{esc(b[1])}" src="data:image/png;base64,{data}">{cap}</figure>')
        return _PAGE.format(title=esc(self.title), body="\n".join(body))

    def render(self, out: Path) -> None:
        out = Path(out)
        for b in self.blocks:
            if b[0] == "fig":
                atomic_write(out / "figures" / f"{b[1]}.png", b[2])
        atomic_write(out / "report.md", self.markdown())
        atomic_write(out / "report.html", self.html())


def _inline(text: str) -> str:
    """Escape, then honour **bold** and `code` as written in the Markdown paragraphs."""
    import re

    t = html.escape(text)
    t = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", t)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", t)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }}
th {{ background: #f2f2f2; }}
figure {{ margin: 1em 0; }} img {{ max-width: 100%; }}
figcaption {{ color: #555; font-size: 0.9em; }}
pre {{ background: #f7f7f7; padding: 0.6em; overflow-x: auto; }}
code {{ background: #f2f2f2; padding: 0 0.2em; }}
</style></head><body>
{body}
</body></html>
"""


# --- plots ---------------------------------------------------------------------------------


def confusion_figure(metrics: dict, title: str):
    """A confusion matrix heat map (rows gold, columns predicted) with counts in the cells."""
    labels = metrics["confusion"]["labels"]
    cm = metrics["confusion"]["matrix"]
    fig, ax = plt.subplots(figsize=(1.2 + 0.75 * len(labels), 1.0 + 0.6 * len(labels)))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    top = max((max(r) for r in cm if r), default=0)
    for i, row in enumerate(cm):
        for j, n in enumerate(row):
            ax.text(j, i, str(n), ha="center", va="center", color="white" if top and n > top / 2 else "black", fontsize=9)
    return fig


def reliability_figure(curves: dict[str, dict], title: str = "Reliability diagram"):
    """Accuracy against confidence per bin, one line per task, with the diagonal of perfect calibration."""
    fig, ax = plt.subplots(figsize=(4.6, 4.2))
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfectly calibrated")
    for name, rel in curves.items():
        pts = [(b["confidence"], b["accuracy"], b["count"]) for b in rel["bins"] if b["count"]]
        if not pts:
            continue
        x, y, n = zip(*pts)
        ax.plot(x, y, marker="o", label=f"{name} (ECE {fmt(rel['ece'])}, n={rel['n']})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (probability of the predicted label)")
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left")
    return fig


def bars_figure(systems: dict[str, dict[str, Optional[float]]], title: str, ylabel: str = "macro-F1"):
    """Grouped bars: one group per metric, one bar per system (floor to ceiling at a glance)."""
    import numpy as np

    metrics = sorted({m for v in systems.values() for m in v})
    names = list(systems)
    width = 0.8 / max(1, len(names))
    fig, ax = plt.subplots(figsize=(max(5, 1.6 * len(metrics) + 2), 3.6))
    x = np.arange(len(metrics))
    for k, name in enumerate(names):
        vals = [systems[name].get(m) for m in metrics]
        ax.bar(x + k * width - 0.4 + width / 2, [v if v is not None else 0 for v in vals], width, label=name)
    ax.set_xticks(x, metrics)
    ax.set_ylim(0, 1)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    # Below the axes: a legend inside would hide the bars it explains.
    ax.legend(fontsize=8, ncol=min(3, len(names)), loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    return fig


def curve_figure(curves: dict[str, list[tuple[float, float]]], title: str, xlabel: str, ylabel: str = "macro-F1"):
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for name, pts in curves.items():
        if pts:
            x, y = zip(*pts)
            ax.plot(x, y, marker="o", label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig
