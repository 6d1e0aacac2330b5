"""Production marks on a printed page: Bates numbers, release stamps, case and document numbers,
FOIA exemption codes. They are read off the page and kept apart, so that none of them leaks into a
subject, a name or the text that NER reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A prefix and a zero-padded number ("DIST-0001234", "LUSD_000123"), or the State Department's
# "C05739545". Looked for only on a page's first and last lines, where productions stamp them.
BATES = re.compile(r"\b(?:[A-Z][A-Z0-9]{1,11}[-_ ]?\d{5,10}|C\d{8})\b")
# (b)(6), (b)(7)(C), (b) (6); OCR often reads the parentheses oddly: allow spaces.
FOIA_CODE = re.compile(r"\(\s*[bB]\s*\)\s*\(\s*([1-9])\s*\)(?:\s*\(\s*([A-F])\s*\))?")
TERSE_CODE = re.compile(r"\bB([1-9])([A-F]?)\b")
STAMP = re.compile(
    r"^\s*(?:UNCLASSIFIED(?:\s+U\.S\.\s+Department\s+of\s+State.*)?"
    r"|RELEASED?\s+IN\s+(?:FULL|PART)\b.*"
    r"|U\.S\.\s+Department\s+of\s+State\b.*"
    r"|Case\s+No\.?\s*\S+.*"
    r"|Doc(?:ument)?\s+No\.?\s*\S+.*"
    r"|(?:State\s+Dep(?:t|artment)\.?\s+-\s+)?Produced\s+to\s+.*"
    r"|Page\s+\d+\s+of\s+\d+"
    r"|CONFIDENTIAL\s*(?:-\s*FOIA)?"
    r")\s*$",
    re.IGNORECASE,
)
EDGE_LINES = 3  # lines at the top and at the bottom of a page where stamps and Bates sit


@dataclass
class PageMarks:
    bates: str | None = None
    # Printed over redactions, in order: (line of the cleaned page text, code as printed).
    codes: list[tuple[int, str]] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)
    stamp_codes: list[str] = field(default_factory=list)  # listed by a stamp for the whole page


def _codes_in(line: str) -> list[str]:
    return [m.group(0) for m in FOIA_CODE.finditer(line)]


def _only_codes(line: str) -> bool:
    """A line that is nothing but exemption codes (a redaction box's label)."""
    rest = FOIA_CODE.sub(" ", line)
    rest = TERSE_CODE.sub(" ", rest)
    return not re.sub(r"[\s,;:\[\]()|]+", "", rest) and line.strip() != ""


def clean_page(text: str) -> tuple[str, PageMarks]:
    """The page's text with stamps, Bates numbers and redaction codes taken out, and the marks."""
    marks = PageMarks()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    edges = set(nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:])
    out: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if STAMP.match(stripped):
            marks.stamps.append(stripped)
            # "RELEASED IN PART B5, B6": the stamp lists every code used on the page.
            marks.stamp_codes += _codes_in(stripped) + [
                m.group(0) for m in TERSE_CODE.finditer(stripped)
            ]
            continue
        if i in edges:
            found = BATES.findall(stripped)
            if found and len(" ".join(found)) >= len(stripped.replace(" ", "")) * 0.5:
                marks.bates = marks.bates or found[-1]
                rest = BATES.sub("", stripped).strip()
                if not rest:
                    continue
                line = rest
        if _only_codes(stripped):
            found = _codes_in(stripped) + [
                m.group(0) for m in TERSE_CODE.finditer(FOIA_CODE.sub(" ", stripped))
            ]
            marks.codes += [(len(out), code) for code in found]
            out.append("[REDACTED]")
            continue
        codes = _codes_in(line)
        if codes:
            marks.codes += [(len(out), code) for code in codes]
            line = FOIA_CODE.sub("[REDACTED]", line)
        out.append(line)
    return "\n".join(out), marks
