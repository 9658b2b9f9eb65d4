"""Writing a results folder as results come: JSONL appended, Parquet row groups, CSV appended.

Everything goes into a *partial* folder beside ``--out`` (``.NAME.partial``) that is renamed into place
when the run ends, so ``--out`` is complete or absent. A journal (``_journal.jsonl``, one line per
finished chunk, written after the chunk's rows are flushed) says which documents are done; ``--resume``
keeps exactly those (keyed by doc id and the text's SHA-256, so a file whose text changed is not kept), rewrites their rows into a fresh partial folder and goes
on. JSONL is the record of truth; Parquet and CSV are derived from the same rows.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError
from .records import ClaimRecord, DocumentRecord
from .writers import CLAIMS_JSONL, DOCUMENTS_JSONL, NESTED, _claims_frame, _plain, text_path, write_csv

log = logging.getLogger(__name__)

JOURNAL = "_journal.jsonl"


def partial_dir(out: Path) -> Path:
    """Where an unfinished run of ``out`` lives (deterministic, so --resume can find it)."""
    return out.with_name(f".{out.name}.partial")


@dataclass
class Chunk:
    """What one chunk of documents produced, in input order."""

    documents: list[DocumentRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, problem, fix) of documents that crashed


def _arrow_schema():
    """The claims table's Parquet schema, fixed up front so every row group agrees (no null-typed columns)."""
    import pyarrow as pa

    mention = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("actor", pa.string()),
                         ("method", pa.string()), ("in_schema", pa.bool_())])
    score = pa.list_(pa.struct([("label", pa.string()), ("score", pa.float64())]))
    types = {"start": pa.int64(), "end": pa.int64(), "paragraph": pa.int64(), "list_item": pa.bool_(), "hedged": pa.bool_(),
             "claim_score": pa.float64(), "actors": pa.list_(pa.string()), "citations": pa.list_(pa.string()),
             "mentions": pa.list_(mention), "stance_scores": score, "scenario_scores": score}
    return pa.schema([(name, types.get(name, pa.string())) for name in ClaimRecord.model_fields])


class StreamWriter:
    """Appends chunks to a partial results folder; ``finish`` renames it to ``out``."""

    def __init__(self, folder: Path, raw_csv: bool = False) -> None:
        import pyarrow.parquet as pq

        self.folder = folder
        self.raw_csv = raw_csv
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "texts").mkdir(exist_ok=True)
        self.schema = _arrow_schema()
        self._parquet = pq.ParquetWriter(folder / "claims.parquet", self.schema)
        # Open for the writer's lifetime (appended chunk by chunk); close() / finish() close them.
        self._claims = open(folder / CLAIMS_JSONL, "a", encoding="utf-8")  # noqa: SIM115
        self._docs = open(folder / DOCUMENTS_JSONL, "a", encoding="utf-8")  # noqa: SIM115
        self._csv = open(folder / "claims.csv", "a", encoding="utf-8", newline="")  # noqa: SIM115
        self._journal = open(folder / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115
        self._csv_header = self._csv.tell() == 0
        self.n_documents = 0
        self.n_claims = 0

    def write(self, chunk: Chunk, failed: list[str] | None = None) -> None:
        """Append one chunk; its journal line (documents, and ``failed`` input paths) is written last, so a kill
        leaves the chunk either done or to be redone."""
        rows = [c.model_dump(mode="json") for c in chunk.claims]
        for doc_id, text in chunk.texts.items():
            text_path(self.folder, doc_id).write_text(text, encoding="utf-8")
        self._claims.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        self._docs.write("".join(json.dumps(d.model_dump(mode="json"), ensure_ascii=False) + "\n" for d in chunk.documents))
        if rows:
            self._write_tables(rows)
        for fh in (self._claims, self._docs, self._csv):
            fh.flush()
            os.fsync(fh.fileno())
        entry = {"docs": [[d.sha256, d.doc_id] for d in chunk.documents], "failed": failed or []}
        self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())
        self.n_documents += len(chunk.documents)
        self.n_claims += len(rows)

    def _write_tables(self, rows: list[dict]) -> None:
        import pyarrow as pa

        df = _claims_frame(rows)
        self._parquet.write_table(pa.Table.from_pandas(df, schema=self.schema, preserve_index=False))
        flat = df.copy()
        for col in NESTED:
            flat[col] = flat[col].map(lambda v: json.dumps(_plain(v), ensure_ascii=False))
        write_csv(flat, self._csv, raw=self.raw_csv, header=self._csv_header)
        self._csv_header = False

    def close(self) -> None:
        self._parquet.close()
        for fh in (self._claims, self._docs, self._csv, self._journal):
            fh.close()

    def finish(self, run_info: dict) -> Path:
        """Close the files, write run.json and drop the journal; the caller renames the folder into place."""
        self.close()
        (self.folder / "run.json").write_text(json.dumps(run_info, indent=2, ensure_ascii=False), encoding="utf-8")
        (self.folder / JOURNAL).unlink()
        return self.folder


