"""What a script sees: `request`, `response`, `variables`, `expect`, `test`, `console`.

Runs inside the script child only (see `child`), standard library only. Documented for
users in docs/SCRIPTING.md; keep the two in step.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator, MutableMapping
from types import TracebackType
from typing import Any

SHOWN_CHARS = 200  # as explorer.core.checks.results.SHOWN_VALUE_CHARS
MESSAGE_CHARS = 300  # of a result's message
# As explorer.core.resolve.variables.MAX_VALUE_SIZE: a larger value could never be used.
MAX_VARIABLE_CHARS = 1024 * 1024


def shown(value: Any) -> str:
    """A value as a result shows it: text as it is, anything else as Python writes it,
    cut at SHOWN_CHARS."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def brief(value: Any) -> str:
    """A value as Python writes it (strings quoted), cut at SHOWN_CHARS: for labels."""
    return shown(repr(value))


def as_text(value: Any) -> str:
    """A variable's value as text: strings as they are, other values as JSON (so `True`
    becomes `true` and a dict an object, as captured variables are written)."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


class Fields(MutableMapping[str, str]):
    """Name/value rows that read like a dict: headers (names compared case-insensitively)
    or query parameters. `fields[name]` is the first value of that name; assigning
    replaces every row of that name; `add` appends another; `get_all` lists them."""

    def __init__(
        self, rows: list[tuple[str, str]], ignore_case: bool, read_only: bool = False
    ) -> None:
        self._rows = [(str(n), as_text(v)) for n, v in rows]
        self._ignore_case = ignore_case
        self._read_only = read_only

    def _key(self, name: str) -> str:
        return name.lower() if self._ignore_case else name

    def _writable(self) -> None:
        if self._read_only:
            raise TypeError("these fields are read-only")

    def __getitem__(self, name: str) -> str:
        key = self._key(name)
        for row_name, value in self._rows:
            if self._key(row_name) == key:
                return value
        raise KeyError(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self._writable()
        key, text = self._key(name), as_text(value)
        rows, placed = [], False
        for row_name, old in self._rows:
            if self._key(row_name) != key:
                rows.append((row_name, old))
            elif not placed:
                rows.append((row_name, text))
                placed = True
        if not placed:
            rows.append((str(name), text))
        self._rows = rows

    def __delitem__(self, name: str) -> None:
        self._writable()
        key = self._key(name)
        if not any(self._key(n) == key for n, _ in self._rows):
            raise KeyError(name)
        self._rows = [(n, v) for n, v in self._rows if self._key(n) != key]

    def __iter__(self) -> Iterator[str]:
        seen = set()
        for name, _ in self._rows:
            if self._key(name) not in seen:
                seen.add(self._key(name))
                yield name

    def __len__(self) -> int:
        return len({self._key(n) for n, _ in self._rows})

    def __repr__(self) -> str:
        return f"Fields({self._rows!r})"

    def add(self, name: str, value: Any) -> None:
        """Append a row, keeping those of the same name."""
        self._writable()
        self._rows.append((str(name), as_text(value)))

    def get_all(self, name: str) -> list[str]:
        """Every value of `name`, in order."""
        key = self._key(name)
        return [v for n, v in self._rows if self._key(n) == key]

    def rows(self) -> list[list[str]]:
        return [[n, v] for n, v in self._rows]


def _rows(rows: Any) -> list[tuple[str, str]]:
    if isinstance(rows, Fields):
        return [(n, v) for n, v in rows.rows()]
    items = rows.items() if hasattr(rows, "items") else rows
    return [(str(name), as_text(value)) for name, value in items]


class ScriptRequest:
    """The request about to be sent (changes in a pre-request script are sent) or the
    one that was sent (post-response). `body` is None for a form, multipart or file body,
    which scripts cannot change."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.name: str = data.get("name", "")
        self.method: str = data["method"]
        self.url: str = data["url"]
        self._headers = Fields(data["headers"], ignore_case=True)
        self._params = Fields(data["params"], ignore_case=False)
        self._body: str | None = data["body"]

    @property
    def headers(self) -> Fields:
        return self._headers

    @headers.setter
    def headers(self, rows: Any) -> None:
        """Replace every header: a mapping, or (name, value) pairs."""
        self._headers = Fields(_rows(rows), ignore_case=True)

    @property
    def params(self) -> Fields:
        return self._params

    @params.setter
    def params(self, rows: Any) -> None:
        """Replace every query parameter: a mapping, or (name, value) pairs."""
        self._params = Fields(_rows(rows), ignore_case=False)

    @property
    def body(self) -> str | None:
        return self._body

    @body.setter
    def body(self, value: str) -> None:
        if self._body is None:
            raise AttributeError("this request's body is a form or files; scripts cannot set it")
        if not isinstance(value, str):
            raise TypeError(f"request.body must be text, not {type(value).__name__}")
        self._body = value

    def to_data(self) -> dict[str, Any]:
        return {
            "method": str(self.method),
            "url": str(self.url),
            "headers": self._headers.rows(),
            "params": self._params.rows(),
            "body": self._body,
        }

    def __repr__(self) -> str:
        return f"<request {self.method} {self.url}>"


