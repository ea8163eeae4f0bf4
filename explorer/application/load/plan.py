"""What a load test runs: the run engine's plan and the load settings, picklable so
that the command line hands them to the child process (and its local workers) on a pipe:
never through a file, since the plan's scopes hold secret values."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from explorer.application.load.thresholds import Threshold
from explorer.application.running import RunPlan, Selected, folder_selection, whole_collection

Role = Literal["local", "master", "worker"]

MAX_USERS = 100_000
MAX_DURATION = 7 * 24 * 3600.0  # a week: longer is a mistake, not a load test
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


@dataclass(frozen=True)
class LoadSettings:
    """How the load runs: users and their pace, when it stops, how it is judged and
    reported, and this process's part (one machine, a master, or a worker)."""

    users: int
    spawn_rate: float
    duration: float | None = None  # seconds; None: --iterations stops it
    iterations: int | None = None  # per virtual user
    think_time: float = 0.0  # seconds between two requests of a user
    thresholds: tuple[Threshold, ...] = ()
    reports: tuple[tuple[str, str], ...] = ()  # (kind, path): html, csv
    progress_json: bool = False
    role: Role = "local"
    master_host: str = "127.0.0.1"  # a worker's master; the interface a master binds
    master_port: int = 5557
    expect_workers: int = 0  # a master starts once this many workers joined
    title: str = ""  # what is loaded, for the report: "Practice / Items"
    setup: str = ""  # how, in a line (core/load_runs/command.describe_setup)


@dataclass(frozen=True)
class LoadJob:
    """A plan (scripts never run in a load test; OAuth tokens are fetched by the child
    from its own secret store) and its settings."""

    plan: RunPlan
    settings: LoadSettings

    @property
    def names(self) -> list[str]:
        """ "METHOD name" of each selected request, in order: the stats' names."""
        return [request_name(folder, item) for folder, item in self.plan.selection]

    def picklable(self) -> LoadJob:
        return replace(self, plan=replace(self.plan, tokens=None, scripts=None))


def request_name(folder: tuple[str, ...], item: object) -> str:
    from explorer.core.collection import RequestItem

    assert isinstance(item, RequestItem)
    label = "/".join((*folder, item.name or item.request.url))
    return f"{item.request.method} {label}"


def parse_duration(text: str) -> float:
    """`30s`, `2m`, `500ms`, `1h`, or a number of seconds -> seconds; ValueError."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"expected a duration like 30s, 500ms, 2m, got {text!r}")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds > MAX_DURATION:
        raise ValueError(f"{text!r} is longer than a week")
    return seconds


def select(plan: RunPlan, requests: list[str], folders: list[str]) -> tuple[Selected, ...]:
    """The requests named by `--request` (a name, or its folder path and name joined by
    "/") and every request under each `--folder` (names joined by "/"), in collection
    order; everything when neither is given. LookupError names what is not there."""
    everything = whole_collection(plan.collection)
    if not requests and not folders:
        return everything
    chosen: set[int] = set()
    for wanted in requests:
        found = [
            position
            for position, (folder, item) in enumerate(everything)
            if wanted in (item.name, "/".join((*folder, item.name)))
        ]
        if not found:
            raise LookupError(f"no request named {wanted!r} in {plan.collection.name!r}")
        chosen.update(found)
    for wanted in folders:
        path = tuple(part for part in wanted.split("/") if part)
        under = {id(item) for _folder, item in folder_selection(plan.collection, path)}
        chosen.update(i for i, (_f, item) in enumerate(everything) if id(item) in under)
    return tuple(everything[position] for position in sorted(chosen))
