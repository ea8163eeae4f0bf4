"""parse_curl: flags, quoting and semantics as curl has them; to_curl round trips."""

from __future__ import annotations

import contextlib
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.formats import FormatError
from explorer.core.formats.curl import parse_curl, to_curl
from explorer.core.model import (
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Options,
    Pair,
    Part,
    Request,
)

FIXTURES = Path(__file__).parent / "fixtures" / "curl"
FORM = "application/x-www-form-urlencoded"

# (command, fields of the imported request that must have these values)
CASES = {
    "plain-get": ("curl https://x.io/a", dict(method="GET", url="https://x.io/a")),
    "no-scheme": ("curl localhost:8080/a", dict(url="http://localhost:8080/a")),
    "query-split": (
        "curl 'https://x.io/s?q=caf%C3%A9%20au%20lait&t=1&t=2&flag#top'",
        dict(
            url="https://x.io/s",
            params=(
                Pair("q", "café au lait"),
                Pair("t", "1"),
                Pair("t", "2"),
                Pair("flag", ""),
            ),
        ),
    ),
    # The app would send `+` as %20 and `empty=` as `empty`: kept as written instead.
    "query the app would re-encode stays in the URL": (
        "curl 'https://x.io/s?q=caf%C3%A9+au+lait&t=1&empty=&flag#top'",
        dict(url="https://x.io/s?q=caf%C3%A9+au+lait&t=1&empty=&flag", params=()),
    ),
    "variables-kept": (
        "curl '{{base_url}}/users/:id?token={{token}}'",
        dict(
            url="{{base_url}}/users/:id",
            params=(Pair("token", "{{token}}"),),
            path_params=(Pair("id"),),
        ),
    ),
    "-X and -H": (
        "curl -X DELETE -H 'X-A: 1' -H 'X-A: 2' -H 'Empty;' https://x.io",
        dict(
            method="DELETE",
            headers=(Pair("X-A", "1"), Pair("X-A", "2"), Pair("Empty", "")),
        ),
    ),
    "-XPOST attached": ("curl -XPOST https://x.io", dict(method="POST")),
    "combined -sSLk": (
        "curl -sSLk https://x.io",
        dict(options=Options(follow_redirects=True, verify_tls=False)),
    ),
    "combined ending in value -sXPUT": ("curl -sXPUT https://x.io", dict(method="PUT")),
    "--flag=value": (
        "curl --request=PATCH --header='X-B: 2' --url=https://x.io/z",
        dict(method="PATCH", url="https://x.io/z", headers=(Pair("X-B", "2"),)),
    ),
    "-d implies POST and form": (
        "curl -d a=1 -d 'b=two+words' https://x.io",
        dict(
            method="POST", body=Body(BodyKind.FORM, form=(Pair("a", "1"), Pair("b", "two words")))
        ),
    ),
    # A form would send `two+words` and `%C3%A9`: the raw text keeps curl's bytes.
    "-d form data the app would re-encode stays raw": (
        "curl -d a=1 -d 'b=two words' -d 'q=a%20b&x=+&e=é' https://x.io",
        dict(
            method="POST",
            body=Body(BodyKind.RAW, text="a=1&b=two words&q=a%20b&x=+&e=é", content_type=FORM),
        ),
    ),
    "-d not form-like stays raw with curl's type": (
        "curl -d 'hello world' https://x.io",
        dict(body=Body(BodyKind.RAW, text="hello world", content_type=FORM)),
    ),
    "-d with json type": (
        """curl -H 'Content-Type: application/json' -d '{"a": 1}' https://x.io""",
        dict(
            headers=(),
            body=Body(BodyKind.RAW, text='{"a": 1}', content_type="application/json"),
        ),
    ),
    "--data-raw keeps @": (
        "curl --data-raw '@notafile' -H 'Content-Type: text/plain' https://x.io",
        dict(body=Body(BodyKind.RAW, text="@notafile", content_type="text/plain")),
    ),
    "--data-binary @file": (
        "curl --data-binary @payload.bin -H 'Content-Type: application/octet-stream' https://x.io",
        dict(
            method="POST",
            body=Body(BodyKind.BINARY, file="payload.bin", content_type="application/octet-stream"),
        ),
    ),
    "--data-urlencode forms": (
        "curl --data-urlencode 'a=x&y' --data-urlencode '=just' --data-urlencode 'c=1+1' https://x.io",
        dict(body=Body(BodyKind.RAW, text="a=x%26y&just&c=1%2B1", content_type=FORM)),
    ),
    "--data-urlencode pairs": (
        "curl --data-urlencode 'a=x&y' --data-urlencode 'c=1+1 =2' https://x.io",
        dict(body=Body(BodyKind.FORM, form=(Pair("a", "x&y"), Pair("c", "1+1 =2")))),
    ),
    "-G moves data to the query": (
        "curl -G -d q=1 --data-urlencode 'r=a_b.c~' https://x.io/s?z=0",
        dict(
            method="GET",
            params=(Pair("z", "0"), Pair("q", "1"), Pair("r", "a_b.c~")),
            body=Body(),
        ),
    ),
    "-G data curl encodes its own way stays in the URL": (
        "curl -G -d q=1 --data-urlencode 'r=a b' https://x.io/s?z=0",
        dict(method="GET", url="https://x.io/s?z=0&q=1&r=a+b", params=(), body=Body()),
    ),
    "-F multipart": (
        "curl -F a=1 -F 'f=@/tmp/x.png;type=image/png' https://x.io",
        dict(
            method="POST",
            body=Body(
                BodyKind.MULTIPART,
                parts=(Part("a", "1"), Part("f", file="/tmp/x.png", content_type="image/png")),
            ),
        ),
    ),
    "-u basic": (
        "curl -u 'al:ice:pw' https://x.io",
        dict(auth=Auth(AuthKind.BASIC, username="al", password="ice:pw")),
    ),
    "--digest -u": (
        "curl --digest -u al:pw https://x.io",
        dict(auth=Auth(AuthKind.DIGEST, username="al", password="pw")),
    ),
    "--oauth2-bearer": (
        "curl --oauth2-bearer T0K https://x.io",
        dict(auth=Auth(AuthKind.BEARER, token="T0K")),
    ),
    "-b -A -e": (
        "curl -b 'a=1; b=2' -b c=3 -A 'Agent/1' -e 'https://ref/;auto' https://x.io",
        dict(
            headers=(
                Pair("User-Agent", "Agent/1"),
                Pair("Referer", "https://ref/"),
                Pair("Cookie", "a=1; b=2; c=3"),
            )
        ),
    ),
    "-I head": ("curl -I https://x.io", dict(method="HEAD")),
    "--head with -X": ("curl --head -X GET https://x.io", dict(method="GET")),
    "-T upload is PUT": (
        "curl -T ./big.iso https://x.io/up",
        dict(method="PUT", body=Body(BodyKind.BINARY, file="./big.iso")),
    ),
    "--json": (
        """curl --json '{"a":1}' https://x.io""",
        dict(
            method="POST",
            headers=(Pair("Accept", "application/json"),),
            body=Body(BodyKind.RAW, text='{"a":1}', content_type="application/json"),
        ),
    ),
    "timeouts and redirects": (
        "curl -m 2.5 -L --max-redirs 3 https://x.io",
        dict(options=Options(timeout=2.5, follow_redirects=True, max_redirects=3)),
    ),
    "--connect-timeout alone": (
        "curl --connect-timeout 4 https://x.io",
        dict(options=Options(timeout=4.0, follow_redirects=False)),
    ),
    "no -L means no redirects": (
        "curl https://x.io",
        dict(options=Options(follow_redirects=False)),
    ),
    "tls and proxy options": (
        "curl --cacert ca.pem --cert c.pem --key k.pem -x http://proxy:3128 https://x.io",
        dict(
            options=Options(
                follow_redirects=False,
                ca_bundle="ca.pem",
                client_cert="c.pem",
                client_key="k.pem",
                proxy="http://proxy:3128",
            )
        ),
    ),
    "--noproxy *": (
        "curl --noproxy '*' https://x.io",
        dict(options=Options(follow_redirects=False, use_system_proxy=False)),
    ),
    "output flags are quiet": (
        "curl -s -v -o out.json -i -w '%{http_code}' --compressed -D - https://x.io",
        dict(url="https://x.io"),
    ),
    "double quotes and escapes": (
        r'''curl "https://x.io/p" -H "X-Q: say \"hi\" \$5 \\ ok"''',
        dict(headers=(Pair("X-Q", 'say "hi" $5 \\ ok'),)),
    ),
    "dollar-single quotes": (
        r"""curl https://x.io -H $'X-N: a\tb\'c\u00e9\x41'""",
        dict(headers=(Pair("X-N", "a\tb'céA"),)),
    ),
    "shell variable becomes a placeholder": (
        'curl -H "Authorization: Bearer ${TOKEN}" https://x.io',
        dict(headers=(Pair("Authorization", "Bearer {{TOKEN}}"),)),
    ),
    "-- ends options": ("curl -- https://x.io/-dash", dict(url="https://x.io/-dash")),
    "url user-info becomes basic auth": (
        "curl 'https://us%40r:p%3Ass@x.io/a?b=1'",
        dict(url="https://x.io/a", auth=Auth(AuthKind.BASIC, username="us@r", password="p:ss")),
    ),
    "url user without password": (
        "curl --digest https://al@x.io",
        dict(url="https://x.io", auth=Auth(AuthKind.DIGEST, username="al")),
    ),
    "single-slash URL as curl reads it": (
        "curl http:/v1.24/containers/json",
        dict(url="http://v1.24/containers/json"),
    ),
    "three slashes too": ("curl HTTPS:///x.io/a", dict(url="HTTPS://x.io/a")),
    "-r is a Range header": (
        "curl -r 0-99,200- https://x.io/f",
        dict(headers=(Pair("Range", "bytes=0-99,200-"),)),
    ),
    "--compressed asks for what the app decodes": (
        "curl --compressed https://x.io",
        dict(headers=(Pair("Accept-Encoding", "gzip, deflate"),)),
    ),
    "-T sends no Content-Type": (
        "curl -T photo.jpg https://x.io/up",
        dict(method="PUT", headers=(Pair("Content-Type", ""),)),
    ),
    "-T with a type keeps it": (
        "curl -T a.json -H 'Content-Type: application/json' https://x.io/up",
        dict(
            headers=(), body=Body(BodyKind.BINARY, file="a.json", content_type="application/json")
        ),
    ),
    "--url-query with + is sent as written": (
        "curl --url-query '+r=a%20b+c' --url-query 'k=v w' https://x.io/q",
        dict(url="https://x.io/q?r=a%20b+c&k=v+w", params=()),
    ),
    "several files in one -F": (
        "curl -F 'f=@a.txt,b.png' -F 'g=@\"c,d.txt\"' https://x.io",
        dict(
            body=Body(
                BodyKind.MULTIPART,
                parts=(Part("f", file="a.txt"), Part("f", file="b.png"), Part("g", file="c,d.txt")),
            )
        ),
    ),
}


