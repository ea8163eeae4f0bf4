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
`Source`'s `load` and then `compare_for_window`, with a `Budget` it stops when the
dialog closes.

Past `ISOLATE_ABOVE` bytes `compare_for_window` compares in a child process
(`python -m explorer.application.comparing`, the sides pickled through a pipe, never a
file): on a worker thread, seconds of Python and one long parse would hold the GIL, and
every call the GUI thread makes into Python while painting would wait for it (the
dialog's first paint took 0.5 s beside a 5 MB comparison). The lines come back joined,
one string a side, so reading the answer is a few short calls (tests/bench/bench_diff.py).
"""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from explorer.application.isolated_check import _child_environment
from explorer.core.diff.budget import Budget, Stopped
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
ISOLATE_ABOVE = 512 * 1024  # bytes of both bodies; smaller ones take less than a child's start
TIME_LIMIT = 120.0  # seconds for the child's whole comparison
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


def compare_for_window(left: Side, right: Side, budget: Budget | None = None) -> Comparison:
    """`compare`, in a child process when the bodies are large (see the module's
    docstring); stopping the budget kills the child."""
    budget = budget or Budget()
    if len(left.body) + len(right.body) <= ISOLATE_ABOVE:
        return compare(left, right, budget)
    return compare_in_child(left, right, budget)


def compare_in_child(
    left: Side, right: Side, budget: Budget, time_limit: float = TIME_LIMIT
) -> Comparison:
    """`compare` run by `python -m explorer.application.comparing`."""
    budget.check()
    job = pickle.dumps((left, right), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a traceback could quote a body
            env=_child_environment(),
        )
    except OSError as error:
        raise CompareError(f"The comparison could not start: {error}") from None
    # Written here, not by communicate(): a communicate() retried after a timeout never
    # writes the rest of its input (CPython registers stdin only on the first call).
    # The child reads all of it before anything else, so this does not block for long.
    assert child.stdin is not None
    try:
        child.stdin.write(job)
        child.stdin.flush()
    except OSError:
        pass  # the child is gone: its exit status says so below
    waited = 0.0
    while True:
        try:
            answer, _ = child.communicate(timeout=0.05)  # closes stdin: the child's EOF
            break
        except subprocess.TimeoutExpired:
            waited += 0.05
            if budget.stopped or waited > time_limit:
                child.kill()
                child.communicate()
                if budget.stopped:
                    raise Stopped from None
                raise CompareError(f"The comparison took longer than {time_limit:g} s.") from None
    if child.returncode != 0 or not answer:
        raise CompareError(f"The comparison failed (exit status {child.returncode}).")
    comparison, left_text, right_text = pickle.loads(answer)  # our own child's answer
    if not isinstance(comparison, Comparison):
        raise CompareError("The comparison gave no answer.")
    body = comparison.body
    return dataclasses.replace(
        comparison,
        body=dataclasses.replace(
            body,
            left_lines=_split(left_text),
            right_lines=_split(right_text),
        ),
    )


def _joined(comparison: Comparison) -> tuple[Comparison, str | None, str | None]:
    """The comparison without its lines, and each side's lines as one string (None for
    no line): a pickle of two strings reads in milliseconds, of 800,000 in 100 ms."""
    body = comparison.body
    empty = dataclasses.replace(body, left_lines=(), right_lines=())
    return (
        dataclasses.replace(comparison, body=empty),
        "\n".join(body.left_lines) if body.left_lines else None,
        "\n".join(body.right_lines) if body.right_lines else None,
    )


def _split(text: str | None) -> tuple[str, ...]:
    # A line never holds a line break (splitlines, JSON escapes), so "\n" joins and splits.
    return () if text is None else tuple(text.split("\n"))


def main() -> int:
    """The child: read two sides on stdin, write their comparison on stdout."""
    import gc

    gc.disable()  # nothing cyclic to find in freshly parsed JSON (see format_worker)
    left, right = pickle.loads(sys.stdin.buffer.read())
    answer = _joined(compare(left, right))
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


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
    if all(info.kind is ContentKind.JSON for info in kinds):
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


if __name__ == "__main__":
    # Run as the imported module, so that what is pickled names
    # explorer.application.comparing's classes, not __main__'s.
    from explorer.application import comparing

    sys.exit(comparing.main())
