"""A collection that uses every body kind, auth kind and option, for storage tests."""

from __future__ import annotations

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Options, Pair, Part, Request

SECRET_TOKEN = "tok-5ecr3t-value-9f2c"
SECRET_PASSWORD = "pa55-w0rd-e7a1-secret"
SECRET_ENV_KEY = "env-key-b41d-secret"

BODIES = {
    "none": Body(),
    "raw-json": Body(
        kind=BodyKind.RAW,
        content_type="application/json",
        text='{\n  "name": "Ada",\n  "tags": ["a", "b"]\n}\n',
    ),
    "raw-tricky": Body(
        kind=BodyKind.RAW,
        content_type="text/plain",
        text="  leading spaces\ntrailing spaces   \n\ttab line\r\nno final newline",
    ),
    "raw-xml": Body(kind=BodyKind.RAW, content_type="application/xml", text="<a>\n  <b/>\n</a>"),
    "form": Body(
        kind=BodyKind.FORM,
        form=(Pair("q", "{{term}}"), Pair("page", "2", enabled=False), Pair("empty")),
        text="kept while switching kinds",
    ),
    "multipart": Body(
        kind=BodyKind.MULTIPART,
        parts=(
            Part("field", "value"),
            Part("upload", file="/tmp/photo.png", content_type="image/png"),
            Part("off", "x", enabled=False),
        ),
    ),
    "binary": Body(
        kind=BodyKind.BINARY, file="~/data/blob.bin", content_type="application/octet-stream"
    ),
}

AUTHS = {
    "none": Auth(kind=AuthKind.NONE),
    "inherit": Auth(kind=AuthKind.INHERIT),
    "basic": Auth(kind=AuthKind.BASIC, username="ada", password="{{password}}"),
    "bearer": Auth(kind=AuthKind.BEARER, token="{{token}}"),
    "apikey-header": Auth(kind=AuthKind.API_KEY, key_name="X-Key", key_value="{{env_key}}"),
    # Literal credentials are moved out of files (tests/core/storage/test_credentials_moved.py):
    # a round trip keeps references.
    "apikey-query": Auth(
        kind=AuthKind.API_KEY, key_name="k", key_value="{{query_key}}", key_in="query"
    ),
    "digest": Auth(kind=AuthKind.DIGEST, username="u", password="{{digest_secret}}"),
}

ODD_OPTIONS = Options(
    timeout=2.5,
    follow_redirects=False,
    max_redirects=3,
    verify_tls=False,
    proxy="http://proxy:3128",
    use_system_proxy=False,
    ca_bundle="/etc/ca.pem",
    client_cert="/c.pem",
    client_key="/k.pem",
)


def every_request() -> list[RequestItem]:
    """One request per body kind and per auth kind, with all fields set somewhere."""
    items = [
        RequestItem(Request(method="POST", url="{{base}}/b", name=f"body {name}", body=body))
        for name, body in BODIES.items()
    ]
    items += [
        RequestItem(Request(url="{{base}}/a", name=f"auth {name}", auth=auth))
        for name, auth in AUTHS.items()
    ]
    items.append(
        RequestItem(
            Request(
                method="PATCH",
                url="https://example.test/users/:id",
                params=(Pair("a", "1"), Pair("b", "", enabled=False)),
                path_params=(Pair("id", "42"),),
                headers=(Pair("Accept", "application/json"), Pair("X-Off", "1", False)),
                options=ODD_OPTIONS,
                name="Everything: ünïcode & symbols/slashes",
                description="First line\nsecond line\n",
                auth=Auth(kind=AuthKind.INHERIT),
            ),
            inherit_headers=False,
        )
    )
    return items


def sample_collection(with_secret_values: bool = True) -> Collection:
    """A two-level collection with secrets, headers, auth and environments."""
    secret = (lambda v: v) if with_secret_values else (lambda v: "")
    requests = every_request()
    inner = Folder(
        name="Admin",
        items=tuple(requests[:3]),
        headers=(Pair("X-Admin", "yes"),),
        auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
        description="Admin endpoints",
    )
    outer = Folder(
        name="Users",
        items=(inner, *requests[3:8]),
        headers=(Pair("X-Team", "users"),),
    )
    return Collection(
        name="Sample API",
        description="Every kind of request.\nTwo lines.",
        items=(outer, Folder(name="Empty folder"), *requests[8:]),
        variables=(
            Variable("base", "https://api.example.test"),
            Variable("token", secret(SECRET_TOKEN), secret=True),
            Variable("off", "x", enabled=False),
        ),
        headers=(Pair("User-Agent", "explorer-tests"),),
        auth=Auth(kind=AuthKind.BASIC, username="ada", password="{{password}}"),
        environments=(
            Environment(
                "local",
                (
                    Variable("base", "http://127.0.0.1:5000"),
                    Variable("password", secret(SECRET_PASSWORD), secret=True),
                ),
            ),
            Environment("staging", (Variable("env_key", secret(SECRET_ENV_KEY), secret=True),)),
        ),
    )
