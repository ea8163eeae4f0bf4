"""Code generation: a request as code in one of the targets, resolved the same way for
the window's Generate code dialog and for `export --to <language>`.

Variables are resolved from the scopes given, except secrets: they stay `{{name}}` and
every target reads them from an environment variable, so a secret value is never written
into generated code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.core.codegen import generate, generate_all
from explorer.core.collection import walk_requests
from explorer.core.resolve.inheritance import effective_request
from explorer.core.resolve.variables import resolve_except_secrets, unresolved

if TYPE_CHECKING:
    from explorer.core.collection import Collection
    from explorer.core.model import Request
    from explorer.core.resolve.variables import Scope


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # names an environment variable can have


@dataclass(frozen=True)
class CodeRequest:
    """A request ready for code generation: variables resolved, secrets left as names."""

    request: Request
    secret_names: frozenset[str]


def for_code(request: Request, scopes: Sequence[Scope]) -> CodeRequest:
    """`request` (already with its inherited settings) resolved for code generation."""
    resolved, secrets = resolve_except_secrets(request, list(scopes))
    # A variable with no value in any scope (`{{WEBHOOK_ID}}`, from `$WEBHOOK_ID` in a
    # pasted curl line) is read from the environment as a secret is: left as `{{name}}`
    # it would be sent literally, and curl refuses the braces in a URL.
    missing = {name for name in unresolved(resolved, []) if _ENV_NAME.fullmatch(name)}
    return CodeRequest(resolved, frozenset(secrets) | frozenset(missing))


def request_code(target: str, request: Request, scopes: Sequence[Scope]) -> str:
    """The code for one request in `target` (a key of CODE_TARGETS)."""
    ready = for_code(request, scopes)
    return generate(target, ready.request, ready.secret_names)


def collection_code(target: str, collection: Collection, scopes: Sequence[Scope]) -> str:
    """ONE program in `target` that sends every request of `collection` in order (a
    function or block per request, titled with its folder path and name): a script that
    runs, not one script per request pasted after another."""
    titled = []
    secret_names: set[str] = set()
    for folder, item in walk_requests(collection):
        ready = for_code(effective_request(collection, folder, item), scopes)
        titled.append(("/".join((*folder, item.name)), ready.request))
        secret_names |= ready.secret_names
    return generate_all(target, titled, frozenset(secret_names))
