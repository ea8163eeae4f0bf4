"""Generated code reads a variable that has no value anywhere from the environment, as it
reads a secret. Seen with a curl line from an API's docs (Stripe's webhook endpoint):
`curl -X POST https://…/v1/webhook_endpoints/$WEBHOOK_ID -u $STRIPE_SECRET_KEY: …` imports
as `{{WEBHOOK_ID}}` and `{{STRIPE_SECRET_KEY}}`; `export --to curl` wrote the braces into
the URL and curl stopped ("nested brace in URL", exit 3); `--to python` sent them literally.
"""

from __future__ import annotations

import os
import subprocess
import sys

from explorer.application.codegen import collection_code
from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Request
from explorer.core.resolve.variables import Scope


def _collection(base: str) -> Collection:
    request = Request(
        name="hook",
        method="POST",
        url=base + "/v1/webhook_endpoints/{{WEBHOOK_ID}}",
        auth=Auth(AuthKind.BASIC, username="{{STRIPE_SECRET_KEY}}", password=""),
        body=Body(BodyKind.RAW, text="url={{hook_url}}", content_type="text/plain"),
    )
    return Collection("C", (RequestItem(request),))


def test_generated_curl_and_python_read_unset_variables_from_the_environment(
    recording_server,
) -> None:
    collection = _collection(recording_server.url.rstrip("/"))
    scopes = [Scope("collection", {"hook_url": "https://h.example/in"})]
    env = {**os.environ, "WEBHOOK_ID": "we_1", "STRIPE_SECRET_KEY": "sk_1"}
    curl = subprocess.run(
        ["bash", "-c", collection_code("curl", collection, scopes)],
        env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert curl.returncode == 0, curl.stderr.decode()[-300:]
    python = subprocess.run(
        [sys.executable, "-c", collection_code("python", collection, scopes)],
        env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert python.returncode == 0, python.stderr.decode()[-300:]
    recorded = recording_server.take()
    assert len(recorded) == 2
    for seen in recorded:
        assert seen.target == "/v1/webhook_endpoints/we_1"
        assert seen.header("Authorization") == b"Basic c2tfMTo="  # sk_1:
        assert seen.body == b"url=https://h.example/in"
