"""The story's numbers against a corpus whose true counts are known by construction
(tests/truth_corpus.py): every count in every table, with and without recovered emails."""

from __future__ import annotations

import json
import sqlite3

import pytest
import truth_corpus
from conftest import make_email, run_cli
from truth_corpus import CBC, HFA, OFFICIALS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("truth")
    emails = truth_corpus.build(folder)
    db = folder / "t.db"
    run_cli("ingest", str(folder / "dump"), "--db", str(db))
    run_cli("analyze", "--db", str(db), "--roster", str(folder / "roster.yaml"))
    return db, emails


def test_the_corpus_is_what_the_generator_says(corpus):
    db, emails = corpus
    conn = sqlite3.connect(db)
    produced = [e for e in emails if not e.recovered]
    recovered = [e for e in emails if e.recovered]
    assert conn.execute("select count(*) from messages where recovered = 0").fetchone()[0] == len(
        produced
    )
    assert conn.execute("select count(*) from messages where recovered = 1").fetchone()[0] == len(
        recovered
    )
    # The traps are really in it.
    assert any(e.bcc for e in emails) and any(e.doubled for e in emails)
    assert any(
        e.where == "pdf" and any(p.email is None for p in (e.sender, *e.recipients()))
        for e in emails
    )
    assert conn.execute("select count(*) from participants where role = 'bcc'").fetchone()[0] > 0
    assert conn.execute("select count(*) from participants where key like 'name:%'").fetchone()[0]


@pytest.mark.parametrize("include_recovered", [False, True])
def test_report_json_equals_the_truth(corpus, include_recovered):
    db, emails = corpus
    truth = truth_corpus.expected(emails, include_recovered)
    args = ["report", "--db", str(db), "--format", "json"]
    report = json.loads(run_cli(*args, *(["--include-recovered"] if include_recovered else [])))
    got = {(o["organization"], o["official"]): o for o in report["offices"]}
    assert set(got) == {(org, off) for org in (HFA, CBC) for off in OFFICIALS}
    for key, want in truth["offices"].items():
        o = got[key]
        assert (o["org_to_office"], o["office_to_org"]) == (
            want["org_to_office"],
            want["office_to_org"],
        ), key
        assert (o["first"], o["last"], o["by_month"]) == (
            want["first"],
            want["last"],
            want["by_month"],
        ), key
        assert len(o["message_ids"]) == len(set(o["message_ids"])) == want["total"], key
    # The story's shape holds: the alliance writes to Quill's office most.
    assert max(got.values(), key=lambda o: o["total"])["official"] == "Nadia Quill"
    officials = {o["official"]: o for o in report["officials"]}
    for official in OFFICIALS:
        assert officials[official]["sent"] == truth["groups"].get((f"office:{official}", "sent"), 0)
        assert officials[official]["received"] == truth["groups"].get(
            (f"office:{official}", "received"), 0
        )
    assert report["officials"][0]["official"] == "Nadia Quill"


def test_recovered_emails_add_counts_only_when_asked(corpus):
    """The corpus's counts read both ways: without --include-recovered no email known only
    from quotes is in any office's figure; with it, exactly as many as the truth has are
    added, all of them recovered ones; the stored table says how many were left out."""
    db, emails = corpus
    conn = sqlite3.connect(db)
    recovered = {r[0] for r in conn.execute("select id from messages where recovered = 1")}
    assert recovered
    args = ["report", "--db", str(db), "--format", "json"]
    without = {(o["organization"], o["official"]): o for o in json.loads(run_cli(*args))["offices"]}
    with_ = {
        (o["organization"], o["official"]): o
        for o in json.loads(run_cli(*args, "--include-recovered"))["offices"]
    }
    truth_without = truth_corpus.expected(emails, False)["offices"]
    truth_with = truth_corpus.expected(emails, True)["offices"]
    added = 0
    for key, office in without.items():
        left, counted = set(office["message_ids"]), set(with_[key]["message_ids"])
        assert not left & recovered, key
        assert left <= counted and counted - left <= recovered, key
        assert len(counted - left) == truth_with[key]["total"] - truth_without[key]["total"], key
        (stored,) = conn.execute(
            "select recovered from office_contacts where organization = ? and official = ?", key
        ).fetchone()
        assert stored == len(counted - left), key
        added += len(counted - left)
    assert added > 0


