"""fp32 vs int8 of a built model on the test split (real and written apart): macro-F1 and CPU seconds.

    python scripts/check_int8.py [MODEL_FOLDER]      # default: the built default model (argmine model path default)
"""
import time, torch
torch.set_num_threads(2)
from argmine.schema import LabelSchema
from argmine.model.experiment import load_corpus
from argmine.model.data import split_documents
from argmine.model.config import TrainConfig
from argmine.model.io import load_model
from argmine.model.quantize import quantize_classifier
from argmine.model.metrics import evaluate_classifier
s = LabelSchema.load()
corpus = load_corpus("annotations", s)
split = split_documents(corpus.doc_ids, TrainConfig())
test = corpus.of(split.test)
from argmine.annotations.loader import load_manifest
man = load_manifest("corpus/manifest.csv")
real = [c for c in test if man[c.doc_id].origin == "third-party-real"]
written = [c for c in test if man[c.doc_id].origin != "third-party-real"]
import sys
from argmine.model.home import model_path
fp = load_model(sys.argv[1] if len(sys.argv) > 1 else model_path("default"))
q = quantize_classifier(fp)
for name, clf in (("fp32", fp), ("int8", q)):
    t0 = time.process_time()
    r = {k: evaluate_classifier(clf, v, s) for k, v in (("all", test), ("real", real), ("written", written))}
    print(name, {k: (round(v["stance"]["macro_f1"], 3), round(v["scenario"]["macro_f1"], 3)) for k, v in r.items()}, f"CPU {time.process_time()-t0:.1f}s for {2*len(test)} claims")
