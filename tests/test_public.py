"""The public build: a corpus whose private people are named, addressed, phoned and located in
every place a value can hide; after `publish-build`, none of those strings is anywhere in the
public file's bytes nor on any page `serve` shows of it, the roster's people all are, and every
published count equals the working one."""

from __future__ import annotations

import re
import sqlite3
import urllib.request
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from click.testing import CliRunner
from conftest import ROOT, make_email, rows, run_cli

from backchannel.cli import cli
from backchannel.corpus.matching import fold
from backchannel.publish.local import serving

MARISOL = "Marisol Quintanilla-Vega"
MARISOL_ADDRESS = "mquintanilla.parent@fastmail.example"
JOZEF = "Józef Wiśniewski"
JOZEF_ADDRESS = "j.wisniewski@homemail.example"
PHONE = "(555) 014-2277"
PHONE_2 = "+1 555 019 3388"
STREET = "4471 Larkspur Avenue"
NEIGHBOUR = "Thaddeus Brightwater"  # named only in prose

SECRETS = [
    MARISOL,
    MARISOL_ADDRESS,
    "mquintanilla.parent%40fastmail.example",
    "Quintanilla-Vega, Marisol",
    "Quintanilla-Vega",
    JOZEF,
    "Jozef Wisniewski",
    "Wiśniewski",
    JOZEF_ADDRESS,
    PHONE,
    "555-014-2277",
    PHONE_2,
    STREET,
    NEIGHBOUR,
]
DANA = "Dana Whitfield <dana.whitfield@lakemontusd.example>"
ROSA = "Rosa Ibáñez <rosa@betterschoolsnow.example>"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A working corpus (sample roster) whose private people are everywhere, and its build."""
    work = tmp_path_factory.mktemp("public")
    dump = work / "dump"
    dump.mkdir()
    letter = (
        f"Dear Ms. Whitfield,\n\nMy name is {MARISOL} and my son is at Lakemont Middle. "
        f"Please call me at {PHONE} or 555-014-2277, or write to me at {STREET}, Apt 3B.\n"
        f"My neighbour {NEIGHBOUR} shares the concern.\n\nThank you,\n{MARISOL}\n{PHONE}\n"
    )
    (dump / "01-parent.eml").write_bytes(
        make_email(
            sender=f"{MARISOL} <{MARISOL_ADDRESS}>",
            to=DANA,
            subject=f"Bus route concerns ({MARISOL})",
            body=letter,
            message_id="<parent-1@fastmail.example>",
            date="Mon, 03 Mar 2025 08:00:00 -0800",
            html=(
                f"<p>My name is <b>{MARISOL}</b>.</p><p>Call {PHONE}.</p>"
                f'<p><a href="mailto:mquintanilla.parent%40fastmail.example">write</a> '
                f"or see {STREET}.</p>"
            ),
            attachments=[
                (
                    "route-notes.txt",
                    "text/plain",
                    f"Notes by {MARISOL} ({MARISOL_ADDRESS}), {STREET}, tel {PHONE}.\n".encode(),
                )
            ],
        )
    )
    (dump / "02-reply.eml").write_bytes(
        make_email(
            sender=DANA,
            to=f"{MARISOL} <{MARISOL_ADDRESS}>",
            cc=[f'"Wiśniewski, Józef" <{JOZEF_ADDRESS}>', ROSA],
            subject=f"RE: Bus route concerns ({MARISOL})",
            body=(
                f"Thank you, {MARISOL}. I have copied {JOZEF}, who chairs the parents' group, "
                f"and Better Schools Now.\n\nDana\n\n"
                f"On Mon, Mar 3, 2025 at 8:00 AM {MARISOL} <{MARISOL_ADDRESS}> wrote:\n"
                + "".join(f"> {line}\n" for line in letter.splitlines())
            ),
            message_id="<reply-1@lakemontusd.example>",
            date="Mon, 03 Mar 2025 10:30:00 -0800",
        )
    )
    (dump / "03-jozef.eml").write_bytes(
        make_email(
            sender=f"{JOZEF} <{JOZEF_ADDRESS}>",
            to=[DANA, "Samuel Okafor <samuel.okafor@lakemontusd.example>"],
            subject="Parents' group meeting",
            body=f"We meet at {STREET}. My cell is {PHONE_2}. — {JOZEF}\n",
            message_id="<jozef-1@homemail.example>",
            date="Tue, 04 Mar 2025 19:00:00 -0800",
        )
    )
    (dump / "04-bsn.eml").write_bytes(  # roster people among themselves: counted, visible
        make_email(
            sender=ROSA,
            to=DANA,
            subject="Charter vote",
            body="Can we talk before Tuesday?\n",
            message_id="<bsn-1@betterschoolsnow.example>",
            date="Wed, 05 Mar 2025 09:00:00 -0800",
        )
    )
    (dump / f"{MARISOL} letter.msg").write_bytes(b"not an Outlook file at all")  # an error row
    db = work / "working.db"
    run_cli("ingest", dump, "--db", db)
    run_cli("analyze", "--db", db, "--roster", ROOT / "sample" / "roster.yaml")
    policy = work / "policy.yaml"
    policy.write_text(
        "label: Private person\n"
        "withhold:\n"
        f"  - from: {JOZEF_ADDRESS}\n"
        "    reason: a private citizen's own email\n"
    )
    public = work / "public.db"
    output = run_cli("publish-build", "--db", db, "--out", public, "--policy", policy)
    return db, public, policy, output


def test_the_working_corpus_has_them_all(corpus):
    """The fixture is what it says: each secret is in the working corpus's bytes, in headers,
    HTML, quoted history, attachment text, entities and the full-text index."""
    db, *_ = corpus
    data = Path(db).read_bytes().lower()
    for secret in [MARISOL, MARISOL_ADDRESS, JOZEF, JOZEF_ADDRESS, PHONE, STREET]:
        assert secret.lower().encode() in data, secret
    conn = sqlite3.connect(db)
    assert conn.execute(
        "select count(*) from messages where headers like ? and body_html like ? "
        "and body_quoted is null",
        [f"%{MARISOL_ADDRESS}%", f"%{MARISOL}%"],
    ).fetchone()[0]
    assert conn.execute(
        "select count(*) from messages where body_quoted like ?", [f"%{PHONE}%"]
    ).fetchone()[0]
    assert conn.execute(
        "select count(*) from attachments where text like ?", [f"%{STREET}%"]
    ).fetchone()[0]
    entities = {r[0] for r in conn.execute("select text from entities where label = 'PERSON'")}
    assert NEIGHBOUR in entities
    assert conn.execute(
        "select count(*) from messages_fts where messages_fts match 'quintanilla'"
    ).fetchone()[0]


def test_no_private_string_in_the_public_bytes(corpus):
    _, public, _, output = corpus
    data = Path(public).read_bytes().lower()
    for secret in SECRETS:
        assert secret.lower().encode() not in data, secret
    # Nor in UTF-16, nor with its accents off.
    for secret in (MARISOL, JOZEF):
        assert secret.lower().encode("utf-16-le") not in data
    assert "private persons" in output and "withheld" in output


def test_roster_people_and_counts_are_all_there(corpus):
    db, public, *_ = corpus
    data = Path(public).read_bytes()
    for person in ("Dana Whitfield", "dana.whitfield@lakemontusd.example", "Rosa Ibáñez"):
        assert person.encode() in data
    for table, columns in {
        "office_contacts": "organization, official, org_to_office, office_to_org, total",
        "offices": "official, sent, received, first, last",
        "organizations": "name, sent, received, first, last",
    }.items():
        sql = f"select {columns} from {table} order by 1, 2"
        assert rows(public, sql) == rows(db, sql), table
    # The private persons are there as pseudonyms, the same one everywhere.
    persons = dict(rows(public, "select name, keys from persons where kind = 'other'"))
    labels = [n for n in persons if n.startswith("Private person ")]
    assert len(labels) >= 2
    marisol = next(
        n for n, keys in persons.items() if n.startswith("Private person") and "@redacted" in keys
    )
    pseudonym = re.search(r"private-[0-9a-f]{8}@redacted", persons[marisol]).group(0)
    assert rows(public, "select count(*) from participants where address = ?", [pseudonym])[0][0]
    assert rows(public, "select count(*) from messages where body like ?", [f"%{marisol}%"])[0][0]


def test_withheld_and_the_internals_dropped(corpus):
    db, public, *_ = corpus
    withheld = rows(public, "select message_id, reason, rule from withheld")
    assert [(r[1]) for r in withheld] == ["a private citizen's own email"]
    assert "policy line" in withheld[0][2]
    assert not rows(public, "select id from messages where id = ?", [withheld[0][0]])
    # Still counted: the office's figure is the working one, and its list says so.
    assert rows(
        public, "select count(*) from counted_messages where message_id = ?", [withheld[0][0]]
    )[0][0]
    tables = {r[0] for r in rows(public, "select name from sqlite_master where type='table'")}
    assert (
        not {"person_keys", "identity_overrides", "identity_suggestions", "suppression_log"}
        & tables
    )
    assert rows(public, "select key from settings") == [("timezone",)]
    # The working corpus keeps what was replaced, where and by which rule.
    log = rows(db, "select rule, count(*) from suppression_log group by rule")
    assert {"private address", "private name", "phone number", "street address", "withheld"} <= {
        r[0] for r in log
    }
    # File names are replaced by their hashes; the hashes stay.
    for path, sha in rows(public, "select path, sha256 from sources"):
        assert path.startswith(f"source-{sha[:12]}")
    # Every mention offset left points at its own text in the scrubbed authored text.
    for text, body, start, end in rows(
        public,
        "select t.text, m.body_authored, t.start, t.[end] from mentions t "
        "join messages m on m.id = t.message_id where t.start is not null",
    ):
        assert body[start:end] == text
    # Search works on the scrubbed text, and finds nothing private.
    assert rows(public, "select count(*) from messages_fts where messages_fts match 'bus'")[0][0]
    assert not rows(
        public, "select count(*) from messages_fts where messages_fts match 'quintanilla'"
    )[0][0]


def test_building_twice_gives_the_same_file(corpus, tmp_path):
    db, public, policy, _ = corpus
    again = tmp_path / "again.db"
    run_cli("publish-build", "--db", db, "--out", again, "--policy", policy)
    assert again.read_bytes() == Path(public).read_bytes()


def test_a_policy_with_a_mistake_is_refused_with_its_line(corpus, tmp_path):
    db, *_ = corpus
    bad = tmp_path / "bad.yaml"
    bad.write_text("withhold:\n  - from: not-an-address\n    reason: x\n")
    result = CliRunner().invoke(
        cli,
        ["publish-build", "--db", str(db), "--out", str(tmp_path / "p.db"), "--policy", str(bad)],
    )
    assert result.exit_code != 0
    assert "line 2" in result.output and "not an email address" in result.output
    bad.write_text("visible:\n  - Jordan Reyes\nwithold: []\n")
    result = CliRunner().invoke(
        cli,
        ["publish-build", "--db", str(db), "--out", str(tmp_path / "p.db"), "--policy", str(bad)],
    )
    assert "line 3" in result.output and "unknown key 'withold'" in result.output
    assert not (tmp_path / "p.db").exists()


def test_no_private_string_on_any_page_served(corpus):
    """Crawl every link `serve` shows of the public file (within a cap): not one page holds a
    private string; every page says it is a public build."""
    _, public, *_ = corpus
    with serving(Path(public)) as base:
        seen: set[str] = set()
        lists_with_withheld: list[str] = []
        queue = ["/"]
        while queue and len(seen) < 700:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            try:
                with urllib.request.urlopen(base + path, timeout=30) as r:
                    kind = r.headers.get("content-type", "")
                    body = r.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:
                assert exc.code in (400, 404), (path, exc.code)
                continue
            text = unescape(body).lower()
            for secret in SECRETS:
                assert secret.lower() not in text, (secret, path)
            if "text/html" not in kind:
                continue
            if "<html" in body:
                assert "Public build of" in body, path
            if "withheld for privacy in this public build" in body:
                lists_with_withheld.append(path)
            for href in re.findall(r'href="([^"#]+)"', body):
                url = urlparse(urljoin(base + path, unescape(href)))
                if url.netloc != urlparse(base).netloc or url.path.startswith("/-/static"):
                    continue
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    assert len(seen) > 100  # the crawl went through the tables, emails and lists
    assert any(p.startswith("/-/email/") for p in seen)
    assert any(p.startswith("/-/messages/") for p in seen)
    assert any(p.startswith("/-/story/") for p in seen)
    assert lists_with_withheld  # a figure that counts the withheld email says so


@pytest.mark.parametrize("level", ["groups", "persons"])
def test_network_links_open_their_messages_in_a_public_build(corpus, level):
    """Ids in a public build are keyed anew where a private person is in them: every edge of
    the network still opens exactly its messages (the page reads stored ids, never rebuilds
    them)."""
    import asyncio

    from datasette.app import Datasette

    from backchannel.publish import metadata_for

    _, public, *_ = corpus
    ds = Datasette([str(public)], immutables=[], metadata=metadata_for("public"))
    data = asyncio.run(ds.client.get(f"/-/network/public.json?level={level}")).json()
    assert data["edges"]
    private = {n["id"] for n in data["nodes"] if (n["label"] or "").startswith("Private person")}
    assert private or level == "groups"
    for edge in data["edges"]:
        url = f"{data['messages_url']}?counted={edge['counted']}&direction={edge['direction']}"
        html = asyncio.run(ds.client.get(url)).text
        withheld = re.search(r"(\d+) of the emails this figure counts", html)
        listed = html.count('<tr class="message">') + (int(withheld.group(1)) if withheld else 0)
        assert listed == edge["messages"], edge


# A private person whose name is written as file names, user names and Message-IDs write it.
ZEBULON = "Zebulon Quackenbush"
ZEBULON_ADDRESS = "zq1984@homemail.example"
ZEBULON_ID = "<zebulon.quackenbush.20250106@homemail.example>"
ZEBULON_PARTS = ("zebulon", "quackenbush")


@pytest.fixture(scope="module")
def spelled(tmp_path_factory):
    """A working corpus where the private name is spelled with underscores, dots, dashes,
    capitals and accents in an attachment's name, its text, a body, a Message-ID and the
    replies' In-Reply-To and References; and its public build."""
    work = tmp_path_factory.mktemp("spelled")
    dump = work / "dump"
    dump.mkdir()
    (dump / "1.eml").write_bytes(
        make_email(
            sender=f"{ZEBULON} <{ZEBULON_ADDRESS}>",
            to=DANA,
            subject="IEP meeting for my son",
            body=(
                "Please see the attached plan. The portal login is zebulon_quackenbush, "
                "the old one ZEBULON.QUACKENBUSH; the school writes Quackenbush-Zebulon "
                "and Zébulon Quäckenbush.\n"
            ),
            message_id=ZEBULON_ID,
            date="Mon, 06 Jan 2025 08:00:00 -0800",
            attachments=[
                (
                    "Quackenbush_Zebulon_IEP_2025.txt",
                    "text/plain",
                    b"IEP plan, file quackenbush.zebulon, reviewed 2025.\n",
                )
            ],
        )
    )
    reply = make_email(
        sender=DANA,
        to=f"{ZEBULON} <{ZEBULON_ADDRESS}>",
        subject="RE: IEP meeting for my son",
        body="Thank you, I will read it tonight.\n",
        message_id="<reply-iep@lakemontusd.example>",
        date="Mon, 06 Jan 2025 10:30:00 -0800",
    )
    reply = reply.replace(
        b"Message-ID:", f"In-Reply-To: {ZEBULON_ID}\nReferences: {ZEBULON_ID}\nMessage-ID:".encode()
    )
    (dump / "2.eml").write_bytes(reply)
    db = work / "working.db"
    run_cli("ingest", dump, "--db", db)
    run_cli("analyze", "--db", db, "--roster", ROOT / "sample" / "roster.yaml")
    public = work / "public.db"
    run_cli("publish-build", "--db", db, "--out", public)
    return db, public


