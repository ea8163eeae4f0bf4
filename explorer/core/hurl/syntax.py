"""The syntax tree of a Hurl file, as far as the importer needs it.

Values are already unescaped; `{{templates}}` are kept as written. Filters are kept as
Hurl text (`nth 0`, `regex "(\\d+)"`, `split ","`), with regex literals rewritten as
quoted strings, which is how `Assertion.filters` holds them. Every node knows its line so
that the importer can say where something it could not carry over is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Section names as written -> the canonical name (Hurl's short aliases).
SECTION_ALIASES = {
    "QueryStringParams": "QueryStringParams",
    "Query": "QueryStringParams",
    "FormParams": "FormParams",
    "Form": "FormParams",
    "MultipartFormData": "MultipartFormData",
    "Multipart": "MultipartFormData",
    "Cookies": "Cookies",
    "BasicAuth": "BasicAuth",
    "Options": "Options",
    "Captures": "Captures",
    "Asserts": "Asserts",
}
REQUEST_SECTIONS = frozenset(
    ("QueryStringParams", "FormParams", "MultipartFormData", "Cookies", "BasicAuth", "Options")
)
RESPONSE_SECTIONS = frozenset(("Captures", "Asserts"))


@dataclass(frozen=True)
class KeyValue:
    """`key: value` (a header, a parameter, a cookie, an option, a credential)."""

    key: str
    value: str
    line: int


@dataclass(frozen=True)
class MultipartItem:
    """A multipart field: a text value, or a file (`file,path; type`) when `file` is set."""

    name: str
    value: str = ""
    file: str = ""
    content_type: str = ""
    line: int = 0


@dataclass(frozen=True)
class Value:
    """A typed predicate value.

    kind is one of: string, number, boolean, null, template, regex, hex (text: lower-case
    hex digits of the bytes), file (text: the path). `text` is the value's text: a
    string's characters, a number as written, `true`, a template `{{x}}`, a pattern.
    """

    kind: str
    text: str


@dataclass(frozen=True)
class Query:
    """What an assert or a capture reads: `jsonpath "$.id"` is Query("jsonpath", "$.id")."""

    kind: str
    argument: str = ""


@dataclass(frozen=True)
class AssertLine:
    """`query filters* [not] predicate [value]`."""

    query: Query
    filters: tuple[str, ...]
    negate: bool
    predicate: str  # canonical: ==, !=, >, >=, <, <=, startsWith, ..., isInteger, ...
    value: Value | None
    line: int


@dataclass(frozen=True)
class CaptureLine:
    """`name: query filters* [redact]`."""

    name: str
    query: Query
    filters: tuple[str, ...]
    redact: bool
    line: int


@dataclass(frozen=True)
class Body:
    """A request or response body.

    kind: json, xml, text (a multiline or oneline string), graphql, bytes (base64 or hex:
    `data` holds them) or file (`text` is the path). `lang` is the multiline string's
    type (json, xml, graphql) or empty.
    """

    kind: str
    text: str = ""
    data: bytes = b""
    lang: str = ""
    line: int = 0


@dataclass(frozen=True)
class Section:
    """A `[Name]` section with its items (KeyValue, MultipartItem, AssertLine or
    CaptureLine, by section)."""

    name: str
    items: tuple[object, ...]
    line: int


@dataclass(frozen=True)
class HurlRequest:
    method: str
    url: str
    line: int
    headers: tuple[KeyValue, ...] = ()
    sections: tuple[Section, ...] = ()
    body: Body | None = None
    comments: tuple[str, ...] = ()  # the comment lines just above the request line

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)


@dataclass(frozen=True)
class HurlResponse:
    version: str  # "HTTP", "HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3" or "HTTP/*"
    status: str  # digits, or "*"
    line: int
    headers: tuple[KeyValue, ...] = ()
    sections: tuple[Section, ...] = ()
    body: Body | None = None

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)


@dataclass(frozen=True)
class Entry:
    request: HurlRequest
    response: HurlResponse | None = None


@dataclass(frozen=True)
class HurlFile:
    entries: tuple[Entry, ...] = field(default_factory=tuple)
