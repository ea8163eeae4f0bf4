"""The assertions and captures of the "Sample API" collection (see `sample_collection`).

The importer gives every request a `status` check (when the document names one success)
and an `openapi` check against the server's own document. On top of those, the main
requests say what the lesson on testing and chaining explains:

- the login (`POST /auth/token`) captures the token as a secret variable, and
  `GET /auth/me` sends it as its bearer token;
- `POST /api/items` and `POST /api/todos` capture the new id, and the PUT, PATCH and
  DELETE after them work on that new resource (not on the seeded ones), with the
  DELETE last, so the collection can be run again and again on the same server;
- the toolbox requests that answer a chosen status (`/status/418`), redirect, or
  expect a file get the checks that fit what they are for.
"""

from __future__ import annotations

import dataclasses

from explorer.core.collection import Collection, Folder, RequestItem, Variable
from explorer.core.model import Assertion, Capture, Operator, Pair, Request, Subject

S, Op = Subject, Operator

# (method, path as the sample writes it after {{base_url}}) -> assertions added.
_ASSERTIONS: dict[tuple[str, str], tuple[Assertion, ...]] = {
    ("POST", "/auth/token"): (
        Assertion(S.JSONPATH, Op.EQ, "Bearer", "$.token_type", name="a bearer token"),
        Assertion(S.JSONPATH, Op.GT, "0", "$.expires_in", name="it expires"),
        Assertion(S.HEADER, Op.EQ, "no-store", "Cache-Control", name="never cached"),
    ),
    ("GET", "/auth/me"): (
        Assertion(S.JSONPATH, Op.EQ, "ada", "$.username", name="the token says who"),
        Assertion(S.JSONPATH, Op.EQ, "false", "$.stored_on_server", name="nothing stored"),
    ),
    ("GET", "/api/items"): (
        Assertion(S.JSONPATH, Op.IS_TYPE, "list", "$.data", name="a page of items"),
        Assertion(S.JSONPATH, Op.EQ, "1", "$.page"),
        Assertion(S.HEADER, Op.EXISTS, "", "X-Total-Count", name="the total in a header"),
    ),
    ("GET", "/api/items/:item_id"): (
        Assertion(S.JSONPATH, Op.EQ, "1", "$.id"),
        Assertion(S.JSONPATH, Op.IS_TYPE, "number", "$.price"),
        Assertion(S.HEADER, Op.EXISTS, "", "ETag", name="a validator for caching"),
    ),
    ("POST", "/api/items"): (
        Assertion(S.HEADER, Op.EXISTS, "", "Location", name="says where it was created"),
        Assertion(S.JSONPATH, Op.IS_TYPE, "integer", "$.id"),
    ),
    ("PUT", "/api/items/:item_id"): (
        Assertion(S.STATUS, Op.EQ, "200"),
        Assertion(S.JSONPATH, Op.EQ, "{{item_id}}", "$.id", name="the item created above"),
    ),
    ("PATCH", "/api/items/:item_id"): (
        Assertion(S.JSONPATH, Op.EQ, "{{item_id}}", "$.id", name="the item created above"),
    ),
    ("POST", "/api/todos"): (Assertion(S.JSONPATH, Op.IS_TYPE, "integer", "$.id"),),
    ("GET", "/api/todos/:todo_id"): (
        Assertion(S.JSONPATH, Op.EQ, "{{todo_id}}", "$.id", name="the todo created above"),
    ),
    ("GET", "/json"): (
        Assertion(S.JSONPATH, Op.COUNT, "3", "$.library.books"),
        Assertion(S.JMESPATH, Op.CONTAINS, "RESTful Web APIs", "library.books[].title"),
    ),
    ("GET", "/xml"): (
        Assertion(S.XPATH, Op.EQ, "3", "count(//book)"),
        Assertion(S.XPATH, Op.EQ, "Practice Library", "string(/library/@name)"),
    ),
    ("GET", "/html"): (Assertion(S.XPATH, Op.EQ, "Practice Library", "string(//h1)"),),
    ("GET", "/uuid"): (Assertion(S.JSONPATH, Op.IS_TYPE, "uuid", "$.uuid"),),
    ("POST", "/graphql"): (
        Assertion(S.JSONPATH, Op.EXISTS, "", "$.errors", negate=True, name="no GraphQL errors"),
        Assertion(S.JSONPATH, Op.EQ, "Ada Lovelace", "$.data.item.owner.name", name="nested"),
    ),
}

