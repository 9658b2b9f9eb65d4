"""What a worker needs to build the pipeline itself: a small picklable description, not the loaded models."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..model.precision import DEFAULT_PRECISION
from ..nlp import DEFAULT_SPACY_MODEL
from ..reader import DEFAULT_MAX_CHARS

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class PipelineSpec:
    """The options of ``Pipeline.load`` plus the inference precision; ``load`` builds it (once per process)."""

    model: str | None = None
    schema: str | None = None
    spacy_model: str = DEFAULT_SPACY_MODEL
    max_chars: int = DEFAULT_MAX_CHARS
    precision: str = DEFAULT_PRECISION
    metadata: str | None = None  # a --metadata CSV (a path, so the spec stays picklable for workers and Ray)
    metadata_strict: bool = True

    def load_metadata(self):
        """The metadata table, or None."""
        if not self.metadata:
            return None
        from ..formats.metadata import MetadataTable

        return MetadataTable.load(self.metadata, strict=self.metadata_strict)

    def load_schema(self):
        """``schema``, else the project file's, else the model's own, else the packaged one (as ``Pipeline.load``)."""
        from ..project import resolve_schema

        return resolve_schema(Path(self.schema) if self.schema else None, self.model)

    def load_nlp(self, schema=None):
        """The spaCy pipeline with argmine's components (the extract stage's half)."""
        from ..nlp import build_nlp

        return build_nlp(self.spacy_model, schema or self.load_schema())

    def load_classifier(self, schema=None):
        """The claim classifier (the classify stage's half), its encoders at ``precision`` (model/precision.py)."""
        from ..runner import load_classifier

        return load_classifier(self.model, schema or self.load_schema(), self.precision)

    def load(self):
        """A ready :class:`argmine.Pipeline` (both halves)."""
        from ..runner import Pipeline

        schema = self.load_schema()
        return Pipeline(self.load_nlp(schema), self.load_classifier(schema), schema, max_chars=self.max_chars,
                        metadata=self.load_metadata())
