"""Server-sent events: a `text/event-stream` body read incrementally, as the WHATWG HTML
standard's "event stream interpretation" (§9.2.6) reads it, into `StreamMessage`s.

The bytes are decoded as UTF-8 (invalid sequences replaced, one leading BOM dropped) and
split into lines at CRLF, LF or CR. A blank line dispatches the event built so far;
`data:` lines are joined with "\\n"; `event:` sets its type ("message" when none);
`id:` (without NUL) sets the last event id, which outlives the event and is what a
reconnect sends as `Last-Event-ID`; `retry:` (ASCII digits only) sets the reconnection
time; a line starting with ":" is a comment; unknown fields are ignored; what is pending
when the stream ends is dropped. Any split of the bytes into chunks gives the same
events (a CRLF split across two chunks included): the property test checks it.

Bounded: a server may send one endless line or an endless event. At most
MAX_EVENT_CHARS characters of a line and of an event's data are kept; the rest is
counted, not stored, and the event is dispatched with CUT_MARK at the end of its data
and its whole size in `size`. The parser never raises on any input.
"""

from __future__ import annotations

import codecs
import re
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from explorer.core.model import Pair, Request
from explorer.core.streams import MAX_KEPT_MESSAGES, StreamMessage

EVENT_STREAM = "text/event-stream"
# An event's data (and one line) past this many characters is cut (1 MiB of ASCII).
MAX_EVENT_CHARS = 1 << 20
CUT_MARK = "\n[… cut: the event was longer than the limit]"
# Room on a line for its field name and colon beyond the data it may carry.
_FIELD_ROOM = 64
DEFAULT_TYPE = "message"
_LINE_END = re.compile(r"\r\n?|\n")
_DIGITS = re.compile(r"[0-9]+")


def is_event_stream(content_type: str) -> bool:
    """True for a `text/event-stream` media type (parameters and case ignored)."""
    return content_type.split(";", 1)[0].strip().lower() == EVENT_STREAM


class EventStreamParser:
    """Feed it the body's bytes as they arrive; it returns the events each chunk
    completed. `last_event_id` and `retry_ms` follow what the server set."""

    def __init__(self, max_chars: int = MAX_EVENT_CHARS) -> None:
        self.max_chars = max(1, max_chars)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._started = False  # the first character seen (a BOM there is dropped)
        self._skip_lf = False  # the last chunk ended in CR: a LF first is its CRLF's end
        self._line: list[str] = []
        self._line_chars = 0
        self._line_bytes = 0  # the whole line's UTF-8 size, cut or not
        self._line_cut = False
        self._data: list[str] = []
        self._data_chars = 0
        self._data_bytes = 0
        self._data_cut = False
        self._type = ""
        self._id_buffer = ""
        self.last_event_id = ""
        self.retry_ms: int | None = None
        self.events = 0  # dispatched so far
        self._out: list[StreamMessage] = []
        self._at_ms = 0.0

    def feed(self, chunk: bytes, at_ms: float = 0.0) -> list[StreamMessage]:
        """The events that `chunk` completes, each stamped `at_ms`."""
        self._at_ms = at_ms
        self._out = []
        text = self._decoder.decode(bytes(chunk))
        if text and not self._started:
            self._started = True
            if text[0] == "\ufeff":
                text = text[1:]
        if text:
            self._feed_text(text)
        return self._out

    def close(self) -> list[StreamMessage]:
        """The stream ended: a pending event is dropped (the standard's rule); nothing
        more is dispatched."""
        self._decoder.decode(b"", final=True)
        self._line, self._data = [], []
        self._line_chars = self._data_chars = 0
        return []

    def _feed_text(self, text: str) -> None:
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        position = 0
        for match in _LINE_END.finditer(text):
            self._piece(text[position : match.start()])
            self._end_line()
            position = match.end()
        if position == len(text) and text.endswith("\r"):
            self._skip_lf = True
        self._piece(text[position:])

    def _piece(self, piece: str) -> None:
        """Part of the current line, kept up to max_chars."""
        if not piece:
            return
        self._line_bytes += len(piece.encode("utf-8", "surrogatepass"))
        room = self.max_chars + _FIELD_ROOM - self._line_chars
        if len(piece) > room:
            piece = piece[:room]
            self._line_cut = True
        if piece:
            self._line.append(piece)
            self._line_chars += len(piece)

    def _end_line(self) -> None:
        line = "".join(self._line)
        whole_bytes, cut = self._line_bytes, self._line_cut
        self._line, self._line_chars, self._line_bytes, self._line_cut = [], 0, 0, False
        if not line and not cut:
            self._dispatch()
            return
        if line.startswith(":"):
            return  # a comment (a keep-alive, often)
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            # The value's whole size: the line's less the field name and separator.
            skipped = len(line) - len(value)
            self._add_data(value, whole_bytes - skipped, cut)
        elif name == "event":
            self._type = value
        elif name == "id":
            if "\0" not in value:
                self._id_buffer = value
        elif name == "retry":
            if _DIGITS.fullmatch(value):
                self.retry_ms = int(value)

    def _add_data(self, value: str, value_bytes: int, cut: bool) -> None:
        self._data_bytes += value_bytes + 1
        if self._data_cut:
            return  # counted, not kept
        room = self.max_chars - self._data_chars
        if len(value) + 1 > room:
            value = (value + "\n")[:room]
            cut = True
        else:
            value += "\n"
        if value:
            self._data.append(value)
            self._data_chars += len(value)
        self._data_cut = self._data_cut or cut

    def _dispatch(self) -> None:
        self.last_event_id = self._id_buffer
        data, cut, size = "".join(self._data), self._data_cut, self._data_bytes
        event_type = self._type
        self._data, self._data_chars, self._data_bytes, self._data_cut = [], 0, 0, False
        self._type = ""
        if not data and not cut:
            return
        if data.endswith("\n") and not cut:
            data = data[:-1]
        size = max(size - 1, 0)  # the last line's LF is not part of the data
        if cut:
            data += CUT_MARK
        self.events += 1
        self._out.append(
            StreamMessage(
                at_ms=self._at_ms,
                direction="in",
                type=event_type or DEFAULT_TYPE,
                data=data,
                id=self.last_event_id,
                size=size,
            )
        )


