"""Zip archives: each member becomes a source of its own, inflated to a temporary file within
bounds, so that a hostile or broken archive costs an errors row and nothing more."""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import BackchannelError
from .custodians import CustodianRule
from .files import claimed_files, make_source
from .formats import BY_NAME, FORMATS, sniff
from .record import ReadError, SourceFile, disk_full
from .scratch import scratch

_CHUNK = 1 << 20


@dataclass
class ArchiveLimits:
    """How far an archive may inflate before it is treated as a zip bomb."""

    max_member_bytes: int = 16 << 30
    max_total_bytes: int = 64 << 30  # for one top-level archive, nested ones included
    max_ratio: int = 200  # inflated / compressed; text mail compresses 3-10x, zeros 1000x
    ratio_after: int = 32 << 20  # the ratio is only judged past this many bytes
    max_depth: int = 5  # zips inside zips
    max_nested: int = 10_000  # archives inside one top-level archive, at any depth
    spent: int = field(default=0, repr=False)
    nested: int = field(default=0, repr=False)


class Refused(BackchannelError):
    pass


def members(
    src: SourceFile, limits: ArchiveLimits, custodian: str | None = None, depth: int = 0
) -> Iterator[SourceFile | ReadError]:
    """Each member of the zip `src` as a SourceFile whose bytes sit in a temporary file.

    `custodian`, when the reporter named one, applies to every member; otherwise a member
    belongs to its folder in the archive (or to the archive's name, at its top level).

    The temporary file is deleted when the caller asks for the next member, so a member must be
    fully processed before the iteration goes on.
    """
    zf = _open(src, limits, depth)
    if isinstance(zf, ReadError):
        yield zf
        return
    archive_bytes = src.size or src.local_path.stat().st_size
    with zf, scratch("zip") as tmp:
        if holds_production(zf):
            yield from _volume(zf, src, limits, custodian, Path(tmp), archive_bytes)
            return
        for n, info in enumerate(zf.infolist()):
            if info.is_dir():
                continue
            local = Path(tmp) / f"member-{n}"
            got = _extract(zf, info, local, src, limits, archive_bytes)
            if isinstance(got, ReadError):
                local.unlink(missing_ok=True)
                yield got
                continue
            yield _member(src, local, *got, custodian)
            local.unlink(missing_ok=True)


def _member(
    src: SourceFile, local: Path, name: str, digest: str, custodian: str | None
) -> SourceFile:
    """A member inflated into `local`, placed by its path in the archive (the archive's name
    its root), or in the mailbox the reporter named."""
    rule = (
        CustodianRule("named", "", name=custodian)
        if custodian
        else CustodianRule("layout", PurePosixPath(src.path).stem)
    )
    return make_source(
        local,
        f"{src.path}!/{name}",
        rule,
        inner=name,
        parent=src.path,
        parent_file=src.file or src.path,
        sha256=digest,
    )


def holds_production(zf: zipfile.ZipFile) -> bool:
    """Whether a member is a production's load file (its name ends as one, its first bytes
    are one): then the archive is a volume, read whole (see _volume)."""
    claimers = [f for f in FORMATS if f.references is not None]
    endings = tuple(s for f in claimers for s in f.suffixes)
    for info in zf.infolist():
        if info.is_dir() or not info.filename.lower().endswith(endings) or info.flag_bits & 0x1:
            continue
        try:
            with zf.open(info) as member:
                head = member.read(8192)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError, zlib.error):
            continue
        fmt = BY_NAME.get(sniff(head, info.filename))
        if fmt is not None and fmt.references is not None:
            return True
    return False


