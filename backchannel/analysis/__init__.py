"""Reads and writes the corpus: quoted history, threads, NER, identities, graph, count tables.

Nothing here yet: see the open issues (quoted history and threads; roster, identities and NER;
the graph and the per-official tables).
"""