def parse_events(body: bytes, max_chars: int = MAX_EVENT_CHARS) -> list[StreamMessage]:
    """Every event of a whole `text/event-stream` body (their times unknown: 0)."""
    parser = EventStreamParser(max_chars)
    return parser.feed(body)


LAST_EVENT_ID = "Last-Event-ID"


def resumed(request: Request, last_event_id: str) -> Request:
    """`request` as a reconnect sends it: its own Last-Event-ID headers replaced by
    `last_event_id` (none when it is "", as an EventSource that saw no id)."""
    headers = tuple(h for h in request.headers if h.name.strip().lower() != "last-event-id")
    if last_event_id:
        headers += (Pair(LAST_EVENT_ID, last_event_id),)
    return request.with_changes(headers=headers)


@dataclass(frozen=True)
class StreamHead:
    """An event stream's response as soon as its headers arrived, before any event."""

    status: int
    reason: str
    http_version: str
    url: str
    headers: tuple[tuple[str, str], ...]
    elapsed_ms: float  # since the send started


class EventSink(Protocol):
    """Told of an event stream as it arrives, on the sending thread: keep it quick."""

    def opened(self, head: StreamHead) -> None:
        """The final response is an event stream; its headers arrived."""

    def received(self, events: Sequence[StreamMessage]) -> None:
        """Events that a read completed, oldest first."""


class EventReader:
    """The transport's side of one event stream: parses each chunk as it arrives, keeps
    the newest MAX_KEPT_MESSAGES events, notes when the first one came, and tells the
    sink. `stopped` says why the stream ended early ("" while it runs or when the
    server closed it)."""

    def __init__(self, started: float, sink: EventSink | None = None) -> None:
        self.started = started  # perf_counter of the send's start: events' at_ms count from it
        self.sink = sink
        self.parser = EventStreamParser()
        self.kept: deque[StreamMessage] = deque(maxlen=MAX_KEPT_MESSAGES)
        self.first_event: float | None = None  # perf_counter
        self.stopped = ""

    def open(self, head: StreamHead) -> None:
        if self.sink is not None:
            self.sink.opened(head)

    def feed(self, chunk: bytes) -> None:
        now = time.perf_counter()
        events = self.parser.feed(chunk, (now - self.started) * 1000.0)
        if not events:
            return
        if self.first_event is None:
            self.first_event = now
        self.kept.extend(events)
        if self.sink is not None:
            self.sink.received(events)
