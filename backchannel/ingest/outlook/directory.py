"""Names and directory ids that mail systems write where an address or a display name goes.

- Exchange's X.500 addresses: "/O=CORP/OU=NA/CN=RECIPIENTS/CN=FLAST", and the same wrapped in
  an SMTP address when mail left Exchange ("IMCEAEX-_O=CORP_OU=NA_CN=RECIPIENTS_CN=FLAST@corp.com").
  Their last CN is the mailbox's alias, most often the local part of its SMTP address.
- Lotus Notes canonical names: "First M Last/HOU/CORP@CORP", "CN=First M Last/OU=HOU/O=CORP".
- The X-From / X-To / X-cc / X-bcc headers that Notes and Exchange exports (the CMU Enron corpus
  among them) add beside the address headers: the display names, in the same order.
"""

from __future__ import annotations

import re

_X500 = re.compile(r"^/o=[^/]+(?:/ou=[^/]+)*(?:/cn=[^/]+)+$", re.IGNORECASE)
_IMCEAEX = re.compile(r"^imceaex-(?P<path>[^@]+)@", re.IGNORECASE)
_NOTES = re.compile(
    r"^(?:CN=)?(?P<name>[^/@<>=]+?)\s*(?:/(?:OU=|O=)?[^/@<>]+)+(?:@[^\s<>]+)?$", re.IGNORECASE
)
_CN = re.compile(r"/cn=([^/]+)", re.IGNORECASE)


def x500_alias(address: str) -> str:
    """The alias (last CN) of an Exchange X.500 address, bare or wrapped in IMCEAEX; "" when the
    address is neither."""
    address = address.strip().strip("<>")
    wrapped = _IMCEAEX.match(address)
    if wrapped:
        # IMCEAEX encodes "/" as "_" and other characters as "+XX" hex.
        path = re.sub(r"\+([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), wrapped["path"])
        address = path.replace("_", "/")
    if not _X500.match(address):
        return ""
    names = _CN.findall(address)
    return names[-1].strip().lower() if names else ""


def notes_name(value: str) -> str:
    """The person's name in a Notes canonical name ("First M Last/HOU/CORP@CORP" gives
    "First M Last"); "" when the value is not one."""
    value = value.strip().strip('"')
    if "/" not in value or _X500.match(value) or value.lower().startswith("/o="):
        return ""
    m = _NOTES.match(value)
    if not m or not re.search(r"[A-Za-z]", m["name"]):
        return ""
    return m["name"].strip()


def split_names(value: str) -> list[str]:
    """An X-To / X-cc value as its names, in order: split at commas outside angle brackets and
    quotes. "Last, First" written inside quotes stays one name."""
    out: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        elif ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        if ch == "," and not depth and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [piece.strip() for piece in out if piece.strip()]


def name_and_alias(piece: str) -> tuple[str, str]:
    """(display name, X.500 alias) of one X-header name: "Last, First </O=CORP/…/CN=FLAST>",
    "First M Last/HOU/CORP@CORP", or a plain name."""
    piece = piece.strip()
    alias = ""
    bracket = re.search(r"<([^<>]*)>\s*$", piece)
    if bracket:
        alias = x500_alias(bracket.group(1))
        inner = bracket.group(1)
        piece = piece[: bracket.start()].strip()
        if not piece:
            piece = notes_name(inner)
    name = notes_name(piece) or piece
    return name.strip().strip('"').strip(), alias
