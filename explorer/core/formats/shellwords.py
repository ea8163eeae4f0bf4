"""Split a pasted shell command line into words, as bash or Windows cmd would.

`shlex` covers plain POSIX quoting but not `$'…'` (which browsers use in "Copy as
cURL"), `$VAR` expansion, pipes after the command, or cmd's `^` escapes and line
continuations (Chrome's "Copy as cURL (cmd)"), so this is a small hand-written lexer.
Shell variables become `{{NAME}}` placeholders so the request can be filled from an
environment instead of silently losing them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from explorer.core.formats.common import FormatError, line_column

_ANSI_SIMPLE = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = ("&&", "||", "|", ";", "&")


@dataclass(frozen=True)
class Word:
    """One shell word after quote removal, and the offset where it starts."""

    text: str
    offset: int


@dataclass
class SplitCommand:
    """The words of the first command of a line, and notes on what was left out."""

    words: list[Word] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def split_command(command: str) -> SplitCommand:
    """Split `command` (bash syntax, or cmd syntax when it uses `^` escapes)."""
    if _looks_like_cmd(command):
        return _CmdLexer(command).split()
    return _BashLexer(command).split()


def _looks_like_cmd(command: str) -> bool:
    return '^"' in command or re.search(r"\^\r?\n", command) is not None


class _BashLexer:
    """A lexer for the subset of bash that pasted curl commands use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.result = SplitCommand()

    def split(self) -> SplitCommand:
        while self._skip_blanks():
            operator = self._operator()
            if operator:
                self._stop(operator)
                break
            if self.text[self.pos] in "<>":
                self._redirect()
                continue
            if self.text[self.pos] == "#":
                self._skip_comment()
                continue
            start = self.pos
            self.result.words.append(Word(self._word(), start))
        return self.result

    def _skip_blanks(self) -> bool:
        text = self.text
        while self.pos < len(text):
            if text[self.pos] in " \t\r\n":
                self.pos += 1
            elif text.startswith("\\\n", self.pos):
                self.pos += 2
            elif text.startswith("\\\r\n", self.pos):
                self.pos += 3
            else:
                return True
        return False

    def _operator(self) -> str:
        for operator in _OPERATORS:
            if self.text.startswith(operator, self.pos):
                return operator
        return ""

    def _stop(self, operator: str) -> None:
        rest = self.text[self.pos :].strip()
        if rest:
            self.result.notes.append(f"Ignored everything from the shell operator {operator!r}.")

    def _redirect(self) -> None:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in "<>&":
            self.pos += 1
        if self._skip_blanks() and not self._operator():
            target = self._word()
            self.result.notes.append(f"Ignored the shell redirection {self.text[start]} {target}.")

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def _word(self) -> str:
        text = self.text
        out: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r\n" or self._operator() or char in "<>":
                break
            if char == "\\":
                self._backslash(out)
            elif char == "'":
                out.append(self._single_quoted())
            elif text.startswith("$'", self.pos):
                self.pos += 1
                out.append(self._ansi_quoted())
            elif text.startswith('$"', self.pos):
                self.pos += 1
                out.append(self._double_quoted())
            elif char == '"':
                out.append(self._double_quoted())
            elif char == "$":
                out.append(self._dollar())
            elif char == "`":
                out.append(self._backtick())
            else:
                out.append(char)
                self.pos += 1
        return "".join(out)

    def _backslash(self, out: list[str]) -> None:
        following = self.text[self.pos + 1 : self.pos + 2]
        if following == "\n":
            self.pos += 2
            return
        if self.text.startswith("\r\n", self.pos + 1):
            self.pos += 3
            return
        out.append(following)
        self.pos += 2

    def _closing(self, quote: str, start: int) -> int:
        end = self.text.find(quote, start + 1)
        if end < 0:
            raise FormatError(f"Unterminated {quote} quote", line_column(self.text, start))
        return end

    def _single_quoted(self) -> str:
        start = self.pos
        end = self._closing("'", start)
        self.pos = end + 1
        return self.text[start + 1 : end]

    def _ansi_quoted(self) -> str:
        start = self.pos
        text = self.text
        # \xHH and octal escapes are bytes (browsers write UTF-8 that way): build bytes.
        out = bytearray()
        self.pos += 1
        while self.pos < len(text):
            char = text[self.pos]
            if char == "'":
                self.pos += 1
                return out.decode("utf-8", errors="replace")
            if char == "\\" and self.pos + 1 < len(text):
                escaped = self._ansi_escape()
                out += escaped if isinstance(escaped, bytes) else escaped.encode("utf-8", "replace")
            else:
                out += char.encode("utf-8", "replace")
                self.pos += 1
        raise FormatError("Unterminated $' quote", line_column(text, start - 1))

    def _ansi_escape(self) -> str | bytes:
        text = self.text
        code = text[self.pos + 1]
        if code in _ANSI_SIMPLE:
            self.pos += 2
            return _ANSI_SIMPLE[code]
        if code in _HEX_LENGTH:
            digits = re.match(f"[0-9A-Fa-f]{{1,{_HEX_LENGTH[code]}}}", text[self.pos + 2 :])
            if digits:
                self.pos += 2 + len(digits.group())
                value = int(digits.group(), 16)
                return bytes([value]) if code == "x" else _safe_chr(value)
        if code in "01234567":
            digits = re.match(r"[0-7]{1,3}", text[self.pos + 1 :])
            if digits:
                self.pos += 1 + len(digits.group())
                return bytes([int(digits.group(), 8) & 0xFF])
        if code == "c" and self.pos + 2 < len(text):
            self.pos += 3
            return chr(ord(text[self.pos - 1]) & 0x1F)
        self.pos += 2
        return "\\" + code

    def _double_quoted(self) -> str:
        start = self.pos
        text = self.text
        out: list[str] = []
        self.pos += 1
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(out)
            if char == "\\" and text[self.pos + 1 : self.pos + 2] in ('"', "\\", "$", "`", "\n"):
                if text[self.pos + 1] != "\n":
                    out.append(text[self.pos + 1])
                self.pos += 2
            elif char == "$":
                out.append(self._dollar())
            elif char == "`":
                out.append(self._backtick())
            else:
                out.append(char)
                self.pos += 1
        raise FormatError('Unterminated " quote', line_column(text, start))

    def _dollar(self) -> str:
        text = self.text
        rest = text[self.pos + 1 :]
        braced = re.match(r"\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}", rest)
        plain = _NAME.match(rest)
        if braced:
            self.pos += 1 + braced.end()
            name = braced.group(1)
        elif plain:
            self.pos += 1 + plain.end()
            name = plain.group()
        else:
            if rest.startswith("("):
                self.result.notes.append("A $(…) command substitution was kept as text.")
            self.pos += 1
            return "$"
        self.result.notes.append(f"The shell variable ${name} became the variable {{{{{name}}}}}.")
        return "{{" + name + "}}"

    def _backtick(self) -> str:
        start = self.pos
        end = self._closing("`", start)
        self.pos = end + 1
        self.result.notes.append("A `…` command substitution was kept as text.")
        return self.text[start : end + 1]


