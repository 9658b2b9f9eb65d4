"""Inter-annotator agreement: Cohen's kappa and Krippendorff's alpha per field, on a double-annotated subset."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from ..matching import match_claims, overlap
from ..markdown import markdown_table
from ..metrics import prf, task_scores

from .loader import GoldDocument


@dataclass
class FieldAgreement:
    field: str
    n: int  # units compared
    kappa: float
    alpha: float
    observed: float  # raw agreement
    note: str = ""
    macro_f1: float = float("nan")  # B scored against A as reference (labels fields only), beside kappa


@dataclass
class AgreementReport:
    documents: list[str]
    claims_a: int
    claims_b: int
    matched: int
    detection_f1: float  # relaxed match, A as reference
    fields: list[FieldAgreement] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def markdown(self) -> str:
        """The figures as a Markdown table (the README's agreement block)."""
        def f(x: float) -> str:
            return "n/a" if x != x else f"{x:.3f}"  # NaN check without numpy

        lines = [
            f"{len(self.documents)} documents annotated twice, independently ({', '.join(self.documents)}): "
            f"{self.claims_a} vs {self.claims_b} claims, {self.matched} matched (relaxed); "
            f"claim-detection F1 between annotators {self.detection_f1:.3f}.",
            "",
            markdown_table(["field", "units", "Cohen's κ", "Krippendorff's α", "raw agreement", "macro-F1 (B vs A)"],
                           [[x.field, x.n, f(x.kappa), f(x.alpha), f(x.observed), f(x.macro_f1)] for x in self.fields]),
        ]
        return "\n".join(lines) + "\n"


def _both(name: str, a: list, b: list, note: str = "", with_f1: bool = False) -> FieldAgreement:
    if not a:
        return FieldAgreement(name, 0, float("nan"), float("nan"), float("nan"), "no units")
    observed = float(np.mean([x == y for x, y in zip(a, b)]))
    labels = sorted(set(a) | set(b), key=str)
    if len(labels) < 2:
        return FieldAgreement(name, len(a), float("nan"), float("nan"), observed, "only one label used")
    kappa = float(cohen_kappa_score(a, b, labels=labels))
    codes = {label: i for i, label in enumerate(labels)}
    data = np.array([[codes[x] for x in a], [codes[y] for y in b]], dtype=float)
    alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    # Macro-F1 of B against A is the figure a model's macro-F1 is compared with (same metric, same units).
    macro = task_scores(a, b, labels)["macro_f1"] if with_f1 else float("nan")
    return FieldAgreement(name, len(a), kappa, alpha, observed, note, macro)


def sentence_units(doc: GoldDocument, nlp) -> list[tuple[int, int]]:
    """Candidate units for claim detection: sentences of every non-reference text block."""
    parsed = nlp(doc.text)
    units = []
    for span in parsed.spans["argmine_segments"]:
        if span.label_ in ("reference",):
            continue
        for sent in span.sents if span.label_ in ("paragraph", "list_item", "meta", "question") else [span]:
            text = sent.text
            lead = len(text) - len(text.lstrip())
            s, e = sent.start_char + lead, sent.start_char + len(text.rstrip())
            if e > s:
                units.append((s, e))
    return units


def _covered(unit: tuple[int, int], claims) -> bool:
    class U:  # a unit counts as claimed when a claim covers at least half of it
        start, end = unit

    return any(overlap(U, c) >= 0.5 * (unit[1] - unit[0]) for c in claims)


def agreement(a_docs: list[GoldDocument], b_docs: list[GoldDocument]) -> AgreementReport:
    """Compare annotator A (reference) with annotator B on the documents both annotated."""
    from ..nlp import build_nlp

    nlp = build_nlp("blank")
    a_by = {d.doc_id: d for d in a_docs}
    common = sorted(d.doc_id for d in b_docs if d.doc_id in a_by)
    b_by = {d.doc_id: d for d in b_docs}
    det_a, det_b, st_a, st_b, sc_a, sc_b, ac_a, ac_b = ([] for _ in range(8))
    n_a = n_b = n_m = 0
    matched_pairs = []
    for doc_id in common:
        da, db = a_by[doc_id], b_by[doc_id]
        for unit in sentence_units(da, nlp):
            det_a.append(_covered(unit, da.claims))
            det_b.append(_covered(unit, db.claims))
        pairs = match_claims(da.claims, db.claims)
        n_a, n_b, n_m = n_a + len(da.claims), n_b + len(db.claims), n_m + len(pairs)
        for i, j in pairs:
            ca, cb = da.claims[i], db.claims[j]
            st_a.append(ca.stance)
            st_b.append(cb.stance)
            sc_a.append(ca.scenario)
            sc_b.append(cb.scenario)
            matched_pairs.append((ca, cb))
    # Actors: one binary unit per matched claim × actor id used anywhere in the shared documents,
    # so agreeing that an actor is *absent* counts too (otherwise kappa collapses on all-"yes" units).
    universe = sorted({a for ca, cb in matched_pairs for a in (*ca.actors, *cb.actors)})
    for ca, cb in matched_pairs:
        for actor in universe:
            ac_a.append(actor in ca.actors)
            ac_b.append(actor in cb.actors)
    # A is the reference: B's claims are the "predictions".
    f1 = prf(n_m, n_b, n_a)["f1"]
    return AgreementReport(
        documents=common,
        claims_a=n_a,
        claims_b=n_b,
        matched=n_m,
        detection_f1=f1,
        fields=[
            _both("claim detection (sentence units)", det_a, det_b, "unit = sentence; claimed if a claim covers half of it"),
            _both("stance (matched claims)", st_a, st_b, with_f1=True),
            _both("scenario (matched claims)", sc_a, sc_b, with_f1=True),
            _both("actors (matched claims × actor ids)", ac_a, ac_b, "one unit per matched claim × actor id used in these documents"),
        ],
    )


def agreement_by(a_docs: list[GoldDocument], b_docs: list[GoldDocument], group_of: dict[str, str],
                 missing: str = "unlisted") -> dict[str, AgreementReport]:
    """One agreement report per group of documents (e.g. the manifest's ``origin``), groups in sorted order.

    ``group_of`` maps doc_id → group; documents absent from it form the group ``missing``. Real texts and
    the project's written commentaries are reported apart, so neither hides the other's ceiling.
    """
    shared = {d.doc_id for d in a_docs} & {d.doc_id for d in b_docs}
    groups = sorted({group_of.get(d, missing) for d in shared})
    out = {}
    for g in groups:
        keep = {d for d in shared if group_of.get(d, missing) == g}
        out[g] = agreement([d for d in a_docs if d.doc_id in keep], [d for d in b_docs if d.doc_id in keep])
    return out


def grouped_markdown(reports: dict[str, AgreementReport], by: str) -> str:
    """The per-group reports as one Markdown block: a heading line per group, then its table."""
    parts = [f"**{by} = {g}.** {r.markdown()}" for g, r in reports.items()]
    return "\n".join(parts)
