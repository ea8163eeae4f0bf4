"""Hurl's filters: transforms of a subject's value before it is compared or captured.

A filter is written as Hurl writes it, one per entry: a name, then its arguments, each
a double-quoted string (`split ","`, escapes as in JSON), a `/regex/` literal, or a bare
number (`nth 0`). `apply_filters(value, filters)` runs them in order; a bad filter or a
value it cannot take is a `CheckProblem` with one line saying which and why.

Regular expressions are Python's (`re`), which reads the common Hurl patterns the same
way; they only ever run over values taken from a body the checks bounded.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from explorer.core.checks.values import (
    MISSING,
    CheckProblem,
    UserRegex,
    Value,
    as_text,
    type_name,
    user_regex,
)

MAX_FILTERS = 32  # a longer chain is a mistake, not a need
MAX_FILTER_TEXT = 4096  # characters of one filter


def apply_filters(
    value: Value, filters: Sequence[str], resolve: Callable[[str], str] | None = None
) -> Value:
    """`value` after each of `filters` in turn; `resolve` (when given) replaces the
    `{{variables}}` in their arguments (Hurl: `nth {{index}}`, `regex "{{pattern}}"`)."""
    if len(filters) > MAX_FILTERS:
        raise CheckProblem(f"Too many filters ({len(filters)}; at most {MAX_FILTERS})")
    for text in filters:
        name, args = parse_filter(text)
        if resolve is not None:
            args = [_resolved_argument(arg, resolve) for arg in args]
        value = apply_filter(value, name, args)
    return value


def _resolved_argument(arg: str | int, resolve: Callable[[str], str]) -> str | int:
    """An argument with its variables replaced after it was parsed, so a value is used
    as it is (a backslash in it is not an escape); one that reads as an integer is one
    (`nth {{index}}`)."""
    if not isinstance(arg, str) or "{{" not in arg:
        return arg
    text = resolve(arg)
    if re.fullmatch(r"-?\d{1,18}", text) and str(int(text)) == text:
        return int(text)  # the same text again wherever a text is wanted
    return text


def apply_filter(value: Value, name: str, args: Sequence[str | int]) -> Value:
    """`value` after the filter `name` with its parsed `args`."""
    spec = _FILTERS.get(name) or _FILTERS.get(_ALIASES.get(name.lower(), ""))
    if spec is None:
        raise CheckProblem(f"Unknown filter {name!r}")
    function, arity = spec
    if len(args) != arity:
        needs = "no argument" if arity == 0 else f"{arity} argument" + ("s" * (arity > 1))
        raise CheckProblem(f"Filter {name} takes {needs}, got {len(args)}")
    if value is MISSING:
        raise CheckProblem(f"Filter {name}: there is no value to filter")
    try:
        return function(value, *args)
    except CheckProblem as problem:
        raise CheckProblem(f"Filter {name}: {problem.message}") from None
    except RecursionError:
        raise CheckProblem(f"Filter {name}: the value is nested too deeply") from None
    except (ValueError, TypeError, OverflowError, LookupError, re.error) as error:
        raise CheckProblem(f"Filter {name}: {error}") from None


# --------------------------------------------------------------------------- parsing

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")        # "quoted", JSON escapes
      | (?P<regex>/(?:[^/\\]|\\.)*/)         # /regex/, \/ for a slash
      | (?P<word>[^\s"/]+)                   # a name or a number
    )""",
    re.VERBOSE | re.DOTALL,
)


def parse_filter(text: str) -> tuple[str, list[str | int]]:
    """(name, arguments) of one filter as written, e.g. `nth 0` → ("nth", [0])."""
    if len(text) > MAX_FILTER_TEXT:
        raise CheckProblem(f"A filter is longer than {MAX_FILTER_TEXT} characters")
    tokens: list[str | int] = []
    position, text = 0, text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            where = len(text) - len(text[position:].lstrip()) + 1
            raise CheckProblem(f"Filter {text!r}: cannot read it from position {where}")
        position = match.end()
        if match.group("string") is not None:
            tokens.append(_unquote(match.group("string"), text))
        elif match.group("regex") is not None:
            tokens.append(match.group("regex")[1:-1].replace("\\/", "/"))
        else:
            word = match.group("word")
            tokens.append(int(word) if re.fullmatch(r"-?\d{1,18}", word) else word)
    if not tokens or not isinstance(tokens[0], str):
        raise CheckProblem(f"Filter {text!r}: it has no name")
    return tokens[0], tokens[1:]


def _unquote(quoted: str, text: str) -> str:
    import json

    try:
        value = json.loads(quoted)
    except ValueError:
        # A backslash JSON does not know (`"\d+"`): kept as written, as a regex wants it.
        value = quoted[1:-1].replace('\\"', '"')
    if not isinstance(value, str):
        raise CheckProblem(f"Filter {text!r}: bad quoted argument")
    return value


