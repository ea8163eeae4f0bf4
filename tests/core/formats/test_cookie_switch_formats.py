"""A request that leaves the cookie jar out (Options.send_cookies False): the formats
that can say so carry it both ways (Postman `disableCookies`, .http `# @no-cookie-jar`),
the others report it as lost; a request that uses the jar exports as before."""

from __future__ import annotations

import json

from explorer.application.exporting import collection_export
from explorer.core.collection import Collection, RequestItem
from explorer.core.formats import convert
from explorer.core.model import Options, Request

OFF = Collection(
    name="Jarless",
    items=(RequestItem(Request(name="plain", url="https://example.com/a",
                               options=Options(send_cookies=False, follow_redirects=False))),),
)  # fmt: skip
ON = Collection(
    name="Jar", items=(RequestItem(Request(name="plain", url="https://example.com/a")),)
)


def test_postman_carries_the_switch_both_ways():
    exported = collection_export(OFF, "postman").text
    item = json.loads(exported)["item"][0]
    assert item["protocolProfileBehavior"]["disableCookies"] is True
    back = convert(exported, format="postman").result.collection.items[0]
    assert isinstance(back, RequestItem)
    assert back.request.options.send_cookies is False
    assert back.request.options.follow_redirects is False
    assert "disableCookies" not in collection_export(ON, "postman").text


def test_http_files_carry_the_switch_both_ways():
    exported = collection_export(OFF, "http").text
    assert "# @no-cookie-jar" in exported and "# @no-redirect" in exported
    back = convert(exported, format="http").result.collection.items[0]
    assert isinstance(back, RequestItem)
    assert back.request.options == Options(send_cookies=False, follow_redirects=False)
    assert "@no-cookie-jar" not in collection_export(ON, "http").text


def test_bruno_reports_it_lost():
    assert "cookie jar" in " ".join(collection_export(OFF, "bruno").report)
    assert "cookie jar" not in " ".join(collection_export(ON, "bruno").report)


def test_hurl_says_it_is_lost_in_the_file():
    assert "Not carried over to Hurl: plain leaves the cookie jar out" in (
        collection_export(OFF, "hurl").text
    )
    assert "cookie jar" not in collection_export(ON, "hurl").text
