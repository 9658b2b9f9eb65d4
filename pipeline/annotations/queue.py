"""Active learning: which claims to annotate next.

A claim is worth annotating when the model is unsure of it — the entropy (or 1 − margin) of its
calibrated stance and scenario scores, averaged over the two tasks — weighted by how typical it is of the
pool (information density: cosine similarity of its text embedding to the pool's centre, so odd
fragments do not crowd the batch), and when it is unlike the other claims picked: the best-scored
candidates are clustered by their text embedding and each cluster gives its best claim, so one batch
does not spend fifty annotations on one phrasing. Documents that are already annotated are left out.
"""

from __future__ import annotations

import logging
import math
import warnings
from typing import Callable, Collection, Optional, Sequence

import numpy as np

from ..errors import AnnotationError

log = logging.getLogger(__name__)

METHODS = ("entropy", "margin")
CANDIDATES_PER_PICK = 4  # cluster the 4n most uncertain claims into n groups
DENSITY_POWER = 1.0


def uncertainty(scores: dict | None, method: str = "entropy") -> float:
    """How unsure one score map is, in [0, 1]: normalised entropy, or 1 − (top − second). NaN if empty."""
    if not scores:
        return math.nan
    p = np.clip(np.array(list(scores.values()), dtype=float), 0.0, 1.0)
    if p.sum() <= 0:
        return math.nan
    p = p / p.sum()
    if method == "entropy":
        nz = p[p > 0]
        return float(-(nz * np.log(nz)).sum() / math.log(len(p))) if len(p) > 1 else 0.0
    if method == "margin":
        top = np.sort(p)[::-1]
        return float(1.0 - (top[0] - (top[1] if len(top) > 1 else 0.0)))
    raise AnnotationError(f"--method {method}: choose one of {', '.join(METHODS)}")


def claim_uncertainty(stance_scores: Sequence[dict], scenario_scores: Sequence[dict], method: str = "entropy") -> np.ndarray:
    """Mean uncertainty of the two tasks per claim (a task without scores is left out of the mean)."""
    out = []
    for st, sc in zip(stance_scores, scenario_scores):
        values = [u for u in (uncertainty(st, method), uncertainty(sc, method)) if not math.isnan(u)]
        out.append(sum(values) / len(values) if values else math.nan)
    return np.array(out, dtype=float)


def tfidf_embed(texts: Sequence[str], dims: int = 64, seed: int = 0) -> np.ndarray:
    """Dense, L2-normalised text embeddings: TF-IDF reduced by truncated SVD (LSA). Fast, no model."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1).fit_transform(texts)
    k = max(1, min(dims, matrix.shape[1] - 1, matrix.shape[0] - 1))
    dense = TruncatedSVD(n_components=k, random_state=seed).fit_transform(matrix) if k >= 2 else matrix.toarray()
    return normalize(dense)


def select(uncert: np.ndarray, embeddings: np.ndarray, n: int, eligible: Optional[np.ndarray] = None,
           seed: int = 0) -> list[int]:
    """Indices of ``n`` claims: the most uncertain of each of ``n`` clusters among the 4n most uncertain."""
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    idx = np.arange(len(uncert))
    ok = ~np.isnan(uncert) if eligible is None else (~np.isnan(uncert) & eligible)
    pool = idx[ok]
    if len(pool) <= n:
        return sorted(pool.tolist(), key=lambda i: -uncert[i])
    order = pool[np.argsort(-uncert[pool], kind="stable")]
    candidates = order[: max(n, CANDIDATES_PER_PICK * n)]
    with warnings.catch_warnings():  # near-duplicate claims may form fewer distinct clusters than n: fine
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = KMeans(n_clusters=n, n_init=4, random_state=seed).fit_predict(embeddings[candidates])
    picked = []
    for cluster in range(n):
        members = candidates[labels == cluster]
        if len(members):
            picked.append(int(members[np.argmax(uncert[members])]))
    rest = [int(i) for i in candidates if int(i) not in set(picked)]
    picked += rest[: n - len(picked)]  # an empty cluster: fill with the next most uncertain
    return sorted(picked, key=lambda i: -uncert[i])


def queue_claims(df, n: int, method: str = "entropy", exclude_docs: Collection[str] = (), seed: int = 0,
                 embed: Callable[[Sequence[str]], np.ndarray] = tfidf_embed):
    """The rows of a claims frame (``load_results``) to annotate next, most useful first, with an
    ``uncertainty`` column."""
    if df.empty:
        raise AnnotationError("the results hold no claims to queue")
    uncert = claim_uncertainty(df["stance_scores"], df["scenario_scores"], method)
    if np.isnan(uncert).all():
        raise AnnotationError("no claim has stance or scenario scores; run with a trained model (not --model placeholder)")
    eligible = ~df["doc_id"].isin(set(exclude_docs)).to_numpy()
    if not eligible.any():
        raise AnnotationError("every document of these results is already annotated; nothing to queue")
    emb = embed(df["text"].tolist())
    # Information density: an uncertain claim unlike everything else (an odd fragment) teaches the model
    # little; weighting by similarity to the pool favours uncertain claims that stand for many others.
    centre = emb[eligible].mean(axis=0)
    density = np.clip(emb @ (centre / (np.linalg.norm(centre) or 1.0)), 0.0, None)
    score = uncert * density ** DENSITY_POWER
    picked = select(score, emb, n, eligible, seed)
    out = df.iloc[picked].copy()
    out["uncertainty"] = uncert[picked]
    out["density"] = density[picked]
    return out
