"""{{variables}}: scopes, dynamic values, nesting, cycles, unresolved detection."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from explorer.core.collection import Variable
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Options, Pair, Part, Request
from explorer.core.resolve.variables import (
    Scope,
    find_variables,
    is_secret,
    lookup,
    resolve_request,
    resolve_text,
    secret_values,
    unresolved,
)

SCOPES = [
    Scope("global", {"host": "global.test", "who": "global", "port": "1"}),
    Scope("collection", {"who": "collection", "base": "http://{{host}}:{{port}}"}),
    Scope.from_variables(
        "environment",
        [
            Variable("who", "environment"),
            Variable("port", "8080"),
            Variable("off", "x", enabled=False),
            Variable("token", "t0k3n-{{who}}", secret=True),
        ],
    ),
    Scope("request", {"who": "request"}),
]


def test_find_variables_gives_spans_for_highlighting():
    text = "a {{one}} b {{ two.x-y }} {{$uuid}} {{not closed} {{}}"
    spans = find_variables(text)
    assert [(text[s.start : s.end], s.name, s.is_dynamic) for s in spans] == [
        ("{{one}}", "one", False),
        ("{{ two.x-y }}", "two.x-y", False),
        ("{{$uuid}}", "$uuid", True),
    ]


def test_highest_scope_wins():
    assert resolve_text("{{who}}", SCOPES) == "request"
    assert resolve_text("{{who}}", SCOPES[:3]) == "environment"
    assert resolve_text("{{who}}", SCOPES[:2]) == "collection"
    assert resolve_text("{{ who }}", SCOPES[:1]) == "global"
    assert lookup("port", SCOPES) == ("8080", "environment")
    assert lookup("off", SCOPES) is None  # disabled variables do not count


def test_nested_references_resolve_against_all_scopes():
    assert resolve_text("{{base}}/x", SCOPES) == "http://global.test:8080/x"
    assert lookup("base", SCOPES) == ("http://global.test:8080", "collection")


def test_cycles_stay_unresolved_and_are_reported():
    scopes = [Scope("c", {"a": "<{{b}}>", "b": "[{{a}}]", "self": "{{self}}"})]
    assert resolve_text("{{a}}", scopes) == "<[{{a}}]>"
    assert resolve_text("{{self}}!", scopes) == "{{self}}!"
    request = Request(url="{{a}}/{{self}}")
    assert unresolved(request, scopes) == ["a", "self"]


def test_dynamic_values():
    values = resolve_text("{{$uuid}} {{$timestamp}} {{$isoTimestamp}} {{$randomInt}}", [])
    uid, stamp, iso, number = values.split(" ")
    assert uuid.UUID(uid).version == 4
    assert abs(int(stamp) - datetime.now().timestamp()) < 5
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", iso)
    assert 0 <= int(number) <= 1000
    assert resolve_text("{{$uuid}}", []) != resolve_text("{{$uuid}}", [])
    assert lookup("$uuid", [])[1] == "dynamic"
    assert resolve_text("{{$nope}}", []) == "{{$nope}}"


def test_resolve_request_covers_every_string_field():
    t = "{{who}}"
    request = Request(
        method="GET",
        url=f"http://h/{t}",
        params=(Pair(t, t),),
        path_params=(Pair("id", t),),
        headers=(Pair("X-Who", t),),
        body=Body(
            kind=BodyKind.MULTIPART,
            text=t,
            content_type=t,
            form=(Pair(t, t),),
            parts=(Part(t, t, file=t, content_type=t),),
            file=t,
        ),
        auth=Auth(AuthKind.API_KEY, username=t, password=t, token=t, key_name=t, key_value=t),
        options=Options(proxy=t, ca_bundle=t, client_cert=t, client_key=t),
        name="name {{who}}",
        description="{{who}}",
    )
    resolved = resolve_request(request, SCOPES)
    assert "{{who}}" not in repr(resolved.with_changes(name="", description=""))
    assert resolved.url == "http://h/request"
    assert resolved.body.parts[0] == Part("request", "request", "request", "request")
    assert resolved.options.timeout == request.options.timeout
    assert resolved.name == "name {{who}}"  # names of requests are not templates
    assert resolved.body.kind == BodyKind.MULTIPART and resolved.auth.kind == AuthKind.API_KEY


def test_a_request_resolved_again_takes_the_values_of_the_moment():
    # Its parts were met before (resolve_request remembers which hold no `{{`): a part
    # that holds one is resolved anew each time, an undefined name once it is defined.
    body = Body(kind=BodyKind.RAW, text='{"who": "{{who}}"}')
    plain = Pair("Accept", "text/plain")
    request = Request(
        url="http://h/{{missing}}", headers=(plain, Pair("X-Who", "{{who}}")), body=body
    )
    first = resolve_request(request, [Scope("a", {"who": "ann"})])
    second = resolve_request(request, [Scope("a", {"who": "bob", "missing": "m"})])
    assert (first.url, first.headers[1].value, first.body.text) == (
        "http://h/{{missing}}",
        "ann",
        '{"who": "ann"}',
    )
    assert (second.url, second.headers[1].value, second.body.text) == (
        "http://h/m",
        "bob",
        '{"who": "bob"}',
    )
    assert first.headers[0] is plain and second.headers[0] is plain
    assert unresolved(request, []) == ["missing", "who"]


def test_unresolved_lists_missing_names_once_in_order():
    request = Request(
        url="{{base}}/{{missing}}",
        headers=(Pair("A", "{{other}}"), Pair("B", "{{missing}}")),
        body=Body(kind=BodyKind.RAW, text="{{$uuid}} {{who}}"),
    )
    assert unresolved(request, SCOPES) == ["missing", "other"]
    assert unresolved(request, []) == ["base", "missing", "other", "who"]


def test_secret_helpers():
    assert is_secret("token", SCOPES) and not is_secret("who", SCOPES)
    assert secret_values(SCOPES) == {"t0k3n-request"}
