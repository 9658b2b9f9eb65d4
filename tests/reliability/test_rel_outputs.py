"""Reliability catalogue, outputs: --out preflight, atomic replacement under kill -9 and concurrency,
CSV formula injection, doc-id traversal, folder modes (issue 12)."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from argmine import atomic, writers
from argmine.cli import app
from argmine.errors import OutputError

ARTICLE = ("Armenia and Azerbaijan have agreed on a border commission after long talks in Brussels. "
           "Critics in Yerevan say the commission moves too slowly and that the maps are not yet public.\n")
RUN = ["--spacy-model", "blank", "--model", "placeholder"]


def _run(*args):
    return CliRunner().invoke(app, ["run", *map(str, args), *RUN])


@pytest.fixture()
def results(tmp_path):
    src = tmp_path / "in" / "talks.txt"
    src.parent.mkdir()
    src.write_text("=HYPERLINK(\"http://evil.example\",\"click\") is what Baku and Yerevan must never sign.\n"
                   "+1 more reason: Armenia and Azerbaijan should meet monthly in Brussels.\n"
                   "@Yerevan and Baku will publish the maps before the summit.\n" + ARTICLE)
    out = tmp_path / "out"
    r = _run(src, "--out", out)
    assert r.exit_code == 0, r.output
    return out


# --- preflight ------------------------------------------------------------------------------------


def test_unwritable_out_fails_before_processing(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE)
    (tmp_path / "file").write_text("x")
    called = []
    monkeypatch.setattr("argmine.runner.Pipeline.load", lambda *a, **k: called.append(1))
    r = _run(f, "--out", tmp_path / "file" / "out")  # parent is a file: ENOTDIR
    assert r.exit_code == 2 and "cannot write into" in r.stderr and not called


def test_full_disk_fails_before_processing(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE)
    monkeypatch.setattr(writers.shutil, "disk_usage", lambda p: type("U", (), {"free": 10})())
    r = _run(f, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "MB free" in r.stderr


def test_enospc_while_writing_keeps_old_results(results, monkeypatch):
    before = (results / "claims.jsonl").read_text()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writers, "_write_jsonl", full)
    with pytest.raises(OutputError, match="No space left"):
        writers.write_results(results, [], [], overwrite=True)
    assert (results / "claims.jsonl").read_text() == before
    assert not [p for p in results.parent.iterdir() if ".tmp-" in p.name]


def test_out_inside_an_input_folder_is_refused(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE)
    r = _run(d, "--out", d / "results")
    assert r.exit_code == 2 and "inside the input folder" in r.stderr
    assert not (d / "results").exists()


# --- atomic replacement -----------------------------------------------------------------------------


def test_results_folder_mode_follows_umask(results):
    mode = results.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o777 & ~umask  # before: 0700 from mkdtemp


def test_rerun_replaces_atomically_and_leaves_no_temporaries(results, tmp_path):
    src = tmp_path / "in" / "talks.txt"
    src.write_text(ARTICLE)
    r = _run(src, "--out", results, "--overwrite")
    assert r.exit_code == 0
    assert (results / "claims.jsonl").read_text().count("\n") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_stale_temporaries_are_cleaned_with_a_note(tmp_path, caplog):
    out = tmp_path / "out"
    dead = _dead_pid()
    (tmp_path / f".out.tmp-{dead}-abcd1234").mkdir()
    (tmp_path / f".out.old-{dead}-abcd1234").mkdir()  # killed between the fallback's two renames
    (tmp_path / f".out.old-{dead}-abcd1234" / "claims.jsonl").write_text("old\n")
    writers.clean_stale(out)
    assert (out / "claims.jsonl").read_text() == "old\n"  # the old results are back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert "interrupted run" in caplog.text


def test_fallback_swap_without_renameat2(tmp_path, monkeypatch):
    out = tmp_path / "out"
    writers.atomic_dir(out, lambda t: (t / "v").write_text("1"))
    monkeypatch.setattr(atomic, "_renameat2_exchange", lambda a, b: False)
    writers.atomic_dir(out, lambda t: (t / "v").write_text("2"))
    assert (out / "v").read_text() == "2" and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


WRITER = textwrap.dedent("""
    import sys, time, random
    from pathlib import Path
    from argmine.writers import atomic_dir
    out, tag, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    def build(tmp, v):
        (tmp / "a").write_text(v)
        time.sleep(random.random() * 0.02)
        (tmp / "big").write_text(v * 20000)
        (tmp / "b").write_text(v)
    for i in range(n):
        atomic_dir(out, lambda tmp: build(tmp, f"{tag}{i}"))
