"""FindQuery finds exactly what the case-folding pattern finds (leftmost, non-overlapping,
starting before the cut), whichever scan it uses: one literal, an anchor and a match at
each hit, or the pattern alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.text.find_query import Anchor, FindQuery, anchors_of, compile_query

# Letters whose cases have the same UTF-8 length (é/É, п/П), differ in length (dotless i/I, K/k),
# have no case (안, ß, ©), and plain ASCII.
ALPHABET = "aAbBcéÉпП\u0131IK안ß© x"  # \u0131: the dotless i


def expected(data: bytes, query: str, case_sensitive: bool, cut: int) -> list[tuple[int, int]]:
    pattern, _ = compile_query(query, case_sensitive)
    return [(m.start(), m.end()) for m in pattern.finditer(data) if m.start() < cut]


@settings(max_examples=400, deadline=None)
@given(
    query=st.text(ALPHABET, min_size=1, max_size=5),
    text=st.text(ALPHABET, max_size=80),
    case_sensitive=st.booleans(),
    cut_share=st.floats(0, 1),
)
def test_every_scan_finds_what_the_pattern_finds(query, text, case_sensitive, cut_share):
    data = text.encode("utf-8")
    cut = round(len(data) * cut_share)
    found = list(FindQuery.compile(query, case_sensitive).matches(data, cut))
    assert found == expected(data, query, case_sensitive, cut)


def test_which_scan_a_query_takes():
    needle = {q: FindQuery.compile(q, False) for q in ("NeEdle", "요청 200", "Café", "ЗАПРОС")}
    assert (needle["NeEdle"].needle, needle["NeEdle"].lowered) == (b"needle", True)
    assert (needle["요청 200"].needle, needle["요청 200"].lowered) == ("요청 200".encode(), False)
    assert FindQuery.compile("Café", True).needle == "Café".encode()  # case matters
    # Only a case fold matches É to é: the anchor is what bytes.lower folds.
    assert needle["Café"].needle is None and needle["Café"].anchors == (Anchor(b"caf", 0),)
    # Runs of 3 bytes or more, longest first; each knows how far after the start it is.
    assert anchors_of("abcdéxyzé") == (Anchor(b"abcd", 0), Anchor(b"xyz", 6))
    # Every letter cased and non-ASCII, a run under 3 bytes, or cases of different
    # lengths (dotless i and I): the pattern alone.
    assert needle["ЗАПРОС"].anchors == () and not needle["ЗАПРОС"].literal
    assert anchors_of("éa") == () and anchors_of("\u0131Iabc") == ()


def test_hits_nearly_everywhere_end_in_the_regex_with_the_same_matches():
    data = ("abc" * 200_000 + "abcÉ" + "abcé" * 10).encode()
    query = FindQuery.compile("ABCé", False)
    assert query.anchors == (Anchor(b"abc", 0),)
    found = list(query.matches(data, len(data)))
    assert found == expected(data, "ABCé", False, len(data)) and len(found) == 11


def test_a_query_with_two_runs_finds_its_match_where_one_run_is_common():
    before = ("café " * 50_000).encode()
    data = before + "Cafétéria".encode()
    query = FindQuery.compile("CAFÉTÉRIA", False)
    assert [a.needle for a in query.anchors] == [b"caf", b"ria"]
    assert list(query.matches(data, len(data))) == [(len(before), len(data))]
