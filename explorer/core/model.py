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
# A request whose method is WS is a WebSocket connection to its ws:// or wss:// URL, as
# httpyac writes one in an .http file (`WS wss://…`): the method box offers it, and the
# file says what the request is without a field of its own.
WEBSOCKET_METHOD = "WS"


def is_websocket(request: Request) -> bool:
    """Whether `request` opens a WebSocket rather than sending one HTTP request."""
    return request.method.strip().upper() == WEBSOCKET_METHOD


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
    GRAPHQL = "graphql"  # a GraphQL operation from `Body.graphql`


@dataclass(frozen=True)
class GraphQL:
    """A GraphQL operation. Sent as a POST with a JSON body `{"query", "variables",
    "operationName"}`, or, when the request's method is GET, as the query parameters
    `query`, `variables` and `operationName` (the GraphQL over HTTP convention).
    Every field may hold `{{variables}}`."""

    query: str = ""
    variables: str = ""  # a JSON object as text; empty: no variables
    operation_name: str = ""
    # An SDL file inside the collection folder to complete and validate against;
    # empty: the schema fetched by introspection from the request's URL.
    schema_file: str = ""


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
    graphql: GraphQL = field(default_factory=GraphQL)


class AuthKind(StrEnum):
    """Authentication schemes the editor offers."""

    NONE = "none"
    INHERIT = "inherit"  # take the auth of the enclosing folder or collection
    BASIC = "basic"
    BEARER = "bearer"
    API_KEY = "apikey"
    DIGEST = "digest"
    OAUTH2 = "oauth2"
    OAUTH1 = "oauth1"
    AWS_SIGV4 = "awsv4"


class OAuth2Grant(StrEnum):
    """How an OAuth 2.0 access token is obtained."""

    AUTHORIZATION_CODE = "authorization_code"  # in the system browser, with PKCE
    CLIENT_CREDENTIALS = "client_credentials"
    PASSWORD = "password"  # legacy: `Auth.username` and `Auth.password`


@dataclass(frozen=True)
class OAuth2:
    """OAuth 2.0 settings. The tokens themselves are never here: they live in the local
    secret store, keyed by these settings, and `Auth.token` carries the current access
    token only inside a send (see application/oauth)."""

    grant: OAuth2Grant = OAuth2Grant.AUTHORIZATION_CODE
    auth_url: str = ""
    token_url: str = ""
    client_id: str = ""
    client_secret: str = ""  # a credential: moved out of collection files
    scope: str = ""
    # Empty: a loopback listener on 127.0.0.1 at a free port (RFC 8252 §7.3).
    redirect_uri: str = ""
    pkce: bool = True
    client_auth: str = "basic"  # client credentials as Basic auth ("basic") or in the body
    token_in: str = "header"  # the access token as a header ("header") or query parameter
    header_prefix: str = "Bearer"
    query_param: str = "access_token"


@dataclass(frozen=True)
class OAuth1:
    """OAuth 1.0a request signing (RFC 5849)."""

    consumer_key: str = ""
    consumer_secret: str = ""  # a credential
    token: str = ""  # the access token: a credential
    token_secret: str = ""  # a credential
    signature_method: str = "HMAC-SHA1"  # HMAC-SHA1, HMAC-SHA256 or PLAINTEXT
    realm: str = ""
    placement: str = "header"  # the oauth_* parameters in the header, "query" or "body"


@dataclass(frozen=True)
class AwsSigV4:
    """AWS Signature Version 4."""

    access_key: str = ""
    secret_key: str = ""  # a credential
    session_token: str = ""  # a credential (temporary credentials)
    region: str = ""
    service: str = ""


# The nested auth fields that hold credentials, as (part, field): moved out of collection
# files, masked in history, reports and logs, kept from other origins on redirects.
SECRET_AUTH_FIELDS: tuple[tuple[str, str], ...] = (
    ("oauth2", "client_secret"),
    ("oauth1", "consumer_secret"),
    ("oauth1", "token"),
    ("oauth1", "token_secret"),
    ("aws", "secret_key"),
    ("aws", "session_token"),
)


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
    oauth2: OAuth2 = field(default_factory=OAuth2)
    oauth1: OAuth1 = field(default_factory=OAuth1)
    aws: AwsSigV4 = field(default_factory=AwsSigV4)

    def credentials(self) -> tuple[str, ...]:
        """The non-empty credential values the chosen scheme sends (or signs with)."""
        values: tuple[str, ...] = {
            AuthKind.BASIC: (self.password,),
            AuthKind.DIGEST: (self.password,),
            AuthKind.BEARER: (self.token,),
            AuthKind.API_KEY: (self.key_value,),
            AuthKind.OAUTH2: (self.token, self.oauth2.client_secret, self.password),
            AuthKind.OAUTH1: (
                self.oauth1.consumer_secret,
                self.oauth1.token,
                self.oauth1.token_secret,
            ),
            AuthKind.AWS_SIGV4: (self.aws.secret_key, self.aws.session_token),
        }.get(self.kind, ())
        return tuple(value for value in values if value)


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


class MessageKind(StrEnum):
    """What a saved WebSocket message is."""

    TEXT = "text"
    JSON = "json"  # text that must parse as JSON (checked before sending)
    BINARY = "binary"  # `SavedMessage.text` is base64; sent as a binary frame


@dataclass(frozen=True)
class SavedMessage:
    """A WebSocket message kept with the request, ready to send again. `text` may hold
    `{{variables}}`."""

    name: str = ""
    kind: MessageKind = MessageKind.TEXT
    text: str = ""


@dataclass(frozen=True)
class Stream:
    """What a request that answers with many messages needs: a WebSocket's subprotocols
    and saved messages, and, for a run (and `run`), when to stop collecting the messages
    of a WebSocket or a `text/event-stream` response. The checks of such a request see
    the collected messages as a JSON array (see application/streams)."""

    subprotocols: tuple[str, ...] = ()
    messages: tuple[SavedMessage, ...] = ()
    collect_messages: int = 0  # stop after this many incoming messages; 0: no count
    collect_seconds: float = 10.0  # stop after this long; 0: until the other side ends


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
    stream: Stream


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
    stream: Stream = field(default_factory=Stream)

    def with_changes(self, **changes: Unpack[RequestChanges]) -> Request:
        """A copy with some fields replaced."""
        return replace(self, **changes)
