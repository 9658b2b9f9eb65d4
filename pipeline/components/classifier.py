"""``argmine_classifier``: stance and scenario on the claim spans, from argmine's own classifiers.

It loads the classifier the runner uses (:func:`argmine.runner.load_classifier`: a trained model
folder, ``"zero-shot"``, ``"placeholder"``, or ``None`` for the default) and calls its ``predict`` once
per batch of docs, on all their claims. Each span of ``doc.spans["argmine_claims"]`` then has

- a label ``"STANCE / SCENARIO"`` (what the classifier predicted; the placeholder predicts nothing,
  so its spans keep the label ``"claim"``), which displaCy's span view shows::

      displacy.render(doc, style="span", options={"spans_key": "argmine_claims"})

- ``span._.argmine_stance``, ``span._.argmine_scenario`` (label or None),
  ``span._.argmine_stance_scores``, ``span._.argmine_scenario_scores`` (label → probability) and
  ``span._.argmine_model`` (the classifier's name): plain values, so Docs still serialise.

The component keeps no state of its own: ``spacy.load`` of a saved pipeline rebuilds it from the
config (so a model given by path must exist where the pipeline is loaded).

``nlp.pipe(texts, n_process=2)`` forks workers after the parent may have run the model; torch's
thread pool does not survive a fork (the worker hangs), so forked workers run torch single-threaded.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..model.precision import DEFAULT_PRECISION
from ..records import ClaimRecord
from ..schema import PACKAGED_SCHEMA, LabelSchema
from .claims import CLAIMS_KEY

log = logging.getLogger(__name__)

FIELDS = ("stance", "scenario", "stance_scores", "scenario_scores", "model")
LABEL_SEPARATOR = " / "

for _field in FIELDS:
    if not Span.has_extension(f"argmine_{_field}"):
        Span.set_extension(f"argmine_{_field}", default=None)


def _torch_single_thread_in_child() -> None:
    torch = sys.modules.get("torch")  # only when a model has loaded it; never import torch for this
    if torch is not None:
        torch.set_num_threads(1)


_FORK_HOOK: list[bool] = []  # registered once per process, by the first component


@Language.factory(
    "argmine_classifier",
    assigns=["doc.spans"] + [f"span._.argmine_{f}" for f in FIELDS],
    requires=["doc.spans", "span._.argmine_section"],
    default_config={"model": None, "schema": PACKAGED_SCHEMA, "batch_size": 64, "precision": DEFAULT_PRECISION},
)
def make_classifier(nlp: Language, name: str, model: Optional[str], schema: str, batch_size: int,
                    precision: str) -> ClaimClassifierComponent:
    """``precision`` as ``argmine run --precision``: the component labels what the CLI and ``Pipeline.load`` label."""
    from ..runner import load_classifier  # the runner's own resolution of --model (lazy: runner imports nlp)

    return ClaimClassifierComponent(load_classifier(model, LabelSchema.load(schema), precision), batch_size)


class ClaimClassifierComponent:
    """Puts a ClaimClassifier's labels and scores on the claim spans (``doc.spans["argmine_claims"]``)."""

    def __init__(self, classifier, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ValueError(f"argmine_classifier: batch_size must be at least 1, got {batch_size}")
        self.classifier = classifier
        self.batch_size = batch_size
        if not _FORK_HOOK and hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=_torch_single_thread_in_child)
            _FORK_HOOK.append(True)

    def __call__(self, doc: Doc) -> Doc:
        self.classify([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        """Classify the claims of ``self.batch_size`` docs per call (the config's size, not nlp.pipe's)."""
        for batch in minibatch(docs, size=self.batch_size):
            self.classify(batch)
            yield from batch

    def classify(self, docs: list[Doc]) -> None:
        """One ``predict`` call over all claims of ``docs``, in document order."""
        spans = [(k, span) for k, doc in enumerate(docs) for span in doc.spans.get(CLAIMS_KEY, [])]
        if not spans:
            return
        # doc_id keeps each doc's claims apart (the fine-tuned model reads the previous claim of a doc).
        records = [
            ClaimRecord(doc_id=f"doc{k}", claim_id=f"doc{k}:{i:04d}", start=s.start_char, end=s.end_char,
                        text=s.text, section=s._.argmine_section)
            for i, (k, s) in enumerate(spans)
        ]
        predicted = self.classifier.predict(records, [r.section for r in records])
        labelled: dict[int, list[Span]] = {k: [] for k in range(len(docs))}
        for (k, span), rec in zip(spans, predicted, strict=True):
            parts = [p for p in (rec.stance, rec.scenario) if p is not None]
            new = Span(span.doc, span.start, span.end, label=LABEL_SEPARATOR.join(parts) if parts else span.label_)
            for f in FIELDS:
                setattr(new._, f"argmine_{f}", getattr(rec, f))
            labelled[k].append(new)
        for k, doc in enumerate(docs):
            if CLAIMS_KEY in doc.spans:
                doc.spans[CLAIMS_KEY] = labelled[k]
