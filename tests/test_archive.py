"""Zip archives: members as sources, nested zips, and hostile archives refused safely."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from conftest import make_email, rows

from backchannel.ingest import read
from backchannel.ingest.archive import ArchiveLimits
from backchannel.ingest.record import MessageRecord, ReadError


def zip_bytes(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def outcome(path: Path, limits: ArchiveLimits | None = None):
    items = list(read(path, limits=limits))
    ok = sorted(i.provenance.path for i in items if isinstance(i, MessageRecord))
    errors = [(e.path, e.location, e.stage, e.reason) for e in items if isinstance(e, ReadError)]
    return ok, errors


def test_nested_zips_are_opened(tmp_path):
    inner = zip_bytes({"deep/c.eml": make_email(message_id="<c@x>")})
    middle = zip_bytes({"b.eml": make_email(message_id="<b@x>"), "inner.zip": inner})
    path = tmp_path / "outer.zip"
    path.write_bytes(zip_bytes({"a.eml": make_email(message_id="<a@x>"), "m/middle.zip": middle}))
    ok, errors = outcome(path)
    assert ok == [
        "outer.zip!/a.eml",
        "outer.zip!/m/middle.zip!/b.eml",
        "outer.zip!/m/middle.zip!/inner.zip!/deep/c.eml",
    ]
    assert errors == []


def test_member_names_that_escape_are_refused(tmp_path):
    path = tmp_path / "evil.zip"
    path.write_bytes(
        zip_bytes(
            {
                "../../etc/evil.eml": make_email(),
                "/abs/evil.eml": make_email(),
                "ok.eml": make_email(message_id="<ok@x>"),
            }
        )
    )
    ok, errors = outcome(path)
    assert ok == ["evil.zip!/ok.eml"]
    assert sorted(e[1] for e in errors) == ["member '../../etc/evil.eml'", "member '/abs/evil.eml'"]
    assert all(e[2] == "archive" and "escapes the archive" in e[3] for e in errors)
    assert not (tmp_path.parent / "etc").exists()


def test_zip_bomb_is_refused_with_default_limits(tmp_path):
    path = tmp_path / "bomb.zip"
    path.write_bytes(zip_bytes({"huge.eml": b"\0" * (48 << 20), "ok.eml": make_email()}))
    assert path.stat().st_size < 200_000  # really a bomb: ~1000x
    ok, errors = outcome(path)
    assert ok == ["bomb.zip!/ok.eml"]
    assert len(errors) == 1 and "zip bomb" in errors[0][3]


def test_total_inflation_is_bounded(tmp_path):
    path = tmp_path / "many.zip"
    path.write_bytes(
        zip_bytes(
            {f"{n}.eml": make_email(message_id=f"<{n}@x>") for n in range(5)},
            method=zipfile.ZIP_STORED,
        )
    )
    one = len(make_email(message_id="<0@x>"))
    ok, errors = outcome(path, ArchiveLimits(max_total_bytes=int(one * 2.5)))
    assert len(ok) == 2 and len(errors) == 3
    assert all("in all" in e[3] for e in errors)


def test_corrupt_and_encrypted(tmp_path):
    good = zip_bytes({"a.eml": make_email()})
    (tmp_path / "cut.zip").write_bytes(good[: len(good) // 2])
    ok, errors = outcome(tmp_path / "cut.zip")
    assert ok == [] and [e[2] for e in errors] == ["archive"]
    assert "not a readable zip" in errors[0][3]

    # Mark the member encrypted (bit 0 of the flags) in its local and central headers.
    locked = bytearray(zip_bytes({"secret.eml": make_email()}, method=zipfile.ZIP_STORED))
    locked[locked.find(b"PK\x03\x04") + 6] |= 1
    locked[locked.find(b"PK\x01\x02") + 8] |= 1
    (tmp_path / "locked.zip").write_bytes(bytes(locked))
    ok, errors = outcome(tmp_path / "locked.zip")
    assert ok == [] and "encrypted" in errors[0][3]


def test_a_fan_of_nested_archives_is_refused_early(tmp_path):
    """A small zip of zips fanning out is refused past a bound on nested archives (a normal zip
    of many emails is not: only archives inside archives count)."""
    from backchannel.corpus import ingest as ingest_corpus
    from backchannel.corpus import open_corpus

    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        for n in range(12):
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as iz:
                iz.writestr(f"{n}.eml", make_email(message_id=f"<fan{n}@x>", body=f"Fan {n}.\n"))
            zf.writestr(f"part-{n:02d}.zip", inner.getvalue())
        for n in range(30):
            zf.writestr(f"loose/{n}.eml", make_email(message_id=f"<l{n}@x>", body=f"Loose {n}.\n"))
    (tmp_path / "fan.zip").write_bytes(outer.getvalue())
    db = tmp_path / "c.db"
    corpus = open_corpus(db)
    ingest_corpus(corpus, [tmp_path / "fan.zip"], limits=ArchiveLimits(max_nested=10))
    corpus.close()
    assert rows(db, "select count(*) from messages") == [(40,)]  # 10 nested, 30 loose
    refused = rows(db, "select source_path, reason from errors order by 1")
    assert refused == [
        (f"fan.zip!/part-{n:02d}.zip", "more than 10 archives inside one archive; refused as a "
         "possible zip bomb")
        for n in (10, 11)
    ]  # fmt: skip
