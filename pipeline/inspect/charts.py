"""The report's charts, drawn with matplotlib and embedded as base64 PNG data URIs (no network)."""

from __future__ import annotations

import base64
import io
from typing import Sequence

import pandas as pd

# A stance's colour follows its polarity in the schema: green for the topic, red against, grey neither;
# a second label of the same polarity gets the next shade.
POLARITY_COLOURS = {1: ["#2e9e5b", "#7fbf7b", "#1b7837"], -1: ["#d6453d", "#f4a582", "#b2182b"], 0: ["#9aa0a6", "#c2a5cf", "#6f6f6f"]}
# Colour-blind-safe (Okabe–Ito) for scenarios in schema order; the schema's "none of these" is grey.
SCENARIO_PALETTE = ["#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#009E73", "#F0E442", "#000000"]
NONE_COLOUR = "#b9bec4"


def scenario_colours(labels: Sequence[str], none_label: str | None = None) -> dict[str, str]:
    colours, i = {}, 0
    for label in labels:
        if label == none_label:
            colours[label] = NONE_COLOUR
        else:
            colours[label] = SCENARIO_PALETTE[i % len(SCENARIO_PALETTE)]
            i += 1
    return colours


def stance_colours(polarity: dict[str, int]) -> dict[str, str]:
    """Stance label → colour, from the schema's polarity of each label (in schema order)."""
    used: dict[int, int] = {}
    out = {}
    for label, sign in polarity.items():
        shades = POLARITY_COLOURS[sign]
        out[label] = shades[used.get(sign, 0) % len(shades)]
        used[sign] = used.get(sign, 0) + 1
    return out


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg", force=False)  # no display; safe to call repeatedly
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return plt, fig, ax


def _encode(plt, fig) -> str:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def profile_chart(profile: pd.DataFrame, labels: Sequence[str], colours: dict[str, str]) -> str | None:
    """Horizontal stacked bars: one bar per document, segments = scenario shares."""
    shares = profile[[c for c in labels if c in profile.columns]]
    shares = shares[shares.sum(axis=1) > 0]
    if shares.empty:
        return None
    plt, fig, ax = _figure(8.5, 1.2 + 0.32 * len(shares))
    left = pd.Series(0.0, index=shares.index)
    ypos = range(len(shares))
    for label in shares.columns:
        ax.barh(list(ypos), shares[label], left=left, color=colours.get(label, "#888"), label=label, height=0.7)
        left += shares[label]
    ax.set_yticks(list(ypos), [str(i) for i in shares.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of claims (weighted by scenario score)")
    ax.legend(ncol=min(5, len(shares.columns)), fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _encode(plt, fig)


def heatmap_chart(table: pd.DataFrame, max_rows: int = 25) -> str | None:
    """Actor × scenario counts as a heat map with the count written in each cell."""
    if table.empty:
        return None
    data = table.drop(index="total", errors="ignore").drop(columns="total", errors="ignore").head(max_rows)
    if data.empty or data.to_numpy().sum() == 0:
        return None
    plt, fig, ax = _figure(1.8 + 1.1 * data.shape[1], 1.2 + 0.32 * data.shape[0])
    im = ax.imshow(data.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(data.shape[1]), [str(c) for c in data.columns], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(data.shape[0]), [str(i) for i in data.index], fontsize=8)
    peak = data.to_numpy().max()
    for (i, j), value in pd.DataFrame(data.to_numpy()).stack().items():
        ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=7,
                color="white" if value > peak * 0.6 else "#222")
    fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02, label="claims")
    return _encode(plt, fig)


def stance_chart(per_doc: pd.DataFrame, labels: Sequence[str], colours: dict[str, str]) -> str | None:
    """Stance distribution: 100% bars per document, topped by an "all documents" bar; counts in labels."""
    if per_doc.empty or per_doc.to_numpy().sum() == 0:
        return None
    data = per_doc[[c for c in labels if c in per_doc.columns]]
    data = data[data.sum(axis=1) > 0]
    data = pd.concat([pd.DataFrame([data.sum()], index=["all documents"]), data])
    totals = data.sum(axis=1)
    shares = data.div(totals, axis=0)
    plt, fig, ax = _figure(8.5, 1.2 + 0.3 * len(data))
    left = pd.Series(0.0, index=data.index)
    ypos = list(range(len(data)))
    for label in data.columns:
        ax.barh(ypos, shares[label], left=left, color=colours.get(label, "#888"), label=label, height=0.7)
        for y, (share, count, x0) in enumerate(zip(shares[label], data[label], left)):
            if share >= 0.06:
                ax.text(x0 + share / 2, y, str(int(count)), ha="center", va="center", fontsize=7, color="white")
        left += shares[label]
    ax.set_yticks(ypos, [f"{i} ({int(n)})" for i, n in zip(data.index, totals)], fontsize=8)
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of labelled claims (numbers in bars: claim counts)")
    ax.legend(ncol=len(data.columns), fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _encode(plt, fig)
