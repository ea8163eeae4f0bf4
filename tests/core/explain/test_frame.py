"""The explainer's frame: rule registration, ordering, silencing, bounds, pointers, and
the shared header syntax, on hand-made facts (the rules have tests of their own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import explorer.core.explain as explain_module
from explorer.core.explain import explain, facts_from_response
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, Rule, RuleSet, Severity
from explorer.core.explain.header_syntax import (
    directives,
    entity_tag,
    entity_tags,
    http_date,
    media_type,
    repeated,
    split_list,
)
from explorer.core.explain.references import fetch, rfc
from explorer.core.http.exchange import Response, SentRequest, Timing


def facts(**changes: object) -> ExchangeFacts:
    base: dict[str, object] = {
        "method": "GET",
        "url": "http://127.0.0.1/x",
        "request_headers": (),
        "status": 200,
        "reason": "OK",
        "http_version": "HTTP/1.1",
        "headers": (("Content-Type", "application/json"),),
        "body": b"{}",
        "body_size": 2,
        "body_complete": True,
        "wire_size": 2,
        "timing": Timing(),
    }
    base.update(changes)
    return ExchangeFacts(**base)  # type: ignore[arg-type]


def test_rule_ids_must_carry_their_category() -> None:
    rules = RuleSet(Category.STATUS)
    with pytest.raises(ValueError, match="must start with 'status'"):
        rules.rule("caching.x", "wrong prefix")


def _run_with(monkeypatch: pytest.MonkeyPatch, *rules: Rule) -> None:
    monkeypatch.setattr(explain_module, "all_rules", lambda: rules)


def _rule(rule_id: str, *notes: Note, fail: bool = False) -> Rule:
    def check(_facts: ExchangeFacts) -> Iterator[Note]:
        if fail:
            raise ZeroDivisionError
        yield from notes

    category = Category.STATUS
    return Rule(rule_id, category, rule_id, (rfc(9110, "15.3.2", "201 Created"),), None, check)


def test_most_serious_first_silenced_skipped_and_a_broken_rule_hides_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    info = Note(Severity.INFO, "fyi", "just so you know")
    error = Note(Severity.ERROR, "broken", "clients will fail", Pointer("status"))
    warning = Note(Severity.WARNING, "risky", "caches may misbehave")
    _run_with(
        monkeypatch,
        _rule("status.a", info),
        _rule("status.broken", fail=True),
        _rule("status.b", error),
        _rule("status.c", warning),
    )
    found = explain(facts())
    assert [f.summary for f in found] == ["broken", "risky", "fyi"]
    assert [f.summary for f in explain(facts(), silenced={"status.b"})] == ["risky", "fyi"]
    assert found[0].as_dict()["references"] == [
        {
            "label": "RFC 9110 §15.3.2 201 Created",
            "url": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.3.2",
        }
    ]
    assert found[0].as_dict()["pointer"] == "status"


def test_a_flood_of_notes_is_cut_at_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    many = [Note(Severity.INFO, f"cookie {n}", "x") for n in range(5000)]
    _run_with(monkeypatch, _rule("status.flood", *many), _rule("status.after", many[0]))
    assert len(explain(facts())) == explain_module.MAX_FINDINGS


def test_every_rule_on_main_is_registered_once_with_references() -> None:
    rules = explain_module.all_rules()
    assert len({rule.id for rule in rules}) == len(rules)
    for rule in rules:
        assert rule.references, f"{rule.id} cites no specification"
        assert rule.title


def test_pointers_read_back_and_unknown_parts_are_refused() -> None:
    assert Pointer.parse("header:ETag") == Pointer("header", "ETag")
    assert Pointer.parse(" timing : wait ") == Pointer("timing", "wait")
    assert str(Pointer.parse("status")) == "status"
    with pytest.raises(ValueError, match="unknown response part 'headers'"):
        Pointer.parse("headers:ETag")


def test_references_link_to_their_sections() -> None:
    assert rfc(9111, "", "HTTP Caching").url == "https://www.rfc-editor.org/rfc/rfc9111.html"
    assert fetch("http-cors-protocol", "CORS protocol").label == "Fetch CORS protocol"


def test_comma_lists_keep_quoted_commas_and_drop_empty_members() -> None:
    assert split_list('a, "b,c" ,, d') == ["a", '"b,c"', "d"]
    assert split_list('"x\\"y,z", w') == ['"x\\"y,z"', "w"]


def test_directives_are_case_blind_and_keep_the_first_of_a_repeat() -> None:
    parsed = directives('No-Store, max-age=60, private="Set-Cookie", max-age=5')
    assert parsed == {"no-store": None, "max-age": "60", "private": "Set-Cookie"}
    assert repeated("max-age=1, public, MAX-AGE=2, public") == ["max-age", "public"]


def test_entity_tags_strong_weak_and_malformed() -> None:
    assert entity_tag('W/"v1"') == entity_tag('W/"v1"')
    tag = entity_tag('W/"v1"')
    assert (tag.value, tag.weak, tag.well_formed) == ("v1", True, True)
    bare = entity_tag("v1")
    assert (bare.value, bare.weak, bare.well_formed) == ("v1", False, False)
    assert [t.value for t in entity_tags('"a", W/"b", *')] == ["a", "b", "*"]


def test_http_dates_and_media_types() -> None:
    assert http_date("Sun, 06 Nov 1994 08:49:37 GMT") == datetime(
        1994, 11, 6, 8, 49, 37, tzinfo=UTC
    )
    assert http_date("yesterday") is None
    assert http_date("") is None
    assert media_type("Text/HTML; Charset=UTF-8") == ("text/html", {"charset": "UTF-8"})
    assert media_type("nonsense") == ("", {})
    assert media_type("") == ("", {})


def test_facts_read_a_spooled_body_only_up_to_the_bound(tmp_path: Path) -> None:
    spool = tmp_path / "body"
    spool.write_bytes(b"x" * 5000)
    response = Response(
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        url="https://127.0.0.1/big",
        headers=(("Cache-Control", "max-age=60, no-store"), ("Vary", "a"), ("vary", "b")),
        body=b"",
        body_size=5000,
        wire_size=5000,
        timing=Timing(),
        sent=SentRequest("get", "https://127.0.0.1/big", (("Accept", "*/*"),)),
        body_path=spool,
        encrypted=True,
    )
    seen = facts_from_response(response, limit=1000)
    assert (len(seen.body), seen.body_complete, seen.body_size) == (1000, False, 5000)
    assert seen.method == "GET" and seen.scheme == "https"
    assert seen.header("vary") == "a, b" and seen.header_values("VARY") == ["a", "b"]
    assert seen.cache_control() == {"max-age": "60", "no-store": None}
    assert seen.request_header("accept") == "*/*"
    assert seen.has_header("VARY") and not seen.has_header("ETag")
    spool.unlink()
    assert facts_from_response(response).body_complete is False  # unreadable: not whole
