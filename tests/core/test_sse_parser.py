"""The event-stream parser against the WHATWG HTML standard's interpretation rules."""

from __future__ import annotations

from explorer.core.http.sse import (
    CUT_MARK,
    EventStreamParser,
    is_event_stream,
    parse_events,
)


def fields(body: bytes) -> list[tuple[str, str, str]]:
    return [(e.type, e.data, e.id) for e in parse_events(body)]


def test_data_lines_join_with_newlines_and_the_last_newline_goes() -> None:
    assert fields(b"data: a\ndata:b\ndata:  c\n\n") == [("message", "a\nb\n c", "")]


def test_every_line_ending_counts_and_a_blank_line_dispatches() -> None:
    body = b"data: one\r\n\r\ndata: two\r\rdata: three\n\n"
    assert [e.data for e in parse_events(body)] == ["one", "two", "three"]


def test_event_type_id_and_comments() -> None:
    body = b': keep-alive\nevent: tick\nid: 7\ndata: {"n": 1}\n\ndata: next\n\n'
    assert fields(body) == [("tick", '{"n": 1}', "7"), ("message", "next", "7")]


def test_id_persists_an_empty_id_resets_it_and_nul_is_ignored() -> None:
    body = b"id: 1\ndata: a\n\nid\ndata: b\n\nid: x\x00y\ndata: c\n\n"
    assert [e.id for e in parse_events(body)] == ["1", "", ""]


def test_an_id_alone_sets_the_last_event_id_without_an_event() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"id: 42\n\n") == []
    assert parser.last_event_id == "42"


def test_retry_takes_only_ascii_digits() -> None:
    parser = EventStreamParser()
    parser.feed(b"retry: 1500\n\nretry: 15x\n\nretry: \xd9\xa1\n\n")
    assert parser.retry_ms == 1500


def test_a_leading_bom_is_dropped_once_even_when_split() -> None:
    parser = EventStreamParser()
    events = parser.feed(b"\xef\xbb") + parser.feed(b"\xbfdata: x\n\n\xef\xbb\xbfdata: y\n\n")
    assert [e.data for e in events] == ["x"]  # the second BOM makes a field "\ufeffdata"


def test_a_field_without_colon_and_an_empty_data_line() -> None:
    assert fields(b"data\n\n") == [("message", "", "")]
    assert fields(b"event\ndata: x\n\n") == [("message", "x", "")]


def test_pending_data_at_the_end_of_the_stream_is_dropped() -> None:
    assert fields(b"data: done\n\ndata: never dispatched\n") == [("message", "done", "")]


def test_a_crlf_split_across_chunks_is_one_line_end() -> None:
    parser = EventStreamParser()
    events = parser.feed(b"data: a\r") + parser.feed(b"\n") + parser.feed(b"\r\n")
    assert [e.data for e in events] == ["a"]


def test_times_and_sizes() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: h\xc3\xa9", at_ms=5.0) == []
    (event,) = parser.feed(b"\n\n", at_ms=12.5)
    assert (event.at_ms, event.size, event.direction) == (12.5, 3, "in")


def test_an_over_long_event_is_cut_and_marked_with_its_whole_size() -> None:
    parser = EventStreamParser(max_chars=10)  # lines: 10 + 64
    events = parser.feed(b"data: " + b"x" * 100 + b"\ndata: more\n\ndata: ok\n\n")
    cut, ok = events
    assert cut.data == "x" * 10 + CUT_MARK
    assert cut.size == 100 + 1 + 4
    assert (ok.data, ok.size) == ("ok", 2)
    assert parser._line_chars == 0  # nothing of the long line held on to


def test_event_stream_media_type() -> None:
    assert is_event_stream("Text/Event-Stream; charset=utf-8")
    assert not is_event_stream("text/plain")
