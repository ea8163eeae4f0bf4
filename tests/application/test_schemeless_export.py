"""A URL typed without a scheme (`localhost:3000/tasks`, as Insomnia keeps it and as the
address bar takes it) is sent over http:// by API Explorer, Insomnia, newman and Bruno;
the exports and the generated code must say http:// too, or the tool they are for fails.

Seen with a real Insomnia v5 export (a tasks API suite): its .http export failed in
httpyac on every such request, and `--to python` wrote `requests.get('localhost:3000/…')`
(requests: "No connection adapters were found").
"""

from __future__ import annotations

import subprocess
import sys

from explorer.application.codegen import collection_code
from explorer.application.exporting import collection_text
from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Request


def _collection(address: str) -> Collection:
    return Collection(
        "C",
        (
            RequestItem(Request(name="bare", method="GET", url=f"{address}/tasks?x=1")),
            RequestItem(Request(name="templated", method="GET", url="{{base}}/tasks")),
        ),
    )


def test_exports_and_code_write_http_for_a_url_without_a_scheme() -> None:
    collection = _collection("localhost:3000")
    assert "GET http://localhost:3000/tasks?x=1\n" in collection_text(collection, "http")
    assert "GET http://localhost:3000/tasks?x=1\n" in collection_text(collection, "hurl")
    for target in ("python", "curl", "fetch", "go", "httpie", "powershell"):
        code = collection_code(target, collection, [])
        assert "http://localhost:3000/tasks" in code, target
        # The templated URL gets no scheme: {{base}} holds one.
        assert code.count("http://") == code.count("http://localhost:3000"), target
    assert "GET {{base}}/tasks\n" in collection_text(collection, "http")


def test_generated_python_sends_a_url_without_a_scheme(recording_server) -> None:
    address = recording_server.url.removeprefix("http://").rstrip("/")
    collection = Collection("C", (_collection(address).items[0],))
    code = collection_code("python", collection, [])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    [seen] = recording_server.take()
    assert (seen.method, seen.target) == ("GET", "/tasks?x=1")
