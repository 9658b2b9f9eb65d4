"""One colour palette for every view of the labels: the report, Label Studio's config and displaCy.

The colours come from the schema: a stance's colour from its polarity (``charts.stance_colours``), a
scenario's from its place in the schema with the schema's "none of these" scenario grey
(``charts.scenario_colours``), so another schema's labels get colours without code changes and every
tool shows a label alike.
"""

from __future__ import annotations

from ..schema import LabelSchema
from .charts import scenario_colours, stance_colours


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
