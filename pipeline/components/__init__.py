"""spaCy components of argmine, one per module; importing this registers the factories."""

from . import claims, structure  # noqa: F401
