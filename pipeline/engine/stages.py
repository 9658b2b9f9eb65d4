"""The per-chunk stages both engines run: read → extract (spaCy) → classify (across documents).

A *chunk* is a run of consecutive input files (a file that cannot be read still takes its place). Claims are classified per chunk, in one length-sorted
call over all its documents, so the chunk — not the document — is the unit of batching. Chunks are cut by
file count from the start of what is left to do; that keeps results the same whether a run went through
at once, was resumed, ran in worker processes or on Ray.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar, Union

from ..components.claims import CLAIMS_KEY
from ..errors import ArgmineError, InputError
from ..reader import DEFAULT_MAX_CHARS, SourceText, read_source
from ..records import ClaimRecord, DocumentRecord
from ..stream_writer import Chunk

log = logging.getLogger(__name__)
T = TypeVar("T")
Extracted = tuple[SourceText, DocumentRecord, list[ClaimRecord]]
Item = Union[SourceText, InputError]


class StageTimer:
    """Seconds spent per stage, summed over chunks and workers: ``NAME`` elapsed, ``NAME_cpu`` the CPU seconds of
    the process doing it (all its threads). On a shared machine the CPU seconds are the comparable figure."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - t0
            self.seconds[f"{name}_cpu"] += time.process_time() - c0

    def add(self, other: dict[str, float]) -> None:
        for k, v in other.items():
            self.seconds[k] += v


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def read_items(paths: Iterable[Path], max_chars: int = DEFAULT_MAX_CHARS, done: dict[str, str] | None = None,
               done_paths: Iterable[str] = ()) -> Iterator[Item]:
    """Read files lazily: a SourceText, or the InputError of a bad file. Passed over (finished by the run being
    resumed): documents in ``done`` (doc_id → SHA-256 of the text) and failed files in ``done_paths``."""
    done, skip_paths = done or {}, set(done_paths)
    seen: dict[str, str] = {}
    for path in paths:
        if str(path) in skip_paths:
            continue
        try:
            source = read_source(path, max_chars)
            if done.get(source.doc_id) == source.sha256:
                continue
            if source.doc_id in done:
                raise InputError(path, "text changed since the interrupted run (its SHA-256 differs)", "rerun without --resume to redo everything")
            if source.doc_id in seen:
                raise InputError(path, f"doc_id {source.doc_id!r} already used by {seen[source.doc_id]}", "rename one of the files (doc_id is the file stem)")
            seen[source.doc_id] = str(path)
        except InputError as e:
            log.info("%s", e)  # the CLI lists every failure at the end
            yield e
            continue
        yield source


def extract(nlp, sources: list[SourceText], batch_size: int = 8, n_process: int = 1,
            metadata=None) -> tuple[list[Extracted], list[tuple[str, str, str]]]:
    """spaCy over the chunk through ``nlp.pipe``; document and (unclassified) claim records, and the failures.

    An unexpected crash inside spaCy sends the chunk through again one document at a time, so only the
    document that crashes becomes a failure — (path, problem, fix), picklable — and the others go on.
    """
    try:
        docs = nlp.pipe([s.text for s in sources], batch_size=batch_size, n_process=n_process)
        return [(s, *document_records(doc, s, metadata, nlp)) for s, doc in zip(sources, docs, strict=True)], []
    except ArgmineError:
        raise
    except Exception:
        log.debug("a chunk failed in spaCy; retrying its documents one by one", exc_info=True)
    extracted, failed = [], []
    for s in sources:
        try:
            extracted.append((s, *document_records(nlp(s.text), s, metadata, nlp)))
        except ArgmineError:
            raise
        except Exception as e:
            failed.append((str(s.path), f"internal error while processing ({type(e).__name__}: {e})",
                           "rerun with -v for the traceback and report it; the other inputs were processed"))
    return extracted, failed


def document_records(doc, source: SourceText, metadata=None, nlp=None) -> tuple[DocumentRecord, list[ClaimRecord]]:
    """The records of one parsed document; claims not yet classified. ``metadata``: a MetadataTable or None;
    ``nlp``: the pipeline, whose issuer component may read the document's outlet."""
    from ..components.issuer import outlet_issuer
    from ..formats.metadata import claim_fields, document_fields
    from ..reader import language_warning

    front = doc._.argmine_front
    warnings = list(source.warnings)
    fields = document_fields(source.path, source.doc_id, front, source.meta, metadata, warnings)
    if nlp is not None:
        outlet_issuer(nlp, doc, fields.get("outlet"))  # before the claims read their actors
    claims = [
        ClaimRecord(doc_id=source.doc_id, claim_id=f"{source.doc_id}:{i:04d}", start=span.start_char, end=span.end_char,
                    text=span.text, section=span._.argmine_section, paragraph=span._.argmine_paragraph,
                    list_item=bool(span._.argmine_list_item), claim_score=span._.argmine_claim_score,
                    **claim_fields(fields), **_claim_extras(span))
        for i, span in enumerate(doc.spans[CLAIMS_KEY])
    ]
    # The Doc holds plain dicts (serialisable); the records validate them into Segment/Reference/Mention.
    segments = front["segments"]
    references = doc._.argmine_references or []
    doc_rec = DocumentRecord(
        doc_id=source.doc_id, path=str(source.path), format=source.format, sha256=source.sha256, n_chars=len(source.text),
        byline=front["byline"], **fields, issuer=(doc._.argmine_issuer or {}).get("actor"),
        language_warning=language_warning(source.text), n_segments=len(segments), n_sentences=sum(1 for _ in doc.sents),
        n_claims=len(claims), n_references=len(references), segments=segments, references=references, warnings=warnings,
    )
    return doc_rec, claims


def _claim_extras(span) -> dict:
    """Fields that later components (actors, voice, modality, citations) put on the span."""
    extras = {}
    for name in ("actors", "mentions", "speaker", "claim_type", "hedged", "citations"):
        ext = f"argmine_{name}"
        if span.has_extension(ext):
            value = getattr(span._, ext)
            if value is not None:
                extras[name] = value
    return extras


def classify(classifier, extracted: list[Extracted]) -> Chunk:
    """All claims of the chunk in one ``predict`` call (length-sorted batches across documents)."""
    claims = [c for _, _, cs in extracted for c in cs]
    labelled = classifier.predict(claims, [c.section for c in claims]) if claims else []
    return Chunk(documents=[d for _, d, _ in extracted], claims=labelled, texts={d.doc_id: s.text for s, d, _ in extracted})


def process_chunk(pipe, sources: list[SourceText], batch_size: int = 8, n_process: int = 1) -> tuple[Chunk, dict[str, float]]:
    """Extract and classify one chunk with a loaded Pipeline; also the seconds each stage took."""
    timer = StageTimer()
    with timer.stage("spacy"):
        extracted, failed = extract(pipe.nlp, sources, batch_size, n_process, getattr(pipe, "metadata", None))
    with timer.stage("classify"):
        chunk = classify(pipe.classifier, extracted)
    chunk.failed = failed
    return chunk, dict(timer.seconds)
