"""Parse one RFC 822 / MIME message into a MessageRecord.

The stdlib parser with the compat32 policy does the MIME work; this module only decodes what a
record needs (headers, addresses, dates, the text body, attachment digests). compat32 with
explicit decoding is as correct as policy=default for this and about six times faster
(measured when the reader was written; docs/performance.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import quopri
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from email.policy import compat32
from email.utils import collapse_rfc2231_value, getaddresses, parseaddr, parsedate_to_datetime
from functools import lru_cache
from typing import Any, cast

from dateutil import parser as dateparser

from ...errors import BackchannelError
from .. import attachment_text
from ..outlook.directory import name_and_alias, notes_name, split_names, x500_alias
from ..record import (
    Address,
    Attachment,
    MessageRecord,
    Problem,
    Provenance,
    RawEmail,
    ReadError,
)
from ..text import decode_bytes, decode_header_value, fix_raw_header, html_to_text
from . import boundary
from .payload import stream_base64
from .quickparse import quick_message

boundary.install()

_ROLE_HEADERS = (
    ("from", "From"),
    ("sender", "Sender"),
    ("reply-to", "Reply-To"),
    ("to", "To"),
    ("cc", "Cc"),
    ("bcc", "Bcc"),
    ("resent-from", "Resent-From"),
    ("resent-to", "Resent-To"),
    ("resent-cc", "Resent-Cc"),
    ("resent-bcc", "Resent-Bcc"),
)
_ADDRESS_AS_NAME = re.compile(r'(^|,)\s*([^,"<>()\s][^,"<>()]*@[^,"<>()]*?)\s*<([^<>]*)>')
_SPACED_LIST = re.compile(r"[^\s,<>\"@]+@[^\s,<>\"@]+(?:\s+[^\s,<>\"@]+@[^\s,<>\"@]+)+")
_EMPTY_GROUP = re.compile(r'[^:,<>"@]*:\s*;')
_MSGID = re.compile(r"<([^<>\s]+)>")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:", re.MULTILINE)  # a field name, a colon


def parse_raw(raw: RawEmail) -> MessageRecord | ReadError:
    """Parse one split-out message; never raises: a message that cannot be read is a ReadError."""
    prov = raw.provenance
    try:
        return parse_bytes(raw.data, raw.provenance)
    except NotEmail as exc:
        if prov.location.startswith("offset ") and raw.data.strip():
            # An mbox entry with text but no header block (a "From " line, then the text): a
            # message with no headers and that text, and a warning; not an error.
            return _headerless(raw.data, prov)
        return ReadError(prov.path, prov.location, "parse", str(exc))
    except Exception as exc:  # the stdlib parser is lenient; anything here is a real surprise
        return ReadError(prov.path, prov.location, "parse", f"{type(exc).__name__}: {exc}")


class NotEmail(BackchannelError, ValueError):
    pass


def _headerless(data: bytes, provenance: Provenance) -> MessageRecord:
    text, problem = decode_bytes(data, None)
    problems = [Problem("header", "no header block: the entry's text is read as its body")]
    if problem:
        problems.append(Problem("charset", problem))
    return MessageRecord(
        message_id=None,
        subject="",
        sent_at=None,
        sent_at_original=None,
        participants=[],
        body_text=text.replace("\r\n", "\n").strip("\n"),
        body_html=None,
        in_reply_to=None,
        references=[],
        headers=[],
        attachments=[],
        provenance=provenance,
        problems=problems,
    )


def parse_bytes(data: bytes, provenance: Provenance, quick: bool = True) -> MessageRecord:
    head = data[:16384].lstrip()
    if not head or not _HEADER_LINE.match(head):
        raise NotEmail("no email headers found")
    # The same Message either way (quickparse.py); the feed parser where quick cannot vouch.
    quickly = quick_message(data) if quick else None
    msg = quickly or message_from_bytes(data, policy=compat32)
    # Raw items: the sanitized ones turn 8-bit header bytes into replacement characters.
    record = record_from_headers(list(msg.raw_items()), provenance)
    walked = _walk(msg, record.problems)
    record.body_text, record.body_html, record.attachments, record.body_source = walked
    for defect in _defects(msg):
        record.problems.append(Problem("mime", defect))
    record.quick = quickly is not None
    return record


def record_from_headers(items: list[tuple[str, str]], provenance: Provenance) -> MessageRecord:
    """A record with everything the header block says, and no body yet.

    Shared with the Outlook readers, whose items carry the same headers (transport headers).
    """
    problems: list[Problem] = []
    # One pass over the headers (Message.get scans them all on every call).
    fields: dict[str, list] = {}
    for name, value in items:
        fields.setdefault(name.lower(), []).append(value)

    def first(name: str) -> Any:
        values = fields.get(name)
        return values[0] if values else None

    participants: list[tuple[str, Address]] = []
    for role, name in _ROLE_HEADERS:
        values = fields.get(name.lower())
        if values:
            participants.extend((role, a) for a in _addresses(values, name, problems))
    if "from" not in fields:
        problems.append(Problem("header", "no From header"))
    participants = _with_directory_names(participants, fields)
    # The mailbox an export filed it in: X-Origin ("Allen-P"), else X-Folder's first part.
    folders = [f for f in re.split(r"[\\/]", str(first("x-folder") or "")) if f.strip()]
    origin = first("x-origin") or (folders[0] if folders else "")
    if origin and str(origin).strip():
        provenance.custodian = fix_raw_header(str(origin)).strip()
    if provenance.folder is None and folders:  # where the layout gives none: the export's
        provenance.folder = "/".join(fix_raw_header(f).strip() for f in folders)

    subject, problem = decode_header_value(first("subject"))
    if problem:
        problems.append(Problem("header", f"Subject: {problem}"))
    sent_at, sent_at_original = _date(first("date"), problems)
    return MessageRecord(
        message_id=_first_id(first("message-id")),
        subject=subject,
        sent_at=sent_at,
        sent_at_original=sent_at_original,
        participants=participants,
        body_text="",
        body_html=None,
        in_reply_to=_first_id(first("in-reply-to")),
        references=_MSGID.findall(str(first("references") or "")),
        headers=[(k, decode_header_value(v)[0]) for k, v in items],
        attachments=[],
        provenance=provenance,
        problems=problems,
    )


_X_HEADERS = (("from", "x-from"), ("to", "x-to"), ("cc", "x-cc"), ("bcc", "x-bcc"))


def _with_directory_names(
    participants: list[tuple[str, Address]], fields: dict[str, list]
) -> list[tuple[str, Address]]:
    """Display names and Exchange aliases that exports carry beside the addresses: X-From,
    X-To, X-cc, X-bcc, matched to the addresses by position (only where the counts agree), and
    the aliases of X.500 addresses and Notes names in the headers themselves."""
    out = list(participants)
    for role, header in _X_HEADERS:
        values = fields.get(header)
        if not values:
            continue
        text = " ".join(decode_header_value(v)[0] for v in values).strip()
        # X-From is one person, whose name may hold a comma ("Last, First M.").
        names = [text] if role == "from" else split_names(text)
        mine = [i for i, (r, _) in enumerate(out) if r == role]
        if len(names) != len(mine):
            continue
        for i, piece in zip(mine, names, strict=True):
            name, alias = name_and_alias(piece)
            a = out[i][1]
            out[i] = (role, replace(a, name=a.name or name, alias=a.alias or alias))
    for i, (role, a) in enumerate(out):
        alias = a.alias or x500_alias(a.address)
        name = notes_name(a.name) or a.name
        if alias != a.alias or name != a.name:
            out[i] = (role, replace(a, name=name, alias=alias))
    return out


def _first_id(value: Any) -> str | None:
    if value is None:
        return None
    value = fix_raw_header(str(value))
    found = _MSGID.search(value)
    if found:
        return found.group(1)
    value = value.strip()
    return value or None


def _addresses(values: list, header: str, problems: list[Problem]) -> list[Address]:
    found, notes = _read_address_header(tuple(fix_raw_header(str(v)) for v in values))
    problems.extend(Problem(stage, f"{header}: {reason}") for stage, reason in notes)
    return list(found)


@lru_cache(maxsize=32768)
def _read_address_header(
    raw: tuple[str, ...],
) -> tuple[tuple[Address, ...], tuple[tuple[str, str], ...]]:
    """Addresses of one header (all its occurrences), and problems as (stage, reason).

    Cached: the same recipient lists come back again and again in a mailbox.
    """
    notes: list[tuple[str, str]] = []
    # An empty group ("undisclosed-recipients:;") is valid and names nobody.
    raw = tuple(_EMPTY_GROUP.sub("", v) for v in raw)
    # A display name that is itself an address ("alice@example.com <bob@example.com>": how
    # senders are faked) is a name; the mailbox is the one in angle brackets. Quoted, the stdlib
    # reads it so, where bare it would make two addresses of it.
    raw = tuple(_ADDRESS_AS_NAME.sub(r'\1"\2" <\3>', v) for v in raw)
    # Bare addresses separated by spaces, not commas ("a@x.example b@x.example"): a list.
    raw = tuple(", ".join(v.split()) if _SPACED_LIST.fullmatch(v.strip()) else v for v in raw)
    # A header with no address at all is a name as written, whole: the parser would keep only
    # its first word ("Saved by Windows Internet Explorer 7" gives "Saved").
    names_only = [v.strip() for v in raw if v.strip(" \t\r\n,") and "@" not in v and "<" not in v]
    raw = tuple(v for v in raw if "@" in v or "<" in v)
    pairs = [(n, "") for n in names_only] + getaddresses([v for v in raw if v.strip(" \t\r\n,")])
    if any(not addr and not name for name, addr in pairs) and any(v.strip() for v in raw):
        # The parser gives ('', '') for what it cannot read (newer Pythons for the whole header
        # when one address is malformed): read the pieces between commas one by one instead.
        lenient = [parseaddr(piece) for v in raw for piece in v.split(",")]
        notes.append(("address", f"malformed address list: {list(raw)!r}"))
        if sum(1 for _, a in lenient if a) > sum(1 for _, a in pairs if a):
            pairs = lenient
    out: list[Address] = []
    seen: set[tuple[str, str]] = set()
    for name, written in pairs:
        written = written.strip().strip("<>")
        addr = written.lower()
        name, problem = decode_header_value(name)
        if problem:
            notes.append(("header", problem))
        name = name.strip().strip('"').strip("'").strip()
        if not addr and not name:
            continue
        if not addr or "@" not in addr:
            # A group name ("undisclosed-recipients:;") or a bare word is not an address.
            if addr and not name:
                name, addr = written, ""  # a name as written ("Saved by Windows Internet …")
            if not addr and name.endswith(":;"):
                continue
        key = (addr, name if not addr else "")
        if key in seen:
            continue  # the same address twice in one header is one participant
        seen.add(key)
        out.append(Address(name=name if name.lower() != addr else "", address=addr))
    return tuple(out), tuple(notes)


def _date(value: Any, problems: list[Problem]) -> tuple[datetime | None, str | None]:
    if value is None:
        problems.append(Problem("date", "no Date header"))
        return None, None
    original = fix_raw_header(str(value)).strip()
    parsed = None
    if not _GMT_OFFSET.search(original):  # the stdlib reads "GMT+1" as GMT: ours first then
        try:
            parsed = parsedate_to_datetime(original)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
    if parsed is None:
        parsed = _lenient_date(original)
    if parsed is None:
        problems.append(Problem("date", f"unreadable Date header: {original!r}"))
        return None, original
    if parsed.tzinfo is None:
        # RFC 5322's "-0000": the time is UTC, the sender's zone unknown.
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC), original
    except (OverflowError, ValueError):
        problems.append(Problem("date", f"Date header out of range: {original!r}"))
        return None, original


_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\b", re.IGNORECASE)


def _lenient_date(text: str) -> datetime | None:
    """Dates as clients print them outside RFC 5322: "16 May 2016 at 09:30:32 GMT+1" (Apple
    Mail), "UTC+05:30" offsets, no weekday or no commas. None when it still cannot be read."""
    fixed = _GMT_OFFSET.sub(
        lambda m: f"{m.group(1)}{int(m.group(2)):02d}{m.group(3) or '00'}", text
    )
    fixed = re.sub(r"\s+at\s+", " ", fixed)
    try:
        parsed = parsedate_to_datetime(fixed)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is None:
        try:
            parsed = dateparser.parse(fixed, fuzzy=False)
        except (ValueError, OverflowError):
            return None
    if parsed is not None and parsed.tzinfo is None and not re.search(r"[+-]\d{4}", fixed):
        return None  # no zone in it: a time without its zone is not a Date header's
    return parsed


def _is_body_text(part: Message, ctype: str) -> bool:
    """A text/plain or text/html part that is the message's own text, not a file attached."""
    if ctype not in ("text/plain", "text/html"):
        return False
    disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment":
        return False
    return not (part.get_filename() and disposition != "inline")


