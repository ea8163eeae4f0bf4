"""Insomnia response tags as captures and variables.

Insomnia chains requests with a template tag that reads the latest response of another
request: `{% response 'body', 'req_1', 'b64::JC50b2tlbg==::46b', 'never', 60 %}` (the
attribute `body`, `raw`, `header`, `cookie` or `url`; the request's id; a filter, which
Insomnia may write base64-encoded between `b64::` and `::46b`: a JSONPath when it starts
with `$`, else an XPath, or the header/cookie name; then when to resend and a maximum
age, which have no equivalent). Each distinct tag becomes one capture on the referenced
request, under a generated variable name (`login_token`), and every place the tag was
written becomes `{{login_token}}`. The referenced request must run first; its resend
behaviour is dropped (noted in the report).

`ResponseTags.scan` reads every tag of an export before any request is built, so a
request gets the captures of tags written in requests before or after it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from explorer.core.model import Capture, Subject

MAX_TAGS = 10_000  # distinct tags read in one export; more are left as text
MAX_SCAN_STRINGS = 1_000_000  # strings looked at when scanning an export
# Bounded: an unclosed `{% response` is looked past after 4 KiB, not to the end of the text.
_TAG = re.compile(r"\{%\s*response\s+(.{0,4096}?)\s*%\}", re.DOTALL)
_ARGUMENT = re.compile(
    r"""\s*(?:'(?P<single>(?:[^'\\]|\\.)*)'
        |"(?P<double>(?:[^"\\]|\\.)*)"
        |(?P<bare>[^,\s]+))\s*(?:,|$)""",
    re.DOTALL | re.VERBOSE,
)
_ENCODED = re.compile(r"^b64::(.*)::46b$", re.DOTALL)
_NAME_PART = re.compile(r"[^A-Za-z0-9_]+")


@dataclass(frozen=True)
class _Reference:
    request_id: str
    subject: Subject
    argument: str


@dataclass
class ResponseTags:
    """The response tags of one Insomnia export: scan, then replace and attach."""

    names: dict[str, str]  # request id -> request name
    variables: dict[_Reference, str] = field(default_factory=dict)
    captures: dict[str, list[Capture]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def scan(self, values: Iterable[object]) -> None:
        """Register every tag in the strings under `values` (nested dicts and lists)."""
        pending = list(values)[::-1]  # a stack, read in document order
        seen = 0
        while pending and seen < MAX_SCAN_STRINGS:
            value = pending.pop()
            seen += 1
            if isinstance(value, str):
                if "{%" in value:
                    for match in _TAG.finditer(value):
                        self._register(match.group(1))
            elif isinstance(value, dict):
                pending.extend(list(value.values())[::-1])
            elif isinstance(value, list):
                pending.extend(value[::-1])

    def replace(self, text: str) -> str:
        """`text` with each known response tag written as its `{{variable}}`."""
        if "{%" not in text:
            return text

        def variable(match: re.Match[str]) -> str:
            reference = _reference(match.group(1))
            name = self.variables.get(reference) if reference else None
            return "{{" + name + "}}" if name else match.group()

        return _TAG.sub(variable, text)

    def captures_for(self, request_id: str) -> tuple[Capture, ...]:
        """The captures the request `request_id` makes for tags that refer to it."""
        return tuple(self.captures.get(request_id, ()))

    def _register(self, arguments: str) -> None:
        reference = _reference(arguments)
        if reference is None or reference in self.variables or len(self.variables) >= MAX_TAGS:
            return
        owner = self.names.get(reference.request_id)
        if owner is None:
            return  # the request is not in this export: the tag stays as text
        name = self._unique(_variable_name(owner, reference))
        self.variables[reference] = name
        self.captures.setdefault(reference.request_id, []).append(
            Capture(name, reference.subject, reference.argument)
        )
        what = f"{reference.subject.value} {reference.argument}".strip()
        self.notes.append(
            f"An Insomnia response tag ({what} of {owner!r}) became {{{{{name}}}}}, "
            f"captured by {owner!r}: run it first (the tag's resend setting is not kept)."
        )

    def _unique(self, name: str) -> str:
        taken = set(self.variables.values())
        if name not in taken:
            return name
        number = 2
        while f"{name}_{number}" in taken:
            number += 1
        return f"{name}_{number}"


def _reference(arguments: str) -> _Reference | None:
    """What one tag's arguments refer to, or None when it is not a form we know."""
    values = _arguments(arguments)
    if values is None or len(values) < 2:
        return None
    attribute, request_id = values[0], values[1]
    filter_text = _decoded(values[2]).strip() if len(values) > 2 else ""
    if attribute == "raw":
        return _Reference(request_id, Subject.BODY, "")
    if attribute == "url":
        return _Reference(request_id, Subject.URL, "")
    if not filter_text:
        return None
    if attribute == "header":
        return _Reference(request_id, Subject.HEADER, filter_text)
    if attribute == "cookie":
        return _Reference(request_id, Subject.COOKIE, filter_text)
    if attribute == "body":
        subject = Subject.JSONPATH if filter_text.startswith("$") else Subject.XPATH
        return _Reference(request_id, subject, filter_text)
    return None


def _arguments(text: str) -> list[str] | None:
    values: list[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _ARGUMENT.match(text, position)
        if match is None or match.end() == position:
            return None
        quoted = (
            match.group("single") if match.group("single") is not None else match.group("double")
        )
        values.append(
            re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else match.group("bare")
        )
        position = match.end()
    return values


def _decoded(value: str) -> str:
    """An argument as Insomnia stores it: `b64::<base64 of UTF-8>::46b`, or plain."""
    encoded = _ENCODED.match(value)
    if encoded is None:
        return value
    try:
        return base64.b64decode(encoded.group(1), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return value


def _variable_name(owner: str, reference: _Reference) -> str:
    """`login_token`: the request's name and the last name in the filter."""
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", reference.argument)
    last = words[-1] if words else reference.subject.value
    base = _NAME_PART.sub("_", f"{owner}_{last}").strip("_").lower()[:60] or "response"
    return base if re.match(r"[A-Za-z_]", base) else f"r_{base}"
