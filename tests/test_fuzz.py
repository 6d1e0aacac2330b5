"""Fuzzing the readers: mutated mbox, .eml, zip and PDF bytes never make an exception escape
`ingest`, and every file ends as messages or errors rows. Bounded for CI (a longer run: set
BACKCHANNEL_FUZZ_EXAMPLES; docs/hostile-input.md has its figures)."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, make_email, rows

from backchannel.corpus import ingest, open_corpus

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis fuzzes the readers")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

sys.path.insert(0, str(ROOT / "sample"))
printout = pytest.importorskip("printout", reason="fpdf2 renders the seed PDF")

EXAMPLES = int(os.environ.get("BACKCHANNEL_FUZZ_EXAMPLES", "60"))


def _seeds() -> dict[str, bytes]:
    mails = [make_email(message_id=f"<s{n}@x>", body=f"Seed {n}.\n") for n in range(3)]
    mbox = b"".join(b"From s@x Tue Mar  4 09:15:00 2025\n" + m + b"\n" for m in mails)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/1.eml", mails[0])
        zf.writestr("b/2.eml", mails[1])
    with tempfile.TemporaryDirectory() as tmp:
        pdf = printout.layout_pdf(
            ["From: Rosa <rosa@bsn.example>\nSent: Monday, March 3, 2025 4:02 PM\n"
             "To: dana@d.example\nSubject: Seed\n\nThe text.            B6"],
            Path(tmp) / "s.pdf",
        ).read_bytes()  # fmt: skip
    return {"box.mbox": mbox, "one.eml": mails[2], "dump.zip": buf.getvalue(), "print.pdf": pdf}


SEEDS = _seeds()
mutation = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "insert", "truncate"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, steps) -> bytes:
    data = bytearray(data)
    for op, where, junk in steps:
        at = int(where * max(len(data) - 1, 0))
        if op == "flip" and data:
            data[at] ^= junk[0] or 1
        elif op == "cut":
            del data[at : at + len(junk) * 8]
        elif op == "insert":
            data[at:at] = junk
        elif op == "truncate":
            del data[at:]
    return bytes(data)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=st.sampled_from(sorted(SEEDS)), steps=mutation)
def test_mutated_files_never_escape(name, steps):
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump"
        dump.mkdir()
        (dump / name).write_bytes(mutate(SEEDS[name], steps))
        db = Path(tmp) / "c.db"
        corpus = open_corpus(db)
        try:
            summary = ingest(corpus, [dump], workers=1)  # no exception escapes
        finally:
            corpus.close()
        # The file is accounted for: every source (the file, an archive's members) finished,
        # and each gave messages, members or errors rows of its own; the summary says so.
        sources = rows(db, "select id, status from sources")
        assert sources
        for sid, status in sources:
            (copies,) = rows(db, "select count(*) from message_copies where source_id = ?", [sid])[
                0
            ]
            (members,) = rows(db, "select count(*) from sources where parent_id = ?", [sid])[0]
            (errors,) = rows(db, "select count(*) from errors where source_id = ?", [sid])[0]
            (failed,) = rows(
                db, "select count(*) from errors where source_id = ? and level = 'error'", [sid]
            )[0]
            assert status in ("done", "error"), status
            assert copies or members or errors, f"{status} source with nothing from it"
            assert status == "done" or failed, "a source in error without an errors row"
        (copies,) = rows(db, "select count(*) from message_copies")[0]
        (errors,) = rows(db, "select count(*) from errors where level = 'error'")[0]
        assert summary.messages == copies and summary.errors == errors
