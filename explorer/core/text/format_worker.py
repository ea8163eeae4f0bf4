"""Formats a response body for the viewer, normally in a child process.

    python -m explorer.core.text.format_worker --input BODY --output OUT --mode pretty \\
        --kind json --charset utf-8 [--expression EXPR] [--folds FOLDS]

Why a child process: parsing 10-100 MB of JSON is one long C call that holds the GIL,
so even a worker thread would freeze the window for as long (docs/ARCHITECTURE.md: Large bodies).

The output file receives UTF-8 text in slices (64 KiB first, then 1 MiB). After each
slice one JSON line goes to stdout, so the viewer can show the first screen at once:

    {"event": "data", "size": N, "blocks": [newlines in each 8 KiB block of the slice]}
    {"event": "reset"}                    output restarts from zero (malformed XML)
    {"event": "notice", "message": "..."} shown beside the text (e.g. "Not valid JSON")
    {"event": "text_done", "size": N, "lines": L}
    {"event": "folds", "count": n}        FOLDS holds n uint32 first lines then n last lines
    {"event": "error", "message": "..."}  nothing usable (bad filter); exit status 2
    {"event": "done"}

The same pipeline runs in-process for small bodies (`format_in_memory`).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from explorer.core.text.content import (
    ContentError,
    ContentKind,
    FilterError,
    apply_filter,
    incremental_utf8_transcoder,
    json_folds,
    pretty_json,
    pretty_json_head,
)
from explorer.core.text.json_stream import FoldCollector, NotStreamable, stream_pretty_json
from explorer.core.text.text_buffer import BLOCK

FIRST_SLICE = 8 * BLOCK  # small first slice: the first screen needs only a few KB
PREVIEW_INPUT = 64 * 1024  # bytes of a large JSON body its first lines are made from
SLICE = 128 * BLOCK  # 1 MiB
READ_SLICE = 1 << 20
# JSON files above this are formatted as a stream (json_stream): memory stays near 20 MB
# instead of 9x the body. Below it the whole-document parse is exact in every corner
# (a key repeated far apart) and costs at most ~40 MB.
STREAM_FROM = 4 << 20
MODES = ("pretty", "raw", "filter")
_UTF8_NAMES = {"utf-8", "utf_8", "utf-8-sig", "utf8", "ascii", "us-ascii"}


@dataclass(frozen=True)
class FormatJob:
    """What to make of a body: `mode` is pretty, raw or filter (JMESPath `expression`)."""

    mode: str
    kind: ContentKind
    charset: str = "utf-8"
    expression: str = ""

    def args(self) -> list[str]:
        """Command-line arguments for the child process (without input/output)."""
        return [
            "--mode",
            self.mode,
            "--kind",
            self.kind.value,
            "--charset",
            self.charset or "utf-8",
            "--expression",
            self.expression,
        ]


@dataclass(frozen=True)
class FormatOutput:
    """The result of `format_in_memory`."""

    text: bytes
    notice: str
    folds: tuple[array[int], array[int]] | None


class MemorySink:
    """Collects output in memory (small bodies formatted in-process)."""

    def __init__(self) -> None:
        self.parts: list[bytes | memoryview] = []

    def write(self, data: bytes | memoryview) -> None:
        """Append output."""
        self.parts.append(data)

    def reset(self) -> None:
        """Forget everything written (the output restarts)."""
        self.parts.clear()

    def close(self) -> None:
        """Nothing to flush."""

    def getvalue(self) -> bytes:
        """All output."""
        return b"".join(self.parts)


class FileSink:
    """Writes output to a file in block-aligned slices and reports each on stdout."""

    def __init__(self, path: Path, emit: Callable[[dict[str, object]], None]) -> None:
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._emit = emit
        self._pending: list[bytes | memoryview] = []
        self._pending_size = 0
        self.size = 0
        self.newlines = 0

    def write(self, data: bytes | memoryview) -> None:
        """Buffer output; flush whole slices as they fill."""
        self._pending.append(data)
        self._pending_size += len(data)
        limit = FIRST_SLICE if self.size == 0 else SLICE
        if self._pending_size >= limit:
            self._flush(final=False)

    def push(self) -> None:
        """Send the whole blocks written so far at once (a preview), without waiting for
        a slice to fill."""
        self._flush(final=False)

    def _flush(self, final: bool) -> None:
        # One big write (the whole pretty text) is sliced where it is, not copied.
        pending = self._pending
        data = memoryview(pending[0] if len(pending) == 1 else b"".join(pending))
        cut = len(data) if final else len(data) - len(data) % BLOCK
        start = 0
        while start < cut:  # 1 MiB per message keeps every step in the GUI small
            piece = bytes(data[start : min(cut, start + SLICE)])
            self._file.write(piece)
            self._file.flush()
            blocks = [piece.count(b"\n", i, i + BLOCK) for i in range(0, len(piece), BLOCK)]
            self.size += len(piece)
            self.newlines += sum(blocks)
            self._emit({"event": "data", "size": self.size, "blocks": blocks})
            start += len(piece)
        rest = bytes(data[cut:])
        self._pending = [rest] if rest else []
        self._pending_size = len(rest)

    def reset(self) -> None:
        """Throw away what was written and start the output again."""
        self._pending, self._pending_size = [], 0
        self._file.seek(0)
        self._file.truncate()
        self.size = self.newlines = 0
        self._emit({"event": "reset"})

    def close(self) -> None:
        """Write what is left and close the file."""
        self._flush(final=True)
        self._file.close()


def _read_chunks(data: bytes | Path) -> Iterator[bytes]:
    if isinstance(data, bytes):
        for start in range(0, len(data), READ_SLICE):
            yield data[start : start + READ_SLICE]
        return
    with open(data, "rb") as handle:
        while chunk := handle.read(READ_SLICE):
            yield chunk


def _read_all(data: bytes | Path) -> bytes:
    return data if isinstance(data, bytes) else data.read_bytes()


def _write_raw(data: bytes | Path, charset: str, sink: MemorySink | FileSink) -> None:
    transcode = incremental_utf8_transcoder(charset)
    for chunk in _read_chunks(data):
        sink.write(transcode(chunk, False))
    sink.write(transcode(b"", True))


def _json_input(raw: bytes, charset: str) -> bytes | str:
    if (charset or "utf-8").lower() in _UTF8_NAMES:
        return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    return raw.decode(charset, errors="replace")


def _write_markup(data: bytes | Path, job: FormatJob, sink: MemorySink | FileSink) -> None:
    from explorer.core.text.markup import HtmlPrettyPrinter, XmlPrettyPrinter

    transcode = incremental_utf8_transcoder(job.charset)
    if job.kind is ContentKind.XML:
        xml = XmlPrettyPrinter()
        feed = xml.feed
    else:
        html = HtmlPrettyPrinter()
        feed = html.feed_chunk
    for chunk in _read_chunks(data):
        text = transcode(chunk, False).decode("utf-8", "surrogatepass")
        sink.write(feed(text).encode("utf-8", "surrogatepass"))
    tail = transcode(b"", True).decode("utf-8", "surrogatepass")
    sink.write(feed(tail, True).encode("utf-8", "surrogatepass"))


Folds: TypeAlias = "tuple[array[int], array[int]]"
FoldSource: TypeAlias = "Callable[[], Folds] | None"


def _stream_pretty_json(path: Path, job: FormatJob, sink: FileSink) -> tuple[str, FoldSource]:
    """The pretty text of a large JSON file, a window at a time. NotStreamable for a
    document that is not an object or an array."""
    folds = FoldCollector()

    def write(text: bytes) -> None:
        sink.write(text)
        folds.feed(text)

    try:
        with open(path, "rb") as handle:
            stream_pretty_json(handle.read, write)
    except ContentError as exc:
        sink.reset()
        _write_raw(path, job.charset, sink)
        return f"{exc.message}; showing the body as received.", None
    return "", folds.finish


def _write_pretty_json(
    data: bytes | Path, job: FormatJob, sink: MemorySink | FileSink
) -> tuple[str, FoldSource]:
    if (
        isinstance(data, Path)
        and isinstance(sink, FileSink)
        and (job.charset or "utf-8").lower() in _UTF8_NAMES
        and data.stat().st_size > STREAM_FROM
    ):
        try:
            return _stream_pretty_json(data, job, sink)
        except NotStreamable:
            pass  # nothing was written; a lone huge scalar is formatted whole below
    raw = _json_input(_read_all(data), job.charset)
    head = b""
    if isinstance(sink, FileSink) and isinstance(raw, bytes) and len(raw) > PREVIEW_INPUT:
        # Parsing 100 MB takes seconds; its first lines can be shown long before.
        head = pretty_json_head(raw[:PREVIEW_INPUT])
        sink.write(head)
        sink.push()
    try:
        out = pretty_json(raw)
    except ContentError as exc:
        if head:
            sink.reset()
        _write_raw(data, job.charset, sink)
        return f"{exc.message}; showing the body as received.", None
    if not head:
        sink.write(out)
    elif out.startswith(head):
        sink.write(memoryview(out)[len(head) :])  # the preview is already out
    else:  # the rest of the document changed its beginning (a duplicate key)
        sink.reset()
        sink.write(out)
    return "", lambda: json_folds(out)


def produce(
    data: bytes | Path, job: FormatJob, sink: MemorySink | FileSink
) -> tuple[str, FoldSource]:
    """Write the formatted body to `sink`. Returns (notice, a function that gives the
    folding ranges of pretty JSON, or None when the text is not pretty JSON).

    Content that is not what its kind says falls back to the raw text with a notice.
    Raises FilterError for a filter that cannot run.
    """
    if job.mode == "filter":
        out = apply_filter(_json_input(_read_all(data), job.charset), job.expression)
        sink.write(out)
        return "", lambda: json_folds(out)
    if job.mode == "pretty" and job.kind is ContentKind.JSON:
        return _write_pretty_json(data, job, sink)
    if job.mode == "pretty" and job.kind in (ContentKind.XML, ContentKind.HTML):
        try:
            _write_markup(data, job, sink)
        except ContentError as exc:
            sink.reset()
            _write_raw(data, job.charset, sink)
            return f"{exc.message}; showing the body as received.", None
        return "", None
    _write_raw(data, job.charset, sink)
    return "", None


def format_in_memory(data: bytes, job: FormatJob) -> FormatOutput:
    """Format a small body in this process (same result as the child process)."""
    sink = MemorySink()
    notice, folds_of = produce(data, job, sink)
    folds = folds_of() if folds_of is not None else None
    return FormatOutput(sink.getvalue(), notice, folds)


def _emit(event: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def run(argv: list[str]) -> int:
    """Entry point of the child process; returns the exit status."""
    parser = argparse.ArgumentParser(prog="format_worker")
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--mode", choices=MODES, default="pretty")
    parser.add_argument("--kind", choices=[k.value for k in ContentKind], default="text")
    parser.add_argument("--charset", default="utf-8")
    parser.add_argument("--expression", default="")
    parser.add_argument("--folds", type=Path)
    args = parser.parse_args(argv)
    job = FormatJob(args.mode, ContentKind(args.kind), args.charset, args.expression)
    # Parsing builds millions of objects that are never cyclic: the cyclic GC would
    # spend most of the parse walking them (1064 ms vs 336 ms at 50 MB, docs/ARCHITECTURE.md).
    gc.disable()
    sink = FileSink(args.output, _emit)
    try:
        notice, folds_of = produce(args.input, job, sink)
    except FilterError as exc:
        _emit({"event": "error", "message": exc.message})
        return 2
    finally:
        sink.close()
    if notice:
        _emit({"event": "notice", "message": notice})
    _emit({"event": "text_done", "size": sink.size, "lines": sink.newlines + 1})
    if folds_of is not None and args.folds is not None:
        starts, ends = folds_of()
        del folds_of
        with open(args.folds, "wb") as handle:
            starts.tofile(handle)
            ends.tofile(handle)
        _emit({"event": "folds", "count": len(starts)})
    _emit({"event": "done"})
    return 0


if __name__ == "__main__":
    try:
        sys.exit(run(sys.argv[1:]))
    except BrokenPipeError:
        # The viewer went away (cancelled): nobody is listening, exit quietly.
        os._exit(1)
