"""Components built from a schema file named in their config (``"default"`` or a TOML path).

The same contract as ``argmine_actors``: the config names the schema, so the pipeline's config can
be saved; ``to_disk`` keeps the schema file beside the component, so ``spacy.load`` of a saved
pipeline works where the original path does not exist.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from ..errors import SchemaError
from ..schema import PACKAGED_SCHEMA, LabelSchema

log = logging.getLogger(__name__)

SCHEMA_FILE = "schema.toml"  # inside the component's folder of a saved pipeline


class SchemaBacked:
    """Mixin: ``_build(schema)`` runs when the schema is known (at once, or in ``from_disk``)."""

    name: str
    schema_ref: str
    schema: LabelSchema | None = None

    def _init_schema(self, name: str, schema_ref: str) -> None:
        self.name, self.schema_ref, self.schema = name, schema_ref, None
        if schema_ref == PACKAGED_SCHEMA or Path(schema_ref).is_file():
            self._load(LabelSchema.load(schema_ref))
        else:
            log.info("%s: schema %r not found yet; waiting for from_disk", name, schema_ref)

    def _load(self, schema: LabelSchema) -> None:
        self.schema = schema
        self._build(schema)

    def _build(self, schema: LabelSchema) -> None:  # pragma: no cover - each component defines it
        raise NotImplementedError

    def _require_schema(self) -> None:
        if self.schema is None:
            raise SchemaError(f"{self.name}: schema file {self.schema_ref!r} not found; pass config={{'schema': PATH}} "
                              "with an existing schema TOML, or 'default' for the packaged one")

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Keep the schema file the component was built from."""
        self._require_schema()
        assert self.schema is not None  # _require_schema raised otherwise
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SCHEMA_FILE).write_bytes(self.schema.source_bytes())

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> SchemaBacked:
        """Rebuild from the schema file saved by :meth:`to_disk`."""
        self._load(LabelSchema.load(Path(path) / SCHEMA_FILE))
        return self
