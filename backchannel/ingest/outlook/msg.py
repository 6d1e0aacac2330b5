"""Outlook .msg files, with extract-msg. An .msg attached to an .msg is a message of its own,
its provenance pointing inside its parent."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from email.utils import parseaddr
from typing import Any

from ..mail.rfc822 import make_attachment
from ..record import Attachment, Item, Problem, Provenance, ReadError, Skipped, SourceFile
from ..text import decode_bytes
from .mapi import ROLE_OF_RECIPIENT_TYPE, OutlookItem, filetime, kind_of, mapi_address, to_record

# extract-msg logs every oddity of every file at WARNING; what matters becomes errors rows.
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)

MAX_DEPTH = 10
# Raised when what the reader makes of a file changes (formats.py reads older ones anew):
# 2: a sender known only by an Exchange DN keeps it, never an address made of its name.
VERSION = 2


def messages(src: SourceFile) -> Iterator[Item]:
    try:
        msg = _open(str(src.local_path))
    except Exception as exc:  # the library raises many kinds on a damaged file
        yield ReadError(src.path, "whole file", "msg", f"not a readable Outlook .msg: {exc}")
        return
    src.expected = 1
    try:
        yield from _items(msg, src, "whole file", 0)
    finally:
        msg.close()


def _open(path: str) -> Any:
    """The .msg, its 8-bit strings decoded in the code page it names. extract-msg reads the
    message code page (PR_MESSAGE_CODEPAGE) and else assumes ISO-8859-15; older clients give
    only the internet code page (PR_INTERNET_CPID): a Big5 name read as Latin-1 is mojibake."""
    import extract_msg  # 33 MB and 0.2 s: only when a .msg is met
    from extract_msg.encoding import lookupCodePage

    msg = extract_msg.openMsg(path, strict=False)
    try:
        if msg.areStringsUnicode or "3FFD0003" in msg.props or "3FDE0003" not in msg.props:
            return msg
        codepage = lookupCodePage(int(msg.getPropertyVal("3FDE0003")))
    except Exception:
        return msg
    msg.close()
    return extract_msg.openMsg(path, strict=False, overrideEncoding=codepage)


def _items(msg: Any, src: SourceFile, location: str, depth: int) -> Iterator[Item]:
    kind = kind_of(getattr(msg, "classType", None))
    if kind != "email":
        yield Skipped(kind, location)
        return
    embedded: list[tuple[int, bytes]] = []  # (attachment number, the .msg's bytes)
    try:
        item = _read(msg, embedded)
    except Exception as exc:
        yield ReadError(src.path, location, "msg", f"{type(exc).__name__}: {exc}")
        return
    prov = Provenance(
        path=src.path, source_sha256=src.sha256, method="msg", location=location, folder=src.folder
    )
    yield to_record(item, prov)
    for n, inner in embedded:
        where = f"{location} > attachment {n}" if location != "whole file" else f"attachment {n}"
        if depth >= MAX_DEPTH:
            yield ReadError(src.path, where, "msg", "embedded messages nested too deep")
            continue
        yield from _items(inner, src, where, depth + 1)


def _prop(msg: Any, tag: str) -> str | None:
    try:
        value = msg.getStringStream(f"__substg1.0_{tag}")
    except Exception:
        return None
    return value.strip("\x00") if isinstance(value, str) else None


_BARE_ADDRESS = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+")


def _name_and_address(raw: str) -> tuple[str, str]:
    """extract-msg's sender as (name, address): "Name <address>", a bare address or Exchange
    DN, or a name alone, which may hold an "@" ("Tests Chang@FT (Lydia)": never an address)."""
    if raw.endswith(">") and "<" in raw:
        name, address = parseaddr(raw)
        if address:
            return name, address
        name, _, address = raw[:-1].rpartition("<")  # a DN with spaces in its brackets
        return name.strip().strip('"').strip(), address.strip()
    if _BARE_ADDRESS.fullmatch(raw) or raw.startswith("/"):
        return "", raw
    return raw, ""


def _read(msg: Any, embedded: list) -> OutlookItem:
    from extract_msg.enums import AttachmentType

    problems: list[Problem] = []
    raw = (msg.sender or "").strip("\x00").strip()
    # The sender's address and its SMTP form; else those of whom it was sent for.
    email = _prop(msg, "0C1F") or _prop(msg, "0065")
    smtp = _prop(msg, "5D01") or _prop(msg, "5D02")
    name, address = _name_and_address(raw)
    address = address or email or ""
    sender = None
    if name or address or smtp:
        sender = mapi_address(name or _prop(msg, "0C1A") or _prop(msg, "0042"), address, smtp)
    recipients = []
    for r in msg.recipients:
        role = ROLE_OF_RECIPIENT_TYPE.get(int(getattr(r.type, "value", r.type) or 1), "to")
        recipients.append((role, mapi_address(r.name, r.email, getattr(r, "smtpAddress", None))))
    html = None
    try:
        raw_html = msg.htmlBody  # extract-msg also de-encapsulates HTML carried in RTF
    except Exception as exc:
        raw_html = None
        problems.append(Problem("body", f"HTML body unreadable: {exc}"))
    if raw_html:
        # The HTML's bytes are in whatever charset its writer chose: read, don't trust a label.
        html, bad = decode_bytes(raw_html, None)
        if bad:
            problems.append(Problem("charset", bad))
    attachments = []
    for n, att in enumerate(msg.attachments, start=1):
        att_name = att.longFilename or att.shortFilename or getattr(att, "name", "") or ""
        att_name = att_name.strip("\x00")
        if att.type == AttachmentType.MSG:
            embedded.append((n, att.data))
            attachments.append(
                Attachment(
                    name=att_name or f"attached message {n}.msg",
                    content_type="application/vnd.ms-outlook",
                    size=0,
                    sha256="",
                )
            )
            continue
        data = att.data if isinstance(att.data, bytes) else b""
        if not isinstance(att.data, bytes):
            problems.append(Problem("attachment", f"attachment {n} ({att_name}) has no data"))
        ctype = (getattr(att, "mimetype", None) or "application/octet-stream").strip("\x00")
        attachments.append(make_attachment(att_name, ctype, data, problems))
    refs = _prop(msg, "1039") or ""
    return OutlookItem(
        message_class=msg.classType,
        transport_headers=_prop(msg, "007D"),
        subject=(msg.subject or "").strip("\x00"),
        sender=sender,
        recipients=recipients,
        sent_at=filetime(msg.date if hasattr(msg, "date") else None),
        message_id=msg.messageId,
        in_reply_to=_prop(msg, "1042"),
        references=refs.split(),
        body=msg.body,
        html=html,
        attachments=attachments,
        problems=problems,
    )