def done_documents(folder: Path) -> tuple[dict[str, str], list[str]]:
    """doc_id → SHA-256 of every document a partial folder's journal marks finished, and the failed paths."""
    done: dict[str, str] = {}
    failed: list[str] = []
    path = folder / JOURNAL
    if not path.is_file():
        return done, failed
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                break  # a line cut by a kill: that chunk is not done
            done.update({doc_id: sha for sha, doc_id in entry["docs"]})
            failed.extend(entry.get("failed", []))
    return done, failed


def _jsonl(path: Path) -> Iterator[dict]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                return  # the cut last line of a killed run


def recover(old: Path, writer: StreamWriter, chunk_docs: int = 64) -> tuple[dict[str, str], list[str]]:
    """Copy the finished documents of an interrupted run from ``old`` into ``writer``; return them (doc_id → sha)
    and the input paths that failed in finished chunks (they are not retried, so chunks stay as they were).

    Rows of unfinished chunks are dropped (they are redone). Streams in chunks, so memory stays bounded.
    """
    finished, failed = done_documents(old)
    done: dict[str, str] = {}
    claim_rows = _jsonl(old / CLAIMS_JSONL)
    pending = Chunk()
    for row in _jsonl(old / DOCUMENTS_JSONL):
        if finished.get(row["doc_id"]) != row["sha256"]:
            break  # chunks are written in order: the first unfinished document ends the finished part
        doc = DocumentRecord.model_validate(row)
        # claims.jsonl holds the finished chunks' claims in the same document order.
        claims = [ClaimRecord.model_validate(c) for c in itertools.islice(claim_rows, doc.n_claims)]
        if len(claims) != doc.n_claims or any(c.doc_id != doc.doc_id for c in claims):
            raise OutputError(f"{old}: claims.jsonl does not match documents.jsonl at {doc.doc_id}; "
                              "the partial run is damaged, start again without --resume")
        pending.claims.extend(claims)
        pending.documents.append(doc)
        done[doc.doc_id] = doc.sha256
        pending.texts[doc.doc_id] = text_path(old, doc.doc_id).read_text(encoding="utf-8")
        if len(pending.documents) >= chunk_docs:
            writer.write(pending)
            pending = Chunk()
    writer.write(pending, failed)
    log.info("resume: %d finished documents kept from %s", len(done), old)
    return done, failed


def remove_partial(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def read_documents_head(results: Path, n: int) -> list[tuple[dict, list[dict]]]:
    """The first ``n`` documents of a results folder with their claims (rows as dicts), read without loading the rest."""
    docs = list(itertools.islice(_jsonl(results / DOCUMENTS_JSONL), n))
    claim_rows = _jsonl(results / CLAIMS_JSONL)
    return [(d, list(itertools.islice(claim_rows, d["n_claims"]))) for d in docs]
