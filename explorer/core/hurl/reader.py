"""A cursor over Hurl text and the lexical pieces of the grammar: strings, escapes,
templates, numbers, regex literals and oneline byte values.

Every scan moves forward only and looks at each character a bounded number of times, so
the parser is linear in the size of the file. Errors are FormatErrors located
"line L, column C".
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re

from explorer.core.formats.common import FormatError, line_column

SPACES = " \t"
_UNICODE = re.compile(r"\{([0-9A-Fa-f]{1,6})\}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SIMPLE_ESCAPES = {"\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class Reader:
    """The text and a position in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._newlines: list[int] | None = None  # where each line ends, made when asked

    # -- position ---------------------------------------------------------------------

    def error(self, message: str, pos: int | None = None) -> FormatError:
        return FormatError(message, line_column(self.text, self.pos if pos is None else pos))

    def line_of(self, pos: int) -> int:
        """The line (from 1) of `pos`: a binary search, not a count from the start,
        which made a file of many entries quadratic."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, pos) + 1

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, size: int = 1) -> str:
        return self.text[self.pos : self.pos + size]

    def startswith(self, prefix: str | tuple[str, ...]) -> bool:
        return self.text.startswith(prefix, self.pos)

    def line_end(self, pos: int | None = None) -> int:
        end = self.text.find("\n", self.pos if pos is None else pos)
        return len(self.text) if end < 0 else end

    def skip_spaces(self) -> int:
        """Skip spaces and tabs; how many were skipped."""
        start = self.pos
        text = self.text
        while self.pos < len(text) and text[self.pos] in SPACES:
            self.pos += 1
        return self.pos - start

    def expect_spaces(self, what: str) -> None:
        if not self.skip_spaces():
            raise self.error(f"Expected a space before {what}")

    def at_line_end(self) -> bool:
        """True at a newline, a comment or the end, after optional spaces (not moved)."""
        pos = self.pos
        while pos < len(self.text) and self.text[pos] in SPACES:
            pos += 1
        return pos >= len(self.text) or self.text[pos] in "#\n"

    def end_line(self, what: str = "the end of the line") -> None:
        """Consume `sp* comment? (newline | eof)` or fail naming what was expected."""
        self.skip_spaces()
        if self.at_end():
            return
        if self.text[self.pos] == "#":
            self.pos = self.line_end()
        if self.at_end():
            return
        if self.text[self.pos] != "\n":
            raise self.error(f"Unexpected {self._shown()}: expected {what}")
        self.pos += 1

    def _shown(self) -> str:
        word = re.match(r"\S{1,30}", self.text[self.pos : self.pos + 30])
        return repr(word.group()) if word else "text"

    # -- strings ----------------------------------------------------------------------

    def template(self, out: list[str]) -> None:
        """Copy a `{{ ... }}` template as written (on one line)."""
        end = self.text.find("}}", self.pos + 2)
        if end < 0 or self.text.find("\n", self.pos, end) >= 0:
            raise self.error("A template {{ is not closed by }} on its line")
        out.append(self.text[self.pos : end + 2])
        self.pos = end + 2

    def escape(self, allowed: str) -> str:
        """The character of the escape at `pos` (a backslash), which moves past it."""
        start = self.pos
        self.pos += 1
        if self.at_end():
            raise self.error("A backslash ends the text", start)
        char = self.text[self.pos]
        self.pos += 1
        if char == "u":
            match = _UNICODE.match(self.text, self.pos)
            if match is None:
                raise self.error("Expected \\u{hex digits}", start)
            self.pos = match.end()
            code = int(match.group(1), 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.error("Not a Unicode character", start)
            return chr(code)
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        if char in allowed:
            return char
        raise self.error(f"Invalid escape \\{char}", start)

    def quoted_string(self) -> str:
        """A `"..."` string on one line (at a quote), unescaped, templates kept."""
        return self._delimited('"', '"', "A quoted string is not closed on its line")

    def backtick_string(self) -> str:
        """A `` `...` `` oneline string."""
        return self._delimited("`", "`#", "A `string` is not closed on its line")

    def _delimited(self, quote: str, escapable: str, unclosed: str) -> str:
        """A one-line string between two `quote`s (at the first): escapes of
        `escapable` and the usual ones read, `{{templates}}` kept as written."""
        start = self.pos
        self.pos += 1
        out: list[str] = []
        text = self.text
        stops = quote + "\\{\n"
        while True:
            if self.pos >= len(text) or text[self.pos] == "\n":
                raise self.error(unclosed, start)
            char = text[self.pos]
            if char == quote:
                self.pos += 1
                return "".join(out)
            if char == "\\":
                out.append(self.escape(escapable))
            elif text.startswith("{{", self.pos):
                self.template(out)
            else:
                stop = max(_next_of(text, self.pos, stops), self.pos + 1)
                out.append(text[self.pos : stop])
                self.pos = stop

    def regex_literal(self) -> str:
        """A `/pattern/` literal (at the slash): the pattern, `\\/` turned into `/`."""
        start = self.pos
        self.pos += 1
        out: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text) or text[self.pos] == "\n":
                raise self.error("A /regex/ is not closed on its line", start)
            char = text[self.pos]
            if char == "/":
                self.pos += 1
                return "".join(out)
            if char == "\\" and self.pos + 1 < len(text) and text[self.pos + 1] != "\n":
                following = text[self.pos + 1]
                out.append("/" if following == "/" else "\\" + following)
                self.pos += 2
            else:
                stop = max(_next_of(text, self.pos, "/\\\n"), self.pos + 1)
                out.append(text[self.pos : stop])
                self.pos = stop

    def pattern(self) -> str:
        """A quoted string or a regex literal."""
        if self.peek() == '"':
            return self.quoted_string()
        if self.peek() == "/":
            return self.regex_literal()
        raise self.error('Expected a "quoted string" or a /regex/')

    def value_string(self, stop: str = "") -> str:
        """The rest of the line up to a comment (`#`) or a character of `stop`,
        unescaped, without its trailing spaces."""
        out: list[str] = []
        text = self.text
        end = self.line_end()
        stops = "#\\{" + stop
        size = 0  # characters in `out`
        kept = 0  # the first `kept` characters keep their trailing spaces (escaped ones)
        while self.pos < end:
            char = text[self.pos]
            if char == "#" or char in stop:
                break
            if char == "\\":
                out.append(self.escape("#:;"))
                size += len(out[-1])
                kept = size
            elif text.startswith("{{", self.pos):
                self.template(out)
                size += len(out[-1])
                kept = size
            else:
                next_stop = _next_of(text, self.pos, stops, end)
                if next_stop == self.pos:  # a lone "{"
                    next_stop += 1
                out.append(text[self.pos : next_stop])
                size += next_stop - self.pos
                self.pos = next_stop
        value = "".join(out)
        stripped = value.rstrip(SPACES)
        return value[: max(len(stripped), kept)]

    def key_string(self, what: str = "a name") -> str:
        """A key: letters, digits, `_-.[]@$`, escapes and templates."""
        start = self.pos
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char.isalnum() or char in "_-.[]@$":
                stop = self.pos + 1
                while stop < len(text) and (text[stop].isalnum() or text[stop] in "_-.[]@$"):
                    stop += 1
                out.append(text[self.pos : stop])
                self.pos = stop
            elif char == "\\":
                out.append(self.escape("#: "))
            elif text.startswith("{{", self.pos):
                self.template(out)
            else:
                break
        if self.pos == start:
            raise self.error(f"Expected {what}")
        return "".join(out)

    # -- typed values ----------------------------------------------------------------

    def number(self) -> str | None:
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        return match.group()

    def word(self) -> str:
        """Letters (and digits, `-`, `.`) at `pos`: a keyword; may be empty."""
        start = self.pos
        text = self.text
        while self.pos < len(text) and (text[self.pos].isalnum() or text[self.pos] in "-_."):
            self.pos += 1
        return text[start : self.pos]

    def oneline_bytes(self) -> bytes | str:
        """`base64,...;` or `hex,...;` (their bytes) or `file,...;` (its path) at `pos`."""
        start = self.pos
        if self.startswith("base64,"):
            end = self.text.find(";", self.pos)
            if end < 0:
                raise self.error("base64, is not closed by ;", start)
            encoded = re.sub(r"\s+", "", self.text[self.pos + 7 : end])
            self.pos = end + 1
            try:
                return base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise self.error("Not valid base64", start) from None
        if self.startswith("hex,"):
            end = self.text.find(";", self.pos, self.line_end())
            if end < 0:
                raise self.error("hex, is not closed by ; on its line", start)
            digits = self.text[self.pos + 4 : end].strip(SPACES)
            self.pos = end + 1
            try:
                return bytes.fromhex(digits)
            except ValueError:
                raise self.error("Not valid hex digits", start) from None
        if self.startswith("file,"):
            self.pos += 5
            self.skip_spaces()
            path = self.filename()
            self.skip_spaces()
            if self.peek() != ";":
                raise self.error("file, is not closed by ;", start)
            self.pos += 1
            if not path:
                raise self.error("file, names no file", start)
            return path
        raise self.error("Expected base64, hex, or file,", start)

    def filename(self) -> str:
        out: list[str] = []
        text = self.text
        end = self.line_end()
        while self.pos < end:
            char = text[self.pos]
            if char in "#; \t":
                break
            if char == "\\":
                out.append(self.escape("#; {}:"))
            elif text.startswith("{{", self.pos):
                self.template(out)
            else:
                stop = _next_of(text, self.pos, "#; \t\\{", end)
                if stop == self.pos:
                    stop += 1
                out.append(text[self.pos : stop])
                self.pos = stop
        return "".join(out)


_STOP_SETS: dict[str, re.Pattern[str]] = {}


def _next_of(text: str, start: int, chars: str, end: int | None = None) -> int:
    """The first index >= start of one of `chars` (before `end`), else `end`. One regex
    search: it stops at the first hit, so scanning a line costs its length once."""
    pattern = _STOP_SETS.get(chars)
    if pattern is None:
        pattern = _STOP_SETS.setdefault(chars, re.compile("[" + re.escape(chars) + "]"))
    limit = len(text) if end is None else end
    found = pattern.search(text, start, limit)
    return found.start() if found else limit
