"""A production volume's files as its load file names them: paths written on Windows, relative
to the volume (`.\\VOL01\\TEXT\\a.txt`, `\\VOL001\\NATIVES\\b.msg`, `NATIVE\\00\\c.xlsx`), or
absolute on the producer's machine (`D:\\Exports\\VOL001\\...`), in whatever case, found on
this machine without ever leaving the dump."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from ..record import SourceFile

_SEPARATORS = re.compile(r"[\\/]+")
_DRIVE = re.compile(r"^[A-Za-z]:$")
LEVELS_UP = 2  # a volume's paths are relative to its load file's folder or one of the two above


def _within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


class Volume:
    """Finds the files a load file names. `root` is the folder nothing is read outside of:
    the dump root (a load file given alone: its own folder)."""

    def __init__(self, load_file: Path, root: Path, prefix: str = ""):
        self.load_file = load_file.resolve()
        self.root = root.resolve()
        self.prefix = prefix  # an archive's path before its members' ("prod.zip!/")
        folder = self.load_file.parent
        bases = [folder, *list(folder.parents)[:LEVELS_UP]]
        self.bases = [b for b in dict.fromkeys(bases) if _within(b, self.root)]
        self._listings: dict[Path, dict[str, str]] = {}
        self._hit: tuple[int, Path] | None = None  # (folders dropped, base) that found the last

    @classmethod
    def of(cls, src: SourceFile) -> Volume:
        """The volume of a load file met by the walk: nothing outside the dump root it was
        found under (where its path, relative to the root, begins) is read."""
        local = src.local_path.resolve()
        inner = src.path.rsplit("!/", 1)[-1]
        depth = len(PurePosixPath(inner).parts)
        if src.parent is not None and not local.as_posix().endswith("/" + inner):
            return cls(local, local.parent)  # an archive's member alone in a scratch folder
        prefix = src.path[: -len(inner)] if src.parent is not None else ""
        return cls(local, local.parents[depth - 1] if depth >= 1 else local.parent, prefix)

    def find(self, value: str) -> Path | None:
        """The file a load file's path names, or None. Leading folders the producer's machine
        had (a drive, an export folder, the volume's name) are dropped one by one until the
        rest is found under the load file's folder or one above it; at least the file and its
        folder must match."""
        parts = _parts(value)
        if not parts:
            return None
        keep = min(2, len(parts))
        if self._hit is not None and self._hit[0] <= len(parts) - keep:
            # A volume's paths are all written alike: where the last was found, look first.
            found = self._lookup(self._hit[1], parts[self._hit[0] :])
            if found is not None:
                return found
        for drop in range(len(parts) - keep + 1):
            for base in self.bases:
                found = self._lookup(base, parts[drop:])
                if found is not None:
                    self._hit = (drop, base)
                    return found
        return None

    def relative(self, path: Path) -> str:
        """A found file's path as the corpus names files: relative to the dump root."""
        return self.prefix + Path(os.path.relpath(path, self.root)).as_posix()

    def _lookup(self, base: Path, parts: list[str]) -> Path | None:
        """The file at `parts` under `base`: as written (one stat), else folder by folder in
        any case. `parts` hold no "..": what is found is under `base`, so under the root."""
        exact = base.joinpath(*parts)
        if os.path.isfile(exact):
            return exact
        here = base
        for part in parts:
            if os.path.exists(here / part):
                here = here / part
                continue
            name = self._listing(here).get(part.casefold())
            if name is None:
                return None
            here = here / name
        return here if os.path.isfile(here) else None

    def _listing(self, folder: Path) -> dict[str, str]:
        """A folder's names by their folded case (Windows paths ignore case)."""
        if folder not in self._listings:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            self._listings[folder] = {n.casefold(): n for n in names}
        return self._listings[folder]


def holds_mail(path: Path) -> str | None:
    """The format of a file that holds mail the walk reads by itself — a mailbox (mbox, .pst)
    or a PDF (printed emails) — else None. A load file naming one leaves it to the walk,
    unless it reads the email in it itself (ingest/productions/loadfile.py)."""
    from ..formats import BY_NAME, sniff_file  # the registry imports the load file readers

    try:
        fmt = BY_NAME.get(sniff_file(path))
    except OSError:
        return None
    return fmt.name if fmt is not None and (fmt.mailbox or fmt.name == "pdf") else None


def _parts(value: str) -> list[str]:
    text = value.strip().strip('"').removeprefix("file:")
    if not text or "\n" in text:
        return []
    parts = [p for p in _SEPARATORS.split(text) if p not in ("", ".")]
    if parts and _DRIVE.match(parts[0]):
        parts = parts[1:]
    return [] if ".." in parts else parts
