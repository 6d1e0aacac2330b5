"""A mailbox's owner is evidence of who its owner's addresses are: an official whose mail in
their own mailbox is addressed to them under another first name (their legal name) is one person
with that address, said with the evidence; two people who share a last name and initial stay
two. Enron-style exports (X-Origin, X-Folder, X-FileName, a folder per custodian), with fictional
people."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import make_email, rows

from backchannel.cli import cli

ROSTER = """\
officials:
  - name: Sam Varga
    emails: [sam.varga@corp.example]
organizations:
  - name: Watchdog Fund
    domains: [watchdog.example]
"""
SAMIR = "Samir Varga <svarga@corp.example>"  # his legal name; he signs Sam
SOFIA = "Sofia Varga <sofia.varga@corp.example>"  # a colleague: another person


def build(dump: Path, folder_owner: str | None, filename: str | None, sent: bool) -> None:
    """Sam's mailbox, as the export wrote it: mail in his Inbox and Deleted Items addressed to
    svarga@ alone (one to his colleague Sofia alone, Bcc to him), his Sent mail from svarga@."""
    n = 0
    top = "_".join(reversed((folder_owner or "").split(", "))) + "_Jan2002"

    def add(folder: str, sender: str, to: str, subject: str) -> None:
        nonlocal n
        n += 1
        head = "X-Origin: " + ("VARGA-S" if n % 2 else "Varga-S") + "\n"
        if folder_owner:
            head += f"X-Folder: \\{top}\\{folder_owner}\\{folder}\n"
        if filename:
            head += f"X-FileName: {filename}\n"
        data = make_email(
            sender=sender,
            to=to,
            subject=subject,
            message_id=f"<{n}.JavaMail.evans@thyme>",
            date=f"Mon, {n} Oct 2001 09:00:00 -0700",
            body=f"Note {n}.\n",
        )
        path = dump / "varga-s" / folder.lower().replace(" ", "_") / f"{n}."
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(head.encode() + data)

    for i in range(4):
        add("Inbox", "Ann Tipster <ann@watchdog.example>", SAMIR, f"Tip {i}")
    add("Inbox", SOFIA, SAMIR, "Lunch")
    add("Inbox", "Ann Tipster <ann@watchdog.example>", SOFIA, "For Sofia")  # Bcc to Sam
    for i in range(2):
        add("Deleted Items", "Ann Tipster <ann@watchdog.example>", SAMIR, f"Old tip {i}")
    for i in range(2 if sent else 0):
        add("Sent Items", SAMIR, "Ann Tipster <ann@watchdog.example>", f"Re: Tip {i}")


def analyze(
    tmp_path: Path, folder_owner: str | None, filename: str | None = None, sent: bool = True
) -> Path:
    dump = tmp_path / "maildir"
    build(dump, folder_owner, filename, sent)
    (tmp_path / "roster.yaml").write_text(ROSTER)
    db = tmp_path / "c.db"
    runner = CliRunner()
    for args in (
        ["ingest", str(dump), "--db", str(db)],
        ["analyze", "--db", str(db), "--roster", str(tmp_path / "roster.yaml")],
    ):
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return db


def person_and_rule(db: Path, key: str) -> tuple[str, str, str]:
    return rows(
        db,
        """select p.name, p.kind, k.rule from person_keys k join persons p
           on p.id = k.person_id where k.key = ?""",
        [key],
    )[0]


def suggested(db: Path) -> list[tuple[str, str, str]]:
    return rows(
        db,
        """select s.key, p.name, s.reason from identity_suggestions s
           join persons p on p.id = s.person_id order by s.key""",
    )


def test_an_owner_known_by_another_first_name_is_one_person(tmp_path):
    db = analyze(tmp_path, "Varga, Sam", "svarga (Non-Privileged).pst")
    assert rows(db, "select name from custodians") == [("varga-s",)]  # VARGA-S, Varga-S folded
    assert person_and_rule(db, "svarga@corp.example") == ("Sam Varga", "official", "mailbox owner")
    (evidence,) = rows(db, "select evidence from person_keys where key = 'svarga@corp.example'")
    evidence = evidence[0]
    # The evidence names the folder, the store file and the messages it rests on.
    assert "X-Folder \\Sam_Varga_Jan2002\\Varga, Sam\\" in evidence
    assert "names it 'sam varga'" in evidence
    assert "the only recipient of 7 of the 8 messages in its Inbox and Deleted Items" in evidence
    assert "the sender of 2 of the 2 messages in its Sent folders" in evidence
    assert "its local part is the store's (X-FileName svarga (Non-Privileged).pst)" in evidence
    # His colleague, who shares his last name and initial, stays herself: not even suggested.
    assert person_and_rule(db, "sofia.varga@corp.example") == ("Sofia Varga", "other", "address")
    assert suggested(db) == []
    # His mail with the watched organization is counted as his office's.
    assert rows(
        db,
        "select org_to_office, office_to_org from office_contacts where official = 'Sam Varga'",
    ) == [(6, 2)]
    # The fact-checker's list shows the merge with its rule.
    result = CliRunner().invoke(cli, ["identities", "--db", str(db)], catch_exceptions=False)
    assert "svarga@corp.example\n        mailbox owner: svarga@corp.example is the owner" in (
        result.output
    )


def test_two_kinds_of_evidence_join_one_under_another_first_name_is_suggested(tmp_path):
    """The folders name Sam as the owner, and no store file name is given. The mail addressed
    to svarga@ alone and his Sent mail from it are two kinds of evidence: joined. With his
    Inbox's alone, under another first name ("Samir"), it is suggested."""
    db = analyze(tmp_path / "both", "Varga, Sam")
    assert person_and_rule(db, "svarga@corp.example")[2] == "mailbox owner"
    db = analyze(tmp_path / "inbox", "Varga, Sam", sent=False)
    assert person_and_rule(db, "svarga@corp.example") == ("Samir Varga", "other", "address")
    ((key, name, reason),) = suggested(db)
    assert (key, name) == ("svarga@corp.example", "Sam Varga")
    assert "not joined: it shows another first name, and only one thing ties it" in reason


