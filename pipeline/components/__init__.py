"""spaCy components of argmine, one per module; importing this registers the factories.

Extension getters (voice, modality) register on import too: they read a claim span after the detector.
The factories are also spaCy entry points (``spacy_factories`` in pyproject.toml), so
``nlp.add_pipe("argmine_actors")`` works in an interpreter that never imported argmine: spaCy
imports the module, and with it this package.
"""

from . import actors, anaphora, citations, claims, classifier, issuer, modality, structure, voice  # noqa: F401
