"""From gold annotations to training examples: claims with context, labels checked against the schema, splits."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..errors import AnnotationError, ModelError
from ..records import ClaimRecord
from ..schema import LabelSchema
from ..segment import segment_text
from .config import TrainConfig

log = logging.getLogger(__name__)


@dataclass
class Example:
    """One model input: topic + claim (+ context), with optional labels (None: not trained on that task)."""

    topic: str
    text: str
    group: str = ""  # document id: splits and CV folds never cut a document
    section: Optional[str] = None
    previous: Optional[str] = None
    stance: Optional[str] = None
    scenario: Optional[str] = None


def with_sections(claims: list[ClaimRecord], text: str) -> list[ClaimRecord]:
    """Fill ``section`` of gold claims from the document's structure (gold files store offsets only)."""
    segments, _, _ = segment_text(text)
    out = []
    for claim in claims:
        seg = next((s for s in segments if s.start <= claim.start < max(s.end, s.start + 1)), None)
        out.append(claim.model_copy(update={"section": seg.section if seg else None,
                                            "paragraph": seg.paragraph if seg else None,
                                            "list_item": bool(seg and seg.list_item)}))
    return out


def gold_claims(docs) -> list[ClaimRecord]:
    """All gold ClaimRecords of loaded GoldDocuments, in document order, with their sections."""
    out: list[ClaimRecord] = []
    for doc in docs:
        out.extend(with_sections(doc.claims, doc.text))
    return out


def previous_texts(claims: Sequence[ClaimRecord]) -> list[Optional[str]]:
    """The previous claim of the same document (the claims come in document order)."""
    prev: list[Optional[str]] = []
    last: dict[str, str] = {}
    for c in claims:
        prev.append(last.get(c.doc_id))
        last[c.doc_id] = c.text
    return prev


def examples_from_claims(claims: Sequence[ClaimRecord], schema: LabelSchema, labelled: bool = True) -> list[Example]:
    """ClaimRecords → Examples; with ``labelled``, labels must be in the schema (else a clear error)."""
    if labelled:
        check_labels(claims, schema)
    prev = previous_texts(claims)
    return [
        Example(topic=schema.topic, text=c.text, group=c.doc_id, section=c.section, previous=p,
                stance=c.stance if labelled else None, scenario=c.scenario if labelled else None)
        for c, p in zip(claims, prev)
    ]


def examples_from_rows(rows: Iterable[tuple[str, str, str]], group_by_topic: bool = True) -> list[Example]:
    """Arbitrary (topic, text, stance label) rows, e.g. the IBM Claim Stance benchmark."""
    return [Example(topic=t, text=x, group=t if group_by_topic else "", stance=y) for t, x, y in rows]


def check_labels(claims: Sequence[ClaimRecord], schema: LabelSchema) -> None:
    """Every gold label must be one the schema defines; say which claim and how to fix it."""
    for field, allowed in (("stance", schema.stance_labels), ("scenario", schema.scenario_labels)):
        for c in claims:
            value = getattr(c, field)
            if value is not None and value not in allowed:
                raise AnnotationError(
                    f"{c.doc_id} claim {c.start}-{c.end}: {field} {value!r} is not a label of schema "
                    f"{schema.name!r} ({', '.join(allowed)}); fix the annotation or add the label to the schema"
                )


def check_trainable(examples: Sequence[Example], task: str) -> list[str]:
    """The distinct labels of ``task`` in the train split; fewer than two classes cannot be trained."""
    present = sorted({getattr(e, task) for e in examples if getattr(e, task) is not None})
    if len(present) == 1:
        raise ModelError(f"the training split has only one {task} class ({present[0]!r}); annotate at least two classes or drop the task")
    return present


@dataclass
class Split:
    train: list[str]
    dev: list[str]
    test: list[str]
    source: str  # "manifest" or "seeded"


def split_documents(doc_ids: Sequence[str], config: TrainConfig, manifest_path: str | Path | None = None) -> Split:
    """Document-level train/dev/test: the manifest's split column when present, else a seeded split.

    Documents missing from the manifest go to train; ``config.test_docs`` are always test.
    """
    ids = list(dict.fromkeys(doc_ids))
    path = Path(manifest_path or config.manifest or "")
    splits: dict[str, str] = {}
    source = "seeded"
    if config.manifest and path.is_file():
        from ..annotations.loader import load_manifest

        splits = {k: (v.split or "train").strip().lower() for k, v in load_manifest(path).items()}
        source = "manifest"
        for value in set(splits.values()) - {"train", "dev", "test"}:
            raise AnnotationError(f"{path}: split {value!r} is not train/dev/test; fix the split column")
    test = [d for d in ids if d in config.test_docs or splits.get(d) == "test"]
    dev = [d for d in ids if d not in test and splits.get(d) == "dev"]
    train = [d for d in ids if d not in test and d not in dev]
    if source == "seeded" or not dev:
        train, dev = seeded_dev(train, config.dev_fraction, config.seed)
    return Split(train=train, dev=dev, test=test, source=source)


def seeded_dev(doc_ids: Sequence[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """Move a seeded ``fraction`` of documents (at least one when there are three or more) to dev."""
    ids = sorted(doc_ids)
    n_dev = round(len(ids) * fraction)
    if fraction > 0 and n_dev == 0 and len(ids) >= 3:
        n_dev = 1
    rng = random.Random(seed)
    dev = set(rng.sample(ids, n_dev)) if n_dev else set()
    return [d for d in doc_ids if d not in dev], [d for d in doc_ids if d in dev]


def pair_text(example: Example, config: TrainConfig) -> tuple[str, str]:
    """The sentence pair the encoder reads: ([topic] [| section], claim [|| previous claim]).

    The claim comes before the previous claim so that truncation cuts the context, not the claim.
    """
    parts = [example.topic] if config.context_topic else []
    if config.context_section and example.section:
        parts.append(example.section)
    first = " | ".join(parts)
    second = example.text
    if config.context_previous and example.previous:
        second = f"{second} || {example.previous}"
    return first, second


def scenario_descriptions(schema: LabelSchema) -> list[str]:
    """The text each scenario label is matched against: its definition, plus its cues when given."""
    return [f"{s.definition}; {s.cues}" if s.cues else s.definition for s in schema.scenarios]


def stance_descriptions(schema: LabelSchema) -> list[str]:
    """Stance definitions with the schema's topic written in (used by the zero-shot stance scorer)."""
    return [s.definition.replace("the topic", schema.topic) for s in schema.stance]
