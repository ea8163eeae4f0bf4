"""Parse a Hurl file into the syntax tree of `syntax`.

Follows Hurl's grammar (https://hurl.dev/docs/grammar.html, and the Rust parser of
hurl_core): entries of a request (method line, headers, request sections, body) and an
optional response (version and status line, headers, [Captures], [Asserts], body).
Each line is classified by how it starts (a `[Section]`, an `HTTP` status line, a
`METHOD url` line, the start of a body, or an item of the current part), then read with
the lexical pieces of `reader`. Nothing recurses, every scan is linear, and the input is
bounded (size, entries, line length, items, filters, JSON nesting): a hostile file gets
one FormatError with its line and column, never a hang.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import TypeVar

from explorer.core.formats.common import FormatError
from explorer.core.hurl.reader import Reader
from explorer.core.hurl.syntax import (
    REQUEST_SECTIONS,
    RESPONSE_SECTIONS,
    SECTION_ALIASES,
    AssertLine,
    Body,
    CaptureLine,
    Entry,
    HurlFile,
    HurlRequest,
    HurlResponse,
    KeyValue,
    MultipartItem,
    Query,
    Section,
    Value,
)

MAX_HURL_CHARS = 10 * 1024 * 1024  # a Hurl file is written by hand; 10 MB is plenty
MAX_ENTRIES = 10_000
MAX_LINE_CHARS = 1024 * 1024  # a long base64 body fits; a 100 MB line is an attack
MAX_ITEMS = 10_000  # headers or items of one section
MAX_FILTERS = 64  # filters after one query
MAX_JSON_DEPTH = 512  # nesting of a JSON body

_SECTION = re.compile(r"\[([A-Za-z]+)\][ \t]*(?:#[^\n]*)?(?=\n|\Z)")
_RESPONSE = re.compile(r"HTTP(/1\.0|/1\.1|/2|/3|/\*)?[ \t]+(\d+|\*)")
_MULTILINE_HEAD = re.compile(r"([a-z]*)((?:,[a-z]+)*)[ \t]*\n")
# "raw" is an older Hurl's name for a string whose {{templates}} are not replaced.
_MULTILINE_LANGS = ("", "json", "xml", "graphql", "base64", "hex", "raw")
_Item = TypeVar("_Item")
_COMPARISON = re.compile(r"==|!=|>=|<=|>|<")

# Queries: those that take a quoted argument, a pattern, or nothing.
QUOTED_QUERIES = frozenset(("header", "cookie", "xpath", "jsonpath", "variable", "certificate"))
PLAIN_QUERIES = frozenset(
    ("status", "version", "url", "ip", "body", "bytes", "duration", "sha256", "md5", "redirects")
)

# Filters and their arguments: s = quoted string, p = pattern (quoted or /regex/), i = int.
FILTERS: dict[str, str] = {
    "base64Decode": "",
    "base64Encode": "",
    "base64UrlSafeDecode": "",
    "base64UrlSafeEncode": "",
    "count": "",
    "dateFormat": "s",
    "daysAfterNow": "",
    "daysBeforeNow": "",
    "decode": "s",
    "first": "",
    "format": "s",
    "htmlEscape": "",
    "htmlUnescape": "",
    "jsonpath": "s",
    "last": "",
    "location": "",
    "nth": "i",
    "regex": "p",
    "replace": "ps",
    "replaceRegex": "ps",
    "split": "s",
    "toDate": "s",
    "toFloat": "",
    "toHex": "",
    "toInt": "",
    "toString": "",
    "urlDecode": "",
    "urlEncode": "",
    "urlQueryParam": "s",
    "utf8Decode": "",
    "utf8Encode": "",
    "xpath": "s",
}

# Predicate words -> canonical predicate; those after VALUED take a value.
_PREDICATE_WORDS = {
    "equals": "==",
    "notEquals": "!=",
    "greaterThan": ">",
    "greaterThanOrEquals": ">=",
    "lessThan": "<",
    "lessThanOrEquals": "<=",
    "startsWith": "startsWith",
    "endsWith": "endsWith",
    "contains": "contains",
    "includes": "includes",
    "matches": "matches",
}
VALUELESS_PREDICATES = frozenset(
    (
        "exists",
        "isEmpty",
        "isInteger",
        "isFloat",
        "isNumber",
        "isBoolean",
        "isString",
        "isCollection",
        "isList",
        "isObject",
        "isDate",
        "isIsoDate",
        "isIpv4",
        "isIpv6",
        "isUuid",
    )
)


def quote(text: str) -> str:
    """`text` as a Hurl quoted string (the inverse of Reader.quoted_string)."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def parse_hurl(text: str) -> HurlFile:
    """The syntax tree of a Hurl file; FormatError (with line and column) if it is not one."""
    if len(text) > MAX_HURL_CHARS:
        raise FormatError(f"The Hurl file is larger than {MAX_HURL_CHARS // (1024 * 1024)} MB")
    text = text.replace("\r\n", "\n")
    _check_lines(text)
    return _Parser(text).file()


