"""NER over authored text only, with the roster's names always found and linked."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import ROOT, make_email, rows, run_cli, write_mbox

from backchannel.analysis.ner import load_model
from backchannel.cli import cli
from backchannel.corpus.roster import load_roster

ROSTER = load_roster(ROOT / "sample" / "roster.yaml")


def ents(nlp, text):
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


def test_ruler_finds_roster_names_in_any_case_with_or_without_accents():
    nlp = load_model(ROSTER, blank=True)  # the ruler alone: no statistical model
    got = ents(nlp, "rosa ibanez met Tomás Castrejón and Rosie Ibáñez from bsn.")
    assert got == [
        ("rosa ibanez", "PERSON", "person:member:Better Schools Now:Rosa Ibáñez"),
        ("Tomás Castrejón", "PERSON", "person:official:Tomás Castrejón:Tomás Castrejón"),
        ("Rosie Ibáñez", "PERSON", "person:member:Better Schools Now:Rosa Ibáñez"),
        ("bsn", "ORG", "org:Better Schools Now"),
    ]


def test_the_model_runs_offline_with_only_ner():
    nlp = load_model(ROSTER)
    assert nlp.pipe_names == ["entity_ruler", "ner"]
    got = ents(nlp, "The superintendent flew to Sacramento with Senator Maria Delgado.")
    assert ("Sacramento", "GPE", "") in got
    # thinc's layers multiply with numpy's OpenBLAS, not BLIS (generic kernels on newer CPUs).
    assert nlp.get_pipe("ner").model.ops.use_blis is False


def test_setup_installed_spacy_built_without_profiling():
    """scripts/setup.sh replaces spaCy's Python 3.11 wheel, compiled with Cython profiling (the
    hooks take the GIL on every call of the NER's inner loop), by the same release built
    without it."""
    from backchannel.analysis.ner import spacy_profiled

    assert not spacy_profiled(), "spaCy is the profiled build from PyPI: run scripts/setup.sh"


def test_only_authored_text_is_read_and_offsets_point_at_it(tmp_path):
    body = (
        "Thanks Dana, I will call the Sacramento office tomorrow about bsn.\n\n"
        "Rosa Ibáñez\nBetter Schools Now\n(555) 010-2233\n\n"
        "On Mon, Mar 3, 2025 at 4:02 PM Kevin Doyle <kdoyle@betterschoolsnow.example> wrote:\n"
        "> Grace Liu told Samuel Okafor about Fresno.\n"
    )
    write_mbox(
        tmp_path / "box.mbox",
        [make_email(sender="Rosa Ibáñez <rosa@betterschoolsnow.example>", body=body)],
    )
    db = tmp_path / "c.db"
    runner = CliRunner()
    runner.invoke(
        cli, ["ingest", str(tmp_path / "box.mbox"), "--db", str(db)], catch_exceptions=False
    )
    result = runner.invoke(
        cli,
        ["analyze", "--db", str(db), "--roster", str(ROOT / "sample" / "roster.yaml")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    (authored,) = rows(db, "select body_authored from messages where recovered = 0")[0]
    assert authored == "Thanks Dana, I will call the Sacramento office tomorrow about bsn."
    found = rows(
        db,
        """select m.start, m."end", m.text, e.label, e.text, e.organization
                        from mentions m join entities e on e.id = m.entity_id
                        join messages g on g.id = m.message_id where g.recovered = 0
                        order by m.start""",
    )
    for start, end, text, *_ in found:
        assert authored[start:end] == text
    texts = {f[2] for f in found}
    assert "Sacramento" in texts
    assert ("bsn", "ORG", "Better Schools Now") in {(f[2], f[3], f[5]) for f in found}
    # Not from the signature, not from the quoted history.
    assert not texts & {
        "Rosa Ibáñez",
        "Better Schools Now",
        "Kevin Doyle",
        "Grace Liu",
        "Samuel Okafor",
        "Fresno",
    }
    again = runner.invoke(cli, ["analyze", "--db", str(db)], catch_exceptions=False)
    assert "entities read in            0" in again.output  # incremental: nothing new


def test_a_name_only_in_the_quoted_history_is_not_a_mention_of_the_reply(tmp_path):
    """Bottom-posted and inline replies, and a reply that came as HTML only: the names in the
    history they quote belong to the quoted emails, never to the reply."""
    gmail_quote = (
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, Mar 3, 2025 at 4:02 PM Kevin '
        "Doyle &lt;kdoyle@betterschoolsnow.example&gt; wrote:</div><blockquote "
        'class="gmail_quote"><div>Samuel Okafor will present the charter.</div></blockquote></div>'
    )
    mails = [
        make_email(
            sender="Rosa Ibáñez <rosa@betterschoolsnow.example>",
            message_id="<html-only@x>",
            body=None,
            html=f"<div>Hi Kevin,</div>{gmail_quote}<div>I will drive to Sacramento.</div>",
        ),
        make_email(
            sender="Rosa Ibáñez <rosa@betterschoolsnow.example>",
            message_id="<inline@x>",
            date="Tue, 04 Mar 2025 10:15:00 -0800",
            body="On Mon, Mar 3, 2025 at 4:02 PM Kevin Doyle <kdoyle@betterschoolsnow.example> "
            "wrote:\n> Grace Liu asked about the bond.\n\nI will call Fresno.\n\n> And the "
            "vote?\n\nThursday.\n",
        ),
    ]
    write_mbox(tmp_path / "box.mbox", mails)
    db = tmp_path / "c.db"
    run_cli("ingest", tmp_path / "box.mbox", "--db", db)
    run_cli("analyze", "--db", db, "--roster", ROOT / "sample" / "roster.yaml")
    found = rows(
        db,
        """select g.message_id, g.recovered, m.text from mentions m join messages g
           on g.id = m.message_id order by 1, 3""",
    )
    replies = {(mid, text) for mid, recovered, text in found if not recovered}
    assert ("html-only@x", "Sacramento") in replies and ("inline@x", "Fresno") in replies
    assert not {text for _, text in replies} & {"Samuel Okafor", "Grace Liu", "Kevin Doyle"}
    # The quoted emails, recovered, are where those names are mentioned.
    assert {text for _, recovered, text in found if recovered} >= {"Samuel Okafor", "Grace Liu"}


def test_the_same_text_in_two_messages_is_read_once_for_both(tmp_path):
    letter = "Please vote for the charter. I live in Sacramento.\n"
    mails = [
        make_email(
            sender=f"Parent {n} <parent{n}@mail.example>",
            message_id=f"<form{n}@x>",
            subject="Support the charter",
            body=letter,
        )
        for n in range(3)
    ]
    write_mbox(tmp_path / "box.mbox", mails)
    db = tmp_path / "c.db"
    runner = CliRunner()
    runner.invoke(
        cli, ["ingest", str(tmp_path / "box.mbox"), "--db", str(db)], catch_exceptions=False
    )
    result = runner.invoke(cli, ["analyze", "--db", str(db)], catch_exceptions=False)
    assert "entities read in            3" in result.output
    got = rows(
        db,
        """select count(distinct m.message_id), e.text from mentions m
                      join entities e on e.id = m.entity_id where e.text = 'Sacramento'""",
    )
    assert got == [(3, "Sacramento")]


def test_worker_processes_find_what_one_process_finds(tmp_path, monkeypatch):
    """The pool path (spawned workers that send back only the entities) and the one-process
    path write the same mentions, offsets and all."""
    import shutil

    from backchannel.analysis import ner
    from backchannel.corpus import open_corpus

    mails = [
        make_email(
            sender=f"Parent {n} <parent{n}@mail.example>",
            to="Dana Whitfield <dana.whitfield@lakemontusd.example>",
            message_id=f"<w{n}@x>",
            subject=f"Item {n}",
            body=f"Dear Ms. Whitfield, (Better Schools Now) met Rosie Ibanez in Fresno on day {n}. "
            f"Call Tomas Castrejon or Kevin Doyle about item {n}!\n",
        )
        for n in range(40)
    ]
    write_mbox(tmp_path / "box.mbox", mails)
    one = tmp_path / "one.db"
    run_cli("ingest", tmp_path / "box.mbox", "--db", one)
    run_cli("analyze", "--db", one, "--roster", ROOT / "sample" / "roster.yaml")
    two = tmp_path / "two.db"
    shutil.copy(one, two)
    db = open_corpus(two)
    db.execute("update messages set ner_hash = null")
    db.execute("delete from mentions")
    db.conn.commit()
    monkeypatch.setattr(ner, "POOL_MIN", 0)
    summary = ner.run_ner(db, ROSTER, n_process=2)
    assert summary.messages == 40
    query = "select message_id, start, end, text, entity_id from mentions order by 1, 2"
    got = db.execute(query).fetchall()
    db.close()
    want = rows(one, query)
    assert got == want and len(want) >= 40 * 4
    # Offsets point at the text, trimmed of punctuation.
    body = rows(one, "select id, body_authored from messages")
    text_of = dict(body)
    for mid, start, end, text, _ in want:
        assert text_of[mid][start:end] == text


def test_a_person_the_ruler_missed_is_linked_by_name():
    """A Notes canonical name or a middle initial in the text is still the roster's person;
    a first name alone is nobody in particular."""
    from backchannel.analysis.ner import _link

    ids = {
        "person:official:Frank Last:Frank Last": "p1",
        "name:frank last": "person:official:Frank Last:Frank Last",
    }
    assert _link("", "Frank M Last/HOU/CORP@CORP", ids, "PERSON") == ("Frank Last", "p1", None)
    assert _link("", "Last, Frank", ids, "PERSON") == ("Frank Last", "p1", None)
    assert _link("", "Frank", ids, "PERSON") == ("Frank", None, None)
    assert _link("", "Frank Last", ids, "ORG") == ("Frank Last", None, None)


def test_a_nickname_goes_with_the_last_name_however_the_roster_writes_the_name():
    """The ruler and identity resolution make a nickname's form from one rule: "Whitfield,
    Dana" nicknamed Dee is "Dee Whitfield" to both (the ruler once took "Dee Dana")."""
    from backchannel.analysis.identities import _variants
    from backchannel.corpus.roster import Person, Roster

    dana = Person("Whitfield, Dana", "official", "Whitfield, Dana", nicknames=["Dee"])
    roster = Roster(people=[dana], organizations=[])
    nlp = load_model(roster, blank=True)
    assert ents(nlp, "Dee Whitfield called.") == [
        ("Dee Whitfield", "PERSON", "person:official:Whitfield, Dana:Whitfield, Dana")
    ]
    assert ents(nlp, "Dee Dana called.") == []
    assert "dee whitfield" in _variants(dana)
    assert dana.names() == {"Whitfield, Dana", "Dee Whitfield"}
