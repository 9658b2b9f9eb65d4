"""The streaming run engine: read lazily, parse with ``nlp.pipe``, classify claims across documents in chunks,
write as results come. ``local`` runs it in this process or a pool of worker processes; ``ray_engine`` runs the
same per-chunk functions on Ray Data."""

from .local import RunOptions, RunStats, run_stream
from .spec import PipelineSpec

__all__ = ["PipelineSpec", "RunOptions", "RunStats", "run_stream"]
