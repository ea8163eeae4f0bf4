"""What `run` made of one request: the only thing its output line and reports are made
from (see explorer.cli.run), kept apart so that a report writer need not import the run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """What happened to one request of the run, in words safe to print: every string
    that could carry a secret is masked or shown as written."""

    name: str
    folder: tuple[str, ...]
    method: str
    url: str  # as written: non-secret variables resolved, secret ones as `{{name}}`
    seconds: float
    status: int | None = None
    reason: str = ""
    final_url: str = ""  # where redirects led, masked; empty when there was none
    elapsed_ms: float = 0.0
    body_size: int = 0
    error: str = ""
    error_kind: str = ""
    hint: str = ""
    unresolved: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status is not None

    @property
    def label(self) -> str:
        return "/".join((*self.folder, self.name or self.url))
