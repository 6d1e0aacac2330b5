"""Stopping a run, by Ctrl-C or by a signal, the way a crash-safe writer should stop: promptly,
quietly, its corpus at the last commit, its worker processes gone.

- In the command's process, SIGINT, SIGTERM and SIGHUP raise `Stopped` (a KeyboardInterrupt),
  so the run's own cleanup runs: the transaction rolled back, the pools terminated. A second
  signal during that cleanup ends the process at once (SQLite's files are safe either way).
- Worker processes ignore Ctrl-C (a terminal sends it to the whole process group: only the
  command should act on it), take SIGTERM's default (die, without a traceback), and are killed
  by the kernel when the command's process dies, even by SIGKILL: none is left writing
  tracebacks into a closed pipe.
- SQLite statements run in C, where no Python signal handler can run: `watch` lets a long
  statement (a VACUUM, a big query) see the signal and stop within a moment.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NAMES: dict[int, str] = {
    signal.SIGINT: "Ctrl-C",
    signal.SIGTERM: "SIGTERM",
    signal.SIGHUP: "SIGHUP",
}
_PR_SET_PDEATHSIG = 1
_state: dict[str, int] = {"signum": 0}  # the signal that stopped this process, once one has


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal."""

    def __init__(self, signum: int):
        super().__init__(NAMES.get(signum, f"signal {signum}"))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process a signal ended


def stop_requested() -> int:
    """The signal that asked this process to stop, or 0."""
    return _state["signum"]


def _on_signal(signum: int, _frame: object) -> None:
    if _state["signum"]:  # a second signal: the cleanup itself is taking too long
        os._exit(128 + signum)
    _state["signum"] = signum
    raise Stopped(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """Inside, SIGINT, SIGTERM and SIGHUP raise Stopped in the main thread. Only there: a
    command run in another thread keeps the handlers it has."""
    _state["signum"] = 0
    try:
        previous = {s: signal.signal(s, _on_signal) for s in SIGNALS}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def watch(conn: sqlite3.Connection) -> None:
    """Let a long statement on `conn` stop when a signal asks: SQLite calls back every so many
    steps, the Python handler runs there, and the statement ends "interrupted" (the caller
    then sees stop_requested())."""
    conn.set_progress_handler(lambda: 1 if _state["signum"] else 0, 100_000)


def alive(pid: int) -> bool:
    """Whether process `pid` is running (a file named after it may still be in use)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def rollback(conn: sqlite3.Connection) -> None:
    """Undo what the last commit did not keep, after a failure or a signal. Where SQLite cannot
    (the disk it would write to is gone), its journal or log undoes it at the next open."""
    try:
        conn.rollback()
    except sqlite3.Error:
        pass


def _worker_start(initializer: Callable[..., Any] | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    try:  # Linux: the kernel kills this worker when the command's process dies
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the command died before the line above
        os._exit(1)
    if initializer is not None:
        initializer()


def worker_pool(processes: int, initializer: Callable[..., Any] | None = None) -> Pool:
    """A pool of forked workers that leave stopping to the command's process."""
    context = multiprocessing.get_context("fork")
    # Ignored from the fork on: no moment in which a new worker would take Ctrl-C itself.
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to protect
        return context.Pool(processes, _worker_start, (initializer, os.getpid()))
    try:
        return context.Pool(processes, _worker_start, (initializer, os.getpid()))
    finally:
        signal.signal(signal.SIGINT, previous)


def end_pool(pool: Pool, ok: bool) -> None:
    """Let the workers finish (ok), or end them now: after a failure or a signal, waiting for
    the tasks in flight would hang on workers that are gone."""
    if ok:
        pool.close()
    else:
        pool.terminate()
    pool.join()
