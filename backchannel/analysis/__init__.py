"""Reads and writes the corpus, in the order `run.analyze` calls them: authored text apart
from quoted history and the emails recovered from it (quotes, recovered), threads, the gaps in
the production (gaps), identities, the count tables and the graph (counts, graph), NER (ner);
`report` and `exports` read what they wrote.

To add a stage: a module with a function `stage(db) -> result`, called from `run.analyze`.
"""

from .quotes import BodySplit, split_body
from .run import AnalyzeSummary, analyze
from .threads import build_threads

__all__ = ["AnalyzeSummary", "BodySplit", "analyze", "build_threads", "split_body"]
