"""Errors meant for people: each names the file, the line where there is one, and what to do."""
from __future__ import annotations

from pathlib import Path

# The last line of a proof's errors: where the proof is (not an error itself).
PROOF_NOTE = "a proof marked not for print is in"
# What Ctrl-C prints (exit 130).
INTERRUPTED = "interrupted; the earlier output is kept"


class LayoutError(Exception):
    """A problem in the input (plan, story, style, font) that the user must fix."""

    def __init__(self, message: str, file: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return where + self.message


class ProofOnlyError(LayoutError):
    """The edition was rendered only as a proof, not for print: a story overset, or a line the house
    style does not allow. The message says what the editor must fix; `rendered` is the proof's
    render (its fit report above all)."""

    def __init__(self, message: str, rendered=None):
        super().__init__(message)
        self.rendered = rendered
