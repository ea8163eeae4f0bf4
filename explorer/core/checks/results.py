"""What checking one response found: the facts it looked at, each assertion's result and
each captured value. Plain frozen data: it crosses threads and processes, and the
reports, the window and the command line are made from it alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.model import Assertion

# The longest text kept for an actual or expected value; longer ones end in "…".
SHOWN_VALUE_CHARS = 200


@dataclass(frozen=True)
class ResponseFacts:
    """What assertions and captures may look at in one response.

    `body` holds at most the checker's limit of the decoded body; `body_complete` is
    False when the body was larger (a body subject then fails and says why, rather
    than judging a part).
    """

    status: int
    reason: str = ""
    http_version: str = ""
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    body_size: int = 0
    body_complete: bool = True
    elapsed_ms: float = 0.0
    redirects: int = 0
    cookies: tuple[tuple[str, str], ...] = ()  # name, value of cookies the response set
    content_type: str = ""
    # The status of each redirect followed, in order (the first is what the request
    # itself got: an `openapi` check judges that one, not the redirect target's).
    redirect_statuses: tuple[int, ...] = ()


@dataclass(frozen=True)
class AssertionResult:
    """One assertion after a response: passed or not, with the values compared.

    `assertion` is None for a check a script made with `expect`. `label` is what
    reports call it (the assertion's name, else its row as text). `message` says in one
    line why it failed when that is not a plain mismatch (a body that is not JSON, a
    malformed expression). `source` is where it is written: "request", "folder A / B",
    "collection" or "script".
    """

    label: str
    passed: bool
    actual: str = ""
    expected: str = ""
    message: str = ""
    source: str = "request"
    assertion: Assertion | None = None


@dataclass(frozen=True)
class CapturedValue:
    """A variable captured from a response; `value` is None when nothing matched, and
    `message` then says why."""

    variable: str
    value: str | None
    secret: bool = False
    to_environment: bool = False
    message: str = ""
    source: str = "request"
