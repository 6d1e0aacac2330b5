"""Outlook .pst and .ost stores, with libpff (pypff). The walk streams: one item at a time,
folder by folder; the folder path ("Inbox/Board") is each copy's location."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pypff

from ..mail.rfc822 import make_attachment
from ..record import Address, Attachment, Item, Problem, Provenance, ReadError, Skipped, SourceFile
from ..text import decode_bytes
from .mapi import ROLE_OF_RECIPIENT_TYPE, OutlookItem, filetime, kind_of, mapi_address, to_record
from .pst_embedded import embedded

# Raised when what the reader makes of a store changes (formats.py reads older ones anew):
# 2: messages embedded in messages are read, recipients' display names kept.
VERSION = 2
MAX_DEPTH = 10  # messages inside messages inside messages
MAX_EMBEDDED = 100  # messages read out of one message's attachments, at every depth

# MAPI property tags
MESSAGE_CLASS = 0x001A
SUBJECT = 0x0037
CLIENT_SUBMIT_TIME = 0x0039
SENDER_NAME = 0x0C1A
SENDER_EMAIL = 0x0C1F
SENDER_SMTP = 0x5D01
TRANSPORT_HEADERS = 0x007D
DELIVERY_TIME = 0x0E06
INTERNET_MESSAGE_ID = 0x1035
IN_REPLY_TO = 0x1042
REFERENCES = 0x1039
DISPLAY_NAME = 0x3001
RECIPIENT_DISPLAY_NAME = 0x5FF6
TRANSMITTABLE_DISPLAY_NAME = 0x3A20
EMAIL_ADDRESS = 0x3003
SMTP_ADDRESS = 0x39FE
RECIPIENT_TYPE = 0x0C15
ATTACH_METHOD = 0x3705
ATTACH_DATA_OBJECT = 0x3701  # an embedded message's: its node's id first (4 bytes)
ATTACH_LONG_FILENAME = 0x3707
ATTACH_FILENAME = 0x3704
ATTACH_MIME_TAG = 0x370E
EMBEDDED_MESSAGE = 5
MAILBOX_OWNER_NAME = 0x661C


def messages(src: SourceFile) -> Iterator[Item]:
    store = pypff.file()
    try:
        store.open(str(src.local_path))
    except OSError as exc:
        yield ReadError(
            src.path,
            "whole file",
            "pst",
            f"not a readable .pst/.ost store (damaged beyond what libpff reads): {exc}",
        )
        return
    try:
        root = store.get_root_folder()
    except OSError as exc:
        yield ReadError(
            src.path, "whole file", "pst", f"the store's folder tree is unreadable: {exc}"
        )
        store.close()
        return
    owner = _owner(store)
    if owner and src.custodian_rule in ("", "file name", "folder"):
        # An .ost (and some .pst) names the mailbox's owner: it says more than a file name,
        # less than the layout or the reporter.
        src.custodian, src.custodian_rule = owner, "mailbox owner"
    try:
        yield from _walk(root, "", src)
    finally:
        store.close()


def _owner(store: Any) -> str | None:
    try:
        props = _props(store.get_message_store().get_record_set(0))
    except (OSError, AttributeError):
        return None
    return _text(props, MAILBOX_OWNER_NAME)


def _walk(folder: Any, path: str, src: SourceFile) -> Iterator[Item]:
    try:
        n_messages = folder.number_of_sub_messages
    except OSError as exc:
        yield ReadError(src.path, path or "/", "pst", f"folder unreadable: {exc}")
        return
    for i in range(n_messages):
        where = f"{path or '/'} #{i + 1}"
        try:
            item = folder.get_sub_message(i)
        except OSError as exc:
            yield ReadError(src.path, where, "pst", f"item unreadable: {exc}")
            continue
        yield from _message(item, where, path, src)
    try:
        n_folders = folder.number_of_sub_folders
    except OSError as exc:
        yield ReadError(src.path, path or "/", "pst", f"sub-folders unreadable: {exc}")
        return
    for i in range(n_folders):
        try:
            sub = folder.get_sub_folder(i)
            name = (sub.name or "").strip()
        except OSError as exc:
            yield ReadError(
                src.path, f"{path or '/'} folder {i + 1}", "pst", f"folder unreadable: {exc}"
            )
            continue
        # The mail lives under "Top of Personal Folders" (or "Top of Outlook data file"):
        # leave it out of the path, so locations read "Inbox/Board".
        child = (
            path
            if not path and name.lower().startswith("top of ")
            else (f"{path}/{name}" if path else name)
        )
        yield from _walk(sub, child, src)


def _props(record_set: Any) -> dict[int, object]:
    out: dict[int, object] = {}
    for entry in record_set.entries:
        try:
            kind = entry.value_type
            if kind in (0x1F, 0x1E):
                value = entry.data_as_string
            elif kind in (0x02, 0x03, 0x14):
                value = entry.data_as_integer
            elif kind == 0x40:
                value = entry.data_as_datetime
            else:
                value = entry.data
        except (OSError, ValueError, TypeError):
            continue
        out[entry.entry_type] = value
    return out


def _text(props: dict, tag: int) -> str | None:
    value = props.get(tag)
    return value.strip("\x00") if isinstance(value, str) else None


def _message(item: Any, where: str, folder: str, src: SourceFile) -> Iterator[Item]:
    """One item of a folder: its record, then the records of the messages its attachments
    hold, and theirs, in order; at most MAX_DEPTH deep and MAX_EMBEDDED in all (a damaged
    store's attachment can name a message that holds it again)."""
    stack: list[tuple[object, str, int]] = [(item, where, 0)]
    embedded_read = 0
    while stack:
        item, where, depth = stack.pop()
        inner: list[tuple[int, object]] = []  # (attachment number, the message it holds)
        yield from _item(item, where, folder, src, inner)
        held = []
        for n, message in inner:
            at = f"{where} > attachment {n}"
            if depth >= MAX_DEPTH or embedded_read >= MAX_EMBEDDED:
                too = "nested too deep" if depth >= MAX_DEPTH else f"more than {MAX_EMBEDDED}"
                yield ReadError(src.path, at, "pst", f"embedded messages {too}: not read")
                continue
            embedded_read += 1
            held.append((message, at, depth + 1))
        stack += reversed(held)


def _item(item: Any, where: str, folder: str, src: SourceFile, inner: list) -> Iterator[Item]:
    """One item's record (the messages its attachments hold are added to `inner`), or why
    there is none."""
    try:
        props = _props(item.get_record_set(0))
    except (OSError, AttributeError) as exc:
        yield ReadError(src.path, where, "pst", f"item properties unreadable: {exc}")
        return
    kind = kind_of(_text(props, MESSAGE_CLASS)) if _is_message(item) else "other item"
    if kind != "email":
        yield Skipped(kind, where)
        return
    try:
        outlook = _read(item, props, inner)
    except (OSError, ValueError) as exc:
        inner.clear()
        yield ReadError(src.path, where, "pst", f"message unreadable: {exc}")
        return
    prov = Provenance(
        path=src.path, source_sha256=src.sha256, method="pst", location=where, folder=folder or "/"
    )
    yield to_record(outlook, prov)


def _is_message(item: Any) -> bool:
    """A message, not some other kind of item (pypff gives those no subject)."""
    if isinstance(item, pypff.message):
        return True
    try:
        return hasattr(item, "subject")
    except OSError:  # a message whose subject is unreadable is still a message
        return True


def _subject(item: Any, props: dict) -> str:
    """The subject; a message read out of an attachment has it only in its properties, after
    the two characters that say how long its prefix ("RE: ") is."""
    try:
        subject = item.subject
    except OSError:
        subject = None
    if subject is None:
        subject = _text(props, SUBJECT) or ""
        if subject.startswith("\x01"):
            subject = subject[2:]
    return subject.strip("\x00")


def _read(item: Any, props: dict, inner: list[tuple[int, object]]) -> OutlookItem:
    """The item's properties, recipients, bodies and attachments; the messages its attachments
    hold are added to `inner`."""
    problems: list[Problem] = []
    sender = None
    name, email, smtp = (
        _text(props, SENDER_NAME),
        _text(props, SENDER_EMAIL),
        _text(props, SENDER_SMTP),
    )
    if name or email or smtp:
        sender = mapi_address(name, email, smtp)
    body, html = _bodies(item, problems)
    sent = props.get(CLIENT_SUBMIT_TIME) or props.get(DELIVERY_TIME)
    return OutlookItem(
        message_class=_text(props, MESSAGE_CLASS),
        transport_headers=_text(props, TRANSPORT_HEADERS),
        subject=_subject(item, props),
        sender=sender,
        recipients=_recipients(item),
        sent_at=filetime(sent if hasattr(sent, "tzinfo") else None),
        message_id=_text(props, INTERNET_MESSAGE_ID),
        in_reply_to=_text(props, IN_REPLY_TO),
        references=(_text(props, REFERENCES) or "").split(),
        body=body,
        html=html,
        attachments=_attachments(item, problems, inner),
        problems=problems,
    )


def _recipients(item: Any) -> list[tuple[str, Address]]:
    """The recipient table: role, address (SMTP where it has one, else the Exchange DN) and
    the display name, whichever of its name properties the writer filled."""
    recipients = []
    table = item.recipients
    for n in range(table.number_of_record_sets if table is not None else 0):
        r = _props(table.get_record_set(n))
        kind = int(cast(int, r.get(RECIPIENT_TYPE) or 1))  # an integer property
        role = ROLE_OF_RECIPIENT_TYPE.get(kind & 0xF, "to")
        name = (
            _text(r, DISPLAY_NAME)
            or _text(r, RECIPIENT_DISPLAY_NAME)
            or _text(r, TRANSMITTABLE_DISPLAY_NAME)
        )
        recipients.append(
            (role, mapi_address(name, _text(r, EMAIL_ADDRESS), _text(r, SMTP_ADDRESS)))
        )
    return recipients


def _bodies(item: Any, problems: list[Problem]) -> tuple[str | None, str | None]:
    body = item.plain_text_body
    html = item.html_body
    if isinstance(body, bytes):
        body, bad = decode_bytes(body, "utf-8")
        if bad:
            problems.append(Problem("charset", bad))
    if isinstance(html, bytes):
        html, bad = decode_bytes(html, "utf-8")
        if bad:
            problems.append(Problem("charset", bad))
    if not body and not html and item.rtf_body:
        problems.append(Problem("body", "body only in RTF; not converted"))
    return body, html


def _attachments(
    item: Any, problems: list[Problem], inner: list[tuple[int, object]]
) -> list[Attachment]:
    """Files with their text; a message attached as an item is listed, and read as a message
    of its own (added to `inner`) with its own attachments."""
    attachments: list[Attachment] = []
    for n in range(item.number_of_attachments):
        try:
            att = item.get_attachment(n)
            a = _props(att.get_record_set(0))
            att_name = _text(a, ATTACH_LONG_FILENAME) or _text(a, ATTACH_FILENAME) or ""
            ctype = _text(a, ATTACH_MIME_TAG) or "application/octet-stream"
            if a.get(ATTACH_METHOD) == EMBEDDED_MESSAGE:
                attachments.append(
                    Attachment(
                        name=_text(a, DISPLAY_NAME) or att_name or f"attached message {n + 1}",
                        content_type="application/vnd.ms-outlook",
                        size=att.size,
                        sha256="",
                    )
                )
                reference = a.get(ATTACH_DATA_OBJECT)
                if not isinstance(reference, bytes) or len(reference) < 4:
                    # libpff reads 4 bytes of it unchecked: a damaged store's is not passed on.
                    raise OSError("its embedded message's reference is missing or cut")
                message = embedded(att)
                if message is None:
                    problems.append(
                        Problem(
                            "attachment",
                            f"attachment {n + 1} is an embedded message; this libpff binding "
                            "cannot open it as a message",
                        )
                    )
                else:
                    inner.append((n + 1, message))
                continue
            data = att.read_buffer(att.size) if att.size else b""
        except OSError as exc:
            problems.append(Problem("attachment", f"attachment {n + 1} unreadable: {exc}"))
            continue
        attachments.append(make_attachment(att_name, ctype, data, problems))
    return attachments
