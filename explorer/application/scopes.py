"""The variable scopes of a request in a workspace.

Lowest first: the global variables, the collection's own, the chosen environment of
that collection, and (for the command line) the values given on the command line. The
highest scope that defines a name wins (see `explorer.core.resolve.variables`). The
window and `run` both build their scopes here, so a request resolves the same way in
both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from explorer.core.collection import Collection, Environment, Variable
from explorer.core.resolve.variables import Scope

GLOBAL_SCOPE = "global"
COLLECTION_SCOPE = "collection"
COMMAND_LINE_SCOPE = "command line"


def find_environment(collection: Collection, name: str) -> Environment | None:
    """The environment of `collection` called `name`, or None when it has none."""
    return next((e for e in collection.environments if e.name == name), None)


def request_scopes(
    global_variables: Iterable[Variable],
    collection: Collection | None,
    environment: Environment | None = None,
    overrides: Scope | None = None,
) -> list[Scope]:
    """The scopes a request of `collection` (None: in no collection) is resolved with,
    lowest first. Secret values must already be filled in from the secret store."""
    scopes = [Scope.from_variables(GLOBAL_SCOPE, global_variables)]
    if collection is not None:
        scopes.append(Scope.from_variables(COLLECTION_SCOPE, collection.variables))
        if environment is not None:
            name = f"environment {environment.name}"
            scopes.append(Scope.from_variables(name, environment.variables))
    if overrides is not None:
        scopes.append(overrides)
    return scopes


def command_line_scope(variables: Mapping[str, str], secrets: Mapping[str, str]) -> Scope:
    """The highest scope: `--var` values, and `--secret` values marked secret (a name
    given both ways is a secret)."""
    return Scope(COMMAND_LINE_SCOPE, values={**variables, **secrets}, secret=frozenset(secrets))
