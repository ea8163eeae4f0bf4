"""Code generation: one module per target language, each with
`generate(request, secret_names=frozenset()) -> str`.

The request given is resolved except for secret variables, which stay `{{name}}` and
become the target language's environment-variable lookup (see `common.env_variable`).

A target's generator module is imported when code is first generated in it: the
command line reads TARGETS (through explorer.application.formats) for every command's
choices, and `run` should not pay for six code generators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import cast

from explorer.core.model import Request

Generator = Callable[[Request, frozenset[str]], str]


@dataclass(frozen=True)
class Target:
    """A language the code dialog offers: how to name, save and highlight its code."""

    key: str
    display_name: str
    extension: str  # without the dot
    lexer: str  # a pygments lexer name

    @property
    def generate(self) -> Generator:
        """The generator, from the module named after the key (imported on first use)."""
        module = import_module(f"{__name__}.{self.key}")
        return cast(Generator, module.generate)


TARGETS: dict[str, Target] = {
    target.key: target
    for target in (
        Target("curl", "curl (bash)", "sh", "bash"),
        Target("python", "Python (requests)", "py", "python"),
        Target("httpie", "HTTPie", "sh", "bash"),
        Target("fetch", "JavaScript (fetch, Node.js)", "js", "javascript"),
        Target("go", "Go (net/http)", "go", "go"),
        Target("powershell", "PowerShell (Invoke-RestMethod)", "ps1", "powershell"),
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


def env_variable(secret: str) -> str:
    """The environment variable that holds a secret: `api-token` → `API_TOKEN`."""
    from explorer.core.codegen.common import env_variable as variable

    return variable(secret)


__all__ = ["TARGETS", "Target", "env_variable", "generate"]