def _leaves(msg: Message) -> Iterator[Any]:
    """Leaf parts in order, not descending into attached messages (they are attachments)."""
    if msg.is_multipart():
        if msg.get_content_maintype() == "message":
            yield msg
            return
        payload = msg.get_payload()
        if isinstance(payload, list):
            for part in payload:
                yield from _leaves(cast(Message, part))  # a multipart's payload: its parts
        return
    yield msg


def _walk(
    msg: Message, problems: list[Problem]
) -> tuple[str, str | None, list[Attachment], str | None]:
    plains: list[str] = []
    htmls: list[str] = []
    attachments: list[Attachment] = []
    tnef_texts: list[str] = []
    for part in _leaves(msg):
        ctype = part.get_content_type()
        if part is not msg and ctype.startswith("message/"):
            attachments.append(_embedded(part, ctype))
        elif _is_body_text(part, ctype):
            text = _text_of(part, problems)
            if text is not None:
                # A text/plain part that is really HTML (a Word style sheet and all) is read as
                # HTML: its CSS must not reach the authored text.
                html = ctype == "text/html" or _looks_like_html(text)
                (htmls if html else plains).append(text)
        else:
            attachment = _attachment(part, ctype, problems)
            if is_tnef(attachment):
                # winmail.dat: what is inside is what the sender attached.
                inner, text = unpack_tnef(part.get_payload(decode=True) or b"", problems)
                if inner or text:
                    attachments.extend(inner)
                    tnef_texts.append(text)
                    continue
            attachments.append(attachment)
    if tnef_texts and not any(p.strip() for p in plains) and not htmls:
        plains.extend(tnef_texts)  # the body Outlook put inside winmail.dat
    html = "\n".join(htmls) if htmls else None
    plains = [p for p in plains if p.strip()]  # an empty text/plain beside real HTML says nothing
    source: str | None = None
    if plains:
        body, source = "\n\n".join(p.strip("\n") for p in plains), "text"
    elif html:
        body, source = html_to_text(html), "html"
    else:
        body = ""
    # CRLF and a stray CR (an mbox written with CRLF, an old Mac client) are line ends.
    return body.replace("\r\n", "\n").replace("\r", "\n"), html, attachments, source