@pytest.mark.parametrize("command", CASES, ids=list(CASES))
def test_parse_curl_cases(command: str) -> None:
    line, expected = CASES[command]
    request = parse_curl(line).request
    for field, value in expected.items():
        assert getattr(request, field) == value, field


# (fixture file, fields that must hold, words that must appear in the report)
FILE_CASES = {
    "chrome_bash.txt": (
        dict(
            method="POST",
            url="https://api.example.com/v1/search",
            params=(Pair("q", "café"), Pair("tag", "a"), Pair("tag", "b")),
            headers=(
                Pair("accept", "application/json"),
                Pair("x-note", "it's été"),
                Pair("Accept-Encoding", "gzip, deflate"),  # --compressed
            ),
            body=Body(
                BodyKind.RAW,
                text='{"text":"line1\\nline2","quote":"\'"}',
                content_type="application/json",
            ),
        ),
        (),
    ),
    "chrome_cmd.txt": (
        dict(
            method="POST",
            url="https://api.example.com/v1/items",
            params=(Pair("x", "1"), Pair("y", "2")),
            headers=(Pair("accept", "*/*"), Pair("Accept-Encoding", "gzip, deflate")),
            body=Body(BodyKind.RAW, text='{"name":"a b"}', content_type="application/json"),
        ),
        (),
    ),
    "docs_multiline.txt": (
        dict(
            auth=Auth(AuthKind.BASIC, username="{{API_KEY}}"),
            body=Body(
                BodyKind.FORM,
                form=(
                    Pair("amount", "2000"),
                    Pair("currency", "usd"),
                    Pair("description", "Order #1 & co"),
                ),
            ),
        ),
        ("{{API_KEY}}", "'|'"),
    ),
    "range_user_info.txt": (
        dict(
            url="https://search.example.com:9200/logs-*/_search",
            params=(Pair("pretty", ""), Pair("q", "status:500")),
            headers=(
                Pair("X-Opaque-Id", "café"),
                Pair("Range", "bytes=0-1023"),
                Pair("Accept-Encoding", "gzip, deflate"),
            ),
            auth=Auth(AuthKind.BASIC, username="elastic", password="chang:me"),
        ),
        (),
    ),
    "form_upload.txt": (
        dict(
            body=Body(
                BodyKind.MULTIPART,
                parts=(
                    Part("meta", '{"kind": "report"}', content_type="application/json"),
                    Part("file", file="./reports/q1 final.pdf", content_type="application/pdf"),
                    Part("name", "Quarterly"),
                    Part("raw", "@not-a-file"),
                ),
            )
        ),
        ("filename=",),
    ),
}


