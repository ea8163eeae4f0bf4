"""What a response body is and how to show it: kind and charset detection, decoding,
JSON pretty-printing and folding ranges, hex dump lines and the JMESPath filter.

Pure Python, no Qt. Everything here works on bytes so that a caller can hand it a slice of
a large body; nothing here is called with a large body on the GUI thread (see
`explorer.core.text.format_worker`).
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

import orjson

# A parsed JSON document, as json.loads and orjson.loads build it.
JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"
SNIFF_SIZE = 4096  # bytes of the body head that detection looks at
HEX_BYTES_PER_LINE = 16


class ContentKind(StrEnum):
    """How a body's text is formatted and coloured."""

    JSON = "json"
    XML = "xml"
    HTML = "html"
    TEXT = "text"
    BINARY = "binary"


class PreviewKind(StrEnum):
    """What the Preview mode can render for a body."""

    NONE = "none"
    HTML = "html"
    IMAGE = "image"


@dataclass(frozen=True)
class ContentInfo:
    """The result of looking at a body: its media type, kind, charset and preview."""

    mime: str
    kind: ContentKind
    charset: str  # from a BOM, the header, the document itself, or utf-8
    preview: PreviewKind = PreviewKind.NONE

    @property
    def is_text(self) -> bool:
        """True when the body can be shown as text (Pretty/Raw)."""
        return self.kind is not ContentKind.BINARY


class ContentError(ValueError):
    """The body is not what its kind says (e.g. invalid JSON); `message` says where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FilterError(ValueError):
    """A JSON filter expression could not be compiled or applied."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- detection

