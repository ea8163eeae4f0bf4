"""Responses from the real practice server, and a checking context, for the checks tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core.checks.evaluate import CheckContext
from explorer.core.checks.facts import facts_from_response
from explorer.core.checks.results import ResponseFacts
from explorer.core.http.transport import Transport
from explorer.core.model import Pair, Request

Fetch = Callable[..., ResponseFacts]


@pytest.fixture(scope="module")
def fetch(live_server: str) -> Fetch:
    """Send a request to the practice server; the facts of its response."""
    transport = Transport()

    def send(path: str, method: str = "GET", **headers: str) -> ResponseFacts:
        pairs = tuple(Pair(name.replace("_", "-"), value) for name, value in headers.items())
        response = transport.send(Request(method=method, url=live_server + path, headers=pairs))
        return facts_from_response(response)

    return send


def make_context(root: Path | None = None, **variables: str) -> CheckContext:
    """A context whose variables are `variables` ({{name}} expanded in texts)."""

    def resolve(text: str) -> str:
        for name, value in variables.items():
            text = text.replace("{{" + name + "}}", value)
        return text

    return CheckContext(resolve=resolve, variable=variables.get, root=root)


@pytest.fixture
def context() -> Callable[..., CheckContext]:
    """`make_context`: a checking context over the given variables and folder."""
    return make_context