def _every_text(path: Path) -> list[tuple[str, str]]:
    """(table, text) for every text cell of every table of the file, SQLite's and the
    full-text indexes' shadow tables included, and every term each full-text index holds."""
    conn = sqlite3.connect(path)
    out = []
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        for table in names:
            if conn.execute(
                "select sql like 'create virtual table%' from sqlite_master where name = ?",
                [table],
            ).fetchone()[0]:
                conn.execute(
                    f"create virtual table temp.[v_{table}] using fts5vocab(main, [{table}], row)"
                )
                out += [
                    (f"{table} terms", t)
                    for (t,) in conn.execute(f"select term from temp.[v_{table}]")
                ]
                continue
            for row in conn.execute(f"select * from [{table}]"):
                out += [(table, v) for v in row if isinstance(v, str)]
                out += [(table, v.decode("utf-8", "replace")) for v in row if isinstance(v, bytes)]
    finally:
        conn.close()
    return out


def test_the_spelled_corpus_has_them(spelled):
    db, _ = spelled
    texts = [fold(t) for _, t in _every_text(db)]
    for part in ZEBULON_PARTS:
        assert sum(part in t for t in texts) > 5, part
    assert rows(db, "select count(*) from attachments where name like 'Quackenbush_Zebulon%'")
    assert rows(db, "select in_reply_to from messages where in_reply_to is not null") == [
        (ZEBULON_ID.strip("<>"),)
    ]