def test_a_short_custodian_name_only_suggests(tmp_path):
    """No X-Folder, no store name: only the custodian's name "varga-s", a last name and an
    initial, says the mailbox could be Sam Varga's; another S. Varga could own it. Suggested,
    with the evidence; never joined."""
    db = analyze(tmp_path, None)
    assert person_and_rule(db, "svarga@corp.example") == ("Samir Varga", "other", "address")
    ((key, name, reason),) = suggested(db)
    assert (key, name) == ("svarga@corp.example", "Sam Varga")
    assert "the custodian 'varga-s' is their last name and initial" in reason
    assert "not joined: only the custodian's short name says whose the mailbox is" in reason


def test_a_mailbox_the_export_names_as_someone_elses_ties_nothing(tmp_path):
    """The same short name, but the folders name Sofia Varga as the owner: her mailbox, and she
    is not in the roster. Nothing of it is tied to Sam."""
    db = analyze(tmp_path, "Varga, Sofia")
    assert person_and_rule(db, "svarga@corp.example") == ("Samir Varga", "other", "address")
    assert suggested(db) == []


def test_what_makes_an_address_the_mailboxs_own():
    """Most of the mail to one person (more than half, at least two messages), or most of
    the sent mail; a tie or a single message says nothing. And a mailbox whose export names
    two owners of the same last name is nobody's."""
    from collections import Counter

    from backchannel.analysis.mailboxes import Mailbox, owner_ties
    from backchannel.corpus.roster import Person

    box = Mailbox("varga-s", received_alone=Counter({"a@x": 3, "b@x": 2}))
    assert list(box.own_addresses()) == ["a@x"]
    for counts in ({"a@x": 2, "b@x": 2}, {"a@x": 1}, {"a@x": 2, "b@x": 1, "c@x": 1}):
        assert Mailbox("v", received_alone=Counter(counts)).own_addresses() == {}
    sam = Person("Sam Varga", "official", "Sam Varga", ["sam.varga@corp.example"])
    keys = {"svarga@corp.example": ("svarga@corp.example", Counter({"Samir Varga": 3}))}
    owners = {"sam varga": "X-Folder \\Sam_Varga\\Inbox"}
    box = Mailbox("varga-s", owners, sent_from=Counter({"svarga@corp.example": 3}))
    box.store_words["svarga"] = "X-FileName svarga.pst"
    (tie,) = owner_ties({"varga-s": box}, [sam], {"sam varga": {0}}, keys, set(keys))
    assert tie.doubt == ""
    box.owner_names["sofia varga"] = "X-Folder \\Sofia_Varga\\Inbox"
    assert owner_ties({"varga-s": box}, [sam], {"sam varga": {0}}, keys, set(keys)) == []


def test_an_address_two_owners_mailboxes_claim_is_only_suggested(tmp_path):
    """svarga@ is the only recipient in Sam Varga's mailbox and in Sal Varga's (a shared
    address, a desk): it is neither's for certain, and suggested for both."""
    from datetime import UTC, datetime

    from backchannel.analysis.identities import resolve
    from backchannel.corpus import open_corpus
    from backchannel.corpus.roster import load_roster
    from backchannel.corpus.rows import SourceTally
    from backchannel.corpus.writer import CorpusWriter
    from backchannel.ingest.record import Address, MessageRecord, Provenance, SourceFile

    db = open_corpus(tmp_path / "c.db")
    writer = CorpusWriter(db)
    for owner in ("Varga, Sam", "Varga, Sal"):
        source = SourceFile(f"{owner}.mbox", Path("."), owner, 0, "mbox", owner, True, "named")
        records = [
            MessageRecord(
                f"{owner}.{n}@corp.example",
                f"Note {n}",
                datetime(2025, 3, n + 1, tzinfo=UTC),
                None,
                [
                    ("from", Address("Ann Tipster", "ann@watchdog.example")),
                    ("to", Address("", "svarga@corp.example")),
                ],
                f"{owner} {n}.",
                None,
                None,
                [],
                [],
                [],
                Provenance(source.path, "", "rfc822", f"Inbox #{n}", folder="Inbox"),
            )
            for n in range(2)
        ]
        writer.add(SourceTally(source, owner), records)
    writer.close()
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "officials:\n  - name: Sam Varga\n    emails: [sam.varga@corp.example]\n"
        "  - name: Sal Varga\n    emails: [sal.varga@corp.example]\n"
    )
    resolve(db, load_roster(roster))
    assert db.execute(
        "select rule from person_keys where key = 'svarga@corp.example'"
    ).fetchall() == [("address",)]
    reasons = db.execute(
        "select p.name, s.reason from identity_suggestions s join persons p "
        "on p.id = s.person_id order by p.name"
    ).fetchall()
    assert [n for n, _ in reasons] == ["Sal Varga", "Sam Varga"]
    assert all("more than one roster person" in r for _, r in reasons)


