"""`{{name}}` variables: finding them, resolving them across scopes, dynamic values.

Scopes are given lowest to highest (global, collection, environment, request); the
highest scope that defines a name wins. A value may itself contain `{{other}}`: it is
resolved in turn (against all scopes). Expansion is bounded (`MAX_DEPTH` levels,
`MAX_VALUE_SIZE` per value, `MAX_TOTAL_SIZE` per resolution): an undefined, cyclic, too
deep or too large reference is left in the text as written and reported as a
`VariableProblem` naming the variable at fault. Names starting with `$`
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


@dataclass(frozen=True)
class VariableProblem:
    """Why a `{{name}}` was left as written: `reason` is one of the REASON_* values and
    `name` the variable at fault; `path` shows how it was reached (for cycles)."""

    name: str
    reason: str
    path: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """One line for a person, naming the variable."""
        if self.reason == REASON_CYCLE:
            chain = " → ".join((*self.path, self.name))
            return f"{{{{{self.name}}}}} refers to itself: {chain}"
        if self.reason == REASON_TOO_DEEP:
            return f"{{{{{self.name}}}}} is nested more than {MAX_DEPTH} levels deep"
        if self.reason == REASON_TOO_LARGE:
            return f"{{{{{self.name}}}}} expands to more than {_human(MAX_VALUE_SIZE)}"
        if self.reason == REASON_TOO_COMPLEX:
            return f"{{{{{self.name}}}}} refers to other variables too many times to expand"
        return f"{{{{{self.name}}}}} is not defined"


REASON_UNDEFINED = "undefined"
REASON_CYCLE = "cycle"
REASON_TOO_DEEP = "too deep"
REASON_TOO_LARGE = "too large"
REASON_TOO_COMPLEX = "too complex"
# Expansion is bounded so that no set of variables can hang or exhaust the app: values
# referring to each other many times grow exponentially (16 variables each naming the
# next 8 times would be 8**16 copies).
MAX_VALUE_SIZE = 1024 * 1024  # characters in one variable's expanded value
MAX_TOTAL_SIZE = 16 * 1024 * 1024  # characters produced by one resolution (one request)
# Work of one resolution: characters of variable values scanned, plus REFERENCE_COST per
# reference met (each costs about a microsecond and a half in Python). About 0.3 s at
# worst, for values full of references to undefined names.
MAX_WORK = 8 * 1024 * 1024
REFERENCE_COST = 64


def _human(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB" if size >= 1024 * 1024 else f"{size // 1024} KiB"


class Resolver:
    """Resolves texts against `scopes` with bounded work, remembering problems.

    Each variable is expanded at most once per resolver (later references reuse the
    value), so the work is linear in the size of the variables, not exponential in
    their nesting. A value over `max_size`, a nesting over `max_depth`, more than
    `max_total` characters produced in all, or more than `max_work` spent (see
    `MAX_WORK`) leaves the reference as written and records a problem naming the
    variable. A variable whose value contains a dynamic value
    (`{{$uuid}}`) therefore has one value per resolution, e.g. one per send.
    """

    def __init__(
        self,
        scopes: Iterable[Scope],
        max_size: int = MAX_VALUE_SIZE,
        max_total: int = MAX_TOTAL_SIZE,
        max_depth: int = MAX_DEPTH,
        max_work: int = MAX_WORK,
    ) -> None:
        self.scopes = list(scopes)
        self.max_size, self.max_total, self.max_depth = max_size, max_total, max_depth
        self.max_work = max_work
        self._work = 0
        self._memo: dict[str, str | None] = {}
        self._problems: dict[tuple[str, str], VariableProblem] = {}
        # Problems met below each variable, so a memoized one still reports them.
        self._issues: dict[str, tuple[VariableProblem, ...]] = {}
        self._collecting: list[list[VariableProblem]] = []
        self._produced = 0

    @property
    def problems(self) -> list[VariableProblem]:
        """Every problem met so far, each once, in the order met."""
        return list(self._problems.values())

    def text(self, text: str) -> str:
        """`text` with every resolvable `{{name}}` replaced by its value. A reference
        whose value would take the text past the total budget stays as written."""
        if "{{" not in text:
            return text
        pieces: list[str] = []
        last = 0
        for match in _PATTERN.finditer(text):
            name = match.group(1)
            self._work += REFERENCE_COST
            value = self._reference(name, ())
            if value is not None and len(value) > self.max_total - self._produced:
                self._problem(name, REASON_TOO_LARGE)
                value = None
            if value is not None:
                self._produced += len(value)
            pieces += (text[last : match.start()], match.group(0) if value is None else value)
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces)

    def value(self, name: str) -> str | None:
        """The fully expanded value of variable `name`, or None (see `problems`)."""
        return self._value(name, ())

    def problems_of(self, name: str) -> tuple[VariableProblem, ...]:
        """The problems met while expanding `name` (after `value(name)`), its own
        and those of the variables it refers to."""
        return self._issues.get(name, ())

    def _problem(self, name: str, reason: str, path: tuple[str, ...] = ()) -> None:
        problem = self._problems.setdefault((name, reason), VariableProblem(name, reason, path))
        self._collect((problem,))

    def _collect(self, problems: Iterable[VariableProblem]) -> None:
        if self._collecting:
            self._collecting[-1].extend(problems)

    def _expand(self, text: str, stack: tuple[str, ...], limit: int) -> str | None:
        """`text` expanded, or None when the result would exceed `limit` characters."""
        pieces: list[str] = []
        size, last = 0, 0
        self._work += len(text)
        for match in _PATTERN.finditer(text):
            name = match.group(1)
            self._work += REFERENCE_COST
            if self._work > self.max_work:
                return None
            value = self._reference(name, stack)
            piece = match.group(0) if value is None else value
            pieces.append(text[last : match.start()])
            pieces.append(piece)
            size += match.start() - last + len(piece)
            last = match.end()
            if size > limit:
                return None
        pieces.append(text[last:])
        size += len(text) - last
        if size > limit:
            return None
        return "".join(pieces)

    def _reference(self, name: str, stack: tuple[str, ...]) -> str | None:
        if name in DYNAMIC_VALUES and _raw(name, self.scopes) is None:
            return DYNAMIC_VALUES[name]()
        return self._value(name, stack)

    def _value(self, name: str, stack: tuple[str, ...]) -> str | None:
        if name in self._memo:
            self._collect(self._issues.get(name, ()))
            return self._memo[name]
        found = _raw(name, self.scopes)
        if found is None:
            self._problem(name, REASON_UNDEFINED)
            return None
        if name in stack:
            self._problem(name, REASON_CYCLE, stack[stack.index(name) :])
            return None
        if len(stack) >= self.max_depth:
            self._problem(name, REASON_TOO_DEEP, stack)
            return None
        if self._work > self.max_work:
            self._problem(name, REASON_TOO_COMPLEX)
            return None
        self._collecting.append([])
        try:
            result = self._compute(name, found[0], stack)
        finally:
            issues = tuple(dict.fromkeys(self._collecting.pop()))
        self._issues[name] = issues
        self._memo[name] = result
        self._collect(issues)
        return result

    def _compute(self, name: str, raw: str, stack: tuple[str, ...]) -> str | None:
        limit = min(self.max_size, self.max_total - self._produced)
        if len(raw) > limit:
            result = None
        elif "{{" not in raw:
            result = raw
        else:
            result = self._expand(raw, (*stack, name), limit)
        if result is None:
            too_much = self._work > self.max_work
            self._problem(name, REASON_TOO_COMPLEX if too_much else REASON_TOO_LARGE)
        else:
            self._produced += len(result)
        return result


def resolve_text(text: str, scopes: Iterable[Scope]) -> str:
    """`text` with every resolvable `{{name}}` replaced by its value."""
    return Resolver(scopes).text(text)


def lookup(name: str, scopes: Iterable[Scope]) -> tuple[str, str] | None:
    """(fully resolved value, name of the scope that defines it), or None; for tooltips.
    Dynamic names give a sample value and the scope name "dynamic". A value that cannot
    be expanded (cycle, too deep, too large) keeps the references it could not expand;
    `Resolver` says why."""
    scopes = list(scopes)
    found = _raw(name, scopes)
    if found is None:
        if name in DYNAMIC_VALUES:
            return DYNAMIC_VALUES[name](), "dynamic"
        return None
    resolver = Resolver(scopes)
    value = resolver.value(name)
    return (found[0] if value is None else value), found[1]


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
        items = tuple(_map_strings(item, change) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    names = _template_fields(type(value))
    if names is None or not _holds_template(value):
        return value
    updates = {}
    for name in names:
        old = getattr(value, name)
        new = _map_strings(old, change)
        if new is not old:
            updates[name] = new
    # Unchanged parts are kept as they are (a run prepares every request: rebuilding
    # each frozen dataclass of a request without variables cost half the time).
    return replace(value, **updates) if updates else value


_TEMPLATE_FIELDS: dict[type, tuple[str, ...] | None] = {}
# Whether each dataclass part met lately holds a `{{` in a field `_map_strings` visits, by
# its id (the part is kept with the answer: the id stays its own). The parts of a
# request are the same objects from one send of it to the next (a load test sends one
# thousands of times); walking its some 50 parts was most of resolving it.
_HOLDS: dict[int, tuple[object, bool]] = {}
MAX_HOLDS = 4096


def _holds_template(value: Any) -> bool:
    """Whether a string `_map_strings` would visit in `value` contains `{{`."""
    if isinstance(value, Enum):  # first, as in `_map_strings`: some are strings
        return False
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, tuple):
        return any(_holds_template(item) for item in value)
    names = _template_fields(type(value))
    if names is None:
        return False
    found = _HOLDS.get(id(value))
    if found is not None and found[0] is value:
        return found[1]
    holds = any(_holds_template(getattr(value, name)) for name in names)
    if len(_HOLDS) >= MAX_HOLDS:
        _HOLDS.clear()
    _HOLDS[id(value)] = (value, holds)
    return holds


def _template_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of dataclass `kind` that `_map_strings` visits; None when `kind` is
    not a dataclass. Worked out once per type (a request has some 50 parts)."""
    try:
        return _TEMPLATE_FIELDS[kind]
    except KeyError:
        pass
    names = None
    if is_dataclass(kind):
        names = tuple(
            f.name
            for f in fields(kind)
            if f.name not in _UNRESOLVED_FIELDS or _is_pair_name(kind, f.name)
        )
    _TEMPLATE_FIELDS[kind] = names
    return names