# Paths (any method) whose imported status check does not fit what they demonstrate:
# the status they are asked for, or "" for none (the `openapi` check still fails a
# status the document does not list).
_STATUS: dict[str, str] = {
    "/status/:codes": "418",  # answers the status in its path
    "/unstable": "",  # fails at random, on purpose
    "/basic-auth/:user/:passwd": "",  # 401 until the user types the credentials
    "/digest-auth/:qop/:user/:passwd": "",
    "/digest-auth/:qop/:user/:passwd/:algorithm": "",
    # The "common mistakes" answer their mistake, error statuses included, on purpose.
    "/mistakes/not-modified-without-etag": "304",  # sent with the ETag: the faulty 304
    "/mistakes/rate-limited": "429",
    "/mistakes/unavailable": "503",
    "/mistakes/redirect-to": "302",
    "/mistakes/redirect-without-location": "302",
    "/mistakes/unauthorized-without-challenge": "401",
    "/mistakes/method-not-allowed": "405",
    "/mistakes/problem": "400",
}
# The same for one method of a path: the consent form's answer, sent without a consent
# page shown to this client first, is refused (400) and never redirected.
_STATUS_OF: dict[tuple[str, str], str] = {("POST", "/oauth/authorize"): "400"}
# Headers a request needs to show what it is for (OpenAPI ignores an Accept parameter):
# a client that negotiates, for the response that forgets Vary; the OAuth resource,
# with the token the client-credentials request before it captured (the importer has no
# OAuth 2.0 auth to map the document's oauth2 scheme to).
_OAUTH_BEARER = (Pair("Authorization", "Bearer {{oauth_token}}"),)
_HEADERS: dict[tuple[str, str], tuple[Pair, ...]] = {
    ("GET", "/mistakes/vary-missing"): (Pair("Accept", "application/xml, application/json;q=0.5"),),
    ("GET", "/oauth/me"): _OAUTH_BEARER,
    ("GET", "/oauth/items"): _OAUTH_BEARER,
    ("POST", "/oauth/items"): _OAUTH_BEARER,
}
# Redirects shown, not followed: the open redirect's example points off this machine,
# and the sample never leaves it.
_NO_FOLLOW = {"/mistakes/redirect-to"}
# Path parameters given another example: the gateway's example path (cache/30) takes
# only GET, and the other methods go through it to /anything instead.
_PATH_VALUES: dict[tuple[str, str], tuple[str, str]] = {
    (method, "/gateway/:path"): ("path", "anything")
    for method in ("PUT", "POST", "DELETE", "PATCH", "OPTIONS")
}

_CAPTURES: dict[tuple[str, str], tuple[Capture, ...]] = {
    ("POST", "/auth/token"): (Capture("token", S.JSONPATH, "$.access_token", secret=True),),
    ("POST", "/api/items"): (
        Capture("item_id", S.JSONPATH, "$.id"),
        Capture("item_name", S.JSONPATH, "$.name"),
    ),
    ("POST", "/api/todos"): (Capture("todo_id", S.JSONPATH, "$.id"),),
    ("POST", "/oauth/token"): (Capture("oauth_token", S.JSONPATH, "$.access_token", secret=True),),
}

