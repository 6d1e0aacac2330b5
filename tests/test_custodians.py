"""Custodians as the dump lays them out, and one source per file however it is reached."""

from __future__ import annotations

import mailbox
import shutil
from pathlib import Path

import pytest
from conftest import make_email, rows, write_mbox

from backchannel.corpus import ingest, open_corpus
from backchannel.ingest.custodians import custodian_key


def run(db: Path, *paths: Path, **options) -> object:
    corpus = open_corpus(db)
    try:
        return ingest(corpus, list(paths), workers=1, **options)
    finally:
        corpus.close()


def mail(n: int, **fields) -> bytes:
    return make_email(message_id=f"<{n}@corp.example>", body=f"Message {n}.\n", **fields)


def tree(root: Path, paths: list[str]) -> None:
    """One email at each path under root (folders made as needed)."""
    for n, rel in enumerate(paths):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(mail(n))


def copies(db: Path) -> list[tuple]:
    return rows(
        db,
        """select s.path, c.custodian, c.custodian_rule, c.folder from message_copies c
           join sources s on s.id = c.source_id order by c.custodian, s.path""",
    )


def test_person_folders_with_mail_folders_inside(tmp_path):
    dump = tmp_path / "export"
    tree(
        dump,
        [
            "Allen-P/Inbox/0.eml",
            "Allen-P/sent_items/1.eml",
            "Allen-P/Inbox/Board/2.eml",  # a folder nested in a mail folder
            "lay-k/_sent_mail/3.eml",
            "lay-k/All Documents/4.eml",
            "lay-k/discussion_threads/5.eml",
        ],
    )
    (dump / "skilling-j").mkdir()
    box = mailbox.Maildir(dump / "skilling-j" / "Maildir", create=True)  # a Maildir in a person
    box.add(mail(9))
    db = tmp_path / "c.db"
    summary = run(db, dump)
    got = copies(db)
    assert [(p, c, r, f) for p, c, r, f in got if "Maildir" not in p] == [
        ("Allen-P/Inbox/0.eml", "Allen-P", "layout", "Inbox"),
        ("Allen-P/Inbox/Board/2.eml", "Allen-P", "layout", "Inbox/Board"),
        ("Allen-P/sent_items/1.eml", "Allen-P", "layout", "sent_items"),
        ("lay-k/All Documents/4.eml", "lay-k", "layout", "All Documents"),
        ("lay-k/_sent_mail/3.eml", "lay-k", "layout", "_sent_mail"),
        ("lay-k/discussion_threads/5.eml", "lay-k", "layout", "discussion_threads"),
    ]
    assert [(c, r, f) for p, c, r, f in got if "Maildir" in p] == [
        ("skilling-j", "layout", "INBOX/new")
    ]
    assert rows(db, "select name, rule, sources, copies, messages from custodians order by 1") == [
        ("Allen-P", "layout", 3, 3, 3),
        ("lay-k", "layout", 3, 3, 3),
        ("skilling-j", "layout", 1, 1, 1),
    ]
    assert len(summary.custodians) == 3


def test_a_root_that_is_one_mailbox_and_a_flat_folder(tmp_path):
    box = tmp_path / "frank"
    tree(box, ["INBOX/1.eml", "Sent Items/2.eml", "Deleted Items/3.eml"])
    flat = tmp_path / "loose"
    flat.mkdir()
    (flat / "7.eml").write_bytes(mail(7))
    db = tmp_path / "c.db"
    run(db, box)
    run(db, flat)
    assert [(c, r) for _, c, r, _ in copies(db)] == [
        ("frank", "layout"),
        ("frank", "layout"),
        ("frank", "layout"),
        ("loose", "folder"),
    ]


