"""The drafted roster as a YAML file in the roster's own format (DESIGN.md "The roster"): the
reporter's entries as they are, each proposal an entry with its evidence in comments above it,
the proposals below the confidence asked for as commented-out entries. `write` checks the file
loads as a roster before it replaces anything."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import yaml

from ..corpus.roster import Organization, Person, RosterError, load_roster
from .roster_draft import SHOWN, Draft, Proposal

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\[\]{},]*$")
COMMENT_WIDTH = 160


def scalar(text: str) -> str:
    """A string as YAML writes it in a flow list: plain when that reads back as the same string,
    else double-quoted (JSON's quoting is YAML's)."""
    if _PLAIN.match(text) and not text.endswith(" "):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def _person(p: Person, indent: str) -> list[str]:
    lines = [f"{indent}- name: {scalar(p.name)}"]
    if p.title:
        lines.append(f"{indent}  title: {scalar(p.title)}")
    for key in ("emails", "aliases", "nicknames"):
        if getattr(p, key):
            lines.append(f"{indent}  {key}: {_list(getattr(p, key))}")
    return lines


def _comment(text: str, indent: str) -> str:
    """One comment line; the text's own indentation kept (a commented entry uncomments)."""
    text = " ".join(text.split("\n"))
    if len(text) > COMMENT_WIDTH:
        text = text[: COMMENT_WIDTH - 1] + "…"
    return f"{indent}# {text}".rstrip()


def _evidence(d: Draft, p: Proposal, indent: str, depth: int = 1) -> list[str]:
    """Each line of evidence, and under it the first emails that show it: id, date, subject."""
    lines = []
    pad = "  " * depth
    for e in p.evidence:
        shown = e.message_ids[:SHOWN]
        lines.append(_comment(f"{pad}{e.detail}" + (", e.g.:" if shown else ""), indent))
        for mid in shown:
            date, subject = d.emails.get(mid, ("", ""))
            lines.append(_comment(f"{pad}  {mid}  {date}  {subject}", indent))
    return lines


def _proposed(d: Draft, p: Proposal, indent: str, joined: list[Proposal]) -> list[str]:
    head = f"proposed, confidence {p.confidence:.2f}:"
    emails = sorted({*p.emails, *(e for j in joined for e in j.emails)})
    lines = [_comment(head, indent), *_evidence(d, p, indent)]
    for j in joined:
        lines.append(_comment(f"  {', '.join(j.emails)} joins it ({j.confidence:.2f}):", indent))
        lines += _evidence(d, j, indent, depth=2)
    lines.append(f"{indent}- name: {scalar(p.name)}")
    if emails:
        lines.append(f"{indent}  emails: {_list(emails)}")
    return lines


def _commented(d: Draft, p: Proposal, indent: str) -> list[str]:
    """A proposal that is not an entry: why, its evidence, and the entry to uncomment."""
    if p.status == "elsewhere":
        why = f"{p.name}: {p.note}; not moved. The corpus suggests it here ({p.confidence:.2f}):"
    elif p.joins:
        why = (
            f"{', '.join(p.emails) or p.name} may be {p.joins}'s too ({p.confidence:.2f}): "
            "add it to their emails if it is"
        )
    else:
        why = (
            f"below {d.min_confidence:.2f} (confidence {p.confidence:.2f}"
            + (f"; {p.note}" if p.note else "")
            + "), not an entry: uncomment it if the evidence convinces you"
        )
    lines = [_comment(why, indent), *_evidence(d, p, indent)]
    if p.status != "elsewhere" and not p.joins:
        lines.append(_comment(f"- name: {scalar(p.name)}", indent))
        if p.emails:
            lines.append(_comment(f"  emails: {_list(p.emails)}", indent))
    return lines


def _group(d: Draft, kind: str, group: str, known: list[Person], indent: str) -> list[str]:
    """A group's people: the roster's (with what the corpus says of them), then proposals."""
    proposals = d.of(group, kind)
    listed = {p.name: p for p in proposals if p.status == "listed" and not p.joins}
    entries = [p for p in proposals if p.status == "entry" and not p.joins]
    joiners = [p for p in proposals if p.joins and p.status == "entry"]
    joined = {p.name: [j for j in joiners if j.joins == p.name] for p in entries}
    used = {id(j) for js in joined.values() for j in js}
    rest = [
        p
        for p in proposals
        if p.status in ("below", "elsewhere") or (p.joins and id(p) not in used)
    ]
    lines: list[str] = []
    for person in known:
        seen = listed.get(person.name)
        if seen is not None and seen.evidence:
            lines.append(
                _comment(f"in your roster; the corpus agrees ({seen.confidence:.2f}):", indent)
            )
            lines += _evidence(d, seen, indent)
        lines += _person(person, indent)
    for p in entries:
        lines += _proposed(d, p, indent, joined[p.name])
    if rest:
        lines.append(_comment("not entries:", indent))
        for p in rest:
            lines += _commented(d, p, indent)
    return lines


def _section(key: str, body: list[str]) -> list[str]:
    """A group's list under its key, commented out when every line of it is a comment."""
    if not body:
        return []
    entries = any(not line.lstrip().startswith("#") for line in body)
    return [f"    {key}:" if entries else f"    # {key}:", *body]


def _official(d: Draft, official: Person) -> list[str]:
    lines = _person(official, "  ")
    staff = [p for p in d.known.people if p.kind == "staff" and p.group == official.name]
    body = _group(d, "staff", official.name, staff, "      ")
    return lines + _section("staff", body)


def _organization(d: Draft, org: Organization) -> list[str]:
    lines = [f"  - name: {scalar(org.name)}"]
    if org.aliases:
        lines.append(f"    aliases: {_list(org.aliases)}")
    if org.domains:
        lines.append(f"    domains: {_list(org.domains)}")
    people = [p for p in d.known.people if p.kind == "member" and p.group == org.name]
    body = _group(d, "member", org.name, people, "      ")
    return lines + _section("people", body)


def render(d: Draft, database: str = "", known_path: str = "") -> str:
    """The draft's text."""
    entries = sum(1 for p in d.proposals if p.status == "entry")
    lines = [
        "# A roster drafted by `backchannel roster draft`"
        + (f" from {database}" if database else "")
        + (f", around {known_path}" if known_path else "")
        + ".",
        "# Your entries are kept as they are (your file's comments are not copied). Each entry",
        "# the corpus suggests has its evidence above it: the emails it names open in Datasette",
        "# (backchannel serve: /-/email/<db>/<id>) and on the page Who works for whom.",
        f"# {entries} entries proposed; those under confidence {d.min_confidence:.2f}"
        " (--min-confidence) are comments.",
        "# Check each, delete what is wrong, then: backchannel analyze --roster THIS_FILE",
    ]
    if d.known.timezone:
        lines.append(f"timezone: {scalar(d.known.timezone)}")
    lines.append("officials:")
    for official in d.known.officials:
        lines += _official(d, official)
    if d.known.organizations:
        lines.append("organizations:")
        for org in d.known.organizations:
            lines += _organization(d, org)
    return "\n".join(lines) + "\n"


def write(d: Draft, out: Path, database: str = "", known_path: str = "") -> str:
    """Write the draft to `out` in one step, once it loads as a roster (RosterError if not:
    a bug, never a half-written file). Returns its text."""
    text = render(d, database, known_path)
    out = Path(out)
    fd, scratch = tempfile.mkstemp(prefix=".draft-", suffix=".yaml", dir=out.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        load_roster(Path(scratch))
        os.replace(scratch, out)
    except (OSError, RosterError):
        Path(scratch).unlink(missing_ok=True)
        raise
    return text
