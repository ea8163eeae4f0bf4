"""The one error the command line shows as a line of its own (exit status 2)."""

from __future__ import annotations


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 2."""
