"""The signature and legal disclaimer at the end of what a sender wrote, taken off (and kept).

A signature is a block at the very end: after a delimiter ("-- ", "--", "---", "—", "__", a
rule of underscores over a mailing list's footer), a mail client's line ("Sent from my iPhone",
"Von meinem iPhone gesendet", "Get Outlook for iOS"), a "-Name" line, a sign-off followed by
the sender's name ("Thanks,\\nRosa"), or a closing block that names the sender or gives a way
to reach them (name, title, organization, phone). Never a sentence inside the text: a line
that starts like a client's ("Sent from my desk, …") or a reply's last paragraph is the sender's.
"""

from __future__ import annotations

import re

from . import quote_patterns as qp

SIGNATURE_LINES = 7  # a closing block of name, title, organization, phone
DELIMITED_LINES = 15  # what may follow a "-- " delimiter
SIGNATURE_WIDTH = 80
_DISCLAIMER = re.compile(
    r"^\s*(CONFIDENTIAL(ITY)?( NOTICE)?|DISCLAIMER|PRIVILEGED|PUBLIC RECORDS? (NOTICE|LAW)"
    r"|NOTICE:|This (e-?mail|message|communication)\b.{0,80}\b(confidential|intended|privileged"
    r"|public record)|Under (\w+ )?(state|Florida|Texas|California|public records) law"
    r"|The information (contained )?in this (e-?mail|message))",
    re.IGNORECASE,
)
_DELIMITER = re.compile(r"^\s*(?:-- ?|-{2,}|_{2,}|={2,}|[—–]{1,3}|\*{3,}|~{2,})\s*$")
_DASH_NAME = re.compile(r"^(?:-{1,2}|[—–~])\s?([^\W\d_][\w.'’-]*(?:\s[^\W\d_][\w.'’-]*){0,2})$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")
_PHONE = re.compile(r"(\+?\d[\d\s().-]{7,}\d)")
_CONTACT = re.compile(r"@|https?://|www\.|\b(tel|phone|cell|mobile|fax|direct|office)\b\s*[:.]?")
_TITLE = re.compile(
    r"\b(director|manager|officer|member|president|chair|superintendent|coordinator|assistant"
    r"|analyst|reporter|organizer|district|office of|board|department|inc|llc|school|ceo|cto"
    r"|founder|engineer|counsel|attorney|secretary|commissioner|council)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.?!]\s*$")


def strip_signature(text: str, sender_name: str | None = None) -> tuple[str, str, str]:
    """(authored, signature, disclaimer) of the sender's own part."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    disclaimers = [p for p in paragraphs[1:] if _DISCLAIMER.match(p)]
    paragraphs = [p for p in paragraphs if p not in disclaimers]
    lines = "\n\n".join(paragraphs).split("\n")
    cut = signature_start(lines, qp.names(sender_name))
    authored = "\n".join(lines[:cut]).strip()
    signature = "\n".join(lines[cut:]).strip()
    return authored, signature, "\n\n".join(disclaimers)


def signature_start(lines: list[str], sender: set[str]) -> int:
    """The first line of the signature, or len(lines) when there is none. Blocks are taken off
    the end one after another ("-Lev." above "Sent from my HTC"; a name above a list footer)."""
    cut = len(lines)
    while True:
        found = _mobile_lines(lines, cut)
        if found == cut:
            found = _delimited(lines, cut)
        if found == cut:
            found = _closing(lines, cut, sender)
        if found >= cut:
            return cut
        cut = found


def _text_lines(lines: list[str], stop: int) -> list[int]:
    return [i for i in range(stop) if lines[i].strip()]


def _mobile_lines(lines: list[str], stop: int) -> int:
    """Mail clients' lines at the end ("Sent from my iPhone"), one or more."""
    cut = stop
    for i in reversed(_text_lines(lines, stop)):
        if not qp.mobile(lines[i]):
            break
        cut = i
    return cut


