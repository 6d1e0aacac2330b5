"""Reads and writes the corpus: authored text apart from quoted history (and the emails
recovered from it), threads, and the gaps in the production. To come: NER, identities, the
graph and the count tables (open issues).

To add a stage: a module with a function `stage(db) -> result`, called from `run.analyze`.
"""

from .quotes import BodySplit, split_body
from .run import AnalyzeSummary, analyze
from .threads import build_threads

__all__ = ["AnalyzeSummary", "BodySplit", "analyze", "build_threads", "split_body"]
