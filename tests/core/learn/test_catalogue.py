"""The lessons as the window reads them: the real lessons.yaml (without importing the
server), every try as a request, captures as capture rows, bounds and one-line errors."""

from __future__ import annotations

import sys

import pytest

from explorer.core.explain.findings import Pointer
from explorer.core.learn import catalogue as cat
from explorer.core.learn.catalogue import (
    LANGUAGES,
    Attempt,
    LessonsError,
    attempt_request,
    capture_rows,
    inline_html,
    lessons_file,
    load_catalogue,
    parse_catalogue,
)
from explorer.core.model import BodyKind, Capture, Subject

GOOD = """
one:
  en: {title: One, summary: "The `first`.", paragraphs: ["Para `a`."]}
  ko: {title: 하나, summary: 첫째, paragraphs: ["문단"]}
  tries:
    - method: GET
      path: /etag/v1
      look_at: "header:ETag"
      capture: {etag: "header:ETag", token: "body:$.access_token", code: "status"}
      expect: {en: "`200 OK`", ko: "`200 OK` 입니다"}
    - method: post
      path: /api/items
      follow_redirects: false
      headers: ["Content-Type: application/json", "If-None-Match: {{etag}}"]
      body: '{"name": "{{token}}"}'
      goal: {en: Now this, ko: 이제}
      expect: {en: "`201`", ko: "`201`"}
two:
  en: {title: Two}
  ko: {title: 둘}
"""


def test_the_real_lessons_parse_in_every_language_without_importing_the_server():
    before = "bundled_server" in sys.modules
    catalogue = load_catalogue()
    assert lessons_file().name == "lessons.yaml"
    assert ("bundled_server" in sys.modules) == before  # found, not run (no Flask)
    assert len(catalogue.slugs) >= 9
    for language in LANGUAGES:
        lessons = catalogue.lessons(language)
        assert [lesson.slug for lesson in lessons] == list(catalogue.slugs)
        assert all(lesson.title.strip() and lesson.paragraphs for lesson in lessons)
        assert all(a.expect.strip() for lesson in lessons for a in lesson.attempts)
    english, korean = catalogue.lessons("en"), catalogue.lessons("ko")
    assert english[0].title != korean[0].title  # really the Korean text
    assert load_catalogue() is catalogue  # cached while the file is unchanged


def test_every_real_try_makes_a_request_to_the_given_server():
    catalogue = load_catalogue()
    count = 0
    for lesson in catalogue.lessons("en"):
        for attempt in lesson.attempts:
            request = attempt_request(attempt, "http://127.0.0.1:9/", f"{lesson.title} · 1")
            assert request.url == "http://127.0.0.1:9" + attempt.path
            assert request.method == attempt.method
            assert [(p.name, p.value) for p in request.headers] == list(attempt.headers)
            assert request.name == f"{lesson.title} · 1"
            assert len(request.captures) == len(attempt.captures)
            count += 1
    assert count >= 20


def test_a_try_becomes_a_request_with_its_body_headers_and_capture_rows():
    catalogue = parse_catalogue(GOOD)
    first, second = catalogue.lesson("one", "en").attempts
    assert first.look_at == Pointer("header", "ETag")
    assert capture_rows(first) == (
        Capture("etag", Subject.HEADER, "ETag"),
        Capture("token", Subject.JSONPATH, "$.access_token"),
        Capture("code", Subject.STATUS, ""),
    )
    request = attempt_request(second, "http://127.0.0.1:8765", "One · 2")
    assert request.method == "POST"  # written in lower case, sent as a method
    assert request.url == "http://127.0.0.1:8765/api/items"
    assert request.body.kind == BodyKind.RAW
    assert request.body.content_type == "application/json"
    assert request.body.text == '{"name": "{{token}}"}'
    assert not request.options.follow_redirects and first.follow_redirects
    assert attempt_request(first, "http://h").options.follow_redirects
    assert second.uses() == ("token", "etag")  # body first, then headers; each once
    assert second.goal == "Now this" and first.goal == ""
    korean = catalogue.lesson("one", "ko").attempts[1]
    assert korean.goal == "이제" and korean.expect == "`201`"
    assert catalogue.lesson("two", "ko").attempts == ()
    assert catalogue.position("two") == 1 and catalogue.position("nope") == -1


