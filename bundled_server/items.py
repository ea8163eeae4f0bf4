"""``/api/items``: the REST core, a stateful collection done by the RFCs.

List with pagination (``Link``), filters, search and sorting; POST 201 + Location +
ETag; GET with ETag, Last-Modified, Cache-Control and content negotiation (Vary);
conditional GET (304); PUT (201 when it creates), PATCH with merge patch, DELETE
204; ``If-Match`` → 412; 400/404/405/406/409/415/422 as problem+json.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.http import http_date

from .conditional import check_if_match, entity_tag, is_not_modified, not_modified
from .links import href
from .listing import (
    bool_arg,
    check_known,
    float_arg,
    int_arg,
    page_headers,
    page_links,
    paginate,
    sort_records,
)
from .negotiation import best_mimetype
from .payload import json_object, no_content
from .problems import Problem
from .representations import REPRESENTATIONS
from .state import current_state
from .store import Collection, parse_iso
from .validation import Field, boolean, number, optional_id, string_list, text, validate

bp = Blueprint("items", __name__, url_prefix="/api/items")

MERGE_PATCH = "application/merge-patch+json"
CACHE_CONTROL = "no-cache"  # cacheable, but check back with the ETag every time
MAX_ID = 1_000_000
SORTABLE = {"id", "name", "price", "category", "created_at", "updated_at"}
LIST_PARAMETERS = {
    "page",
    "per_page",
    "q",
    "sort",
    "category",
    "tag",
    "in_stock",
    "owner_id",
    "min_price",
    "max_price",
}

SCHEMA = {
    "name": Field(text(80)),
    "description": Field(text(500, allow_empty=True), required=False, default=""),
    "price": Field(number(0, 1_000_000)),
    "category": Field(text(40)),
    "tags": Field(string_list(10, 30), required=False, default=[]),
    "in_stock": Field(boolean, required=False, default=True),
    "owner_id": Field(optional_id, required=False, default=None),
}


def items() -> Collection:
    """This app's item collection."""
    return current_state().store.items


