"""Write a collection as a Postman v2.1 collection, and its environments as Postman
environment files.

Postman has no headers above a request (the v2.1 schema gives collections and folders
`auth`, `event` and `variable`, never `header`), so the headers of the collection and
its folders are written into each request below them, as newman must send them (a
header the request sets itself wins, as here). What Postman has no place for (those
headers as they were, whether a request takes its folders' headers, how many of a
request's headers were inherited) is kept under an `x-api-explorer` member, which
Postman ignores and the importer reads back, so an export imported again gives the
same collection.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from explorer.core.collection import Collection, Environment, Folder, RequestItem
from explorer.core.formats.common import encode_query_part
from explorer.core.formats.postman_oauth2 import oauth2_values
from explorer.core.formats.postman_signing import signing_auth_values
from explorer.core.http.prepare import file_part_type
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Pair,
    Request,
    Scripts,
)
from explorer.core.translate.postman_tests_export import (
    foreign_dialect,
    foreign_loss,
    postman_test_script,
)

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
EXTENSION = "x-api-explorer"

_TYPE_LANGUAGES = {"json": "json", "xml": "xml", "html": "html", "javascript": "javascript"}
# Methods whose body newman drops unless `disableBodyPruning` is set (postman-runtime).
_PRUNED_METHODS = frozenset({"GET", "COPY", "HEAD", "PURGE", "UNLOCK"})


class _Notes:
    """What the export counts as it goes, for the report's sentences."""

    def __init__(self) -> None:
        self.losses: list[str] = []
        self.inherited_into = 0  # requests given their folders' or collection's headers
        self.non_ascii_headers = 0
        self.form_types = 0  # urlencoded bodies under another Content-Type header

    def sentences(self) -> tuple[str, ...]:
        out = list(self.losses)
        if self.inherited_into:
            out.append(
                "Postman has no headers above a request: the collection's and folders' "
                f"headers were written into each of the {self.inherited_into} request(s) "
                "below them."
            )
        if self.non_ascii_headers:
            out.append(
                f"{self.non_ascii_headers} header value(s) hold non-ASCII text: newman "
                "sends them as Latin-1, API Explorer as UTF-8."
            )
        if self.form_types:
            out.append(
                f"{self.form_types} request(s) with a urlencoded body name another "
                "Content-Type: newman sends application/x-www-form-urlencoded instead."
            )
        return tuple(dict.fromkeys(out))


def export_postman(collection: Collection) -> str:
    """The collection as Postman v2.1 JSON text."""
    return export_postman_report(collection)[0]


def export_postman_report(collection: Collection) -> tuple[str, tuple[str, ...]]:
    """The collection as Postman v2.1 JSON text, and what it could not carry (assertions
    and captures without a Postman form, Python scripts…), one sentence each."""
    notes = _Notes()
    inherited = _enabled(collection.headers)
    document: dict[str, Any] = {
        "info": {
            "_postman_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "api-explorer:" + collection.name)),
            "name": collection.name,
            "description": collection.description,
            "schema": SCHEMA_V21,
        },
        "item": [_item(item, inherited, notes) for item in collection.items],
        "variable": [
            {
                "key": variable.name,
                "value": "" if variable.secret else variable.value,
                **({"type": "secret"} if variable.secret else {}),
                **({"disabled": True} if not variable.enabled else {}),
            }
            for variable in collection.variables
        ],
    }
    if collection.auth.kind not in (AuthKind.NONE, AuthKind.INHERIT):
        document["auth"] = _auth(collection.auth, notes)
    if collection.headers:
        document[EXTENSION] = {"headers": _pairs(collection.headers)}
    owner = f"the collection {collection.name!r}"
    events = _events(
        collection.assertions, collection.captures, collection.scripts, owner, notes.losses
    )
    if events:
        document["event"] = events
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text, (
        *notes.sentences(),
        *_secrets_left_empty(collection),
        *_relative_files(collection),
        *_websockets(collection),
    )


