"""Bad input gets a one-line error naming the file and the fix, and the other inputs still run."""

import pytest
from typer.testing import CliRunner

from argmine.cli import app
from argmine.errors import InputError
from argmine.reader import read_source

GOOD = "Armenia and Azerbaijan talk about peace. The border is calm and the talks go on.\n"


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "whitespace-only"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00rest", "binary"),
        ("latin.txt", "Peace in Caf\u00e9 talks.".encode("cp1252"), "byte offset 12"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path, name, content, needle):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_source(f)
    assert needle in str(e.value) and name in str(e.value)


def test_huge_file_refused_without_reading(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:  # a sparse 50 MB file: refused on its size alone
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"\n")
    with pytest.raises(InputError, match="over the limit"):
        read_source(f)


def test_crlf_and_non_english(tmp_path):
    f = tmp_path / "crlf.txt"
    f.write_bytes(b"Title\r\nArmenia and Azerbaijan talk.\r\n")
    assert read_source(f).text == "Title\nArmenia and Azerbaijan talk.\n"
    g = tmp_path / "fr.txt"
    g.write_text("Le processus de paix entre les deux pays reste fragile selon les analystes. " * 5, encoding="utf-8")
    assert "does not look English" in read_source(g).warnings[0]


def test_run_reports_failures_and_processes_the_rest(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "bad.txt").write_bytes(b"caf\xe9 talks")
    (d / "skip.docx").write_bytes(b"PK")
    missing = tmp_path / "missing.txt"
    r = CliRunner().invoke(app, ["run", str(d), str(missing), "--out", str(tmp_path / "out"), "--spacy-model", "blank", "--model", "placeholder"])
    assert r.exit_code == 3, r.output  # some inputs failed: the documented partial-failure code
    err = r.stderr
    assert "empty.txt" in err and "bad.txt" in err and "missing.txt" in err
    assert "failed" not in r.stdout and "good" in r.stdout  # results on stdout, failures on stderr
    assert (tmp_path / "out" / "claims.jsonl").read_text().count("\n") == 2


def test_nothing_usable_exits_nonzero(tmp_path):
    d = tmp_path / "nothing"
    d.mkdir()
    (d / "notes.odt").write_bytes(b"PK")
    r = CliRunner().invoke(app, ["run", str(d), "--out", str(tmp_path / "out"), "--spacy-model", "blank", "--model", "placeholder"])
    assert r.exit_code == 1
    assert "no supported files" in r.output
    assert not (tmp_path / "out").exists()


def test_unreadable_file(tmp_path):
    import os

    f = tmp_path / "locked.txt"
    f.write_text(GOOD)
    f.chmod(0)
    if os.access(f, os.R_OK):  # root reads anything: nothing to test here
        pytest.skip("running as root")
    with pytest.raises(InputError, match="cannot read"):
        read_source(f)
