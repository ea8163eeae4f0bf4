"""A request as the user builds it: method, URL, parameters, headers, body, auth and
per-request options. What comes back is in `exchange`.

Everything here is a frozen dataclass so it can cross threads and be compared and hashed.
Nothing here imports Qt or does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypedDict, Unpack

STANDARD_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Pair:
    """One row of a key/value table (header, query parameter, form field, variable)."""

    name: str
    value: str = ""
    enabled: bool = True


class BodyKind(StrEnum):
    """How the request body is made."""

    NONE = "none"
    RAW = "raw"  # text with a content type (JSON, XML, …)
    FORM = "form"  # application/x-www-form-urlencoded from `Body.form`
    MULTIPART = "multipart"  # multipart/form-data from `Body.parts`
    BINARY = "binary"  # the bytes of the file at `Body.file`


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: a text field, or a file when `file` is set."""

    name: str
    value: str = ""
    file: str = ""
    content_type: str = ""
    enabled: bool = True

    @property
    def is_file(self) -> bool:
        return bool(self.file)


@dataclass(frozen=True)
class Body:
    """The request body. Only the fields of `kind` matter; the others are kept so that
    switching the kind back and forth in the editor loses nothing."""

    kind: BodyKind = BodyKind.NONE
    text: str = ""
    content_type: str = ""
    form: tuple[Pair, ...] = ()
    parts: tuple[Part, ...] = ()
    file: str = ""


class AuthKind(StrEnum):
    """Authentication schemes the editor offers."""

    NONE = "none"
    INHERIT = "inherit"  # take the auth of the enclosing folder or collection
    BASIC = "basic"
    BEARER = "bearer"
    API_KEY = "apikey"
    DIGEST = "digest"


@dataclass(frozen=True)
class Auth:
    """Credentials for one scheme. Values may contain `{{variables}}`."""

    kind: AuthKind = AuthKind.NONE
    username: str = ""
    password: str = ""
    token: str = ""
    key_name: str = ""
    key_value: str = ""
    key_in: str = "header"  # "header" or "query"


@dataclass(frozen=True)
class Options:
    """Per-request transport settings."""

    timeout: float = 30.0
    follow_redirects: bool = True
    max_redirects: int = 10
    verify_tls: bool = True
    proxy: str = ""  # explicit proxy URL; empty means "system proxy" when use_system_proxy
    use_system_proxy: bool = True
    ca_bundle: str = ""
    client_cert: str = ""
    client_key: str = ""
    # Bytes of decoded body at most; 0 means the app's default (Preferences, 1 GiB).
    max_body_size: int = 0
    # Seconds for the whole exchange, redirects and body included; 0 means no deadline.
    total_timeout: float = 0.0
    # Send credentials on to another scheme, host or port after a redirect, as curl's
    # --location-trusted does. Off: they are dropped there (see transport).
    trust_redirects: bool = False
    # Off: the cookie jar is left out of this request (no Cookie header from it, and the
    # cookies it sets are not kept); a Cookie header typed by the user is still sent.
    send_cookies: bool = True


class Subject(StrEnum):
    """What an assertion looks at (or a capture reads) in a response.

    `Assertion.argument` says which part where the subject needs one: the header or
    cookie name, the JSONPath/JMESPath/XPath expression, the regular expression, the JSON
    Schema (inline JSON, or a file path inside the collection folder), the OpenAPI
    operation ("SPEC#METHOD /path", SPEC a file inside the collection folder) or the
    variable name.
    """

    STATUS = "status"  # the status code, an integer
    HEADER = "header"  # a header's value (several values: a list)
    JSONPATH = "jsonpath"  # RFC 9535 JSONPath on the body parsed as JSON
    JMESPATH = "jmespath"  # JMESPath on the body parsed as JSON
    XPATH = "xpath"  # XPath 1.0 on the body parsed as XML or HTML
    BODY = "body"  # the body as text
    REGEX = "regex"  # the first group (else the match) of a regular expression on the body
    DURATION = "duration"  # the response time in milliseconds
    SIZE = "size"  # the decoded body size in bytes
    COOKIE = "cookie"  # the value of a cookie the response set
    REDIRECTS = "redirects"  # how many redirects were followed
    URL = "url"  # the final URL
    VERSION = "version"  # the HTTP version, e.g. "1.1"
    SHA256 = "sha256"  # the hex SHA-256 of the body
    JSON_SCHEMA = "jsonschema"  # passes when the JSON body validates against the schema
    OPENAPI = "openapi"  # validates against the response schema of an OpenAPI operation
    VARIABLE = "variable"  # the current value of a variable (e.g. one captured before)