def test_headers_name_the_mailbox_where_the_layout_says_nothing(tmp_path):
    flat = tmp_path / "production"
    flat.mkdir()
    (flat / "1.eml").write_bytes(b"X-Origin: Allen-P\n" + mail(1))
    (flat / "2.eml").write_bytes(b"X-Folder: \\Kay_Lay_Dec2000\\Notes Folders\\Sent\n" + mail(2))
    (flat / "3.eml").write_bytes(mail(3))
    person = tmp_path / "people" / "skilling-j" / "inbox"
    person.mkdir(parents=True)
    (person / "4.eml").write_bytes(b"X-Origin: Someone-Else\n" + mail(4))
    db = tmp_path / "c.db"
    run(db, flat)
    run(db, tmp_path / "people")
    assert [(c, r) for _, c, r, _ in copies(db)] == [
        ("Allen-P", "header"),
        ("Kay_Lay_Dec2000", "header"),
        ("production", "folder"),
        ("skilling-j", "layout"),  # the layout says: its header does not overrule it
    ]


def test_one_mailbox_is_one_custodian_whatever_the_spelling(tmp_path):
    """An Enron-style export: each person's folder holds the usual mail folders and folders of
    their own (which say nothing of whose they are), and every message names its mailbox in
    X-Origin, spelled as the export felt like. One custodian per mailbox, in the layout's
    spelling."""
    dump = tmp_path / "maildir"
    files = {
        "allen-p/inbox/1.": "Allen-P",
        "allen-p/straw/2.": "Allen-P",  # a folder of his own: the layout says nothing
        "arnold-j/_sent_mail/3.": "Arnold-J",
        "arnold-j/notes/4.": "ARNOLD-J",
        "arora-h/inbox/5.": "Arora-H",
        "arora-h/projects/6.": "ARORA-H",
        "arora-h/misc/7.": "Arora-H",
        "arora-h/misc/8.": "arora h",
    }
    for n, (rel, origin) in enumerate(files.items()):
        (dump / rel).parent.mkdir(parents=True, exist_ok=True)
        (dump / rel).write_bytes(f"X-Origin: {origin}\n".encode() + mail(n))
    db = tmp_path / "c.db"
    summary = run(db, dump)
    assert rows(db, "select name, sources, copies, messages from custodians order by 1") == [
        ("allen-p", 2, 2, 2),
        ("arnold-j", 2, 2, 2),
        ("arora-h", 4, 4, 4),
    ]
    assert len(summary.custodians) == len(summary.run_custodians) == 3
    assert rows(db, "select distinct custodian from message_copies order by 1") == [
        ("allen-p",),
        ("arnold-j",),
        ("arora-h",),
    ]
    # How each copy was placed is kept: the layout, or its header where the layout is silent.
    assert rows(
        db,
        "select s.path, c.custodian_rule from message_copies c join sources s "
        "on s.id = c.source_id where s.path like 'arora-h/%' order by 1",
    ) == [
        ("arora-h/inbox/5.", "layout"),
        ("arora-h/misc/7.", "header"),
        ("arora-h/misc/8.", "header"),
        ("arora-h/projects/6.", "header"),
    ]
    # A second run changes nothing; nor does a later file spelled the header's way.
    run(db, dump)
    (dump / "arora-h" / "misc" / "9.").write_bytes(b"X-Origin: ARORA-H\n" + mail(9))
    run(db, dump)
    assert rows(db, "select name, copies from custodians order by 1") == [
        ("allen-p", 2),
        ("arnold-j", 2),
        ("arora-h", 5),
    ]
    # Two people whose names differ by more than spelling stay two.
    assert custodian_key("arora-h") == custodian_key("ARORA H") != custodian_key("arora-hr")


def test_numbers_apart_stay_apart(tmp_path):
    """Folders named by release ("Release 1.2", "Release 12") are two custodians: folding
    spellings never joins two numbers into one."""
    assert custodian_key("Release 1.2") != custodian_key("Release 12")
    assert custodian_key("release-1-2") == custodian_key("Release 1.2")
    dump = tmp_path / "dump"
    for n, folder in enumerate(("Release 1.2", "Release 12")):
        (dump / folder).mkdir(parents=True)
        (dump / folder / f"{n}.eml").write_bytes(mail(n))
    db = tmp_path / "c.db"
    run(db, dump)
    assert rows(db, "select name, copies from custodians order by 1") == [
        ("Release 1.2", 1),
        ("Release 12", 1),
    ]


