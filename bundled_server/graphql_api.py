"""``/graphql``: the items and users of ``/api`` as a GraphQL API (the GraphQL lesson).

One endpoint instead of one URL per resource; the client names the fields it wants, and
``user(id) { items { … } }`` fetches in one request what REST needs two (or N+1) for.
The schema is ``data/graphql/schema.graphql``; graphql-core parses, validates and runs
it over the same store as ``/api/items`` and ``/api/users``, so a change made through
one is seen by the other, and ``createItem`` is checked by the REST endpoint's rules.

The GraphQL over HTTP convention (graphql.github.io/graphql-over-http):
POST ``{"query", "variables", "operationName"}`` as application/json, or GET with those
as query parameters (queries only: a mutation over GET is 405). A request that is not
GraphQL at all (another media type, a body that is not a JSON object, no ``query``) is
a problem+json like every other error of this server. A GraphQL request that fails to
parse or validate, or breaks a limit, answers ``{"errors": […]}`` without ``data``:
with 200 under ``application/json`` (what clients have long expected), with 400 when the
client asked for ``application/graphql-response+json``. Errors while running (an item
that does not exist) come back with ``data`` and 200 under both.

Bounded: the query text (16 KiB), its tokens, how deep selections nest and how many
fields and aliases it asks for (fragments expanded), so one request cannot make the
server walk the data without end. Introspection is on, for editors to fetch the schema.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from flask import Blueprint, Response, current_app, request
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    build_schema,
    execute,
    get_operation_ast,
    parse,
    validate,
)

from .items import SCHEMA as ITEM_SCHEMA
from .items import create_item
from .payload import json_object
from .problems import Problem
from .state import current_state
from .store import Record
from .validation import validate as validate_fields

bp = Blueprint("graphql_api", __name__)

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"

MAX_QUERY_BYTES = 16 * 1024
MAX_TOKENS = 4000
MAX_DEPTH = 10
# A standard introspection query nests 15 deep (type references unwrapped nine times)
# and asks for some 230 fields once its fragments are expanded.
MAX_INTROSPECTION_DEPTH = 20
MAX_FIELDS = 400
MAX_ALIASES = 30
MAX_FIRST = 100
MAX_OBJECTS = 2000  # items and users in one answer

# REST's field names next to the schema's, for the errors of createItem's checks.
_INPUT_NAMES = {"in_stock": "inStock", "owner_id": "ownerId"}
_STATUS_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 409: "CONFLICT", 422: "VALIDATION_ERROR"}


@functools.cache
def schema() -> GraphQLSchema:
    """The schema, built once from the SDL file shipped in the package."""
    sdl = resources.files(__package__).joinpath("data", "graphql", "schema.graphql")
    return build_schema(sdl.read_text("utf-8"))


@bp.route("/graphql", methods=["GET", "POST"])
def graphql_endpoint() -> Response:
    """Run one GraphQL operation (see the module's docstring for the rules)."""
    media_type = _response_type()
    query, variables, operation_name = _request_parameters()
    if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
        raise Problem(
            413,
            f"The query is {len(query.encode('utf-8'))} bytes; this server reads at most "
            f"{MAX_QUERY_BYTES}.",
        )
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        return _answer(media_type, [error], request_error=True)
    problems = _limits(document) or validate(schema(), document)
    if problems:
        return _answer(media_type, problems, request_error=True)
    operation = get_operation_ast(document, operation_name)
    if (
        request.method == "GET"
        and operation is not None
        and operation.operation != OperationType.QUERY
    ):
        raise Problem(
            405,
            f"A {operation.operation.value} changes data, so it is sent with POST; GET runs "
            "queries only.",
            headers={"Allow": "POST"},
        )
    result = execute(
        schema(),
        document,
        root_value=_root(),
        context_value=_Snapshot(),
        variable_values=variables,
        operation_name=operation_name,
    )
    assert isinstance(result, ExecutionResult)  # every resolver here is synchronous
    errors = [_public(error) for error in result.errors or []]
    if result.data is None and not any(error.path for error in errors):
        # Nothing ran (no such operation, variables that do not fit): a request error.
        return _answer(media_type, errors, request_error=True)
    return _answer(media_type, errors, data=result.data)


def _response_type() -> str:
    """application/json unless the client names the GraphQL response type and likes it
    at least as well (a missing Accept or */* means JSON, as the GraphQL over HTTP spec
    asks while clients change over)."""
    accept = request.accept_mimetypes
    named = any(value.lower() == GRAPHQL_RESPONSE and quality > 0 for value, quality in accept)
    if named and accept.quality(GRAPHQL_RESPONSE) >= accept.quality(JSON):
        return GRAPHQL_RESPONSE
    return JSON


def _request_parameters() -> tuple[str, dict[str, Any] | None, str | None]:
    """query, variables and operationName from the URL (GET) or the JSON body (POST);
    anything that does not make a GraphQL request is a 400 problem."""
    if request.method == "GET":
        raw: dict[str, Any] = dict(request.args)
        if raw.get("variables"):
            raw["variables"] = _json_parameter(raw["variables"])
    else:
        raw = json_object((JSON,))
    query = raw.get("query")
    if not isinstance(query, str) or not query.strip():
        where = "query parameter" if request.method == "GET" else "member of the JSON body"
        raise Problem(
            400,
            f"A GraphQL request needs a `query` {where}, holding the operation as text.",
            kind="invalid-parameter",
        )
    variables = raw.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise Problem(400, "`variables` must be a JSON object.", kind="invalid-parameter")
    name = raw.get("operationName")
    if name is not None and not isinstance(name, str):
        raise Problem(400, "`operationName` must be a string.", kind="invalid-parameter")
    return query, variables, name or None


def _json_parameter(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise Problem(
            400, "The `variables` parameter is not valid JSON.", kind="invalid-parameter"
        ) from None


def _answer(
    media_type: str,
    errors: list[GraphQLError],
    *,
    request_error: bool = False,
    data: dict[str, Any] | None = None,
) -> Response:
    """The GraphQL response: errors first (easier to notice), then data when it ran."""
    body: dict[str, Any] = {}
    if errors:
        body["errors"] = [error.formatted for error in errors]
    if not request_error:
        body["data"] = data
    status = 400 if request_error and media_type == GRAPHQL_RESPONSE else 200
    # Indented like every JSON answer of this server: people read these.
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    response = Response(text, status=status, mimetype=media_type)
    response.vary.add("Accept")
    return response


def _public(error: GraphQLError) -> GraphQLError:
    """A resolver's own GraphQLError as it is; anything else (a bug) without its words,
    which could show the server's insides, and logged for whoever runs it."""
    if error.original_error is None or isinstance(error.original_error, GraphQLError):
        return error
    current_app.logger.error("GraphQL resolver failed", exc_info=error.original_error)
    return GraphQLError(
        "The server hit an unexpected error.",
        error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR"},
    )


# --- limits -----------------------------------------------------------------------------


class _TooMuch(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.error = GraphQLError(message, extensions={"code": code})


def _limits(document: DocumentNode) -> list[GraphQLError]:
    """Errors for a document that asks for too much, before validation (whose own
    checks grow with the number of fields). Each operation is walked with fragments
    expanded where spread (a fragment already being expanded is not entered again:
    validation reports the cycle); the fragments' own fields are counted as written.
    The walk stops at the first limit crossed."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    try:
        written = sum(_fields_written(node.selection_set) for node in fragments.values())
        if written > MAX_FIELDS:
            raise _TooMuch(
                f"The fragments ask for more than {MAX_FIELDS} fields.", "QUERY_TOO_LARGE"
            )
        for node in document.definitions:
            if isinstance(node, OperationDefinitionNode):
                counts = {"fields": 0, "aliases": 0}
                _walk(node.selection_set, 1, MAX_DEPTH, fragments, counts, ())
    except _TooMuch as too_much:
        return [too_much.error]
    return []


def _fields_written(selections: SelectionSetNode) -> int:
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            total += 1
        inner = getattr(selection, "selection_set", None)
        if inner is not None:
            total += _fields_written(inner)
    return total


def _walk(
    selections: SelectionSetNode,
    depth: int,
    limit: int,
    fragments: dict[str, FragmentDefinitionNode],
    counts: dict[str, int],
    expanding: tuple[str, ...],
) -> None:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            counts["fields"] += 1
            if counts["fields"] > MAX_FIELDS:
                raise _TooMuch(
                    f"The query asks for more than {MAX_FIELDS} fields (fragments counted "
                    "where they are spread).",
                    "QUERY_TOO_LARGE",
                )
            if selection.alias is not None:
                counts["aliases"] += 1
                if counts["aliases"] > MAX_ALIASES:
                    raise _TooMuch(
                        f"The query uses more than {MAX_ALIASES} aliases.", "QUERY_TOO_LARGE"
                    )
            field_limit = limit
            if depth == 1 and selection.name.value in ("__schema", "__type"):
                field_limit = MAX_INTROSPECTION_DEPTH
            if depth > field_limit:
                raise _TooMuch(
                    f"The query nests fields {depth} deep; this server allows {limit}.",
                    "QUERY_TOO_DEEP",
                )
            if selection.selection_set is not None:
                _walk(selection.selection_set, depth + 1, field_limit, fragments, counts, expanding)
        elif isinstance(selection, InlineFragmentNode):
            _walk(selection.selection_set, depth, limit, fragments, counts, expanding)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in expanding:
                _walk(fragment.selection_set, depth, limit, fragments, counts, (*expanding, name))


# --- resolvers ----------------------------------------------------------------------------
# graphql-core's default resolver reads a dict's key, and calls it when it is callable:
# the views below are dicts whose relations are functions, run only when asked for.


class _Snapshot:
    """The data one operation reads: the store read once (so every part of the answer
    agrees, and a nested list costs no copy of the whole collection), and a count of the
    objects the answer holds, which stops a query whose lists multiply out of bounds."""

    def __init__(self) -> None:
        store = current_state().store
        self._items: list[Record] | None = None
        self._users: dict[int, Record] | None = None
        self._store = store
        self.objects = 0

    def items(self) -> list[Record]:
        if self._items is None:
            self._items = self._store.items.all()
        return self._items

    def users(self) -> dict[int, Record]:
        if self._users is None:
            self._users = {user["id"]: user for user in self._store.users.all()}
        return self._users

    def counted(self, count: int) -> None:
        self.objects += count
        if self.objects > MAX_OBJECTS:
            raise GraphQLError(
                f"The answer would hold more than {MAX_OBJECTS} items and users; ask for "
                "fewer levels of nesting, or fewer items with `first`.",
                extensions={"code": "RESULT_TOO_LARGE"},
            )


Info = GraphQLResolveInfo["_Snapshot"]


def _snapshot(info: Info) -> _Snapshot:
    return info.context


def _not_found(kind: str, record_id: str) -> GraphQLError:
    return GraphQLError(
        f"There is no {kind} with id {record_id}.", extensions={"code": "NOT_FOUND"}
    )


def _record_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 9 else None


def _item_views(info: Info, items: list[Record]) -> list[dict[str, Any]]:
    _snapshot(info).counted(len(items))
    return [_item_view(item) for item in items]


def _item_view(item: Record) -> dict[str, Any]:
    def owner(info: Info) -> dict[str, Any] | None:
        user = _snapshot(info).users().get(item.get("owner_id") or 0)
        return _user_views(info, [user])[0] if user is not None else None

    return {
        "id": item["id"],
        "name": item["name"],
        "description": item["description"],
        "price": item["price"],
        "category": item["category"],
        "tags": item["tags"],
        "inStock": item["in_stock"],
        "owner": owner,
        "createdAt": item["created_at"],
        "updatedAt": item["updated_at"],
    }


def _user_views(info: Info, users: list[Record]) -> list[dict[str, Any]]:
    _snapshot(info).counted(len(users))
    return [_user_view(user) for user in users]


def _user_view(user: Record) -> dict[str, Any]:
    def owned(info: Info) -> list[dict[str, Any]]:
        mine = [item for item in _snapshot(info).items() if item["owner_id"] == user["id"]]
        return _item_views(info, mine)

    view = {name: user[name] for name in ("id", "username", "name", "email", "city")}
    return {**view, "items": owned}


def _items(
    info: Info,
    category: str | None = None,
    inStock: bool | None = None,  # noqa: N803 (the schema's argument name)
    first: int = 50,
) -> list[dict[str, Any]]:
    if not 0 <= first <= MAX_FIRST:
        raise GraphQLError(
            f"`first` must be between 0 and {MAX_FIRST}.", extensions={"code": "BAD_USER_INPUT"}
        )
    found = [
        item
        for item in _snapshot(info).items()
        if (category is None or item["category"] == category)
        and (inStock is None or item["in_stock"] == inStock)
    ]
    return _item_views(info, found[:first])


def _item(info: Info, id: str) -> dict[str, Any]:
    record_id = _record_id(id)
    found = [item for item in _snapshot(info).items() if item["id"] == record_id]
    if not found:
        raise _not_found("item", id)
    return _item_views(info, found)[0]


def _users(info: Info) -> list[dict[str, Any]]:
    return _user_views(info, list(_snapshot(info).users().values()))


def _user(info: Info, id: str) -> dict[str, Any]:
    user = _snapshot(info).users().get(_record_id(id) or 0)
    if user is None:
        raise _not_found("user", id)
    return _user_views(info, [user])[0]


def _create_item(info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """POST /api/items by other means: the same checks, the same store, the same 201."""
    fields = {
        "name": input["name"],
        "price": input["price"],
        "category": input["category"],
        "description": input.get("description", ""),
        "tags": input.get("tags") or [],
        "in_stock": input.get("inStock", True),
    }
    owner = input.get("ownerId")
    if owner is not None:
        fields["owner_id"] = _record_id(str(owner)) or str(owner)
    try:
        created = create_item(validate_fields(fields, ITEM_SCHEMA)).get_json()
    except Problem as problem:
        raise _from_problem(problem) from None
    item = current_state().store.items.get(created["id"])
    assert item is not None  # just created, under the collection's lock
    return _item_views(info, [item])[0]


def _from_problem(problem: Problem) -> GraphQLError:
    """The REST endpoint's refusal (422, 409) as a GraphQL error with the same words."""
    extensions: dict[str, Any] = {
        "code": _STATUS_CODES.get(problem.code or 400, "BAD_USER_INPUT"),
        "status": problem.code,
    }
    errors = problem.extensions.get("errors")
    if errors:
        extensions["fields"] = [
            {
                "field": _INPUT_NAMES.get(entry.get("field", ""), entry.get("field", "")),
                "detail": entry.get("detail", ""),
            }
            for entry in errors
        ]
    return GraphQLError(problem.description or "The item was refused.", extensions=extensions)


def _root() -> dict[str, Callable[..., Any]]:
    return {
        "items": _items,
        "item": _item,
        "users": _users,
        "user": _user,
        "createItem": _create_item,
    }
