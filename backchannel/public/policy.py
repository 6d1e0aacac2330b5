"""The publication policy (YAML): who stays visible besides the roster, which emails are
withheld and why, what internal tables and file names are kept. A policy with a mistake is
refused as a whole, with its line, like the roster.

    visible:                 # names, addresses or domains that stay as they are
      - Jordan Reyes
      - press@lakemontledger.example
      - "@county.example"
    agency_domains: [lakemontusd.example]   # default: the domains of the roster's officials
    label: Parent            # private persons read "Parent 3f2a1b" (default "Private person")
    withhold:
      - id: 3cf0288a9724fab1             # an email's id
        reason: a student's medical details
      - from: jane.parent@mail.example   # everything a sender sent
        reason: a private citizen's own emails
      - folder: Personal                 # every email filed under a mail folder (or label)
        reason: personal mail
    keep:
      file_names: false      # true: the dump's file names are published (hashes always are)
      tables: [person_keys]  # internal tables otherwise dropped
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import yamlfile
from ..corpus.yamlfile import DOMAIN, EMAIL, FileError, line_of

# The roster draft's tables name the people it proposes and quote their signatures: the
# reporter's working notes, never published.
INTERNAL_TABLES = (
    "person_keys",
    "identity_overrides",
    "identity_suggestions",
    "roster_proposals",
    "roster_evidence",
    "suppression_log",
)
WITHHOLD_BY = ("id", "from", "folder")
_ID = re.compile(r"^[0-9a-f]{16}$")


class PolicyError(FileError):
    refused = "policy"


_yaml = yamlfile.Reader(PolicyError)


@dataclass
class Withhold:
    by: str  # id, from, folder
    value: str
    reason: str
    line: int | None = None

    @property
    def rule(self) -> str:
        return f"withhold {self.by} {self.value}" + (
            f" (policy line {self.line})" if self.line else ""
        )


@dataclass
class Policy:
    visible_names: list[str] = field(default_factory=list)
    visible_addresses: list[str] = field(default_factory=list)
    visible_domains: list[str] = field(default_factory=list)
    agency_domains: list[str] | None = None  # None: the roster officials' domains
    label: str = "Private person"
    withhold: list[Withhold] = field(default_factory=list)
    keep_file_names: bool = False
    keep_tables: list[str] = field(default_factory=list)
    source: str | None = None  # the file it was read from


def load_policy(path: Path) -> Policy:
    path = Path(path)
    root = _yaml.compose(path, _yaml.read(path), "the policy")
    top = _yaml.mapping(
        path, root, {"visible", "agency_domains", "label", "withhold", "keep"}, "the policy"
    )
    policy = Policy(source=path.name)
    for node in _yaml.sequence(path, top.get("visible"), "visible"):
        value = _yaml.scalar(path, node, root, "visible: expected a name, an address or a domain")
        if "@" in value and EMAIL.match(value):
            policy.visible_addresses.append(value.lower())
        elif value.startswith("@") or (" " not in value and DOMAIN.match(value)):
            if not DOMAIN.match(value.lstrip("@")):
                raise PolicyError(path, line_of(node), f"{value!r} is not a domain name")
            policy.visible_domains.append(value.lstrip("@").lower())
        elif "@" in value:
            raise PolicyError(path, line_of(node), f"{value!r} is not an email address")
        else:
            policy.visible_names.append(value)
    if "agency_domains" in top:
        domains = _yaml.strings(path, top["agency_domains"])
        for d in domains:
            if not DOMAIN.match(d.lstrip("@")):
                raise PolicyError(
                    path, line_of(top["agency_domains"]), f"{d!r} is not a domain name"
                )
        policy.agency_domains = [d.lstrip("@").lower() for d in domains]
    if "label" in top:
        policy.label = _yaml.scalar(path, top["label"], root, "label needs a word, like Parent")
    for node in _yaml.sequence(path, top.get("withhold"), "withhold"):
        fields = _yaml.mapping(path, node, {*WITHHOLD_BY, "reason"}, "a withhold rule")
        given = [k for k in WITHHOLD_BY if k in fields]
        if len(given) != 1:
            raise PolicyError(
                path, line_of(node), "a withhold rule names one of id, from or folder"
            )
        by = given[0]
        value = _yaml.scalar(path, fields[by], node, f"withhold {by} needs a value")
        if by == "id" and not _ID.match(value):
            raise PolicyError(path, line_of(fields[by]), f"{value!r} is not an email's id")
        if by == "from" and not EMAIL.match(value):
            raise PolicyError(path, line_of(fields[by]), f"{value!r} is not an email address")
        reason = _yaml.scalar(
            path, fields.get("reason"), node, "a withhold rule needs a reason (it is published)"
        )
        policy.withhold.append(
            Withhold(by, value.lower() if by == "from" else value, reason, line_of(node))
        )
    if "keep" in top:
        keep = _yaml.mapping(path, top["keep"], {"file_names", "tables"}, "keep")
        if "file_names" in keep:
            value = _yaml.scalar(path, keep["file_names"], top["keep"], "file_names: true or false")
            if value.lower() not in ("true", "false", "yes", "no"):
                raise PolicyError(path, line_of(keep["file_names"]), "file_names: true or false")
            policy.keep_file_names = value.lower() in ("true", "yes")
        for name in _yaml.strings(path, keep.get("tables")):
            if name not in INTERNAL_TABLES or name == "suppression_log":
                raise PolicyError(
                    path,
                    line_of(keep["tables"]),
                    f"{name!r} is not an internal table that can be kept "
                    f"(those are: {', '.join(INTERNAL_TABLES[:-1])})",
                )
            policy.keep_tables.append(name)
    return policy
