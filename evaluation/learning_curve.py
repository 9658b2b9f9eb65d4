"""Learning curve: macro-F1 of the fine-tuned model against the number of training documents.

Run by ``argmine train --learning-curve`` (or ``argmine evaluate learning-curve``). It drives the
trainer's public functions (``argmine.model.experiment.fit`` and ``TransformerClassifier``): the train
split's documents are put in a seeded order, the model is trained on the first n of them (n = sizes),
early-stopped on the dev split, and scored on the gold claims of the test split — the same test documents at every size.
"""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path
from typing import Optional, Sequence

from argmine.errors import ModelError

from .report import Report, curve_figure, write_json

log = logging.getLogger(__name__)


def default_sizes(n_train: int) -> list[int]:
    """1, 2, 4, … documents, and all of them."""
    return sorted({2 ** k for k in range(0, 12) if 2 ** k < n_train} | {n_train})


def learning_curve(annotations: str | Path, config, schema, sizes: Optional[Sequence[int]] = None,
                   progress=None, command: str = "") -> dict:
    """Train at every size and score on the test split; returns the points and the split used."""
    from argmine.model.baselines import fit_tfidf_lr
    from argmine.model.classifier import TransformerClassifier
    from argmine.model.data import split_documents
    from argmine.model.experiment import fit, load_corpus, test_groups
    from argmine.model.metrics import evaluate_classifier

    corpus = load_corpus(annotations, schema)
    split = split_documents(corpus.doc_ids, config)
    if not split.train or not split.test:
        raise ModelError("a learning curve needs train and test documents; check the split column of corpus/manifest.csv")
    order = sorted(split.train)
    random.Random(config.seed).shuffle(order)
    sizes = sorted({min(int(s), len(order)) for s in sizes} if sizes else default_sizes(len(order)))
    test = corpus.of(split.test)
    dev = corpus.of(split.dev)
    points = []
    for n in sizes:
        docs = order[:n]
        train = corpus.of(docs)
        t0 = time.perf_counter()
        try:
            trained = fit(train, dev, schema, config, progress)
        except ModelError as e:  # e.g. one class only in a tiny subset: record and go on
            log.warning("learning curve at %d documents: %s", n, e)
            points.append({"train_documents": n, "train_claims": len(train), "skipped": str(e)})
            continue
        clf, lr_clf = TransformerClassifier(trained, schema, config.name), fit_tfidf_lr(train, schema, seed=config.seed)
        model, lr = evaluate_classifier(clf, test, schema), evaluate_classifier(lr_clf, test, schema)
        # Real-text and written-corpus test documents apart (test_groups), beside the whole test split.
        by_group = {g: {"model": evaluate_classifier(clf, corpus.of(d), schema), "tfidf_lr": evaluate_classifier(lr_clf, corpus.of(d), schema)}
                    for g, d in test_groups(split.test, config).items() if g != "test"}
        points.append({
            "groups": {g: {f"{k}_{t}_macro_f1": v[k][t]["macro_f1"] for k in v for t in ("stance", "scenario")} for g, v in by_group.items()},
            "train_documents": n, "train_claims": len(train), "documents": docs,
            "stance_macro_f1": model["stance"]["macro_f1"], "scenario_macro_f1": model["scenario"]["macro_f1"],
            "stance_accuracy": model["stance"]["accuracy"], "scenario_accuracy": model["scenario"]["accuracy"],
            "tfidf_lr_stance_macro_f1": lr["stance"]["macro_f1"], "tfidf_lr_scenario_macro_f1": lr["scenario"]["macro_f1"],
            "best_epoch": trained.best_epoch, "seconds": round(time.perf_counter() - t0, 1),
        })
        log.info("learning curve: %s", points[-1])
    return {"points": [p for p in points if "skipped" not in p], "skipped": [p for p in points if "skipped" in p],
            "split": {"train": split.train, "dev": split.dev, "test": split.test, "source": split.source},
            "eval_documents": len(split.test), "eval_claims": len(test), "settings": config.model_dump(),
            "command": command}


def write(result: dict, out: str | Path) -> None:
    """learning_curve.json, report.md and report.html into ``out``."""
    out = Path(out)
    write_json(out / "learning_curve.json", result)
    r = Report("Learning curve")
    r.p(f"Trained on growing subsets of the {len(result['split']['train'])} train documents, early-stopped on "
        f"{len(result['split']['dev'])} dev documents, scored on the {result['eval_claims']} gold claims of "
        f"{result['eval_documents']} test documents.")
    pts = result["points"]
    r.table(["train docs", "train claims", "stance macro-F1", "scenario macro-F1", "TF-IDF+LR stance", "TF-IDF+LR scenario", "s"],
            [[p["train_documents"], p["train_claims"], p["stance_macro_f1"], p["scenario_macro_f1"],
              p["tfidf_lr_stance_macro_f1"], p["tfidf_lr_scenario_macro_f1"], f"{p['seconds']:.0f}"] for p in pts])
    if pts:
        r.figure("learning_curve", curve_figure({
            "model stance": [(p["train_documents"], p["stance_macro_f1"]) for p in pts],
            "model scenario": [(p["train_documents"], p["scenario_macro_f1"]) for p in pts],
            "TF-IDF+LR stance": [(p["train_documents"], p["tfidf_lr_stance_macro_f1"]) for p in pts],
            "TF-IDF+LR scenario": [(p["train_documents"], p["tfidf_lr_scenario_macro_f1"]) for p in pts],
        }, "macro-F1 against training documents", "training documents"))
    for s in result["skipped"]:
        r.p(f"Skipped {s['train_documents']} documents: {s['skipped']}")
    r.render(out)