def _websockets(collection: Collection) -> tuple[str, ...]:
    """A sentence on WebSocket requests: a v2.1 collection has no such request (Postman
    keeps them outside collection files), so they go out as requests with method WS."""
    from explorer.core.collection import walk_requests
    from explorer.core.model import is_websocket

    count = sum(is_websocket(item.request) for _path, item in walk_requests(collection))
    if not count:
        return ()
    return (
        f"WebSocket requests ({count}) have no place in a Postman v2.1 collection: they were "
        "written as requests with method WS and their saved messages were left out.",
    )


def _secrets_left_empty(collection: Collection) -> tuple[str, ...]:
    """A sentence naming the secret variables written with an empty value (here and in
    the environment files beside): without it newman sends empty credentials silently."""
    scopes = (collection.variables, *(env.variables for env in collection.environments))
    names = sorted({v.name for variables in scopes for v in variables if v.secret})
    if not names:
        return ()
    return (
        f"{len(names)} secret variable(s) were written without their value "
        f"({', '.join(names)}): set them in Postman, or give them to newman with "
        "--env-var NAME=VALUE.",
    )


def _relative_files(collection: Collection) -> tuple[str, ...]:
    """A sentence when requests send files named relative to the collection folder:
    newman resolves them from its working directory (seen: "file load error")."""
    from explorer.core.collection import walk_requests

    sending = 0
    for _, item in walk_requests(collection):
        body = item.request.body
        names = [body.file, *(part.file for part in body.parts)]
        sending += any(name and not name.startswith("/") for name in names)
    if not sending:
        return ()
    return (
        f"{sending} request(s) send files named relative to the collection folder: run "
        "newman with --working-dir set to that folder (they are not copied)",
    )


def export_postman_environment(environment: Environment, collection_name: str = "") -> str:
    """One environment as a Postman environment file (newman's `-e`): a secret
    variable is written with the type "secret" and an empty value, never its value."""
    document = {
        "id": str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"api-explorer:{collection_name}:{environment.name}")
        ),
        "name": environment.name,
        "values": [
            {
                "key": variable.name,
                "value": "" if variable.secret else variable.value,
                "type": "secret" if variable.secret else "default",
                "enabled": variable.enabled,
            }
            for variable in environment.variables
        ],
        "_postman_variable_scope": "environment",
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def environment_file_names(environments: tuple[Environment, ...]) -> tuple[str, ...]:
    """A file name part for each environment: its name with the characters a file name
    cannot hold replaced, made unique (`Prod`, `Prod-2`)."""
    names: list[str] = []
    taken: set[str] = set()
    for environment in environments:
        base = (
            "".join(
                "-" if char in '/\\:*?"<>|{}' or ord(char) < 32 else char
                for char in environment.name.strip()
            ).strip(". ")
            or "environment"
        )
        name, number = base, 2
        while name.lower() in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name.lower())
        names.append(name)
    return tuple(names)


def _events(
    assertions: tuple[Assertion, ...],
    captures: tuple[Capture, ...],
    scripts: Scripts,
    owner: str,
    losses: list[str],
) -> list[dict[str, Any]]:
    """Postman events: assertions, captures and the kept test script as a test script
    (core/translate), the kept pre-request script as it was. Python scripts stay behind."""
    events = []
    dialect = foreign_dialect(scripts.kept_pre_request)
    if dialect is not None:
        losses.append(foreign_loss(dialect, "pre-request", owner))
    elif scripts.kept_pre_request.strip():
        lines = scripts.kept_pre_request.rstrip("\n").split("\n")
        events.append(
            {"listen": "prerequest", "script": {"type": "text/javascript", "exec": lines}}
        )
    exported = postman_test_script(assertions, captures, scripts.kept_post_response, owner)
    losses += exported.losses
    if exported.lines:
        events.append(
            {"listen": "test", "script": {"type": "text/javascript", "exec": list(exported.lines)}}
        )
    if scripts.pre_request.strip() or scripts.post_response.strip():
        losses.append(f"The Python scripts of {owner} were not exported: Postman runs JavaScript.")
    return events


def _enabled(headers: tuple[Pair, ...]) -> tuple[Pair, ...]:
    return tuple(pair for pair in headers if pair.enabled and pair.name)


