"""What every code generator shares: secret placeholders and a request made concrete.

The request handed to a generator is resolved except for secret variables, which are
still `{{name}}`. A generator never writes their values: each placeholder becomes that
language's environment-variable lookup of `env_variable(name)`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

from explorer.core.formats.common import substitute_path_params
from explorer.core.graphql.request import as_plain_request
from explorer.core.http.prepare import file_part_type
from explorer.core.model import Auth, AuthKind, BodyKind, Pair, Part, Request
from explorer.core.urls import QUERY_SAFE, with_default_scheme

# The characters API Explorer leaves as they are in a query, on the wire: its own set
# (QUERY_SAFE) less the braces, which `requests` percent-encodes when it sends the URL.
WIRE_QUERY_SAFE = QUERY_SAFE.replace("{", "").replace("}", "")

# One request of a collection: its title (folder path and name) and the request.
Titled = tuple[str, Request]

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


@dataclass(frozen=True)
class EnvRef:
    """A secret placeholder, to be read from the environment variable `variable`."""

    variable: str


Segment = str | EnvRef


def env_variable(secret: str) -> str:
    """The environment variable that holds a secret: `api-token` → `API_TOKEN`."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", secret).upper()
    return "_" + name if not name or name[0].isdigit() else name


def segments(text: str, secret_names: frozenset[str]) -> list[Segment]:
    """`text` cut into literal strings and secret references, in order."""
    out: list[Segment] = []
    last = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in secret_names:
            continue
        if match.start() > last:
            out.append(text[last : match.start()])
        out.append(EnvRef(env_variable(match.group(1))))
        last = match.end()
    if last < len(text) or not out:
        out.append(text[last:])
    return out


def has_secret(text: str, secret_names: frozenset[str]) -> bool:
    """Whether `text` holds at least one secret placeholder."""
    return any(isinstance(part, EnvRef) for part in segments(text, secret_names))


# Makes a target language's literal (a quoted string, a template) from text.
Literal = Callable[[str], str]


