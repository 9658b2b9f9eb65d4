"""Reliability catalogue: linear time on list-heavy documents, and a bounded fuzz of the segmenter and
the blank-spaCy pipeline (docs/reliability.md gives the longer release-check run)."""

from __future__ import annotations

import cProfile
import os
import pstats

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmine.segment import segment_text

LINE = "- Baku and Yerevan should sign the peace treaty before the summit in Brussels (Test, 2024), Pashinyan said."
FUZZ_EXAMPLES = int(os.environ.get("ARGMINE_FUZZ_EXAMPLES", "60"))


def _calls(nlp, n: int) -> int:
    """Python-level calls made to process a list of ``n`` bullet lines and read every claim's fields."""
    text = "A List\n\n" + "\n".join(LINE for _ in range(n)) + "\n"
    prof = cProfile.Profile()
    prof.enable()
    doc = nlp(text)
    for s in doc.spans["argmine_claims"]:
        _ = (s._.argmine_actors, s._.argmine_mentions, s._.argmine_speaker, s._.argmine_citations)
    prof.disable()
    return pstats.Stats(prof).total_calls


def test_doubling_a_list_heavy_document_doubles_the_work(blank_pipeline):
    """Before: 1k/2k/4k/8k bullet lines took 4/16/62/251 s (segment and mention look-ups rescanned
    every span per claim). Counting calls, not seconds, keeps this exact on a busy machine."""
    small, large = _calls(blank_pipeline.nlp, 150), _calls(blank_pipeline.nlp, 300)
    assert large / small <= 2.2, (small, large)


def test_segment_q_colon_has_no_empty_segment():
    segments, _, _ = segment_text("Q:")
    assert all(s.end > s.start for s in segments)  # before: an empty question segment


def test_mid_document_sources_line_keeps_later_claims(blank_pipeline):
    """Before: everything after a bare "Sources" line was references, its claims silently dropped."""
    text = ("Border Talks\n\nArmenia and Azerbaijan agreed on a border commission this spring after long talks.\n\n"
            "Sources\n\nOfficials in Baku say the commission will meet every month from now on, and Yerevan agrees.\n\n"
            "References\n- Test, Ana. Borders. 2024. https://example.org/a\n")
    doc = blank_pipeline.nlp(text)
    claims = [s.text for s in doc.spans["argmine_claims"]]
    assert any(c.startswith("Officials in Baku") for c in claims)
    assert len(doc._.argmine_references) == 1


_LINES = st.sampled_from([
    "# Heading", "## Sub heading:", "References", "Sources", "Q:", "A: yes.", "- item one.", "1) item two",
    "By Ana Test", "3 March 2025", "Figure 1: x", "Armenia and Azerbaijan signed the treaty in 2024.",
    "Baku says peace is near, while Yerevan doubts it.", "Test, A. (2024). Title. https://x.org", "", "   ", "\t",
    "Is peace near?", "«Quoted» text — with dashes…", "[b]markup[/b] =HYPERLINK(1)", "\r", "\u2028", "😀 emoji",
])
_TEXT = st.one_of(st.lists(st.one_of(_LINES, st.text(max_size=60)), max_size=25).map("\n".join), st.text(max_size=400))


def _check_spans(spans, text: str) -> None:
    for start, end in spans:
        assert 0 <= start < end <= len(text)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_fuzz_segmenter(text):
    segments, references, front = segment_text(text)
    _check_spans([(s.start, s.end) for s in segments], text)
    _check_spans([(r.start, r.end) for r in references], text)
    starts = [s.start for s in segments]
    assert starts == sorted(starts)


@pytest.fixture(scope="module")
def fuzz_nlp():
    from argmine.nlp import build_nlp

    return build_nlp("blank")


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_TEXT)
def test_fuzz_blank_pipeline_claims_are_exact_and_disjoint(fuzz_nlp, text):
    doc = fuzz_nlp(text)
    claims = sorted((s.start_char, s.end_char, s.text) for s in doc.spans["argmine_claims"])
    prev_end = -1
    for start, end, span_text in claims:
        assert 0 <= start < end <= len(text) and text[start:end] == span_text
        assert start >= prev_end, "claims overlap"
        prev_end = end
