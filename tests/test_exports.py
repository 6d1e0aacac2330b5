"""Corporate mailbox exports (Exchange and Notes mail, one file per message, X-From/X-To beside
the addresses): one official is one person across every address the export shows, and the same
email filed in several folders under new Message-IDs is counted once."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import rows

from backchannel.cli import cli

ROSTER = """\
officials:
  - name: Frank Last
    emails: [frank.last@corp.example, flast@corp.example]
    aliases: ["Last, Frank M."]
  - name: Gina Other
    emails: [gina.other@corp.example]
organizations:
  - name: Watchdog Fund
    domains: [watchdog.example]
"""
X500 = "/O=CORP/OU=NA/CN=RECIPIENTS/CN="
WORD_HTML = (
    "<html><head><style><!-- p.MsoNormal, li.MsoNormal {margin:0in; font-size:11.0pt;} "
    "--></style></head><body><p class=MsoNormal>The audit is on Friday.</p></body></html>"
)


def eml(
    sender: str,
    to: str,
    subject: str,
    body: str,
    n: int,
    message_id: str | None = None,
    x_from: str | None = None,
    x_to: str | None = None,
) -> bytes:
    head = [
        f"Message-ID: {message_id or f'<{n}.JavaMail.evans@thyme>'}",
        f"Date: Mon, {1 + n % 27} Oct 2001 09:{n % 60:02d}:00 -0700 (PDT)",
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        "Mime-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
    ]
    if x_from:
        head.append(f"X-From: {x_from}")
    if x_to:
        head.append(f"X-To: {x_to}")
    return ("\n".join(head) + "\n\n" + body + "\n").encode()


def build(dump: Path) -> dict[str, int]:
    """The export, and what an independent count over Frank's addresses gives."""
    files: dict[str, bytes] = {}
    n = 0

    def add(path: str, data: bytes) -> None:
        files[path] = data

    # Frank writes to the Watchdog Fund from five work addresses.
    frank = [
        ("frank.last@corp.example", "Frank Last", None),
        ("flast@corp.example", None, None),
        ("frank.m.last@corp.example", '"Last, Frank M."', None),
        ("m..last@corp.example", None, f"Last, Frank M. <{X500}FLAST>"),  # mangled by export
        ("flast@subsidiary.corp.example", None, None),  # a sibling domain
    ]
    sent = 0
    for address, name, x_from in frank:
        for _ in range(3):
            n += 1
            sender = f"{name} <{address}>" if name else address
            add(
                f"last-f/sent_items/{n}.",
                eml(sender, "tips@watchdog.example", f"Audit {n}", f"Note {n}.", n, x_from=x_from),
            )
            sent += 1
    # One email filed in five folders, each copy under a new Message-ID.
    n += 1
    for folder in ("inbox", "all_documents", "discussion_threads", "sent_items", "_sent_mail"):
        add(
            f"last-f/{folder}/{n}.",
            eml(
                "Frank Last <frank.last@corp.example>",
                "tips@watchdog.example",
                "Board minutes",
                "Minutes attached.",
                n,
                message_id=f"<{n}.{folder}.JavaMail.evans@thyme>",
            ),
        )
    sent += 1
    # Gina: her alias on the work domain, a sibling domain, and her own forwards to a personal
    # account; her Word-made body comes as text/plain.
    for address, x_from in (
        ("gother@corp.example", f"Other, Gina <{X500}GOTHER>"),
        ("gina.other@subsidiary.corp.example", "Other, Gina"),
    ):
        n += 1
        add(
            f"other-g/sent_items/{n}.",
            eml(address, "tips@watchdog.example", f"Audit {n}", WORD_HTML, n, x_from=x_from),
        )
    for _ in range(2):
        n += 1
        add(
            f"other-g/sent_items/{n}.",
            eml(
                '"Other, Gina" <gina.other@corp.example>',
                "ginaother@gmail.com",
                f"FW: Audit {n}",
                "For home.",
                n,
                x_to="ginaother@gmail.com",
            ),
        )
    # Not Frank: another Frank Last at another company, and a system that shows his name.
    n += 1
    add(
        f"last-f/inbox/{n}.",
        eml("Frank Last <frank.last@othercorp.example>", "flast@corp.example", "Hi", "Hi.", n),
    )
    n += 1
    add(
        f"last-f/inbox/{n}.",
        eml("Frank Last <noreply@corp.example>", "flast@corp.example", "Expenses", "Due.", n),
    )
    for path, data in files.items():
        target = dump / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return {"frank_sent": sent}


def test_one_official_one_person_across_an_export(tmp_path):
    dump = tmp_path / "dump"
    truth = build(dump)
    (tmp_path / "roster.yaml").write_text(ROSTER)
    db = tmp_path / "c.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(dump), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli,
        ["analyze", "--db", str(db), "--roster", str(tmp_path / "roster.yaml")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    keys = dict(
        (key, (name, rule))
        for key, name, rule in rows(
            db,
            """select k.key, p.name, k.rule from person_keys k
               join persons p on p.id = k.person_id""",
        )
    )
    assert {k: v for k, v in keys.items() if v[0] == "Frank Last"} == {
        "frank.last@corp.example": ("Frank Last", "roster email"),
        "flast@corp.example": ("Frank Last", "roster email"),
        "frank.m.last@corp.example": ("Frank Last", "roster name at their domain"),
        "m..last@corp.example": ("Frank Last", "roster alias"),
        "flast@subsidiary.corp.example": ("Frank Last", "roster local part"),
        # Not him: another company's Frank Last, and a system's address showing his name.
        "frank.last@othercorp.example": ("Frank Last", "address"),
        "noreply@corp.example": ("Frank Last", "address"),
    }
    assert rows(db, "select count(*) from persons where name = 'Frank Last'") == [(3,)]
    assert keys["gother@corp.example"] == ("Gina Other", "roster name at their domain")
    assert keys["gina.other@subsidiary.corp.example"] == ("Gina Other", "roster local part")
    assert keys["ginaother@gmail.com"][1] == "address"  # never merged on its own...
    suggested = rows(
        db,
        """select s.key, p.name, s.reason from identity_suggestions s
           join persons p on p.id = s.person_id order by s.key""",
    )
    # ...but suggested, with the evidence; so is the other Frank Last, not the noreply sender.
    assert [(k, n) for k, n, _ in suggested] == [
        ("frank.last@othercorp.example", "Frank Last"),
        ("ginaother@gmail.com", "Gina Other"),
    ]
    assert "forwards" in suggested[1][2]
    # The same email in five folders under five Message-IDs: one message, five copies.
    assert rows(db, "select count(*) from messages where subject = 'Board minutes'") == [(1,)]
    assert rows(
        db,
        """select count(*), count(c.note) from message_copies c join messages m
           on m.id = c.message_id where m.subject = 'Board minutes'""",
    ) == [(5, 4)]
    # Frank's sent count is the independent one over his addresses.
    assert rows(db, "select sent from persons where name = 'Frank Last' and kind = 'official'") == [
        (truth["frank_sent"],)
    ]
    # Word's style sheet never reaches the authored text.
    assert rows(db, "select count(*) from messages where body_authored like '%MsoNormal%'") == [
        (0,)
    ]
    assert rows(
        db, "select count(*) from messages where body_authored = 'The audit is on Friday.'"
    ) == [(2,)]
    # The fact-checker's list of merges.
    result = runner.invoke(cli, ["identities", "--db", str(db)], catch_exceptions=False)
    assert "m..last@corp.example\n        roster alias: the headers give" in result.output
    assert "Suggestions (2)" in result.output