""")


def _consistent(out) -> str:
    assert sorted(p.name for p in out.iterdir()) == ["a", "b", "big"], sorted(p.name for p in out.parent.iterdir())
    a, b, big = ((out / n).read_text() for n in ("a", "b", "big"))
    assert a == b and big == a * 20000, "a half-written version is visible"
    return a


def test_kill_9_at_random_points_never_leaves_a_partial_folder(tmp_path):
    out = tmp_path / "out"
    rng = random.Random(12)
    for k in range(6):
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(out), f"k{k}-", "1000"])
        deadline = time.monotonic() + 120  # the interpreter starts (slowly on a loaded machine), then it swaps many times
        while k == 0 and not out.exists() and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0 + rng.random())
        p.send_signal(signal.SIGKILL)
        p.wait()
        if out.exists():
            _consistent(out)
    writers.clean_stale(out)
    _consistent(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_concurrent_writers_leave_one_complete_version(tmp_path):
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(out), tag, "15"]) for tag in ("x", "y")]
    assert [p.wait() for p in procs] == [0, 0]
    assert _consistent(out) in ("x14", "y14")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_one_atomic_helper_for_files(tmp_path):
    f = tmp_path / "r.txt"
    writers.atomic_write(f, "one")
    writers.atomic_write(f, lambda tmp: tmp.write_text("two"))
    assert f.read_text() == "two" and sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


# --- safe text out --------------------------------------------------------------------------------

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _no_formula_cells(df: pd.DataFrame) -> None:
    for col in df.columns:
        for v in df[col]:
            assert not (isinstance(v, str) and v.startswith(FORMULA)), (col, v)


def test_claims_csv_neutralises_formulas(results):
    df = pd.read_csv(results / "claims.csv", keep_default_na=False)
    _no_formula_cells(df)
    assert any(t.startswith("'=HYPERLINK") for t in df["text"])  # before: written verbatim
    jsonl = [json.loads(x)["text"] for x in (results / "claims.jsonl").read_text().splitlines()]
    assert any(t.startswith("=HYPERLINK") for t in jsonl)  # only CSV is neutralised


def test_show_csv_and_statements_export_neutralise_and_raw_keeps(results, tmp_path):
    r = CliRunner().invoke(app, ["show", str(results), "--format", "csv", "--columns", "doc_id,text"])
    assert r.exit_code == 0 and "'=HYPERLINK" in r.stdout and "\n=HYPERLINK" not in r.stdout
    raw = CliRunner().invoke(app, ["show", str(results), "--format", "csv", "--columns", "text", "--raw-csv"])
    assert raw.exit_code == 0 and "\n=HYPERLINK" in raw.stdout.replace('"', "")
    out = tmp_path / "st.csv"
    r = CliRunner().invoke(app, ["export", str(results), "--format", "statements", "--out", str(out)])
    assert r.exit_code == 0, r.output
    _no_formula_cells(pd.read_csv(out, keep_default_na=False))
    r = CliRunner().invoke(app, ["export", str(results), "--format", "statements", "--out", str(out), "--raw-csv"])
    assert r.exit_code == 0 and "=HYPERLINK" in out.read_text(encoding="utf-8").replace("'=HYPERLINK", "")


def test_csv_safe_rule():
    assert writers.csv_safe("=1+1") == "'=1+1" and writers.csv_safe("\tx") == "'\tx"
    assert writers.csv_safe("Baku") == "Baku" and writers.csv_safe(-1) == -1


def test_crafted_doc_id_cannot_read_outside_the_folder(results, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    for name in ("documents.jsonl", "claims.jsonl"):
        path = results / name
        path.write_text(path.read_text().replace('"doc_id": "talks"', '"doc_id": "../../secret"'))
    for args in (["report", str(results), "--out", str(tmp_path / "r.html")],
                 ["annotations", "export", str(results), "--out", str(tmp_path / "ls.json")],
                 ["show", str(results)]):
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 2, (args, r.output)
        assert "not a plain file name" in r.stderr
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "ls.json").exists()


def test_report_escapes_injected_html(results, tmp_path):
    src = tmp_path / "in" / "talks.txt"
    src.write_text("<script>alert(1)</script> Armenia and Azerbaijan must sign the treaty now.\n" + ARTICLE)
    assert _run(src, "--out", results, "--overwrite").exit_code == 0
    out = tmp_path / "r.html"
    assert CliRunner().invoke(app, ["report", str(results), "--out", str(out)]).exit_code == 0
    assert "<script>alert(1)</script>" not in out.read_text()


def test_out_holding_an_input_is_refused(tmp_path):
    d = tmp_path / "data"
    (d / "articles").mkdir(parents=True)
    (d / "articles" / "a.txt").write_text(ARTICLE)
    r = _run(d / "articles", "--out", d, "--overwrite")  # the swap would delete the inputs
    assert r.exit_code == 2 and "would delete it" in r.stderr
    assert (d / "articles" / "a.txt").is_file()