def test_the_store_name_alone_ties_no_address_at_another_domain(tmp_path):
    """Sam's store is "varga.pst": an address elsewhere whose local part is that word
    (varga@lawfirm.example, a firm's desk that writes to him, showing no name) is not his
    on that alone; suggested, never joined. His own address still is."""
    dump = tmp_path / "maildir"
    build(dump, "Varga, Sam", "varga.pst", sent=True)
    firm = make_email(
        sender="varga@lawfirm.example",
        to=SAMIR,
        subject="Engagement letter",
        message_id="<firm@lawfirm.example>",
        date="Tue, 20 Nov 2001 09:00:00 -0700",
    )
    header = "X-Origin: Varga-S\nX-Folder: \\Sam_Varga_Jan2002\\Varga, Sam\\Inbox\n"
    (dump / "varga-s" / "inbox" / "99.").write_bytes(header.encode() + firm)
    (tmp_path / "roster.yaml").write_text(ROSTER)
    db = tmp_path / "c.db"
    for args in (
        ["ingest", str(dump), "--db", str(db)],
        ["analyze", "--db", str(db), "--roster", str(tmp_path / "roster.yaml")],
    ):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert person_and_rule(db, "svarga@corp.example")[2] == "mailbox owner"
    assert person_and_rule(db, "varga@lawfirm.example")[2] == "address"
    ((key, name, reason),) = suggested(db)
    assert (key, name) == ("varga@lawfirm.example", "Sam Varga")
    assert "not joined: only the store's file name ties it, at another domain" in reason


def test_an_export_header_counts_for_its_own_mailbox_only(tmp_path):
    """No X-Origin: a message's X-Folder names the mailbox it was exported from, but the same
    message is also in Sofia's mailbox (Sam forwarded it to her). It says nothing of whose
    her mailbox is: her own address, the only recipient of her Inbox and the sender of her
    Sent mail, stays hers (it once took Sam's owner name from that shared copy and joined him)."""
    dump = tmp_path / "maildir"

    def add(path: str, sender: str, to: str, n: int, folder: str | None = None) -> bytes:
        head = f"X-Folder: {folder}\n".encode() if folder else b""
        data = head + make_email(
            sender=sender, to=to, subject=f"Note {n}", message_id=f"<{n}@corp.example>",
            date=f"Mon, {n} Oct 2001 09:00:00 -0700", body=f"Note {n}.\n",
        )  # fmt: skip
        (dump / path).parent.mkdir(parents=True, exist_ok=True)
        (dump / path).write_bytes(data)
        return data

    for n in range(1, 4):
        add(f"varga-s/inbox/{n}.", "Ann Tipster <ann@watchdog.example>", SAMIR, n,
            "\\Sam_Varga_Jan2002\\Varga, Sam\\Inbox")  # fmt: skip
        add(f"varga-so/inbox/{n + 10}.", "Ann Tipster <ann@watchdog.example>", SOFIA, n + 10)
        add(f"varga-so/sent/{n + 20}.", SOFIA, "Ann Tipster <ann@watchdog.example>", n + 20)
    shared = add("varga-s/inbox/4.", "Ann Tipster <ann@watchdog.example>", SOFIA, 4,
                 "\\Sam_Varga_Jan2002\\Varga, Sam\\Inbox")  # fmt: skip
    (dump / "varga-so" / "inbox" / "4.").write_bytes(shared)
    (tmp_path / "roster.yaml").write_text(ROSTER)
    db = tmp_path / "c.db"
    for args in (
        ["ingest", str(dump), "--db", str(db)],
        ["analyze", "--db", str(db), "--roster", str(tmp_path / "roster.yaml")],
    ):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert person_and_rule(db, "sofia.varga@corp.example") == ("Sofia Varga", "other", "address")
    # Sam's own (one kind of evidence, under another first name) is suggested to him.
    assert [(k, n) for k, n, _ in suggested(db)] == [("svarga@corp.example", "Sam Varga")]
