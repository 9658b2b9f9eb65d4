"""The one record schema of argmine: documents, segments, claims and gold annotations.

Every stage speaks these records: the pipeline emits them, the writers serialise them,
the annotation loader reads gold into them, and the trainer and metrics consume them.
Bump ``RECORD_SCHEMA_VERSION`` whenever a field changes meaning.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

RECORD_SCHEMA_VERSION = "1.1"  # 1.1: date (ISO), author, outlet, genre, vantage on claims; outlet, url, genre, vantage, language on documents
ANNOTATION_FORMAT = "argmine-annotation/1"

SegmentKind = Literal[
    "title", "byline", "date", "heading", "paragraph", "list_item", "meta", "reference", "question"
]
ClaimType = Literal["assessment", "prediction", "prescription", "conditional"]


class _Record(BaseModel):
    # Unknown fields are an error: a typo in an annotation file must not pass silently.
    model_config = ConfigDict(extra="forbid")


class Segment(_Record):
    """A structural block of a document (one line or list item)."""

    kind: SegmentKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    section: Optional[str] = None  # the heading this block sits under
    paragraph: Optional[int] = None  # running index of body paragraphs / list items
    list_item: bool = False


class Reference(_Record):
    """One parsed entry of a references section."""

    ref_id: str
    start: int
    end: int
    authors: Optional[str] = None  # first author/publisher as written, used to link citations
    year: Optional[str] = None
    url: Optional[str] = None


class Mention(_Record):
    """An actor mention inside a claim: where it is and how it was found."""

    text: str
    start: int
    end: int
    actor: str
    # rule: a schema alias; ner: the statistical NER; anaphora: an expression resolved to an earlier
    # mention (antecedent_* are its offsets; None for the schema's default pair); issuer: the text's
    # issuer, whose offsets point at the byline/title that names it (GUIDELINES §5.5), or 0–0 with the
    # outlet as text when the document's outlet (metadata) names it
    method: Literal["rule", "ner", "anaphora", "issuer"] = "rule"
    in_schema: bool = True
    antecedent_start: Optional[int] = None
    antecedent_end: Optional[int] = None


class ClaimRecord(_Record):
    """One claim: a row of the claims table, or one gold claim."""

    schema_version: str = RECORD_SCHEMA_VERSION
    doc_id: str
    claim_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    section: Optional[str] = None
    paragraph: Optional[int] = None
    list_item: bool = False
    actors: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    speaker: str = "author"
    claim_type: Optional[ClaimType] = None
    hedged: Optional[bool] = None
    citations: list[str] = Field(default_factory=list)
    claim_score: Optional[float] = None  # detector confidence that this span is a claim
    stance: Optional[str] = None
    stance_scores: dict[str, float] = Field(default_factory=dict)
    scenario: Optional[str] = None
    scenario_scores: dict[str, float] = Field(default_factory=dict)
    model: Optional[str] = None  # name + hash of the classifier, or "placeholder-uniform"
    # Copied from the document row (argmine.formats.metadata.CLAIM_FIELDS) so claims slice by time and source.
    date: Optional[str] = None  # ISO 8601 (YYYY-MM-DD)
    author: Optional[str] = None
    outlet: Optional[str] = None
    genre: Optional[str] = None
    vantage: Optional[str] = None

    @model_validator(mode="after")
    def _check_span(self) -> "ClaimRecord":
        if self.end <= self.start:
            raise ValueError(f"claim {self.claim_id}: end ({self.end}) must be after start ({self.start})")
        return self


class DocumentRecord(_Record):
    """One row of documents.jsonl: what was read and what came out of it."""

    schema_version: str = RECORD_SCHEMA_VERSION
    doc_id: str
    path: str
    format: str
    sha256: str  # of the text as read (UTF-8 encoded), the key that annotations pin
    n_chars: int
    title: Optional[str] = None
    byline: Optional[str] = None
    author: Optional[str] = None
    date: Optional[str] = None  # ISO 8601 (YYYY-MM-DD): --metadata, else the text's date line, else the file's metadata
    issuer: Optional[str] = None  # actor id of an official text's issuer (schema [[issuers]]), added to every claim
    outlet: Optional[str] = None
    url: Optional[str] = None
    genre: Optional[str] = None
    vantage: Optional[str] = None
    language: Optional[str] = None
    language_warning: Optional[str] = None
    n_segments: int = 0
    n_sentences: int = 0
    n_claims: int = 0
    n_references: int = 0
    segments: list[Segment] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


# --- gold annotations (stand-off) -------------------------------------------------


class ClaimAnnotation(_Record):
    """A gold claim as stored in a stand-off annotation file (offsets, no text)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    stance: str
    scenario: str
    actors: list[str] = Field(default_factory=list)
    speaker: str = "author"
    claim_type: Optional[ClaimType] = None
    hedged: Optional[bool] = None


class SchemaRef(_Record):
    name: str
    version: str


class AnnotatedDocument(_Record):
    """One line of a stand-off annotation JSONL file."""

    format: str = ANNOTATION_FORMAT
    doc_id: str
    source: Optional[str] = None  # path of the text, relative to the project root
    text_sha256: str
    schema_: SchemaRef = Field(alias="schema")
    guidelines_version: str
    annotator: str
    text: Optional[str] = None  # only for the project's own texts; never for third-party ones
    claims: list[ClaimAnnotation] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def claim_records(self, text: str) -> list[ClaimRecord]:
        """Join the stand-off claims with the document text into ClaimRecords."""
        out = []
        for i, c in enumerate(sorted(self.claims, key=lambda c: c.start)):
            out.append(
                ClaimRecord(
                    doc_id=self.doc_id,
                    claim_id=f"{self.doc_id}:g{i:04d}",
                    start=c.start,
                    end=c.end,
                    text=text[c.start : c.end],
                    actors=list(c.actors),
                    speaker=c.speaker,
                    claim_type=c.claim_type,
                    hedged=c.hedged,
                    stance=c.stance,
                    scenario=c.scenario,
                    model=f"gold:{self.annotator}",
                )
            )
        return out
