"""Comparing two responses: which ones, loaded from where, and the comparison itself.

A side of a comparison is a `Side`: a response's status, time, size, headers and body
(at most `MAX_BODY` bytes of it). It comes from a response a tab shows
(`side_from_response`) or from a history entry (`side_from_entry`), whose body the
history may have cut (1 MiB unless the preferences say otherwise); the side then says so.
"The previous response of this request" is the newest history entry with the same method
and URL that is not the response shown (`previous_entry`).

`compare` does the work: JSON bodies structurally (`core/diff/json_diff`) and as pretty
lines side by side, other text line by line (`core/diff/text_diff`), binary bodies by
their bytes, headers as rows. Everything here reads files or the database or takes
seconds on multi-MB bodies, so the window calls it off the GUI thread, through a
`Source`'s `load` and then `compare`, with a `Budget` it stops when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from explorer.core.diff.budget import Budget
from explorer.core.diff.headers_diff import HeaderRow, State, diff_headers
from explorer.core.diff.json_diff import JsonDiff, JsonPath, diff_json
from explorer.core.diff.json_lines import pretty_pair
from explorer.core.diff.text_diff import LineDiff, diff_lines
from explorer.core.http.exchange import Headers, Response
from explorer.core.storage.history import History, HistorySummary
from explorer.core.text.content import (
    ContentError,
    ContentKind,
    decode_text,
    detect,
    parse_json,
)
from explorer.core.units import human_size

MAX_BODY = 16 * 1024 * 1024  # bytes of each body compared; the rest is left out, and said
# Parsing JSON is one C call that holds the GIL, so a worker thread stalls the window for
# as long: about 50 ms for 5 MB here (tests/bench/bench_diff.py), the same bound as
# checking a response on the worker (application/isolated_check). Larger JSON bodies are
# compared as text, line by line, and the dialog says why.
JSON_PARSE_LIMIT = 8 * 1024 * 1024
SAME_REQUEST_LIMIT = 50  # history entries of one request offered to compare with


class CompareError(Exception):
    """A side could not be loaded; the message is one line for the dialog."""


@dataclass(frozen=True)
class Side:
    """One response to compare (immutable: it crosses from the worker to the GUI)."""

    label: str
    status: int
    reason: str
    elapsed_ms: float
    size: int  # the whole body's size, even when less was kept
    headers: Headers
    body: bytes  # at most MAX_BODY bytes
    note: str = ""  # why `body` is not the whole body, or ""


@dataclass(frozen=True)
class Source:
    """A response the user can choose to compare: a name, and how to load it (a call
    that reads a file or the database, for the worker)."""

    key: str  # the same response has the same key in every list of sources
    label: str
    load: Callable[[], Side] = field(compare=False)


@dataclass(frozen=True)
class BodyComparison:
    """The two bodies side by side as lines, their line diff, and for JSON the
    structural changes with the line each path starts on, on each side."""

    mode: str  # "json", "text", "binary" or "empty"
    left_lines: tuple[str, ...]
    right_lines: tuple[str, ...]
    lines: LineDiff
    json: JsonDiff | None = None
    left_at: dict[JsonPath, int] = field(default_factory=dict)
    right_at: dict[JsonPath, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    identical: bool = False


@dataclass(frozen=True)
class Comparison:
    left: Side
    right: Side
    body: BodyComparison
    headers: tuple[HeaderRow, ...]

    @property
    def header_changes(self) -> int:
        return sum(1 for row in self.headers if row.state is not State.SAME)

    @property
    def body_changes(self) -> int:
        """Structural changes for JSON, changed blocks of lines otherwise."""
        if self.body.json is not None:
            return self.body.json.total
        if self.body.mode == "binary":
            return 0 if self.body.identical else 1
        return self.body.lines.changed_blocks


# ---- the sides ---------------------------------------------------------------------------


def side_from_response(response: Response, label: str) -> Side:
    """A response a tab shows (its body read from its spool file when it has one)."""
    if response.body_path is not None:
        try:
            with open(response.body_path, "rb") as handle:
                body = handle.read(MAX_BODY)
        except OSError as exc:
            raise CompareError(f"The body of {label} could not be read: {exc}") from exc
    else:
        body = response.body[:MAX_BODY]
    note = _cut_note(len(body), response.body_size)
    return Side(
        label,
        response.status,
        response.reason,
        response.elapsed_ms or response.timing.total,
        response.body_size,
        response.headers,
        body,
        note,
    )


def side_from_entry(history: History, entry_id: int, label: str = "") -> Side:
    """A history entry's response; CompareError when it is gone or got no response."""
    entry = history.get(entry_id)
    if entry is None:
        raise CompareError("That history entry no longer exists.")
    summary = entry.summary
    label = label or entry_label(summary)
    if summary.status == 0:
        raise CompareError(f"{label} got no response: {summary.error or 'it failed'}")
    body = entry.response_body[:MAX_BODY]
    note = ""
    if entry.response_body_truncated:
        note = (
            f"The history kept only the first {human_size(len(entry.response_body))} of "
            f"this body ({human_size(summary.size)}): only that part is compared."
        )
    else:
        note = _cut_note(len(body), summary.size)
    return Side(
        label,
        summary.status,
        summary.reason,
        summary.elapsed_ms,
        summary.size,
        entry.response_headers,
        body,
        note,
    )


