"""Literal credentials become `{{name}}` of named secret variables (pure logic)."""

from __future__ import annotations

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Options, Pair, Request
from explorer.core.resolve.credentials import (
    CredentialMover,
    describe,
    extract_credentials,
    names_in_use,
    with_secret_values,
)


def test_auth_fields_move_and_the_user_name_stays():
    item = RequestItem(
        Request(name="Get user", auth=Auth(AuthKind.BASIC, username="ada", password="s3cr3t!"))
    )
    moved, variables, report = extract_credentials(item)
    assert moved.request.auth == Auth(AuthKind.BASIC, username="ada", password="{{basic_password}}")
    assert variables == (Variable("basic_password", "s3cr3t!", secret=True),)
    assert [(m.variable, m.field, m.owner) for m in report] == [
        ("basic_password", "auth password", "Get user")
    ]


def test_every_credential_field_and_header_is_moved():
    request = Request(
        name="All",
        url="https://bob:p%40ss@example.test/x",
        headers=(
            Pair("Authorization", "Basic Ym9iOnBAc3M="),
            Pair("proxy-authorization", "Bearer prx-tok"),
            Pair("Cookie", "session=abc123"),
            Pair("X-API-Key", "k-123"),
            Pair("Accept", "application/json"),
        ),
        auth=Auth(AuthKind.API_KEY, key_name="k", key_value="key-1", token="t-1"),
        options=Options(proxy="http://px:proxy-pw@proxy.test:3128"),
    )
    moved, variables, _ = extract_credentials(RequestItem(request))
    out = moved.request
    assert out.url == "https://bob:{{url_password}}@example.test/x"
    assert [(h.name, h.value) for h in out.headers] == [
        ("Authorization", "Basic {{basic_credentials}}"),
        ("proxy-authorization", "Bearer {{proxy_bearer_token}}"),
        ("Cookie", "{{cookie}}"),
        ("X-API-Key", "{{x_api_key}}"),
        ("Accept", "application/json"),
    ]
    assert out.auth.key_value == "{{api_key}}" and out.auth.token == "{{bearer_token}}"
    assert out.options.proxy == "http://px:{{proxy_password}}@proxy.test:3128"
    values = {v.name: v.value for v in variables}
    assert values == {
        "url_password": "p%40ss",
        "basic_credentials": "Ym9iOnBAc3M=",
        "proxy_bearer_token": "prx-tok",
        "cookie": "session=abc123",
        "x_api_key": "k-123",
        "api_key": "key-1",
        "bearer_token": "t-1",
        "proxy_password": "proxy-pw",
    }
    assert all(v.secret for v in variables)


def test_references_are_left_as_they_are():
    request = Request(
        headers=(Pair("Authorization", "Bearer {{token}}"), Pair("Cookie", "{{ jar }}")),
        auth=Auth(AuthKind.BASIC, username="u", password="{{pw}}"),
    )
    moved, variables, report = extract_credentials(RequestItem(request))
    assert moved.request == request
    assert variables == () and report == ()


def test_the_same_value_reuses_one_name_and_different_values_get_readable_names():
    mover = CredentialMover(known={"bearer_token": "old"}, taken={"bearer_token_b"})
    collection = Collection(
        "C",
        items=(
            RequestItem(Request(name="A", auth=Auth(AuthKind.BEARER, token="same"))),
            Folder(
                "F",
                auth=Auth(AuthKind.BEARER, token="same"),
                items=(RequestItem(Request(name="B", auth=Auth(AuthKind.BEARER, token="other"))),),
            ),
            RequestItem(Request(name="C", auth=Auth(AuthKind.BEARER, token="old"))),
        ),
    )
    out = mover.collection(collection)
    tokens = [
        out.items[0].request.auth.token,
        out.items[1].auth.token,
        out.items[1].items[0].request.auth.token,
        out.items[2].request.auth.token,
    ]
    assert tokens == [
        "{{bearer_token_a}}",
        "{{bearer_token_a}}",
        "{{bearer_token_b_2}}",
        "{{bearer_token}}",
    ]
    assert [v.name for v in out.variables] == ["bearer_token_a", "bearer_token_b_2"]
    assert describe(mover.moved) == (
        "moved 4 credentials to secret variables: {{bearer_token_a}}, {{bearer_token_b_2}}, "
        "{{bearer_token}}"
    )


def test_names_in_use_counts_declared_and_referenced_names():
    collection = Collection(
        "C",
        variables=(Variable("base", "http://h"),),
        environments=(Environment("e", (Variable("who", "x"),)),),
        items=(RequestItem(Request(url="{{base}}/{{ path }}", headers=(Pair("X", "{{hdr}}"),))),),
    )
    assert names_in_use(collection) == {"base", "who", "path", "hdr"}


def test_secret_values_come_back_for_a_move_to_another_collection():
    request = Request(
        url="http://u:{{url_password}}@h/",
        headers=(Pair("Authorization", "Bearer {{bearer_token}}"), Pair("X", "{{bearer_token}}")),
        auth=Auth(AuthKind.BASIC, username="u", password="{{basic_password}}"),
    )
    values = {"url_password": "p1", "bearer_token": "t1", "basic_password": "p2"}
    back = with_secret_values(RequestItem(request), values).request
    assert back.url == "http://u:p1@h/"
    assert [h.value for h in back.headers] == ["Bearer t1", "{{bearer_token}}"]
    assert back.auth.password == "p2"
    again, variables, _ = extract_credentials(RequestItem(back))
    assert again.request == request and len(variables) == 3


def test_a_cookie_made_only_of_references_stays_in_the_request():
    # Seen in a real .http file (a Go auth service): `Cookie: token={{login.response.
    # cookies.token.value}}; refresh_token={{…}}` was moved into a secret {{cookie}}: the
    # request references vanished from view and from the import report.
    refs = "token={{login.response.cookies.token.value}}; refresh_token={{ rt }}"
    request = Request(headers=(Pair("Cookie", refs), Pair("Cookie", "a={{x}};b=")))
    moved, variables, report = extract_credentials(RequestItem(request))
    assert moved.request == request
    assert variables == () and report == ()
    # A literal cookie value among references is still a credential: the whole moves.
    mixed = Request(headers=(Pair("Cookie", "session=abc123; token={{t}}"),))
    moved, variables, _ = extract_credentials(RequestItem(mixed))
    assert moved.request.headers == (Pair("Cookie", "{{cookie}}"),)
    assert variables == (Variable("cookie", "session=abc123; token={{t}}", secret=True),)
