"""Find the input files under the paths a reporter gives: folders, Maildirs, single files."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .detect import sniff_file
from .record import SourceFile

# Bookkeeping files that mail programs and desktops leave beside mail; never email.
_NOT_MAIL = {
    ".ds_store",
    "thumbs.db",
    "desktop.ini",
    "dovecot-uidlist",
    "dovecot-keywords",
    "dovecot.index",
    "dovecot.index.log",
    "dovecot.index.cache",
    "maildirfolder",
    "courierimapkeywords",
    "courierimapuiddb",
    "subscriptions",
}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_maildir(folder: Path) -> bool:
    return (folder / "cur").is_dir() and (folder / "new").is_dir()


def find_sources(path: Path, custodian: str | None = None) -> Iterator[SourceFile]:
    """Every input file under `path`, in a stable order, with its format and custodian.

    Paths are relative to `path` when it is a folder (the dump root), else the file's name.
    """
    path = Path(path)
    if path.is_file():
        yield make_source(path, path.name, custodian, default_custodian=path.stem)
        return
    for folder, dirs, names in os.walk(path):
        dirs.sort()
        here = Path(folder)
        if here.name == "tmp" and is_maildir(here.parent):
            continue  # deliveries still being written
        box, box_folder = _maildir_of(here, path)
        for name in sorted(names):
            if name.lower() in _NOT_MAIL:
                continue
            file = here / name
            if not file.is_file():
                continue
            rel = file.relative_to(path).as_posix()
            if box is not None:
                yield make_source(file, rel, custodian or box.name, folder=box_folder)
            else:
                yield make_source(
                    file, rel, custodian, default_custodian=_folder_of(rel, path.name)
                )


def make_source(
    file: Path,
    rel: str,
    custodian: str | None,
    *,
    default_custodian: str = "",
    folder: str | None = None,
    parent: str | None = None,
    sha256: str | None = None,
) -> SourceFile:
    """Describe one file. Without a custodian named by the reporter, an mbox belongs to the
    mailbox its file name gives (so does an Outlook store), anything else to the folder it sits in
    (`default_custodian`)."""
    fmt = sniff_file(file, rel)
    given = bool(custodian)
    if not custodian:
        custodian = PurePosixPath(rel).stem if fmt in ("mbox", "pst") else default_custodian
    return SourceFile(
        path=rel,
        local_path=file,
        sha256=sha256 or sha256_file(file),
        size=file.stat().st_size,
        format=fmt,
        custodian=custodian,
        custodian_given=given,
        parent=parent,
        folder=folder,
    )


def _folder_of(rel: str, root_name: str) -> str:
    return PurePosixPath(rel).parent.name or root_name


def _maildir_of(here: Path, root: Path) -> tuple[Path | None, str | None]:
    """The Maildir a folder belongs to (cur/new of it), and the mail folder's name."""
    if here.name in ("cur", "new") and is_maildir(here.parent):
        box = here.parent
        # Maildir++ subfolders (".Sent", ".Board") sit inside the top Maildir.
        top = box
        if box.name.startswith(".") and is_maildir(box.parent):
            top = box.parent
        sub = box.name.lstrip(".") if top is not box else "INBOX"
        return top, f"{sub}/{here.name}"
    return None, None
