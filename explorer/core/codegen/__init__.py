"""Code generation: one module per target language, each with
`generate(request, secret_names=frozenset()) -> str`.

The request given is resolved except for secret variables, which stay `{{name}}` and
become the target language's environment-variable lookup (see `common.env_variable`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from explorer.core.codegen import curl, fetch, go, httpie, powershell, python
from explorer.core.codegen.common import env_variable
from explorer.core.model import Request

Generator = Callable[[Request, frozenset[str]], str]


@dataclass(frozen=True)
class Target:
    """A language the code dialog offers: how to name, save and highlight its code."""

    key: str
    display_name: str
    extension: str  # without the dot
    lexer: str  # a pygments lexer name
    generate: Generator


TARGETS: dict[str, Target] = {
    target.key: target
    for target in (
        Target("curl", "curl (bash)", "sh", "bash", curl.generate),
        Target("python", "Python (requests)", "py", "python", python.generate),
        Target("httpie", "HTTPie", "sh", "bash", httpie.generate),
        Target("fetch", "JavaScript (fetch, Node.js)", "js", "javascript", fetch.generate),
        Target("go", "Go (net/http)", "go", "go", go.generate),
        Target(
            "powershell", "PowerShell (Invoke-RestMethod)", "ps1", "powershell", powershell.generate
        ),
    )
}


def generate(target: str, request: Request, secret_names: frozenset[str] = frozenset()) -> str:
    """The code for `request` in the language `target` (a key of TARGETS)."""
    try:
        chosen = TARGETS[target]
    except KeyError:
        raise ValueError(
            f"Unknown code target {target!r}; choose from {', '.join(TARGETS)}"
        ) from None
    return chosen.generate(request, secret_names)


__all__ = ["TARGETS", "Target", "env_variable", "generate"]
