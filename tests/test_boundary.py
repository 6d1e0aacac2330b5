"""The boundary shim changes speed only: the stdlib parses every message exactly as without it."""

from __future__ import annotations

import email
import zipfile
from email.policy import compat32

import pytest
from conftest import make_email

from backchannel.ingest.mail import boundary


def tree(data: bytes) -> list:
    msg = email.message_from_bytes(data, policy=compat32)
    return [
        (
            part.get_content_type(),
            None if part.is_multipart() else part.get_payload(decode=True),
            part.preamble,
            part.epilogue,
            [type(d).__name__ for d in part.defects],
        )
        for part in msg.walk()
    ]


def handmade() -> list[bytes]:
    return [
        make_email(html="<p>hi</p>", attachments=[("a.txt", "text/plain", b"x\n")]),
        b'Content-Type: multipart/mixed; boundary="a.b+c(d)"\n\n--a.b+c(d)\n\nx\n--a.b+c(d)--  \n',
        b'Content-Type: multipart/mixed; boundary="q"\n\npre\n--q\r\n\r\nx\r\n--q--\r\nepi\n',
        b'Content-Type: multipart/mixed; boundary="never"\n\n--never\n\nunclosed\n',
        b'Content-Type: multipart/mixed; boundary="z"\n\n--zz\n\nnot a boundary\n--z--\n',
    ]


def test_same_parse_with_and_without(request):
    mails = handmade()
    fixtures = request.config.rootpath.parent / "shared" / "fixtures"
    if fixtures.is_dir():
        mails += [p.read_bytes() for p in (fixtures / "spamscope").iterdir()]
        with zipfile.ZipFile(fixtures / "mail-gem-zip" / "emails.zip") as zf:
            mails += [zf.read(n) for n in zf.namelist() if not n.endswith("/")]
    try:
        boundary.uninstall()
        plain = [tree(m) for m in mails]
        boundary.install()
        fast = [tree(m) for m in mails]
    finally:
        boundary.install()
    assert fast == plain


@pytest.mark.parametrize("pattern", [r"(?P<sep>--x)", "abc", r"(?P<sep>[)(?P<end>-)?"])
def test_other_patterns_go_to_re(pattern):
    import re

    try:
        expected = re.compile(pattern)
    except re.error:
        with pytest.raises(re.error):
            boundary._compile(pattern)
        return
    assert boundary._compile(pattern) == expected