# Path parameters that take the id captured above: the run changes its own resources.
_CHAINED = {
    ("PUT", "/api/items/:item_id"): ("item_id", "{{item_id}}"),
    ("PATCH", "/api/items/:item_id"): ("item_id", "{{item_id}}"),
    ("DELETE", "/api/items/:item_id"): ("item_id", "{{item_id}}"),
    ("GET", "/api/todos/:todo_id"): ("todo_id", "{{todo_id}}"),
    ("PUT", "/api/todos/:todo_id"): ("todo_id", "{{todo_id}}"),
    ("DELETE", "/api/todos/:todo_id"): ("todo_id", "{{todo_id}}"),
}
# Their values before anything was captured (a request sent on its own).
_DEFAULTS = (
    Variable("item_id", "1"),
    Variable("item_name", "Mechanical keyboard"),
    Variable("todo_id", "1"),
    Variable("oauth_token", "", secret=True),
)
# The PUT replaces the item created above, under its own name (another item's name
# would be a 409 conflict).
_BODY_NAMES = {("PUT", "/api/items/:item_id"): ("Mechanical keyboard", "{{item_name}}")}


def with_sample_checks(collection: Collection) -> Collection:
    """`collection` (the imported practice server document) with the sample's checks."""
    items = tuple(_item(item) for item in collection.items)
    names = {variable.name for variable in collection.variables}
    variables = (*collection.variables, *(v for v in _DEFAULTS if v.name not in names))
    return dataclasses.replace(collection, items=items, variables=variables)


def _item(item: Folder | RequestItem) -> Folder | RequestItem:
    if isinstance(item, Folder):
        children = tuple(_item(child) for child in item.items)
        return dataclasses.replace(item, items=_deletes_last(children))
    return dataclasses.replace(item, request=_request(item.request))


def _key(request: Request) -> tuple[str, str]:
    return request.method, request.url.removeprefix("{{base_url}}")


def _request(request: Request) -> Request:
    key = _key(request)
    assertions = list(request.assertions)
    wanted = _STATUS_OF.get(key, _STATUS.get(key[1]))
    if wanted is not None:
        assertions = [a for a in assertions if a.subject is not S.STATUS]
        if wanted:
            assertions.insert(0, Assertion(S.STATUS, Op.EQ, wanted))
    if key in _ASSERTIONS:
        extra = _ASSERTIONS[key]
        if any(a.subject is S.STATUS for a in extra):
            assertions = [a for a in assertions if a.subject is not S.STATUS]
        assertions += extra
    path_params = request.path_params
    if key in _CHAINED or key in _PATH_VALUES:
        name, value = _CHAINED.get(key) or _PATH_VALUES[key]
        path_params = tuple(
            Pair(p.name, value, p.enabled) if p.name == name else p for p in path_params
        )
    body = request.body
    if key in _BODY_NAMES:
        old, new = _BODY_NAMES[key]
        body = dataclasses.replace(body, text=body.text.replace(old, new))
    options = request.options
    if key[1] in _NO_FOLLOW:
        options = dataclasses.replace(options, follow_redirects=False)
    return request.with_changes(
        # Not twice when the checks are applied to an already checked collection (the
        # explainer's sweep does): two Authorization headers are no token at all.
        headers=request.headers
        + tuple(p for p in _HEADERS.get(key, ()) if p not in request.headers),
        options=options,
        body=body,
        assertions=tuple(assertions),
        captures=request.captures + _CAPTURES.get(key, ()),
        path_params=path_params,
    )


def _deletes_last(items: tuple[Folder | RequestItem, ...]) -> tuple[Folder | RequestItem, ...]:
    """Each DELETE moved after the other requests on the same path, so the resource it
    removes is still there for them."""
    result = list(items)
    for item in items:
        if isinstance(item, RequestItem) and item.request.method == "DELETE":
            same = [
                i
                for i, other in enumerate(result)
                if isinstance(other, RequestItem) and other.request.url == item.request.url
            ]
            result.remove(item)
            result.insert(max(same), item)
    return tuple(result)