class ScriptResponse:
    """The response (read-only). `text` is the body decoded, at most the checker's limit
    (`complete` is False when it was cut); `json()` parses it."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.status: int = data["status"]
        self.reason: str = data["reason"]
        self.url: str = data["url"]
        self.headers = Fields(data["headers"], ignore_case=True, read_only=True)
        self.text: str = data["text"]
        self.complete: bool = data["complete"]
        self.size: int = data["size"]
        self.elapsed_ms: float = data["elapsed_ms"]
        self.cookies: dict[str, str] = dict(data["cookies"])
        self._json: Any = None
        self._parsed = False

    def json(self) -> Any:
        """The body parsed as JSON (ValueError when it is not JSON)."""
        if not self._parsed:
            if not self.complete:
                raise ValueError("the body is larger than scripts are given; it was cut")
            self._json = json.loads(self.text)
            self._parsed = True
        return self._json

    def __repr__(self) -> str:
        return f"<response {self.status} {self.reason}>"


class Variables:
    """The variables the request sees; `set` makes run variables for the requests that
    follow (`secret=True`: masked wherever shown)."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = dict(values)
        self.changed: dict[str, str] = {}
        self.secrets: set[str] = set()
        self.unset_names: set[str] = set()

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self._values

    def set(self, name: str, value: Any, secret: bool = False) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("a variable needs a name")
        text = as_text(value)
        if len(text) > MAX_VARIABLE_CHARS:
            raise ValueError(f"a variable's value may have at most {MAX_VARIABLE_CHARS} characters")
        self._values[name] = text
        self.changed[name] = text
        self.unset_names.discard(name)
        if secret:
            self.secrets.add(name)
        else:
            self.secrets.discard(name)

    def unset(self, name: str) -> None:
        self._values.pop(name, None)
        self.changed.pop(name, None)
        self.secrets.discard(name)
        self.unset_names.add(name)

    def __repr__(self) -> str:
        return f"<variables: {len(self._values)}>"


class Console:
    """Lines printed by a script, bounded: once a bound is reached one note says so and
    the rest is dropped."""

    def __init__(self, max_lines: int, max_chars: int, line_chars: int) -> None:
        self.lines: list[str] = []
        self._max_lines, self._max_chars, self._line_chars = max_lines, max_chars, line_chars
        self._chars = 0
        self._partial = ""
        self._rest_dropped = False
        self.cut = False

    def log(self, *values: Any, sep: str = " ") -> None:
        """Like print(): the values as text on one line."""
        self.write(sep.join(v if isinstance(v, str) else str(v) for v in values) + "\n")

    def write(self, text: str) -> int:
        size = len(text)
        if self.cut:
            return size
        if self._rest_dropped:  # the end of a line already cut: up to its newline
            _, newline, text = text.partition("\n")
            if not newline:
                return size
            self._rest_dropped = False
        self._partial += text
        *complete, self._partial = self._partial.split("\n")
        for line in complete:
            self._line(line)
        if len(self._partial) > self._line_chars:
            self._line(self._partial)  # a long line without its end is cut now, not kept
            self._partial = ""
            self._rest_dropped = True
        return size

    def flush(self) -> None:
        if self._partial:
            self._line(self._partial)
            self._partial = ""

    def _line(self, line: str) -> None:
        if self.cut:
            return
        if len(line) > self._line_chars:
            line = line[: self._line_chars - 1] + "…"
        if len(self.lines) >= self._max_lines or self._chars + len(line) > self._max_chars:
            self.lines.append("… (more output was dropped)")
            self.cut = True
            return
        self.lines.append(line)
        self._chars += len(line)