def _item(item: Folder | RequestItem, inherited: tuple[Pair, ...], notes: _Notes) -> dict[str, Any]:
    """`inherited`: the enabled headers of the collection and the folders around `item`,
    outermost first."""
    if isinstance(item, Folder):
        inner_inherited = (*inherited, *_enabled(item.headers))
        folder: dict[str, Any] = {
            "name": item.name,
            "description": item.description,
            "item": [_item(inner, inner_inherited, notes) for inner in item.items],
        }
        owner = f"the folder {item.name!r}"
        events = _events(item.assertions, item.captures, item.scripts, owner, notes.losses)
        if events:
            folder["event"] = events
        if item.auth.kind != AuthKind.INHERIT:
            folder["auth"] = _auth(item.auth, notes)
        if item.headers:
            folder[EXTENSION] = {"headers": _pairs(item.headers)}
        return folder
    request = item.request
    carried = _carried(inherited, request) if item.inherit_headers else ()
    behaviour: dict[str, Any] = {
        "followRedirects": request.options.follow_redirects,
        "maxRedirects": request.options.max_redirects,
        "strictSSL": request.options.verify_tls,
    }
    if not request.options.send_cookies:
        behaviour["disableCookies"] = True  # Postman's "Disable cookie jar"
    if request.method.upper() in _PRUNED_METHODS and has_body(request.body):
        behaviour["disableBodyPruning"] = True  # we send it; newman must too
    out: dict[str, Any] = {
        "name": request.name,
        "request": _request(request, carried, notes),
        "response": [],
        "protocolProfileBehavior": behaviour,
    }
    extension: dict[str, Any] = {}
    if not item.inherit_headers:
        extension["inherit_headers"] = False
    if carried:
        extension["inherited_headers"] = len(carried)
        notes.inherited_into += 1
    if extension:
        out[EXTENSION] = extension
    owner = f"the request {request.name!r}"
    events = _events(request.assertions, request.captures, request.scripts, owner, notes.losses)
    if events:
        out["event"] = events
    return out


def _carried(inherited: tuple[Pair, ...], request: Request) -> tuple[Pair, ...]:
    """The inherited headers the request sends (explorer.core.resolve.inheritance):
    each unless a nearer one, or an enabled header of the request, has its name."""
    own = {pair.name.lower() for pair in request.headers if pair.enabled}
    return tuple(
        pair
        for position, pair in enumerate(inherited)
        if pair.name.lower() not in own
        and all(later.name.lower() != pair.name.lower() for later in inherited[position + 1 :])
    )


def has_body(body: Body) -> bool:
    """Whether `body` sends anything (an empty raw text or a form of disabled fields
    sends nothing, with newman as here)."""
    if body.kind == BodyKind.RAW:
        return bool(body.text)
    if body.kind == BodyKind.FORM:
        return any(pair.enabled for pair in body.form)
    if body.kind == BodyKind.MULTIPART:
        return any(part.enabled for part in body.parts)
    return body.kind in (BodyKind.BINARY, BodyKind.GRAPHQL)


def _request(request: Request, carried: tuple[Pair, ...], notes: _Notes) -> dict[str, Any]:
    headers = _pairs(carried) + _pairs(request.headers)
    body = request.body
    written = any(
        not row.get("disabled") and str(row["key"]).lower() == "content-type" for row in headers
    )
    if body.kind in (BodyKind.RAW, BodyKind.BINARY) and body.content_type and not written:
        # As API Explorer sends it: the body's type only when no header names one (newman
        # would send both).
        headers.append({"key": "Content-Type", "value": body.content_type})
    notes.non_ascii_headers += sum(
        1 for row in headers if not row.get("disabled") and not str(row["value"]).isascii()
    )
    out: dict[str, Any] = {
        "method": request.method,
        "header": headers,
        "url": _url(request),
        "description": request.description,
    }
    if body.kind == BodyKind.FORM and has_body(body):
        types = [
            str(row["value"]).split(";")[0].strip().lower()
            for row in headers
            if not row.get("disabled") and str(row["key"]).lower() == "content-type"
        ]
        notes.form_types += any(kind != "application/x-www-form-urlencoded" for kind in types)
    if body.kind == BodyKind.GRAPHQL:
        from explorer.core.graphql.postman import postman_graphql

        out["body"] = postman_graphql(request)  # newman adds its JSON Content-Type too
    elif body.kind != BodyKind.NONE:
        out["body"] = _body(body)
    if request.auth.kind != AuthKind.INHERIT:
        out["auth"] = _auth(request.auth, notes)
    return out


