"""Active-learning experiment (not a test): random claims vs the current queue vs a variant, same seeds.

The variant: per-cluster quotas over the whole eligible pool (k-means of the text embeddings, quota
proportional to cluster size), best uncertainty × density first inside a cluster, margin instead of
entropy, near-duplicates (cosine ≥ 0.9 to a claim already picked) skipped. Uses ``simulate`` of
tests/test_active_learning.py (TF-IDF+LR, start 4 documents, +40 claims a round, held-out macro-F1).

    nice -n 15 .venv/bin/python tests/active_learning_variants.py 3      # 3 seeds

Result (2026-11-30, seeds 0-2, held-out macro-F1 after 0/40/80/120/160 added claims, mean of seeds):
    random                 0.248 0.332 0.366 0.395 0.406
    current queue          0.248 0.337 0.390 0.408 0.418   mean gain over random +0.013
    quota+dedup (margin)   0.248 0.332 0.372 0.402 0.421   mean gain over random +0.007
The variant does not beat the current queue, so the queue stays as it is.
"""
import sys
import time
import resource
import warnings
import numpy as np
sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
import test_active_learning as tal
from argmine.annotations import queue as Q
from argmine.model.experiment import load_corpus
from argmine.schema import LabelSchema

DUP = 0.9

def select_quota(score, emb, n, eligible=None, seed=0):
    """Quotas per embedding cluster of the whole eligible pool (proportional to size), best score first
    within a cluster, skipping near-duplicates (cosine >= DUP) of claims already picked."""
    from sklearn.cluster import KMeans
    idx = np.arange(len(score))
    ok = ~np.isnan(score) if eligible is None else (~np.isnan(score) & eligible)
    pool = idx[ok]
    if len(pool) <= n:
        return sorted(pool.tolist(), key=lambda i: -score[i])
    k = max(2, min(n // 4, len(pool) // 10))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(emb[pool])
    sizes = np.bincount(labels, minlength=k)
    quota = np.floor(n * sizes / sizes.sum()).astype(int)
    for c in np.argsort(-(n * sizes / sizes.sum() - quota))[: n - quota.sum()]:
        quota[c] += 1
    picked = []
    def fits(i):
        return all(float(emb[i] @ emb[j]) < DUP for j in picked)
    for c in range(k):
        members = pool[labels == c]
        for i in members[np.argsort(-score[members], kind="stable")]:
            if sum(1 for j in picked if labels[np.searchsorted(pool, j)] == c) >= quota[c]:
                break
            if fits(i):
                picked.append(int(i))
    rest = [int(i) for i in pool[np.argsort(-score[pool], kind="stable")] if int(i) not in set(picked) and fits(i)]
    picked += rest[: n - len(picked)]
    return sorted(picked, key=lambda i: -score[i])

VARIANTS = {"current": None, "quota+dedup (margin)": ("margin", select_quota)}

def run(variant, corpus, schema, seed):
    orig_select, orig_queue = Q.select, tal.queue_claims
    if variant == "random":
        return tal.simulate(corpus, schema, seed, "random")
    spec = VARIANTS[variant]
    if spec:
        method, sel = spec
        Q.select = sel
        tal.queue_claims = lambda df, n, seed=0: Q.queue_claims(df, n, method=method, seed=seed)
    try:
        return tal.simulate(corpus, schema, seed, "queue")
    finally:
        Q.select, tal.queue_claims = orig_select, orig_queue

schema = LabelSchema.load()
corpus = load_corpus(tal.ROOT / "annotations", schema, root=tal.ROOT)
curves = {v: [] for v in ["random", *VARIANTS]}
for seed in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
    for v in curves:
        t = time.time()
        c = run(v, corpus, schema, seed)
        curves[v].append(c)
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        print(f"seed {seed} {v:<22} " + " ".join(f"{x:.3f}" for x in c) + f"   ({time.time()-t:.0f}s wall, cpu total {cpu.ru_utime+cpu.ru_stime:.0f}s)", flush=True)
    print("--- mean over seeds 0..%d" % seed, flush=True)
    for v, cs in curves.items():
        m = np.mean(cs, axis=0)
        gain = (m[1:] - np.mean(curves["random"], axis=0)[1:]).mean()
        print(f"  {v:<22} " + " ".join(f"{x:.3f}" for x in m) + f"   mean gain over random rounds 1-4: {gain:+.4f}", flush=True)
