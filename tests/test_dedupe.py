"""What counts as one message (corpus/dedupe.py), tried on plain rows and a lookup function,
without a corpus."""

from datetime import UTC, datetime

from backchannel.corpus.dedupe import Seen, other_attachments, same_email
from backchannel.corpus.rows import prepare
from backchannel.ingest.record import Address, Attachment, MessageRecord, Provenance

SENT = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def record(message_id, method="rfc822", attachments=(), zone_known=True):
    return MessageRecord(
        message_id,
        "Budget",
        SENT,
        None,
        [("from", Address("Dana Whitfield", "dana@district.example"))],
        "The numbers are in.",
        None,
        None,
        [],
        [],
        list(attachments),
        Provenance("x", "", method, "page 1"),
        zone_known=zone_known,
    )


def candidate(id, message_id, sent_at=SENT, zone=1, name="Dana Whitfield", address=""):
    return (id, message_id, sent_at.isoformat(), zone, name, address)


def test_a_printout_is_the_email_already_in_and_teaches_it_nothing_it_had():
    printout = prepare(record(None, "pdf-text")).message
    match = same_email(printout, [candidate("m1", "a@x")])
    assert match is not None and match.id == "m1" and not match.learns_id


def test_two_message_ids_are_two_emails_and_a_copy_teaches_its_id_and_zone():
    m = prepare(record("b@x")).message
    assert same_email(m, [candidate("m1", "a@x")]) is None
    match = same_email(m, [candidate("m2", None, zone=0)])
    assert match is not None and (match.id, match.learns_id, match.learns_zone) == (
        "m2",
        True,
        True,
    )


def test_another_time_or_sender_is_another_email():
    m = prepare(record(None, "ocr")).message
    later = datetime(2025, 3, 4, 11, 30, tzinfo=UTC)
    assert same_email(m, [candidate("m1", None, sent_at=later)]) is None
    assert same_email(m, [candidate("m1", None, name="Marcus Lee")]) is None


def test_seen_moves_a_copy_onto_the_message_the_lookup_names():
    asked = []

    def lookup(p, fresh):
        asked.append(p.id)
        return "m1"

    p = prepare(record(None, "pdf-text"))
    seen = Seen(lookup, known={"m1"}, by_content={}, keyless=True)
    assert seen.identify(p) is None
    assert p.id == "m1" and asked and p.attachments == []
    assert all(row[0] == "m1" for row in p.participants)


def test_seen_asks_nothing_for_an_id_when_the_corpus_has_no_message_without_one():
    def lookup(p, fresh):
        raise AssertionError("asked")

    p = prepare(record("a@x"))
    Seen(lookup, known=set(), by_content={}, keyless=False).identify(p)


def test_copies_that_carry_other_attachments_disagree():
    one = Attachment("a.pdf", "application/pdf", 3, "1" * 64, None)
    p = prepare(record("a@x", attachments=[one]))
    assert other_attachments(p, {("1" * 64, "a.pdf")}) is None
    said = other_attachments(p, {("2" * 64, "b.pdf")})
    assert said is not None and "only in this copy: ['a.pdf']" in said
