"""Reliability catalogue, inputs: every bad input fails alone with file, problem and fix (issue 12).

Each test reproduces one case of the catalogue on a real file; the ones that already passed before
the issue (empty, binary, latin-1, CRLF/CR, BOM, huge, FIFO, symlink loop) are replayed too.
"""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from argmine.cli import app
from argmine.errors import InputError
from argmine.reader import collect_inputs, read_source

GOOD = "Armenia and Azerbaijan talk about peace. The border is calm and the talks go on.\n"
ARTICLE = ("Armenia and Azerbaijan have agreed on a border commission after long talks in Brussels. "
           "Critics in Yerevan say the commission moves too slowly and that the maps are not yet public. ")


def _err(path, **kw) -> str:
    with pytest.raises(InputError) as e:
        read_source(path, **kw)
    assert str(path) in str(e.value)
    return str(e.value)


def test_newlines_and_bom_as_python_reads_them(tmp_path):
    for name, raw in (("crlf.txt", b"T\r\nA b.\r\n"), ("cr.txt", b"T\rA b.\r")):
        f = tmp_path / name
        f.write_bytes(raw)
        assert read_source(f).text == "T\nA b.\n" == open(f, encoding="utf-8").read()
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert read_source(bom).text == open(bom, encoding="utf-8").read()