_JSON_MIMES = {"application/json", "text/json", "application/x-json", "application/ld+json"}
_XML_MIMES = {"application/xml", "text/xml", "application/xhtml+xml"}
_TEXT_MIMES = {
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "application/x-www-form-urlencoded",
    "application/yaml",
    "application/x-yaml",
    "application/toml",
    "application/graphql",
    "application/sql",
    "application/csv",
}
_IMAGE_MIMES = {
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/gif",
    "image/webp",
    "image/svg+xml",
    "image/bmp",
    "image/x-icon",
    "image/vnd.microsoft.icon",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    """Split a Content-Type header into its lower-cased media type and parameters."""
    mime, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for part in rest.split(";"):
        name, eq, val = part.partition("=")
        if eq:
            params[name.strip().lower()] = val.strip().strip('"')
    return mime.strip().lower(), params


def _known_charset(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _kind_of_mime(mime: str) -> ContentKind | None:
    if mime in _JSON_MIMES or mime.endswith("+json"):
        return ContentKind.JSON
    if mime == "text/html":
        return ContentKind.HTML
    if mime in _XML_MIMES or mime.endswith("+xml"):
        return ContentKind.XML
    if mime.startswith("text/") or mime in _TEXT_MIMES:
        return ContentKind.TEXT
    if mime.startswith(("image/", "audio/", "video/", "font/")) or mime in {
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-protobuf",
        "application/protobuf",
        "application/msgpack",
        "application/wasm",
    }:
        return ContentKind.BINARY
    return None  # unknown or octet-stream: look at the bytes


def _sniff_image(head: bytes) -> bool:
    return head.startswith(
        (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")
    ) or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")


def looks_binary(head: bytes) -> bool:
    """True when the bytes are not plausibly text (NULs or many control bytes)."""
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) // 20


def _sniff_kind(head: bytes) -> ContentKind:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    low = text[:256].lower()
    if low.startswith((b"{", b"[")):
        return ContentKind.JSON
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low:
        return ContentKind.HTML
    if low.startswith((b"<?xml", b"<svg")):
        return ContentKind.XML
    if looks_binary(head):
        return ContentKind.BINARY
    return ContentKind.TEXT


def _detect_charset(params: dict[str, str], head: bytes, kind: ContentKind) -> str:
    for bom, bom_charset in _BOMS:
        if head.startswith(bom):
            return bom_charset
    declared = params.get("charset")
    if declared and (name := _known_charset(declared)):
        return name
    if kind is ContentKind.HTML and (m := _META_CHARSET.search(head)):
        if name := _known_charset(m.group(1).decode("ascii")):
            return name  # <meta charset>
    if kind is ContentKind.XML and (m := _XML_ENCODING.match(head.lstrip())):
        if name := _known_charset(m.group(1).decode("ascii")):
            return name  # <?xml encoding?>
    if kind is ContentKind.JSON and len(head) >= 4:
        # RFC 4627 §3: UTF-16/32 JSON without a BOM shows NULs in its first four bytes.
        if head[0] == 0 and head[1] == 0:
            return "utf-32-be"
        if head[0] == 0:
            return "utf-16-be"
        if head[1] == 0 and head[2] == 0:
            return "utf-32-le"
        if head[1] == 0:
            return "utf-16-le"
    return "utf-8"


def detect(content_type: str, head: bytes) -> ContentInfo:
    """Work out the kind, charset and preview of a body from its header and first bytes."""
    mime, params = parse_content_type(content_type or "")
    kind = _kind_of_mime(mime)
    if kind is None:
        kind = ContentKind.BINARY if _sniff_image(head) else _sniff_kind(head)
    preview = PreviewKind.NONE
    if kind is ContentKind.HTML:
        preview = PreviewKind.HTML
    elif mime in _IMAGE_MIMES or _sniff_image(head) or mime == "image/svg+xml":
        preview = PreviewKind.IMAGE
        if mime == "image/svg+xml":
            kind = ContentKind.XML
    charset = "" if kind is ContentKind.BINARY else _detect_charset(params, head, kind)
    return ContentInfo(mime or "application/octet-stream", kind, charset, preview)


# --------------------------------------------------------------------------- decoding


def decode_text(data: bytes, charset: str = "utf-8") -> str:
    """Decode bytes to text; invalid sequences become U+FFFD, never an exception."""
    name = _known_charset(charset or "utf-8") or "utf-8"
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    return data.decode(name, errors="replace")


def incremental_utf8_transcoder(charset: str) -> Callable[[bytes, bool], bytes]:
    """A function that turns successive byte chunks in `charset` into UTF-8 chunks.

    Call it with `final=True` for the last chunk. Invalid input becomes U+FFFD. A
    multi-byte sequence split across two chunks is decoded correctly.
    """
    name = _known_charset(charset or "utf-8") or "utf-8"
    if name == "utf-8":
        name = "utf-8-sig"  # drops a leading BOM and nothing else
    decoder = codecs.getincrementaldecoder(name)(errors="replace")

    def transcode(chunk: bytes, final: bool = False) -> bytes:
        return decoder.decode(chunk, final).encode("utf-8", errors="surrogatepass")

    return transcode


# --------------------------------------------------------------------------- JSON


def _json_error_message(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    return f"Not valid JSON: {exc}"


# Digits to "0", everything else to " ": a run of 19 zeros is then found by bytes.find,
# ten times faster than a regular expression for 19 digits (1.1 s per 100 MB).
_DIGIT_MAP = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * 19


def has_long_integer(raw: bytes) -> bool:
    """True if `raw` has 19 digits in a row: an integer orjson may not keep exact."""
    return raw.translate(_DIGIT_MAP).find(_LONG_RUN) >= 0


def parse_json(data: bytes | str) -> JSONValue:
    """Parse JSON with orjson, falling back to the standard library for what orjson
    refuses or alters but real APIs send (integers beyond 64 bits, which orjson turns
    into floats; NaN). Raises ContentError."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if has_long_integer(raw):
        return _parse_json_slowly(data, None)
    try:
        value: JSONValue = orjson.loads(data)
    except orjson.JSONDecodeError as fast_error:
        return _parse_json_slowly(data, fast_error)
    return value


def _parse_json_slowly(data: bytes | str, fast_error: orjson.JSONDecodeError | None) -> JSONValue:
    """The standard library's parse; `fast_error` is orjson's refusal, if it was tried."""
    try:
        value: JSONValue = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ContentError(_json_error_message(exc)) from exc
    except (ValueError, RecursionError) as exc:
        message = _json_error_message(fast_error) if fast_error else f"Not valid JSON: {exc}"
        raise ContentError(message) from exc
    return value


def dump_json(value: object) -> bytes:
    """Indent a parsed JSON value by two spaces, as UTF-8 bytes without a final newline.
    Raises ContentError for a value nested too deeply to write."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:
        pass
    # Values only the stdlib parser produces (big ints, NaN) need the stdlib writer, and so
    # do documents nested deeper than orjson writes (255 levels).
    try:
        return json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except RecursionError:
        # Deeper than Python's own stack: it was a traceback (the viewer's formatting died).
        raise ContentError("Not formatted: nested too deeply") from None


def pretty_json(data: bytes | str) -> bytes:
    """Pretty-print a JSON document (2-space indent). Raises ContentError if invalid."""
    return dump_json(parse_json(data))


# Strings (whole, or a lone quote where one is cut off), brackets and commas.
_JSON_STRUCTURE = re.compile(rb'"(?:[^"\\]|\\.)*"|"|[\[\]{},]')
_CLOSER_OF = {ord("["): b"]", ord("{"): b"}"}


def pretty_json_head(head: bytes) -> bytes:
    """The first lines of `pretty_json` of a document, worked out from its first bytes
    alone, so a large body's first screen need not wait for the whole parse.

    `head` is cut after its last comma between values; a placeholder value and the
    missing closing brackets make the rest a small valid document, whose pretty text
    up to the placeholder's line begins the whole document's. Not always: a key
    repeated further on, or an integer beyond 64 bits (written by another writer), can
    change earlier lines, so the caller compares with the whole text when it has it.
    Returns b"" when `head` has no such comma or is not valid JSON so far.
    """
    stack = bytearray()
    cut, cut_stack = -1, b""
    for match in _JSON_STRUCTURE.finditer(head):
        token = head[match.start()]
        if token == 0x22:  # a string
            if match.end() - match.start() == 1:
                break  # cut off inside a string: nothing after it is structure
        elif token in _CLOSER_OF:  # an opening bracket
            stack.append(token)
        elif token == 0x2C:  # a comma
            if stack:
                cut, cut_stack = match.end(), bytes(stack)
        elif not stack:
            return b""  # more closing than opening brackets
        else:
            stack.pop()
    if cut < 0:
        return b""
    closing = b"".join(_CLOSER_OF[opener] for opener in reversed(cut_stack))
    placeholder = b"0"
    if cut_stack[-1] == ord("{"):  # a member whose key the object does not have yet
        key = next(k for k in (b'"~%d"' % n for n in itertools.count()) if k not in head)
        placeholder = key + b":0"
    try:
        pretty = pretty_json(head[:cut] + placeholder + closing)
    except ContentError:
        return b""
    # Drop the placeholder's line and one closing line per open bracket.
    lines = pretty.split(b"\n")[: -(len(cut_stack) + 1)]
    return b"\n".join(lines) + b"\n" if lines else b""


_FOLD_MARKS = re.compile(rb"[\[{]\n|\n *[\]}]")


def json_folds(pretty: bytes) -> tuple[array[int], array[int]]:
    """Folding ranges of pretty JSON as produced by `pretty_json`: (first lines, last lines).

    Each range is an object or array whose opening line ends with `{`/`[` and whose
    closing bracket starts line `last`. Sorted by first line. Works because pretty JSON
    never has a raw newline inside a string.
    """
    starts, ends = array("I"), array("I")
    stack: list[int] = []
    line, pos = 0, 0
    for match in _FOLD_MARKS.finditer(pretty):
        at = match.start()
        line += pretty.count(b"\n", pos, at)
        pos = at
        if pretty[at] == 0x0A:  # a closing bracket on the next line
            if stack:
                starts.append(stack.pop())
                ends.append(line + 1)
        else:
            stack.append(line)
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return array("I", (starts[i] for i in order)), array("I", (ends[i] for i in order))


# --------------------------------------------------------------------------- filter


def compile_filter(expression: str) -> Callable[[JSONValue], object]:
    """Compile a filter: JSONPath when it starts with `$` (RFC 9535, as Insomnia and
    Bruno take it), e.g. $.items[?@.price > 10].name; JMESPath otherwise (as the AWS
    CLI takes it), e.g. items[?price > `10`].name. Returns the function that applies
    it to a parsed JSON value; raises FilterError with a message a person can act on."""
    if not expression.strip():
        raise FilterError("The expression is empty")
    if expression.lstrip().startswith("$"):
        return _compile_jsonpath(expression.strip())
    return _compile_jmespath(expression)


def _compile_jsonpath(expression: str) -> Callable[[JSONValue], object]:
    import jsonpath  # imported here, like jmespath: only needed when someone filters

    try:
        path = jsonpath.compile(expression)
    except jsonpath.JSONPathError as exc:
        message = str(exc.args[0]) if exc.args else "bad expression"
        index = exc.token.index if exc.token is not None else -1
        where = "at the end" if index < 0 else f"at position {index + 1}"
        raise FilterError(f"JSONPath: {message} {where}") from exc
    return path.findall  # every match, in document order, as a list


def _compile_jmespath(expression: str) -> Callable[[JSONValue], object]:
    import jmespath
    from jmespath import exceptions

    try:
        return jmespath.compile(expression).search
    except exceptions.IncompleteExpressionError as exc:
        raise FilterError(f"Incomplete expression: {expression!r} ends too early") from exc
    except exceptions.LexerError as exc:
        where = exc.lex_position + 1
        raise FilterError(f"Unexpected character {exc.lexer_value!r} at position {where}") from exc
    except exceptions.ParseError as exc:
        token = exc.token_value if exc.token_value is not None else exc.token_type
        raise FilterError(f"Unexpected {token!r} at position {exc.lex_position + 1}") from exc
    except exceptions.JMESPathError as exc:
        raise FilterError(f"Bad expression: {exc}") from exc


def apply_filter(data: bytes | str, expression: str) -> bytes:
    """Run a filter expression (see `compile_filter`) over a JSON body; the result
    pretty-printed.

    Raises FilterError for a bad expression, an error while evaluating it, or a body
    that is not JSON.
    """
    import jsonpath
    from jmespath import exceptions

    search = compile_filter(expression)
    try:
        value = parse_json(data)
    except ContentError as exc:
        raise FilterError(f"The body is not JSON, so it cannot be filtered. {exc.message}") from exc
    try:
        result = search(value)
    except (exceptions.JMESPathError, jsonpath.JSONPathError) as exc:
        raise FilterError(f"The expression failed: {exc}") from exc
    try:
        return dump_json(result)
    except ContentError as exc:
        raise FilterError(f"The result cannot be shown. {exc.message}") from exc


# --------------------------------------------------------------------------- hex

_PRINTABLE = bytes(b if 32 <= b < 127 else 0x2E for b in range(256))


def hex_line(chunk: bytes, offset: int) -> str:
    """One line of a hex dump: offset, 16 bytes in two groups of 8, and their ASCII.

    Always HEX_LINE_WIDTH characters so that columns line up on the last line too.
    """
    cells = chunk.hex(" ")
    first, second = cells[:23], cells[24:]
    return f"{offset:08x}  {first:<23}  {second:<23}  |{chunk.translate(_PRINTABLE).decode():<16}|"


HEX_LINE_WIDTH = len(hex_line(b"\x00" * HEX_BYTES_PER_LINE, 0))
