"""A text body's lines told apart: what the sender wrote, and the history it quotes.

Quoted are: runs of ">" lines, with the attribution line above them ("On … wrote:", in any
language of ingest/languages.py, over up to three lines); and, from the first place where
unmarked history begins to the end, everything — a separator ("-----Original Message-----",
"Begin forwarded message:"), a header block ("From: / Sent: / To: / Subject:" in any language,
under a rule of underscores or not), or a dated attribution line with no ">" lines under it.
Every other line is the sender's, wherever it stands: above the quote (top-posting), below it
(bottom-posting), or between quoted lines (inline replies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import quote_patterns as qp

ATTRIBUTION_LINES = 3  # "On Dec 16, 2011, at 12:47 PM, Corey Donohoe" / "<c@x>" / "wrote:"
HEADER_WINDOW = 12  # lines a header block's labels may spread over (wrapped recipient lists)
# ">" and "&gt;" (an HTML body's entity left in its text, as some exports and printouts do).
_QUOTE_MARKS = re.compile(r"^(?:[ \t]*(?:>|&gt;))+ ?")


@dataclass
class Scan:
    lines: list[str]
    quoted: list[bool]
    # Where quoted emails begin: (first line, line after the header) of each attribution or
    # header block, in order; separators are in `separators`.
    headers: list[tuple[int, int]] = field(default_factory=list)
    separators: set[int] = field(default_factory=set)


def is_quote_line(line: str) -> bool:
    s = line.lstrip()
    return s[:1] == ">" or s[:4] == "&gt;"


def scan(text: str) -> Scan:
    """Each line of the text marked quoted or not."""
    lines = _split_attributions(text.split("\n"))
    n = len(lines)
    fenced = _fenced(lines)
    quoted = [is_quote_line(line) and i not in fenced for i, line in enumerate(lines)]
    _lazy_continuations(lines, quoted)
    found = Scan(lines, quoted)
    i = 0
    while i < n:
        if quoted[i] or not lines[i].strip() or i in fenced:
            i += 1
            continue
        start = _history_start(lines, quoted, i)
        if start is not None:
            for k in range(start, n):
                quoted[k] = True
            break
        i += 1
    _find_headers(found)
    return found


def _history_start(lines: list[str], quoted: list[bool], i: int) -> int | None:
    """Where unmarked history begins at line i, or None. An attribution above ">" lines is
    marked quoted here, and the scan goes on below it."""
    s = lines[i].strip()
    if qp.separator(s):
        return i
    if qp.label_of(s) is not None and (block := _header_block(lines, quoted, i)) is not None:
        start = _above_rule(lines, i)
        return _notes_sender(lines, quoted, i) if start == i and "from" not in block[1] else start
    if qp.rule(s):
        j = _next_text(lines, i + 1)
        if j is not None and j - i <= 3 and not quoted[j]:
            t = lines[j].strip()
            if qp.separator(t) or (
                qp.label_of(t) is not None and _header_block(lines, quoted, j) is not None
            ):
                return i
        return None
    if s.endswith((":", "：", "-")) or "GMT" in s:
        a = _attribution_ending(lines, quoted, i)
        if a is not None:
            start, strength = a
            j = _next_text(lines, i + 1)
            if j is not None and quoted[j]:
                for k in range(start, j):
                    quoted[k] = True
                return None
            if strength == qp.STRONG:
                return start
    return None


def _attribution_ending(
    lines: list[str], quoted: list[bool], i: int, reach: int = ATTRIBUTION_LINES
) -> tuple[int, int] | None:
    """(first line, strength) of an attribution whose last line is i, over up to `reach`
    lines ("On … Corey Donohoe" / "<c@x>" / "wrote:"); the longest reach back that starts like
    an attribution ("On …") wins, else the shortest that is one."""
    best: tuple[int, int] | None = None
    joined = ""
    for k in range(reach):
        j = i - k
        if j < 0 or quoted[j] or not lines[j].strip():
            break
        if k and lines[j].rstrip().endswith((".", "!", "?")):
            break  # a sentence of the sender's above it ("On Tuesday we vote."), not its start
        joined = (lines[j].strip() + " " + joined).strip()
        strength = qp.attribution(joined)
        if not strength:
            continue
        if qp.opens_attribution(joined):
            return j, strength
        if best is None:
            best = (j, strength)
    return best


def _header_block(lines: list[str], quoted: list[bool], i: int) -> tuple[int, set[str]] | None:
    """(the line after it, its fields) of a header block whose labels start at line i, or None
    when the labels there are not one: a From and a date or subject, among other labels; a
    date, To and Subject; Lotus Notes' To, cc and Subject under the sender and the date."""
    fields: set[str] = set()
    j, loose, end = i, 0, None
    while j < len(lines) and j < i + HEADER_WINDOW and not quoted[j]:
        s = lines[j].strip()
        field = qp.label_of(s) if s else None
        if field is not None:
            fields.add(field)
            loose, end = 0, j + 1
        elif not s:
            k = _next_text(lines, j)
            if k is None or k - j > 1 or qp.label_of(lines[k].strip()) is None:
                break
        else:
            loose += 1  # a recipient list or a subject wrapped onto the next line
            if loose > 2:
                break
        j += 1
    if end is None:
        return None
    if "from" in fields and fields & {"date", "subject"} and len(fields) >= 2:
        return end, fields
    if {"date", "to", "subject"} <= fields or {"to", "cc", "subject"} <= fields:
        return end, fields
    return None