_HTML_START = re.compile(
    r"\A\s*(?:<!doctype\s+html|<html|<!--\[if|<head|<meta|<style|<body|<xml)", re.I
)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:500])) and "</" in text


def _text_of(part: Message, problems: list[Problem]) -> str | None:
    payload = cast(bytes | None, part.get_payload(decode=True))  # decoded: bytes
    if payload is None:
        return None
    text, problem = decode_bytes(payload, part.get_content_charset())
    if problem:
        problems.append(Problem("charset", problem))
    return text


def _filename(part: Message) -> str:
    name = part.get_filename() or part.get_param("name") or ""
    if not isinstance(name, str):  # an RFC 2231 triple the stdlib could not collapse
        name = collapse_rfc2231_value(name)
    if "\ufffd" in name:
        # Raw 8-bit bytes in the parameter: the stdlib replaced them. Read them from the raw
        # header instead.
        for key, value in part.raw_items():
            if key.lower() in ("content-disposition", "content-type"):
                probe = Message()
                probe[key] = fix_raw_header(str(value))
                found = probe.get_param("filename", header=key) or probe.get_param(
                    "name", header=key
                )
                if found:
                    return collapse_rfc2231_value(found)
    return name


def _attachment(part: Message, ctype: str, problems: list[Problem]) -> Attachment:
    name, problem = decode_header_value(_filename(part))
    if problem:
        problems.append(Problem("header", f"attachment name: {problem}"))
    # A large base64 part is decoded a slice at a time (its bytes kept only for its text).
    wanted = attachment_text.reader_for(name, ctype) is not None
    streamed = stream_base64(part, attachment_text.MAX_INPUT if wanted else 0)
    if streamed is not None:
        return make_attachment(name, ctype, streamed.data, problems, streamed.size, streamed.sha256)
    data = cast(bytes, part.get_payload(decode=True) or b"")  # decoded: bytes
    return make_attachment(name, ctype, data, problems)


