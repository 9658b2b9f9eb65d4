"""The HTML report as a person uses it: opened in headless Chromium, filtered, sorted, hovered, clicked.

Needs Debian's chromium at /usr/bin/chromium (`make setup` installs it when run as root) and the
playwright package; never downloads a browser. Skipped with the reason when either is missing, unless
ARGMINE_REQUIRE_BROWSER=1 (set by `make test` as root, i.e. in CI), where a missing browser fails.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from test_inspect import CLAIMS, make_results

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = Path(os.environ.get("ARGMINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not found: install Debian's chromium (`sudo apt-get install chromium`, or `make setup` as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("ARGMINE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ARGMINE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _save_artefact(src: Path) -> None:
    target = os.environ.get("ARGMINE_ARTIFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, Path(target) / src.name)


# Finds the centre of every mark of a Vega view whose datum has ``field`` (page coordinates).
MARK_CENTRES = """([name, field]) => {
  const view = window.__argmine.views[name];
  const out = [];
  const walk = (mark, ox, oy) => {
    for (const item of mark.items || []) {
      if (mark.marktype === 'group') { for (const m of item.items || []) walk(m, ox + (item.x || 0), oy + (item.y || 0)); continue; }
      if (item.datum && item.datum[field] !== undefined && item.width)
        out.push({datum: item.datum, x: ox + item.x + item.width / 2, y: oy + (item.y || 0) + (item.height || 0) / 2});
    }
  };
  walk(view.scenegraph().root, 0, 0);
  const box = view.container().querySelector('canvas').getBoundingClientRect();
  const [px, py] = view.origin();
  return out.map(o => ({datum: o.datum, x: box.left + px + o.x, y: box.top + py + o.y}));
}"""


# The rows a chart draws now: (scenario, stance, claims) of a named dataset of a Vega view.
CHART_DATA = """([view, data]) => window.__argmine.views[view].data(data).map(r => [r.scenario, r.stance, r.claims])"""


def _open(browser, report: Path, viewport=(1400, 950)):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_function("() => window.__argmine && window.__argmine.ready", timeout=30_000)
    return page, errors, requests


def _rows(page) -> list[str]:
    return page.evaluate("() => window.__argmine.visible().map(i => JSON.parse(document.getElementById('payload').textContent).claims.id[i])")


def test_report_in_chromium(browser, tmp_path: Path):
    from argmine.inspect.report import write_report

    results = make_results(tmp_path / "res")
    report = write_report(results, tmp_path / "report.html")
    claims = {json.loads(line)["claim_id"]: json.loads(line) for line in open(results / "claims.jsonl", encoding="utf-8")}
    page, errors, requests = _open(browser, report)

    # Self-contained and inert: the only request is the file itself (blob: downloads excepted).
    assert [r for r in requests if not r.startswith("blob:")] == [report.as_uri()]
    assert errors == []
    assert len(_rows(page)) == len(CLAIMS)

    # A click on a bar of the stance × scenario chart filters the table to that stance and scenario.
    marks = page.evaluate(MARK_CENTRES, ["stance_scenario", "scenario"])
    bar = next(m for m in marks if m["datum"]["scenario"] == "deferred_tension")
    page.mouse.click(bar["x"], bar["y"])
    want = sorted(cid for cid, c in claims.items() if c["scenario"] == "deferred_tension" and c["stance"] == bar["datum"]["stance"])
    assert sorted(_rows(page)) == want and page.locator("#p-claims").is_visible()
    assert "scenario: deferred_tension" in page.locator("#chips").inner_text()
    page.click("#f-clear")

    # The table → chart direction: filtering the table redraws the charts (of the tab shown) with the
    # filtered claims; the page's aggregation of all claims is exactly what Python put in each chart.
    page.click("nav.tabs button[data-tab=overview]")
    full = page.evaluate(CHART_DATA, ["stance_scenario", "stance_scenario"])
    for name, chart in page.evaluate("() => JSON.parse(document.getElementById('payload').textContent).charts").items():
        mine = page.evaluate("(n) => window.__argmine.aggregate(n)", name)
        for dataset, rows in chart["spec"]["datasets"].items():
            def canon(rs):
                return sorted(tuple(sorted((k, round(v, 3) if isinstance(v, float) else v) for k, v in r.items())) for r in rs)
            assert canon(mine[dataset]) == canon(rows), f"{name}/{dataset}: the page aggregates differently from Python"
    page.select_option("#f-actor", label="Russia")
    shown = [tuple(r) for r in page.evaluate(CHART_DATA, ["stance_scenario", "stance_scenario"])]
    russia = [c for c in claims.values() if "Russia" in c["actors"]]
    assert sorted(shown) == sorted((c["scenario"], c["stance"], 1) for c in russia)  # one claim per bar here
    page.select_option("#f-stance", label="pro")
    assert page.evaluate(CHART_DATA, ["stance_scenario", "stance_scenario"]) == []
    page.click("#f-clear")
    assert sorted(page.evaluate(CHART_DATA, ["stance_scenario", "stance_scenario"])) == sorted(full)
    page.click("nav.tabs button[data-tab=claims]")

    # Filters: search, stance, actor, minimum score.
    page.fill("#f-q", "corridors")
    assert _rows(page) == ["beta:0002"]
    page.fill("#f-q", "")
    page.select_option("#f-stance", label="con")
    page.select_option("#f-actor", label="Russia")
    assert sorted(_rows(page)) == ["alpha:0001", "beta:0000"]
    page.click("#f-clear")
    page.fill("#f-min", "0.75")
    assert sorted(_rows(page)) == ["alpha:0000", "alpha:0001", "beta:0001"]
    page.fill("#f-since", "2025-01-01")
    assert sorted(_rows(page)) == ["alpha:0000", "alpha:0001"]
    page.click("#f-clear")

    # The filtered claims download as CSV and JSON.
    page.select_option("#f-stance", label="pro")
    with page.expect_download() as dl:
        page.click("#dl-json")
    rows = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert sorted(r["claim_id"] for r in rows) == sorted(c for c, v in claims.items() if v["stance"] == "pro")
    with page.expect_download() as dl:
        page.click("#dl-csv")
    assert len(Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()) == 1 + len(rows)
    page.click("#f-clear")

    # A row opens its document, rendered on demand; every highlight is exactly its claim's text and
    # the article's <script> is shown as text, never run.
    page.locator('#claims tbody tr[data-i="1"]').click()
    assert page.locator("#p-document").is_visible()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    ids = page.evaluate("() => JSON.parse(document.getElementById('payload').textContent).claims.id")
    for m in page.locator("#doc mark.claim").all():
        cid = ids[int(m.get_attribute("data-i"))]
        own = m.evaluate("el => Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('')")
        assert own == claims[cid]["text"]
    assert "<script>window.__pwned = 1</script>" in page.locator("#doc").inner_text()
    assert page.locator('#doc mark[data-i="1"]').get_attribute("data-focused") == "1"  # the row's claim is focused

    # Actors tab: the per-actor table and charts; clicking an actor filters the claims.
    page.click("nav.tabs button[data-tab=actors]")
    page.wait_for_function("() => window.__argmine.views.actor_stance")
    page.locator('#actor-table tr[data-actor="Russia"]').click()
    assert sorted(_rows(page)) == ["alpha:0001", "beta:0000"]
    page.click("#f-clear")

    # Timeline: a click on a period filters to its dates.
    page.click("nav.tabs button[data-tab=timeline]")
    page.select_option("#period-by", "year")
    page.wait_for_function("() => window.__argmine.views.timeline_year")
    page.screenshot(path=str(tmp_path / "report_timeline.png"))
    marks = page.evaluate(MARK_CENTRES, ["timeline_year", "period"])
    bar = next(m for m in marks if m["datum"]["period"] == "2024")
    page.mouse.click(bar["x"], bar["y"])
    assert all(c.startswith("beta") for c in _rows(page)) and _rows(page)
    assert errors == []
    page.click("nav.tabs button[data-tab=overview]")
    for name in ("report.png", "report_full.png"):
        page.screenshot(path=str(tmp_path / name), full_page=name.endswith("full.png"))
        _save_artefact(tmp_path / name)
    _save_artefact(tmp_path / "report_timeline.png")
    page.close()


def synthetic_corpus(out: Path, n_docs: int, seed: int = 0) -> tuple[Path, Path]:
    """The bundled corpus replicated to ``n_docs`` documents: segmented texts, one claim per body sentence,
    random (seeded) labels and actors, dates and metadata from the manifest. Returns (results, manifest)."""
    import csv
    import hashlib
    import random
    import re

    from argmine.records import ClaimRecord, DocumentRecord
    from argmine.schema import LabelSchema
    from argmine.segment import segment_text
    from argmine.writers import write_results

    schema = LabelSchema.load()
    rng = random.Random(seed)
    manifest = {r["doc_id"]: r for r in csv.DictReader(open(ROOT / "corpus" / "manifest.csv", encoding="utf-8"))}
    sources = []
    for path in sorted((ROOT / "corpus" / "texts").iterdir()):
        text = path.read_text(encoding="utf-8")
        segments, references, front = segment_text(text)
        sentences = [(s.start + m.start(), s.start + m.end(), s) for s in segments if s.kind in ("paragraph", "list_item")
                     for m in re.finditer(r"[^.!?]+[.!?]", text[s.start:s.end])]
        sources.append((path.stem, text, segments, references, front, sentences))

    def scores(labels):
        raw = [rng.gammavariate(0.6, 1.0) for _ in labels]
        probs = {lab: r / sum(raw) for lab, r in zip(labels, raw)}
        return max(probs, key=probs.get), probs

    documents, claims, texts, meta_rows = [], [], {}, []
    actors = schema.actor_ids
    for i in range(n_docs):
        stem, text, segments, references, front, sentences = sources[i % len(sources)]
        doc_id = f"{stem}__{i:04d}"
        texts[doc_id] = text
        documents.append(DocumentRecord(doc_id=doc_id, path=f"corpus/texts/{doc_id}.txt", format="text",
                                        sha256=hashlib.sha256(text.encode()).hexdigest(), n_chars=len(text), title=front["title"],
                                        byline=front["byline"], author=front["author"], date=None, n_segments=len(segments),
                                        n_claims=len(sentences), n_references=len(references), segments=segments, references=references))
        meta_rows.append({**manifest.get(stem, {}), "doc_id": doc_id})
        for k, (start, end, seg) in enumerate(sentences):
            while start < end and text[start].isspace():
                start += 1
            if end - start < 20:
                continue
            stance, st = scores(schema.stance_labels)
            scenario, sc = scores(schema.scenario_labels)
            claims.append(ClaimRecord(doc_id=doc_id, claim_id=f"{doc_id}:{k:04d}", start=start, end=end, text=text[start:end],
                                      section=seg.section, paragraph=seg.paragraph, list_item=seg.kind == "list_item",
                                      actors=rng.sample(actors, k=rng.choice([0, 1, 1, 2])), stance=stance, stance_scores=st,
                                      scenario=scenario, scenario_scores=sc, claim_type=rng.choice(["assessment", "prediction", "prescription"]),
                                      model="synthetic-random-labels"))
    results = write_results(out / "results", documents, claims, texts=texts, overwrite=True, extra={"model": "synthetic-random-labels"})
    meta = out / "manifest.csv"
    with open(meta, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(meta_rows[0]))
        writer.writeheader()
        writer.writerows(meta_rows)
    return results, meta


def test_report_of_1000_documents_loads_in_3s_and_filters_in_300ms(browser, tmp_path: Path):
    import time

    from argmine.inspect.report import write_report

    t0 = time.perf_counter()
    results, meta = synthetic_corpus(tmp_path, 1000)
    t1 = time.perf_counter()
    report = write_report(results, tmp_path / "report_1000.html", metadata=meta)
    t2 = time.perf_counter()
    page, errors, _ = _open(browser, report)
    info = page.evaluate("() => ({load: window.__argmine.loadMs, script: window.__argmine.scriptMs, n: window.__argmine.visible().length})")
    timings = {}

    def measure(name: str, js: str) -> None:
        # the filter runs synchronously on the event; forcing layout includes the table's re-render
        # ... and the charts' redraw: wait for every Vega view to finish its dataflow and rendering
        timings[name] = page.evaluate("async () => { const t = performance.now(); " + js + "; document.body.offsetHeight; "
                                      "await Promise.all(Object.values(window.__argmine.views).map(v => v.runAsync())); "
                                      "return performance.now() - t; }")

    measure("search 'peace'", "const e = document.getElementById('f-q'); e.value = 'peace'; e.dispatchEvent(new Event('input'))")
    measure("stance", "const e = document.getElementById('f-stance'); e.value = '1'; e.dispatchEvent(new Event('change'))")
    measure("actor", "const e = document.getElementById('f-actor'); e.value = '0'; e.dispatchEvent(new Event('change'))")
    drawn = sum(n for *_, n in page.evaluate(CHART_DATA, ["stance_scenario", "stance_scenario"]))
    assert drawn == page.evaluate("() => window.__argmine.visible().length")  # the chart counts the filtered claims
    measure("since 2023", "const e = document.getElementById('f-since'); e.value = '2023-01-01'; e.dispatchEvent(new Event('change'))")
    facet = page.evaluate("() => document.querySelector('select[data-facet]') && document.querySelector('select[data-facet]').dataset.facet")
    if facet:
        measure(f"facet {facet}", f"const e = document.querySelector('select[data-facet=\"{facet}\"]'); e.value = e.options[1].value; e.dispatchEvent(new Event('change'))")
    measure("clear", "document.getElementById('f-clear').click()")
    measure("sort by score", "document.querySelector('#claims th[data-col=\"5\"]').click()")
    marks = page.evaluate(MARK_CENTRES, ["stance_scenario", "scenario"])
    t = time.perf_counter()
    page.mouse.click(marks[0]["x"], marks[0]["y"])
    timings["chart click (JS)"] = page.evaluate("() => window.__argmine.lastFilterMs")
    timings["chart click (wall, incl. Playwright)"] = (time.perf_counter() - t) * 1000
    page.click("#f-clear")
    page.locator("#claims tbody tr").first.click()
    page.wait_for_selector("#doc mark.claim")
    page.screenshot(path=str(tmp_path / "report_1000_document.png"))
    page.click("nav.tabs button[data-tab=overview]")
    page.screenshot(path=str(tmp_path / "report_1000.png"), full_page=True)
    for name in ("report_1000.png", "report_1000_document.png"):
        _save_artefact(tmp_path / name)
    size = report.stat().st_size / 1e6
    print(f"\n1,000 documents, {info['n']} claims; results built in {t1 - t0:.1f}s, report written in {t2 - t1:.1f}s ({size:.1f} MB)")
    print(f"load in headless Chromium: {info['load']:.0f} ms to ready (navigation start → charts drawn), script {info['script']:.0f} ms")
    for name, ms in timings.items():
        print(f"  filter {name:<36} {ms:7.1f} ms")
    assert errors == []
    assert info["load"] < 3000, f"the report took {info['load']:.0f} ms to load"
    for name, ms in timings.items():
        if "wall" not in name:
            assert ms < 300, f"filter {name} took {ms:.0f} ms"
