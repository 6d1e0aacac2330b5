"""Stopping a run, by Ctrl-C or by a signal, the way a crash-safe writer should stop: promptly,
quietly, its corpus at the last commit, its worker processes gone.

- In the command's process, SIGINT, SIGTERM and SIGHUP raise `Stopped` (a KeyboardInterrupt)
  in the main thread, so the run's own cleanup runs (its transaction rolled back, a public
  build's scratch files removed); the command then says so in one line and ends at once. A
  second signal during that cleanup ends the process there (SQLite's files are safe either
  way). The pools' threads block these signals, so that the kernel gives them to the main
  thread, which is the one waiting for the workers.
- Worker processes ignore Ctrl-C (a terminal sends it to the whole process group: the command
  acts on it), take SIGTERM's default (die, without a traceback), and are killed by the kernel
  when the process that forked them dies, even by SIGKILL: none is left writing tracebacks
  into a closed pipe. This is set at the fork itself (os.register_at_fork), before anything a
  half-made worker could hang on.
- The command waits for its workers in short steps (`wait`): a signal handed to a thread
  other than the main one still stops it.
- After a signal the workers are killed, not asked to finish: Pool.terminate waits on locks
  that a worker killed mid-task (by the same signal, sent to the whole group) holds forever.
- SQLite statements run in C, where no Python signal handler can run: `watch` lets a long
  statement (a VACUUM, a big query) see the signal and stop within a moment.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NAMES: dict[int, str] = {
    signal.SIGINT: "Ctrl-C",
    signal.SIGTERM: "SIGTERM",
    signal.SIGHUP: "SIGHUP",
}
_PR_SET_PDEATHSIG = 1
# signum: the signal that stopped this process, once one has; active: a run is in progress.
_state: dict[str, int] = {"signum": 0, "active": 0}


def _libc_prctl() -> Callable[..., int] | None:
    """Linux's prctl, looked up here: a forked child must not load a library."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal."""

    def __init__(self, signum: int):
        super().__init__(NAMES.get(signum, f"signal {signum}"))
        self.signum = signum


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
    _state["active"] = 1
    try:
        yield
    finally:
        _state["active"] = 0
        for s, handler in previous.items():
            signal.signal(s, handler)


def exit_now(signum: int) -> None:
    """End a stopped command at once, with the status a shell gives a process that signal
    ended: what it had to undo is undone, and Python's own exit would wait on the pools'
    locks and workers that the signal may have broken."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(128 + signum)


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


def _forked_child() -> None:
    """In a process forked during a run (a pool's worker), at once: Ctrl-C is the command's,
    SIGTERM kills, and so does the death of the process (or thread) that forked it. Then the
    signals a pool's thread blocked are unblocked, with these handlers in place."""
    if _state["active"]:
        _state["active"] = _state["signum"] = 0
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for s in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_DFL)
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


os.register_at_fork(after_in_child=_forked_child)


def _worker_start(initializer: Callable[..., Any] | None, parent: int) -> None:
    if os.getppid() != parent:  # the command died as this worker was being made
        os._exit(1)
    if initializer is not None:
        initializer()


def worker_pool(processes: int, initializer: Callable[..., Any] | None = None) -> Pool:
    """A pool of forked workers that leave stopping to the command's process. The signals are
    blocked while it is made: its threads keep them blocked (the main thread takes them), and
    its workers unblock them once their handlers are set."""
    context = multiprocessing.get_context("fork")
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        return context.Pool(processes, _worker_start, (initializer, os.getpid()))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def wait(job: Any) -> Any:
    """A pool job's result (a multiprocessing AsyncResult, or anything with `get`), waited for
    in short steps. A signal's Python handler runs in the main thread, between two Python
    steps; the kernel may hand the signal to another thread (numpy's OpenBLAS threads do not
    block it), which leaves the main thread asleep on a lock whose workers the same signal
    killed. Waking every so often, it runs the handler."""
    if not isinstance(job, AsyncResult):
        return job.get()
    while True:
        try:
            return job.get(timeout=0.25)
        except multiprocessing.TimeoutError:
            continue


TERMINATE_SECONDS = 5


def end_pool(pool: Pool, ok: bool) -> None:
    """Let the workers finish (ok); after a failure, end them; after a signal, kill them (the
    command then ends at once: exit_now)."""
    if ok:
        pool.close()
        pool.join()
    elif stop_requested():
        for child in multiprocessing.active_children():
            child.kill()
    else:
        # Pool.terminate first takes the task queue's lock, which a worker that died holding
        # it never gives back (seen once in ~20 full-disk runs under load: a hang of 12
        # minutes). The workers are killed, and the pool's own clean-up gets a few seconds.
        for worker in getattr(pool, "_pool", []):  # the pool's own processes (CPython's)
            worker.kill()
        ending = threading.Thread(target=pool.terminate, daemon=True)
        ending.start()
        ending.join(TERMINATE_SECONDS)