def _notes_sender(lines: list[str], quoted: list[bool], i: int) -> int:
    """Where a Lotus Notes header block begins: the sender's and the date's lines right above
    its To ("Dana Whitfield/LUSD" / "03/03/2025 04:02 PM", or both on one line), when dated."""
    j = i
    while j > 0 and i - j < 2 and lines[j - 1].strip() and not quoted[j - 1]:
        j -= 1
    above = " ".join(lines[j:i])
    return j if j < i and qp.dated(above) else i


def _above_rule(lines: list[str], i: int) -> int:
    """A header block's history begins at the rule of underscores above it, if any."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j if j >= 0 and (qp.rule(lines[j]) or qp.separator(lines[j].strip())) else i


def _next_text(lines: list[str], i: int) -> int | None:
    while i < len(lines):
        if lines[i].strip():
            return i
        i += 1
    return None


def _split_attributions(lines: list[str]) -> list[str]:
    """A line that holds the end of the sender's text and an attribution ("Sounds good. On
    Mon, Mar 3, 2025 at 4:02 PM Dana <d@x> wrote:") becomes two lines."""
    out: list[str] = []
    for line in lines:
        at = qp.attribution_inside(line) if line.rstrip().endswith((":", "：")) else None
        if at is None or is_quote_line(line):
            out.append(line)
        else:
            out += [line[:at].rstrip(), line[at:]]
    return out


def _fenced(lines: list[str]) -> set[int]:
    """Lines of the sender's code blocks (between ``` fences): a shell's ">" prompt there, or
    a "From:" line, is what they typed."""
    inside, fenced = False, set()
    for i, line in enumerate(lines):
        if line.startswith("```"):
            inside = not inside
            fenced.add(i)
        elif inside:
            fenced.add(i)
    return fenced if not inside else set()


def _lazy_continuations(lines: list[str], quoted: list[bool]) -> None:
    """A quoted line the sender's client wrapped without its ">": one short unmarked line,
    starting in lower case, right between two quoted lines the first of which is long."""
    for i in range(1, len(lines) - 1):
        if quoted[i] or not (quoted[i - 1] and quoted[i + 1]):
            continue
        s = lines[i].strip()
        if s and s[0].islower() and len(lines[i - 1]) >= 60 and len(s) < 40:
            quoted[i] = True


def _find_headers(found: Scan) -> None:
    """Where each quoted email begins, in the quoted lines with their quote marks off."""
    lines, quoted = found.lines, found.quoted
    plain = [unquote_all(line) if q else "" for line, q in zip(lines, quoted, strict=True)]
    mask = [not q for q in quoted]
    i = 0
    while i < len(lines):
        s = plain[i].strip()
        if not quoted[i] or not s:
            i += 1
            continue
        if qp.separator(s):
            found.separators.add(i)
        elif qp.label_of(s) is not None and (block := _header_block(plain, mask, i)) is not None:
            end = block[0]
            above = _above_rule(plain, i)
            if above < i:
                found.separators.add(above)  # the rule above ends the email before it
            # Lotus Notes: the sender and the date stand above the labels, unlabelled.
            start = i if "from" in block[1] else _notes_sender(plain, mask, i)
            if found.headers and found.headers[-1][1] > start:
                start = i
            found.headers.append((start, end))
            i = end
            continue
        elif s.endswith((":", "：", "-")) or "GMT" in s:
            a = _attribution_ending(plain, mask, i)
            if a is not None:
                start = a[0]
                if found.headers and found.headers[-1][1] > start:
                    start = found.headers[-1][1]
                found.headers.append((start, i + 1))
        i += 1


def dated_attribution(lines: list[str], i: int, reach: int) -> int | None:
    """The first line of a dated attribution ("On Aug 30, 2013, at 7:49 AM, Name <a@b> wrote:")
    whose last line is i, over up to `reach` lines, or None. ">" marks are read through."""
    if not lines[i].rstrip().endswith((":", "：")):
        return None
    plain = [unquote_all(line) for line in lines[max(0, i - reach + 1) : i + 1]]
    found = _attribution_ending(plain, [False] * len(plain), len(plain) - 1, reach)
    if found is None or found[1] != qp.STRONG:
        return None
    return i - (len(plain) - 1 - found[0])


def unquote_all(line: str) -> str:
    """A line with every level of quote marks off."""
    return _QUOTE_MARKS.sub("", line)
