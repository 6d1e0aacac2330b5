"""Whose mailbox a file came from, as the dump lays it out.

The rule is decided once per dump root, in this order:
1. `--custodian NAME`: everything in the run is NAME's ("named").
2. `--custodian-depth N`: the folder N levels under the root is the person ("depth").
3. The layout: one folder per person with mail folders inside (`<person>/Inbox/…`,
   `<person>/sent_items/…`, a Maildir's `cur/new`) makes the person's folder the custodian and
   the rest of the path the mail folder ("layout"); mail folders right under the root make the
   root one mailbox, the root's name its custodian ("layout").
4. Otherwise an mbox or an Outlook store is its file name's mailbox ("file name"), and a loose
   message the folder it sits in ("folder"), unless its own headers name the mailbox
   (`X-Origin`, `X-Folder`: "header", read by the readers).

Names that differ only in case, spacing or punctuation ("allen-p" from the layout, "Allen-P"
from X-Origin) are one custodian: `custodian_key` says which are, `SPELLING_RANK` whose spelling
the corpus keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .formats import BY_NAME
from .record import readable

# Mail folders of the common clients and exports, compared folded (case, spaces, "_", "-",
# a leading "." of Maildir++ or "_" of Notes exports off).
MAIL_FOLDERS = {
    "inbox",
    "sent",
    "sentitems",
    "sentmail",
    "sentmessages",
    "deleteditems",
    "deleted",
    "deletedmessages",
    "trash",
    "drafts",
    "archive",
    "archives",
    "junk",
    "junkemail",
    "junke-mail",
    "spam",
    "outbox",
    "alldocuments",
    "discussionthreads",
    "notesinbox",
    "allmail",
    "important",
    "starred",
    "cur",
    "new",
    "tmp",
}


# Folders that hold a person's mail under a name that is not the person's.
GENERIC_BOXES = {"maildir", ".maildir", "mail", "mailbox", "mailboxes", "email", "messages"}


def is_mail_folder(name: str) -> bool:
    folded = re.sub(r"[\s_\-]+", "", name.lower().lstrip("._"))
    return folded in MAIL_FOLDERS or folded.startswith("inbox.")


@dataclass(frozen=True)
class CustodianRule:
    kind: str  # named, depth, layout
    root: str  # the dump root's name
    name: str | None = None  # for "named"
    depth: int = 0  # for "depth"

    def of(self, rel: str, fmt: str) -> tuple[str, str | None, str]:
        """(custodian, mail folder, rule as recorded) of the file at `rel` under the root."""
        parts = PurePosixPath(rel).parts
        dirs = parts[:-1]
        if self.kind == "named":
            return self.name or "", "/".join(dirs) or None, "named"
        if self.kind == "depth" and len(dirs) >= self.depth:
            person = dirs[self.depth - 1]
            return person, "/".join(dirs[self.depth :]) or None, "depth"
        first = next((i for i, d in enumerate(dirs) if is_mail_folder(d)), None)
        if first == 0:  # mail folders right under the root: the root is one mailbox
            return self.root, "/".join(dirs) or None, "layout"
        if first is not None:  # <person>/<mail folder>/…, or <person>/Maildir/cur/…
            at = first - 1
            if dirs[at].lower() in GENERIC_BOXES and at > 0:
                at -= 1
            return dirs[at], "/".join(dirs[first:]), "layout"
        if _is_mailbox(fmt):
            return PurePosixPath(rel).stem, None, "file name"
        return (dirs[-1] if dirs else self.root), None, "folder"


def decide(root: Path, custodian: str | None = None, depth: int = 0) -> CustodianRule:
    """The rule for one dump root (a folder or a file the reporter gave)."""
    name = readable(root.resolve().name if root.is_dir() else root.stem)
    if custodian:
        return CustodianRule("named", name, name=readable(custodian))
    if depth:
        return CustodianRule("depth", name, depth=depth)
    return CustodianRule("layout", name)


# Whose spelling of one custodian's name the corpus keeps: the reporter's, then the dump's
# layout and file names, then what an Outlook store or the messages' own headers say.
SPELLING_RANK = (
    "named",
    "depth",
    "load file",  # a production's Custodian field: the producing party's word
    "layout",
    "file name",
    "folder",
    "mailbox owner",
    "header",
)


def custodian_key(name: str) -> str:
    """What two spellings of one custodian share: "allen-p", "Allen-P" and "ALLEN P" give
    "allenp". Numbers kept apart stay apart ("Release 1.2" is not "Release 12")."""
    key = ""
    for word in re.split(r"[\W_]+", name.casefold()):
        if word:
            key += ("." if key[-1:].isdigit() and word[0].isdigit() else "") + word
    return key or name


def _is_mailbox(format: str) -> bool:
    """A whole mailbox in one file (mbox, .pst): with no folder to go by, its name is its
    custodian's."""
    fmt = BY_NAME.get(format)
    return fmt is not None and fmt.mailbox
