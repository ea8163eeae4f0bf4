"""A query written in a request file's URL is read and written as params, once."""

from __future__ import annotations

from explorer.core.http.prepare import final_url
from explorer.core.model import AuthKind, Pair, Request
from explorer.core.storage import codec


def test_a_query_in_the_url_is_read_into_the_params_before_the_listed_ones():
    data = {"url": "http://h/p?x=1&q=a%20b#top", "params": [{"name": "z", "value": "3"}]}
    request, _ = codec.request_from_data(data, AuthKind.INHERIT)
    assert request.url == "http://h/p#top"
    assert request.params == (Pair("x", "1"), Pair("q", "a b"), Pair("z", "3"))


def test_writing_keeps_the_query_only_in_params():
    request = Request(url="http://h/p?x=1", params=(Pair("y", "2"),))
    data = codec.request_to_data(request)
    assert data["url"] == "http://h/p"
    assert data["params"] == [{"name": "x", "value": "1"}, {"name": "y", "value": "2"}]
    again, _ = codec.request_from_data(data, AuthKind.INHERIT)
    assert final_url(again) == "http://h/p?x=1&y=2"