def is_tnef(attachment: Attachment) -> bool:
    return attachment.content_type.lower() in (
        "application/ms-tnef",
        "application/vnd.ms-tnef",
    ) or (attachment.name.lower() == "winmail.dat")


def unpack_tnef(data: bytes, problems: list[Problem]) -> tuple[list[Attachment], str]:
    """The files and the text body inside Outlook's winmail.dat (TNEF): the real attachments,
    each with its text like any other. ([], "") with a problem when it cannot be read."""
    from tnefparse import TNEF

    try:
        tnef = TNEF(data)
    except Exception as exc:  # a damaged TNEF costs its contents, not the message
        problems.append(Problem("attachment", f"winmail.dat could not be read: {exc}"))
        return [], ""
    inner = []
    for n, att in enumerate(tnef.attachments, start=1):
        try:
            name = att.long_filename() or att.name or f"attachment {n}"
        except Exception:
            name = f"attachment {n}"
        payload = att.data if isinstance(att.data, bytes) else b""
        inner.append(make_attachment(name, "application/octet-stream", payload, problems))
    body = getattr(tnef, "body", None) or b""
    if isinstance(body, bytes):
        body = decode_bytes(body, None)[0]
    return inner, (body or "").strip("\x00")


def make_attachment(
    name: str,
    ctype: str,
    data: bytes | None,
    problems: list[Problem],
    size: int | None = None,
    sha256: str | None = None,
) -> Attachment:
    """An attachment with its digest and, for the kinds a reporter searches, its text. A
    streamed one (payload.py) comes with its size and digest, and its bytes only if its text
    is to be read."""
    text, problem = attachment_text.extract(name, ctype, data, size)
    if problem:
        problems.append(Problem("attachment", problem))
    return Attachment(
        name=name,
        content_type=ctype,
        size=size if size is not None else len(data or b""),
        sha256=sha256 or hashlib.sha256(data or b"").hexdigest(),
        text=text,
    )


