"""The palette's index: kinds, prefixes, ranking across kinds, highlights split between
label and detail, what an empty query shows, and the narrowing while typing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.palette.index import (
    RESULTS,
    ActionTarget,
    Kind,
    PaletteIndex,
    RequestTarget,
    action_entry,
    environment_entry,
    history_entry,
    request_entry,
    split_prefix,
    split_url,
    strip_mnemonic,
)

ROOT = Path("/collections/shop")


def index() -> PaletteIndex:
    found = PaletteIndex()
    found.set_entries(
        Kind.REQUEST,
        [
            request_entry(ROOT, "orders/list.yaml", "List orders", "GET", "/api/orders",
                          ["Shop", "Orders"]),
            request_entry(ROOT, "orders/new.yaml", "Create order", "POST", "/api/orders",
                          ["Shop", "Orders"]),
            request_entry(ROOT, "users/get.yaml", "Get user", "GET", "/api/users/:id",
                          ["Shop", "Users"]),
        ],
    )  # fmt: skip
    found.set_entries(
        Kind.HISTORY,
        [history_entry(7, "GET", "http://127.0.0.1:5000/api/orders", 200, 1_700_000_000.0)],
    )
    found.set_entries(Kind.ENVIRONMENT, [environment_entry("Staging", "in Shop", "Staging")])
    found.set_entries(
        Kind.ACTION,
        [
            action_entry("&Save request", ["&File"], "Ctrl+S", "save"),
            action_entry("Start sample &server", ["&Server"], "", "start"),
        ],
    )
    return found


def labels(results) -> list[str]:
    return [r.entry.label for r in results]


def test_the_best_match_comes_first_and_highlights_the_label():
    results = index().search("ordr")
    assert labels(results)[:2] == ["List orders", "Create order"]
    first = results[0]
    assert "".join(first.entry.label[p] for p in first.label_positions) == "ordr"
    assert first.detail_positions == ()


def test_a_match_that_needs_the_detail_ranks_below_label_matches_and_is_highlighted_there():
    results = index().search("users")  # only "Get user"'s detail holds "users"
    assert labels(results)[0] == "Get user"
    hit = results[0]
    label_part = "".join(hit.entry.label[p] for p in hit.label_positions)
    detail_part = "".join(hit.entry.detail[p] for p in hit.detail_positions)
    assert (label_part + detail_part).lower() == "users"
    assert all(0 <= p < len(hit.entry.detail) for p in hit.detail_positions)


def test_terms_can_be_in_any_order_across_name_and_place():
    assert labels(index().search("post orders"))[0] == "Create order"


def test_a_prefix_limits_the_search_to_one_kind():
    assert split_prefix(" >save") == (Kind.ACTION, "save")
    assert split_prefix("save") == (None, "save")
    every = index()
    assert [r.entry.kind for r in every.search(">s")] == [Kind.ACTION, Kind.ACTION]
    assert [r.entry.kind for r in every.search("#orders")] == [Kind.HISTORY]
    assert labels(every.search("@")) == ["Staging"]
    assert {r.entry.kind for r in every.search(":o")} == {Kind.REQUEST}


def test_commands_lose_their_mnemonics_and_keep_shortcut_and_menu():
    assert strip_mnemonic("Save && &close") == "Save & close"
    save = index().search(">save")[0].entry
    assert (save.label, save.detail, save.hint, save.target) == (
        "Save request", "File", "Ctrl+S", ActionTarget("save")
    )  # fmt: skip


def test_a_history_entry_says_its_status_and_when():
    sent = datetime(2026, 3, 1, 14, 5).timestamp()
    today = history_entry(1, "GET", "http://x/a", 404, sent, now=datetime(2026, 3, 1, 20, 0))
    older = history_entry(2, "POST", "http://x/b", 0, sent, now=datetime(2026, 3, 9, 9, 0))
    assert (today.label, today.detail) == ("GET /a", "404 · 14:05 · http://x")
    assert (older.detail, older.tag) == ("failed · 01 Mar 14:05 · http://x", "failed")
    again = history_entry(3, "GET", "http://x/a", 200, sent, now=datetime(2026, 3, 1), sends=3)
    assert again.detail == "200 · 14:05 · http://x · 3 sends"


def test_urls_are_shown_by_path_their_origin_apart():
    assert split_url("{{base_url}}/api/orders?page=2") == ("{{base_url}}", "/api/orders?page=2")
    assert split_url("https://api.example.com") == ("https://api.example.com", "/")
    assert split_url("https://h:8080/v1/x") == ("https://h:8080", "/v1/x")
    assert split_url("{{host}}") == ("{{host}}", "/")
    assert split_url("example.com/a") == ("", "example.com/a")
    entry = request_entry(ROOT, "a.yaml", "List", "GET", "{{base_url}}/api/orders", ["Shop"])
    assert entry.detail == "Shop · GET /api/orders"


def test_an_empty_query_shows_recent_choices_first_then_history_environments_commands():
    found = index()
    assert [r.entry.kind for r in found.search("")] == [
        Kind.HISTORY, Kind.ENVIRONMENT, Kind.ACTION, Kind.ACTION
    ]  # fmt: skip
    chosen = found.search("get user")[0].entry
    found.remember(chosen)
    found.remember(chosen)  # once only
    shown = found.search("  ")
    assert shown[0].entry is chosen
    assert labels(shown).count("Get user") == 1
    assert found.search("")[0].entry.target == RequestTarget(ROOT, "users/get.yaml")


def test_typing_on_gives_the_same_results_as_searching_afresh():
    typed = index()
    for end in range(1, len("get orders") + 1):
        query = "get orders"[:end]
        fresh = index().search(query)
        assert [(r.entry.label, r.score) for r in typed.search(query)] == [
            (r.entry.label, r.score) for r in fresh
        ], query
    # Deleting a character (not an extension) searches everything again.
    assert labels(typed.search("or")) == labels(index().search("or"))


def test_at_most_fifty_results_and_the_count_of_all_matches():
    found = PaletteIndex()
    found.set_entries(
        Kind.REQUEST,
        [request_entry(ROOT, f"r{n}.yaml", f"Request {n}", "GET", "/x", ["C"]) for n in range(300)],
    )
    assert len(found.search("req")) == RESULTS
    assert found.matched == 300
    assert len(found) == 300


def test_a_request_without_a_name_is_listed_by_method_and_url():
    entry = request_entry(ROOT, "a.yaml", "  ", "DELETE", "/api/x", ["Shop"])
    assert entry.label == "DELETE /api/x"
    assert request_entry(ROOT, "b.yaml", "", "GET", "", []).label == "GET"


@settings(max_examples=100, deadline=None)
@given(
    label=st.text(max_size=30),
    detail=st.text(max_size=40),
    query=st.text(alphabet=st.sampled_from(list("abAB /.:>#@x▸İ")), max_size=8),
)
def test_highlights_always_fall_on_the_querys_characters_in_label_and_detail(label, detail, query):
    found = PaletteIndex()
    found.set_entries(Kind.ACTION, [action_entry(label, [], "", "key")])
    found.set_entries(Kind.ENVIRONMENT, [environment_entry(label, detail, "env")])
    wanted = {c.lower() for c in split_prefix(query)[1] if not c.isspace()}
    for result in found.search(query):
        entry = result.entry
        assert all(0 <= p < len(entry.label) for p in result.label_positions)
        assert all(0 <= p < len(entry.detail) for p in result.detail_positions)
        marked = [entry.label[p] for p in result.label_positions]
        marked += [entry.detail[p] for p in result.detail_positions]
        assert all(c.lower() in wanted or c in wanted for c in marked)
