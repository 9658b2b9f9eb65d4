"""Inspecting a results folder: filtered claim tables, aggregates, an HTML report, network exports.

Everything here reads what ``argmine run`` wrote (``argmine.writers``) and never re-runs a model.
"""

from __future__ import annotations

from .filters import ClaimFilter, apply_filter, sort_claims
from .tables import ResultsView, load_view

__all__ = ["ClaimFilter", "ResultsView", "apply_filter", "load_view", "sort_claims"]