def test_a_name_in_any_spelling_is_nowhere_in_the_public_file(spelled):
    """Not in the bytes (any case, UTF-8 or UTF-16), not in any cell of any table with its
    accents off, not among the terms of any full-text index."""
    db, public = spelled
    data = Path(public).read_bytes().lower()
    for part in ZEBULON_PARTS:
        assert part.encode() not in data, part
        assert part.encode("utf-16-le") not in data, part
    for table, text in _every_text(public):
        folded = fold(text)
        for part in ZEBULON_PARTS:
            assert part not in folded, (part, table, text)
    # The thread holds: the reply names the original by the same keyed id.
    (original,) = rows(public, "select message_id from messages where in_reply_to is null")[0:1]
    reply = rows(
        public, "select in_reply_to, reference_ids from messages where in_reply_to is not null"
    )
    assert reply == [(original[0], original[0])]
    assert re.fullmatch(r"private-[0-9a-f]{16}@redacted", original[0])
    assert len(rows(public, "select distinct thread_id from messages")) == 1
    # And the attachment keeps what is not the name.
    (name,) = rows(public, "select name from attachments")[0]
    assert name.endswith("_IEP_2025.txt") and name.startswith("Private person ")


def test_a_leak_left_in_the_finished_file_refuses_it(spelled, tmp_path):
    """The build reads its finished file again: a private name left in any table (here put
    back by hand) is found, and the file is refused."""
    import shutil

    from backchannel.public.build import LeakFound, _check_nothing_left, _secret
    from backchannel.public.policy import Policy
    from backchannel.public.privacy import Privacy, Scrubber

    db, public = spelled
    planted = tmp_path / "planted.db"
    shutil.copy(public, planted)
    working = sqlite3.connect(db)
    scrubber = Scrubber(Privacy(working, Policy(), _secret(working)))
    working.close()
    _check_nothing_left(planted, scrubber)  # the real build's file passes
    for table, column, value in [
        ("attachments", "name", "zebulon_quackenbush.pdf"),
        ("messages", "in_reply_to", "<x.Quackenbush@mail.example>"),
        ("messages", "reference_ids", "a1@x.example zebulon.quackenbush.20250106"),
        ("threads", "subject", "Quäckenbush"),
    ]:
        shutil.copy(public, planted)
        conn = sqlite3.connect(planted)
        with conn:
            conn.execute(f"update [{table}] set [{column}] = ?", [value])
        conn.close()
        with pytest.raises(LeakFound, match=f"{table}.{column}"):
            _check_nothing_left(planted, scrubber)


@pytest.mark.parametrize(
    "text,line,reason",
    [
        ("withhold: []\nwithhold: []\n", 2, "key 'withhold' is given twice in the policy"),
        ("visible: " + "[" * 5000 + "\n", 1, "nested more than 16 lists or mappings deep"),
        ("label: &l Parent\nvisible: [*l]\n", 1, "anchors and aliases"),
        ("keep:\n  file_names: true\n  file_names: false\n", 3, "key 'file_names' is given twice"),
        ("withhold:\n  - from: a@x.example\n    reason: [a, b]\n", 3, "needs a reason"),
        ("label: Par\x00ent\n", 1, "a NUL byte"),
    ],
)
def test_a_policy_written_wrong_is_refused_and_nothing_is_written(
    corpus, tmp_path, text, line, reason
):
    db, *_ = corpus
    before = Path(db).read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    out = tmp_path / "p.db"
    result = CliRunner().invoke(
        cli, ["publish-build", "--db", str(db), "--out", str(out), "--policy", str(bad)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"policy refused: {bad}, line {line}: " in result.output and reason in result.output
    assert list(tmp_path.iterdir()) == [bad]  # no public file, nothing half-built
    assert Path(db).read_bytes() == before
