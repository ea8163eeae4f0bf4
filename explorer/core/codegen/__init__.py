"""Code generation: one module per target language, each with
`generate(request, secret_names=frozenset()) -> str` for one request and
`generate_all(requests, secret_names=frozenset()) -> str` for a whole collection: ONE
program (one script, one `main`) that sends every request in order, each under its
title. Pasting one program per request after another is not a program in most
languages (two `main`s in Go and JavaScript; Python's first `sys.exit` ends it).

The request given is resolved except for secret variables, which stay `{{name}}` and
become the target language's environment-variable lookup (see `common.env_variable`).

A target's generator module is imported when code is first generated in it: the
command line reads TARGETS (through explorer.application.formats) for every command's
choices, and `run` should not pay for six code generators.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import cast

from explorer.core.model import Request, is_websocket

Generator = Callable[[Request, frozenset[str]], str]
# (title, request) pairs, in the order they are sent.
ProgramGenerator = Callable[[Sequence[tuple[str, Request]], frozenset[str]], str]


@dataclass(frozen=True)
class Target:
    """A language the code dialog offers: how to name, save and highlight its code."""

    key: str
    display_name: str
    extension: str  # without the dot
    lexer: str  # a pygments lexer name
    comment: str = "#"  # what starts a comment line

    @property
    def generate(self) -> Generator:
        """The generator, from the module named after the key (imported on first use)."""
        module = import_module(f"{__name__}.{self.key}")
        return cast(Generator, module.generate)

    @property
    def generate_all(self) -> ProgramGenerator:
        """The generator of one program for many requests (imported on first use)."""
        module = import_module(f"{__name__}.{self.key}")
        return cast(ProgramGenerator, module.generate_all)


TARGETS: dict[str, Target] = {
    target.key: target
    for target in (
        Target("curl", "curl (bash)", "sh", "bash"),
        Target("python", "Python (requests)", "py", "python"),
        Target("httpie", "HTTPie", "sh", "bash"),
        Target("fetch", "JavaScript (fetch, Node.js)", "js", "javascript", "//"),
        Target("go", "Go (net/http)", "go", "go", "//"),
        Target("powershell", "PowerShell (Invoke-RestMethod)", "ps1", "powershell"),
    )
}


# The targets that hold a WebSocket conversation (websockets, in Python).
WEBSOCKET_TARGETS = frozenset({"python"})


def _target(key: str) -> Target:
    try:
        return TARGETS[key]
    except KeyError:
        raise ValueError(f"Unknown code target {key!r}; choose from {', '.join(TARGETS)}") from None


def generate(target: str, request: Request, secret_names: frozenset[str] = frozenset()) -> str:
    """The code for `request` in the language `target` (a key of TARGETS)."""
    from explorer.core.codegen.common import writable

    chosen = _target(target)
    if is_websocket(request) and target not in WEBSOCKET_TARGETS:
        from explorer.core.codegen.websocket import left_out_note

        return "\n".join(left_out_note(request, chosen.comment)) + "\n"
    return chosen.generate(writable(request), secret_names)


def generate_all(
    target: str,
    requests: Sequence[tuple[str, Request]],
    secret_names: frozenset[str] = frozenset(),
) -> str:
    """One program in `target` that sends `requests` ((title, request) pairs) in order;
    a WebSocket request a target cannot hold is left out, with a comment saying so."""
    from explorer.core.codegen.common import writable

    chosen = _target(target)
    notes: list[str] = []
    if target not in WEBSOCKET_TARGETS:
        from explorer.core.codegen.websocket import left_out_note

        for _title, request in requests:
            if is_websocket(request):
                notes += left_out_note(request, chosen.comment)
        requests = [(title, request) for title, request in requests if not is_websocket(request)]
        if not requests:
            return "\n".join(notes) + "\n"
    ready = [(writable(title), writable(request)) for title, request in requests]
    program = chosen.generate_all(ready, secret_names)
    return _after_first_line(program, notes) if notes else program


def _after_first_line(program: str, notes: list[str]) -> str:
    """`notes` at the top of `program`, after a `#!` line if it has one."""
    head, newline, rest = program.partition("\n")
    if head.startswith("#!"):
        return head + newline + "\n".join(notes) + "\n" + rest
    return "\n".join(notes) + "\n" + program


def env_variable(secret: str) -> str:
    """The environment variable that holds a secret: `api-token` → `API_TOKEN`."""
    from explorer.core.codegen.common import env_variable as variable

    return variable(secret)


__all__ = ["TARGETS", "Target", "env_variable", "generate", "generate_all"]