# --------------------------------------------------------------------------- helpers


def _text(value: Value) -> str:
    if isinstance(value, list | dict):
        raise CheckProblem(f"expects a text, got a {type_name(value)}")
    return as_text(value)


def _bytes(value: Value) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return _text(value).encode("utf-8")


def _collection(value: Value) -> list[Value] | dict[str, Value] | str | bytes:
    if isinstance(value, list | dict | str | bytes):
        return value
    raise CheckProblem(f"expects a list, got a {type_name(value)}")


def _index(value: Value, index: str | int) -> Value:
    if not isinstance(index, int):
        raise CheckProblem(f"the index {index!r} is not an integer")
    items = value if isinstance(value, list | str | bytes) else None
    if items is None:
        raise CheckProblem(f"expects a list, got a {type_name(value)}")
    if not -len(items) <= index < len(items):
        raise CheckProblem(f"index {index} is out of range (the list has {len(items)})")
    return items[index]


def _arg(value: str | int) -> str:
    return value if isinstance(value, str) else str(value)


def _compile(pattern: str | int) -> UserRegex:
    try:
        return user_regex(_arg(pattern))
    except CheckProblem as problem:
        raise CheckProblem(problem.message.replace("Bad", "bad", 1)) from None


# --------------------------------------------------------------------------- the filters


def _count(value: Value) -> int:
    return len(_collection(value))


def _nth(value: Value, index: str | int) -> Value:
    return _index(value, index)


def _first(value: Value) -> Value:
    return _index(value, 0)


def _last(value: Value) -> Value:
    return _index(value, -1)


def _regex(value: Value, pattern: str | int) -> Value:
    match = _compile(pattern).search(_text(value))
    if match is None:
        return MISSING
    return match.group(1) if match.re.groups else match.group(0)


def _replace(value: Value, old: str | int, new: str | int) -> str:
    return _text(value).replace(_arg(old), _arg(new))


def _replace_regex(value: Value, pattern: str | int, new: str | int) -> str:
    return _compile(pattern).sub(lambda _match: _arg(new), _text(value))


def _split(value: Value, separator: str | int) -> list[Value]:
    if not _arg(separator):
        raise CheckProblem("the separator is empty")
    return list(_text(value).split(_arg(separator)))