@pytest.mark.parametrize("name", FILE_CASES)
def test_parse_curl_fixture_files(name: str) -> None:
    expected, reported = FILE_CASES[name]
    parsed = parse_curl((FIXTURES / name).read_text(encoding="utf-8"))
    for field, value in expected.items():
        assert getattr(parsed.request, field) == value, field
    for words in reported:
        assert any(words in line for line in parsed.report), (words, parsed.report)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("curl --frobnicate https://x.io", "--frobnicate"),
        ("curl -Z https://x.io", "--parallel"),
        ("curl --ntlm -u a:b https://x.io", "--ntlm"),
        ("curl --retry 3 https://x.io", "--retry 3"),
        ("curl https://a.io https://b.io", "first URL"),
        ("curl -u alice https://x.io", "password"),
        ("curl -b cookies.txt https://x.io", "cookies.txt"),
        ("curl -d @- https://x.io", "standard input"),
        ("curl -d 'x' -F a=1 https://x.io", "-F"),
        ("curl -H 'Accept:' https://x.io", "Accept"),
        ("curl -d '{\"a\":1}' https://x.io", "JSON"),
        ("curl https://x.io > out.txt", "redirection"),
        ("curl -K opts.txt https://x.io", "opts.txt"),
        ("curl -F 'f=@a,b,c' https://x.io", "3 parts named 'f'"),
        ("curl http:/v1.24/info", "http://v1.24/info"),
        ("curl -u a:b https://c:d@x.io", "-u wins"),
        ("curl -r 0-9 -T f.bin https://x.io", "-r 0-9"),
    ],
)
def test_what_cannot_be_kept_is_reported(command: str, words: str) -> None:
    report = parse_curl(command).report
    assert any(words in line for line in report), report