def _volume(
    zf: zipfile.ZipFile,
    src: SourceFile,
    limits: ArchiveLimits,
    custodian: str | None,
    tmp: Path,
    archive_bytes: int,
) -> Iterator[SourceFile | ReadError]:
    """A zipped production: every member inflated (within the same bounds) into a folder of
    its own, its paths kept, so that the load file finds the natives and texts it names; then
    the members no load file claims, one by one. They stay until the archive is done."""
    root = tmp / "volume"
    extracted: list[tuple[Path, str, str]] = []
    for n, info in enumerate(zf.infolist()):
        if info.is_dir():
            continue
        name = _member_name(info)
        local = root / name if name else tmp / "refused"
        if local.exists():  # a second member of one name: read too, outside the volume
            local = tmp / f"member-{n}"
        try:
            local.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a member is named where this one's folder goes
            reason = f"member could not be placed in its folder: {exc.strerror or exc}"
            yield ReadError(src.path, f"member {info.filename!r}", "archive", reason)
            continue
        got = _extract(zf, info, local, src, limits, archive_bytes)
        if isinstance(got, ReadError):
            local.unlink(missing_ok=True)
            yield got
            continue
        extracted.append((local, got[0], got[1]))
    claimed = claimed_files(root)
    for local, name, digest in extracted:
        stat = local.stat()
        if (stat.st_dev, stat.st_ino) in claimed:
            continue  # a native, text or page image: read by its load file
        yield _member(src, local, name, digest, custodian)


def _open(src: SourceFile, limits: ArchiveLimits, depth: int) -> zipfile.ZipFile | ReadError:
    """The zip, or why it is not read: nested too deep, unreadable, or one archive too many
    inside one top-level archive."""
    if depth >= limits.max_depth:
        return ReadError(
            src.path, "", "archive", f"archives nested more than {limits.max_depth} deep"
        )
    try:
        zf = zipfile.ZipFile(src.local_path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return ReadError(src.path, "", "archive", f"not a readable zip archive: {exc}")
    if depth == 0:
        limits.spent = limits.nested = 0  # the budgets are per top-level archive
        return zf
    limits.nested += 1
    if limits.nested > limits.max_nested:
        zf.close()
        return ReadError(
            src.path,
            "",
            "archive",
            f"more than {limits.max_nested} archives inside one archive; refused as a "
            "possible zip bomb",
        )
    return zf


def _extract(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    local: Path,
    src: SourceFile,
    limits: ArchiveLimits,
    archive_bytes: int,
) -> tuple[str, str] | ReadError:
    """Inflate one member into `local`: its safe name and sha256, or why it was not."""
    name = _member_name(info)
    where = f"member {info.filename!r}"
    if name is None:
        return ReadError(
            src.path,
            where,
            "archive",
            "member name escapes the archive (absolute or '..'); not extracted",
        )
    if info.flag_bits & 0x1:
        return ReadError(src.path, where, "archive", "member is encrypted; not extracted")
    try:
        return name, _inflate(zf, info, local, limits, archive_bytes)
    except Refused as exc:
        return ReadError(src.path, where, "archive", str(exc))
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        zipfile.LargeZipFile,
        NotImplementedError,
        ValueError,
        zlib.error,  # a corrupt deflate stream
    ) as exc:
        if disk_full(exc):  # the scratch folder's disk, not the member: stops the run
            raise
        return ReadError(src.path, where, "archive", f"member could not be read: {exc}")


def _member_name(info: zipfile.ZipInfo) -> str | None:
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = PurePosixPath(name).parts
    if any(p == ".." for p in parts):
        return None
    return "/".join(p for p in parts if p not in ("", "."))


def _inflate(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    dest: Path,
    limits: ArchiveLimits,
    archive_bytes: int,
) -> str:
    """Copy one member out, counting real inflated bytes (a header's sizes can lie)."""
    h = hashlib.sha256()
    written = 0
    # The compressed size is the header's word: never more than the archive's own bytes.
    compressed = max(min(info.compress_size, archive_bytes), 1)
    with zf.open(info) as inp, open(dest, "wb") as out:
        while block := inp.read(_CHUNK):
            written += len(block)
            limits.spent += len(block)
            if written > limits.max_member_bytes:
                raise Refused(
                    f"member inflates past {limits.max_member_bytes} bytes; "
                    "refused as a possible zip bomb"
                )
            if limits.spent > limits.max_total_bytes:
                raise Refused(
                    f"archive inflates past {limits.max_total_bytes} bytes in all; "
                    "refused as a possible zip bomb"
                )
            if written > limits.ratio_after and written > compressed * limits.max_ratio:
                raise Refused(
                    f"member inflates more than {limits.max_ratio}x its compressed "
                    f"size ({compressed} bytes); refused as a possible zip bomb"
                )
            h.update(block)
            out.write(block)
    return h.hexdigest()