def entry_label(summary: HistorySummary) -> str:
    """ "History 14:03:22 · GET /api/items · 200" (the date too when not today)."""
    when = datetime.fromtimestamp(summary.timestamp)
    today = when.date() == datetime.now().date()
    at = when.strftime("%H:%M:%S" if today else "%Y-%m-%d %H:%M:%S")
    status = str(summary.status) if summary.status else "failed"
    return f"History {at} · {summary.method} {_path(summary.url)} · {status}"


def previous_entry(
    history: History, method: str, url: str, shown: Response | None = None
) -> int | None:
    """The id of the newest entry of this method and URL sent before the one `shown`
    (when the history holds it: same status, size and time), or the newest one."""
    entries = history.same_request(method, url, SAME_REQUEST_LIMIT)
    if shown is not None:
        elapsed = shown.elapsed_ms or shown.timing.total
        for number, summary in enumerate(entries):
            if (
                summary.status == shown.status
                and summary.size == shown.body_size
                and abs(summary.elapsed_ms - elapsed) < 1e-6
            ):
                entries = entries[number + 1 :]
                break
    return entries[0].id if entries else None


def previous_of_entry(history: History, entry_id: int) -> int | None:
    """The entry of the same method and URL sent just before entry `entry_id`."""
    entry = history.get(entry_id)
    if entry is None:
        return None
    summary = entry.summary
    entries = history.same_request(summary.method, summary.url, SAME_REQUEST_LIMIT)
    ids = [item.id for item in entries]
    if entry_id in ids:
        later = ids.index(entry_id) + 1
        return ids[later] if later < len(ids) else None
    older = [item for item in entries if item.timestamp < summary.timestamp]
    return older[0].id if older else None


def response_source(key: str, label: str, response: Response) -> Source:
    return Source(key, label, lambda: side_from_response(response, label))


def entry_source(history: History, summary: HistorySummary) -> Source:
    label = entry_label(summary)
    entry_id = summary.id
    return Source(f"history:{entry_id}", label, lambda: side_from_entry(history, entry_id, label))


def previous_source(
    history: History, method: str, url: str, shown: Response | None = None
) -> Source:
    """The previous response of a request, found when loaded (the history may still be
    storing the one shown)."""

    def load() -> Side:
        found = previous_entry(history, method, url, shown)
        if found is None:
            raise CompareError(
                f"The history has no earlier response of {method} {_path(url)} to compare with."
            )
        return side_from_entry(history, found)

    return Source(f"previous:{method} {url}", "Previous response of this request", load)


def previous_of_entry_source(history: History, entry_id: int) -> Source:
    def load() -> Side:
        found = previous_of_entry(history, entry_id)
        if found is None:
            raise CompareError("The history has no earlier response of this request.")
        return side_from_entry(history, found)

    return Source(f"previous-of:{entry_id}", "Previous response of this request", load)


