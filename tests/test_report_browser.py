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


def test_report_in_chromium(browser, tmp_path: Path):
    from argmine.inspect.report import write_report

    results = make_results(tmp_path / "res")
    report = write_report(results, tmp_path / "report.html")
    claims = {json.loads(line)["claim_id"]: json.loads(line) for line in open(results / "claims.jsonl", encoding="utf-8")}

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")

    # Self-contained and inert: the only request is the file itself; the article's <script> did not run.
    assert requests == [report.as_uri()]
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert errors == []
    assert "<script>window.__pwned = 1</script>" in page.locator('mark[data-claim="alpha:0001"] .ctext').inner_text()

    # Every highlighted span is exactly its claim's text, in the document it belongs to.
    marks = page.locator("mark.claim")
    assert marks.count() == len(CLAIMS)
    for i in range(marks.count()):
        m = marks.nth(i)
        cid = m.get_attribute("data-claim")
        assert m.locator(".ctext").inner_text() == claims[cid]["text"]
        assert m.evaluate("el => el.closest('article').dataset.doc") == claims[cid]["doc_id"]
        assert f"st-{claims[cid]['stance']}" in m.get_attribute("class")

    visible = lambda: [r.get_attribute("data-claim") for r in page.locator("#claims tbody tr:visible").all()]  # noqa: E731
    assert len(visible()) == len(CLAIMS)

    # Filter the table: stance = con keeps the three con claims and fades the other highlights.
    page.select_option("#f-stance", "con")
    con = [cid for cid, c in claims.items() if c["stance"] == "con"]
    assert sorted(visible()) == sorted(con)
    assert page.locator("#shown-count").inner_text() == f"{len(con)} of {len(CLAIMS)} claims"
    for cid in claims:
        faded = "filtered-out" in page.locator(f'mark[data-claim="{cid}"]').get_attribute("class")
        assert faded == (cid not in con)
    page.select_option("#f-actor", "Russia")
    assert sorted(visible()) == ["alpha:0001", "beta:0000"]
    page.select_option("#f-actor", "")
    page.select_option("#f-stance", "")
    page.fill("#f-text", "corridors")
    assert visible() == ["beta:0002"]
    page.fill("#f-text", "")
    page.fill("#f-score", "0.75")
    assert sorted(visible()) == ["alpha:0000", "alpha:0001", "beta:0001"]
    page.fill("#f-score", "0")

    # Sort by score (second click: descending).
    header = page.locator('#claims th[data-key="score"]')
    header.click()
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    scores = [float(r.get_attribute("data-score")) for r in page.locator("#claims tbody tr").all()]
    assert scores == sorted(scores, reverse=True)

    # A table row leads to its highlight in the text; hovering the highlight shows scores and speaker.
    page.select_option("#f-stance", "con")
    page.locator('#claims tr[data-claim="beta:0002"] a').click()
    target = page.locator('mark[data-claim="beta:0002"]')
    assert "flash" in target.get_attribute("class")
    assert target.is_visible() and target.bounding_box()["y"] < 900
    target.hover()
    tip = target.locator(".tip")
    assert tip.is_visible()
    text = tip.inner_text()
    assert "deferred_tension 0.65" in text and "speaker" in text and "Iran" in text
    # the card is moved left when the claim starts near the right edge, so it stays on screen
    page.wait_for_function("""() => {
        const tip = document.querySelector('mark[data-claim="beta:0002"] .tip').getBoundingClientRect();
        return tip.left >= 0 && tip.right <= document.documentElement.clientWidth; }""", timeout=3000)

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot))
    full = tmp_path / "report_full.png"
    page.screenshot(path=str(full), full_page=True)
    assert shot.stat().st_size > 10_000
    for path in (shot, full):
        _save_artefact(path)
    page.close()