class Operator(StrEnum):
    """How an assertion compares the subject's value with the expected one."""

    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    CONTAINS = "contains"  # a substring of a text, or an element of a list
    STARTS_WITH = "startsWith"
    ENDS_WITH = "endsWith"
    MATCHES = "matches"  # the expected value is a regular expression searched in the text
    EXISTS = "exists"  # the subject has a value (no expected value)
    IS_TYPE = "isType"  # expected: string, integer, float, number, boolean, null, list,
    # object, date (ISO 8601), empty
    COUNT = "count"  # the number of values (list length, text length) == expected
    VALID = "valid"  # for JSON_SCHEMA and OPENAPI: the body validates (no expected value)


@dataclass(frozen=True)
class Assertion:
    """One declarative check of a response, e.g. `jsonpath $.id > 0`.

    `expected` may hold `{{variables}}`; once resolved it is read as a JSON value when it
    parses as one (`200`, `true`, `"quoted text"`, `[1, 2]`), else as plain text.
    `filters` transform the subject's value before the comparison, in order, written as
    Hurl writes them (`count`, `nth 0`, `regex "(\\d+)"`, `toInt`, `split ","`, ...).
    `negate` turns the operator into its opposite ("not contains").
    """

    subject: Subject
    operator: Operator = Operator.EQ
    expected: str = ""
    argument: str = ""
    filters: tuple[str, ...] = ()
    negate: bool = False
    enabled: bool = True
    name: str = ""  # what reports call it; empty: made from the row


@dataclass(frozen=True)
class Capture:
    """A variable set from a response, for the requests that follow.

    The value is the subject's (see `Subject`; `argument` and `filters` as in
    `Assertion`) turned into text (JSON for lists and objects). A secret capture is
    redacted wherever a secret variable is; `to_environment` also writes it to the
    active environment (a secret one to the local secret store).
    """

    variable: str
    subject: Subject = Subject.JSONPATH
    argument: str = ""
    filters: tuple[str, ...] = ()
    secret: bool = False
    to_environment: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class Scripts:
    """Python scripts run before a request is sent and after its response came back,
    in a separate process, only in a collection the user trusts on this machine.

    `kept_pre_request` and `kept_post_response` hold scripts of another tool (e.g.
    Postman's JavaScript) that an import could not convert: kept so nothing is lost,
    shown to the user, written back on export, never run.
    """

    pre_request: str = ""
    post_response: str = ""
    kept_pre_request: str = ""
    kept_post_response: str = ""

    def __bool__(self) -> bool:
        return any(
            (self.pre_request, self.post_response, self.kept_pre_request, self.kept_post_response)
        )


class RequestChanges(TypedDict, total=False):
    """The fields `Request.with_changes` may replace, each with its own type."""

    method: str
    url: str
    params: tuple[Pair, ...]
    path_params: tuple[Pair, ...]
    headers: tuple[Pair, ...]
    body: Body
    auth: Auth
    options: Options
    name: str
    description: str
    assertions: tuple[Assertion, ...]
    captures: tuple[Capture, ...]
    scripts: Scripts


@dataclass(frozen=True)
class Request:
    """A request as the user built it.

    `url` is kept without the query string of `params`; the query that goes out is the
    URL's own query (if any) followed by the enabled `params`. Path parameters written
    `:name` in the URL are substituted from `path_params`.
    """

    method: str = "GET"
    url: str = ""
    params: tuple[Pair, ...] = ()
    path_params: tuple[Pair, ...] = ()
    headers: tuple[Pair, ...] = ()
    body: Body = field(default_factory=Body)
    auth: Auth = field(default_factory=Auth)
    options: Options = field(default_factory=Options)
    name: str = ""
    description: str = ""
    assertions: tuple[Assertion, ...] = ()
    captures: tuple[Capture, ...] = ()
    scripts: Scripts = field(default_factory=Scripts)

    def with_changes(self, **changes: Unpack[RequestChanges]) -> Request:
        """A copy with some fields replaced."""
        return replace(self, **changes)
