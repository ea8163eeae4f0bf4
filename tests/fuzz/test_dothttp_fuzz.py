""".http fuzzing (#14): text built from the syntax's risky pieces imports or fails with
one line; JetBrains env files of any JSON shape import or are reported; and any request
the exporter writes reads back equal (the round-trip property). Short in `make test`;
FUZZ_EXAMPLES runs more."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.collection import Collection, RequestItem
from explorer.core.dothttp.exporter import export_http
from explorer.core.dothttp.parser import import_http
from explorer.core.formats import FormatError, import_text
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Part, Request

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
FAST = settings(
    max_examples=EXAMPLES or 150,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

PIECES = [
    "GET ", "PURGE ", "QUERY ", "M-SEARCH ", "get ", "http://h/a", "{{host}}/x", "/rel",
    " HTTP/1.1", "example.com", "\n", "\r\n", "\n\n", "###", "### t\n", "# @name n\n",
    "# @no-redirect\n", "@v = 1\n", "Content-Type: multipart/form-data; boundary=B\n",
    "Content-Type: application/x-www-form-urlencoded\n", "Authorization: Basic a b\n",
    "Authorization: Basic a:b\n", "Authorization: Digest u p\n", "--B\n", "--B--\n",
    'Content-Disposition: form-data; name="f"; filename="x"\n', "< ./f.bin\n", "<xml>",
    "<!DOCTYPE html>", "<@ x\n", "<--->\n", "> {%\n", "%}\n", "< {%\n", "client.test(",
    "# body: ends with 3 newlines\n", "# body: ends with 99999999 newlines\n",
    '# auth: API key "k" in the query\n', '# auth: API key "K" in the header\n', "?k=v",
    "&a=b", "K: v\n", ":", "  ", "é", "\t",
]  # fmt: skip


def _one_line_or_result(text: str, base_dir: Path | None = None) -> None:
    try:
        import_text(text, "http", base_dir=base_dir)
    except FormatError as error:
        assert "\n" not in str(error)


@FAST
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_http_text_imports_or_fails_in_one_line(text: str) -> None:
    _one_line_or_result(text)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=30,
)  # fmt: skip


@FAST
@given(public=JSON, private=JSON | st.binary(max_size=20))
def test_env_files_of_any_shape_import_or_are_reported(public: object, private: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "http-client.env.json").write_text(json.dumps(public))
        target = base / "http-client.private.env.json"
        if isinstance(private, bytes):
            target.write_bytes(private)
        else:
            target.write_text(json.dumps(private))
        result = import_http("GET {{host}}/\n", base_dir=base)
        assert len(result.collection.items) == 1
        for environment in result.collection.environments:
            for variable in environment.variables:
                assert isinstance(variable.value, str)


TOKEN = st.from_regex(r"\A[A-Z][A-Z0-9-]{0,8}\Z")
WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00"), max_size=12)
SIMPLE = st.from_regex(r"\A[A-Za-z0-9_.~-]{1,8}\Z")
LINE = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=40)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    body = draw(
        st.one_of(
            st.just(Body()),
            LINE.filter(lambda t: t.strip() and not t.lstrip().startswith(("<", ">", "#"))).map(
                lambda t: Body(BodyKind.RAW, text=t, content_type="text/plain")
            ),
            st.lists(st.tuples(SIMPLE, WORD), min_size=1, max_size=3).map(
                lambda pairs: Body(BodyKind.FORM, form=tuple(Pair(n, v) for n, v in pairs))
            ),
            st.lists(st.tuples(SIMPLE, SIMPLE, st.booleans()), min_size=1, max_size=3).map(
                lambda parts: Body(
                    BodyKind.MULTIPART,
                    parts=tuple(
                        Part(n, file=f"/d/{v}.bin") if is_file else Part(n, value=v)
                        for n, v, is_file in parts
                    ),
                )
            ),
        )
    )
    auth = draw(
        st.one_of(
            st.just(Auth()),
            st.tuples(SIMPLE, SIMPLE).map(lambda up: Auth(AuthKind.BASIC, *up)),
            st.tuples(SIMPLE, SIMPLE, st.sampled_from(["query", "header"])).map(
                lambda k: Auth(AuthKind.API_KEY, key_name=k[0], key_value=k[1], key_in=k[2])
            ),
        )
    )
    params = draw(st.lists(st.tuples(SIMPLE, WORD), max_size=3))
    return Request(
        method=draw(TOKEN),
        url="https://x.io/" + draw(SIMPLE),
        params=tuple(Pair(n, v) for n, v in params),
        body=body,
        auth=auth,
        name="r",
    )


@FAST
@given(requests())
def test_every_exported_request_reads_back_equal(request: Request) -> None:
    if request.auth.kind == AuthKind.API_KEY and request.auth.key_in == "query":
        # The key is the last parameter; an equal name before it would be taken instead.
        request = request.with_changes(
            params=tuple(p for p in request.params if p.name != request.auth.key_name)
        )
    text = export_http(Collection("c", items=(RequestItem(request),)))
    (item,) = import_http(text).collection.items
    assert isinstance(item, RequestItem)
    assert item.request.with_changes(name="r") == request, text
