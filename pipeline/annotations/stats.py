"""Corpus and label statistics, as Markdown tables (the README's tables come from here)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..markdown import markdown_table
from ..schema import LabelSchema
from .loader import GoldDocument, ManifestEntry, check_gold_labels
from ..writers import atomic_write_text


def corpus_stats(docs: list[GoldDocument], manifest: dict[str, ManifestEntry], schema: LabelSchema) -> str:
    """Markdown: documents by split/genre/vantage, claims per split, label distributions.

    Labels the schema lacks are an error naming the schema (counting them would print zeros).
    """
    check_gold_labels(docs, schema)
    stance_labels, scenario_labels = schema.stance_labels, schema.scenario_labels
    out = []
    n_words = sum(len(d.text.split()) for d in docs)
    n_claims = sum(len(d.claims) for d in docs)
    out.append(f"**{len(docs)} annotated documents, {n_words:,} words, {n_claims:,} gold claims.**\n")
    split_of = {d.doc_id: manifest[d.doc_id].split if d.doc_id in manifest else "?" for d in docs}
    splits = sorted(set(split_of.values()), key=lambda s: ["train", "dev", "test"].index(s) if s in ("train", "dev", "test") else 9)
    rows = []
    for s in splits:
        ds = [d for d in docs if split_of[d.doc_id] == s]
        rows.append([s, len(ds), sum(len(d.claims) for d in ds)])
    out.append(markdown_table(["split", "documents", "claims"], rows))
    for attr in ("genre", "vantage"):
        c = Counter(getattr(manifest[d.doc_id], attr) for d in docs if d.doc_id in manifest)
        if not any(c):  # an optional manifest column this study does not fill
            continue
        out.append("\n" + markdown_table([attr, "documents"], [[k, v] for k, v in sorted(c.items())]))
    claims = [c for d in docs for c in d.claims]
    for name, labels, key in (("stance", stance_labels, "stance"), ("scenario", scenario_labels, "scenario")):
        c = Counter(getattr(x, key) for x in claims)
        rows = [[label, c.get(label, 0), f"{c.get(label, 0) / max(1, len(claims)):.1%}"] for label in labels]
        out.append("\n" + markdown_table([name, "claims", "share"], rows))
    cross = Counter((x.stance, x.scenario) for x in claims)
    rows = [[s, *(cross.get((s, sc), 0) for sc in scenario_labels)] for s in stance_labels]
    out.append("\n" + markdown_table(["stance \\ scenario", *scenario_labels], rows))
    actors = Counter(a for x in claims for a in x.actors)
    out.append("\n" + markdown_table(["actor", "claims"], [[a, n] for a, n in actors.most_common(16)]))
    return "\n".join(out) + "\n"


def replace_block(path: Path, name: str, content: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path`` (atomically)."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"{path}: no <!-- {name}:start --> / <!-- {name}:end --> markers; add them where the block belongs")
    new = pattern.sub(lambda m: m.group(1) + content + m.group(2), text)
    atomic_write_text(path, new)
