"""Authored text apart from quoted history, signatures and disclaimers; the quoted emails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from reply_styles import CASES

from backchannel.analysis.quotes import split_body
from backchannel.analysis.recovered import record_from_fragment
from backchannel.ingest.record import Address

PARENT = {"id": "parent", "subject": "RE: Charter vote", "source_path": "box.mbox"}


def split(name: str):
    sender, body = CASES[name]
    return split_body(body, sender)


def recovered(name: str):
    s = split(name)
    return [record_from_fragment(f, PARENT, n) for n, f in enumerate(s.fragments, start=1)]


def test_gmail_reply_with_a_phone_signature():
    s = split("gmail")
    assert s.authored == "Sounds good, see you Tuesday."
    assert s.signature == ("Rosa Ibáñez\nExecutive Director, Better Schools Now\n(555) 010-2233")
    assert "Can we meet before the vote?" in s.quoted
    (r,) = recovered("gmail")
    assert r.participants == [
        ("from", Address("Dana Whitfield", "dana.whitfield@district.example"))
    ]
    assert r.sent_at == datetime(2025, 3, 3, 16, 2, tzinfo=UTC)
    assert r.zone_known is False  # Gmail prints the reader's local time, without a zone
    assert (r.subject, r.body_text) == ("RE: Charter vote", "Can we meet before the vote?\n\nDana")
    assert (r.provenance.method, r.provenance.found_in) == ("quoted", "parent")


def test_outlook_reply_with_a_disclaimer():
    s = split("outlook")
    assert s.authored == "Thanks Rosa. I'll bring it up with Dana."
    assert s.signature.startswith("Marcus Lee\nOffice of Board Member Dana Whitfield")
    assert s.disclaimer.startswith("CONFIDENTIALITY NOTICE: This e-mail message")
    assert "CONFIDENTIALITY" not in s.authored and "555-010-4455" not in s.authored
    (r,) = recovered("outlook")
    assert r.participants == [
        ("from", Address("Rosa Ibáñez", "rosa@bsn.example")),
        ("to", Address("Marcus Lee", "marcus.lee@district.example")),
    ]
    assert (r.subject, r.body_text) == ("Charter vote", "Can we talk before Tuesday?")
    assert r.sent_at == datetime(2025, 3, 3, 16, 2, tzinfo=UTC)


def test_apple_mail_reply_from_a_phone():
    s = split("apple")
    assert (s.authored, s.signature) == ("Yes, Thursday works.", "Sent from my iPhone")
    (r,) = recovered("apple")
    assert r.addresses("from") == [Address("Kevin Doyle", "kdoyle@bsn.example")]
    assert r.body_text == "Can we meet Thursday?"


def test_thunderbird_reply_names_without_address():
    s = split("thunderbird")
    assert s.authored == "Agreed."
    (r,) = recovered("thunderbird")
    assert r.addresses("from") == [Address("Helen Brandt", "")]
    assert r.sent_at == datetime(2025, 3, 3, 16, 2, tzinfo=UTC)


def test_inline_replies_keep_only_the_senders_lines():
    s = split("inline")
    assert s.authored == "Yes, attached.\n\nBy Friday."
    assert s.quoted == "> Can you send the numbers?\n\n> And the timeline?"
    assert s.fragments == []


def test_forward_and_forward_of_forwards():
    s = split("forward")
    assert s.authored == "FYI, see below."
    (r,) = recovered("forward")
    assert r.participants == [
        ("from", Address("Grace Liu", "grace.liu@district.example")),
        ("to", Address("Helen Brandt", "helen.brandt@district.example")),
    ]
    assert (r.subject, r.body_text) == ("Agenda", "Helen, here is the agenda.")
    chain = recovered("fwdfwd")
    assert [(r.subject, r.body_text, r.addresses("from")[0].address) for r in chain] == [
        ("FW: Charter numbers", "Forwarding again.", "asesay@bsn.example"),
        ("Charter numbers", "The numbers are in.", "rosa@bsn.example"),
    ]


def test_a_quote_four_levels_deep():
    s = split("deep")
    assert s.authored == "Level zero."
    chain = recovered("deep")
    assert [(r.addresses("from")[0].name, r.body_text, r.sent_at.day) for r in chain] == [
        ("Kevin Doyle", "Level one.", 6),
        ("Amara Sesay", "Level two.", 5),
        ("Rosa Ibáñez", "Level three.", 4),
        ("Dana Whitfield", "Level four.", 3),
    ]


def test_a_reply_that_quotes_nothing():
    s = split("nothing")
    assert s.authored == "Just checking in on the agenda."
    # A sign-off with the sender's name closes the text: a signature, not what she wrote.
    assert (s.quoted, s.signature, s.fragments) == ("", "Thanks,\nRosa", [])


def test_other_languages():
    s = split("german")
    assert s.authored == "Danke!"
    (r,) = recovered("german")
    assert r.addresses("from") == [Address("Carl Vance", "cvance@brightpath.example")]
    assert r.sent_at == datetime(2025, 3, 3, 16, 2, tzinfo=UTC)


@pytest.mark.parametrize("name", sorted(CASES))
def test_nothing_authored_is_lost_or_invented(name):
    sender, body = CASES[name]
    s = split_body(body, sender)
    for word in s.authored.split():
        assert word in body


@pytest.mark.parametrize(
    "contact",
    ["info@betterschoolsnow.example", "https://betterschoolsnow.example", "www.bsn.example/join"],
)
def test_a_closing_name_with_an_address_or_link_is_the_signature(contact):
    """A last short paragraph of a name (not the sender's: the From shows the organization)
    over a line that only gives a way to reach them — an address or a web link, no phone, no
    title — is the signature, not what was written; the same lines in the middle of the text
    stay authored."""
    body = f"Can we meet before the vote on Tuesday?\n\nThanks\n\nMaria Lopez\n{contact}\n"
    s = split_body(body, "Better Schools Now")
    assert contact not in s.authored and "Maria Lopez" not in s.authored
    assert s.signature == f"Maria Lopez\n{contact}"
    body = f"Can we meet before the vote?\n\nMaria Lopez\n{contact}\n\nThe board meets at six.\n"
    s = split_body(body, "Better Schools Now")
    assert contact in s.authored and not s.signature