def render(
    text: str,
    secret_names: frozenset[str],
    literal: Callable[[str], str],
    lookup: Callable[[str], str],
    joiner: str,
) -> str:
    """`text` as an expression: literals quoted, secrets looked up, joined by `joiner`."""
    return joiner.join(
        lookup(part.variable) if isinstance(part, EnvRef) else literal(part)
        for part in segments(text, secret_names)
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _strings(getattr(value, item.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def secret_variables(request: Request, secret_names: frozenset[str]) -> list[str]:
    """The environment variables the generated code reads, sorted."""
    found = set()
    for text in _strings(request):
        for part in segments(text, secret_names):
            if isinstance(part, EnvRef):
                found.add(part.variable)
    return sorted(found)


def concrete(request: Request) -> Request:
    """The request as it goes out: path parameters in the URL, an API key in place,
    disabled rows dropped, a GraphQL body as the JSON body or GET parameters it goes out
    as, and no auth kind that needs a collection to mean something."""
    # Not strict: variables that are a `{{secret}}` placeholder until run time are
    # written in as typed rather than refused.
    request = as_plain_request(request, strict=False)
    params = tuple(pair for pair in request.params if pair.enabled)
    headers = tuple(pair for pair in request.headers if pair.enabled)
    auth = request.auth
    if auth.kind == AuthKind.API_KEY:
        extra = Pair(auth.key_name, auth.key_value)
        if auth.key_in == "query":
            params = (*params, extra)
        else:
            headers = (*headers, extra)
        auth = Auth()
    elif auth.kind == AuthKind.INHERIT:
        auth = Auth()
    body = request.body
    body = dataclasses.replace(
        body,
        form=tuple(pair for pair in body.form if pair.enabled),
        parts=tuple(_typed(part) for part in body.parts if part.enabled),
    )
    return request.with_changes(
        # Without a scheme the app sends http:// (as Insomnia and curl do); requests, fetch,
        # Go and PowerShell refuse such a URL.
        url=with_default_scheme(substitute_path_params(request.url, request.path_params)),
        path_params=(),
        params=params,
        headers=headers,
        auth=auth,
        body=body,
    )


def _typed(part: Part) -> Part:
    """A file part with the type the app gives one that sets none (curl's, by the file's
    extension), so that every tool sends the same Content-Type for it."""
    if not part.is_file or part.content_type:
        return part
    filename = part.file.replace("\\", "/").rsplit("/", 1)[-1]
    return dataclasses.replace(part, content_type=file_part_type(filename))


def has_header(request: Request, name: str) -> bool:
    """Whether an enabled header called `name` (any case) is set."""
    return any(pair.enabled and pair.name.lower() == name.lower() for pair in request.headers)


def bare(pair: Pair) -> bool:
    """Whether a query parameter goes out as its name alone (`?pretty`), as the app sends
    a parameter with no value (see explorer.core.urls.encode_query)."""
    return not pair.value and "=" not in pair.name


def body_content_type(request: Request) -> str:
    """The Content-Type the app adds for a raw or file body when no header sets one
    (explorer.core.http.prepare.default_content_type), else ''."""
    body = request.body
    if has_header(request, "content-type"):
        return ""
    if body.kind == BodyKind.RAW:
        return body.content_type or "text/plain"
    if body.kind == BodyKind.BINARY:
        return body.content_type or "application/octet-stream"
    return ""


def uses_files(request: Request) -> bool:
    """Whether the body reads a file (a binary body or a multipart file part)."""
    body = request.body
    return body.kind == BodyKind.BINARY or (
        body.kind == BodyKind.MULTIPART and any(part.is_file for part in body.parts)
    )


def all_secret_variables(requests: list[Titled], secret_names: frozenset[str]) -> list[str]:
    """The environment variables a program for all `requests` reads, sorted."""
    found: set[str] = set()
    for _title, request in requests:
        found.update(secret_variables(request, secret_names))
    return sorted(found)


def repeated_headers(request: Request) -> list[str]:
    """The header names set more than once (any case), in order of first use."""
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for pair in request.headers:
        key = pair.name.lower()
        seen[key] = seen.get(key, 0) + 1
        names.setdefault(key, pair.name)
    return [names[key] for key, count in seen.items() if count > 1]


def typed_text_parts(request: Request) -> bool:
    """Whether a multipart body has a text part with a Content-Type."""
    body = request.body
    return body.kind == BodyKind.MULTIPART and any(
        not part.is_file and part.content_type for part in body.parts
    )


_Value = TypeVar("_Value")


def writable(value: _Value) -> _Value:
    """`value` (text, or a request and everything in it) with each lone surrogate
    replaced by U+FFFD: such text cannot be encoded as UTF-8, so it can neither be sent
    nor written into a program file (and would make quoting fail half-way)."""
    if isinstance(value, str):
        if value.isascii():
            return cast(_Value, value)
        return cast(_Value, value.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))
    if isinstance(value, tuple):
        return cast(_Value, tuple(writable(item) for item in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            item.name: writable(getattr(value, item.name)) for item in dataclasses.fields(value)
        }
        return cast(_Value, dataclasses.replace(value, **changes))
    return value


def comment_text(text: str) -> str:
    """`text` fit for a one-line comment in any target: line breaks of every kind and
    other control characters become spaces (a title or URL cannot end the comment)."""
    return "".join(" " if not char.isprintable() else char for char in text)


def no_content_type(request: Request) -> bool:
    """Whether a raw or file body is sent without a Content-Type: the user set the
    header empty (as curl's `-H 'Content-Type:'`), and the app then sends none."""
    if request.body.kind not in (BodyKind.RAW, BodyKind.BINARY):
        return False
    typed = [p for p in request.headers if p.enabled and p.name.lower() == "content-type"]
    return bool(typed) and not any(p.value.strip() for p in typed)


def sent_headers(request: Request) -> tuple[Pair, ...]:
    """The enabled headers that go out as typed: an empty Content-Type of a raw or file
    body is left out (it means "none", see `no_content_type`)."""
    blank = no_content_type(request)
    return tuple(
        pair
        for pair in request.headers
        if pair.enabled and not (blank and pair.name.lower() == "content-type")
    )
