"""One colour palette for every view of the labels: the report, Label Studio's config and displaCy.

The colours come from the schema: a stance's colour from its polarity (``stance_colours``), a
scenario's from its place in the schema with the schema's "none of these" scenario grey
(``scenario_colours``), so another schema's labels get colours without code changes and every
tool shows a label alike.
"""

from __future__ import annotations

from typing import Sequence

from ..schema import LabelSchema

# A stance's colour follows its polarity in the schema: green for the topic, red against, grey neither;
# a second label of the same polarity gets the next shade.
POLARITY_COLOURS = {1: ["#2e9e5b", "#7fbf7b", "#1b7837"], -1: ["#d6453d", "#f4a582", "#b2182b"], 0: ["#9aa0a6", "#c2a5cf", "#6f6f6f"]}
# Colour-blind-safe (Okabe–Ito) for scenarios in schema order; the schema's "none of these" is grey.
SCENARIO_PALETTE = ["#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#009E73", "#F0E442", "#000000"]
NONE_COLOUR = "#b9bec4"


def scenario_colours(labels: Sequence[str], none_label: str | None = None) -> dict[str, str]:
    """Scenario label → colour in schema order; the schema's "none of these" scenario is grey."""
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


def palette(schema: LabelSchema) -> dict[str, dict[str, str]]:
    """``{"stance": {label: "#rrggbb"}, "scenario": {label: "#rrggbb"}}`` in schema order."""
    return {"stance": stance_colours(schema.polarity),
            "scenario": scenario_colours(schema.scenario_labels, schema.none_scenario)}


def displacy_options(schema: LabelSchema) -> dict:
    """Options for ``spacy.displacy.render(..., style="span", options=...)`` with the report's colours.

    Spans labelled with a stance (or a scenario) are drawn in that label's colour; upper-cased keys too,
    because displaCy upper-cases entity labels in some styles.
    """
    colours = {}
    for group in palette(schema).values():
        for label, colour in group.items():
            colours[label] = colour
            colours[label.upper()] = colour
    return {"colors": colours}
