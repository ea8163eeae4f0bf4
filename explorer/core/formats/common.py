"""What every importer shares: the result type, the typed error, and URL splitting.

Importers build the whole collection in memory and only return it once nothing failed, so
a malformed file never leaves a half-imported collection behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, TypeVar
from urllib.parse import quote, unquote_plus

from explorer.core.collection import Collection, Environment
from explorer.core.model import Pair

MAX_FOLDER_DEPTH = 32  # folders inside folders; deeper ones would not fit a file path


class FormatError(Exception):
    """A file or command that cannot be read, with where the problem is.

    `location` is "line L, column C" for text formats and a JSON path ("$.item[2].request")
    for JSON/YAML documents; empty when the problem is the input as a whole.
    """

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(f"{message} ({location})" if location else message)
        self.message = message
        self.location = location


@dataclass(frozen=True)
class ImportResult:
    """A converted collection, the environments that came with it, and the import report.

    `report` lists, one sentence each, everything that could not be carried over.
    `files` are written beside the collection, inside its folder (relative POSIX path,
    bytes): e.g. the OpenAPI document the requests' `openapi` assertions check against.
    Their names must not end in .yaml/.yml, which the folder reads as requests.
    """

    collection: Collection
    environments: tuple[Environment, ...] = ()
    report: tuple[str, ...] = ()
    files: tuple[tuple[str, bytes], ...] = ()

    def to_write(self) -> Collection:
        """The collection to write, with every environment once.

        Importers give an environment both in the collection and beside it, in
        `environments` (the dialog lists those); writing both wrote each twice
        (`conduit.yaml` and `conduit-2.yaml`). One given beside the collection is the
        same environment as the collection's of that name, even when the importer built
        it twice (an equal copy or not): only those of other names are added."""
        names = {env.name for env in self.collection.environments}
        extra = tuple(env for env in self.environments if env.name not in names)
        if not extra:
            return self.collection
        return replace(self.collection, environments=(*self.collection.environments, *extra))


def line_column(text: str, offset: int) -> str:
    """The "line L, column C" (both from 1) of a character offset in `text`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


# Never across a brace: `.*?` rescanned the rest of the line from every `{{` (quadratic).
_VARIABLE = re.compile(r"\{\{[^{}\n]*\}\}")


def split_url(url: str) -> tuple[str, tuple[Pair, ...]]:
    """Split a URL into the URL without its query and the query as ordered pairs.

    Values are percent-decoded (`+` is a space, as in form encoding); duplicates and
    order are kept; `{{var}}` placeholders and the fragment-free rest are left intact.
    """
    url = _drop_fragment(url)
    base, sep, query = url.partition("?")
    if not sep:
        return url, ()
    params = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        params.append(Pair(unquote_plus(name), unquote_plus(value)))
    return base, tuple(params)


def _drop_fragment(url: str) -> str:
    # A fragment never reaches the server; `#` inside `{{…}}` is not a fragment.
    masked = _VARIABLE.sub(lambda m: "x" * len(m.group()), url)
    hash_at = masked.find("#")
    return url if hash_at < 0 else url[:hash_at]


def encode_query_part(text: str) -> str:
    """Percent-encode a query name or value, leaving `{{var}}` placeholders readable."""
    out = []
    last = 0
    for match in _VARIABLE.finditer(text):
        out.append(quote(text[last : match.start()], safe="/:@!$'()*,;"))
        out.append(match.group())
        last = match.end()
    out.append(quote(text[last:], safe="/:@!$'()*,;"))
    return "".join(out)


def join_url(url: str, params: tuple[Pair, ...]) -> str:
    """The URL with the enabled `params` appended as its query string."""
    query = "&".join(
        f"{encode_query_part(p.name)}={encode_query_part(p.value)}" for p in params if p.enabled
    )
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


_AUTHORITY = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*")
_PATH_PARAM = re.compile(r"(?<=/):([A-Za-z_][A-Za-z0-9_.-]*)(?=/|$)")


def path_param_names(url: str) -> tuple[str, ...]:
    """The names of `:name` path segments, in order, ignoring the host's port."""
    path = _AUTHORITY.sub("", url.partition("?")[0])
    return tuple(dict.fromkeys(_PATH_PARAM.findall(path)))


def substitute_path_params(url: str, path_params: tuple[Pair, ...]) -> str:
    """The URL with each `:name` segment replaced by its enabled non-empty value."""
    values = {p.name: p.value for p in path_params if p.enabled and p.value}
    match = _AUTHORITY.match(url)
    head = match.group() if match else ""
    rest = url[len(head) :]
    rest = _PATH_PARAM.sub(lambda m: quote(values.get(m.group(1), m.group()), safe=":{}"), rest)
    return head + rest


_NAMED = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_Value = TypeVar("_Value")


def substitute_variables(value: _Value, values: dict[str, str]) -> _Value:
    """`value` (a request, a folder's headers or auth, any of their parts) with each
    `{{name}}` of `values` written in; other names stay as they are. For variables of a
    folder or a request, which our model does not have: importers write them in."""
    if not values:
        return value
    if isinstance(value, str):
        if "{{" not in value:
            return value
        return _NAMED.sub(lambda m: values.get(m.group(1), m.group()), value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(substitute_variables(item, values) for item in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {
            f.name: substitute_variables(getattr(value, f.name), values) for f in fields(value)
        }
        return replace(value, **changes)
    return value
