"""Find the input files under the paths a reporter gives: folders, Maildirs, single files."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from .custodians import CustodianRule, decide
from .formats import BY_NAME, FORMATS, sniff_file
from .record import SourceFile, readable

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


def find_sources(
    path: Path,
    custodian: str | None = None,
    custodian_depth: int = 0,
    leave: Callable[[Path, str], bool] | None = None,
) -> Iterator[SourceFile]:
    """Every input file under `path`, in a stable order, with its format, custodian and mail
    folder (custodians.py: the rule is decided once for the dump root). `leave(file, rel)`
    True passes a file by before it is read at all (the corpus being written, in the dump).

    Paths are relative to `path` when it is a folder (the dump root), else the file's name.
    """
    path = Path(path)
    rule = decide(path, custodian, custodian_depth)
    leave = leave or (lambda file, rel: False)
    if not path.is_dir():
        if not leave(path, readable(path.name)):
            yield make_source(path, path.name, rule)
        return
    problems: list[OSError] = []
    claimed = claimed_files(path)
    seen: set[tuple[int, int]] = set()  # folders reached through symlinks: each read once
    for folder, dirs, names in os.walk(path, onerror=problems.append, followlinks=True):
        here = Path(folder)
        try:
            info = here.stat()
        except OSError:
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []  # a symlink loop, or a folder linked twice
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs.sort()
        while problems:  # a folder that could not be listed is said, not skipped silently
            exc = problems.pop(0)
            yield unreadable(path, Path(exc.filename or folder), f"folder cannot be read: {exc}")
        if here.name == "tmp" and is_maildir(here.parent):
            continue  # deliveries still being written
        box, box_folder = _maildir_of(here, path)
        for name in sorted(names):
            if name.lower() in _NOT_MAIL:
                continue
            file = here / name
            try:
                info = file.stat()
            except OSError as exc:
                yield unreadable(path, file, f"cannot be read: {exc.strerror or exc}")
                continue
            if (info.st_dev, info.st_ino) in claimed:
                continue  # a production's native, text or page image: read by its load file
            mode = info.st_mode
            if not stat.S_ISREG(mode):
                if not stat.S_ISDIR(mode):
                    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket or device"
                    yield unreadable(path, file, f"not a regular file ({kind}): not read")
                continue
            rel = file.relative_to(path).as_posix()
            if leave(file, readable(rel)):
                continue
            yield make_source(file, rel, rule, maildir_folder=box_folder if box else None)
    while problems:
        problem = problems.pop(0)
        where = Path(problem.filename or path)
        yield unreadable(path, where, f"folder cannot be read: {problem}")


def claimed_files(root: Path) -> set[tuple[int, int]]:
    """The files under `root` that a production's load file reads itself (its natives, texts,
    image cross-reference and page images; ingest/productions/loadfile.py), as (device,
    inode): the walk leaves them out, so that each is read once, as the production's, whatever
    the order the walk meets them in. Only files whose names end as a load file's can be one
    (the formats registry says which); a load file that cannot be read here claims nothing and
    is read, and its trouble said, when the walk meets it."""
    claimers = [f for f in FORMATS if f.references is not None]
    endings = tuple(s for f in claimers for s in f.suffixes)
    claimed: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, followlinks=True):
        try:
            info = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        for name in names:
            if not name.lower().endswith(endings):
                continue
            file = Path(folder) / name
            try:
                if _inode(file) in claimed:
                    continue  # a cross-reference its load file claimed: read as part of it
                fmt = BY_NAME.get(sniff_file(file))
                if fmt is not None and fmt.references is not None:
                    claimed.update(_inode(p) for p in fmt.references(file, root))
            except Exception:  # said when the walk reads the file itself
                continue
    return claimed


def _inode(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def unreadable(root: Path, file: Path, reason: str) -> SourceFile:
    """A file or folder that cannot be read: a source of its own, recorded with the reason."""
    try:
        rel = file.relative_to(root).as_posix()
    except ValueError:
        rel = file.name
    return SourceFile(
        path=readable(rel or file.name),
        local_path=file,
        sha256="",
        size=0,
        format="unreadable",
        custodian="",
        reason=readable(reason),
        file=readable(str(file.absolute())),
    )


def make_source(
    file: Path,
    rel: str,
    rule: CustodianRule | str | None,
    *,
    maildir_folder: str | None = None,
    inner: str | None = None,
    parent: str | None = None,
    parent_file: str | None = None,
    sha256: str | None = None,
) -> SourceFile:
    """Describe one file: its format, and whose mailbox it is by the dump root's `rule` (a name
    the reporter gave, or None, is the rule of that name or of the layout). An archive member
    is placed by its path inside the archive (`inner`). Names that are not UTF-8 are stored
    with their odd bytes escaped (record.readable); the file is opened by its real name."""
    rel, inner = readable(rel), readable(inner) if inner else inner
    try:
        fmt = sniff_file(file, rel)
        digest = sha256 or sha256_file(file)
        size = file.stat().st_size
    except OSError as exc:
        return unreadable(file.parent, file, f"cannot be read: {exc.strerror or exc}")
    if not isinstance(rule, CustodianRule):
        rule = decide(file, rule)
    custodian, folder, how = rule.of(inner or rel, fmt)
    return SourceFile(
        path=rel,
        local_path=file,
        sha256=digest,
        size=size,
        format=fmt,
        custodian=custodian,
        custodian_given=how == "named",
        custodian_rule=how,
        parent=parent,
        folder=readable(maildir_folder) if maildir_folder else folder,
        file=f"{parent_file}!/{inner}" if parent_file else readable(str(file.resolve())),
    )


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
