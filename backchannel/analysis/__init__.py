"""Reads and writes the corpus, in the order `run.analyze` calls them (run.STAGES): authored
text apart from quoted history and the emails recovered from it (quotes, recovered), the
corpus's time zone and local dates (corpus/timezone.py), threads, the gaps in the production
(gaps), identities, the count tables and the graph (counts, graph), the roster's draft
(roster_draft), NER (ner); `report` and `graph.export` read what they wrote.

To add a stage: a module with what it computes and writes, a function `(run) -> None` in
run.py that calls it and fills the summary, and its line in `run.STAGES`.
"""

from importlib import import_module
from typing import Any

# Imported on first use: `analyze` brings networkx and the NER stage, which `ingest` and `report`
# never need (every ingest parser is a fork of the command's process, so each import is paid
# three times in memory).
_EXPORTS = {
    "AnalyzeSummary": "run",
    "analyze": "run",
    "BodySplit": "quotes",
    "split_body": "quotes",
    "build_threads": "threads",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
