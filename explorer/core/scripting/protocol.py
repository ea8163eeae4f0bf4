"""What the parent and the script child exchange, and the limits a run keeps to.

One JSON message goes to the child on stdin, one JSON answer comes back; both are plain
data so that they can be checked field by field on the parent's side (the child runs
user code, so its answer is input like any other). Standard library only: the child
imports this module before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROTOCOL_VERSION = 1

PRE = "pre"
POST = "post"

MIB = 1024 * 1024


@dataclass(frozen=True)
class ScriptLimits:
    """Bounds on one script run (one child process).

    `time_limit`: seconds of wall time for the whole child, its start included; then
    its process group is killed. `memory_bytes`: its address space (RLIMIT_AS, Linux
    and other POSIX systems), 0 for none. The CPU limit follows from the time limit.
    `console_lines` and `console_chars` bound what print() may produce in all,
    `line_chars` each line; `max_results` bounds the `test`/`expect` results;
    `body_bytes` is the most of a response body a post-response script gets as text.
    """

    time_limit: float = 5.0
    memory_bytes: int = 1024 * MIB
    console_lines: int = 500
    console_chars: int = 64 * 1024
    line_chars: int = 1000
    max_results: int = 1000
    body_bytes: int = 16 * MIB

    def cpu_seconds(self) -> int:
        """The CPU time limit: the wall limit rounded up, plus one second (the wall
        limit normally strikes first; this one stops a child the parent lost)."""
        return int(-(-self.time_limit // 1)) + 1


# What the parent accepts from the child: enough for a full console, every result and a
# rewritten request, and far less than would hurt the parent.
ANSWER_SLACK_BYTES = 8 * MIB


def limits_to_data(limits: ScriptLimits) -> dict[str, Any]:
    return {
        "memory_bytes": limits.memory_bytes,
        "cpu_seconds": limits.cpu_seconds(),
        "console_lines": limits.console_lines,
        "console_chars": limits.console_chars,
        "line_chars": limits.line_chars,
        "max_results": limits.max_results,
    }


class AnswerError(ValueError):
    """The child's answer is not what the protocol says (one line for the user)."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise AnswerError(f"the script process answered a malformed {what}")


def _strings(value: Any, what: str) -> list[str]:
    _check(isinstance(value, list) and all(isinstance(v, str) for v in value), what)
    return list(value)


def _pairs(value: Any, what: str) -> list[tuple[str, str]]:
    _check(isinstance(value, list), what)
    pairs = []
    for item in value:
        _check(
            isinstance(item, list) and len(item) == 2 and all(isinstance(v, str) for v in item),
            what,
        )
        pairs.append((item[0], item[1]))
    return pairs


def check_request_data(value: Any) -> dict[str, Any]:
    """A request as the child sends it back, checked: method, url, headers, params as
    [name, value] lists, body a string or None."""
    _check(isinstance(value, dict), "request")
    _check(isinstance(value.get("method"), str) and isinstance(value.get("url"), str), "request")
    _check(value.get("body") is None or isinstance(value.get("body"), str), "request body")
    return {
        "method": value["method"],
        "url": value["url"],
        "headers": _pairs(value.get("headers"), "request headers"),
        "params": _pairs(value.get("params"), "request parameters"),
        "body": value.get("body"),
    }


def check_answer(value: Any, kind: str, max_results: int) -> dict[str, Any]:
    """The child's answer checked field by field; AnswerError names what is wrong."""
    _check(isinstance(value, dict) and value.get("version") == PROTOCOL_VERSION, "answer")
    _check(isinstance(value.get("error"), str), "error")
    variables = value.get("variables_set")
    _check(
        isinstance(variables, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in variables.items()),
        "variables",
    )
    results = value.get("results")
    _check(isinstance(results, list) and len(results) <= max_results, "list of results")
    checked_results = []
    for result in results:
        _check(isinstance(result, dict) and isinstance(result.get("passed"), bool), "result")
        fields = {k: result.get(k, "") for k in ("label", "actual", "expected", "message")}
        _check(all(isinstance(v, str) for v in fields.values()), "result")
        checked_results.append({"passed": result["passed"], **fields})
    answer = {
        "error": value["error"],
        "console": _strings(value.get("console"), "console"),
        "variables_set": dict(variables),
        "secrets_set": _strings(value.get("secrets_set"), "list of secrets"),
        "variables_unset": _strings(value.get("variables_unset"), "list of unset variables"),
        "results": checked_results,
        "request": None,
    }
    if kind == PRE and value.get("request") is not None:
        answer["request"] = check_request_data(value["request"])
    return answer
