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

    def with_changes(self, **changes: Unpack[RequestChanges]) -> Request:
        """A copy with some fields replaced."""
        return replace(self, **changes)
