"""The values checks pass around, and how they read as text.

A subject's value is a JSON value (None, bool, int, float, str, list, dict) as the
parsers build it, or bytes (a decoded Base64 text), or a datetime (the `toDate`
filter). `MISSING` is "nothing there": a header the response lacks, a JSONPath that
matched nothing. It differs from JSON null, which is a value.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar

import orjson

from explorer.core.checks.results import SHOWN_VALUE_CHARS

if TYPE_CHECKING:
    import regex  # imported with the first user's regular expression (about 6 ms)


class _Missing:
    """The type of `MISSING` (one instance)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()
_T = TypeVar("_T")

# Any value a query or filter produces (see the module docstring).
Value = Any


class CheckProblem(Exception):
    """A check could not be carried out (bad expression, body not JSON, ...).
    `message` is one line a person can act on."""

    def __init__(self, message: str) -> None:
        message = " ".join(str(message).split())
        super().__init__(message)
        self.message = message


# The longest one search, or substitution of a user's regular expression may take.
# `re` has no time limit, and a pattern like `(a|aa)+$` on a long body backtracks for
# longer than anyone waits: the `regex` module (the same syntax) stops at this bound.
REGEX_SECONDS: Final = 1.0


class UserRegex:
    """A regular expression the user wrote, run with a time limit: past
    `REGEX_SECONDS` a search or substitution is a CheckProblem, not a hang."""

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self._pattern = pattern

    @property
    def groups(self) -> int:
        return int(self._pattern.groups)

    def search(self, text: str) -> regex.Match[str] | None:
        return self._timed(lambda: self._pattern.search(text, timeout=REGEX_SECONDS))

    def sub(self, replacement: Callable[[regex.Match[str]], str], text: str) -> str:
        return self._timed(lambda: self._pattern.sub(replacement, text, timeout=REGEX_SECONDS))

    def _timed(self, work: Callable[[], _T]) -> _T:
        try:
            return work()
        except TimeoutError:
            raise CheckProblem(
                f"The regular expression {self._pattern.pattern!r} took longer than "
                f"{REGEX_SECONDS:g} s on this text (it backtracks too much); simplify it"
            ) from None


def user_regex(pattern: str) -> UserRegex:
    """A regular expression the user wrote, compiled; CheckProblem when it is not one.
    Warnings about it (a possible nested set) are no business of the run."""
    import regex

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return UserRegex(regex.compile(pattern))
        except (regex.error, RecursionError, OverflowError, ValueError) as error:
            raise CheckProblem(f"Bad regular expression {pattern!r}: {error}") from None


def as_text(value: Value) -> str:
    """`value` as text: a string as it is, anything else as JSON (`true`, `12`, `null`,
    `[1,2]`); bytes decoded as UTF-8; a date in ISO 8601."""
    if isinstance(value, str):
        return value
    if value is MISSING:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, datetime):
        return value.isoformat()
    try:
        return orjson.dumps(value, default=_jsonable).decode()
    except (TypeError, orjson.JSONEncodeError):
        return repr(value)


def _float_text(value: float) -> str:
    """A float as JSON writes it; an integral one without `.0` (XPath's count() gives
    2.0, and people read it as 2); NaN and infinities by name."""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _jsonable(value: object) -> object:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int):  # beyond 64 bits: orjson refuses them
        return str(value)
    raise TypeError(type(value).__name__)


def shown(value: Value) -> str:
    """`value` as short text for a result (SHOWN_VALUE_CHARS at most, ending in …)."""
    if value is MISSING:
        return "(none)"
    return short(as_text(value))


def short(text: str) -> str:
    """`text` on one line, cut to SHOWN_VALUE_CHARS characters."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(text) <= SHOWN_VALUE_CHARS:
        return text
    return text[: SHOWN_VALUE_CHARS - 1] + "…"


def type_name(value: Value) -> str:
    """The name `isType` uses for the type of `value`."""
    if value is MISSING:
        return "none"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, bytes | bytearray):
        return "bytes"
    if isinstance(value, datetime):
        return "date"
    return type(value).__name__