HEAD = "one:\n  en: {title: x}\n  ko: {title: y}\n"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("- a list", "at $"),
        ("Bad_Slug:\n  en: {title: x}\n  ko: {title: y}", "$.Bad_Slug"),
        ("one:\n  en: {title: x}", "$.one.ko"),
        ("one:\n  en: {title: ''}\n  ko: {title: y}", "$.one.en.title"),
        ("one:\n  en: {title: x, paragraphs: [[1]]}\n  ko: {title: y}", "$.one.en.paragraphs[0]"),
        (HEAD + "  tries: [{path: x, expect: {en: a, ko: b}}]", "$.one.tries[0].path"),
        (
            "one:\n  en: {title: x}\n  ko: {title: y}\n"
            "  tries: [{path: /x, look_at: 'elbow:x', expect: {en: a, ko: b}}]",
            "$.one.tries[0].look_at",
        ),
        (
            "one:\n  en: {title: x}\n  ko: {title: y}\n"
            "  tries: [{path: /x, capture: {t: 'timing:wait'}, expect: {en: a, ko: b}}]",
            "$.one.tries[0].capture.t",
        ),
        (
            "one:\n  en: {title: x}\n  ko: {title: y}\n"
            "  tries: [{path: /x, headers: [nocolon], expect: {en: a, ko: b}}]",
            "$.one.tries[0].headers[0]",
        ),
        (HEAD + "  tries: [{path: /x}]", "$.one.tries[0].expect"),
        (
            HEAD + "  tries: [{path: /x, follow_redirects: 2, expect: {en: a, ko: b}}]",
            "follow_redirects",
        ),
        ("one: [unclosed", "not valid YAML"),
    ],
)
def test_a_malformed_file_gives_one_line_naming_where(text, where):
    with pytest.raises(LessonsError) as caught:
        parse_catalogue(text)
    message = str(caught.value)
    assert where in message
    assert "\n" not in message


def test_bounds_on_counts_and_size(tmp_path, monkeypatch):
    many = "\n".join(f"l{i}:\n  en: {{title: x}}\n  ko: {{title: y}}" for i in range(65))
    with pytest.raises(LessonsError, match="more than 64 lessons"):
        parse_catalogue(many)
    tries = ", ".join(["{path: /x, expect: {en: a, ko: b}}"] * 25)
    with pytest.raises(LessonsError, match="more than 24 entries"):
        parse_catalogue(f"one:\n  en: {{title: x}}\n  ko: {{title: y}}\n  tries: [{tries}]")
    with pytest.raises(LessonsError, match="longer than"):
        parse_catalogue(f"one:\n  en: {{title: {'x' * 16_001}}}\n  ko: {{title: y}}")
    big = tmp_path / "lessons.yaml"
    big.write_bytes(b"#" * (cat.MAX_FILE_BYTES + 1))
    with pytest.raises(LessonsError, match="larger than"):
        load_catalogue(big)
    with pytest.raises(LessonsError, match="cannot be read"):
        load_catalogue(tmp_path / "missing.yaml")


def test_inline_code_is_escaped_before_it_becomes_markup():
    assert inline_html("a <b> `x<y>` & `z`") == (
        "a &lt;b&gt; <code>x&lt;y&gt;</code> &amp; <code>z</code>"
    )
    styled = inline_html("`c`", 'font-family: "Mono"')
    assert styled == '<code style="font-family: &quot;Mono&quot;">c</code>'
    assert inline_html("<script>`</script>`") == "&lt;script&gt;<code>&lt;/script&gt;</code>"


def test_an_attempt_without_variables_uses_none():
    assert Attempt(1, "GET", "/x").uses() == ()
