"""The arguments of `python -m explorer load` for what the window's form holds, so the
window and the command line share one implementation (the window runs this command).

Secret values never appear here: the command reads them from the secret store itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from explorer.core.collection import Collection, Folder, RequestItem, walk_requests

# "p95>200ms", "p99 < 1s", "errors>1%", "rps<100": what --fail-if accepts.
THRESHOLD = re.compile(r"^\s*(p50|p95|p99|errors|rps)\s*([<>])\s*(\d+(?:\.\d+)?)\s*(ms|s|%)?\s*$")
MAX_THRESHOLDS = 20


@dataclass(frozen=True)
class LoadSettings:
    target: Path  # the collection folder (or file)
    requests: tuple[str, ...] = ()  # --request NAME (none: the whole collection)
    folders: tuple[str, ...] = ()  # --folder NAME
    users: int = 10
    spawn_rate: float = 5.0
    duration_s: float | None = 30.0  # None: run `iterations` per user instead
    iterations: int = 1
    think_time_s: float = 0.0
    environment: str = ""
    data_file: str = ""
    thresholds: tuple[str, ...] = ()
    processes: int = 1  # more than 1: a Locust master and that many local workers


MAX_PROCESSES = 64


def threshold_problem(rule: str) -> str:
    """Why `rule` is not a threshold ("" when it is one), in one line (a rule pasted
    over several lines is shown on one)."""
    match = THRESHOLD.match(rule)
    shown = " ".join(rule.split())[:40]
    if match is None:
        return f"“{shown}” is not a threshold like p95>200ms, errors>1% or rps<100"
    metric, _op, _value, unit = match.groups()
    if metric == "errors" and unit not in (None, "%"):
        return f"“{shown}”: errors are a share, in %"
    if metric == "rps" and unit is not None:
        return f"“{shown}”: requests per second take no unit"
    if metric.startswith("p") and unit == "%":
        return f"“{shown}”: a latency is in ms or s"
    return ""


def _seconds(value: float) -> str:
    return f"{value:g}s"


FORM_FIELDS = (
    "users", "spawn_rate", "duration_s", "iterations", "think_time_s", "environment",
    "data_file", "thresholds", "processes",
)  # fmt: skip


MAX_FORM_NUMBER = 1e9


def form_of(settings: LoadSettings) -> dict[str, object]:
    """The window's form in `settings`, as JSON values (saved with the run)."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name in FORM_FIELDS
        for value in [getattr(settings, name)]
    }


def settings_from_form(form: dict[str, object], base: LoadSettings) -> LoadSettings:
    """`base` with the values of a saved `form` that have the right type; anything else
    (a run.json edited by hand, an older app's) keeps `base`'s. Ranges are the form's to
    bound (its spin boxes clamp)."""
    values: dict[str, object] = {}
    for name in FORM_FIELDS:
        value, default = form.get(name), getattr(base, name)
        if name == "duration_s" and value is None and name in form:
            values[name] = None
        elif name == "thresholds" and isinstance(value, list):
            values[name] = tuple(str(rule)[:60] for rule in value[:MAX_THRESHOLDS])
        elif isinstance(value, bool):  # JSON true is an int to Python: not a number here
            continue
        elif isinstance(value, int | float) and isinstance(default, int | float | None):
            if math.isfinite(value):
                # Within what a spin box takes (a 32-bit int): the form clamps the rest.
                bounded = max(0.0, min(float(value), MAX_FORM_NUMBER))
                values[name] = int(bounded) if isinstance(default, int) else bounded
        elif isinstance(value, str) and isinstance(default, str):
            values[name] = value[:1000]
    return replace(base, **values)  # type: ignore[arg-type]


def describe(settings: LoadSettings) -> str:
    """How a run was set up, in one line for its saved record and the comparison
    ("10 users at 5/s · 30 s · think 0.5 s · Staging · data.csv"): two runs are compared
    knowing what differed between them."""
    length = settings.duration_s if settings.duration_s is not None else settings.iterations
    extra = [
        settings.environment,
        Path(settings.data_file).name if settings.data_file else "",
        f"{settings.processes} processes" if settings.processes > 1 else "",
    ]
    return describe_setup(
        settings.users,
        settings.spawn_rate,
        settings.duration_s is not None,
        length,
        settings.think_time_s,
        extra,
    )


def describe_setup(
    users: int,
    spawn_rate: float,
    timed: bool,
    length: float,
    think_time_s: float,
    extra: list[str],
) -> str:
    """The one line of `describe`, for the window's form and the command's report alike:
    `length` is seconds when `timed`, else iterations per user; `extra`'s non-empty
    items follow (an environment, a data file)."""
    parts = [f"{_count(users, 'user')} at {spawn_rate:g}/s"]
    parts.append(f"{length:g} s" if timed else _count(int(length), "iteration"))
    if think_time_s:
        parts.append(f"think {think_time_s:g} s")
    return " · ".join([*parts, *(item for item in extra if item)])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def load_arguments(settings: LoadSettings, html: Path, csv: Path) -> list[str]:
    """The arguments after `python -m explorer`, with --progress json."""
    args = ["load", str(settings.target)]
    for name in settings.requests:
        args += ["--request", name]
    for name in settings.folders:
        args += ["--folder", name]
    args += ["--users", str(settings.users), "--spawn-rate", f"{settings.spawn_rate:g}"]
    if settings.duration_s is not None:
        args += ["--duration", _seconds(settings.duration_s)]
    else:
        args += ["--iterations", str(settings.iterations)]
    if settings.think_time_s:
        args += ["--think-time", _seconds(settings.think_time_s)]
    if settings.environment:
        args += ["--env", settings.environment]
    if settings.data_file:
        args += ["--data", settings.data_file]
    for rule in settings.thresholds[:MAX_THRESHOLDS]:
        args += ["--fail-if", "".join(rule.split())]
    if settings.processes > 1:
        args += ["--workers", str(min(settings.processes, MAX_PROCESSES))]
    args += ["--report", f"html:{html}", "--report", f"csv:{csv}", "--progress", "json"]
    return args


@dataclass(frozen=True)
class LoadSelection:
    """The requests (names joined by "/" under their folders) and folders to load."""

    requests: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    count: int = field(default=0, compare=False)  # how many requests that is


def selection(collection: Collection, path: tuple[int, ...]) -> tuple[LoadSelection, str]:
    """What `--request`/`--folder` name the item at index `path` of `collection` (() for
    all of it), and its label for the window ("Practice / Items / GET one"). A LookupError
    when `path` names nothing (never "all of it" instead)."""
    names: list[str] = []
    node: Collection | Folder | RequestItem = collection
    for position in path:
        if isinstance(node, RequestItem) or not 0 <= position < len(node.items):
            raise LookupError(f"no item at {path} in {collection.name!r}")
        node = node.items[position]
        names.append(node.name)
    label = " / ".join([collection.name, *names])
    joined = "/".join(names)
    if isinstance(node, RequestItem):
        return LoadSelection(requests=(joined,), count=1), label
    count = len(walk_requests(node))
    if isinstance(node, Folder):
        return LoadSelection(folders=(joined,), count=count), label
    return LoadSelection(count=count), label