def test_tables_equal_the_truth(corpus):
    db, emails = corpus
    truth = truth_corpus.expected(emails)
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "select organization, official, org_to_office, office_to_org, total, first, last, "
        "recovered from office_contacts"
    ).fetchall()
    assert len(rows) == 6
    with_recovered = truth_corpus.expected(emails, True)["offices"]
    for org, official, a, b, total, first, last, recovered in rows:
        want = truth["offices"][(org, official)]
        assert (a, b, total, first, last) == (
            want["org_to_office"],
            want["office_to_org"],
            want["total"],
            want["first"],
            want["last"],
        )
        assert recovered == with_recovered[(org, official)]["total"] - want["total"]
    for table, prefix, name in (
        ("offices", "office", "official"),
        ("organizations", "org", "name"),
    ):
        for who, sent, received in conn.execute(f"select {name}, sent, received from {table}"):
            assert sent == truth["groups"].get((f"{prefix}:{who}", "sent"), 0), who
            assert received == truth["groups"].get((f"{prefix}:{who}", "received"), 0), who
    # Persons: the roster's names, and the others by the name on their address.
    names = {p.email: p.name for p in truth_corpus.EVERYONE if p.email}
    person_name = {}
    for pid, name, keys in conn.execute("select id, name, keys from persons"):
        addresses = [k for k in json.loads(keys) if not k.startswith("name:")]
        person_name[pid] = names.get(addresses[0], name) if addresses else name
    for pid, sent, received in conn.execute("select id, sent, received from persons"):
        who = person_name[pid]
        assert sent == truth["persons"].get((who, "sent"), 0), who
        assert received == truth["persons"].get((who, "received"), 0), who
    contacts = conn.execute("select person_a, person_b, a_to_b, b_to_a from contacts").fetchall()
    seen = {}
    for a, b, ab, ba in contacts:
        seen[(person_name[a], person_name[b])] = ab
        seen[(person_name[b], person_name[a])] = ba
    assert {k: v for k, v in seen.items() if v} == truth["pairs"]


def test_every_count_is_its_linked_messages(corpus):
    """A fact-checker's recount: each figure equals the rows its link opens."""
    db, _ = corpus
    conn = sqlite3.connect(db)

    def linked(counted: str, direction: str) -> int:
        return conn.execute(
            "select count(distinct message_id) from counted_messages "
            "where counted = ? and direction = ? and recovered = 0",
            [counted, direction],
        ).fetchone()[0]

    for cid, a, b in conn.execute("select id, org_to_office, office_to_org from office_contacts"):
        assert (linked(cid, "org_to_office"), linked(cid, "office_to_org")) == (a, b)
    for cid, a, b in conn.execute("select id, a_to_b, b_to_a from contacts"):
        assert (linked(cid, "a_to_b"), linked(cid, "b_to_a")) == (a, b)
    for table in ("offices", "organizations", "persons"):
        for gid, sent, received in conn.execute(f"select id, sent, received from {table}"):
            assert (linked(gid, "sent"), linked(gid, "received")) == (sent, received)
    # Every linked message exists, and by-month rows add up to the totals.
    assert not conn.execute(
        "select count(*) from counted_messages where message_id not in (select id from messages)"
    ).fetchone()[0]
    for cid, total in conn.execute("select id, total from office_contacts"):
        months = conn.execute(
            "select coalesce(sum(total), 0) from office_contact_months where office_contact_id = ?",
            [cid],
        ).fetchone()[0]
        assert months == total


def test_rerun_gives_the_same_counts(corpus, tmp_path):
    db, _ = corpus
    conn = sqlite3.connect(db)
    query = "select id, org_to_office, office_to_org, first, last from office_contacts order by id"
    before = conn.execute(query).fetchall()
    links = conn.execute("select count(*) from counted_messages").fetchone()[0]
    run_cli("analyze", "--db", str(db))
    assert conn.execute(query).fetchall() == before
    assert conn.execute("select count(*) from counted_messages").fetchone()[0] == links


def test_writing_to_oneself_is_not_a_communication(tmp_path):
    """A note to oneself counts for nobody; a message copied to its own sender counts once
    for its other recipient, never as the sender's own received mail or a contact with
    themself."""
    rosa, dana = "Rosa Ibáñez <rosa@bsn.example>", "Dana Whitfield <dana@district.example>"
    dump = tmp_path / "dump"
    dump.mkdir()
    for n, (to, cc) in enumerate([(rosa, None), (dana, rosa)]):
        (dump / f"{n}.eml").write_bytes(
            make_email(
                sender=rosa,
                to=to,
                cc=cc,
                message_id=f"<self-{n}@bsn.example>",
                date=f"Tue, 04 Mar 2025 09:1{n}:00 -0800",
            )
        )
    (dump / "2.eml").write_bytes(
        make_email(sender=dana, to=rosa, message_id="<reply@district.example>")
    )
    db = tmp_path / "c.db"
    run_cli("ingest", dump, "--db", db)
    run_cli("analyze", "--db", db)
    conn = sqlite3.connect(db)
    persons = {
        name: (sent, received)
        for name, sent, received in conn.execute("select name, sent, received from persons")
    }
    assert persons == {"Rosa Ibáñez": (1, 1), "Dana Whitfield": (1, 1)}
    contacts = conn.execute("select name_a, name_b, total from contacts").fetchall()
    assert [({a, b}, total) for a, b, total in contacts] == [({"Rosa Ibáñez", "Dana Whitfield"}, 2)]
    (note,) = conn.execute("select id from messages where message_id = 'self-0@bsn.example'")
    assert not conn.execute(
        "select count(*) from counted_messages where message_id = ?", note
    ).fetchone()[0]