class ConsoleStream(io.TextIOBase):
    """sys.stdout and sys.stderr of the child: what they get goes to the console."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return self._console.write(str(text))

    def flush(self) -> None:
        pass  # a partial line stays until its end or the end of the script


class ExpectationFailed(AssertionError):
    """A failed `expect` check: what was expected, what was found."""

    def __init__(self, description: str, actual: str, expected: str) -> None:
        super().__init__(f"{description}: expected {expected}, got {actual}")
        self.description, self.actual, self.expected = description, actual, expected


class StopScript(Exception):
    """A failed `expect` outside any `test`: it is recorded, and the script stops there
    (as a failed `assert` would stop it), without counting as a script error."""


class Results:
    """The results of `test` and `expect`, in order, at most `limit`."""

    def __init__(self, limit: int) -> None:
        self.items: list[dict[str, Any]] = []
        self.limit = limit
        self.in_test = 0

    def add(
        self, label: str, passed: bool, actual: str = "", expected: str = "", message: str = ""
    ) -> None:
        if len(self.items) >= self.limit:
            raise RuntimeError(f"a script may record at most {self.limit} results")
        label = shown(str(label))
        if len(message) > MESSAGE_CHARS:
            message = message[: MESSAGE_CHARS - 1] + "…"
        self.items.append(
            {
                "label": label,
                "passed": passed,
                "actual": actual,
                "expected": expected,
                "message": message,
            }
        )


class Expectation:
    """`expect(value)`: checks that chain, e.g. `expect(n).to_be_a(int).to_be_above(0)`.
    `.not_` turns the next checks into their opposite."""

    def __init__(self, value: Any, results: Results, negate: bool = False) -> None:
        self._value = value
        self._results = results
        self._negate = negate

    @property
    def not_(self) -> Expectation:
        return Expectation(self._value, self._results, not self._negate)

    def _check(self, passed: bool, check: str, expected: str) -> Expectation:
        if self._negate:
            passed, check, expected = not passed, "not " + check, "not " + expected
        actual = shown(self._value)
        description = f"expect({brief(self._value)}) {check}"
        if self._results.in_test:
            if not passed:
                raise ExpectationFailed(description, actual, expected)
            return self
        self._results.add(description, passed, actual, expected)
        if not passed:
            raise StopScript
        return self

    def _safely(self, test: Callable[[], bool]) -> bool:
        try:
            return bool(test())
        except (TypeError, ValueError, re.error):
            return False  # e.g. 3 > "a": not above, rather than a script error

    def to_equal(self, expected: Any) -> Expectation:
        return self._check(
            self._value == expected, f"to equal {brief(expected)}", f"== {shown(expected)}"
        )

    def to_be_above(self, bound: Any) -> Expectation:
        return self._check(
            self._safely(lambda: self._value > bound), f"to be above {bound!r}", f"> {bound!r}"
        )

    def to_be_below(self, bound: Any) -> Expectation:
        return self._check(
            self._safely(lambda: self._value < bound), f"to be below {bound!r}", f"< {bound!r}"
        )

    def to_contain(self, item: Any) -> Expectation:
        return self._check(
            self._safely(lambda: item in self._value),
            f"to contain {brief(item)}",
            f"contains {shown(item)}",
        )

    def to_match(self, pattern: str) -> Expectation:
        return self._check(
            self._safely(
                lambda: (
                    re.search(
                        pattern, self._value if isinstance(self._value, str) else str(self._value)
                    )
                    is not None
                )
            ),
            f"to match {pattern!r}",
            f"matches {pattern!r}",
        )

    def to_have_length(self, length: int) -> Expectation:
        return self._check(
            self._safely(lambda: len(self._value) == length),
            f"to have length {length}",
            f"length {length}",
        )

    def to_be_a(self, kind: type | tuple[type, ...]) -> Expectation:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int to Python, not to someone checking a JSON number.
        passed = isinstance(self._value, kinds) and not (
            isinstance(self._value, bool) and bool not in kinds
        )
        name = " or ".join(getattr(k, "__name__", str(k)) for k in kinds)
        return self._check(passed, f"to be a {name}", f"a {name}")

    def to_exist(self) -> Expectation:
        return self._check(self._value is not None, "to exist", "a value")


class Test:
    """`with test(name):` records one result, failed at the first failing check or
    exception inside; also usable as a decorator, `@test(name)` (the function runs at
    once)."""

    def __init__(
        self, name: str, results: Results, user_frame: Callable[[BaseException], str]
    ) -> None:
        self._name = str(name)
        self._results = results
        self._where = user_frame

    def __enter__(self) -> Test:
        self._results.in_test += 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool:
        self._results.in_test -= 1
        if error is None:
            self._results.add(self._name, True)
            return False
        if not isinstance(error, Exception) or isinstance(error, (StopScript, MemoryError)):
            return False  # the end of the script or a limit reached: not one test's failure
        if isinstance(error, ExpectationFailed):
            self._results.add(self._name, False, error.actual, error.expected, error.description)
        else:
            self._results.add(self._name, False, message=self._where(error))
        return True  # the script goes on with the next test

    def __call__(self, function: Callable[[], Any]) -> Callable[[], Any]:
        with self:
            function()
        return function


def make_test(results: Results, user_frame: Callable[[BaseException], str]) -> Callable[..., Any]:
    """The script's `test(name, fn=None)`: runs `fn` as a test at once; without `fn` a
    context manager (and decorator)."""

    def test(name: str, fn: Callable[[], Any] | None = None) -> Test | None:
        block = Test(name, results, user_frame)
        if fn is None:
            return block
        block(fn)
        return None

    return test


def make_expect(results: Results) -> Callable[[Any], Expectation]:
    def expect(value: Any) -> Expectation:
        return Expectation(value, results)

    return expect
