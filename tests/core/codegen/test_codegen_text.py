"""Every target: registry entries, quoting of odd text, secrets never inlined."""

from __future__ import annotations

import ast
import json

import pytest
from pygments.lexers import get_lexer_by_name

from explorer.core.codegen import TARGETS, env_variable, generate
from explorer.core.codegen.go import go_string
from explorer.core.codegen.powershell import ps_string
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Options, Pair, Part, Request

ODD = 'it\'s "q" $HOME `id` \\ back\nnew line ü 🚀 \u2028 ‘curly’'
SECRET_NAMES = frozenset({"api-token"})
REQUEST = Request(
    method="POST",
    url="https://x.io/a/:id",
    path_params=(Pair("id", "7"),),
    params=(Pair("q", ODD), Pair("k", "{{api-token}}")),
    headers=(Pair("X-Odd", ODD), Pair("X-Token", "pre {{api-token}}")),
    body=Body(BodyKind.RAW, text=ODD, content_type="text/plain"),
    auth=Auth(AuthKind.BASIC, username="u", password="{{api-token}}"),
    options=Options(timeout=2.5, verify_tls=False),
)
BODIES = [
    Body(),
    Body(BodyKind.RAW, text=ODD, content_type="text/plain"),
    Body(BodyKind.FORM, form=(Pair("a", ODD), Pair("t", "{{api-token}}"))),
    Body(BodyKind.MULTIPART, parts=(Part("a", ODD), Part("f", file="/tmp/x y.png"))),
    Body(BodyKind.BINARY, file="/tmp/x.bin", content_type="application/octet-stream"),
]


@pytest.mark.parametrize("key", TARGETS)
def test_registry_entries_are_usable(key: str) -> None:
    target = TARGETS[key]
    assert target.key == key and target.display_name and target.extension
    assert get_lexer_by_name(target.lexer) is not None


@pytest.mark.parametrize("key", TARGETS)
@pytest.mark.parametrize("body", BODIES, ids=[b.kind.value for b in BODIES])
def test_every_target_reads_secrets_from_the_environment(key: str, body: Body) -> None:
    secret_value = "s3cret-value"
    code = generate(key, REQUEST.with_changes(body=body), SECRET_NAMES)
    assert "{{api-token}}" not in code
    assert env_variable("api-token") == "API_TOKEN"
    assert "API_TOKEN" in code
    assert secret_value not in code


def test_python_script_is_valid_python_with_odd_text() -> None:
    code = generate("python", REQUEST, SECRET_NAMES)
    tree = ast.parse(code)
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    assert ODD in strings
    assert 'os.environ["API_TOKEN"]' in code or "os.environ['API_TOKEN']" in code


def test_unknown_target_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Unknown code target"):
        generate("cobol", REQUEST)


@pytest.mark.parametrize("text", [ODD, "", "plain", "tab\there\x00nul\x7f", "\ud800 lone"])
def test_go_string_is_a_valid_literal(text: str) -> None:
    literal = go_string(text)
    # Go and JSON share these escapes; \x.. is Go-only, so compare after mapping it.
    decoded = json.loads(literal.replace("\\x", "\\u00"))
    assert decoded == text.replace("\ud800", "\ufffd")


@pytest.mark.parametrize("text", [ODD, "", "'", "‘’‚‛"])
def test_powershell_string_doubles_every_single_quote(text: str) -> None:
    literal = ps_string(text)
    inner = literal[1:-1]
    for quote in "'\u2018\u2019\u201a\u201b":
        inner = inner.replace(quote * 2, "\0")
        assert quote not in inner
    assert literal.startswith("'") and literal.endswith("'")
