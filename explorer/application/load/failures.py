"""What counts as a failed request in a load test, and of which kind (the "errors" of the
progress lines): a failed assertion ("assertion"), no response ("connection", "timeout",
"other"), and a response of status 400 or more to a request that asserts nothing
("http": what Locust's own HttpUser counts as a failure; with assertions they decide).
Locust-free, so that it is tested in the test process."""

from __future__ import annotations

from explorer.application.running import RunResult

_TIMEOUT_KINDS = {"connect_timeout", "read_timeout", "total_timeout"}
_CONNECTION_KINDS = {"unknown_host", "connection_refused", "connection_failed", "tls"}


class LoadFailure(Exception):
    """A failed request as Locust's stats keep it: its repr is "kind: message", which is
    what reaches the master from a worker (errors travel as strings)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __repr__(self) -> str:
        return f"{self.kind}: {self.message}"


def failure_of(result: RunResult) -> LoadFailure | None:
    """Why `result` counts as a Locust failure, or None."""
    if result.status is None or (result.error and not result.results):
        kind = result.error_kind
        if kind in _TIMEOUT_KINDS:
            return LoadFailure("timeout", result.error)
        if kind in _CONNECTION_KINDS:
            return LoadFailure("connection", result.error)
        return LoadFailure("other", result.error or "no response")
    failed = result.failures
    if failed:
        first = failed[0]
        text = first.message or f"{first.label}: got {first.actual}"
        return LoadFailure("assertion", text)
    if result.error:
        return LoadFailure("other", result.error)
    if result.status >= 400 and not result.results:
        return LoadFailure("http", f"HTTP {result.status} {result.reason}".strip())
    return None
