"""Gold annotations: loading, validation, agreement and interchange with annotation tools."""

from .loader import GoldDocument, load_gold, load_manifest  # noqa: F401