@pytest.mark.parametrize(
    ("command", "message", "location"),
    [
        ("", "empty", "line 1, column 1"),
        ("wget https://x.io", "Not a curl command", "line 1, column 1"),
        ("curl -H 'X: 1' \\\n  -H \"Y: 2", 'Unterminated "', "line 2, column 6"),
        ("curl $'abc", "Unterminated $'", "line 1, column 6"),
        ("curl https://x.io -X", "needs a value", "line 1, column 19"),
        ("curl -m soon https://x.io", "number", "line 1, column 6"),
        ("curl -s", "no URL", "line 1, column 8"),
        ('curl ^"https://x.io^" ^\n -H ^"a: b', 'Unterminated "', "line 2, column 6"),
    ],
)
def test_malformed_commands_raise_with_location(command: str, message: str, location: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_curl(command)
    assert message in caught.value.message
    assert caught.value.location == location


def test_unterminated_quote_fixture_points_at_the_quote() -> None:
    with pytest.raises(FormatError) as caught:
        parse_curl((FIXTURES / "unterminated.txt").read_text())
    assert caught.value.location == "line 2, column 6"


ROUND_TRIP = {
    "get": Request(url="https://x.io/a", params=(Pair("q", "a b&c=d"), Pair("q", "ü"))),
    "variables": Request(
        url="{{base_url}}/items", params=(Pair("k", "{{key}}"),), headers=(Pair("X-T", "{{t}}"),)
    ),
    "json": Request(
        method="PUT",
        url="https://x.io/a",
        headers=(Pair("X-Odd", 'it\'s "$HOME" `x`'),),
        body=Body(
            BodyKind.RAW, text='{"a": "it\'s\\n", "b": [1]}\n', content_type="application/json"
        ),
    ),
    "raw without type": Request(
        method="POST", url="https://x.io", body=Body(BodyKind.RAW, text="plain\ntext")
    ),
    "form": Request(
        method="POST",
        url="https://x.io",
        body=Body(BodyKind.FORM, form=(Pair("a", "1 & 2"), Pair("a", "x=y"), Pair("e", ""))),
    ),
    "multipart": Request(
        method="POST",
        url="https://x.io",
        body=Body(
            BodyKind.MULTIPART,
            parts=(
                Part("t", "@literal;type=x"),
                Part("j", '{"a": "b;c"}', content_type="application/json"),
                Part("f", file='dir/my "file";.txt', content_type="text/plain"),
                Part("g", file="plain.bin"),
            ),
        ),
    ),
    "binary": Request(
        method="PATCH",
        url="https://x.io",
        body=Body(BodyKind.BINARY, file="data.bin", content_type="application/octet-stream"),
    ),
    "head": Request(method="HEAD", url="https://x.io"),
    "get with body": Request(
        method="GET",
        url="https://x.io",
        body=Body(BodyKind.RAW, text="x", content_type="text/plain"),
    ),
    "auth basic": Request(
        url="https://x.io", auth=Auth(AuthKind.BASIC, username="u", password="p:w")
    ),
    "auth digest": Request(
        url="https://x.io", auth=Auth(AuthKind.DIGEST, username="u", password="p")
    ),
    "auth bearer": Request(url="https://x.io", auth=Auth(AuthKind.BEARER, token="abc.def")),
    "options": Request(
        url="https://x.io",
        options=Options(
            timeout=7.5,
            follow_redirects=False,
            max_redirects=4,
            verify_tls=False,
            ca_bundle="ca.pem",
            client_cert="c.pem",
            client_key="k.pem",
        ),
    ),
    "proxy": Request(url="https://x.io", options=Options(proxy="http://p:1")),
    "no proxy": Request(url="https://x.io", options=Options(use_system_proxy=False)),
    "trusted redirects": Request(
        url="https://x.io", options=Options(follow_redirects=True, trust_redirects=True)
    ),
}


def test_export_keeps_value_less_params_and_compressed() -> None:
    """`?pretty` goes out as the app sends it (no `=`); the Accept-Encoding header of
    --compressed goes back to --compressed (curl then decodes what it asked for)."""
    request = parse_curl("curl --compressed 'https://x.io/_search?pretty'").request
    assert request.params == (Pair("pretty", ""),)
    command = to_curl(request)
    assert "https://x.io/_search?pretty'" in command
    assert "--compressed" in command and "Accept-Encoding" not in command
    assert parse_curl(command).request == request
    upload = parse_curl("curl -T a.bin https://x.io").request
    assert "-H Content-Type: " in to_curl(upload) and parse_curl(to_curl(upload)).request == upload


def test_location_trusted_follows_and_trusts() -> None:
    parsed = parse_curl("curl --location-trusted https://x.io")
    assert parsed.request.options.follow_redirects and parsed.request.options.trust_redirects
    assert parsed.report == ()
    plain = parse_curl("curl -L https://x.io").request.options
    assert plain.follow_redirects and not plain.trust_redirects


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_to_curl_round_trips(name: str) -> None:
    request = ROUND_TRIP[name]
    parsed = parse_curl(to_curl(request))
    assert parsed.request == request
    assert parsed.report == ()


def test_to_curl_sends_api_key_and_path_params() -> None:
    request = Request(
        url="https://x.io/u/:id",
        path_params=(Pair("id", "7"),),
        auth=Auth(AuthKind.API_KEY, key_name="api_key", key_value="s", key_in="query"),
    )
    parsed = parse_curl(to_curl(request)).request
    assert parsed.url == "https://x.io/u/7"
    assert parsed.params == (Pair("api_key", "s"),)


_CURLISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "-X",
                "-H",
                "-d",
                "-F",
                "-G",
                "-u",
                "-sSLk",
                "--json",
                "--data-urlencode",
                "-T",
                "--url",
                "-m",
                "'",
                '"',
                "$'",
                "\\\n",
                "^\n",
                '^"',
                "|",
                "@",
                "=",
                ";",
                "$X",
                "{{v}}",
                "-",
                "--",
                "--x=",
                "https://h/p?q=1&r",
                "-XPOST",
                "-b",
                "-e",
                "-I",
                "\\",
                "`",
            ]
        ),
        st.text(alphabet=string.printable + "é€\x00", max_size=8),
    ),
    max_size=12,
).map(lambda words: "curl " + " ".join(words))


@settings(max_examples=400, deadline=None)
@given(_CURLISH)
def test_random_curl_like_strings_raise_only_format_error(command: str) -> None:
    with contextlib.suppress(FormatError):
        parse_curl(command)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_random_text_raises_only_format_error(command: str) -> None:
    with contextlib.suppress(FormatError):
        parse_curl(command)


def test_comment_lines_before_the_command_are_recognised():
    from explorer.core.formats import detect_format
    from explorer.core.formats.curl import is_curl_command

    text = "# List the items\n# (needs a token)\ncurl https://api.example.com/items\n"
    assert is_curl_command(text)
    assert detect_format(text) == "curl"
    assert not is_curl_command("# just a comment\n")
