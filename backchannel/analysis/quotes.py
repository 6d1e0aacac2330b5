"""A body split into what its sender wrote and the history it quotes; signatures and legal
disclaimers taken off the sender's part (and kept).

mail-parser-reply finds the quoted blocks ("On … wrote:", Outlook's header blocks and
"-----Original Message-----", in several languages); this module adds what it misses:
forwarded-message markers, ">" lines without an attribution line above them (inline replies),
signature blocks without a "--" line, and disclaimers it does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailparser_reply import EmailReplyParser

from ..corpus.matching import fold
from ..ingest.printed import header_at, is_quote_marker

LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]
_ENGLISH = EmailReplyParser(languages=["en"])
_ALL = EmailReplyParser(languages=LANGUAGES)  # 2.5x slower: only for mail that needs it
_OTHER_LANGUAGE = re.compile(
    r"schrieb|a écrit|escribió|ha scritto|schreef|^\s*(Von|De|Van|Da|Envoyé|Gesendet|Enviado"
    r"|Inviato|Verzonden|Objet|Betreff|Asunto|Oggetto|Onderwerp)\s*:",
    re.IGNORECASE | re.MULTILINE,
)

_MAYBE_QUOTED = re.compile(
    r"^\s*>|wrote\s*:|schrieb|a écrit|escribió|ha scritto|schreef|-{3,}|_{10,}"
    r"|^[*\s]*(From|Von|De|Van|Da|Sent|Date|To|Subject)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_SEPARATOR_ONLY = re.compile(
    r"^[>\s]*(-{2,}\s*[\w' ]{0,40}(message|nachricht|mensaje|messaggio|bericht)[\w' ]{0,20}\s*-{2,}"
    r"|_{10,}|Begin forwarded message:)\s*$",
    re.IGNORECASE,
)
_FORWARD_MARK = re.compile(
    r"^\s*(-{2,}\s*(Forwarded message|Original Message|Message transféré"
    r"|Weitergeleitete Nachricht|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht)"
    r"\s*-{2,}|Begin forwarded message:)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_DISCLAIMER = re.compile(
    r"^\s*(CONFIDENTIAL(ITY)?( NOTICE)?|DISCLAIMER|PRIVILEGED|PUBLIC RECORDS? (NOTICE|LAW)"
    r"|NOTICE:|This (e-?mail|message|communication)\b.{0,80}\b(confidential|intended|privileged"
    r"|public record)|Under (\w+ )?(state|Florida|Texas|California|public records) law"
    r"|The information (contained )?in this (e-?mail|message))",
    re.IGNORECASE,
)
_MOBILE = re.compile(
    r"^\s*(Sent from my \w+|Sent from (Outlook|Mail|Yahoo Mail)\b|Get Outlook for)", re.IGNORECASE
)
_PHONE = re.compile(r"(\+?\d[\d\s().-]{7,}\d)")
_CONTACT = re.compile(r"@|https?://|www\.|\b(tel|phone|cell|mobile|fax|office)\b", re.IGNORECASE)
_TITLE = re.compile(
    r"\b(director|manager|officer|member|president|chair|superintendent|coordinator|assistant"
    r"|analyst|reporter|organizer|district|office of|board|department|inc|llc|school)\b",
    re.IGNORECASE,
)
SIGNATURE_LINES = 7
SIGNATURE_WIDTH = 80


@dataclass
class Fragment:
    """A quoted email inside a body: its header as written, its text with the quote marks off."""

    header: str
    body: str


@dataclass
class BodySplit:
    authored: str
    quoted: str
    signature: str = ""
    disclaimer: str = ""
    fragments: list[Fragment] = field(default_factory=list)


def unquote(text: str) -> str:
    """The ">" quoting off every line, all levels: the parser has already cut deeper quoted
    emails into fragments of their own."""
    return "\n".join(re.sub(r"^(?:\s*>)+ ?", "", line) for line in text.split("\n"))


def split_body(text: str, sender_name: str | None = None) -> BodySplit:
    if not text or not text.strip():
        return BodySplit("", "")
    if not _MAYBE_QUOTED.search(text):
        # Nothing that could start quoted history: the parser's costly search is not needed.
        authored, signature, disclaimer = strip_signature(text, sender_name)
        return BodySplit(authored, "", signature, disclaimer)
    parsed = (_ALL if _OTHER_LANGUAGE.search(text) else _ENGLISH).read(text)
    replies = parsed.replies
    own = replies[0].content if replies and not replies[0].headers else ""
    rest = replies[1:] if replies and not replies[0].headers else replies
    fragments = []
    quoted_parts = []
    for reply in rest:
        quoted_parts.append(f"{reply.headers}\n{reply.full_body}".strip())
        if _SEPARATOR_ONLY.match(reply.headers) and not reply.full_body.strip():
            continue  # "-----Original Message-----" alone: the header block follows
        fragments.append(Fragment(reply.headers, unquote(reply.full_body).strip()))
    # A forward marker the parser left in the sender's part: what follows is not theirs.
    mark = _FORWARD_MARK.search(own)
    if mark:
        quoted_parts.insert(0, own[mark.start() :].strip())
        own = own[: mark.start()]
    # ">" lines with no attribution above them (inline replies): quoted, not authored.
    kept: list[str] = []
    inline: list[str] = []
    for line in own.split("\n"):
        (inline if line.lstrip().startswith(">") else kept).append(line)
    if inline:
        quoted_parts.insert(0, "\n".join(inline))
    authored, signature, disclaimer = strip_signature("\n".join(kept), sender_name)
    return BodySplit(
        authored, "\n\n".join(p for p in quoted_parts if p), signature, disclaimer, fragments
    )


def split_printed(text: str, sender_name: str | None = None) -> BodySplit:
    """The body of a printed email (a PDF page's text): the header blocks printed below the
    sender's text are its quoted history, whatever the separator above them has become after
    OCR ("---- Original Message ---", "Original Message", none at all). The same header blocks
    the PDF reader found are found here, so both agree on where the history begins."""
    lines = text.split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        header = header_at(lines, i)
        if header is None:
            i += 1
            continue
        blocks.append(header)
        i = header.end
    if not blocks:
        return split_body(text, sender_name)
    cuts = [_above_marker(lines, b.start) for b in blocks]
    fragments = []
    for n, block in enumerate(blocks):
        stop = cuts[n + 1] if n + 1 < len(blocks) else len(lines)
        fragments.append(
            Fragment(
                "\n".join(line.strip() for line in lines[block.start : block.end]),
                "\n".join(lines[block.end : stop]).strip("\n"),
            )
        )
    own = "\n".join(lines[: cuts[0]])
    authored, signature, disclaimer = strip_signature(own, sender_name)
    quoted = "\n".join(lines[cuts[0] :]).strip("\n")
    return BodySplit(authored, quoted, signature, disclaimer, fragments)


def _above_marker(lines: list[str], start: int) -> int:
    """Where a quoted header block's history begins: at the quote marker above it, if any."""
    j = start - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j if j >= 0 and is_quote_marker(lines[j]) else start


def strip_signature(text: str, sender_name: str | None = None) -> tuple[str, str, str]:
    """(authored, signature, disclaimer) of the sender's own part."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    disclaimers = [p for p in paragraphs[1:] if _DISCLAIMER.match(p)]
    paragraphs = [p for p in paragraphs if p not in disclaimers]
    lines = "\n\n".join(paragraphs).split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        if line.rstrip() in ("--", "-- ") or _MOBILE.match(line):
            cut = i
            break
    if cut == len(lines):
        cut = _signature_block(lines, sender_name)
    authored = "\n".join(lines[:cut]).strip()
    signature = "\n".join(lines[cut:]).strip()
    return authored, signature, "\n\n".join(disclaimers)


def _signature_block(lines: list[str], sender_name: str | None) -> int:
    """Where the closing block of name, title, organization and phone starts, if there is one:
    the last paragraph, a few short lines, naming the sender or giving a way to reach them."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].strip():
        start -= 1
    block = lines[start:end]
    if not block or start == 0 or len(block) > SIGNATURE_LINES:
        return len(lines)
    if any(len(line) > SIGNATURE_WIDTH for line in block):
        return len(lines)
    joined = "\n".join(block)
    names = set(re.findall(r"[a-z]{3,}", fold(sender_name or "")))
    says_who = bool(names & set(re.findall(r"[a-z]{3,}", fold(block[0]))))
    if (
        says_who
        or _PHONE.search(joined)
        or _CONTACT.search(joined)
        or (len(block) >= 2 and _TITLE.search(joined))
    ):
        return start
    return len(lines)