def _safe_chr(code: int) -> str:
    # $'\U110000' is out of range; keep the replacement character rather than fail.
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


class _CmdLexer:
    """Windows cmd.exe: `^` escapes and continues lines; then the C runtime splits args."""

    def __init__(self, text: str) -> None:
        self.text = text

    def split(self) -> SplitCommand:
        chars, origins = self._remove_carets()
        return self._split_arguments(chars, origins)

    def _remove_carets(self) -> tuple[list[str], list[int]]:
        # cmd strips a caret and keeps the next character literally; a caret before a
        # newline joins the lines and escapes the first character of the next line.
        text = self.text
        chars: list[str] = []
        origins: list[int] = []
        in_quotes = False
        pos = 0
        while pos < len(text):
            char = text[pos]
            if char == "^" and not in_quotes and pos + 1 < len(text):
                pos += 1
                newline = 2 if text.startswith("\r\n", pos) else int(text[pos] == "\n")
                if newline:
                    # A continued line; an empty line after it is an escaped newline.
                    pos += newline
                    if text.startswith("\r\n", pos):
                        pos += 1
                    if pos >= len(text) or text[pos] != "\n":
                        continue
                if pos < len(text):
                    chars.append(text[pos])
                    origins.append(pos)
                    pos += 1
                continue
            if char == '"':
                in_quotes = not in_quotes
            chars.append(char)
            origins.append(pos)
            pos += 1
        return chars, origins

    def _split_arguments(self, chars: list[str], origins: list[int]) -> SplitCommand:
        result = SplitCommand()
        pos = 0
        while pos < len(chars):
            if chars[pos] in " \t\r\n":
                pos += 1
                continue
            if chars[pos] in "|&<>":
                if "".join(chars[pos:]).strip():
                    result.notes.append(f"Ignored everything from the cmd operator {chars[pos]!r}.")
                break
            start = pos
            text, pos = self._argument(chars, origins, pos)
            result.words.append(Word(text, origins[start]))
        return result

    def _argument(self, chars: list[str], origins: list[int], pos: int) -> tuple[str, int]:
        out: list[str] = []
        in_quotes = False
        quote_start = pos
        while pos < len(chars):
            char = chars[pos]
            if char in " \t\r\n" and not in_quotes:
                break
            if char == "\\":
                count = 0
                while pos < len(chars) and chars[pos] == "\\":
                    count += 1
                    pos += 1
                if pos < len(chars) and chars[pos] == '"':
                    out.append("\\" * (count // 2))
                    if count % 2:
                        out.append('"')
                        pos += 1
                else:
                    out.append("\\" * count)
                continue
            if char == '"':
                if in_quotes and pos + 1 < len(chars) and chars[pos + 1] == '"':
                    out.append('"')
                    pos += 2
                    continue
                in_quotes = not in_quotes
                quote_start = pos
            else:
                out.append(char)
            pos += 1
        if in_quotes:
            raise FormatError('Unterminated " quote', line_column(self.text, origins[quote_start]))
        return "".join(out), pos