def _check_lines(text: str) -> None:
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            line = text.count("\n", 0, start) + 1
            raise FormatError(
                f"Line {line} is longer than {MAX_LINE_CHARS // 1024} KB", f"line {line}, column 1"
            )
        start = end + 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.r = Reader(text)
        self.comments: list[str] = []  # the comment lines just above the current line

    # -- structure -------------------------------------------------------------------

    def file(self) -> HurlFile:
        entries: list[Entry] = []
        while True:
            self.skip_blank()
            kind = self.line_kind()
            if kind == "eof":
                return HurlFile(tuple(entries))
            if kind != "request":
                raise self.r.error("Expected a request line (METHOD URL)", self.content_start())
            if len(entries) >= MAX_ENTRIES:
                raise self.r.error(f"More than {MAX_ENTRIES} entries")
            entries.append(self.entry())

    def entry(self) -> Entry:
        request = self.request()
        self.skip_blank()
        response = self.response() if self.line_kind() == "response" else None
        return Entry(request, response)

    def skip_blank(self) -> None:
        """Skip empty and comment lines; remember the comments just above what follows."""
        r = self.r
        initial = r.pos
        block: list[str] = []
        while not r.at_end():
            start = r.pos
            r.skip_spaces()
            if r.at_end():
                break
            char = r.text[r.pos]
            if char == "\n":
                r.pos += 1
                block = []
            elif char == "#":
                end = r.line_end()
                block.append(r.text[r.pos + 1 : end].strip())
                r.pos = min(end + 1, len(r.text))
            else:
                r.pos = start
                break
        if r.pos != initial:  # a second look at the same line keeps what the first saw
            self.comments = block

    def content_start(self) -> int:
        pos = self.r.pos
        while pos < len(self.r.text) and self.r.text[pos] in " \t":
            pos += 1
        return pos

    def line_kind(self) -> str:
        """What the line at the cursor starts: eof, section, response, request, body or
        item (a header, a section's item)."""
        text = self.r.text
        pos = self.content_start()
        if pos >= len(text):
            return "eof"
        section = _SECTION.match(text, pos)
        if section and section.group(1) not in ("true", "false", "null"):
            return "section"
        if _RESPONSE.match(text, pos):
            return "response"
        if _is_request_line(text, pos):
            return "request"
        if text.startswith("{{", pos) and _is_key_value(text, pos):
            return "item"  # `{{name}}: value`, not a JSON body
        if text[pos] in '{[<`"' or text.startswith(("base64,", "hex,", "file,"), pos):
            return "body"
        return "item"

    def request(self) -> HurlRequest:
        r = self.r
        comments = tuple(self.comments)
        r.skip_spaces()
        line = r.line_of(r.pos)
        start = r.pos
        while not r.at_end() and "A" <= r.text[r.pos] <= "Z":
            r.pos += 1
        method = r.text[start : r.pos]
        r.expect_spaces("the URL")
        url_at = r.pos
        url = r.value_string()
        if not url:
            raise r.error("Expected a URL after the method", url_at)
        r.end_line()
        headers = self.items(self.key_value, "header")
        sections = self.sections(REQUEST_SECTIONS, "request")
        body = self.body() if self.line_kind() == "body" else None
        return HurlRequest(method, url, line, headers, sections, body, comments)

    def response(self) -> HurlResponse:
        r = self.r
        r.skip_spaces()
        line = r.line_of(r.pos)
        match = _RESPONSE.match(r.text, r.pos)
        assert match is not None  # line_kind said so
        r.pos = match.end()
        r.end_line("the end of the status line")
        version = "HTTP" + (match.group(1) or "")
        headers = self.items(self.key_value, "header")
        sections = self.sections(RESPONSE_SECTIONS, "response")
        body = self.body() if self.line_kind() == "body" else None
        return HurlResponse(version, match.group(2), line, headers, sections, body)

    def items(self, read: Callable[[], _Item], what: str) -> tuple[_Item, ...]:
        found: list[_Item] = []
        while True:
            self.skip_blank()
            if self.line_kind() != "item":
                return tuple(found)
            if len(found) >= MAX_ITEMS:
                raise self.r.error(f"More than {MAX_ITEMS} {what}s in a row")
            found.append(read())

    def sections(self, allowed: frozenset[str], part: str) -> tuple[Section, ...]:
        r = self.r
        found: list[Section] = []
        while True:
            self.skip_blank()
            if self.line_kind() != "section":
                return tuple(found)
            r.skip_spaces()
            at = r.pos
            match = _SECTION.match(r.text, r.pos)
            assert match is not None
            written = match.group(1)
            name = SECTION_ALIASES.get(written)
            if name is None:
                raise r.error(f"Unknown section [{written}]", at)
            if name not in allowed:
                other = "response" if part == "request" else "request"
                raise r.error(f"The section [{written}] belongs to a {other}, not a {part}", at)
            if any(section.name == name for section in found):
                raise r.error(f"The section [{written}] appears twice", at)
            r.pos = match.end()
            r.end_line()
            line = r.line_of(at)
            items: tuple[object, ...]
            if name == "MultipartFormData":
                items = self.items(self.multipart_item, "item")
            elif name == "Captures":
                items = self.items(self.capture, "item")
            elif name == "Asserts":
                items = self.items(self.assertion, "item")
            elif name == "Options":
                items = self.items(self.option, "option")
            else:
                items = self.items(self.key_value, "item")
            found.append(Section(name, items, line))

    # -- items -----------------------------------------------------------------------

    def key_value(self) -> KeyValue:
        r = self.r
        r.skip_spaces()
        line = r.line_of(r.pos)
        key = r.key_string("a name followed by ':'")
        r.skip_spaces()
        if r.peek() != ":":
            raise r.error(f"Expected ':' after {key!r}")
        r.pos += 1
        r.skip_spaces()
        value = r.value_string()
        r.end_line()
        return KeyValue(key, value, line)

    def option(self) -> KeyValue:
        """An option; `variable: name=value` with its value unquoted (value: "name=value")."""
        r = self.r
        r.skip_spaces()
        line = r.line_of(r.pos)
        key = r.key_string("an option name followed by ':'")
        r.skip_spaces()
        if r.peek() != ":":
            raise r.error(f"Expected ':' after {key!r}")
        r.pos += 1
        r.skip_spaces()
        if key != "variable":
            value = r.value_string()
        else:
            name = r.value_string(stop="=")
            if r.peek() != "=":
                raise r.error("Expected name=value after variable:")
            r.pos += 1
            r.skip_spaces()
            value = (
                name.strip() + "=" + (r.quoted_string() if r.peek() == '"' else r.value_string())
            )
        r.end_line()
        return KeyValue(key, value, line)

    def multipart_item(self) -> MultipartItem:
        r = self.r
        r.skip_spaces()
        line = r.line_of(r.pos)
        key = r.key_string("a field name followed by ':'")
        r.skip_spaces()
        if r.peek() != ":":
            raise r.error(f"Expected ':' after {key!r}")
        r.pos += 1
        r.skip_spaces()
        if not r.startswith("file,"):
            value = r.value_string()
            r.end_line()
            return MultipartItem(key, value, line=line)
        at = r.pos
        r.pos += 5
        r.skip_spaces()
        path = r.filename()
        r.skip_spaces()
        if r.peek() != ";" or not path:
            raise r.error("Expected file,NAME; in a multipart field", at)
        r.pos += 1
        r.skip_spaces()
        content_type = r.value_string()
        r.end_line()
        return MultipartItem(key, file=path, content_type=content_type, line=line)

    def capture(self) -> CaptureLine:
        r = self.r
        r.skip_spaces()
        line = r.line_of(r.pos)
        name = r.key_string("a variable name followed by ':'")
        r.skip_spaces()
        if r.peek() != ":":
            raise r.error(f"Expected ':' after {name!r}")
        r.pos += 1
        r.skip_spaces()
        query = self.query()
        filters, spaced = self.filters()
        redact = False
        if spaced and r.text.startswith("redact", r.pos) and _ends_word(r.text, r.pos + 6):
            r.pos += 6
            redact = True
        r.end_line("a filter, redact or the end of the line")
        return CaptureLine(name, query, filters, redact, line)

    def assertion(self) -> AssertLine:
        r = self.r
        r.skip_spaces()
        line = r.line_of(r.pos)
        query = self.query()
        filters, spaced = self.filters()
        if not spaced or r.at_line_end():
            raise r.error("Expected a predicate (==, contains, exists, ...)")
        negate = False
        if r.text.startswith("not", r.pos) and r.text[r.pos + 3 : r.pos + 4] in (" ", "\t"):
            r.pos += 3
            r.skip_spaces()
            negate = True
        at = r.pos
        comparison = _COMPARISON.match(r.text, r.pos)
        if comparison:
            r.pos = comparison.end()
            predicate = comparison.group()
        else:
            word = r.word()
            if word in VALUELESS_PREDICATES:
                r.end_line("the end of the assert")
                return AssertLine(query, filters, negate, word, None, line)
            if word not in _PREDICATE_WORDS:
                raise r.error(f"Unknown predicate {word or r.peek()!r}", at)
            predicate = _PREDICATE_WORDS[word]
        r.expect_spaces("the predicate's value")
        value = self.predicate_value()
        r.end_line("the end of the assert")
        return AssertLine(query, filters, negate, predicate, value, line)

    def query(self) -> Query:
        r = self.r
        at = r.pos
        word = r.word()
        if word in PLAIN_QUERIES:
            return Query(word)
        if word in QUOTED_QUERIES:
            r.expect_spaces(f"the {word} query's argument")
            if r.peek() != '"':
                raise r.error(f'Expected a "quoted" argument after {word}')
            return Query(word, r.quoted_string())
        if word == "regex":
            r.expect_spaces("the pattern")
            return Query(word, r.pattern())
        raise r.error(f"Unknown query {word or r.peek()!r}", at)

    def filters(self) -> tuple[tuple[str, ...], bool]:
        """The filters after a query, as Hurl text; and whether spaces follow them."""
        r = self.r
        found: list[str] = []
        while True:
            spaced = r.skip_spaces() > 0
            if not spaced:
                return tuple(found), False
            at = r.pos
            word = r.word()
            if word not in FILTERS:
                r.pos = at
                return tuple(found), True
            if len(found) >= MAX_FILTERS:
                raise r.error(f"More than {MAX_FILTERS} filters", at)
            found.append(self.filter_arguments(word))

    def filter_arguments(self, name: str) -> str:
        r = self.r
        parts = [name]
        for kind in FILTERS[name]:
            r.expect_spaces(f"the argument of {name}")
            if kind == "i" and r.startswith("{{"):
                template: list[str] = []
                r.template(template)  # `nth {{index}}`: an integer once resolved
                parts.append(template[0])
            elif kind == "i":
                at = r.pos
                number = r.number()
                if number is None or not re.fullmatch(r"-?\d+", number):
                    raise r.error(f"Expected an integer after {name}", at)
                parts.append(str(int(number)))
            elif kind == "p":
                was_regex = r.peek() == "/"
                parts.append(quote(r.pattern()))
                if name == "replace" and was_regex:
                    parts[0] = "replaceRegex"  # older Hurl: replace /re/ "new"
            else:
                if r.peek() != '"':
                    raise r.error(f'Expected a "quoted" argument after {name}')
                parts.append(quote(r.quoted_string()))
        return " ".join(parts)

    def predicate_value(self) -> Value:
        r = self.r
        at = r.pos
        char = r.peek()
        if r.startswith("```"):
            lang, text, data = self.multiline()
            if lang in ("base64", "hex"):
                return Value("hex", data.hex())
            return Value("string", text)
        if char == '"':
            return Value("string", r.quoted_string())
        if char == "`":
            return Value("string", r.backtick_string())
        if char == "/":
            return Value("regex", r.regex_literal())
        if r.startswith("{{"):
            out: list[str] = []
            r.template(out)
            return Value("template", out[0])
        if r.startswith(("base64,", "hex,", "file,")):
            content = r.oneline_bytes()
            if isinstance(content, bytes):
                return Value("hex", content.hex())
            return Value("file", content)
        word = re.match(r"(true|false|null)(?![\w.-])", r.text[r.pos : r.pos + 6])
        if word:
            r.pos += len(word.group(1))
            return Value("null" if word.group(1) == "null" else "boolean", word.group(1))
        number = r.number()
        if number is not None:
            return Value("number", number)
        raise r.error('Expected a value (a number, a "string", true, false, null, ...)', at)

    # -- bodies ----------------------------------------------------------------------

    def body(self) -> Body:
        r = self.r
        r.skip_spaces()
        at = r.pos
        line = r.line_of(at)
        char = r.peek()
        if r.startswith("```"):
            lang, text, data = self.multiline()
            if lang in ("base64", "hex"):
                body = Body("bytes", data=data, line=line)
            else:
                body = Body("graphql" if lang == "graphql" else "text", text, lang=lang, line=line)
        elif char in '{["':
            body = Body("json", self.json_text(), line=line)
        elif char == "<":
            body = Body("xml", self.xml_text(), line=line)
        elif char == "`":
            body = Body("text", r.backtick_string(), line=line)
        else:
            content = r.oneline_bytes()
            if isinstance(content, bytes):
                body = Body("bytes", data=content, line=line)
            else:
                body = Body("file", content, line=line)
        r.end_line("the end of the body")
        return body

    def multiline(self) -> tuple[str, str, bytes]:
        """A ``` string: (its type, its text, its bytes for base64 and hex)."""
        r = self.r
        start = r.pos
        r.pos += 3
        head = _MULTILINE_HEAD.match(r.text, r.pos)
        if head is None:
            # ```text``` on one line
            end = r.text.find("```", r.pos)
            if end < 0 or r.text.find("\n", r.pos, end) >= 0:
                raise r.error("A ``` string is not closed", start)
            text = r.text[r.pos : end]
            r.pos = end + 3
            return "", text, b""
        words = [head.group(1), *head.group(2).split(",")[1:]]
        lang = words[0] if words[0] in _MULTILINE_LANGS else ""
        attributes = [word for word in (words[1:] if lang else words) if word]
        for attribute in attributes:
            if attribute not in ("escape", "novariable"):
                raise r.error(f"Unknown multiline string type {attribute!r}", start)
        r.pos = head.end()
        end = r.text.find("```", r.pos)
        if end < 0:
            raise r.error("A ``` string is not closed", start)
        text = r.text[r.pos : end]
        r.pos = end + 3
        if "escape" in attributes:
            text = _unescape(text, r, start)
        if "novariable" in attributes and lang == "":
            lang = "raw"  # its {{templates}} are text: the importer says it cannot keep that
        if lang == "base64":
            try:
                return lang, "", base64.b64decode(re.sub(r"\s+", "", text), validate=True)
            except (binascii.Error, ValueError):
                raise r.error("Not valid base64", start) from None
        if lang == "hex":
            try:
                return lang, "", bytes.fromhex(re.sub(r"\s+", "", text))
            except ValueError:
                raise r.error("Not valid hex digits", start) from None
        return lang, text, b""

    def json_text(self) -> str:
        """The text of a JSON body (with `{{templates}}`), up to its closing bracket."""
        r = self.r
        text = r.text
        start = r.pos
        if text[start] == '"':
            r.quoted_string()
            return text[start : r.pos]
        stack: list[str] = []
        pos = start
        closing = {"{": "}", "[": "]"}
        while pos < len(text):
            char = text[pos]
            if char == '"':
                r.pos = pos
                r.quoted_string()
                pos = r.pos
                continue
            if text.startswith("{{", pos):
                r.pos = pos
                r.template([])
                pos = r.pos
                continue
            if char in closing:
                if len(stack) >= MAX_JSON_DEPTH:
                    raise r.error(f"The JSON body is nested more than {MAX_JSON_DEPTH} deep", pos)
                stack.append(closing[char])
            elif char in "}]":
                if not stack or stack.pop() != char:
                    raise r.error(f"Unexpected {char!r} in the JSON body", pos)
                if not stack:
                    r.pos = pos + 1
                    return text[start : pos + 1]
            pos += 1
        raise r.error("The JSON body is not closed", start)

    def xml_text(self) -> str:
        """The text of an XML body, up to the end of its root element."""
        r = self.r
        text = r.text
        start = r.pos
        pos = start
        depth = 0

        def after(marker: str, at: int) -> int:
            found = text.find(marker, at)
            if found < 0:
                raise r.error("The XML body is not closed", start)
            return found + len(marker)

        while pos < len(text):
            if text[pos] != "<":
                if depth == 0 and text[pos] not in " \t\n":
                    raise r.error("Text outside the XML body's root element", pos)
                found = text.find("<", pos)
                if found < 0:
                    break
                pos = found
                continue
            if text.startswith("<?", pos):
                pos = after("?>", pos)
            elif text.startswith("<!--", pos):
                pos = after("-->", pos)
            elif text.startswith("<![CDATA[", pos):
                pos = after("]]>", pos)
            elif text.startswith("<!", pos):
                pos = after(">", pos)
            elif text.startswith("</", pos):
                pos = after(">", pos)
                depth -= 1
                if depth <= 0:
                    r.pos = pos
                    return text[start:pos]
            else:
                pos = self._tag_end(pos, start)
                if text[pos - 2] != "/":
                    depth += 1
                elif depth == 0:
                    r.pos = pos
                    return text[start:pos]
        raise r.error("The XML body is not closed", start)

    def _tag_end(self, pos: int, start: int) -> int:
        """The index after the `>` of the start tag at `pos`, quotes respected."""
        text = self.r.text
        pos += 1
        while pos < len(text):
            char = text[pos]
            if char == ">":
                return pos + 1
            if char in "\"'":
                found = text.find(char, pos + 1)
                if found < 0:
                    break
                pos = found
            pos += 1
        raise self.r.error("The XML body is not closed", start)


