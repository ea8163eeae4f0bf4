"""Query parameters of a collection: pagination, filters, text search and sorting.

Bad values are a client error (400) named per parameter, never silently ignored:
a learner who writes ``per_page=lots`` should be told, not given ten items.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import request

from .links import link_header
from .problems import Problem

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page:
    """One page of results and the numbers that describe it."""

    records: list[dict[str, Any]]
    page: int
    per_page: int
    total: int

    @property
    def total_pages(self) -> int:
        """At least one page, so that "last" always exists."""
        return max(1, math.ceil(self.total / self.per_page))


def bad_parameter(name: str, detail: str) -> Problem:
    """A 400 problem about one query parameter."""
    return Problem(
        400,
        f"Query parameter {name}: {detail}.",
        kind="invalid-parameter",
        errors=[{"parameter": name, "detail": detail}],
    )


def check_known(allowed: set[str]) -> None:
    """Refuse parameters the collection does not understand (typos would be ignored)."""
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise bad_parameter(unknown[0], f"is not supported; use {', '.join(sorted(allowed))}")


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """An integer parameter within bounds."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise bad_parameter(name, f"must be a whole number from {low} to {high}")
    return int(raw)


def float_arg(name: str) -> float | None:
    """An optional number."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise bad_parameter(name, "must be a number") from None
    if not math.isfinite(value):
        raise bad_parameter(name, "must be a finite number")
    return value


def bool_arg(name: str) -> bool | None:
    """An optional ``true``/``false``."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise bad_parameter(name, "must be true or false")
    return raw == "true"


def sort_records(records: list[dict[str, Any]], spec: str, allowed: set[str]) -> None:
    """Sort in place by ``spec`` such as ``-price,name`` (stable, last key first)."""
    keys = [part.strip() for part in spec.split(",") if part.strip()]
    if not keys:
        raise bad_parameter("sort", "must name at least one field")
    for key in reversed(keys):
        field = key.lstrip("-")
        if field not in allowed or key.count("-") > 1:
            raise bad_parameter(
                "sort", f"{field!r} is not sortable; use {', '.join(sorted(allowed))}"
            )
        records.sort(key=_sort_key(field), reverse=key.startswith("-"))


def _sort_key(field: str) -> Callable[[dict[str, Any]], Any]:
    def key(record: dict[str, Any]) -> Any:
        value = record.get(field)
        # Case-insensitive text, and None after everything else.
        return (value is None, value.lower() if isinstance(value, str) else value)

    return key


def paginate(records: list[dict[str, Any]], default_per_page: int = 10) -> Page:
    """Cut the requested page out of ``records``."""
    page = int_arg("page", 1, 1, 1_000_000)
    per_page = int_arg("per_page", default_per_page, 1, MAX_PER_PAGE)
    start = (page - 1) * per_page
    return Page(records[start : start + per_page], page, per_page, len(records))


def page_links(page: Page, endpoint_path: str) -> dict[str, str]:
    """first/prev/next/last URLs that keep every other query parameter."""

    def url(number: int) -> str:
        args = request.args.copy()
        args["page"] = str(number)
        args["per_page"] = str(page.per_page)
        pairs = [(k, v) for k, values in args.lists() for v in values]
        return f"{endpoint_path}?{urlencode(pairs)}"

    links = {"first": url(1)}
    if page.page > 1:
        links["prev"] = url(min(page.page - 1, page.total_pages))
    if page.page < page.total_pages:
        links["next"] = url(page.page + 1)
    links["last"] = url(page.total_pages)
    return links


def page_headers(page: Page, links: dict[str, str]) -> dict[str, str]:
    """``Link`` (RFC 8288) and ``X-Total-Count`` for a page."""
    return {"Link": link_header(links), "X-Total-Count": str(page.total)}
