"""Property: for any collection within what Hurl can carry, import(export(c)) == c, and
the export lists no loss. Names, values and arguments are arbitrary text (escapes,
templates, quotes, `#`, spaces at the ends), so the exporter's escaping and the parser's
reading of it are checked against each other."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.hurl.exporter import hurl_export
from explorer.core.hurl.importer import HURL_MAX_REDIRECTS, import_hurl
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Operator,
    Options,
    Pair,
    Part,
    Request,
    Subject,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 120

# Any text but lone surrogates (a file cannot hold them).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
WORD = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
ONE_LINE = TEXT.map(lambda text: " ".join(text.split())).filter(bool)
TEMPLATED = st.one_of(TEXT, WORD.map(lambda name: "{{" + name + "}}"))
FILTERS = st.sampled_from(
    ["count", "nth 0", "nth -1", 'split ","', 'regex "(\\\\d+)"', "toInt", 'replace "a" "b"']
)


def json_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**12), 10**12).map(str),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(json.dumps),
        st.booleans().map(json.dumps),
        st.just("null"),
        TEXT.map(lambda text: json.dumps(text, ensure_ascii=False)),
        WORD.map(lambda name: "{{" + name + "}}"),
    )


QUERY_SUBJECTS = [
    Subject.STATUS,
    Subject.HEADER,
    Subject.JSONPATH,
    Subject.XPATH,
    Subject.BODY,
    Subject.REGEX,
    Subject.DURATION,
    Subject.SIZE,
    Subject.COOKIE,
    Subject.REDIRECTS,
    Subject.URL,
    Subject.VERSION,
    Subject.VARIABLE,
]
NEEDS_ARGUMENT = {
    Subject.HEADER,
    Subject.JSONPATH,
    Subject.XPATH,
    Subject.REGEX,
    Subject.COOKIE,
    Subject.VARIABLE,
}
VALUE_OPERATORS = [Operator.EQ, Operator.NE, Operator.GT, Operator.LE, Operator.CONTAINS]
TEXT_OPERATORS = [Operator.STARTS_WITH, Operator.ENDS_WITH, Operator.MATCHES]
TYPES = ["integer", "float", "number", "boolean", "string", "list", "object", "empty", "uuid"]


@st.composite
def assertions(draw: st.DrawFn) -> Assertion:
    subject = draw(st.sampled_from(QUERY_SUBJECTS))
    argument = draw(TEXT) if subject in NEEDS_ARGUMENT else ""
    filters = tuple(draw(st.lists(FILTERS, max_size=2)))
    negate = draw(st.booleans())
    kind = draw(st.sampled_from(["value", "text", "type", "exists"]))
    if kind == "value":
        operator, expected = draw(st.sampled_from(VALUE_OPERATORS)), draw(json_value())
    elif kind == "text":
        operator = draw(st.sampled_from(TEXT_OPERATORS))
        expected = json.dumps(draw(TEXT), ensure_ascii=False)
    elif kind == "type":
        operator, expected = Operator.IS_TYPE, draw(st.sampled_from(TYPES))
    else:
        operator, expected = Operator.EXISTS, ""
    if subject is Subject.STATUS and not filters and not negate and operator is Operator.EQ:
        expected = json.dumps(draw(TEXT), ensure_ascii=False)  # not the implicit status line
    return Assertion(subject, operator, expected, argument, filters, negate)


@st.composite
def captures(draw: st.DrawFn) -> Capture:
    subject = draw(st.sampled_from([Subject.JSONPATH, Subject.HEADER, Subject.BODY]))
    argument = "" if subject is Subject.BODY else draw(TEXT)
    filters = tuple(draw(st.lists(FILTERS, max_size=2)))
    return Capture(draw(WORD), subject, argument, filters, secret=draw(st.booleans()))


PAIRS = st.lists(st.builds(Pair, TEMPLATED.filter(bool), TEMPLATED), max_size=3).map(tuple)
HEADER_NAMES = TEXT.filter(lambda name: bool(name) and name.lower() != "content-type")
HEADERS = st.lists(st.builds(Pair, HEADER_NAMES, TEMPLATED), max_size=3).map(tuple)
PATH = TEXT.filter(lambda path: bool(path) and "\n" not in path and "{{" not in path)
BODIES = st.one_of(
    st.just(Body()),
    st.builds(
        lambda text, kind: Body(BodyKind.RAW, text=text, content_type=kind),
        TEXT,
        st.sampled_from(["", "application/json", "text/csv; charset=utf-8"]),
    ),
    st.builds(lambda pairs: Body(BodyKind.FORM, form=pairs), PAIRS),
    st.builds(
        lambda name, value, file, kind: Body(
            BodyKind.MULTIPART,
            parts=(Part(name, value), Part(name + "f", file=file, content_type=kind)),
        ),
        WORD,
        TEXT,
        PATH,
        st.sampled_from(["text/plain", "application/pdf"]),
    ),
    st.builds(lambda file: Body(BodyKind.BINARY, file=file), PATH),
)
AUTHS = st.one_of(
    st.just(Auth()),
    st.builds(
        lambda user, password: Auth(AuthKind.BASIC, username=user, password=password),
        TEXT.filter(bool),
        TEXT,
    ),
)
OPTIONS = st.builds(
    lambda follow, hops, tls, trust: Options(
        follow_redirects=follow,
        max_redirects=hops,
        verify_tls=tls,
        trust_redirects=trust and follow,
    ),
    st.booleans(),
    st.one_of(st.just(HURL_MAX_REDIRECTS), st.integers(0, 1000)),
    st.booleans(),
    st.booleans(),
)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    segment = draw(st.from_regex(r"[a-z0-9._~-]{0,8}", fullmatch=True))
    return Request(
        method=draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PURGE"])),
        url=draw(st.sampled_from(["https://h.example/", "{{base}}/", "http://h:8080/a/"]))
        + segment,
        params=draw(PAIRS),
        headers=draw(HEADERS),
        body=draw(BODIES),
        auth=draw(AUTHS),
        options=draw(OPTIONS),
        name=draw(ONE_LINE),
        assertions=tuple(draw(st.lists(assertions(), max_size=4))),
        captures=tuple(draw(st.lists(captures(), max_size=2))),
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(
    st.lists(requests(), min_size=1, max_size=3),
    st.lists(
        st.builds(Variable, st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True), TEXT),
        max_size=2,
        unique_by=lambda v: v.name,
    ),
)
def test_what_hurl_carries_survives_export_and_import(items, variables):
    collection = Collection(
        "c", items=tuple(RequestItem(r) for r in items), variables=tuple(variables)
    )
    exported = hurl_export(collection)
    assert exported.losses == ()
    back = import_hurl(exported.text, name="c")
    assert back.report == ()
    for original, read in zip(collection.items, back.collection.items, strict=True):
        assert read == original
    assert back.collection == collection
