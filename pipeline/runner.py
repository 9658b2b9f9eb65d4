"""The Pipeline: files in, document and claim records out (the Python face of `argmine run`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .classify import ClaimClassifier, PlaceholderClassifier
from .errors import ArgmineError, InputError, ModelError
from .formats.metadata import MetadataTable
from .model.precision import DEFAULT_PRECISION, PRECISIONS, resolve_precision, with_precision
from .nlp import DEFAULT_SPACY_MODEL, build_nlp
from .reader import DEFAULT_MAX_CHARS, SourceText, collect_inputs, read_source
from .records import ClaimRecord, DocumentRecord
from .schema import LabelSchema

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What a run produced, and what it could not use."""

    documents: list[DocumentRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    failures: list[InputError] = field(default_factory=list)


class Pipeline:
    """Segment, extract and classify claims.

    >>> pipe = Pipeline.load()                      # doctest: +SKIP
    >>> result = pipe.run([Path("corpus/texts")])   # doctest: +SKIP
    """

    def __init__(self, nlp, classifier: ClaimClassifier, schema: LabelSchema, max_chars: int = DEFAULT_MAX_CHARS,
                 metadata: MetadataTable | None = None) -> None:
        self.nlp = nlp
        self.classifier = classifier
        self.schema = schema
        self.max_chars = max_chars
        self.metadata = metadata  # a --metadata CSV: title, author, date, … per file name or doc_id

    @classmethod
    def load(
        cls,
        model: str | Path | None = None,
        schema: str | Path | LabelSchema | None = None,
        spacy_model: str = DEFAULT_SPACY_MODEL,
        max_chars: int = DEFAULT_MAX_CHARS,
        metadata: str | Path | MetadataTable | None = None,
        precision: str = DEFAULT_PRECISION,
    ) -> Pipeline:
        """Build the pipeline. ``model``: a trained model folder, "zero-shot", "placeholder" or None (default).

        ``schema`` None: the project file's (argmine.toml), else the model's own, else the packaged default.
        ``metadata``: a CSV of document metadata (see :mod:`argmine.formats.metadata`).
        ``precision``: the encoders' precision, as ``argmine run --precision`` (:mod:`argmine.model.precision`).
        """
        from .project import resolve_schema

        schema = resolve_schema(schema, model)
        nlp = build_nlp(spacy_model, schema)
        classifier = load_classifier(model, schema, precision)
        table = MetadataTable.load(metadata) if isinstance(metadata, (str, Path)) else metadata
        return cls(nlp, classifier, schema, max_chars=max_chars, metadata=table)

    def run(self, inputs: Iterable[str | Path], progress: Callable[[str], None] | None = None) -> RunResult:
        """Process files and folders; a bad input is recorded in ``failures`` and the rest go on."""
        files, failures = collect_inputs([Path(p) for p in inputs])
        result = RunResult(failures=list(failures))
        seen_ids: dict[str, Path] = {}
        for path in files:
            try:
                source = read_source(path, self.max_chars)
                if source.doc_id in seen_ids:
                    raise InputError(path, f"doc_id {source.doc_id!r} already used by {seen_ids[source.doc_id]}", "rename one of the files (doc_id is the file stem)")
                seen_ids[source.doc_id] = path
                doc_rec, claims = self._process_guarded(source)
            except InputError as e:
                log.info("%s", e)  # the CLI lists every failure at the end
                result.failures.append(e)
            else:
                result.documents.append(doc_rec)
                result.claims.extend(claims)
                result.texts[source.doc_id] = source.text
            if progress:
                progress(path.name)
        return result

    def _process_guarded(self, source: SourceText) -> tuple[DocumentRecord, list[ClaimRecord]]:
        """``process``, with an unexpected crash on one document turned into that document's failure.

        Errors about the whole run (a corrupt model, NaN scores) still stop it: they are ArgmineErrors.
        """
        try:
            return self.process(source)
        except ArgmineError:
            raise
        except Exception as e:
            log.debug("processing %s failed", source.path, exc_info=True)
            raise InputError(source.path, f"internal error while processing ({type(e).__name__}: {e})",
                             "rerun with -v for the traceback and report it; the other inputs were processed") from e

    def process(self, source: SourceText) -> tuple[DocumentRecord, list[ClaimRecord]]:
        """One document through spaCy and the classifier (the streaming engine does the same a chunk at a time)."""
        from .engine.stages import document_records

        doc_rec, claims = document_records(self.nlp(source.text), source, self.metadata, self.nlp)
        if claims:
            claims = self.classifier.predict(claims, [c.section for c in claims])
        return doc_rec, claims


def load_classifier(model: str | Path | None, schema: LabelSchema, precision: str = "fp32") -> ClaimClassifier:
    """Resolve ``--model``: a model folder or name (see :mod:`argmine.model.home`), "zero-shot" or "placeholder",
    its encoders at ``precision`` ("auto", "fp32", "bf16" or "int8").

    None means the built default model; when there is none this is an error naming `argmine model build`
    (never a silent placeholder). The placeholder only runs when asked for by name.
    """
    if precision not in PRECISIONS:
        raise ModelError(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}; pass --precision auto "
                         "(the default), fp32, bf16 or int8")
    if model == "placeholder":
        return PlaceholderClassifier(schema)
    if model == "zero-shot":
        from .model.zeroshot import ZeroShotClassifier

        return with_precision(ZeroShotClassifier(schema), resolve_precision(precision))
    from .model.home import default_model, resolve_model
    from .model.io import load_model

    folder = default_model() if model is None else resolve_model(model)
    return with_precision(load_model(folder, schema), resolve_precision(precision))
