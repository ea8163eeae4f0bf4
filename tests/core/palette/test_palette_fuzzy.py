"""The palette's fuzzy matcher: a subsequence match, ranked as pickers rank (word
starts, runs, prefix, case), with positions to highlight that are always valid."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.palette.fuzzy import (
    MAX_QUERY,
    MAX_TEXT,
    Match,
    Prepared,
    clean_query,
    lower_same_length,
    match,
)


def positions(query: str, text: str) -> str:
    found = match(query, Prepared.of(text))
    assert found is not None
    return "".join(text[p] for p in found.positions)


def score(query: str, text: str) -> int:
    found = match(query, Prepared.of(text))
    assert found is not None, (query, text)
    return found.score


def test_a_subsequence_matches_and_anything_else_does_not():
    assert match("lsod", Prepared.of("List orders")) is not None
    assert match("dosl", Prepared.of("List orders")) is None
    assert match("x", Prepared.of("")) is None


def test_an_empty_or_blank_query_matches_everything_with_nothing_highlighted():
    for query in ("", "   ", "\t\n"):
        assert match(query, Prepared.of("List orders")) == Match(0, ())


def test_the_case_of_the_query_does_not_matter_but_the_same_case_scores_a_little_more():
    assert match("LIST", Prepared.of("list orders")) is not None
    assert score("List", "List orders") > score("list", "List orders")


def test_word_starts_are_preferred_to_earlier_letters_inside_words():
    # "ur": the u of "Update", then the r of "record" (both start a word), not the
    # first r after the u (in "Update" there is none: "user").
    assert match("ur", Prepared.of("Update user record")).positions == (0, 12)
    assert positions("uid", "userId lookup") == "uId"  # a camelCase hump is a start


def test_a_contiguous_word_start_run_beats_a_scattered_match():
    assert positions("user", "Update user record") == "user"
    assert match("user", Prepared.of("Update user record")).positions == (7, 8, 9, 10)
    assert score("user", "User profile") > score("user", "Update some record")


def test_a_run_is_not_broken_to_reach_a_later_word_start():
    assert match("todo", Prepared.of("todos to do")).positions == (0, 1, 2, 3)


def test_a_prefix_match_ranks_first():
    assert score("ord", "Orders") > score("ord", "List orders") > score("ord", "Reorder")


def test_a_tight_match_beats_one_spread_over_the_text():
    assert score("cto", "Create todo") > score("cto", "Cancel the order")


def test_terms_match_in_any_order_and_all_must_match():
    found = match("pay inv", Prepared.of("Invoices: pay one"))
    assert found is not None
    assert "".join("Invoices: pay one"[p] for p in found.positions) == "Invpay"
    assert match("pay refund", Prepared.of("Invoices: pay one")) is None


def test_the_query_and_text_are_bounded():
    long_query = "a" * (MAX_QUERY * 10)
    assert len("".join(t.typed for t in clean_query(long_query))) == MAX_QUERY
    assert len(Prepared.of("x" * (MAX_TEXT * 4)).text) == MAX_TEXT
    assert clean_query("a b c d e f g h i j") == clean_query("a b c d e f")  # six terms


def test_lower_case_keeps_positions_for_letters_that_grow():
    assert "İstanbul".lower() != "İstanbul"[0] + "stanbul"  # Python's lower() grows it
    assert lower_same_length("İstanbul") == "İstanbul"
    assert len(lower_same_length("İİx")) == 3
    assert match("ist", Prepared.of("İstanbul")) is None  # İ is only itself
    assert match("stan", Prepared.of("İstanbul")).positions == (1, 2, 3, 4)


_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("aAbBcC  /_-.:▸İıß{}")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(query=st.text(max_size=20), text=_TEXT)
def test_a_match_never_raises_and_its_positions_are_the_querys_characters(query, text):
    found = match(query, Prepared.of(text))
    if found is None:
        return
    spots = found.positions
    assert list(spots) == sorted(set(spots))
    assert all(0 <= p < len(text) for p in spots)
    wanted = set(lower_same_length("".join(t.typed for t in clean_query(query))))
    assert all(lower_same_length(text[p]) in wanted for p in spots)
    terms = clean_query(query)
    if len(terms) == 1:
        # One term: exactly its characters, in order.
        assert lower_same_length("".join(text[p] for p in spots)) == terms[0].needle


@settings(max_examples=100, deadline=None)
@given(text=_TEXT, data=st.data())
def test_every_subsequence_of_a_text_matches_it(text, data):
    if not text.strip():
        return
    picks = data.draw(st.lists(st.integers(0, len(text) - 1), min_size=1, max_size=8))
    query = "".join(text[i] for i in sorted(set(picks))).replace(" ", "")
    if not query or not all(c.isprintable() for c in query):
        return
    assert match(query, Prepared.of(text)) is not None