def test_utf16_is_read_not_called_binary(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes(GOOD.encode("utf-16"))  # with BOM; before: "looks binary"
    src = read_source(f)
    assert src.text == GOOD and any("UTF-16" in w for w in src.warnings)


def test_nul_after_the_first_8k_is_rejected(tmp_path):
    f = tmp_path / "late_nul.txt"
    f.write_bytes(GOOD.encode() * 200 + b"\x00tail")  # before: kept inside claims
    assert "NUL byte at byte offset" in _err(f)


def test_huge_file_refused_by_size(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"\n")
    assert "over the limit" in _err(f)


def test_fifo_and_symlink_loop(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "loop.txt")
    files, errors = collect_inputs([fifo, loop])
    assert not files
    msgs = {e.path: e.problem for e in errors}
    assert "not a regular file" in msgs[str(fifo)]
    assert msgs[str(loop)] == "symbolic link loop"  # before: "no such file or folder"
    assert "not a regular file" in _err(fifo)  # read_source never blocks on a FIFO
    folder_loop = tmp_path / "d"
    folder_loop.mkdir()
    (folder_loop / "self").symlink_to(folder_loop)
    (folder_loop / "a.txt").write_text(GOOD)
    files, errors = collect_inputs([folder_loop])
    assert [f.name for f in files] == ["a.txt"] and not errors


def test_html_is_read(tmp_path):
    """Before: trafilatura could not import lxml.html.clean and the whole run died."""
    f = tmp_path / "page.html"
    body = "".join(f"<p>{ARTICLE}</p>" for _ in range(4))
    f.write_text(f"<html><head><title>T</title></head><body><nav>Home | About</nav><article><h1>Border talks</h1>{body}</article></body></html>")
    src = read_source(f)
    assert "border commission" in src.text and src.format == "html"


def _pdf(path, text: str, password: str | None = None, algorithm: str = "AES-256") -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(612, 792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = w._add_object(stream)
    if password is not None:
        w.encrypt(user_password=password, owner_password="owner", algorithm=algorithm)
    with open(path, "wb") as fh:
        w.write(fh)


def test_pdf_plain_aes_open_and_password_protected(tmp_path):
    """Before: an AES PDF killed the run (no `cryptography`); a locked one was "not decrypted"."""
    plain, aes_open, locked = tmp_path / "plain.pdf", tmp_path / "aes.pdf", tmp_path / "locked.pdf"
    _pdf(plain, "Armenia and Azerbaijan agreed on a border commission.")
    _pdf(aes_open, "Armenia and Azerbaijan agreed on a border commission.", password="")
    _pdf(locked, "Secret text.", password="pw")
    assert "border commission" in read_source(plain).text
    assert "border commission" in read_source(aes_open).text
    assert "password-protected" in _err(locked)


def test_broken_pdf_and_html_fail_alone(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + os.urandom(300))
    assert "PDF" in _err(bad)


def test_max_chars_must_be_positive(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    r = CliRunner().invoke(app, ["run", str(f), "--out", str(tmp_path / "o"), "--spacy-model", "blank", "--max-chars", "-1"])
    assert r.exit_code == 2 and not (tmp_path / "o").exists()  # before: "limit of -0.0 MB"


def test_one_of_each_bad_input_plus_three_good(tmp_path):
    """The issue's 'done when': three good texts processed, each failure on stderr, exit 3."""
    d = tmp_path / "in"
    d.mkdir()
    for i in range(3):
        (d / f"good{i}.txt").write_text(ARTICLE * 2)
    (d / "page.html").write_text(f"<html><body><article><p>{ARTICLE}</p><p>{ARTICLE}</p></article></body></html>")
    (d / "empty.txt").write_bytes(b"")
    (d / "bin.txt").write_bytes(b"\x00\x01\x02")
    (d / "latin.txt").write_bytes("caf\u00e9".encode("cp1252"))
    (d / "late_nul.md").write_bytes(GOOD.encode() * 200 + b"\x00")
    _pdf(d / "locked.pdf", "x", password="pw")
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (d / "loop.txt").symlink_to(d / "loop.txt")
    r = CliRunner().invoke(app, ["run", str(d), str(tmp_path / "missing.txt"), "--out", str(tmp_path / "out"),
                                 "--spacy-model", "blank", "--model", "placeholder"])
    assert r.exit_code == 3, r.output
    for name in ("empty.txt", "bin.txt", "latin.txt", "late_nul.md", "locked.pdf", "broken.pdf", "missing.txt"):
        line = next((ln for ln in r.stderr.splitlines() if name in ln), "")
        assert "failed:" in line and " — " in line, (name, r.stderr)  # file, problem — fix
    assert "good0" in r.stdout and "failed" not in r.stdout
    docs = (tmp_path / "out" / "documents.jsonl").read_text().count("\n")
    assert docs == 4  # three texts and the HTML page


def test_markup_in_paths_is_printed_verbatim(tmp_path):
    """Before: notes[draft].txt was shown as notes.txt and [/b] crashed the summary (exit 1)."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "notes[draft].txt").write_text(ARTICLE)
    (d / "x[").mkdir()
    (d / "x[" / "b].txt").write_bytes(b"")  # the path reads ".../x[/b].txt": a closing tag with no opening
    (d / "[red]bad.txt").write_bytes(b"")
    r = CliRunner().invoke(app, ["run", str(d), "--out", str(tmp_path / "out"), "--spacy-model", "blank", "--model", "placeholder"])
    assert r.exit_code == 3, r.output
    assert "notes[draft]" in r.stdout
    assert "x[/b].txt" in r.stderr and "[red]bad.txt" in r.stderr


def test_duplicate_schema_label_message_not_mangled(tmp_path):
    from importlib import resources

    text = (resources.files("argmine.schemas") / "armenia_azerbaijan.toml").read_text(encoding="utf-8")
    bad = tmp_path / "s.toml"
    bad.write_text(text.replace('name = "con"', 'name = "[b]pro[/b]"').replace('name = "neutral"', 'name = "[b]pro[/b]"'))
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE)
    r = CliRunner().invoke(app, ["run", str(f), "--out", str(tmp_path / "o"), "--spacy-model", "blank", "--schema", str(bad)])
    assert r.exit_code == 2
    assert "['[b]pro[/b]'] more than once" in r.stderr  # before: the tags were eaten as markup


def test_a_crashing_document_fails_alone(tmp_path, blank_pipeline, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ARTICLE)
    b.write_text(ARTICLE)
    real = blank_pipeline.process

    def boom(source):
        if source.doc_id == "a":
            raise RuntimeError("simulated component crash")
        return real(source)

    monkeypatch.setattr(blank_pipeline, "process", boom)
    res = blank_pipeline.run([a, b])
    assert [d.doc_id for d in res.documents] == ["b"]
    assert "internal error" in str(res.failures[0]) and "a.txt" in str(res.failures[0])


def test_exit_codes_and_strict(tmp_path):
    f = tmp_path / "ok.txt"
    f.write_text(ARTICLE)
    args = ["run", str(f), "--spacy-model", "blank", "--model", "placeholder"]
    assert CliRunner().invoke(app, [*args, "--out", str(tmp_path / "o1")]).exit_code == 0
    r = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "o2"), "--strict"])
    assert r.exit_code == 3  # the placeholder classifier is a warning, --strict makes it count
    nothing = CliRunner().invoke(app, ["run", str(tmp_path / "none.txt"), "--out", str(tmp_path / "o3"), "--spacy-model", "blank", "--model", "placeholder"])
    assert nothing.exit_code == 1 and not (tmp_path / "o3").exists()