def test_named_and_depth(tmp_path):
    dump = tmp_path / "dump"
    tree(dump, ["prod-1/allen/a/1.eml", "prod-1/lay/b/2.eml", "prod-2/lay/3.eml"])
    db = tmp_path / "c.db"
    run(db, dump, custodian_depth=2)
    assert [(c, r, f) for _, c, r, f in copies(db)] == [
        ("allen", "depth", "a"),
        ("lay", "depth", "b"),
        ("lay", "depth", None),
    ]
    # The same files under another rule: the copies are rewritten in place, nothing added.
    summary = run(db, dump, custodian="Records office")
    assert summary.new == summary.duplicates == 0 and summary.already == 3
    assert [(c, r) for _, c, r, _ in copies(db)] == [("Records office", "named")] * 3
    assert rows(db, "select count(*) from sources") == [(3,)]


SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "dump"


def snapshot(db: Path) -> dict:
    """What a reporter sees, by paths and Message-IDs: a file first read from a sub-folder
    keeps the source id it was given then, and an email first met on paper keeps the id its
    printout gave it (ids are stable, not a function of the root or the order)."""
    return {
        "sources": rows(
            db, "select path, custodian, custodian_rule, status from sources order by 1"
        ),
        "copies": rows(
            db,
            """select m.message_id, m.sent_at, s.path, c.location, c.custodian, c.folder
               from message_copies c join sources s on s.id = c.source_id
               join messages m on m.id = c.message_id order by 1, 2, 3, 4""",
        ),
        "messages": rows(db, "select count(*), count(distinct message_id) from messages"),
        "custodians": rows(db, "select * from custodians order by name"),
    }


@pytest.mark.parametrize(
    "first", [["records-office", "lee"], ["lee", "okafor-export.zip"], ["whitfield.mbox"]]
)
def test_sub_folders_first_then_the_whole_dump(tmp_path, first):
    dump = tmp_path / "dump"
    shutil.copytree(SAMPLE, dump)
    whole = tmp_path / "whole.db"
    run(whole, dump)
    db = tmp_path / "parts.db"
    for part in first:
        run(db, dump / part)
    before = rows(db, "select count(*) from sources")[0][0]
    summary = run(db, dump)
    assert snapshot(db) == snapshot(whole)
    # The last run says what it added: the files no earlier run had read.
    assert summary.files_new == rows(whole, "select count(*) from sources")[0][0] - before


def test_the_same_bytes_in_two_folders_are_two_sources(tmp_path):
    dump = tmp_path / "dump"
    for person in ("allen", "lay"):
        (dump / person / "inbox").mkdir(parents=True)
        (dump / person / "inbox" / "1.eml").write_bytes(mail(1))
    write_mbox(dump / "skilling.mbox", [mail(1)])
    db = tmp_path / "c.db"
    run(db, dump)
    assert rows(db, "select count(*) from sources") == [(3,)]
    assert rows(db, "select custodian from message_copies order by 1") == [
        ("allen",),
        ("lay",),
        ("skilling",),
    ]


def test_emails_recovered_from_quotes_keep_the_custodian_rule(analyzed_sample):
    """A copy recovered from a quote is in its quoting copy's mailbox, told by the same rule."""
    db, _ = analyzed_sample
    quoted = rows(
        db,
        "select q.custodian, q.custodian_rule, count(*) from message_copies q "
        "where q.method = 'quoted' group by 1, 2 order by 1",
    )
    assert quoted and all(rule for _, rule, _ in quoted)
    assert rows(
        db,
        "select count(*) from message_copies q join message_copies c "
        "on c.message_id = q.found_in and c.source_id = q.source_id "
        "where q.method = 'quoted' and (c.custodian != q.custodian "
        "or c.custodian_rule != q.custodian_rule)",
    ) == [(0,)]
