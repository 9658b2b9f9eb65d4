"""spaCy components of argmine, one per module; importing this registers the factories.

Extension getters (voice, modality) register on import too: they read a claim span after the detector.
"""

from . import actors, anaphora, citations, claims, issuer, modality, structure, voice  # noqa: F401