def _is_request_line(text: str, pos: int) -> bool:
    """`METHOD sp+ url`: upper-case letters, spaces, then neither ':' nor the end."""
    end = pos
    while end < len(text) and "A" <= text[end] <= "Z":
        end += 1
    if end == pos or end >= len(text) or text[end] not in " \t":
        return False
    while end < len(text) and text[end] in " \t":
        end += 1
    return end < len(text) and text[end] not in ":\n#"


def _is_key_value(text: str, pos: int) -> bool:
    reader = Reader(text)
    reader.pos = pos
    try:
        reader.key_string()
    except FormatError:
        return False
    reader.skip_spaces()
    return reader.peek() == ":"


def _ends_word(text: str, pos: int) -> bool:
    return pos >= len(text) or text[pos] in " \t\n#"


def _unescape(text: str, r: Reader, start: int) -> str:
    """A multiline string's text with its escapes applied (the `escape` attribute)."""
    inner = Reader(text)
    out: list[str] = []
    while not inner.at_end():
        found = text.find("\\", inner.pos)
        if found < 0:
            out.append(text[inner.pos :])
            break
        out.append(text[inner.pos : found])
        inner.pos = found
        try:
            out.append(inner.escape("`"))
        except FormatError as error:
            raise r.error(error.message, start) from None
    return "".join(out)
