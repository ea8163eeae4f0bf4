"""The shared cookie jar and its cookies.txt file: real files, real sockets on 127.0.0.1.

What must hold: every send of a workspace shares one jar (safely across threads), a
request can leave the jar out, the file is curl's (`curl -b` reads it), written 0600,
bounded, and an unreadable file is set aside with a one-line reason, never lost."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time

import pytest

from explorer.core import atomic
from explorer.core.http import cookie_jar
from explorer.core.http.cookie_jar import (
    CookieFields,
    CookieFileError,
    SharedJar,
    cookies_of,
    jar_text,
    load_jar,
    parse_jar,
    put,
    remove_domain,
)
from explorer.core.http.cookie_store import CookieStore
from explorer.core.http.transport import Transport
from explorer.core.model import Options, Pair, Request

LATER = int(time.time()) + 86_400


@pytest.fixture(scope="module")
def recording_server():
    """One recording server for the module (each stops in half a second)."""
    from tests.support.recording_server import RecordingServer

    with RecordingServer() as server:
        yield server


def test_the_file_round_trips_every_field_curl_keeps(tmp_path):
    jar = SharedJar()
    kept = [
        CookieFields("session", "abc", "127.0.0.1", "/", None, False, True, ""),
        CookieFields("pref", "dark mode", ".example.com", "/app", LATER, True, False, ""),
    ]
    for fields in kept:
        put(jar, fields)
    text = jar_text(jar)
    assert text.startswith("# Netscape HTTP Cookie File\n")
    assert "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc\n" in text
    assert f".example.com\tTRUE\t/app\tTRUE\t{LATER}\tpref\tdark mode\n" in text
    assert sorted(parse_jar(text), key=lambda c: c.name) == sorted(kept, key=lambda c: c.name)


def test_expired_cookies_are_neither_read_nor_written():
    past = int(time.time()) - 10
    text = (
        f"example.com\tFALSE\t/\tFALSE\t{past}\told\t1\nexample.com\tFALSE\t/\tFALSE\t0\tnew\t2\n"
    )
    assert [c.name for c in parse_jar(text)] == ["new"]
    jar = SharedJar()
    put(jar, CookieFields("old", "1", "example.com", expires=past))
    assert "\told\t" not in jar_text(jar)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("example.com\tFALSE\t/\tFALSE\t0\tname", "line 1 has 6 fields, not 7"),
        ("example.com\tFALSE\t/\tmaybe\t0\tn\tv", "the Secure field is 'maybe'"),
        ("example.com\tFALSE\t/\tFALSE\tsoon\tn\tv", "the expiry 'soon' is not a number"),
        ("bad domain\tFALSE\t/\tFALSE\t0\tn\tv", "is not a domain"),
    ],
)
def test_a_bad_line_is_named_in_one_line(line, words):
    with pytest.raises(CookieFileError) as caught:
        parse_jar(f"# Netscape HTTP Cookie File\n{line}\n".replace("line 1", "line 2"))
    assert words.replace("line 1", "line 2") in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_jar_is_bounded(monkeypatch):
    monkeypatch.setattr(cookie_jar, "MAX_COOKIES", 3)
    jar = SharedJar()
    for number in range(5):
        put(jar, CookieFields(f"c{number}", "v", "example.com"))
    assert [c.name for c in cookies_of(jar)] == ["c2", "c3", "c4"]  # the oldest went
    put(jar, CookieFields("huge", "x" * (cookie_jar.MAX_COOKIE_BYTES + 1), "example.com"))
    assert "huge" not in {c.name for c in cookies_of(jar)}
    text = "".join(f"e.com\tFALSE\t/\tFALSE\t0\tc{n}\tv\n" for n in range(4))
    with pytest.raises(CookieFileError, match="more than 3 cookies"):
        parse_jar(text)


def test_removing_a_domain_takes_its_dotted_form_too():
    jar = SharedJar()
    for domain in ("example.com", ".example.com", "other.org"):
        put(jar, CookieFields("c", "1", domain))
    remove_domain(jar, "example.com")
    assert [c.domain for c in cookies_of(jar)] == ["other.org"]


def test_the_store_writes_0600_only_when_the_jar_changed(tmp_path):
    path = tmp_path / "data" / "cookies.txt"
    store = CookieStore(path)
    assert not store.save_if_changed()  # never loaded: nothing to write
    put(store.jar(), CookieFields("c", "1", "example.com"))
    assert store.save_if_changed()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not store.save_if_changed()
    assert [c.name for c in cookies_of(CookieStore(path).jar())] == ["c"]


def test_an_unreadable_file_is_set_aside_with_a_one_line_reason(tmp_path):
    path = tmp_path / "cookies.txt"
    path.write_text("example.com\tFALSE\t/\n", encoding="utf-8")
    store = CookieStore(path)
    assert cookies_of(store.jar()) == []
    assert "line 1 has 3 fields" in store.problem and "\n" not in store.problem
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("cookies.txt.unreadable-")]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "example.com\tFALSE\t/\n"
    assert not path.exists()


def test_a_file_too_large_or_not_text_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "cookies.txt"
    path.write_bytes(b"\xff\xfe binary")
    with pytest.raises(CookieFileError, match="not a text file"):
        load_jar(path)
    monkeypatch.setattr(cookie_jar, "MAX_FILE_BYTES", 4)
    with pytest.raises(CookieFileError, match="larger than"):
        load_jar(path)


# ---- on the wire --------------------------------------------------------------------


def cookies_seen(response) -> dict[str, str]:
    return json.loads(response.body)["cookies"]


def test_two_transports_on_one_jar_share_a_login(live_server, tmp_path):
    store = CookieStore(tmp_path / "cookies.txt")
    first, second = Transport(cookies=store.jar()), Transport(cookies=store.jar())
    try:
        first.send(Request(url=f"{live_server}/cookies/set?flavour=oat"))
        assert cookies_seen(second.send(Request(url=f"{live_server}/cookies"))) == {
            "flavour": "oat"
        }
    finally:
        first.close()
        second.close()


def test_a_request_without_the_jar_sends_and_keeps_none(live_server, recording_server):
    jar = SharedJar()
    put(jar, CookieFields("kept", "1", "127.0.0.1"))
    transport = Transport(cookies=jar)
    off = Options(send_cookies=False)
    try:
        # Cookies set on the way (a redirect's hop) still reach the next hop...
        response = transport.send(Request(url=f"{live_server}/cookies/set?new=2", options=off))
        assert cookies_seen(response) == {"new": "2"}
        # ...but the jar neither sent its own nor kept the new one.
        assert [c.name for c in cookies_of(jar)] == ["kept"]
        typed = Request(
            url=f"{recording_server.url}/typed", headers=(Pair("Cookie", "mine=3"),), options=off
        )
        transport.send(typed)
        transport.send(Request(url=f"{recording_server.url}/bare", options=off))
        transport.send(Request(url=f"{recording_server.url}/jar"))
    finally:
        transport.close()
    typed_seen, bare, with_jar = recording_server.take()[-3:]
    assert typed_seen.header_text("Cookie") == "mine=3"
    assert bare.header("Cookie") is None
    assert with_jar.header_text("Cookie") == "kept=1"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_reads_the_written_file(recording_server, tmp_path):
    store = CookieStore(tmp_path / "cookies.txt")
    put(store.jar(), CookieFields("sid", "s3cret", "127.0.0.1", http_only=True))
    put(store.jar(), CookieFields("theme", "dark", "127.0.0.1", expires=LATER))
    store.save_if_changed()
    subprocess.run(
        ["curl", "-s", "-o", os.devnull, "-b", str(store.path), f"{recording_server.url}/x"],
        check=True,
        timeout=20,
    )
    seen = recording_server.take()[-1].header_text("Cookie") or ""
    assert sorted(seen.split("; ")) == ["sid=s3cret", "theme=dark"]


def test_localhost_is_written_as_curl_knows_it(live_server, tmp_path):
    """cookielib files a dotless host's cookies under "localhost.local"; the file (and
    the manager) say "localhost", and a jar read back sends them to localhost again."""
    local = live_server.replace("127.0.0.1", "localhost")
    store = CookieStore(tmp_path / "cookies.txt")
    transport = Transport(cookies=store.jar())
    try:
        transport.send(Request(url=f"{local}/cookies/set?near=1"))
    finally:
        transport.close()
    store.save_if_changed()
    assert "\nlocalhost\tFALSE\t/\tFALSE\t0\tnear\t1\n" in store.path.read_text(encoding="utf-8")
    again = Transport(cookies=CookieStore(store.path).jar())
    try:
        assert cookies_seen(again.send(Request(url=f"{local}/cookies"))) == {"near": "1"}
    finally:
        again.close()


def test_an_unreadable_file_that_cannot_be_moved_is_never_written_over(tmp_path, monkeypatch):
    path = tmp_path / "cookies.txt"
    path.write_text("garbage\n", encoding="utf-8")

    def refuse(_path):  # a rename the file system refuses (root cannot be made to fail)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic, "set_aside", refuse)
    store = CookieStore(path)
    put(store.jar(), CookieFields("c", "1", "example.com"))
    assert not store.save_if_changed()
    assert "could not be moved aside (Permission denied)" in store.problem
    assert path.read_text(encoding="utf-8") == "garbage\n"
