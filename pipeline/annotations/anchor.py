"""Quote-anchored drafts → stand-off records: annotators write claim quotes, this finds the offsets."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import AnnotationError
from ..reader import text_sha256
from ..records import AnnotatedDocument, ClaimAnnotation, ClaimType, SchemaRef
from ..schema import LabelSchema
from .loader import resolve_text


class DraftClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quote: str
    stance: str
    scenario: str
    actors: list[str] = Field(default_factory=list)
    speaker: str = "author"
    claim_type: ClaimType | None = None
    hedged: bool = False


class Draft(BaseModel):
    """What an annotator writes: the claims as exact quotes, in document order."""

    model_config = ConfigDict(extra="forbid")
    doc_id: str
    source: str
    annotator: str
    guidelines_version: str = "1.0"
    claims: list[DraftClaim]


def anchor(draft_path: Path, schema: LabelSchema, root: Path | None = None) -> AnnotatedDocument:
    """Find every quote after the previous one; errors name the claim index and the quote."""
    try:
        draft = Draft.model_validate(json.loads(draft_path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValidationError) as e:
        raise AnnotationError(f"{draft_path}: not a valid draft ({e})") from e
    stub = AnnotatedDocument(doc_id=draft.doc_id, source=draft.source, text_sha256="", schema_=SchemaRef(name=schema.name, version=schema.version),
                             guidelines_version=draft.guidelines_version, annotator=draft.annotator)
    text = resolve_text(stub, draft_path, root)
    claims, errors, cursor = [], [], 0
    for i, c in enumerate(draft.claims):
        if c.quote != c.quote.strip():
            errors.append(f"claim {i}: quote has leading/trailing whitespace")
        pos = text.find(c.quote, cursor)
        if pos < 0:
            pos = text.find(c.quote)
            if pos < 0:
                errors.append(f"claim {i}: quote not found in {draft.source}: {c.quote[:60]!r}")
                continue
            errors.append(f"claim {i}: quote occurs only before the previous claim; list claims in document order")
        if c.stance not in schema.stance_labels:
            errors.append(f"claim {i}: stance {c.stance!r} not in {schema.stance_labels}")
        if c.scenario not in schema.scenario_labels:
            errors.append(f"claim {i}: scenario {c.scenario!r} not in {schema.scenario_labels}")
        claims.append(ClaimAnnotation(start=pos, end=pos + len(c.quote), stance=c.stance, scenario=c.scenario, actors=c.actors,
                                      speaker=c.speaker, claim_type=c.claim_type, hedged=c.hedged))
        cursor = pos + len(c.quote)
    if errors:
        raise AnnotationError(f"{draft_path}: " + "; ".join(errors))
    return stub.model_copy(update={"text_sha256": text_sha256(text), "claims": claims})
