"""Words every part of backchannel shares, spelled once: the readers write them, the corpus
stores them, analysis counts by them and the plugin shows them.
"""

from __future__ import annotations

# A participant's role in a message, in the order pages list them. Roles that count as a
# communication (docs/counting.md); the others are kept for identity
# resolution and for the fact-checker, never counted.
COUNTED_ROLES = ("from", "to", "cc", "bcc")
ROLES = COUNTED_ROLES + (
    "sender",
    "reply-to",
    "resent-from",
    "resent-to",
    "resent-cc",
    "resent-bcc",
)
RECIPIENT_ROLES = ("to", "cc", "bcc")

# How a copy was read (message_copies.method). Read off a printed page: its own text is kept,
# as releases of one email differ in what they redact.
PAPER_METHODS = ("pdf-text", "ocr")
# Copies read off paper, out of quoted history or from a load file's fields: they may spell
# people differently (names only, OCR), so they give participants only to a message they are
# the first copy of, and show no attachments to compare.
PRINTED_METHODS = PAPER_METHODS + ("quoted", "loadfile")

# What a redaction leaves in a message's text: a black box read off the page, a line that held
# only exemption codes (ingest/printed/). Fingerprints leave it out (corpus/matching.py): two
# releases of one email may redact it differently.
REDACTED = "[REDACTED]"

# What a count counts (counted_messages.kind) and which way its emails went
# (counted_messages.direction): analysis/counts.py writes them, the plugin and the evidence
# packets read them.
PERSON, OFFICE, ORGANIZATION = "person", "office", "organization"
CONTACT = "contact"  # two persons: A_TO_B, B_TO_A
OFFICE_CONTACT = "office_contact"  # an organization and an office: ORG_TO_OFFICE, OFFICE_TO_ORG
GROUP_EDGE = "group_edge"  # one group writing to another: SENT
SENT, RECEIVED = "sent", "received"
A_TO_B, B_TO_A = "a_to_b", "b_to_a"
ORG_TO_OFFICE, OFFICE_TO_ORG = "org_to_office", "office_to_org"