def _url(request: Request) -> dict[str, Any]:
    url = request.url
    protocol, _, rest = url.rpartition("://") if "://" in url else ("", "", url)
    host, _, route = rest.partition("/")
    out: dict[str, Any] = {
        "raw": _raw_url(url, request.params),
        "host": host.split(".") if protocol else [host],
    }
    if route:  # an empty `path` list makes newman add a "/" to a URL in a variable
        out["path"] = route.split("/")
    if protocol:
        out["protocol"] = protocol
    if request.params:
        # An empty value is sent as a bare name (`?pretty`), as API Explorer sends it:
        # Postman writes that as a null value.
        out["query"] = [{**row, "value": row["value"] or None} for row in _pairs(request.params)]
    if request.path_params:
        out["variable"] = [{"key": p.name, "value": p.value} for p in request.path_params]
    return out


def _raw_url(url: str, params: tuple[Pair, ...]) -> str:
    query = "&".join(
        encode_query_part(p.name) + (f"={encode_query_part(p.value)}" if p.value else "")
        for p in params
        if p.enabled and (p.name or p.value)
    )
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _pairs(pairs: tuple[Pair, ...]) -> list[dict[str, Any]]:
    return [
        {"key": pair.name, "value": pair.value, **({"disabled": True} if not pair.enabled else {})}
        for pair in pairs
    ]


def _body(body: Body) -> dict[str, Any]:
    if body.kind == BodyKind.RAW:
        subtype = body.content_type.split(";")[0].rsplit("/", 1)[-1].rsplit("+", 1)[-1]
        language = _TYPE_LANGUAGES.get(subtype, "text")
        return {"mode": "raw", "raw": body.text, "options": {"raw": {"language": language}}}
    if body.kind == BodyKind.FORM:
        return {"mode": "urlencoded", "urlencoded": _pairs(body.form)}
    if body.kind == BodyKind.BINARY:
        return {"mode": "file", "file": {"src": body.file}}
    parts = []
    for part in body.parts:
        row: dict[str, Any] = {"key": part.name}
        if part.is_file:
            row.update(type="file", src=part.file)
        else:
            row.update(type="text", value=part.value)
        if part.content_type:
            row["contentType"] = part.content_type
        elif part.is_file:  # the type API Explorer sends, not newman's own guess
            row["contentType"] = file_part_type(part.file.rsplit("/", 1)[-1])
        if not part.enabled:
            row["disabled"] = True
        parts.append(row)
    return {"mode": "formdata", "formdata": parts}


def _auth(auth: Auth, notes: _Notes) -> dict[str, Any]:
    if auth.kind == AuthKind.NONE:
        return {"type": "noauth"}
    if auth.kind == AuthKind.INHERIT:
        return {"type": "inherit"}
    if auth.kind == AuthKind.OAUTH2:
        values = oauth2_values(auth, notes.losses)
    else:
        values = signing_auth_values(auth) or _plain_auth_values(auth)
    kind = auth.kind.value
    return {
        "type": kind,
        kind: [
            {"key": key, "value": value, "type": "boolean" if isinstance(value, bool) else "string"}
            for key, value in values.items()
        ],
    }


def _plain_auth_values(auth: Auth) -> dict[str, Any]:
    if auth.kind in (AuthKind.BASIC, AuthKind.DIGEST):
        return {"username": auth.username, "password": auth.password}
    if auth.kind == AuthKind.BEARER:
        return {"token": auth.token}
    return {"key": auth.key_name, "value": auth.key_value, "in": auth.key_in}