def represent(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its hypermedia links."""
    links = {
        "self": href("items.get_item", item_id=item["id"]),
        "collection": href("items.list_items"),
    }
    if item.get("owner_id"):
        links["owner"] = href("users.get_user", user_id=item["owner_id"])
    return {**item, "_links": links}


def etags_of(item: dict[str, Any]) -> list[str]:
    """The ETag of every representation of this state (JSON's first)."""
    base = entity_tag(item)
    return [base + suffix for _render, suffix in REPRESENTATIONS.values()]


def _found(item_id: int) -> dict[str, Any]:
    item = items().get(item_id)
    if item is None:
        raise Problem(404, f"There is no item with id {item_id}.")
    return item


def _check_rules(fields: dict[str, Any], item_id: int | None) -> None:
    """Rules that need the other records: unique name (409), existing owner (422)."""
    name = fields["name"].casefold()
    for other in items().all():
        if other["name"].casefold() == name and other["id"] != item_id:
            raise Problem(
                409,
                f"An item named {fields['name']!r} already exists (id {other['id']}).",
                kind="duplicate",
                existing=url_for("items.get_item", item_id=other["id"]),
            )
    owner = fields.get("owner_id")
    if owner is not None and current_state().store.users.get(owner) is None:
        raise Problem(
            422,
            f"owner_id {owner} is not a user.",
            kind="validation-error",
            errors=[{"field": "owner_id", "pointer": "#/owner_id", "detail": "no such user"}],
        )


def send_item(item: dict[str, Any], status: int = 200) -> Response:
    """The JSON representation with its validators (used after writes)."""
    response = jsonify(represent(item))
    response.status_code = status
    response.set_etag(entity_tag(item))
    response.last_modified = parse_iso(item["updated_at"])
    response.headers["Cache-Control"] = CACHE_CONTROL
    if status == 201:
        response.headers["Location"] = url_for("items.get_item", item_id=item["id"])
    return response


def create_item(fields: dict[str, Any]) -> Response:
    """Check, store and answer 201 (shared with ``POST /api/users/<id>/items``)."""
    with items().lock:
        _check_rules(fields, None)
        return send_item(items().create(fields), 201)


def _filtered(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    category = request.args.get("category")
    tag = request.args.get("tag")
    in_stock = bool_arg("in_stock")
    owner = int_arg("owner_id", 0, 1, MAX_ID) if "owner_id" in request.args else None
    low, high = float_arg("min_price"), float_arg("max_price")
    words = request.args.get("q", "").casefold().split()

    def keep(item: dict[str, Any]) -> bool:
        haystack = " ".join([item["name"], item["description"], *item["tags"]]).casefold()
        return (
            (category is None or item["category"] == category)
            and (tag is None or tag in item["tags"])
            and (in_stock is None or item["in_stock"] == in_stock)
            and (owner is None or item["owner_id"] == owner)
            and (low is None or item["price"] >= low)
            and (high is None or item["price"] <= high)
            and all(word in haystack for word in words)
        )

    return [item for item in records if keep(item)]


def list_response(records: list[dict[str, Any]], path: str) -> Response:
    """Sort, paginate and wrap ``records`` in the envelope, with Link headers."""
    if "sort" in request.args:
        sort_records(records, request.args["sort"], SORTABLE)
    page = paginate(records)
    links = page_links(page, path)
    response = jsonify(
        data=[represent(item) for item in page.records],
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        total_pages=page.total_pages,
        _links={"self": {"href": request.full_path.rstrip("?")}}
        | {rel: {"href": url} for rel, url in links.items()},
    )
    response.headers.update(page_headers(page, links))
    return response


@bp.get("")
def list_items() -> Response:
    """Page through the items: ``?page=2&per_page=5&q=desk&sort=-price,name``."""
    check_known(LIST_PARAMETERS)
    return list_response(_filtered(items().all()), request.path)


@bp.post("")
def post_item() -> Response:
    """Create an item: 201, Location and ETag; 409 when the name is taken."""
    return create_item(validate(json_object(), SCHEMA))


@bp.get("/<int:item_id>")
def get_item(item_id: int) -> Response:
    """One item in the representation the Accept header prefers (JSON by default)."""
    item = _found(item_id)
    chosen = best_mimetype(list(REPRESENTATIONS))
    if chosen is None:
        raise Problem(
            406,
            "Available representations: " + ", ".join(REPRESENTATIONS) + ".",
            kind="not-acceptable",
            available=list(REPRESENTATIONS),
            headers={"Vary": "Accept"},
        )
    render, suffix = REPRESENTATIONS[chosen]
    tag = entity_tag(item) + suffix
    modified = parse_iso(item["updated_at"])
    validators = {
        "ETag": f'"{tag}"',
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept",
        "Last-Modified": http_date(modified),
    }
    if is_not_modified(tag, modified):
        return not_modified(validators)
    response = Response(render(represent(item)), mimetype=chosen)
    response.headers.update(validators)
    return response


@bp.put("/<int:item_id>")
def put_item(item_id: int) -> Response:
    """Replace the whole item, or create it at this id (201)."""
    if not 1 <= item_id <= MAX_ID:
        raise Problem(404, f"Item ids run from 1 to {MAX_ID}.")
    with items().lock:
        current = items().get(item_id)
        check_if_match(etags_of(current) if current else None)
        fields = validate(json_object(), SCHEMA)
        _check_rules(fields, item_id)
        if current is None:
            return send_item(items().create(fields, record_id=item_id), 201)
        return send_item(items().replace(item_id, fields))


@bp.patch("/<int:item_id>")
def patch_item(item_id: int) -> Response:
    """Change some fields with a JSON merge patch (RFC 7396); null removes optional ones."""
    with items().lock:
        current = _found(item_id)
        check_if_match(etags_of(current))
        patch = json_object(accepted=(MERGE_PATCH,))
        merged = merge_patch({k: v for k, v in current.items() if k in SCHEMA}, patch)
        fields = validate(merged, SCHEMA)
        _check_rules(fields, item_id)
        return send_item(items().replace(item_id, fields))


@bp.delete("/<int:item_id>")
def delete_item(item_id: int) -> Response:
    """204 No Content; the second DELETE is 404, because the item is gone."""
    with items().lock:
        current = _found(item_id)
        check_if_match(etags_of(current))
        items().delete(item_id)
    return no_content()


@bp.after_request
def advertise_patch(response: Response) -> Response:
    """OPTIONS on an item says which patch format PATCH reads (RFC 5789 §3.1)."""
    rule = request.url_rule.rule if request.url_rule else ""
    if request.method == "OPTIONS" and rule == "/api/items/<int:item_id>":
        response.headers["Accept-Patch"] = MERGE_PATCH
    return response


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge recursively, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
