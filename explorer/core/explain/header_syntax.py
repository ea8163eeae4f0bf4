"""The few pieces of HTTP field syntax the rules need (RFC 9110 §5.6), tolerant of what
real servers send: comma lists with quoted strings, directives, entity tags, dates and
media types. Dates and media-type parameters use the standard library (email.utils,
email.message); werkzeug.http would do the rest but costs 90 ms to import and brings
its test client along, for thirty lines of grammar.
"""

from __future__ import annotations

import email.message
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# A header value longer than this is judged by its start only: every rule runs on the
# GUI's send worker and must stay cheap against a hostile server.
MAX_FIELD = 16 * 1024


def split_list(value: str) -> list[str]:
    """ "a, "b,c", d" → ['a', '"b,c"', 'd']: a comma list, quoted commas kept, empty
    members dropped (RFC 9110 §5.6.1)."""
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in value[:MAX_FIELD]:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item]


def unquote(value: str) -> str:
    """A quoted-string's content ("a\\"b" → a"b); a token as it is."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        out: list[str] = []
        escaped = False
        for char in inner:
            if escaped or char != "\\":
                out.append(char)
                escaped = False
            else:
                escaped = True
        return "".join(out)
    return value


def directives(value: str) -> dict[str, str | None]:
    """Cache-Control style directives: {"max-age": "60", "no-store": None}. Names are
    lower case; a repeated directive keeps its first value (`repeated` finds them)."""
    result: dict[str, str | None] = {}
    for item in split_list(value):
        name, sep, argument = item.partition("=")
        key = name.strip().lower()
        if key and key not in result:
            result[key] = unquote(argument) if sep else None
    return result


def repeated(value: str) -> list[str]:
    """Directive names that occur more than once (lower case, in order)."""
    seen: set[str] = set()
    twice: list[str] = []
    for item in split_list(value):
        key = item.partition("=")[0].strip().lower()
        if key in seen and key not in twice:
            twice.append(key)
        seen.add(key)
    return twice


def delta_seconds(value: str | None) -> int | None:
    """A directive's delta-seconds (RFC 9111 §1.2.2), None when absent or not a number."""
    text = (value or "").strip()
    # ASCII digits only: a superscript two passes isdigit() and int() refuses it, and a
    # full-width digit is no delta-seconds either.
    if not text or not text.isascii() or not text.isdigit():
        return None
    return int(text)


@dataclass(frozen=True)
class EntityTag:
    """An entity tag (RFC 9110 §8.8.3): its opaque value, whether it is weak, and
    whether it was written correctly (quoted)."""

    value: str
    weak: bool
    well_formed: bool


def entity_tag(text: str) -> EntityTag:
    """'W/"x"' → EntityTag("x", weak=True, well_formed=True); 'x' → not well formed."""
    text = text.strip()
    weak = text.startswith(("W/", "w/"))
    body = text[2:] if weak else text
    well_formed = len(body) >= 2 and body[0] == body[-1] == '"' and '"' not in body[1:-1]
    value = body[1:-1] if well_formed else body.strip('"')
    return EntityTag(value, weak, well_formed and not text.startswith("w/"))


def entity_tags(value: str) -> list[EntityTag]:
    """An If-None-Match / If-Match list; "*" comes back as one tag with value "*"."""
    return [entity_tag(item) for item in split_list(value)]


def http_date(value: str) -> datetime | None:
    """An HTTP-date as an aware UTC datetime, None when it is not one."""
    value = value.strip()[:100]
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def media_type(value: str) -> tuple[str, dict[str, str]]:
    """ "Text/HTML; Charset=UTF-8" → ("text/html", {"charset": "UTF-8"}); ("", {}) when
    the field is empty or has no type/subtype."""
    value = value.strip()[:MAX_FIELD]
    essence = value.split(";", 1)[0].strip().lower()
    if not value or "/" not in essence:
        return "", {}
    message = email.message.Message()
    message["Content-Type"] = value
    params = {
        key.lower(): str(param)
        for key, param in message.get_params(failobj=[])[1:]
        if isinstance(param, str) and key  # "text/plain;" has no parameter named ""
    }
    return essence, params
