"""How an operator compares a subject's value with the expected one.

The expected value is written as text and read as JSON when it parses (`200`, `true`,
`"quoted"`, `[1, 2]`), else kept as text. Response values are often text where the
writer thinks of numbers (a header `X-Count: 5`, a variable), so a text compared with a
number compares as a number when it reads as one, and as the written text otherwise.
A boolean never equals a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from explorer.core.checks.values import (
    MISSING,
    CheckProblem,
    Value,
    as_text,
    type_name,
    user_regex,
)
from explorer.core.model import Operator

MAX_EXPECTED_JSON = 1024 * 1024  # an expected value longer than this stays text


@dataclass(frozen=True)
class Expected:
    """An expected value: `value` as JSON when the text parses, else the text; `text`
    as written (variables resolved)."""

    value: Value
    text: str

    @property
    def as_str(self) -> str:
        """The expected text for text operators: a quoted JSON string unquoted."""
        return self.value if isinstance(self.value, str) else self.text


def read_expected(text: str) -> Expected:
    """`text` (variables already resolved) read as JSON when it parses, else as text."""
    stripped = text.strip()
    if stripped and len(stripped) <= MAX_EXPECTED_JSON and _may_be_json(stripped):
        try:
            return Expected(orjson.loads(stripped), text)
        except orjson.JSONDecodeError:
            pass
    return Expected(text, text)


def _may_be_json(text: str) -> bool:
    return text[0] in '{["-0123456789' or text in ("true", "false", "null")


def compare(operator: Operator, actual: Value, expected: Expected) -> bool:
    """Whether `actual` satisfies `operator` against `expected` (EXISTS and VALID are
    the caller's). CheckProblem when the two cannot be compared that way."""
    function = _OPERATORS.get(operator)
    if function is None:
        raise CheckProblem(f"{operator.value} does not compare values")
    return function(actual, expected)


# --------------------------------------------------------------------------- equality


def _number(value: Value) -> float | int | None:
    """`value` as a number when it is one or is a text that reads as one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        try:
            number = float(value) if any(c in value for c in ".eE") else int(value)
        except (ValueError, OverflowError):
            return None
        return number
    return None


_NUMBER = re.compile(r"[+-]?(?:\d{1,4000}(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")


def equal(actual: Value, expected: Expected) -> bool:
    """`actual == expected` as the module docstring describes."""
    return _equal(actual, expected.value, expected.text)


def _equal(actual: Value, value: Value, text: str) -> bool:
    if actual is MISSING:
        return False
    if isinstance(actual, bytes | bytearray):
        actual = bytes(actual).decode("utf-8", errors="replace")
    if isinstance(actual, datetime):
        return _as_date(value) == actual if isinstance(value, str) else False
    if isinstance(actual, str) and not isinstance(value, str):
        number, wanted = _number(actual), _number(value)
        if number is not None and wanted is not None:
            return _numbers_equal(number, wanted)
        return actual == text.strip() or actual == as_text(value)
    return same(actual, value)


def same(a: Value, b: Value) -> bool:
    """Deep JSON equality, with booleans apart from numbers (Python's True == 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return _numbers_equal(a, b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if type(a) is not type(b) and not (isinstance(a, str) and isinstance(b, str)):
        return False
    return bool(a == b)


def _numbers_equal(a: float | int, b: float | int) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0) or a == b
    return a == b


def _eq(actual: Value, expected: Expected) -> bool:
    return equal(actual, expected)


def _ne(actual: Value, expected: Expected) -> bool:
    return not equal(actual, expected)


# --------------------------------------------------------------------------- order


def _ordered(actual: Value, expected: Expected) -> tuple[Any, Any]:
    """Two values `<` can compare: numbers (texts that read as numbers included),
    dates, or two texts; CheckProblem for anything else."""
    number, wanted = _number(actual), _number(expected.value)
    if number is not None and wanted is not None:
        return number, wanted
    if isinstance(actual, datetime):
        date = _as_date(expected.as_str)
        if date is None:
            raise CheckProblem(f"Cannot compare a date with {expected.text!r}")
        return actual, date
    if isinstance(actual, str) and isinstance(expected.value, str):
        return actual, expected.value
    raise CheckProblem(f"Cannot order a {type_name(actual)} against a {type_name(expected.value)}")


def _lt(actual: Value, expected: Expected) -> bool:
    a, b = _ordered(actual, expected)
    return bool(a < b)


def _le(actual: Value, expected: Expected) -> bool:
    a, b = _ordered(actual, expected)
    return bool(a <= b)


def _gt(actual: Value, expected: Expected) -> bool:
    a, b = _ordered(actual, expected)
    return bool(a > b)


def _ge(actual: Value, expected: Expected) -> bool:
    a, b = _ordered(actual, expected)
    return bool(a >= b)


# --------------------------------------------------------------------------- text


def _scalar_text(actual: Value, operator: str) -> str:
    if isinstance(actual, list | tuple | dict):
        raise CheckProblem(f"{operator} needs a text, the value is a {type_name(actual)}")
    return as_text(actual)


def _contains(actual: Value, expected: Expected) -> bool:
    if isinstance(actual, list | tuple):
        return any(_equal(item, expected.value, expected.text) for item in actual)
    if isinstance(actual, dict):
        return expected.as_str in actual
    if isinstance(actual, bytes | bytearray):
        return expected.as_str.encode("utf-8") in actual
    return expected.as_str in as_text(actual)


def _starts_with(actual: Value, expected: Expected) -> bool:
    return _scalar_text(actual, "startsWith").startswith(expected.as_str)


def _ends_with(actual: Value, expected: Expected) -> bool:
    return _scalar_text(actual, "endsWith").endswith(expected.as_str)


def _matches(actual: Value, expected: Expected) -> bool:
    pattern = expected.as_str
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        pattern = pattern[1:-1]  # Hurl's /regex/ literal
    return user_regex(pattern).search(_scalar_text(actual, "matches")) is not None


def _count(actual: Value, expected: Expected) -> bool:
    wanted = _number(expected.value)
    if not isinstance(wanted, int):
        raise CheckProblem(f"count needs a whole number, not {expected.text!r}")
    if not isinstance(actual, list | tuple | dict | str | bytes):
        raise CheckProblem(f"count needs a list or a text, the value is a {type_name(actual)}")
    return len(actual) == wanted


# --------------------------------------------------------------------------- types

_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _as_date(text: str) -> datetime | None:
    from datetime import UTC

    candidate = text.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", candidate):
        return None
    try:
        parsed = datetime.fromisoformat(candidate.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _is_ip(text: str, version: int) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(text).version == version
    except ValueError:
        return False


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Value], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, float),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "list": lambda v: isinstance(v, list | tuple),
    "object": lambda v: isinstance(v, dict),
    "collection": lambda v: isinstance(v, list | tuple | dict),
    "bytes": lambda v: isinstance(v, bytes | bytearray),
    "date": lambda v: isinstance(v, datetime) or (isinstance(v, str) and _as_date(v) is not None),
    "empty": lambda v: isinstance(v, str | bytes | list | tuple | dict) and len(v) == 0,
    "uuid": lambda v: isinstance(v, str) and _UUID.fullmatch(v) is not None,
    "ipv4": lambda v: isinstance(v, str) and _is_ip(v, 4),
    "ipv6": lambda v: isinstance(v, str) and _is_ip(v, 6),
}
_TYPE_ALIASES = {
    "str": "string",
    "text": "string",
    "int": "integer",
    "bool": "boolean",
    "array": "list",
    "dict": "object",
    "map": "object",
    "isodate": "date",
    "datetime": "date",
    "none": "null",
}
TYPE_NAMES = tuple(_TYPES)


def _is_type(actual: Value, expected: Expected) -> bool:
    name = expected.as_str.strip().lower()
    name = _TYPE_ALIASES.get(name, name)
    check = _TYPES.get(name)
    if check is None:
        raise CheckProblem(f"Unknown type {expected.text!r} (one of {', '.join(TYPE_NAMES)})")
    return check(actual)


_OPERATORS: dict[Operator, Callable[[Value, Expected], bool]] = {
    Operator.EQ: _eq,
    Operator.NE: _ne,
    Operator.LT: _lt,
    Operator.LE: _le,
    Operator.GT: _gt,
    Operator.GE: _ge,
    Operator.CONTAINS: _contains,
    Operator.STARTS_WITH: _starts_with,
    Operator.ENDS_WITH: _ends_with,
    Operator.MATCHES: _matches,
    Operator.IS_TYPE: _is_type,
    Operator.COUNT: _count,
}