def _to_int(value: Value) -> int:
    if isinstance(value, bool):
        raise CheckProblem("expects a number or a text, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    text = _text(value).strip()
    if not re.fullmatch(r"[+-]?\d{1,4300}", text):
        raise CheckProblem(f"{text[:40]!r} is not an integer")
    return int(text)


def _to_float(value: Value) -> float:
    if isinstance(value, bool):
        raise CheckProblem("expects a number or a text, got a boolean")
    if isinstance(value, int | float):
        return float(value)
    text = _text(value).strip()
    try:
        return float(text)
    except ValueError:
        raise CheckProblem(f"{text[:40]!r} is not a number") from None


def _to_string(value: Value) -> str:
    return as_text(value)


def _to_hex(value: Value) -> str:
    return _bytes(value).hex()


def _url_decode(value: Value) -> str:
    return unquote(_text(value))


def _url_encode(value: Value) -> str:
    return quote(_text(value), safe="/")


def _url_query_param(value: Value, name: str | int) -> Value:
    for key, param in parse_qsl(urlsplit(_text(value)).query, keep_blank_values=True):
        if key == _arg(name):
            return param
    return MISSING


def _b64_decode(value: Value) -> bytes:
    text = re.sub(r"\s+", "", _text(value))
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error as error:
        raise CheckProblem(f"not Base64: {error}") from None


def _b64_encode(value: Value) -> str:
    return base64.b64encode(_bytes(value)).decode("ascii")


def _b64url_decode(value: Value) -> bytes:
    text = re.sub(r"\s+", "", _text(value))
    if not re.fullmatch(r"[A-Za-z0-9_-]*=*", text):
        raise CheckProblem("not URL-safe Base64")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise CheckProblem(f"not URL-safe Base64: {error}") from None


def _b64url_encode(value: Value) -> str:
    return base64.urlsafe_b64encode(_bytes(value)).decode("ascii").rstrip("=")


def _html_escape(value: Value) -> str:
    return html.escape(_text(value), quote=False)


def _html_unescape(value: Value) -> str:
    return html.unescape(_text(value))


def _decode(value: Value, encoding: str | int) -> str:
    try:
        codec = codecs.lookup(_arg(encoding))
    except LookupError:
        raise CheckProblem(f"unknown encoding {encoding!r}") from None
    return _bytes(value).decode(codec.name, errors="replace")


def _utf8_decode(value: Value) -> str:
    return _bytes(value).decode("utf-8", errors="replace")


def _utf8_encode(value: Value) -> bytes:
    return _text(value).encode("utf-8")


def _jsonpath(value: Value, expression: str | int) -> Value:
    from explorer.core.checks.queries import json_value, jsonpath_query

    document = json_value(value, "The value") if isinstance(value, str | bytes) else value
    return jsonpath_query(document, _arg(expression))


def _xpath(value: Value, expression: str | int) -> Value:
    from explorer.core.checks.queries import xpath_query

    data = _bytes(value)
    markup = data.lstrip()[:64].lower()
    return xpath_query(data, _arg(expression), html=not markup.startswith(b"<?xml"))


# chrono's (Hurl's) conversions that Python's strptime/strftime write differently.
_CHRONO = (("%.f", ".%f"), ("%.3f", ".%f"), ("%.6f", ".%f"), ("%.9f", ".%f"), ("%:z", "%z"))


def _python_format(fmt: str) -> str:
    for chrono, python in _CHRONO:
        fmt = fmt.replace(chrono, python)
    return fmt


def _date(value: Value) -> datetime:
    if isinstance(value, datetime):
        return value
    text = _text(value).strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _http_date(text)  # a cookie's Expires, which Hurl gives as a date
    if parsed is None:
        raise CheckProblem(f"{text[:40]!r} is not a date (use toDate with its format)")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _http_date(text: str) -> datetime | None:
    """An HTTP date (`Wed, 13 Jan 2021 22:23:01 GMT`), or None."""
    from email.utils import parsedate_to_datetime

    if not text[:1].isalpha():
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _to_date(value: Value, fmt: str | int) -> datetime:
    text = _text(value).strip()
    # A date is kept in UTC, as Hurl keeps it: `%z` of a date read with +0200 is +0000.
    if _arg(fmt) == "%+":  # ISO 8601 / RFC 3339
        return _date(text).astimezone(UTC)
    try:
        parsed = datetime.strptime(text, _python_format(_arg(fmt)))
    except ValueError as error:
        raise CheckProblem(f"{text[:40]!r} does not match {fmt!r}: {error}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _date_format(value: Value, fmt: str | int) -> str:
    date = _date(value)
    # chrono's %.f writes as many digits as the date has: none (and no dot) for whole
    # seconds, as Hurl's `dateFormat "%Y-%m-%dT%H:%M:%S%.fZ"` gives "...22:23:01Z".
    return date.strftime(_python_format(_arg(fmt).replace("%.f", _fraction(date))))


def _fraction(date: datetime) -> str:
    micro = date.microsecond
    if not micro:
        return ""
    return f".{micro // 1000:03d}" if micro % 1000 == 0 else f".{micro:06d}"


def _days_after_now(value: Value) -> int:
    return (_date(value) - datetime.now(UTC)).days


def _days_before_now(value: Value) -> int:
    return (datetime.now(UTC) - _date(value)).days


def _location(value: Value) -> Value:
    raise CheckProblem("needs the redirect chain, which assertions here do not read")


_Filter = Callable[..., Value]
_FILTERS: dict[str, tuple[_Filter, int]] = {
    "base64Decode": (_b64_decode, 0),
    "base64Encode": (_b64_encode, 0),
    "base64UrlSafeDecode": (_b64url_decode, 0),
    "base64UrlSafeEncode": (_b64url_encode, 0),
    "count": (_count, 0),
    "daysAfterNow": (_days_after_now, 0),
    "daysBeforeNow": (_days_before_now, 0),
    "decode": (_decode, 1),
    "first": (_first, 0),
    "dateFormat": (_date_format, 1),
    "format": (_date_format, 1),  # dateFormat's former name
    "htmlEscape": (_html_escape, 0),
    "htmlUnescape": (_html_unescape, 0),
    "jsonpath": (_jsonpath, 1),
    "last": (_last, 0),
    "location": (_location, 0),
    "nth": (_nth, 1),
    "regex": (_regex, 1),
    "replace": (_replace, 2),
    "replaceRegex": (_replace_regex, 2),
    "split": (_split, 1),
    "toDate": (_to_date, 1),
    "toFloat": (_to_float, 0),
    "toHex": (_to_hex, 0),
    "toInt": (_to_int, 0),
    "toString": (_to_string, 0),
    "urlDecode": (_url_decode, 0),
    "urlEncode": (_url_encode, 0),
    "urlQueryParam": (_url_query_param, 1),
    "utf8Decode": (_utf8_decode, 0),
    "utf8Encode": (_utf8_encode, 0),
    "xpath": (_xpath, 1),
}
# Names are matched exactly; a differently cased one (`toint`) still finds its filter.
_ALIASES = {name.lower(): name for name in _FILTERS}

FILTER_NAMES = tuple(sorted(_FILTERS))
