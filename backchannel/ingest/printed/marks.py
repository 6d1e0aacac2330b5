"""Production marks on a printed page: Bates numbers, release stamps, case and document numbers,
banners, FOIA exemption codes. They are read off the page and kept apart, so that none of them
leaks into a subject, a name or the text that NER reads.

Agencies print them in a few places, and OCR garbles them; what is read here is the pattern,
not one agency's strings:
- the stamp block at the top and bottom edge of each page (banners in capitals, "Case No.",
  "Doc No.", the release date, the Bates number), a page's lines are read inward from each edge
  for as long as every piece of the line is a mark;
- release stamps ("RELEASE IN PART B5,B6"), often split over two lines ("RELEASE IN" above,
  "PART B6" or a list of codes below);
- exemption codes: inline over a redaction ("(b)(6)"), in the right margin level with the
  redacted line after a wide gap ("Rudman, Mara        B6"), alone on a line, in lists
  ("B1,1.4(B),1.4(D),B5,B6"), with a statute's note ("B3 CIA PERS/ORG").
Pages come laid out (layout.py): a wide gap is a run of three spaces or more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...vocabulary import REDACTED

GAP = re.compile(r"\s{3,}")
# FOIA exemptions as agencies print them: (b)(6), (b)(7)(C), B6, B7(C), B7C; and the
# classification reasons of E.O. 13526, 1.4(B)…1.4(H). OCR puts spaces in the parentheses.
CODE = re.compile(
    r"\(\s*[bB]\s*\)\s*\(\s*[1-9]\s*\)(?:\s*\(\s*[A-Fa-f]\s*\))?"
    r"|(?<![\w(])B[1-9](?:\s?\(\s*[A-F]\s*\)|[A-F])?(?![\w(])"
    r"|(?<![\w.])1\.4\s?\(\s*[A-H]\s*\)(?![\w(])"
)
INLINE = re.compile(r"\(\s*[bB]\s*\)\s*\(\s*[1-9]\s*\)(?:\s*\(\s*[A-Fa-f]\s*\))?")
# What OCR makes of a code, printed where a code goes: kept as printed, flagged doubtful.
DOUBTFUL = re.compile(r"(?<![\w(])(?:B[0O]|\(\s*b\s*\)\s*\(\s*[0O]\s*\))(?![\w(])")
# A statute's note after a code: "B3 CIA PERS/ORG", "B3 NSA".
_NOTE = re.compile(r"^[A-Z][A-Z/]{1,9}$")
# A release stamp, or the first half of one split over two lines ("RELEASE IN" / "PART B6").
RELEASE = re.compile(r"^RELEASED?(?:\s+IN\b(?:\s+(?:FULL|PART)\b)?)?(?P<rest>.*)$", re.IGNORECASE)
_RELEASE_REST = re.compile(r"^(?:IN\s+)?(?:FULL|PART)\b(?P<rest>.*)$", re.IGNORECASE)
STAMP = re.compile(
    r"^(?:UNCLASSIFIED\b.*"
    r"|(?:DE)?CLASSIFIED\s+BY\b.*|DECL(?:ASSIFY)?\s+ON\b.*|CLASSIFICATION\b.*"
    r"|U\.?S\.?\s+Department\s+of\s+State\b.*"
    r"|Case\s+No\.?\s*\S+.*"
    # A court's filing stamp across the top of an exhibit's every page ("Case 1:19-cv-01234-ABC
    # Document 12-3 Filed 05/01/20 Page 3 of 40"), and the clerk's "FILED" stamp.
    r"|Case\s+\d{1,2}:\d{2}-[A-Za-z]{2,4}-\d+\S*\s.*"
    r"|.{0,40}\bDocument\s+\d+(?:-\d+)?\s+Filed\s+\S+.*"
    r"|(?:E-?)?FILED\b.{0,60}"
    r"|Doc(?:ument)?\s+(?:No|ID|#)\.?\s*\S+.*"
    r"|.{0,40}\bProduced\s+to\s+.*"
    r"|Page\s+\d+\s+of\s+\d+"
    r"|CONFIDENTIAL\s*(?:-\s*FOIA.*)?"
    r")$",
    re.IGNORECASE,
)
DOC_NO = re.compile(r"\bDoc(?:ument)?\s+(?:No|ID|#)\.?\s*:?\s*(?P<doc>[A-Z0-9][\w-]{3,})", re.I)
# A Bates number: a prefix and a zero-padded number ("DIST-0001234", "LUSD_000123",
# "STATE-SCB0045247"); or a document number of the State Department's kind ("C05739545").
BATES = re.compile(r"\b[A-Z][A-Z0-9]{0,11}(?:[-_ ][A-Z0-9]{0,11})?\d{5,10}\b")
_BATES_NUMBER = re.compile(r"\d{5,10}$")
# The release date a stamp block prints ("Date: 05/13/2015"): a date and no time.
_STAMP_DATE = re.compile(r"^Date:?\s*\d{1,2}/\d{1,2}/\d{2,4}$", re.IGNORECASE)
_REASON = re.compile(
    r"\bReasons?\s*:\s*(?P<codes>(?:(?:1\.4\s?\(\s*[A-H]\s*\)|B[1-9])[\s,;]*(?:and\s+)?)+)", re.I
)
EDGE_LINES = 8  # lines read inward from each edge of a page for its stamp block


@dataclass
class Code:
    line: int  # index into the cleaned page's lines
    code: str  # as printed
    printed_on: str  # the line it was printed on, codes left out
    doubtful: bool = False  # printed where a code goes, but not a code as printed (OCR?)


@dataclass
class PageMarks:
    bates: str | None = None
    document: str | None = None  # the document number a stamp gives ("Doc No. C05739689")
    release: str | None = None  # the release stamp, as printed ("RELEASE IN PART B6")
    codes: list[Code] = field(default_factory=list)  # printed over or beside redactions
    stamps: list[str] = field(default_factory=list)
    stamp_codes: list[str] = field(default_factory=list)  # listed by a stamp for the whole page


_OCR_LETTERS = str.maketrans("5018", "SOIB")  # what OCR makes of a prefix's letters


def bates_series(bates: str) -> str:
    """The prefix of a Bates number: pages of one production series share it ("STATE-SCB" and
    its OCR reading "STATE-5CB" are one series)."""
    return _BATES_NUMBER.sub("", bates).rstrip("-_ ").upper().translate(_OCR_LETTERS)


def codes_in(text: str) -> tuple[list[str], str]:
    """The codes of a piece of text that is nothing but codes, separators and statute notes
    around them ("B5,B6", "B3 CIA PERS/ORG", "INA,B6" on a stamp's second line); a doubtful one
    is returned as "?B0". ([], text) when anything else is in
    it. A speck of OCR noise before the first code is dropped."""
    text = re.sub(r"^[^\w(]{1,2}\s*", "", text.strip())
    found = sorted(
        [(m.start(), m.end(), m.group(0), "") for m in CODE.finditer(text)]
        + [(m.start(), m.end(), m.group(0), "?") for m in DOUBTFUL.finditer(text)]
    )
    if not found:
        return [], text
    at = 0
    for start, end, _, _ in found:
        between = text[at:start]
        if any(not _NOTE.match(w) for w in re.split(r"[\s,;:]+", between) if w):
            return [], text
        at = end
    if any(not _NOTE.match(w) for w in re.split(r"[\s,;:]+", text[at:]) if w):
        return [], text
    return [flag + code for _, _, code, flag in found], ""


def _segments(line: str) -> list[tuple[int, str]]:
    """(column, text) of the pieces of a laid-out line that wide gaps separate."""
    out, at = [], 0
    for gap in GAP.finditer(line):
        if line[at : gap.start()].strip():
            out.append((at, line[at : gap.start()]))
        at = gap.end()
    if line[at:].strip():
        out.append((at, line[at:]))
    return [(col + len(text) - len(text.lstrip()), text.strip()) for col, text in out]


def _banner(text: str) -> bool:
    """A line of capitals at a page's edge: "SUBJECT TO PROTECTIVE ORDER", "STATE DEPT. -
    PRODUCED TO HOUSE SELECT BENGHAZI COMM."."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and len(text.split()) >= 2 and all(c.isupper() for c in letters)


class _Reader:
    def __init__(self) -> None:
        self.marks = PageMarks()
        self.release_open = False  # a release stamp's first half was just read

    def add_codes(self, codes: list[str], kind: str, line: int, printed_on: str) -> None:
        for code in codes:
            doubtful = code.startswith("?")
            code = code.removeprefix("?")
            if kind == "stamp" and not doubtful:
                self.marks.stamp_codes.append(code)
            else:
                self.marks.codes.append(Code(line, code, printed_on, doubtful))

    def release_piece(self, text: str) -> bool:
        """Read a release stamp or the second half of one; False when the text is neither."""
        m = RELEASE.match(text)
        if self.release_open and not (m and re.match(r"RELEASE", text, re.I)):
            m = _RELEASE_REST.match(text)
            codes, rest = codes_in(text)
            if m is None and not codes:
                return False
            self.marks.release = f"{self.marks.release} {text}"
            self.marks.stamps[-1] = self.marks.release
            if not codes and m is not None:
                codes = codes_in(m.group("rest"))[0]
            self.add_codes(codes, "stamp", -1, text)
            return True
        if m is None or not re.match(r"RELEASED?\s+IN\b|RELEASED?$", text, re.I):
            return False
        codes, rest = codes_in(m.group("rest").strip()) if m.group("rest").strip() else ([], "")
        if rest:
            return False
        self.marks.release = text
        self.marks.stamps.append(text)
        self.add_codes(codes, "stamp", -1, text)
        self.release_open = True  # its codes may go on over the next line
        return True

    def mark_piece(self, text: str, at_edge: bool) -> bool:
        """Read one piece of an edge line; False when it is not a mark."""
        if self.release_piece(text):
            return True
        if STAMP.match(text) or (at_edge and (_STAMP_DATE.match(text) or _banner(text))):
            doc = DOC_NO.search(text)
            if doc:
                self.marks.document = self.marks.document or doc.group("doc")
            self.marks.stamps.append(text)
            return True
        bates = BATES.fullmatch(text)
        if at_edge and bates:
            self.marks.bates = self.marks.bates or text
            return True
        return False


def clean_page(text: str) -> tuple[str, PageMarks]:
    """The page's text with stamps, Bates numbers and exemption codes taken out, and the marks.
    A line left with nothing but codes becomes "[REDACTED]"."""
    cleaned, marks, _ = clean_page_lines(text)
    return cleaned, marks


def clean_page_lines(text: str) -> tuple[str, PageMarks, list[int]]:
    """As clean_page, and for each line kept, the number of the page's line it came from."""
    reader = _Reader()
    origin: list[int] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    keep = [True] * len(lines)
    # The stamp blocks: inward from each edge while every piece of a line is a mark.
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        seen = 0
        for i in order:
            if not lines[i].strip():
                continue
            seen += 1
            texts = [t for _, t in _segments(lines[i])]
            if seen > EDGE_LINES or not all(reader.mark_piece(t, True) for t in texts):
                break
            keep[i] = False
        reader.release_open = False
    out: list[str] = []
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        pieces = _segments(line)
        # A release stamp inside the page (a document that starts mid-page), and its second half.
        if pieces and all(reader.release_piece(t) for _, t in pieces[-1:]):
            if len(pieces) == 1:
                continue
            line = line[: pieces[-1][0]].rstrip()
            pieces = pieces[:-1]
        else:
            reader.release_open = False
        # Codes in the right margin, after a wide gap, level with the line they redact.
        margin: list[str] = []
        while pieces:
            codes, _ = codes_in(pieces[-1][1])
            if not codes:
                break
            margin = codes + margin
            line = line[: pieces[-1][0]].rstrip()
            pieces = pieces[:-1]
        # A classification block's reason ("Reason: 1.4(D)"): a marking of the whole page.
        reason = _REASON.search(line)
        if reason:
            codes, _ = codes_in(reason.group("codes"))
            if codes:
                reader.add_codes(codes, "stamp", len(out), line.strip())
                line = line[: reason.start("codes")] + line[reason.end("codes") :]
        # Inline, over the redaction itself: "(b)(6)" in the middle of a line.
        inline = [m.group(0) for m in INLINE.finditer(line)]
        line = INLINE.sub(REDACTED, line)
        if margin:
            # The box is somewhere on the line: say so where the code was.
            line = f"{line} {REDACTED}" if line.strip() else REDACTED
        elif inline and not line.replace(REDACTED, "").strip():
            line = REDACTED
        reader.add_codes(inline + margin, "redaction", len(out), line.strip())
        out.append(line)
        origin.append(i)
    return "\n".join(out), reader.marks, origin
