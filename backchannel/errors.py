"""The root of backchannel's own exceptions. Each says what went wrong in a sentence a reporter
can act on; the command line catches the root once (cli.py) and prints that sentence, with
its exit status, never a traceback. Each class keeps the standard base it had (ValueError,
RuntimeError, LookupError) for code that catches those."""

from __future__ import annotations


class BackchannelError(Exception):
    exit_code = 1
    # What the command line says was refused, before the reason ("roster refused: …").
    refused = ""

    def sentence(self) -> str:
        return f"{self.refused} refused: {self}" if self.refused else str(self)
