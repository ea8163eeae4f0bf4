"""Pretty-prints a large JSON document in bounded memory, the same text `pretty_json` makes.

Parsing a whole 100 MB body into objects and dumping it costs about 9× the body in memory
(docs/ARCHITECTURE.md: Large bodies), so 1 GiB cannot be formatted that way. Here only the
big containers are walked by hand: the document is read in windows of 1 MiB, a regular
expression finds the longest run of complete siblings in the window (balanced brackets,
whole strings: it decides nothing else), and each run is formatted by `pretty_json` wrapped
in its container's brackets, then re-indented to its depth. orjson still does all the
parsing, escaping and number writing, so each run comes out exactly as the whole document
would; a sibling too big for a window is entered instead, one level deeper.

Differences from formatting the whole document at once, both rare and arguably better:
- A key repeated in a huge object is shown twice when its copies fall in different runs
  (the whole-document parse keeps the last value at the first place); copies inside one
  run still merge.
- A run holding an integer of 19+ digits is formatted by the standard library, so
  integers beyond 64 bits stay exact, as before; floats elsewhere keep orjson's spelling
  (the whole-document fallback wrote every float of the document the stdlib way).

Invalid JSON raises ContentError with the standard library's message and the line and
column in the whole document, as `pretty_json` reports them.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Callable
from itertools import accumulate
from typing import NoReturn

import orjson

from explorer.core.text.content import ContentError, has_long_integer, pretty_json

WINDOW = 1 << 20  # bytes of input one run is looked for in (the parse of a run is that big)
FIRST_WINDOW = 64 << 10  # the first runs are small, so the first screen comes at once
MAX_VALUE = 256 << 20  # a single string or number longer than this is not formatted
MAX_DEPTH = 10_000  # containers entered one inside another (each costs ~100 bytes)
_NESTING = 5  # levels inside one sibling the run finder balances; deeper ones are entered

_STRING = rb'"(?:[^"\\]++|\\.)*+"'


def _balanced(inner: bytes) -> bytes:
    return rb"(?:" + _STRING + rb"|[^\"\[\]{}]++|\[" + inner + rb"\]|\{" + inner + rb"\})*+"


def _run_pattern() -> re.Pattern[bytes]:
    inner = rb"(?:" + _STRING + rb"|[^\"\[\]{}]++)*+"
    for _ in range(_NESTING - 1):
        inner = _balanced(inner)
    # One sibling: strings, scalars, colons and balanced containers, but no top-level comma;
    # it must be followed (in the window) by a comma or a closer, so a number or string cut
    # off by the window's end is never taken for a whole one.
    sibling = rb"(?:" + _STRING + rb"|[^\"\[\]{},]++|\[" + inner + rb"\]|\{" + inner + rb"\})++"
    sibling += rb"(?=\s*+[,\]}])"
    return re.compile(sibling + rb"(?:," + sibling + rb")*")


_RUN = _run_pattern()
_SPACE = re.compile(rb"[ \t\r\n]*+")
_KEY = re.compile(_STRING + rb"[ \t\r\n]*+:[ \t\r\n]*+")
_CLOSER = {ord("["): ord("]"), ord("{"): ord("}")}
_CONTINUATION = bytes(range(0x80, 0xC0))
_OPENERS = (ord("["), ord("{"))
# Folds: an opener line's end becomes \x01, a closer line's start \x02.
_MARKS = ((b"{\n", b"\x01\n"), (b"[\n", b"\x01\n"), (b"\n}", b"\n\x02"), (b"\n]", b"\n\x02"))
_ALL_BUT_MARKS = bytes(b for b in range(256) if b not in (0x01, 0x02, 0x0A))
_CLOSER_AS_OPENER = bytes(0x01 if b == 0x02 else b for b in range(256))
_SIGNATURE = re.compile(rb'[ \t\r\n]*+,[ \t\r\n]*+(?:\{"[^"\\]{1,12}"|[\[{"]|[^ \t\r\n,]{0,3})')


class NotStreamable(Exception):
    """The document is not a container (a lone huge scalar): format it whole instead."""


def _chars(data: bytes) -> int:
    """Characters in UTF-8 `data` (bytes that do not continue a sequence)."""
    return len(data.translate(None, _CONTINUATION))


class FoldCollector:
    """Folding ranges of pretty JSON fed in pieces, as `json_folds` finds them in the whole.

    Per line the work is C-level byte operations: without spaces an opener line ends in
    `{\n` or `[\n` and a closer line starts with `\n}` or `\n]` (pretty JSON has no raw
    newline in a string), so replacing those by marks and deleting every other byte leaves
    only newlines and marks; splitting at the marks gives each one's line. Only brackets go
    through a Python loop. A regular expression with a loop per match took 3.2 s of 100 MB,
    this about a third. Openers get their index when they open, so the ranges come out
    sorted by first line without a sort (a sort of 14 million ranges takes gigabytes).
    """

    def __init__(self) -> None:
        self.starts: array[int] = array("I")
        self.ends: array[int] = array("I")
        self._stack: list[int] = []
        self._line = 0  # the line number of the first line of _carry
        self._carry = b""

    def feed(self, text: bytes) -> None:
        """Scan the whole lines of `text`; a partial last line waits for the next piece."""
        cut = text.rfind(b"\n")
        if cut < 0:
            self._carry += text
            return
        self._lines(self._carry + text[:cut])
        self._carry = text[cut + 1 :]

    def finish(self) -> tuple[array[int], array[int]]:
        """Scan what is left; returns (first lines, last lines)."""
        self._lines(self._carry)
        self._carry = b""
        return self.starts, self.ends

    def _lines(self, segment: bytes) -> None:
        """Scan whole lines (`segment` has no newline at either end)."""
        marked = (b"\n" + segment + b"\n").translate(None, b" ")
        for bracket, mark in _MARKS:
            marked = marked.replace(bracket, mark)
        marked = marked.translate(None, _ALL_BUT_MARKS)  # "\n" between lines, 1 or 2 in one
        kinds = marked.translate(None, b"\n")
        before = self._line - 1  # the first newline is the one put in front
        self._line += marked.count(b"\n") - 1
        if not kinds:
            return
        gaps = marked.translate(_CLOSER_AS_OPENER).split(b"\x01")
        gaps.pop()  # after the last mark
        starts, ends, stack = self.starts, self.ends, self._stack
        push, pop, start, end = stack.append, stack.pop, starts.append, ends.append
        for newlines, kind in zip(accumulate(map(len, gaps)), kinds, strict=True):
            if kind == 1:
                push(len(starts))
                start(before + newlines)
                end(0)
            elif stack:
                ends[pop()] = before + newlines


class _Container:
    __slots__ = ("closer", "items", "misses", "opener", "signature")

    def __init__(self, opener: int) -> None:
        self.opener = opener
        self.closer = _CLOSER[opener]
        self.items = 0  # siblings written so far
        # How the boundary between two siblings looked (a comma and how the next one
        # began): the next run is guessed to end at its last copy in the window.
        self.signature = b""
        self.misses = 0


class JsonStreamer:
    """Reads a JSON document with `read(n)` and writes its pretty text with `write`."""

    def __init__(self, read: Callable[[int], bytes], write: Callable[[bytes], None]) -> None:
        self._read = read
        self._write = write
        self._buf = b""
        self._pos = 0
        self._base = 0  # offset in the document of _buf[0]
        self._eof = False
        self._window = FIRST_WINDOW
        self._lines_before = 0  # newlines before _buf, and characters after the last one
        self._column_before = 0
        self._stack: list[_Container] = []

    # -- input ---------------------------------------------------------------------

    def _fill(self, wanted: int) -> None:
        """Have `wanted` bytes from _pos in the buffer, or all that is left."""
        if len(self._buf) - self._pos >= wanted or self._eof:
            return
        gone = self._buf[: self._pos]
        nl = gone.rfind(b"\n")
        if nl >= 0:
            self._lines_before += gone.count(b"\n")
            self._column_before = _chars(gone[nl + 1 :])
        else:
            self._column_before += _chars(gone)
        parts = [self._buf[self._pos :]]
        have = len(parts[0])
        self._base += self._pos
        while have < wanted:
            chunk = self._read(max(wanted - have, WINDOW))
            if not chunk:
                self._eof = True
                break
            parts.append(chunk)
            have += len(chunk)
        self._buf, self._pos = b"".join(parts), 0

    def _peek(self) -> int:
        """The next byte that is not white space, or -1 at the end of the document."""
        while True:
            self._pos = _SPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if self._eof:
                return -1
            self._fill(WINDOW)

    # -- output --------------------------------------------------------------------

    def run(self) -> None:
        """Write the whole pretty text. Raises ContentError or NotStreamable."""
        self._fill(WINDOW)
        if self._buf.startswith(b"\xef\xbb\xbf"):
            self._pos = 3
        first = self._peek()
        if first not in _OPENERS:
            raise NotStreamable
        self._open(first, b"")
        while self._stack:
            self._step()
        if self._peek() != -1:
            self._fail(b"0")  # "Extra data" after the document

    def _open(self, opener: int, line_start: bytes) -> None:
        if len(self._stack) >= MAX_DEPTH:
            raise ContentError(f"Not formatted: nested deeper than {MAX_DEPTH} levels")
        self._write(line_start + bytes((opener,)))
        self._stack.append(_Container(opener))
        self._pos += 1

    def _step(self) -> None:
        top = self._stack[-1]
        c = self._peek()
        if c == top.closer:
            self._stack.pop()
            indent = b"  " * len(self._stack)
            self._write(b"\n" + indent + bytes((c,)) if top.items else bytes((c,)))
            self._pos += 1
            return
        if top.items:
            if c != 0x2C:  # a comma
                self._fail(self._state_prefix(top, False))
            self._pos += 1
            self._peek()
        while True:  # until a run is written or a container entered
            self._fill(self._window)
            end = min(len(self._buf), self._pos + self._window)
            if top.signature and top.misses < 2 and self._guess(top, end):
                return
            match = _RUN.match(self._buf, self._pos, end)
            if match is not None:
                break
            if self._entered(top):
                return
            self._grow(top)
        self._write_run(top, match.end(), None)
        if not top.signature:
            sign = _SIGNATURE.match(self._buf, self._pos)
            top.signature = sign.group() if sign is not None else b""
        self._window = min(self._window * 2, WINDOW)

    def _guess(self, top: _Container, end: int) -> bool:
        """Write the run up to the signature's last copy in the window, if that parses.

        Sound without the run finder: a piece that parses between its container's brackets,
        read from a sibling's start, is whole siblings. Saves the finder's pass (a third
        of orjson's time); a wrong guess (a copy inside a string) costs one failed parse.
        """
        cut = self._buf.rfind(top.signature, self._pos, end)
        if cut <= self._pos:
            return False
        piece = self._buf[self._pos : cut]
        if has_long_integer(piece):
            return False  # the standard library's parse, through the run finder
        try:
            value = orjson.loads(bytes((top.opener,)) + piece + bytes((top.closer,)))
        except orjson.JSONDecodeError:
            top.misses += 1
            return False
        self._write_run(top, cut, orjson.dumps(value, option=orjson.OPT_INDENT_2))
        self._window = min(self._window * 2, WINDOW)
        return True

    def _write_run(self, top: _Container, end: int, pretty: bytes | None) -> None:
        if pretty is None:
            piece = self._buf[self._pos : end]
            closer = bytes((top.closer,))
            try:
                pretty = pretty_json(bytes((top.opener,)) + piece + closer)
            except ContentError:
                self._fail(self._state_prefix(top, True))
        inner = pretty[2:-2]  # without the wrapping brackets' lines
        depth = len(self._stack)
        if depth > 1:
            pad = b"  " * (depth - 1)
            inner = pad + inner.replace(b"\n", b"\n" + pad)
        self._write((b",\n" if top.items else b"\n") + inner)
        top.items += 1
        self._pos = end

    def _entered(self, top: _Container) -> bool:
        """No whole sibling in the window: enter it if it is a container (True)."""
        at, key = self._pos, b""
        if top.opener == ord("{"):
            match = _KEY.match(self._buf, at)
            if match is None:
                return False
            key = pretty_json(self._buf[at : match.end()].rstrip(b" \t\r\n:")) + b": "
            at = match.end()
        if at >= len(self._buf) or self._buf[at] not in _OPENERS:
            return False
        separator = b",\n" if top.items else b"\n"
        top.items += 1
        self._pos = at
        self._open(self._buf[at], separator + b"  " * len(self._stack) + key)
        return True

    def _grow(self, top: _Container) -> None:
        """A long string (or a cut-off scalar): look again in a window twice as big."""
        if self._eof and self._pos + self._window >= len(self._buf):
            self._fail(self._state_prefix(top, True))
        if self._window >= MAX_VALUE:
            raise ContentError(f"Not formatted: a value over {MAX_VALUE >> 20} MB")
        self._window *= 2
        self._fill(self._window)

    # -- errors --------------------------------------------------------------------

    @staticmethod
    def _state_prefix(top: _Container, after_comma: bool) -> bytes:
        """Text that puts a parser where we are: inside `top`, before a sibling or a comma."""
        prefix = bytes((top.opener,))
        if top.items:
            prefix += b"0" if top.opener == ord("[") else b'"":0'
            if after_comma:
                prefix += b","
        return prefix

    def _fail(self, prefix: bytes) -> NoReturn:
        """Raise the standard library's message for the text from here, at its place in
        the whole document (what `pretty_json` says about the whole)."""
        self._fill(WINDOW)
        excerpt = self._buf[self._pos : self._pos + WINDOW]
        if not (self._eof and self._pos + WINDOW >= len(self._buf)):
            # Cut at an ASCII byte, so the excerpt decodes.
            while excerpt and excerpt[-1] >= 0x80:
                excerpt = excerpt[:-1]
        doc = prefix + excerpt
        try:
            json.loads(doc)
        except json.JSONDecodeError as exc:
            text = doc.decode("utf-8", "surrogatepass")
            offset = len(text[: exc.pos].encode("utf-8", "surrogatepass")) - len(prefix)
            raise ContentError(self._message(exc.msg, max(offset, 0))) from exc
        except (ValueError, RecursionError) as exc:
            raise ContentError(f"Not valid JSON: {exc}") from exc
        # The excerpt alone parsed: the trouble is only past it (a cut window).
        raise ContentError(self._message("Expecting value", len(excerpt)))

    def _message(self, msg: str, offset: int) -> str:
        """`msg` at `offset` bytes past _pos, with the whole document's line and column."""
        before = self._buf[: self._pos + offset]
        nl = before.rfind(b"\n")
        line = self._lines_before + before.count(b"\n") + 1
        if nl >= 0:
            column = _chars(before[nl + 1 :]) + 1
        else:
            column = self._column_before + _chars(before) + 1
        return f"Not valid JSON: {msg} (line {line}, column {column})"


def stream_pretty_json(read: Callable[[int], bytes], write: Callable[[bytes], None]) -> None:
    """Format the JSON document `read` returns as `pretty_json` would, writing it in pieces.

    Raises ContentError for invalid JSON, NotStreamable for a document that is not an
    object or an array (the caller formats those whole).
    """
    JsonStreamer(read, write).run()