def _is_pair_name(kind: type, field_name: str) -> bool:
    # Names of params, headers, form fields and parts may hold variables; the names of
    # requests and variables may not.
    return (
        field_name == "name"
        and not issubclass(kind, Request)
        and ("enabled" in getattr(kind, "__dataclass_fields__", {}) or hasattr(kind, "enabled"))
    )


def resolve_request(request: Request, scopes: Iterable[Scope]) -> Request:
    """A copy of `request` with variables resolved in every string that goes on the wire:
    URL, params, path params, headers, body text/form/parts/file, auth and options."""
    return resolve_request_checked(request, scopes)[0]


def resolve_request_checked(
    request: Request, scopes: Iterable[Scope]
) -> tuple[Request, list[VariableProblem]]:
    """`resolve_request`, and the problems met (undefined names, cycles, too deep, too
    large), each naming the variable at fault, in order of appearance."""
    resolver = Resolver(scopes)
    return _map_strings(request, resolver.text), resolver.problems


def unresolved(request: Request, scopes: Iterable[Scope]) -> list[str]:
    """Names referenced by `request` (directly or through other variables) that have no
    value, form a cycle, or are nested too deep or expand too large, each once, in order
    of appearance."""
    problems = resolve_request_checked(request, scopes)[1]
    return list(dict.fromkeys(p.name for p in problems))


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