def _embedded(part: Message, ctype: str) -> Attachment:
    inner = part.get_payload()
    inner = inner[0] if isinstance(inner, list) and inner else inner
    encoding = str(part.get("Content-Transfer-Encoding") or "").strip().lower()
    if encoding in ("base64", "quoted-printable"):
        # Sent encoded (GroupWise does; RFC 2046 forbids it): the parser took the encoded text
        # for the message. Decoded, then read.
        if isinstance(inner, Message):
            body = inner.get_payload()
            text = body if not inner.keys() and isinstance(body, str) else inner.as_string()
        else:
            text = str(inner or "")
        try:
            raw = (
                base64.b64decode(text.encode("ascii", "ignore"))
                if encoding == "base64"
                else quopri.decodestring(text.encode("latin-1", "replace"))
            )
        except (ValueError, binascii.Error):
            raw = b""
        if raw.strip():
            inner = message_from_bytes(raw, policy=compat32)
    data = inner.as_bytes() if isinstance(inner, Message) else b""
    subject = decode_header_value(inner.get("Subject"))[0] if isinstance(inner, Message) else ""
    name = _filename(part) or (f"{subject}.eml" if subject else "attached message.eml")
    return make_attachment(decode_header_value(name)[0], ctype, data, [])


def _defects(msg: Message) -> list[str]:
    names: list[str] = []
    for part in msg.walk():
        for defect in getattr(part, "defects", []):
            label = type(defect).__name__
            if label not in names:
                names.append(label)
    return names
