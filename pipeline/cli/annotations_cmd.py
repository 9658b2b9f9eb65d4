"""`argmine annotations …`: validate, agreement, statistics, and Label Studio / doccano interchange."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from . import app
from ..writers import atomic_write_text
from .common import SCHEMA_HELP, console, err_console, error, note, user_errors

annotations_app = typer.Typer(help="Gold annotations: validate, agreement, statistics, tool interchange.", no_args_is_help=True)
app.add_typer(annotations_app, name="annotations")

SchemaOpt = typer.Option(None, "--schema", help=SCHEMA_HELP)
ManifestOpt = typer.Option(None, "--manifest", help="Corpus manifest CSV (default: argmine.toml's manifest, else corpus/manifest.csv).")
RootOpt = typer.Option(None, "--root", help="Folder that annotation `source` paths are relative to (default: the current folder).")


@annotations_app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(..., help="Annotation .jsonl files or folders (searched recursively)."),
    schema: Optional[Path] = SchemaOpt,
    root: Optional[Path] = RootOpt,
    show_warnings: bool = typer.Option(False, "--warnings", help="List warnings too, not only their count."),
) -> None:
    """Check format, offsets, text hashes, labels and overlaps; every error names file, line, doc and offset."""
    from ..annotations.validate import validate_paths
    from ..project import resolve_schema

    with user_errors():
        problems = validate_paths(list(paths), resolve_schema(schema), root)
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    for p in errors + (warnings if show_warnings else []):
        err_console.print(str(p), soft_wrap=True)  # problems on stderr, the count on stdout
    console.print(f"{len(errors)} errors, {len(warnings)} warnings" + ("" if show_warnings or not warnings else " (--warnings lists them)"))
    if errors:
        raise typer.Exit(1)


def _fmt(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


@annotations_app.command("agreement")
def agreement_cmd(
    a: Path = typer.Argument(..., help="Annotator A (reference): file or folder, e.g. annotations/gold"),
    b: Path = typer.Argument(..., help="Annotator B: file or folder, e.g. annotations/double"),
    root: Optional[Path] = RootOpt,
    by: Optional[str] = typer.Option(None, "--by", help="Report each group of a manifest column apart, e.g. --by origin (real texts vs written corpus)."),
    manifest: Path = typer.Option(Path("corpus/manifest.csv"), "--manifest", help="Corpus manifest CSV (for --by)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON here."),
    readme: Optional[Path] = typer.Option(None, "--readme", help="Write the table into this file between <!-- agreement:start --> and <!-- agreement:end -->."),
) -> None:
    """Cohen's kappa, Krippendorff's alpha and macro-F1 per field (detection, stance, scenario, actors) on shared documents."""
    from ..annotations.agreement import agreement, agreement_by, grouped_markdown
    from ..annotations.loader import MANIFEST_FIELDS, load_gold, load_manifest

    with user_errors():
        docs_a, docs_b = load_gold(a, root), load_gold(b, root)
        if by is None:
            reports = {"": agreement(docs_a, docs_b)}
        else:
            if by not in MANIFEST_FIELDS:
                error(f"--by {by!r} is not a manifest column; use one of {', '.join(MANIFEST_FIELDS)}")
                raise typer.Exit(2)
            entries = load_manifest(manifest)
            reports = agreement_by(docs_a, docs_b, {k: getattr(v, by) for k, v in entries.items()})
    if not any(r.documents for r in reports.values()):
        error("the two sets share no document")
        raise typer.Exit(1)
    for group, report in reports.items():
        head = f"{by} = {group}: " if by else ""
        console.print(f"{head}{len(report.documents)} documents; claims A={report.claims_a} B={report.claims_b}, matched {report.matched}; detection F1 (relaxed) {report.detection_f1:.3f}")
        table = Table("field", "units", "Cohen's κ", "Krippendorff's α", "raw agreement", "macro-F1 (B vs A)")
        for f in report.fields:
            table.add_row(f.field, str(f.n), _fmt(f.kappa), _fmt(f.alpha), _fmt(f.observed), _fmt(f.macro_f1))
        console.print(table)
    if json_out:
        data = reports[""].to_dict() if by is None else {"by": by, "groups": {g: r.to_dict() for g, r in reports.items()}}
        atomic_write_text(json_out, json.dumps(data, indent=2))
    if readme:
        from ..annotations.stats import replace_block

        replace_block(readme, "agreement", reports[""].markdown() if by is None else grouped_markdown(reports, by))
        console.print(f"updated {readme}")


@annotations_app.command("stats")
def stats(
    path: Optional[Path] = typer.Argument(None, help="Gold annotations folder (default: argmine.toml's annotations, else annotations/).", show_default=False),
    manifest: Optional[Path] = ManifestOpt,
    schema: Optional[Path] = SchemaOpt,
    root: Optional[Path] = RootOpt,
    readme: Optional[Path] = typer.Option(None, "--readme", help="Write the tables into this file between <!-- stats:start --> and <!-- stats:end -->."),
) -> None:
    """Corpus and label statistics as Markdown tables."""
    from ..annotations.loader import MANIFEST, load_gold, load_manifest
    from ..annotations.stats import corpus_stats, replace_block
    from ..project import project_path, resolve_schema

    with user_errors():
        gold = load_gold(project_path(path, "annotations", Path("annotations")), root)
        md = corpus_stats(gold, load_manifest(project_path(manifest, "manifest", MANIFEST)), resolve_schema(schema))
    if readme:
        replace_block(readme, "stats", md)
        console.print(f"updated {readme}")
    else:
        console.print(md, markup=False, highlight=False)


@annotations_app.command("export")
def export(
    path: Path = typer.Argument(..., help="Gold annotations (folder/file) or a results folder of `argmine run`."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (.json for Label Studio, .jsonl for doccano)."),
    fmt: str = typer.Option("labelstudio", "--format", "-f", help="labelstudio | doccano"),
    root: Optional[Path] = RootOpt,
    schema: Optional[Path] = SchemaOpt,
) -> None:
    """Export pre-annotated tasks: a results folder becomes Label Studio `predictions`; gold becomes `annotations`."""
    from ..annotations.doccano import DOCCANO_NOTE, to_doccano
    from ..annotations.labelstudio import labelstudio_config, task_actors, to_labelstudio
    from ..annotations.loader import load_gold
    from ..inspect.tables import results_schema
    from ..project import resolve_schema
    from ..writers import read_claims, read_documents, text_path

    with user_errors():
        results = (path / "claims.jsonl").is_file()
        if results:
            claims = read_claims(path)
            docs = []
            for d in read_documents(path):
                text = text_path(path, d.doc_id).read_text(encoding="utf-8")
                docs.append((d.doc_id, text, [c for c in claims if c.doc_id == d.doc_id and c.stance and c.scenario]))
            model = claims[0].model if claims else "argmine"
            gold = False
        else:
            docs = [(g.doc_id, g.text, g.claims) for g in load_gold(path, root)]
            model, gold = "gold", True
        used = results_schema(path, schema) if results else resolve_schema(schema)  # a run recorded its own
        for field in ("stance", "scenario"):  # the labelling config must offer every label the tasks use
            used.check_labels(field, (getattr(c, field) for _, _, doc_claims in docs for c in doc_claims), where=str(path))
        if fmt == "labelstudio":
            tasks = to_labelstudio(docs, model, as_annotations=gold)
            atomic_write_text(out, json.dumps(tasks, ensure_ascii=False, indent=1))
            atomic_write_text(out.with_suffix(".config.xml"), labelstudio_config(used, task_actors(tasks)))
            console.print(f"{len(docs)} tasks → {out}; labelling config → {out.with_suffix('.config.xml')}")
        elif fmt == "doccano":
            atomic_write_text(out, "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in to_doccano(docs)))
            console.print(f"{len(docs)} documents → {out} (import as sequence labelling, overlapping spans allowed)")
            note(DOCCANO_NOTE)
        else:
            raise typer.BadParameter("--format must be labelstudio or doccano")


@annotations_app.command("import")
def import_(
    path: Path = typer.Argument(..., help="A Label Studio JSON export or a doccano JSONL export."),
    out: Path = typer.Option(..., "--out", "-o", help="Stand-off annotation JSONL to write."),
    fmt: str = typer.Option("labelstudio", "--format", "-f", help="labelstudio | doccano"),
    annotator: str = typer.Option(..., "--annotator", help="Who annotated (recorded in every record)."),
    guidelines_version: str = typer.Option("1.0", "--guidelines-version"),
    keep_text: bool = typer.Option(False, "--keep-text", help="Store the text in the record (only for texts you own)."),
    manifest: Optional[Path] = ManifestOpt,
    schema: Optional[Path] = SchemaOpt,
) -> None:
    """Read a tool export back into argmine's stand-off format (the manifest maps doc_id to the text's path)."""
    from ..annotations.doccano import from_doccano
    from ..annotations.labelstudio import from_labelstudio
    from ..annotations.loader import MANIFEST, load_manifest
    from ..annotations.toolexport import read_json_or_jsonl
    from ..errors import AnnotationError
    from ..project import project_path, resolve_schema

    with user_errors():
        s = resolve_schema(schema)
        manifest = project_path(manifest, "manifest", MANIFEST)
        sources = {k: v.path for k, v in load_manifest(manifest).items()} if manifest.is_file() else {}
        data = read_json_or_jsonl(path)
        reader = {"labelstudio": from_labelstudio, "doccano": from_doccano}.get(fmt)
        if reader is None:
            raise typer.BadParameter("--format must be labelstudio or doccano")
        try:
            records = reader(data, s, annotator, guidelines_version, sources, keep_text)
        except AnnotationError as e:
            raise AnnotationError(f"{path}: {e}; nothing was written") from None
        atomic_write_text(out, "".join(r.model_dump_json(by_alias=True, exclude_none=True) + "\n" for r in records))
    console.print(f"{len(records)} documents, {sum(len(r.claims) for r in records)} claims → {out}; check it with `argmine annotations validate {out}`")


@annotations_app.command("anchor")
def anchor_cmd(
    draft: Path = typer.Argument(..., help="Quote-anchored draft JSON (see annotations/GUIDELINES.md §8)."),
    out: Path = typer.Option(..., "--out", "-o", help="Stand-off annotation JSONL to write."),
    schema: Optional[Path] = SchemaOpt,
    root: Optional[Path] = RootOpt,
) -> None:
    """Turn a draft of exact claim quotes into a stand-off record with offsets and the text hash."""
    from collections import Counter

    from ..annotations.anchor import anchor
    from ..project import resolve_schema

    with user_errors():
        rec = anchor(draft, resolve_schema(schema), root)
        atomic_write_text(out, rec.model_dump_json(by_alias=True, exclude_none=True) + "\n")
    console.print(f"{rec.doc_id}: {len(rec.claims)} claims → {out}; stance {dict(Counter(c.stance for c in rec.claims))}; scenario {dict(Counter(c.scenario for c in rec.claims))}")


@annotations_app.command("queue")
def queue_cmd(
    results: Path = typer.Argument(..., help="A results folder of `argmine run` (with a trained model's scores)."),
    n: int = typer.Option(50, "--n", min=1, help="How many claims to queue."),
    out: Path = typer.Option(..., "--out", "-o", help="Label Studio tasks JSON to write (one task per document, queued claims as predictions)."),
    method: str = typer.Option("entropy", "--method", help="Uncertainty: entropy or margin of the calibrated scores."),
    annotations: Optional[Path] = typer.Option(Path("annotations"), "--annotations",
                                               help="Annotated documents to leave out (folder or file; skipped when missing)."),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Queue the claims whose annotation would help the model most: uncertain, and diverse by text cluster."""
    from ..annotations.labelstudio import to_labelstudio
    from ..annotations.loader import annotation_files, read_records
    from ..annotations.queue import queue_claims
    from ..writers import load_results, read_claims, read_documents, text_path

    with user_errors():
        done = {rec.doc_id for f in (annotation_files(annotations) if annotations and annotations.exists() else [])
                for _, rec in read_records(f)}
        df = load_results(results)
        picked = queue_claims(df, n, method=method, exclude_docs=done, seed=seed)
        by_id = {c.claim_id: c for c in read_claims(results)}
        rank = {cid: i for i, cid in enumerate(picked["claim_id"])}
        docs = []
        for d in read_documents(results):
            claims = sorted((by_id[c] for c in rank if by_id[c].doc_id == d.doc_id), key=lambda c: c.start)
            if claims:
                with open(text_path(results, d.doc_id), encoding="utf-8", newline="") as fh:
                    docs.append((d.doc_id, fh.read(), claims))
        tasks = to_labelstudio(docs, "active-learning-queue")
        for task, (_, _, claims) in zip(tasks, docs):
            task["data"]["queued_claims"] = [{"claim_id": c.claim_id, "rank": rank[c.claim_id] + 1,
                                              "uncertainty": round(float(picked.set_index("claim_id").loc[c.claim_id, "uncertainty"]), 4)}
                                             for c in claims]
        atomic_write_text(out, json.dumps(sorted(tasks, key=lambda t: min(q["rank"] for q in t["data"]["queued_claims"])),
                                          ensure_ascii=False, indent=1))
    console.print(f"{len(picked)} claims in {len(docs)} documents → {out} (left out {len(done)} annotated documents; "
                  f"uncertainty {picked['uncertainty'].max():.2f}…{picked['uncertainty'].min():.2f})")
