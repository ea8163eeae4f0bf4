"""`{{name}}` variables: finding them, resolving them across scopes, dynamic values.

Scopes are given lowest to highest (global, collection, environment, request); the
highest scope that defines a name wins. A value may itself contain `{{other}}`: it is
resolved in turn (against all scopes), with a guard against cycles and runaway depth;
a cyclic or undefined reference is left in the text as written. Names starting with `$`
are dynamic values, generated fresh at every occurrence.

Spans are Python string indices (code points); Qt editors count UTF-16 units, which
differ only for characters outside the Basic Multilingual Plane.
"""

from __future__ import annotations

import random
import re
import string
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from explorer.core.collection import Variable
from explorer.core.model import Request

_PATTERN = re.compile(r"\{\{\s*(\$?[A-Za-z_][\w.\-]*)\s*\}\}")
MAX_DEPTH = 16
_UNRESOLVED_FIELDS = frozenset({"name", "description", "method", "key_in", "kind"})


@dataclass(frozen=True)
class VariableSpan:
    """Where a `{{name}}` reference is in a text: `text[start:end]` is the whole braces."""

    start: int
    end: int
    name: str

    @property
    def is_dynamic(self) -> bool:
        return self.name.startswith("$")


@dataclass(frozen=True)
class Scope:
    """One level of variables, e.g. the active environment. `secret` lists the names
    whose values must be masked in the UI and redacted from history."""

    name: str
    values: Mapping[str, str] = field(default_factory=dict)
    secret: frozenset[str] = frozenset()

    @classmethod
    def from_variables(cls, name: str, variables: Iterable[Variable]) -> Scope:
        """A scope of the enabled variables (a later duplicate name wins)."""
        enabled = [v for v in variables if v.enabled]
        return cls(
            name=name,
            values={v.name: v.value for v in enabled},
            secret=frozenset(v.name for v in enabled if v.secret),
        )


DYNAMIC_VALUES: dict[str, Callable[[], str]] = {
    "$uuid": lambda: str(uuid.uuid4()),
    "$guid": lambda: str(uuid.uuid4()),
    "$randomUUID": lambda: str(uuid.uuid4()),
    "$timestamp": lambda: str(int(time.time())),
    "$timestampMs": lambda: str(int(time.time() * 1000)),
    "$isoTimestamp": lambda: (
        datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    ),
    "$randomInt": lambda: str(random.randint(0, 1000)),
    "$randomBoolean": lambda: random.choice(("true", "false")),
    "$randomAlphaNumeric": lambda: random.choice(string.ascii_letters + string.digits),
}


def find_variables(text: str) -> list[VariableSpan]:
    """Every `{{name}}` in `text`, in order, for highlighting."""
    return [VariableSpan(m.start(), m.end(), m.group(1)) for m in _PATTERN.finditer(text)]


def _raw(name: str, scopes: list[Scope]) -> tuple[str, str] | None:
    for scope in reversed(scopes):
        if name in scope.values:
            return scope.values[name], scope.name
    return None


def _resolve(text: str, scopes: list[Scope], stack: tuple[str, ...], missing: list[str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in DYNAMIC_VALUES and _raw(name, scopes) is None:
            return DYNAMIC_VALUES[name]()
        found = _raw(name, scopes)
        if found is None or name in stack or len(stack) >= MAX_DEPTH:
            missing.append(name)
            return match.group(0)
        return _resolve(found[0], scopes, (*stack, name), missing)

    return _PATTERN.sub(substitute, text)


def resolve_text(text: str, scopes: Iterable[Scope]) -> str:
    """`text` with every resolvable `{{name}}` replaced by its value."""
    return _resolve(text, list(scopes), (), [])


def lookup(name: str, scopes: Iterable[Scope]) -> tuple[str, str] | None:
    """(fully resolved value, name of the scope that defines it), or None; for tooltips.
    Dynamic names give a sample value and the scope name "dynamic"."""
    scopes = list(scopes)
    found = _raw(name, scopes)
    if found is None:
        if name in DYNAMIC_VALUES:
            return DYNAMIC_VALUES[name](), "dynamic"
        return None
    return _resolve(found[0], scopes, (name,), []), found[1]


def is_secret(name: str, scopes: Iterable[Scope]) -> bool:
    """Whether the scope that defines `name` marks it secret (mask it in the UI)."""
    for scope in reversed(list(scopes)):
        if name in scope.values:
            return name in scope.secret
    return False


def secret_values(scopes: Iterable[Scope]) -> set[str]:
    """The resolved values of every secret variable: what history must redact."""
    scopes = list(scopes)
    values = set()
    for scope in scopes:
        for name in scope.secret:
            found = lookup(name, scopes)
            if found is not None and found[0]:
                values.add(found[0])
    return values


def _map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with `change` applied to every string inside dataclasses and tuples,
    except identifying fields (name, method, kinds) that are never templates."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_map_strings(item, change) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        updates = {
            f.name: _map_strings(getattr(value, f.name), change)
            for f in fields(value)
            if f.name not in _UNRESOLVED_FIELDS or _is_pair_name(value, f.name)
        }
        return replace(value, **updates)
    return value


def _is_pair_name(value: Any, field_name: str) -> bool:
    # Names of params, headers, form fields and parts may hold variables; the names of
    # requests and variables may not.
    return field_name == "name" and not isinstance(value, Request) and hasattr(value, "enabled")


def resolve_request(request: Request, scopes: Iterable[Scope]) -> Request:
    """A copy of `request` with variables resolved in every string that goes on the wire:
    URL, params, path params, headers, body text/form/parts/file, auth and options."""
    scopes = list(scopes)
    return _map_strings(request, lambda text: _resolve(text, scopes, (), []))


def unresolved(request: Request, scopes: Iterable[Scope]) -> list[str]:
    """Names referenced by `request` (directly or through other variables) that have no
    value or form a cycle, each once, in order of appearance."""
    scopes = list(scopes)
    missing: list[str] = []
    _map_strings(request, lambda text: _resolve(text, scopes, (), missing))
    return list(dict.fromkeys(missing))


def unresolved_in_text(text: str, scopes: Iterable[Scope]) -> list[str]:
    """Like `unresolved`, for one text (e.g. the field being edited)."""
    missing: list[str] = []
    _resolve(text, list(scopes), (), missing)
    return list(dict.fromkeys(missing))


def resolve_except_secrets(
    request: Request, scopes: Iterable[Scope]
) -> tuple[Request, frozenset[str]]:
    """`request` with every non-secret variable resolved, and the names of the secret
    ones, which stay `{{name}}` so generated code can read them from the environment."""
    scopes = list(scopes)
    secrets = frozenset(name for scope in scopes for name in scope.secret)
    public = [
        Scope(scope.name, {k: v for k, v in scope.values.items() if k not in secrets})
        for scope in scopes
    ]
    return resolve_request(request, public), secrets
