"""Emails recovered from quoted history in every language the splitter finds: the sender and
the date (to the minute, with its zone where one is written) of each attribution line and
header block, as the clients write them; a date that cannot be read for sure stays quoted text;
and a recovered email meets the copy the corpus already has, so no count changes.

All the quoted emails here were written on Tuesday 4 March 2025 at 16:07 (4:07 PM): a day and
a month that differ, so that a date read the wrong way round (3 April) fails, and a day that is
not the 3rd or the 6th, so that a day filled in from elsewhere fails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import make_email, rows, write_mbox

from backchannel.analysis import analyze
from backchannel.analysis.quoted_header import read_header_date
from backchannel.analysis.quotes import split_body
from backchannel.analysis.recovered import record_from_fragment
from backchannel.corpus import ingest, open_corpus
from backchannel.ingest.dates import read_date

PARENT = {"id": "parent", "subject": "Re: Vote", "source_path": "box.mbox"}
DANA = "dana@district.example"
LOCAL = datetime(2025, 3, 4, 16, 7, tzinfo=UTC)  # as written, where no zone is
ANSWER = "The vote moved to Thursday."
QUOTED = "> Is the vote still on Tuesday?\n> Dana\n"

# (language and client, attribution line as the client writes it, UTC time or None where the
# line gives no zone: then the time as written, zone unknown).
ATTRIBUTIONS = [
    ("en gmail", f"On Tue, Mar 4, 2025 at 4:07 PM Dana Whitfield <{DANA}> wrote:", None),
    (
        "en yahoo",
        f"On Tuesday, March 4, 2025, 04:07:11 PM PST, Dana Whitfield <{DANA}> wrote:",
        datetime(2025, 3, 5, 0, 7, 11, tzinfo=UTC),
    ),
    (
        "en gmail iso",
        f"2025-03-04 16:07 GMT+01:00 Dana Whitfield <{DANA}>:",
        datetime(2025, 3, 4, 15, 7, tzinfo=UTC),
    ),
    (
        "en zoho",
        f"---- On Tue, 04 Mar 2025 16:07:11 +0100 Dana Whitfield <{DANA}> wrote ----",
        datetime(2025, 3, 4, 15, 7, 11, tzinfo=UTC),
    ),
    (
        "en mutt",
        f"* Dana Whitfield <{DANA}> [2025-03-04 16:07:11 -0800]:",
        datetime(2025, 3, 5, 0, 7, 11, tzinfo=UTC),
    ),
    ("de gmail", f"Am Di., 4. März 2025 um 16:07 Uhr schrieb Dana Whitfield <{DANA}>:", None),
    ("de apple", f"Am 04.03.2025 um 16:07 schrieb Dana Whitfield <{DANA}>:", None),
    ("de name first", f"Dana Whitfield <{DANA}> schrieb am Di., 4. März 2025, 16:07:", None),
    ("fr gmail", f"Le mar. 4 mars 2025 à 16:07, Dana Whitfield <{DANA}> a écrit :", None),
    ("es gmail", f"El mar, 4 mar 2025 a las 16:07, Dana Whitfield (<{DANA}>) escribió:", None),
    (
        "es gmail, 12 hours",
        f"El mar, 4 mar 2025 a las 4:07 p. m., Dana Whitfield (<{DANA}>) escribió:",
        None,
    ),
    ("pt gmail", f"Em ter., 4 de mar. de 2025 às 16:07, Dana Whitfield <{DANA}> escreveu:", None),
    (
        "it gmail",
        f"Il giorno mar 4 mar 2025 alle ore 16:07 Dana Whitfield <{DANA}> ha scritto:",
        None,
    ),
    ("nl gmail", f"Op di 4 mrt 2025 om 16:07 schreef Dana Whitfield <{DANA}>:", None),
    (
        "nl apple",
        f"Op 4 mrt. 2025 om 16:07 heeft Dana Whitfield <{DANA}> het volgende geschreven:",
        None,
    ),
    ("pl gmail", f"wt., 4 mar 2025 o 16:07 Dana Whitfield <{DANA}> napisał(a):", None),
    ("sv gmail", f"Den tis 4 mars 2025 kl 16:07 skrev Dana Whitfield <{DANA}>:", None),
    ("da gmail", f"Den tir. 4. mar. 2025 kl. 16.07 skrev Dana Whitfield <{DANA}>:", None),
    ("nb gmail", f"tir. 4. mar. 2025 kl. 16:07 skrev Dana Whitfield <{DANA}>:", None),
    ("fi gmail", f"ti 4.3.2025 klo 16.07 Dana Whitfield ({DANA}) kirjoitti:", None),
    ("cs gmail", f"út 4. 3. 2025 v 16:07 odesílatel Dana Whitfield <{DANA}> napsal:", None),
    ("tr gmail", f"Dana Whitfield <{DANA}>, 4 Mar 2025 Sal, 16:07 tarihinde şunu yazdı:", None),
    ("hu gmail", f"Dana Whitfield <{DANA}> ezt írta (időpont: 2025. márc. 4., K, 16:07):", None),
    ("ru gmail", f"вт, 4 мар. 2025 г. в 16:07, Dana Whitfield <{DANA}>:", None),
    (
        "ru mail.ru",
        f"Вторник, 4 марта 2025, 16:07 +03:00 от Dana Whitfield <{DANA}>:",
        datetime(2025, 3, 4, 13, 7, tzinfo=UTC),
    ),
    ("uk gmail", f"вт, 4 бер. 2025 о 16:07 Dana Whitfield <{DANA}> пише:", None),
    ("zh foxmail", f"在 2025年3月4日 16:07，Dana Whitfield <{DANA}> 写道：", None),
    ("zh gmail", f"Dana Whitfield <{DANA}> 于2025年3月4日周二 下午4:07写道：", None),
    ("ja gmail", f"2025年3月4日(火) 16:07 Dana Whitfield <{DANA}>:", None),
    ("ja apple", f"2025/03/04 16:07、Dana Whitfield <{DANA}>のメッセージ:", None),
    ("ko apple", f"2025. 3. 4. 오후 4:07, Dana Whitfield <{DANA}> 작성:", None),
    ("ko gmail", f"2025년 3월 4일 (화) 오후 4:07, Dana Whitfield <{DANA}>님이 작성:", None),
    (
        "vi gmail",
        f"Vào Th 3, 4 thg 3, 2025 vào lúc 16:07 Dana Whitfield <{DANA}> đã viết:",
        None,
    ),
    ("ru yandex", f'04.03.2025, 16:07, "Dana Whitfield" <{DANA}>:', None),
    ("two lines", f"On Tue, Mar 4, 2025 at 4:07 PM,\nDana Whitfield <{DANA}> wrote:", None),
]


def recovered(body: str):
    split = split_body(body, "Rosa Ibáñez")
    return [record_from_fragment(f, PARENT, n) for n, f in enumerate(split.fragments, start=1)]


@pytest.mark.parametrize(
    ("line", "utc"), [a[1:] for a in ATTRIBUTIONS], ids=[a[0] for a in ATTRIBUTIONS]
)
def test_each_languages_attribution_gives_the_sender_and_the_date(line, utc):
    (r,) = recovered(f"{ANSWER}\n\n{line}\n{QUOTED}")
    assert r is not None
    (sender,) = r.addresses("from")
    assert (sender.name, sender.address) == ("Dana Whitfield", DANA)
    assert (r.sent_at, r.zone_known) == (utc or LOCAL, utc is not None)
    assert r.body_text == "Is the vote still on Tuesday?\nDana"


# Without an address, the name between the date and the verb; numbers in the order the
# language writes them (4 March, not 3 April).
NAMED = [
    ("en thunderbird", "On 3/4/25 4:07 PM, Dana Whitfield wrote:"),
    ("fr thunderbird", "Le 04/03/2025 à 16:07, Dana Whitfield a écrit :"),
    ("es thunderbird", "El 04/03/2025 a las 16:07, Dana Whitfield escribió:"),
    ("pl thunderbird", "W dniu 4.03.2025 o 16:07, Dana Whitfield pisze:"),
    ("da apple", "Den 4. mar. 2025 kl. 16.07 skrev Dana Whitfield:"),
    # A scan's OCR made the address unreadable (@ as "(CD"): the name before it still counts.
    (
        "en ocr",
        'On Mar 4, 2025, at 4:07 PM, "Dana Whitfield" <Dana.Whitfield(CDlusd.example> wrote:',
    ),
]


@pytest.mark.parametrize("line", [n[1] for n in NAMED], ids=[n[0] for n in NAMED])
def test_a_sender_named_without_an_address(line):
    (r,) = recovered(f"{ANSWER}\n\n{line}\n{QUOTED}")
    assert r is not None
    assert [(a.name, a.address) for a in r.addresses("from")] == [("Dana Whitfield", "")]
    assert (r.sent_at, r.zone_known) == (LOCAL, False)


# Header blocks as each language's Outlook (or the client named) writes them.
BLOCKS = [
    (
        "de outlook",
        f"-----Ursprüngliche Nachricht-----\nVon: Dana Whitfield <{DANA}>\n"
        "Gesendet: Dienstag, 4. März 2025 16:07\nAn: Rosa Ibáñez\nBetreff: Abstimmung",
        None,
    ),
    (
        "fr outlook",
        f"De : Dana Whitfield [mailto:{DANA}]\nEnvoyé : mardi 4 mars 2025 16:07\n"
        "À : Rosa Ibáñez\nObjet : Vote",
        None,
    ),
    (
        "fr android",
        f"-------- Message d'origine --------\nDe : Dana Whitfield <{DANA}>\n"
        "Date : 04/03/2025 16:07 (GMT-08:00)\nÀ : Rosa Ibáñez\nObjet : Vote",
        datetime(2025, 3, 5, 0, 7, tzinfo=UTC),
    ),
    (
        "es outlook",
        f"De: Dana Whitfield <{DANA}>\nEnviado el: martes, 4 de marzo de 2025 16:07\n"
        "Para: Rosa Ibáñez\nAsunto: Votación",
        None,
    ),
    (
        "pt outlook",
        f"De: Dana Whitfield <{DANA}>\nEnviado: terça-feira, 4 de março de 2025 16:07\n"
        "Para: Rosa Ibáñez\nAssunto: Votação",
        None,
    ),
    (
        "it outlook",
        f"Da: Dana Whitfield <{DANA}>\nInviato: martedì 4 marzo 2025 16:07\nA: Rosa Ibáñez\n"
        "Oggetto: Voto",
        None,
    ),
    (
        "nl outlook",
        f"Van: Dana Whitfield <{DANA}>\nVerzonden: dinsdag 4 maart 2025 16:07\n"
        "Aan: Rosa Ibáñez\nOnderwerp: Stemming",
        None,
    ),
    (
        "da outlook",
        f"-----Oprindelig meddelelse-----\nFra: Dana Whitfield <{DANA}>\n"
        "Sendt: 4. marts 2025 16:07\nTil: Rosa Ibáñez\nEmne: Afstemning",
        None,
    ),
    (
        "sv outlook",
        f"Från: Dana Whitfield <{DANA}>\nSkickat: den 4 mars 2025 16:07\nTill: Rosa Ibáñez\n"
        "Ämne: Omröstning",
        None,
    ),
    (
        "pl outlook",
        f"Od: Dana Whitfield <{DANA}>\nWysłano: wtorek, 4 marca 2025 16:07\nDo: Rosa Ibáñez\n"
        "Temat: Głosowanie",
        None,
    ),
    (
        "ru windows mail",
        f"От: Dana Whitfield <{DANA}>\nОтправлено: 4 марта 2025 г. 16:07\nКому: Rosa Ibáñez\n"
        "Тема: Голосование",
        None,
    ),
    (
        "zh outlook",
        f"发件人: Dana Whitfield <{DANA}>\n发送时间: 2025年3月4日 16:07\n收件人: Rosa Ibáñez\n"
        "主题: 投票",
        None,
    ),
    (
        "zh foxmail",
        f'------------------ 原始邮件 ------------------\n发件人: "Dana Whitfield"<{DANA}>;\n'
        '发送时间: 2025年3月4日(星期二) 下午4:07\n收件人: "Rosa"<rosa@bsn.example>;\n主题: 投票',
        None,
    ),
    (
        "ja outlook",
        f"差出人: Dana Whitfield <{DANA}>\n送信日時: 2025年3月4日 16:07\n宛先: Rosa Ibáñez\n"
        "件名: 投票",
        None,
    ),
    (
        "ko outlook",
        f"보낸 사람: Dana Whitfield <{DANA}>\n보낸 날짜: 2025년 3월 4일 화요일 오후 4:07\n"
        "받는 사람: Rosa Ibáñez\n제목: 투표",
        None,
    ),
    (
        "en hotmail, date first",
        f"Date: Tue, 4 Mar 2025 16:07:11 -0800\nSubject: Vote\nFrom: Dana Whitfield <{DANA}>\n"
        "To: rosa@bsn.example",
        datetime(2025, 3, 5, 0, 7, 11, tzinfo=UTC),
    ),
    (
        "en lotus notes forward",
        "---------------------- Forwarded by Rosa Ibáñez/BSN on 03/05/2025 09:00 AM "
        f"---------------------------\n\nDana Whitfield <{DANA}> on 03/04/2025 04:07 PM\n"
        "To: Rosa Ibáñez/BSN@BSN\ncc:\nSubject: Vote",
        None,
    ),
    (
        "en outlook, numbers",
        f"________________________________\nFrom: Dana Whitfield <{DANA}>\n"
        "Sent: 3/4/2025 4:07 PM\nTo: Rosa Ibáñez\nSubject: Vote",
        None,
    ),
]


@pytest.mark.parametrize(("block", "utc"), [b[1:] for b in BLOCKS], ids=[b[0] for b in BLOCKS])
def test_each_languages_header_block_gives_the_sender_and_the_date(block, utc):
    (r,) = recovered(f"{ANSWER}\n\n{block}\n\nIs the vote still on Tuesday?\n")
    assert r is not None
    (sender,) = r.addresses("from")
    assert (sender.name, sender.address) == ("Dana Whitfield", DANA)
    assert (r.sent_at, r.zone_known) == (utc or LOCAL, utc is not None)
    assert r.body_text == "Is the vote still on Tuesday?"


def test_a_lotus_notes_block_names_its_sender_above_the_labels():
    (r,) = recovered(
        f"{ANSWER}\n\n\nDana Whitfield/LUSD\n03/04/2025 04:07 PM\nTo: Rosa Ibáñez/BSN@BSN\n"
        "cc: Marcus Lee/LUSD@LUSD\nSubject: Re: Vote\n\nIs the vote still on Tuesday?\n"
    )
    assert r is not None
    assert [(a.name, a.address) for a in r.addresses("from")] == [("Dana Whitfield/LUSD", "")]
    assert (r.sent_at, r.zone_known, r.subject) == (LOCAL, False, "Re: Vote")
    assert r.body_text == "Is the vote still on Tuesday?"


# Quoted blocks the splitter finds whose date cannot be read for sure: they stay quoted text.
UNREAD = [
    ("no time", f"On Tue, Mar 4, 2025, Dana Whitfield <{DANA}> wrote:"),
    ("no year", f"Le mar. 4 mars à 16:07, Dana Whitfield <{DANA}> a écrit :"),
    ("numbers, no language", f'04/03/2025, 16:07, "Dana Whitfield" <{DANA}>:'),
    ("a month word of another language", f"Am Di., 4. marts 2025 um 16:07 schrieb Dana <{DANA}>:"),
    ("no date", f"Dana Whitfield <{DANA}> writes:"),
]


@pytest.mark.parametrize("line", [u[1] for u in UNREAD], ids=[u[0] for u in UNREAD])
def test_a_date_that_cannot_be_read_for_sure_stays_quoted(line):
    split = split_body(f"{ANSWER}\n\n{line}\n{QUOTED}", "Rosa Ibáñez")
    assert split.authored == ANSWER and "Is the vote still on Tuesday?" in split.quoted
    assert [record_from_fragment(f, PARENT, 1) for f in split.fragments] == [None]


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        ("03/04/2025 16:07", {"fr"}, datetime(2025, 4, 3, 16, 7, tzinfo=UTC)),
        ("03/04/2025 16:07", {"en"}, datetime(2025, 3, 4, 16, 7, tzinfo=UTC)),
        ("03/04/2025 16:07", set(), None),  # no language: either way round
        ("13/04/2025 16:07", set(), datetime(2025, 4, 13, 16, 7, tzinfo=UTC)),
        ("2025. 03. 04. 16:07", {"hu"}, datetime(2025, 3, 4, 16, 7, tzinfo=UTC)),
        ("mar, 4 mar 2025 16:07", {"es"}, datetime(2025, 3, 4, 16, 7, tzinfo=UTC)),
        ("4 mar 2025 16:07 April", {"en"}, None),  # two months
        ("4 Mar 2025 16:07 16:08", {"en"}, None),  # two times
        ("4 Mar 2025 12 16:07", {"en"}, None),  # a number with no place
        ("31 Feb 2025 16:07", {"en"}, None),
        ("4 Mar 2025 13:07 AM", {"en"}, None),
        ("4 Mar 2025 23:51 PM", {"en"}, datetime(2025, 3, 4, 23, 51, tzinfo=UTC)),
        ("4 Mar 2025 00:56 AM", {"en"}, datetime(2025, 3, 4, 0, 56, tzinfo=UTC)),
        ("2025年3月4日 上午12:07", {"zh"}, datetime(2025, 3, 4, 0, 7, tzinfo=UTC)),
    ],
)
def test_the_date_reader_places_every_number_or_reads_nothing(text, languages, expected):
    found = read_date(text, frozenset(languages))
    assert (found.when if found else None) == expected


def _run(tmp_path, *mails: bytes):
    write_mbox(tmp_path / "box.mbox", list(mails))
    db = open_corpus(tmp_path / "c.db")
    try:
        ingest(db, [tmp_path / "box.mbox"])
        return analyze(db)
    finally:
        db.close()


ORIGINAL = make_email(
    sender=f"Dana Whitfield <{DANA}>",
    to="Rosa Ibáñez <rosa@bsn.example>",
    subject="Abstimmung",
    date="Tue, 04 Mar 2025 16:07:00 +0100",
    message_id="<original@district.example>",
    body="Ist die Abstimmung noch am Dienstag?\n\nDana\n",
)
REPLIES = [
    # A German Gmail reply (the time as Rosa's clock showed it, no zone) and a French Outlook
    # reply with its header block: two quoted copies of the one email.
    make_email(
        sender="Rosa Ibáñez <rosa@bsn.example>",
        to=f"Dana Whitfield <{DANA}>",
        subject="Re: Abstimmung",
        date="Wed, 05 Mar 2025 09:00:00 +0100",
        message_id="<reply1@bsn.example>",
        body="Nein, am Donnerstag.\n\nAm Di., 4. März 2025 um 16:07 Uhr schrieb Dana Whitfield "
        f"<{DANA}>:\n> Ist die Abstimmung noch am Dienstag?\n>\n> Dana\n",
    ),
    make_email(
        sender="Marc Aubert <marc@bsn.example>",
        to=f"Dana Whitfield <{DANA}>",
        subject="RE: Abstimmung",
        date="Wed, 05 Mar 2025 10:00:00 +0100",
        message_id="<reply2@bsn.example>",
        body=f"Jeudi.\n\nDe : Dana Whitfield [mailto:{DANA}]\nEnvoyé : mardi 4 mars 2025 16:07\n"
        "À : Rosa Ibáñez\nObjet : Abstimmung\n\nIst die Abstimmung noch am Dienstag?\n\nDana\n",
    ),
]


def test_quoted_copies_of_an_email_already_in_add_nothing(tmp_path):
    """The original is in the mailbox: its quoted copies in other languages meet it (sender,
    minute, text) and the corpus still has three emails; without it, one is recovered, once."""
    summary = _run(tmp_path, ORIGINAL, *REPLIES)
    assert (summary.recovered_new, summary.recovered_matched) == (0, 2)
    db = tmp_path / "c.db"
    assert rows(db, "select count(*), sum(recovered) from messages") == [(3, 0)]
    assert rows(
        db,
        "select c.method from message_copies c join messages m on m.id = c.message_id "
        "where m.message_id = 'original@district.example' order by 1",
    ) == [("quoted",), ("quoted",), ("rfc822",)]


def test_an_email_known_only_from_its_quotes_is_recovered_once(tmp_path):
    summary = _run(tmp_path, *REPLIES)
    assert (summary.recovered_new, summary.recovered_matched) == (1, 1)
    assert rows(
        tmp_path / "c.db",
        "select from_address, sent_at, recovered from messages where recovered = 1",
    ) == [(DANA, "2025-03-04T16:07:00+00:00", 1)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # A zone spelled out, as Outlook prints it, is read.
        (
            "Thursday, October 25, 2012 09:57 AM Eastern Standard Time",
            (datetime(2012, 10, 25, 14, 57, tzinfo=UTC), True),
        ),
        # What OCR left of a date is not guessed at: a letter for a digit, a lost minute.
        ("Wednesday, March 23, 2011 6:5S PM", None),
        ("Saturday, April Z 2011 4:04 PM", None),
        ("Sunday, March 27, 201i 9:05 PM", None),
        ("Sun, Oct 7, 2012 11", None),
        # A colon OCR lost between hour and minute, before AM or PM, is put back.
        ("Mon, Oct 1, 2012 334 pm", (datetime(2012, 10, 1, 15, 34, tzinfo=UTC), False)),
    ],
)
def test_a_printed_header_blocks_date(value, expected):
    found = read_header_date(value, ["From", "Sent", "To", "Subject"])
    assert ((found.when, found.zone_known) if found else None) == expected
