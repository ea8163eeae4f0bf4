"""Insomnia response tags become a capture on the request they read and a `{{variable}}`
where they were written."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.collection import walk_requests
from explorer.core.formats import import_text
from explorer.core.model import Capture, Subject
from explorer.core.translate.insomnia_tags import ResponseTags

TOKEN_TAG = "{% response 'body', 'req_login', 'b64::JC5hY2Nlc3NfdG9rZW4=::46b', 'never', 60 %}"


def export(*requests: dict[str, object], environment: dict[str, object] | None = None) -> str:
    resources: list[dict[str, object]] = [{"_id": "wrk_1", "_type": "workspace", "name": "W"}]
    for index, request in enumerate(requests):
        resources.append(
            {"_type": "request", "parentId": "wrk_1", "method": "GET", "metaSortKey": index}
            | request
        )
    if environment is not None:
        resources.append(
            {"_id": "env_1", "_type": "environment", "parentId": "wrk_1", "data": environment}
        )
    return json.dumps({"_type": "export", "__export_format": 4, "resources": resources})


LOGIN = {"_id": "req_login", "name": "Login", "method": "POST", "url": "http://h/auth/token"}


def test_a_body_tag_becomes_a_capture_and_a_variable() -> None:
    me = {
        "_id": "req_me",
        "name": "Me",
        "url": "http://h/auth/me",
        "headers": [{"name": "Authorization", "value": "Bearer " + TOKEN_TAG}],
    }
    result = import_text(export(LOGIN, me), "insomnia")
    items = {item.name: item.request for _, item in walk_requests(result.collection)}
    assert items["Login"].captures == (
        Capture("login_access_token", Subject.JSONPATH, "$.access_token"),
    )
    assert items["Me"].headers[0].value == "Bearer {{login_access_token}}"
    assert items["Me"].captures == ()
    assert not any("template tag" in line for line in result.report)
    assert any("{{login_access_token}}" in line and "'Login'" in line for line in result.report)


def test_a_tag_before_the_request_it_reads_and_in_the_environment() -> None:
    me = {
        "_id": "req_me",
        "name": "Me",
        "url": "http://h/users/{% response 'header', 'req_login', 'Location', 'always' %}",
        "body": {"mimeType": "application/json", "text": '{"t": "{{ _.jwt }}"}'},
    }
    tags = {"jwt": '{% response "body", "req_login", "$.token" %}'}
    result = import_text(export(me, LOGIN, environment=tags), "insomnia")
    items = {item.name: item.request for _, item in walk_requests(result.collection)}
    # in the order the export holds them: the request "Me" first, then the environment
    assert items["Login"].captures == (
        Capture("login_location", Subject.HEADER, "Location"),
        Capture("login_token", Subject.JSONPATH, "$.token"),
    )
    assert items["Me"].url == "http://h/users/{{login_location}}"
    variables = {v.name: v.value for v in result.collection.variables}
    assert variables["jwt"] == "{{login_token}}"


def test_each_attribute_and_the_same_tag_twice() -> None:
    tags = ResponseTags({"r1": "Get page", "r2": "Other"})
    texts = [
        "{% response 'body', 'r1', '//h1/text()' %}",
        "{% response 'raw', 'r1', '', 'never' %}",
        "{% response 'url', 'r1', '' %}",
        "{% response 'cookie', 'r1', 'session' %}",
        "{% response 'header', 'r2', 'b64::TG9jYXRpb24=::46b' %}",
        "{% response 'body', 'r1', '//h1/text()' %}",  # the same again: one capture
    ]
    tags.scan(texts)
    assert tags.captures_for("r1") == (
        Capture("get_page_text", Subject.XPATH, "//h1/text()"),
        Capture("get_page_body", Subject.BODY),
        Capture("get_page_url", Subject.URL),
        Capture("get_page_session", Subject.COOKIE, "session"),
    )
    assert tags.captures_for("r2") == (Capture("other_location", Subject.HEADER, "Location"),)
    assert [tags.replace(text) for text in texts] == [
        "{{get_page_text}}",
        "{{get_page_body}}",
        "{{get_page_url}}",
        "{{get_page_session}}",
        "{{other_location}}",
        "{{get_page_text}}",
    ]


def test_unknown_requests_and_forms_stay_as_text_and_are_reported() -> None:
    me = {
        "_id": "req_me",
        "name": "Me",
        "url": "http://h/{% response 'body', 'req_elsewhere', '$.id' %}/{% uuid 'v4' %}",
    }
    result = import_text(export(LOGIN, me), "insomnia")
    items = {item.name: item.request for _, item in walk_requests(result.collection)}
    assert "{% response 'body', 'req_elsewhere', '$.id' %}" in items["Me"].url
    assert items["Login"].captures == ()
    assert any("template tag" in line for line in result.report)


def test_two_tags_wanting_the_same_name_get_different_ones() -> None:
    tags = ResponseTags({"r1": "Login"})
    tags.scan(
        ["{% response 'body', 'r1', '$.a.token' %}", "{% response 'body', 'r1', '$.b.token' %}"]
    )
    assert [c.variable for c in tags.captures_for("r1")] == ["login_token", "login_token_2"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=300))
def test_any_text_is_scanned_and_replaced_without_raising(text: str) -> None:
    tags = ResponseTags({"r1": "Login"})
    tags.scan([text, "{% response " + text + " %}", {"k": ["{% response 'body', 'r1', " + text]}])
    tags.replace(text)
    tags.replace("{% response 'body', 'r1', " + text + " %}")
