"""Round trip through a real Label Studio server on 127.0.0.1.

`make labelstudio` installs Label Studio into its own virtual environment (.cache/ls-venv); this module
starts it with a fresh data folder and an API token, pushes argmine's tasks with predictions, changes
labels through the API, exports both shapes ("annotations" and "all tasks"), imports them back and
compares offsets and labels. Skipped when Label Studio is not installed, unless
ARGMINE_REQUIRE_LABELSTUDIO=1 (set by `make test`), where that is a failure. ARGMINE_LABELSTUDIO_URL
and ARGMINE_LABELSTUDIO_TOKEN use a server that is already running instead.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from test_inspect import CLAIMS, make_results

ROOT = Path(__file__).resolve().parents[1]
LS_BIN = ROOT / ".cache" / "ls-venv" / "bin" / "label-studio"
TOKEN = "argmine0test0token000000000000000000000"
START_TIMEOUT_S = 600  # first start runs Django migrations: minutes on a busy 2-core machine

pytestmark = [pytest.mark.slow, pytest.mark.labelstudio]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(base URL, token) of a running Label Studio."""
    if os.environ.get("ARGMINE_LABELSTUDIO_URL"):
        yield os.environ["ARGMINE_LABELSTUDIO_URL"].rstrip("/"), os.environ.get("ARGMINE_LABELSTUDIO_TOKEN", TOKEN)
        return
    if not LS_BIN.is_file():
        reason = f"{LS_BIN} not found: run `make labelstudio`"
        if os.environ.get("ARGMINE_REQUIRE_LABELSTUDIO") == "1":
            pytest.fail(f"ARGMINE_REQUIRE_LABELSTUDIO=1 but {reason}")
        pytest.skip(reason)
    data = tmp_path_factory.mktemp("ls-data")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data), "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    log_file = open(data / "server.log", "w")
    proc = subprocess.Popen(
        [str(LS_BIN), "start", "--no-browser", "--port", str(port), "--internal-host", "127.0.0.1", "--host", url,
         "--data-dir", str(data), "--database", str(data / "ls.sqlite3"), "--username", "argmine@example.org",
         "--password", "argmine-test-pw", "--user-token", TOKEN, "--enable-legacy-api-token"],
        stdout=log_file, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Label Studio exited ({proc.returncode}); log: {(data / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not answer on {url}/health within {START_TIMEOUT_S}s")
            time.sleep(2)
        print(f"\nLabel Studio up on {url} after {START_TIMEOUT_S - (deadline - time.monotonic()):.0f}s")
        yield url, TOKEN
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_file.close()


def _api(server, method: str, path: str, body=None, timeout: float = 120):
    url, token = server
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(f"{url}{path}", data=data, method=method,
                                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
    except urllib.error.HTTPError as e:
        raise AssertionError(f"{method} {path}: HTTP {e.code}: {e.read()[:1000]!r}") from None
    return json.loads(raw) if raw else None


def test_round_trip_through_a_real_label_studio(server, tmp_path, caplog):
    from typer.testing import CliRunner

    from argmine.annotations.labelstudio import from_labelstudio
    from argmine.cli import app
    from argmine.schema import LabelSchema

    results = make_results(tmp_path / "res")
    r = CliRunner().invoke(app, ["annotations", "export", str(results), "--out", str(tmp_path / "tasks.json")])
    assert r.exit_code == 0, r.output
    logging.getLogger().addHandler(caplog.handler)  # the CLI reconfigures logging (basicConfig(force=True)), dropping caplog's
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    config = (tmp_path / "tasks.config.xml").read_text(encoding="utf-8")
    project = _api(server, "POST", "/api/projects", {"title": "argmine round trip", "label_config": config})
    _api(server, "POST", f"/api/projects/{project['id']}/import", tasks)
    ls_tasks = _api(server, "GET", f"/api/tasks?project={project['id']}&page_size=100&fields=all")
    ls_tasks = ls_tasks["tasks"] if isinstance(ls_tasks, dict) else ls_tasks
    by_doc = {t["data"]["doc_id"]: t for t in ls_tasks}
    assert set(by_doc) == {"alpha", "beta"}
    for t in ls_tasks:
        preds = _api(server, "GET", f"/api/predictions?task={t['id']}")
        assert len(preds) == 1 and preds[0]["result"], f"task {t['id']}: the prediction was not imported"
        by_doc[t["data"]["doc_id"]]["prediction"] = preds[0]["result"]

    # An annotator accepts beta as predicted; in alpha flips the first claim's stance and scenario and
    # leaves the second claim without a scenario (it must be skipped, naming the task).
    _api(server, "POST", f"/api/tasks/{by_doc['beta']['id']}/annotations", {"result": by_doc["beta"]["prediction"]})
    alpha = json.loads(json.dumps(by_doc["alpha"]["prediction"]))
    ids = sorted({x["id"] for x in alpha})
    for x in alpha:
        if x["id"] == ids[0] and x["from_name"] == "stance":
            x["value"]["labels"] = ["con"]
        if x["id"] == ids[0] and x["from_name"] == "scenario":
            x["value"]["choices"] = ["deferred_tension"]
    alpha = [x for x in alpha if not (x["id"] == ids[1] and x["from_name"] == "scenario")]
    _api(server, "POST", f"/api/tasks/{by_doc['alpha']['id']}/annotations", {"result": alpha})

    schema = LabelSchema.load()
    shapes = {"annotations": "", "all tasks": "&download_all_tasks=true"}
    for shape, extra in shapes.items():
        exported = _api(server, "GET", f"/api/projects/{project['id']}/export?exportType=JSON{extra}")
        (tmp_path / f"export_{shape.replace(' ', '_')}.json").write_text(json.dumps(exported), encoding="utf-8")
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            back = {d.doc_id: d for d in from_labelstudio(exported, schema, "ann-ls", "1.0")}
        assert f"Label Studio task {by_doc['alpha']['id']}" in caplog.text, shape
        expected = {}
        for _k, (doc, quote, stance, scenario, _p, actors, speaker, ctype, _c) in enumerate(CLAIMS):
            expected.setdefault(doc, []).append((quote, stance, scenario, actors, speaker, ctype))
        alpha_claims = expected["alpha"]
        alpha_claims[0] = (alpha_claims[0][0], "con", "deferred_tension", *alpha_claims[0][3:])
        del alpha_claims[1]
        for doc, want in expected.items():
            text = (results / "texts" / f"{doc}.txt").read_text(encoding="utf-8")
            got = [(text[c.start:c.end], c.stance, c.scenario, list(c.actors), c.speaker, c.claim_type) for c in back[doc].claims]
            assert got == want, (shape, doc)
