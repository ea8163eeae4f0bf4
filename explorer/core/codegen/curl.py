"""A curl command for bash (and zsh), secrets read from environment variables."""

from __future__ import annotations

import shlex

from explorer.core.codegen.common import has_secret, render
from explorer.core.formats.curl_export import to_curl
from explorer.core.model import Request


def shell_word(text: str, secret_names: frozenset[str]) -> str:
    """One shell word: literals single-quoted, secrets as `"${NAME:?…}"` expansions."""
    return (
        render(
            text,
            secret_names,
            literal=lambda part: shlex.quote(part) if part else "",
            # `:?` stops the command with a message instead of sending an empty secret.
            lookup=lambda name: f'"${{{name}:?set {name}}}"',
            joiner="",
        )
        or "''"
    )


def generate(request: Request, secret_names: frozenset[str] = frozenset()) -> str:
    """The request as a curl command line for bash."""
    command = to_curl(
        request,
        quote=lambda text: shell_word(text, secret_names),
        encode_later=lambda pair: has_secret(pair.name + pair.value, secret_names),
    )
    return command + "\n"
