"""The variable scopes of a request in a workspace.

Lowest first: the global variables, the collection's own, the chosen environment of
that collection, the values captured from responses (and set by scripts) so far, and
(for the command line) the values given on the command line. The highest scope that
defines a name wins (see `explorer.core.resolve.variables`). The window and `run` both
build their scopes here, so a request resolves the same way in both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from explorer.application.checking import CAPTURED_SCOPE
from explorer.core.collection import Collection, Environment, Variable
from explorer.core.resolve.variables import Scope

GLOBAL_SCOPE = "global"
COLLECTION_SCOPE = "collection"
COMMAND_LINE_SCOPE = "command line"
# Bounds on what a session keeps captured: a runaway chain of sends (or a script setting
# variables in a loop) cannot grow the scope every later send resolves with.
MAX_CAPTURED = 1000
MAX_CAPTURED_VALUE = 1024 * 1024


def find_environment(collection: Collection, name: str) -> Environment | None:
    """The environment of `collection` called `name`, or None when it has none."""
    return next((e for e in collection.environments if e.name == name), None)


def request_scopes(
    global_variables: Iterable[Variable],
    collection: Collection | None,
    environment: Environment | None = None,
    overrides: Scope | None = None,
    *,
    home: str | None = None,
) -> list[Scope]:
    """The scopes a request of `collection` (None: in no collection) is resolved with,
    lowest first. Secret values must already be filled in from the secret store.

    `home` (the window's use) is the name of the collection `environment` lives in,
    which may be another than the request's (see `explorer.qt.workspace.Workspace.
    scopes`): the scopes are then named for people ("collection Shop", "environment dev
    (Shop)"), and the environment applies to a request in no collection too."""
    labelled = home is not None
    scopes = [Scope.from_variables(GLOBAL_SCOPE, global_variables)]
    if collection is not None:
        label = f"{COLLECTION_SCOPE} {collection.name}" if labelled else COLLECTION_SCOPE
        scopes.append(Scope.from_variables(label, collection.variables))
    if environment is not None and (collection is not None or labelled):
        name = f"environment {environment.name}" + (f" ({home})" if home else "")
        scopes.append(Scope.from_variables(name, environment.variables))
    if overrides is not None:
        scopes.append(overrides)
    return scopes


def command_line_scope(variables: Mapping[str, str], secrets: Mapping[str, str]) -> Scope:
    """The highest scope: `--var` values, and `--secret` values marked secret (a name
    given both ways is a secret)."""
    return Scope(COMMAND_LINE_SCOPE, values={**variables, **secrets}, secret=frozenset(secrets))


def captured_scope(
    previous: Scope | None,
    values: Mapping[str, str],
    secret: Iterable[str] = (),
    unset: Iterable[str] = (),
) -> Scope:
    """The captured variables after one response: `previous` (None: none yet) with
    `values` set (the names in `secret` masked and redacted like secret variables) and
    the names in `unset` removed. A name set again keeps the newest value and secrecy; a
    value over `MAX_CAPTURED_VALUE` is not taken, and past `MAX_CAPTURED` names the
    oldest go first."""
    kept = dict(previous.values) if previous is not None else {}
    secret_names = set(previous.secret) if previous is not None else set()
    secret = set(secret)
    for name in unset:
        kept.pop(name, None)
        secret_names.discard(name)
    for name, value in values.items():
        if len(value) > MAX_CAPTURED_VALUE:
            continue
        kept.pop(name, None)  # to the end: the newest is the last to go
        kept[name] = value
        if name in secret:
            secret_names.add(name)
        else:
            secret_names.discard(name)
    while len(kept) > MAX_CAPTURED:
        oldest = next(iter(kept))
        del kept[oldest]
        secret_names.discard(oldest)
    return Scope(CAPTURED_SCOPE, kept, frozenset(secret_names & set(kept)))


def with_captured(scopes: Sequence[Scope], captured: Scope | None) -> list[Scope]:
    """`scopes` (lowest first) with the captured scope above every saved one: below the
    command line's values, which stay the highest."""
    found = [scope for scope in scopes if scope.name != CAPTURED_SCOPE]
    if captured is None or not captured.values:
        return found
    position = next(
        (i for i, scope in enumerate(found) if scope.name == COMMAND_LINE_SCOPE), len(found)
    )
    return [*found[:position], captured, *found[position:]]
