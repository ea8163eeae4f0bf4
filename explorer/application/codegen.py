"""Code generation: a request as code in one of the targets, resolved the same way for
the window's Generate code dialog and for `export --to <language>`.

Variables are resolved from the scopes given, except secrets: they stay `{{name}}` and
every target reads them from an environment variable, so a secret value is never written
into generated code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.core.codegen import generate
from explorer.core.collection import walk_requests
from explorer.core.resolve.inheritance import effective_request
from explorer.core.resolve.variables import resolve_except_secrets

if TYPE_CHECKING:
    from explorer.core.collection import Collection
    from explorer.core.model import Request
    from explorer.core.resolve.variables import Scope


_COMMENT = {"go": "//", "fetch": "//"}  # the others are shell, Python or PowerShell: "#"


@dataclass(frozen=True)
class CodeRequest:
    """A request ready for code generation: variables resolved, secrets left as names."""

    request: Request
    secret_names: frozenset[str]


def for_code(request: Request, scopes: Sequence[Scope]) -> CodeRequest:
    """`request` (already with its inherited settings) resolved for code generation."""
    resolved, secrets = resolve_except_secrets(request, list(scopes))
    return CodeRequest(resolved, frozenset(secrets))


def request_code(target: str, request: Request, scopes: Sequence[Scope]) -> str:
    """The code for one request in `target` (a key of CODE_TARGETS)."""
    ready = for_code(request, scopes)
    return generate(target, ready.request, ready.secret_names)


def collection_code(target: str, collection: Collection, scopes: Sequence[Scope]) -> str:
    """The code for every request of `collection`, in order, each under a comment line
    (in the target's syntax) with its folder path and name."""
    marker = _COMMENT.get(target, "#")
    blocks = []
    for folder, item in walk_requests(collection):
        request = effective_request(collection, folder, item)
        title = "/".join((*folder, item.name))
        blocks.append(f"{marker} {title}\n{request_code(target, request, scopes)}")
    return "\n\n".join(blocks) + "\n"
