"""Shared fixtures: paths, the seed analysis (skipped when ../shared is absent), blank pipelines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Tests never read or write the user's model home; a test that needs one sets its own.
os.environ["ARGMINE_HOME"] = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"argmine-test-home-{os.getpid()}")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEED = ROOT.parent / "shared" / "corpus" / "khar_2025_peace_viability.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("the seed analysis (../shared/corpus) is not beside this checkout")
    return open(SEED, encoding="utf-8").read()


@pytest.fixture(scope="session")
def blank_pipeline():
    from argmine import Pipeline

    return Pipeline.load(model="placeholder", spacy_model="blank")


SAMPLE = """# Talks at the Border
By Ana Test, Fellow, Example Institute
Published: 3 March 2025

## Why it matters
Armenia and Azerbaijan have agreed on a border commission. Critics say it moves too slowly.

What happens next?

- The commission should meet monthly.
- Both sides must publish maps.

Figure 1: Meetings per year.

References
- Test, Ana. Borders. 2024. https://example.org/a
"""
