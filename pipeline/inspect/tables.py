"""A results folder as tables: the claims frame with derived score columns, and text renderings of it."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import pandas as pd

from ..errors import OutputError
from ..records import DocumentRecord
from ..schema import LabelSchema
from ..writers import load_results, read_documents, text_path, write_csv

log = logging.getLogger(__name__)

DEFAULT_COLUMNS = ["claim_id", "text", "stance", "scenario", "scenario_score", "actors", "speaker", "claim_type"]
# Terminal colour of a stance by its polarity in the schema (+1 for the topic, -1 against, 0 neither).
POLARITY_STYLE = {1: "green", -1: "red", 0: "grey62"}


@dataclass
class ResultsView:
    """Everything the inspect commands read from one results folder."""

    root: Path
    claims: pd.DataFrame
    documents: list[DocumentRecord]
    schema: LabelSchema
    run_info: dict = field(default_factory=dict)

    @property
    def stance_labels(self) -> list[str]:
        return self.schema.stance_labels

    @property
    def scenario_labels(self) -> list[str]:
        return self.schema.scenario_labels

    @property
    def doc_by_id(self) -> dict[str, DocumentRecord]:
        return {d.doc_id: d for d in self.documents}

    def text(self, doc_id: str) -> Optional[str]:
        """The document text as the pipeline read it (``texts/<doc_id>.txt``), if the folder has it."""
        path = text_path(self.root, doc_id)
        if not path.is_file():
            return None
        # newline="" keeps the text exactly as written: offsets were computed on it.
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()

    @property
    def n_unlabelled(self) -> int:
        return int(self.claims["scenario"].isna().sum()) if not self.claims.empty else 0


def _own_score(row_scores, label) -> float:
    if isinstance(label, str) and isinstance(row_scores, dict) and label in row_scores:
        return float(row_scores[label])
    return math.nan


def load_view(results: str | Path, schema: str | Path | LabelSchema | None = None) -> ResultsView:
    """Read claims.jsonl + documents.jsonl (+ run.json) and add ``stance_score``/``scenario_score``.

    ``scenario_score`` is the probability the classifier gave to the claim's own scenario label (NaN for
    an unlabelled claim); it is what ``--min-score`` and the scenario profile weight by. The labels come
    from ``schema`` if given, else the schema the run recorded in run.json, else the project's/default;
    a label in the claims that the schema lacks is an error naming the schema.
    """
    root = Path(results)
    if not root.is_dir():
        raise OutputError(f"{root}: no such folder; pass the --out folder of an `argmine run`")
    df = load_results(root)
    documents = read_documents(root)
    df["stance_score"] = [_own_score(s, lab) for s, lab in zip(df["stance_scores"], df["stance"])]
    df["scenario_score"] = [_own_score(s, lab) for s, lab in zip(df["scenario_scores"], df["scenario"])]
    run_info = read_run_info(root)
    used = results_schema(root, schema, run_info)
    for field_name in ("stance", "scenario"):
        used.check_labels(field_name, df[field_name], where=str(root),
                          fix="pass --schema with the schema the run used, or name it in argmine.toml")
    return ResultsView(root=root, claims=df, documents=documents, schema=used, run_info=run_info)


def read_run_info(root: Path) -> dict:
    """A results folder's run.json ({} when absent or unreadable)."""
    if (root / "run.json").is_file():
        try:
            return json.loads((root / "run.json").read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            log.warning("%s: run.json is not valid JSON; ignoring it", root)
    return {}


def results_schema(root: Path, schema: str | Path | LabelSchema | None = None, run_info: dict | None = None) -> LabelSchema:
    """``schema`` if given, else the one the run recorded in run.json, else the project's (or the default)."""
    from ..project import resolve_schema

    run_info = read_run_info(root) if run_info is None else run_info
    if schema is None:
        recorded = LabelSchema.from_record(run_info.get("schema", {}), str(root / "run.json"))
        if recorded is not None:
            return recorded
    return resolve_schema(schema)


# --- renderings --------------------------------------------------------------------------------


def check_columns(df: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    unknown = [c for c in columns if c not in df.columns]
    if unknown:
        raise OutputError(f"--columns {', '.join(unknown)}: no such column; choose from {', '.join(df.columns)}")
    return list(columns)


def cell(value, *, nested_json: bool = False) -> str:
    """One value as text: lists of names joined with '; ', score maps as JSON, NaN/None as ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        if nested_json or any(isinstance(v, dict) for v in value):
            return json.dumps(value, ensure_ascii=False)
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_csv(df: pd.DataFrame, columns: Sequence[str], raw: bool = False) -> str:
    """CSV text; formula-like cells neutralised unless ``raw`` (see :func:`argmine.writers.csv_safe`)."""
    flat = pd.DataFrame({c: [cell(v) for v in df[c]] for c in columns}, columns=list(columns))
    text = write_csv(flat, raw=raw)
    assert text is not None  # without a destination, pandas returns the CSV text
    return text


def to_json(df: pd.DataFrame, columns: Sequence[str]) -> str:
    """A JSON array of objects; nested columns stay nested, NaN becomes null."""
    rows = []
    for rec in df[list(columns)].to_dict(orient="records"):
        rows.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return json.dumps(rows, ensure_ascii=False, indent=2)


def to_markdown(df: pd.DataFrame, columns: Sequence[str]) -> str:
    """A GitHub-flavoured Markdown table (pipes and newlines in cells escaped)."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(esc(cell(row[c])) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def rich_table(df: pd.DataFrame, columns: Sequence[str], title: str | None = None, max_text: int | None = None,
               schema: LabelSchema | None = None):
    """A rich Table of the claims; stance coloured by its polarity, long texts wrapped (or cut at ``max_text``)."""
    from rich.table import Table
    from rich.text import Text

    stance_styles = {k: POLARITY_STYLE[v] for k, v in schema.polarity.items()} if schema else {}
    table = Table(title=title, show_header=True, header_style="bold", show_lines=False, expand=True)
    for col in columns:
        if col == "text":
            table.add_column(col, ratio=1, overflow="fold", min_width=30)
        elif col.endswith("_score") or col in ("start", "end", "paragraph"):
            table.add_column(col.replace("_score", " score").replace("scenario score", "score"), justify="right", no_wrap=True)
        elif col in ("claim_id", "doc_id", "stance", "scenario", "claim_type", "speaker"):
            table.add_column(col, no_wrap=True)
        else:
            table.add_column(col, overflow="fold", max_width=24)
    for _, row in df.iterrows():
        cells = []
        for col in columns:
            value = cell(row[col])
            if col == "text" and max_text and len(value) > max_text:
                value = value[: max_text - 1] + "…"
            style = stance_styles.get(row.get("stance") or "", "") if col in ("stance", "text") else ""
            cells.append(Text(value, style=style if col == "stance" else ""))
        table.add_row(*cells)
    return table