def _delimited(lines: list[str], stop: int) -> int:
    """The first delimiter line ("-- ", "---", "__", "—", a rule over a list's footer) with only a
    signature's worth of short lines under it."""
    text = _text_lines(lines, stop)
    if len(text) < 2:
        return stop
    for n, i in enumerate(text[1:], start=1):
        if not _DELIMITER.match(lines[i]) and not qp.rule(lines[i]):
            continue
        under = [lines[k].strip() for k in text[n + 1 :]]
        if lines[i] == "-- ":  # the standard's delimiter: whatever follows is the signature
            if len(under) <= DELIMITED_LINES:
                return i
        elif len(under) <= SIGNATURE_LINES + 3 and all(_signature_line(x) for x in under):
            return i  # "---", "__", "—", a rule: a divider too, unless what follows is a sig
    return stop


def _signature_line(line: str) -> bool:
    """A line a signature holds: short, not a sentence of the text."""
    return len(line) <= 120 and not (len(line.split()) > 8 and _SENTENCE_END.search(line))


def _closing(lines: list[str], stop: int, sender: set[str]) -> int:
    """A "-Name" line, a sign-off and the sender's name, or a closing block at the end."""
    text = _text_lines(lines, stop)
    if len(text) < 2:
        return stop
    last = text[-1]
    if _dash_name(lines, text):
        return last
    for n in range(len(text) - 1, max(0, len(text) - SIGNATURE_LINES - 1), -1):
        i = text[n]
        named = qp.sign_off_name(lines[i])
        if n == len(text) - 1 and named and _names_sender(named, sender):
            return i
        if qp.sign_off(lines[i]) and n + 1 < len(text) and n > 0:
            under = [lines[k].strip() for k in text[n + 1 :]]
            if _names_sender(under[0], sender) and _block_like(under):
                return i
    return _contact_block(lines, stop, sender)


def _dash_name(lines: list[str], text: list[int]) -> bool:
    """The last line is "-Name" (or "- Name", "--Name", "—Name"), not the last of a list."""
    line = lines[text[-1]]
    if line[:1].isspace() or not _DASH_NAME.match(line.strip()):
        return False
    above = lines[text[-2]].rstrip()
    return not above.endswith(":") and not _LIST_ITEM.match(above)


def _names_sender(line: str, sender: set[str]) -> bool:
    """Whether a line is the sender's name, or the first or last of it ("Rosa", "R. Ibáñez"),
    and nothing more ("Reviewed-by: Min-jun Seo" is not a signature of Min-jun Seo's)."""
    words = qp.names(line)
    if not words or len(line.split()) > 4 or _SENTENCE_END.search(line.rstrip(".")):
        return False
    return words <= sender


def _block_like(block: list[str]) -> bool:
    """A few short lines, none of them a sentence of the text."""
    if len(block) > SIGNATURE_LINES or any(len(line) > SIGNATURE_WIDTH for line in block):
        return False
    return sum(1 for line in block if len(line.split()) > 6 and _SENTENCE_END.search(line)) == 0


def _contact_block(lines: list[str], stop: int, sender: set[str]) -> int:
    """The last paragraph, when it is a closing block: a few short lines whose first names the
    sender, or that give a way to reach them (a phone, an address) or a title, under a name."""
    end = stop
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].strip():
        start -= 1
    block = [line.strip() for line in lines[start:end]]
    if not block or not any(lines[k].strip() for k in range(start)):
        return stop
    if not _block_like(block):
        return stop
    if _names_sender(block[0], sender):
        return start
    joined = "\n".join(block[1:])
    name_first = len(block) >= 2 and _name_like(block[0])
    if name_first and (_PHONE.search(joined) or _CONTACT.search(joined) or _TITLE.search(joined)):
        return start
    return stop


def _name_like(line: str) -> bool:
    """A line that could be a person's name: two to four capitalized words, no sentence."""
    words = line.replace(",", " ").split()
    if not 2 <= len(words) <= 4 or _SENTENCE_END.search(line.rstrip(".")):
        return False
    return all(w[0].isupper() or w in ("de", "van", "von", "da", "del", "la") for w in words)
