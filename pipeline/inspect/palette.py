"""One colour palette for every view of the labels: the report, Label Studio's config and displaCy.

The colours come from the schema's label lists (``charts.stance_colours`` / ``charts.scenario_colours``),
so another schema's labels get colours without code changes and every tool shows a label alike.
"""

from __future__ import annotations

from typing import Sequence

from .charts import scenario_colours, stance_colours


def palette(stance_labels: Sequence[str], scenario_labels: Sequence[str]) -> dict[str, dict[str, str]]:
    """``{"stance": {label: "#rrggbb"}, "scenario": {label: "#rrggbb"}}`` in schema order."""
    return {"stance": stance_colours(list(stance_labels)), "scenario": scenario_colours(list(scenario_labels))}


def displacy_options(stance_labels: Sequence[str], scenario_labels: Sequence[str]) -> dict:
    """Options for ``spacy.displacy.render(..., style="span", options=...)`` with the report's colours.

    Spans labelled with a stance (or a scenario) are drawn in that label's colour; upper-cased keys too,
    because displaCy upper-cases entity labels in some styles.
    """
    colours = {}
    for group in palette(stance_labels, scenario_labels).values():
        for label, colour in group.items():
            colours[label] = colour
            colours[label.upper()] = colour
    return {"colors": colours}
