"""Import Postman collections (v2.0 and v2.1) and environment files; export is in
`postman_export` and re-exported here.

Postman keeps auth on the collection, folders and requests, where a request or folder
without an `auth` member inherits. Test scripts become assertions and captures
(`core/translate`; what is not converted is kept, never run, and counted). Saved
responses and auth types without an equivalent are listed in the report.

A request imports as newman (Postman's runner, postman-runtime) sends it, checked
against newman on a recording server (tests/e2e/test_newman_roundtrip.py): a GET, HEAD,
COPY, PURGE or UNLOCK body is dropped unless `disableBodyPruning` is set (on the item or
a folder or the collection above it); an empty raw body is no body (and no
Content-Type); a urlencoded body's other Content-Type header is left out (newman
replaces it); a GraphQL body becomes the exact JSON text newman writes; a file part
without a type gets the one newman guesses from its name. Older shapes newman still
runs are read: a request as a bare URL, headers as one string (`//` disables a line), a
path variable named by `id`, rows marked `enabled`, one `event` object.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats.common import (
    MAX_FOLDER_DEPTH,
    FormatError,
    ImportResult,
    path_param_names,
    split_url,
)
from explorer.core.formats.document import as_dict, as_list, as_text, child, load_json
from explorer.core.formats.postman_export import EXTENSION, export_postman, has_body
from explorer.core.formats.postman_oauth2 import oauth2_auth
from explorer.core.formats.postman_signing import signing_auth
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Options, Pair, Part, Request
from explorer.core.translate.postman_tests import EventChecks, checks_from_events, conversion_note

__all__ = ["export_postman", "import_postman", "is_postman"]

# Methods whose body Postman's runtime drops unless the request sets
# `protocolProfileBehavior.disableBodyPruning` (postman-runtime, METHODS_WITHOUT_BODY).
PRUNED_METHODS = frozenset({"GET", "COPY", "HEAD", "PURGE", "UNLOCK"})
FORM_TYPE = "application/x-www-form-urlencoded"

_LANGUAGE_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "javascript": "application/javascript",
    "text": "text/plain",
    "graphql": "application/json",
}


def is_postman(document: Any) -> bool:
    """Whether a parsed document is a Postman collection or environment."""
    if not isinstance(document, dict):
        return False
    info = document.get("info")
    schema = info.get("schema", "") if isinstance(info, dict) else ""
    return "getpostman.com" in str(schema) or "_postman_variable_scope" in document


def import_postman(text: str) -> ImportResult:
    """Import a Postman collection or environment/globals file."""
    document = as_dict(load_json(text), "$")
    if "_postman_variable_scope" in document or ("values" in document and "info" not in document):
        environment = _environment(document)
        return ImportResult(
            Collection(environment.name, environments=(environment,)), (environment,)
        )
    return _Importer().collection(document)


def _environment(document: dict[str, Any]) -> Environment:
    variables = []
    for index, value in enumerate(as_list(document.get("values"), "$.values")):
        path = child("$.values", index)
        row = as_dict(value, path)
        variables.append(
            Variable(
                as_text(row.get("key"), child(path, "key")),
                as_text(row.get("value"), child(path, "value")),
                secret=row.get("type") == "secret",
                enabled=row.get("enabled", True) is not False,
            )
        )
    return Environment(as_text(document.get("name"), "$.name") or "Environment", tuple(variables))


class _Importer:
    """Walks one collection document; collects the report as it goes."""

    def __init__(self) -> None:
        self.report: list[str] = []
        self.converted = self.total = 0  # test statements, for the report's count
        # protocolProfileBehavior of the collection and the folders around the item being
        # read: newman applies it to every request below, the nearest value winning.
        self.behaviour: dict[str, Any] = {}

    def collection(self, document: dict[str, Any]) -> ImportResult:
        info = as_dict(document.get("info"), "$.info")
        # A collection without `info` (newman still runs those) names itself at the top.
        name = (
            as_text(info.get("name"), "$.info.name")
            or (as_text(document.get("name"), "$.name") if not info else "")
            or "Postman collection"
        )
        checks = self._events(document, "$", f"the collection {name!r}")
        extension = as_dict(document.get(EXTENSION), child("$", EXTENSION))
        self.behaviour = as_dict(document.get("protocolProfileBehavior"), "$")
        collection = Collection(
            name=name,
            items=self._items(document.get("item"), "$.item"),
            description=_description(info.get("description"), "$.info.description"),
            variables=self._variables(document.get("variable"), "$.variable"),
            headers=_pairs(extension.get("headers"), child(child("$", EXTENSION), "headers")),
            auth=self._auth(document, "$", default=Auth()),
            assertions=checks.assertions,
            captures=checks.captures,
            scripts=checks.scripts,
        )
        if self.total:
            self.report.insert(0, conversion_note(self.converted, self.total))
        return ImportResult(collection, (), tuple(dict.fromkeys(self.report)))

    def _variables(self, value: Any, path: str) -> tuple[Variable, ...]:
        variables = []
        for index, item in enumerate(as_list(value, path)):
            row = as_dict(item, child(path, index))
            key = as_text(row.get("key", row.get("id")), child(child(path, index), "key"))
            variables.append(
                Variable(
                    key,
                    _value_text(row.get("value")),
                    secret=row.get("type") == "secret",
                    enabled=not row.get("disabled", False),
                )
            )
        return tuple(variables)

    def _items(self, value: Any, path: str, depth: int = 1) -> tuple[Folder | RequestItem, ...]:
        """The items of one list; its folders are `depth` levels deep (1 at the top)."""
        items: list[Folder | RequestItem] = []
        for index, item in enumerate(as_list(value, path)):
            item_path = child(path, index)
            row = as_dict(item, item_path)
            if "item" in row or "request" not in row:
                if depth > MAX_FOLDER_DEPTH:
                    message = f"Folders are nested more than {MAX_FOLDER_DEPTH} levels deep"
                    raise FormatError(message, item_path)
                items.append(self._folder(row, item_path, depth))
            else:
                items.append(self._request_item(row, item_path))
        return tuple(items)

    def _folder(self, row: dict[str, Any], path: str, depth: int) -> Folder:
        name = as_text(row.get("name"), child(path, "name")) or "Folder"
        checks = self._events(row, path, f"the folder {name!r}")
        folder_variables = as_list(row.get("variable"), child(path, "variable"))
        if folder_variables:
            self.report.append(
                f"{len(folder_variables)} variable(s) of the folder {name!r} were not "
                "imported: folders have no variables here."
            )
        extension = as_dict(row.get(EXTENSION), child(path, EXTENSION))
        outer = self.behaviour
        own = as_dict(row.get("protocolProfileBehavior"), child(path, "protocolProfileBehavior"))
        self.behaviour = {**outer, **own}
        items = self._items(row.get("item"), child(path, "item"), depth + 1)
        self.behaviour = outer
        return Folder(
            name=name,
            items=items,
            description=_description(row.get("description"), child(path, "description")),
            headers=_pairs(extension.get("headers"), child(path, EXTENSION)),
            auth=self._auth(row, path, default=Auth(AuthKind.INHERIT)),
            assertions=checks.assertions,
            captures=checks.captures,
            scripts=checks.scripts,
        )

    def _request_item(self, row: dict[str, Any], path: str) -> RequestItem:
        name = as_text(row.get("name"), child(path, "name")) or "Request"
        checks = self._events(row, path, f"the request {name!r}")
        responses = as_list(row.get("response"), child(path, "response"))
        if responses:
            self.report.append(f"{len(responses)} saved response(s) of {name!r} were not imported.")
        request_path = child(path, "request")
        raw = row["request"]
        request_row = {"url": raw} if isinstance(raw, str) else as_dict(raw, request_path)
        extension = as_dict(row.get(EXTENSION), child(path, EXTENSION))
        request = self._request(request_row, request_path, name, row).with_changes(
            assertions=checks.assertions, captures=checks.captures, scripts=checks.scripts
        )
        # Our export writes the collection's and folders' headers into each request
        # (Postman has none above a request) and counts them here: they come first.
        inherited = extension.get("inherited_headers", 0)
        if isinstance(inherited, int) and not isinstance(inherited, bool) and inherited > 0:
            request = request.with_changes(headers=request.headers[inherited:])
        return RequestItem(
            request, inherit_headers=extension.get("inherit_headers", True) is not False
        )

    def _request(self, row: dict[str, Any], path: str, name: str, item: dict[str, Any]) -> Request:
        url, params, path_params = _url(row.get("url"), child(path, "url"))
        self._note_empty_values(row.get("url"), name)
        headers = list(_pairs(row.get("header"), child(path, "header")))
        non_ascii = sum(1 for pair in headers if pair.enabled and not pair.value.isascii())
        if non_ascii:
            self.report.append(
                f"{non_ascii} header value(s) of {name!r} hold non-ASCII text: newman sends "
                "them as Latin-1, API Explorer as UTF-8 (as curl does)."
            )
        method = (as_text(row.get("method"), child(path, "method")) or "GET").upper()
        body = self._body(row.get("body"), child(path, "body"), name, method)
        behaviour_path = child(path, "protocolProfileBehavior")
        behaviour = {
            **self.behaviour,
            **as_dict(item.get("protocolProfileBehavior"), behaviour_path),
        }
        if method in PRUNED_METHODS and has_body(body):
            if behaviour.get("disableBodyPruning") is not True:
                # newman sends no body with these methods unless told to; nor do we.
                self.report.append(
                    f"The body of the {method} request {name!r} was not imported: Postman "
                    "does not send it (disableBodyPruning is not set)."
                )
                body = Body()
        if body.kind == BodyKind.FORM:
            headers = self._form_content_type(headers, name)
        body, headers = _move_content_type(body, headers)
        description = row.get("description", item.get("description"))
        return Request(
            method=method,
            url=url,
            params=params,
            path_params=path_params,
            headers=tuple(headers),
            body=body,
            auth=self._auth(row, path, default=Auth(AuthKind.INHERIT)),
            options=_options(behaviour, behaviour_path),
            name=name,
            description=_description(description, child(path, "description")),
        )

    def _form_content_type(self, headers: list[Pair], name: str) -> list[Pair]:
        """A urlencoded body goes out as application/x-www-form-urlencoded whatever
        Content-Type header the request names: newman (postman-request's `form`)
        replaces it. The request sends what Postman sends; the report says so."""
        kept = [
            pair
            for pair in headers
            if not (
                pair.enabled
                and pair.name.lower() == "content-type"
                and pair.value.split(";")[0].strip().lower() != FORM_TYPE
            )
        ]
        if len(kept) != len(headers):
            self.report.append(
                f"The Content-Type header of {name!r} was left out: Postman sends its "
                f"urlencoded body as {FORM_TYPE} whatever the header says."
            )
        return kept

    def _note_empty_values(self, value: Any, name: str) -> None:
        # `?a=` and `?a` differ on the wire; a parameter holds no such difference.
        if not isinstance(value, dict) or not isinstance(value.get("query"), list):
            return
        count = sum(
            1
            for row in value["query"]
            if isinstance(row, dict) and row.get("value") == "" and not row.get("disabled")
        )
        if count:
            self.report.append(
                f"{count} query parameter(s) of {name!r} with an empty value (name=) "
                "are sent as a bare name."
            )

    def _body(self, value: Any, path: str, name: str, method: str = "POST") -> Body:
        row = as_dict(value, path)
        if not row:
            return Body()
        mode = as_text(row.get("mode"), child(path, "mode"))
        if row.get("disabled"):
            self.report.append(f"The disabled body of {name!r} was not imported.")
            return Body()
        if mode == "raw":
            options = as_dict(as_dict(row.get("options"), child(path, "options")).get("raw"), path)
            language = as_text(options.get("language"), path) or "text"
            text = _value_text(row.get("raw"))
            if not text:  # newman sends neither a body nor a Content-Type for it
                return Body()
            return Body(BodyKind.RAW, text=text, content_type=_LANGUAGE_TYPES.get(language, ""))
        if mode == "urlencoded":
            return Body(
                BodyKind.FORM, form=_pairs(row.get("urlencoded"), child(path, "urlencoded"))
            )
        if mode == "formdata":
            return Body(
                BodyKind.MULTIPART, parts=self._parts(row.get("formdata"), child(path, "formdata"))
            )
        if mode == "file":
            source = as_dict(row.get("file"), child(path, "file")).get("src")
            if not source:
                self.report.append(f"The file body of {name!r} names no file.")
            return Body(BodyKind.BINARY, file=as_text(source, child(path, "file")))
        if mode == "graphql":
            return self._graphql(row, path, name, method)
        if mode:
            self.report.append(f"The body mode {mode!r} of {name!r} is not supported.")
        return Body()

    def _graphql(self, row: dict[str, Any], path: str, name: str, method: str) -> Body:
        """A GraphQL body (explorer.core.graphql.postman)."""
        from explorer.core.graphql.postman import graphql_from_postman

        body, note = graphql_from_postman(
            as_dict(row.get("graphql"), child(path, "graphql")), name, method
        )
        if note:
            self.report.append(note)
        return body

    def _parts(self, value: Any, path: str) -> tuple[Part, ...]:
        parts = []
        for index, item in enumerate(as_list(value, path)):
            part_path = child(path, index)
            row = as_dict(item, part_path)
            name = as_text(row.get("key"), child(part_path, "key"))
            content_type = as_text(row.get("contentType"), child(part_path, "contentType"))
            enabled = not row.get("disabled", False) and row.get("enabled") is not False
            if row.get("type") == "file":
                source = row.get("src")
                if isinstance(source, list):
                    if len(source) > 1:
                        self.report.append(
                            f"Only the first file of the form field {name!r} was kept."
                        )
                    source = source[0] if source else ""
                file = as_text(source, child(part_path, "src"))
                parts.append(
                    Part(
                        name,
                        file=file,
                        content_type=content_type or _file_type(file),
                        enabled=enabled,
                    )
                )
            else:
                parts.append(
                    Part(
                        name,
                        _value_text(row.get("value")),
                        content_type=content_type,
                        enabled=enabled,
                    )
                )
        return tuple(parts)

    def _auth(self, row: dict[str, Any], path: str, default: Auth) -> Auth:
        if "auth" not in row or row["auth"] is None:
            return default
        auth_path = child(path, "auth")
        auth = as_dict(row["auth"], auth_path)
        kind = as_text(auth.get("type"), child(auth_path, "type"))
        values = _auth_values(auth.get(kind), child(auth_path, kind))
        if kind == "noauth":
            return Auth()
        if kind == "inherit":
            return Auth(AuthKind.INHERIT)
        if kind in ("basic", "digest"):
            return Auth(
                AuthKind(kind),
                username=values.get("username", ""),
                password=values.get("password", ""),
            )
        if kind == "bearer":
            return Auth(AuthKind.BEARER, token=values.get("token", ""))
        if kind == "apikey":
            return Auth(
                AuthKind.API_KEY,
                key_name=values.get("key", ""),
                key_value=values.get("value", ""),
                key_in="query" if values.get("in") == "query" else "header",
            )
        if kind == "oauth2":
            return oauth2_auth(values, auth_path, self.report)
        signed = signing_auth(kind, values, auth_path, self.report)
        if signed is not None:
            return signed
        self.report.append(
            f"The {kind or 'unknown'} authentication at {auth_path} is not supported."
        )
        return Auth()

    def _events(self, row: dict[str, Any], path: str, owner: str) -> EventChecks:
        event = row.get("event")
        # newman also runs an `event` given as one object instead of a list of them.
        events = [event] if isinstance(event, dict) else as_list(event, child(path, "event"))
        for index, entry in enumerate(events):
            as_text(as_dict(entry, child(child(path, "event"), index)).get("listen"), path)
        # Test scripts become assertions and captures; the rest is kept (never run).
        checks = checks_from_events(events, owner)
        self.converted += checks.converted
        self.total += checks.total
        self.report += checks.notes
        return checks


def _auth_values(value: Any, path: str) -> dict[str, str]:
    # v2.1 writes [{"key": …, "value": …}], v2.0 writes {"username": …}.
    if isinstance(value, list):
        out = {}
        for index, row in enumerate(value):
            row = as_dict(row, child(path, index))
            out[as_text(row.get("key"), path)] = _value_text(row.get("value"))
        return out
    return {key: _value_text(item) for key, item in as_dict(value, path).items()}


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _description(value: Any, path: str) -> str:
    if isinstance(value, dict):
        return as_text(value.get("content"), child(path, "content"))
    return as_text(value, path)


def _pairs(value: Any, path: str) -> tuple[Pair, ...]:
    if isinstance(value, str):  # v2.0 allows headers as one "Name: value\n…" string
        return _header_block(value)
    pairs = []
    for index, item in enumerate(as_list(value, path)):
        row = as_dict(item, child(path, index))
        # v2.0 names a path variable by `id` and may mark a row `enabled` instead.
        key = row.get("key", row.get("id"))
        pairs.append(
            Pair(
                as_text(key, child(child(path, index), "key")),
                _value_text(row.get("value")),
                enabled=not row.get("disabled", False) and row.get("enabled") is not False,
            )
        )
    return tuple(pairs)


def _header_block(text: str) -> tuple[Pair, ...]:
    """Headers written as one string (v2.0 and older): a line each, `//` before a
    disabled one (as Postman wrote them), lines without a name left out."""
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        enabled = not line.startswith("//")
        name, colon, value = line.removeprefix("//").partition(":")
        if colon and name.strip():
            pairs.append(Pair(name.strip(), value.strip(), enabled=enabled))
    return tuple(pairs)


@cache
def _file_types() -> Any:
    import mimetypes

    # Python's own table, not the system's: the same import on every machine.
    return mimetypes.MimeTypes()


def _file_type(file: str) -> str:
    """The Content-Type newman gives a file part that names none: from the file's
    extension, else application/octet-stream (form-data's `mime.lookup`)."""
    if not file:
        return ""
    guessed, _ = _file_types().guess_type(file.rsplit("/", 1)[-1], strict=False)
    return guessed or "application/octet-stream"


def _url(value: Any, path: str) -> tuple[str, tuple[Pair, ...], tuple[Pair, ...]]:
    if value is None:
        return "", (), ()
    if isinstance(value, str):
        url, params = split_url(value)
        return url, params, tuple(Pair(name) for name in path_param_names(url))
    row = as_dict(value, path)
    raw = as_text(row.get("raw"), child(path, "raw"))
    url, params = split_url(raw) if raw else (_compose_url(row, path), ())
    if "query" in row:
        params = _pairs(row.get("query"), child(path, "query"))
    known = _pairs(row.get("variable"), child(path, "variable"))
    names = {pair.name for pair in known}
    extra = tuple(Pair(name) for name in path_param_names(url) if name not in names)
    return url, params, known + extra


def _compose_url(row: dict[str, Any], path: str) -> str:
    def joined(key: str, separator: str) -> str:
        part = row.get(key)
        if isinstance(part, list):
            return separator.join(_value_text(piece) for piece in part)
        return as_text(part, child(path, key))

    host = joined("host", ".")
    protocol = as_text(row.get("protocol"), child(path, "protocol"))
    port = as_text(row.get("port"), child(path, "port"))
    url = f"{protocol}://{host}" if protocol else host
    if port:
        url += f":{port}"
    route = joined("path", "/")
    return f"{url}/{route}" if route else url


def _move_content_type(body: Body, headers: list[Pair]) -> tuple[Body, list[Pair]]:
    # The body owns its content type; the header that states it moves into the body.
    if body.kind not in (BodyKind.RAW, BodyKind.BINARY):
        return body, headers
    for pair in headers:
        if pair.enabled and pair.name.lower() == "content-type":
            rest = [other for other in headers if other is not pair]
            return Body(body.kind, text=body.text, content_type=pair.value, file=body.file), rest
    return body, headers


def _options(value: Any, path: str) -> Options:
    behaviour = as_dict(value, path)
    return Options(
        follow_redirects=behaviour.get("followRedirects", True) is not False,
        max_redirects=_integer(behaviour.get("maxRedirects"), child(path, "maxRedirects")),
        verify_tls=behaviour.get("strictSSL", True) is not False,
        send_cookies=behaviour.get("disableCookies", False) is not True,
    )


def _integer(value: Any, path: str) -> int:
    if value is None:
        return Options.max_redirects
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FormatError("Expected a number", path)
    try:
        return int(value)
    except (ValueError, OverflowError):  # "ten", or a float that is infinite
        raise FormatError(f"Expected a number, found {str(value)[:40]!r}", path) from None
