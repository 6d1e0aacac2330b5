"""Which official or organization a line of an email names, for the roster draft.

A staff member's signature names the office in many ways: "Chief of Staff to Trustee Dana
Whitfield", "Executive Assistant, Office of Trustee Okafor", "Aide | Whitfield's Office", "Chief
of Staff to the Board President". A line is read as a staff line only when it is a staff role
joined to a reference that is wholly an official's name (full name, an alias, the last name),
with title words before it, or wholly one of their titles: "Re: Trustee Whitfield's motion" or
"Coordinator, Friends of Whitfield" name no office. A last name or title that two officials
share names both (the draft decides between them by other evidence, or not at all).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ..corpus.matching import fold_words, last_name, name_key
from ..corpus.roster import Organization, Person

# Roles that staff sign with; a line must begin with one (title words like "Senior" before it).
_ROLE = (
    r"(?:(?:deputy\s+)?chief\s+of\s+staff|(?:(?:senior|executive|administrative|legislative"
    r"|special|policy|personal|confidential|district|field|communications|constituent"
    r"|scheduling|research|staff|office)\s+)*(?:assistant|aide|advisor|adviser|scheduler"
    r"|secretary|liaison|staffer|deputy|representative|director|coordinator|manager|analyst"
    r"|specialist|intern|associate))"
)
_STAFF_LINE = re.compile(
    rf"^\W*{_ROLE}\s*(?:,|\bto\b|\bfor\b|\bof\b|\bin\b|\bat\b|[-–—|/])\s*(?P<ref>.+)$",
    re.IGNORECASE,
)
_OFFICE_LINE = re.compile(r"^\W*(?:the\s+)?office\s+of\s+(?P<ref>.+)$", re.IGNORECASE)
_BEHALF = re.compile(r"\bon\s+behalf\s+of\s+(?P<rest>[^\n]{1,80})", re.IGNORECASE)
_OFFICE_END = re.compile(r"(?:['’]s)?\s+office$")
_LEAD = re.compile(r"^(?:the\s+)?(?:office\s+of\s+)?(?:the\s+)?")
# Words that may stand before an official's name: titles and honorifics. Each roster title's
# words are added (NameIndex).
TITLE_WORDS = {
    "trustee", "board", "member", "president", "vice", "chair", "chairman", "chairwoman",
    "chairperson", "director", "commissioner", "councilmember", "councilman", "councilwoman",
    "councilor", "council", "supervisor", "mayor", "deputy", "senator", "representative", "rep",
    "delegate", "assemblymember", "alderman", "alderwoman", "superintendent", "secretary",
    "treasurer", "clerk", "dr", "mr", "mrs", "ms", "mx", "hon", "honorable", "judge", "justice",
}  # fmt: skip
_MAX_TITLE_WORDS = 4
_ORG_JOIN = re.compile(r"^(?P<before>.{1,60}?)(?:,|\s+at\s+|\s+of\s+|\s+[-–—|]\s+)\s*$")


class NameIndex:
    """The officials' names and titles, and the organizations' names, as lines say them."""

    def __init__(self, officials: Iterable[Person], organizations: Iterable[Organization]):
        self.names: dict[str, set[str]] = defaultdict(set)  # name key -> officials
        self.full: dict[str, set[str]] = defaultdict(set)  # the same, last names left out
        self.titles: dict[str, set[str]] = defaultdict(set)  # folded title (or part) -> officials
        self.title_words = set(TITLE_WORDS)
        for p in officials:
            for form in p.names():
                self.names[name_key(form)].add(p.name)
                self.full[name_key(form)].add(p.name)
            self.names[name_key(last_name(p.name))].add(p.name)
            if p.title:
                parts = [p.title, *p.title.split(",")]
                for part in parts:
                    if fold_words(part).strip(" .,"):
                        self.titles[fold_words(part).strip(" .,")].add(p.name)
                self.title_words |= set(re.findall(r"\w+", fold_words(p.title)))
        self.names.pop("", None)
        self.full.pop("", None)
        self.orgs: dict[str, str] = {}
        for org in organizations:
            for form in (org.name, *org.aliases):
                self.orgs[fold_words(form).strip(" .,")] = org.name

    def reference(self, ref: str) -> frozenset[str]:
        """The officials a reference is wholly about ("Trustee Dana Whitfield", "Okafor's
        office", "the Board President"); empty when it is anything more or less."""
        text = _LEAD.sub("", _OFFICE_END.sub("", fold_words(ref).strip(" .,;:")))
        words = text.split()
        if not words:
            return frozenset()
        if " ".join(words) in self.titles:
            return frozenset(self.titles[" ".join(words)])
        for k in range(min(_MAX_TITLE_WORDS, len(words) - 1) + 1):
            if k and words[k - 1].strip(".") not in self.title_words:
                break
            found = self.names.get(name_key(" ".join(words[k:])))
            if found:
                return frozenset(found)
        return frozenset()

    def staff_line(self, line: str) -> frozenset[str]:
        """The officials a signature line names as the office its writer works in."""
        line = line.strip()
        if not line or len(line) > 100:
            return frozenset()
        for pattern in (_STAFF_LINE, _OFFICE_LINE):
            m = pattern.match(line)
            if m:
                found = self.reference(m.group("ref"))
                if found:
                    return found
        return frozenset()

    def on_behalf(self, text: str) -> list[tuple[str, frozenset[str]]]:
        """Each "on behalf of <official>" in a text: the phrase as written and whom it names.
        The name must end where the phrase's words do ("on behalf of Trustee Obi, I…"); "on
        behalf of Trustee Obi's constituents" names no office."""
        found = []
        for m in _BEHALF.finditer(text):
            words = m.group("rest").split()
            named = self._leading_name(words)
            if named:
                phrase, officials = named
                found.append((f"on behalf of {phrase}", officials))
        return found

    def _leading_name(self, words: list[str]) -> tuple[str, frozenset[str]] | None:
        start = 0
        while start < len(words) and fold_words(words[start]) in ("the", "office", "of"):
            start += 1
        for k in range(start, min(start + _MAX_TITLE_WORDS, len(words)) + 1):
            if k > start and fold_words(words[k - 1]).strip(".") not in self.title_words:
                break
            for span in (3, 2, 1):
                if k + span > len(words):
                    continue
                last = words[k + span - 1]
                bare = last.rstrip(",.;:!?)")
                possessive = bare.endswith(("'s", "’s"))
                if possessive:
                    following = words[k + span] if k + span < len(words) else ""
                    if bare != last or fold_words(following).strip(",.;:") != "office":
                        continue
                    bare = bare[:-2]
                name = " ".join([*words[k : k + span - 1], bare])
                officials = self.names.get(name_key(name))
                if officials:
                    end = k + span + (1 if possessive else 0)
                    return " ".join(words[start:end]).rstrip(",.;:!?)"), frozenset(officials)
        return None

    def named_in_full(self, name: str) -> frozenset[str]:
        """The officials a name is (full name or alias; a last name alone is not enough)."""
        return frozenset(self.full.get(name_key(name), set()))

    def org_line(self, line: str) -> str | None:
        """The watched organization a signature line names as its writer's: the line is the
        organization's name or alias, or ends with it after a title ("Policy Director,
        Better Schools Now")."""
        text = fold_words(line).strip(" .;:")
        if text in self.orgs:
            return self.orgs[text]
        for form, org in self.orgs.items():
            if text.endswith(form) and _ORG_JOIN.match(text[: -len(form)]):
                return org
        return None
