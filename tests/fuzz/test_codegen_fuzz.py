"""Property-based fuzzing of code generation for whole collections.

Any requests (odd text in titles, URLs, names and values: quotes of every language,
backslashes, `${…}`, `$(…)`, line breaks, lone surrogates, secrets mixed in) give every
target one program without an error; a secret placeholder is never written as text
(it becomes the language's environment lookup); the Python program always parses and
calls every request's function once, in order. The programs are run for real by
tests/core/codegen/test_codegen_round_trip.py. `make fuzz` sets FUZZ_EXAMPLES.
"""

from __future__ import annotations

import ast
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.codegen import TARGETS, generate_all
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Part, Request

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
SECRET_NAMES = frozenset({"token", "pass word"})
PIECES = ["'", '"', "`", "\\", "$HOME", "${X}", "$(id)", "\n", "\r\n", "\u2028", "'''",
          '"""', "*/", "{{token}}", "{{pass word}}", "{{other}}", "%", "&", "=", "?", "#",
          "\ud800", "ü✓🚀", "\x00", "\t", "--", "@", ";", ":"]  # fmt: skip

text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=5).map("".join)
pairs = st.lists(st.builds(Pair, text, text), max_size=3).map(tuple)
bodies = st.one_of(
    st.just(Body()),
    st.builds(Body, st.just(BodyKind.RAW), text=text, content_type=text),
    st.builds(Body, st.just(BodyKind.FORM), form=pairs),
    st.builds(
        Body,
        st.just(BodyKind.MULTIPART),
        parts=st.lists(
            st.one_of(st.builds(Part, text, text), st.builds(Part, text, file=text)), max_size=3
        ).map(tuple),
    ),
    st.builds(Body, st.just(BodyKind.BINARY), file=text, content_type=text),
)
auths = st.one_of(
    st.just(Auth()),
    st.builds(Auth, st.just(AuthKind.BASIC), username=text, password=text),
    st.builds(Auth, st.just(AuthKind.BEARER), token=text),
    st.builds(
        Auth,
        st.just(AuthKind.API_KEY),
        key_name=text,
        key_value=text,
        key_in=st.sampled_from(["header", "query"]),
    ),
)
requests = st.builds(
    Request,
    method=st.sampled_from(["GET", "POST", "PURGE", "PROPFIND", "get"]),
    url=text.map(lambda path: "http://127.0.0.1:9/" + path),
    params=pairs,
    headers=pairs,
    body=bodies,
    auth=auths,
)
collections = st.lists(st.tuples(text, requests), min_size=1, max_size=4)


@settings(
    max_examples=EXAMPLES or 25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(collections)
def test_every_target_writes_one_program_without_a_secret_in_it(titled):
    for target in TARGETS:
        code = generate_all(target, titled, SECRET_NAMES)
        code.encode("utf-8")  # it can be written to a file
        if target != "python":  # (its docstrings are checked below)
            # Split where the languages end a line (not at \x85 or \x1c, as splitlines).
            for line in re.split("\r\n|\r|\n|\u2028|\u2029", code):
                if "{{token}}" in line or "{{pass word}}" in line:
                    # A placeholder is only ever shown in a comment, never sent as text.
                    assert line.lstrip().startswith(("#", "//")), (target, line)
    tree = ast.parse(generate_all("python", titled, SECRET_NAMES))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                assert "{{token}}" not in node.value and "{{pass word}}" not in node.value
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    called = [
        statement.value.func.id
        for statement in main.body
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
    ]
    expected = ["send"] if len(titled) == 1 else [f"send_{i}" for i in range(1, len(titled) + 1)]
    assert called == expected
