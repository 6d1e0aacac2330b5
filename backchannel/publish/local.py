"""`backchannel serve` in a child process on a free local port, for as long as a `with` block
runs: what the browser tests and the page-latency benchmark need (a real server, not a client
inside the test process)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: Path, timeout: float = 30.0, command: list[str] | None = None) -> Iterator[str]:
    """Yields the server's base URL once it answers; stops it afterwards. Raises with the
    server's output if it does not answer within `timeout` seconds. `command` (given
    `--port N` at its end) is another server of the corpus, such as another environment's
    `datasette`; by default this Python's `backchannel serve --db db`."""
    port = free_port()
    command = command or [sys.executable, "-m", "backchannel.cli", "serve", "--db", str(db)]
    # Its output goes to a file: a pipe nobody reads would fill with the request log and stall it.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    server.wait()
                    log.seek(0)
                    raise RuntimeError(log.read().decode(errors="replace")) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)
        log.close()