def same_request_sources(history: History, method: str, url: str) -> list[Source]:
    """The history's responses of one request, newest first, as sources."""
    return [
        entry_source(history, summary)
        for summary in history.same_request(method, url, SAME_REQUEST_LIMIT)
        if summary.status
    ]


# ---- the comparison -------------------------------------------------------------------


def compare(left: Side, right: Side, budget: Budget | None = None) -> Comparison:
    """Compare two sides (seconds for multi-MB bodies: call it off the GUI thread)."""
    budget = budget or Budget()
    body = compare_bodies(left, right, budget)
    return Comparison(left, right, body, diff_headers(left.headers, right.headers))


def compare_bodies(left: Side, right: Side, budget: Budget) -> BodyComparison:
    notes = tuple(f"{side.label}: {side.note}" for side in (left, right) if side.note)
    if not left.body and not right.body:
        return BodyComparison("empty", (), (), diff_lines((), ()), notes=notes, identical=True)
    kinds = [detect(_content_type(side.headers), side.body[:4096]) for side in (left, right)]
    if any(info.kind is ContentKind.BINARY for info in kinds):
        same = left.body == right.body
        words = "identical" if same else "different"
        binary = (
            f"Binary bodies ({human_size(len(left.body))} and {human_size(len(right.body))}): "
            f"{words}, not compared line by line."
        )
        return BodyComparison(
            "binary", (), (), diff_lines((), ()), notes=(*notes, binary), identical=same
        )
    too_big = max(len(left.body), len(right.body)) > JSON_PARSE_LIMIT
    if all(info.kind is ContentKind.JSON for info in kinds) and too_big:
        notes = (
            *notes,
            f"JSON bodies over {human_size(JSON_PARSE_LIMIT)} are compared as text, line by "
            "line: parsing them would freeze the window.",
        )
    elif all(info.kind is ContentKind.JSON for info in kinds):
        try:
            values = [parse_json(side.body) for side in (left, right)]
        except ContentError as exc:
            notes = (*notes, f"{exc}: compared as text, line by line.")
        else:
            return _compare_json(values[0], values[1], notes, budget)
    texts = [
        decode_text(side.body, info.charset)  # never raises: U+FFFD for what does not decode
        for side, info in zip((left, right), kinds, strict=True)
    ]
    if left.body == right.body:  # the same bytes read in two charsets are still the same
        texts[1] = texts[0]
    left_lines, right_lines = texts[0].splitlines(), texts[1].splitlines()
    budget.check()
    lines = diff_lines(left_lines, right_lines, budget)
    return BodyComparison(
        "text",
        tuple(left_lines),
        tuple(right_lines),
        lines,
        notes=(*notes, *_inexact(lines)),
        identical=left.body == right.body,
    )


def _compare_json(
    left: object, right: object, notes: tuple[str, ...], budget: Budget
) -> BodyComparison:
    structure = diff_json(left, right, budget)
    wanted = [change.where for change in structure.changes]
    (left_lines, left_at), (right_lines, right_at) = pretty_pair(left, right, wanted, budget)
    del left, right  # the parsed documents go now; only lines stay
    lines = diff_lines(left_lines, right_lines, budget)
    if structure.cut:
        notes = (
            *notes,
            f"{structure.total:,} changes: the first {len(structure.changes):,} are listed.",
        )
    return BodyComparison(
        "json",
        tuple(left_lines),
        tuple(right_lines),
        lines,
        structure,
        left_at,
        right_at,
        (*notes, *_inexact(lines)),
        identical=structure.total == 0,
    )


def _inexact(lines: LineDiff) -> tuple[str, ...]:
    if lines.exact:
        return ()
    return (
        "Parts too large to align line by line are shown as one changed block each "
        "(more than about a million lines, or long stretches with no line in common).",
    )


def _cut_note(kept: int, size: int) -> str:
    if kept >= size:
        return ""
    return f"only the first {human_size(kept)} of {human_size(size)} are compared."


def _content_type(headers: Headers) -> str:
    for name, value in headers:
        if name.lower() == "content-type":
            return value
    return ""


def _path(url: str) -> str:
    """The URL without its scheme and host."""
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else rest
