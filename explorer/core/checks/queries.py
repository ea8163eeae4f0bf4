"""Reading into a body: its text, JSONPath and JMESPath on it as JSON, XPath 1.0 on it
as XML or HTML. Each failure is a `CheckProblem` with a one-line message.

The parsers are imported when first needed: a run that asserts only statuses never
loads lxml.
"""

from __future__ import annotations

import functools
import re
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from explorer.core.checks.results import ResponseFacts
from explorer.core.checks.values import MISSING, CheckProblem, Value
from explorer.core.text.content import ContentError, ContentKind, decode_text, detect, parse_json

if TYPE_CHECKING:
    from lxml import etree


class NodeSet(list[Any]):
    """What a query that may select several things gave (XPath node-set, JSONPath that
    is not singular): a list, empty when nothing matched, so `exists` fails on it while
    `count` still says 0."""


# --------------------------------------------------------------------------- body


def body_text(facts: ResponseFacts) -> str:
    """The body decoded with its charset (header, BOM, document); CheckProblem when only
    part of it was read."""
    require_complete(facts)
    return _decode(facts.content_type, facts.body)


def _decode(content_type: str, data: bytes) -> str:
    info = detect(content_type, data[:4096])
    return decode_text(data, info.charset or "utf-8")


def require_complete(facts: ResponseFacts) -> None:
    if not facts.body_complete:
        raise CheckProblem(
            f"The body ({facts.body_size:,} bytes) is larger than the checks read "
            f"({len(facts.body):,} bytes), so it was not judged"
        )


class _ParsedCache:
    """Bodies parsed as JSON, for as long as their facts live: the assertions and
    captures of one response parse its body once, not once each, and nothing is kept
    once the checker drops the facts (a run of 10,000 responses holds none of them).
    Thread-safe (the runner and the window check on worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: weakref.WeakKeyDictionary[ResponseFacts, Value | CheckProblem]
        self._entries = weakref.WeakKeyDictionary()

    def get(self, facts: ResponseFacts, parse: Callable[[bytes], Value]) -> Value:
        with self._lock:
            parsed = self._entries.get(facts, _NOT_PARSED)
        if parsed is _NOT_PARSED:
            try:
                parsed = parse(facts.body)
            except CheckProblem as problem:
                parsed = problem
            with self._lock:
                self._entries[facts] = parsed
        if isinstance(parsed, CheckProblem):
            raise CheckProblem(parsed.message)
        return parsed


_NOT_PARSED = object()
_JSON_CACHE = _ParsedCache()


def body_json(facts: ResponseFacts) -> Value:
    """The body parsed as JSON (orjson bounds the depth); CheckProblem when it is not."""
    require_complete(facts)
    return _JSON_CACHE.get(facts, lambda body: json_value(_decode(facts.content_type, body)))


def json_value(text: str | bytes, what: str = "The body") -> Value:
    """`text` parsed as JSON; CheckProblem saying where it is not (`what` names it)."""
    if not text.strip():
        raise CheckProblem(f"{what} is empty, not JSON")
    try:
        return parse_json(text)
    except ContentError as error:
        raise CheckProblem(f"{what} is not JSON: {error.message}") from None
    except RecursionError:
        raise CheckProblem(f"{what} is not JSON this check can read: nested too deeply") from None


# --------------------------------------------------------------------------- JSON queries


def jsonpath_query(document: Value, expression: str) -> Value:
    """RFC 9535 JSONPath: a singular query (`$.a.b[0]`) gives the value or MISSING, any
    other a NodeSet of the matches in document order."""
    expression = expression.strip()
    if not expression:
        raise CheckProblem("The JSONPath expression is empty")
    simple = simple_jsonpath(expression)
    if simple is not None:
        return _walk(document, simple)
    import jsonpath  # here, after the simple reader: importing it costs about 40 ms

    try:
        path = _compiled_jsonpath(expression)
        if isinstance(document, list | dict):
            matches = path.findall(document)
        else:
            # python-jsonpath would read a text document as JSON once more; a scalar
            # has nothing below it, so only the root itself can match.
            root = isinstance(path, jsonpath.JSONPath) and not path.segments
            matches = [document] if root else []
    except jsonpath.JSONPathError as error:
        raise CheckProblem(f"JSONPath {expression!r}: {_first_line(error)}") from None
    except RecursionError:
        raise CheckProblem(f"JSONPath {expression!r}: the document is nested too deeply") from None
    singular = isinstance(path, jsonpath.JSONPath) and path.singular_query()
    if singular:
        return matches[0] if matches else MISSING
    return NodeSet(matches)


# The singular queries most assertions are (`$.library.name`, `$.items[0].id`,
# `$['a b']`), read without python-jsonpath: importing it costs a run about 40 ms.
# The grammar is a strict subset of RFC 9535's, so what matches means the same there;
# anything else goes to the library.
_SEGMENT = re.compile(
    r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | \[[ \t\n\r]*(?:(?P<index>0|-?[1-9][0-9]{0,15})
                    |'(?P<single>[^'\\\x00-\x1f]*)'
                    |"(?P<double>[^"\\\x00-\x1f]*)")[ \t\n\r]*\]""",
    re.VERBOSE,
)


def simple_jsonpath(expression: str) -> list[str | int] | None:
    """The segments of a simple singular JSONPath (names and indexes), or None when
    the expression is anything else."""
    if not expression.startswith("$"):
        return None
    segments: list[str | int] = []
    position = 1
    while position < len(expression):
        match = _SEGMENT.match(expression, position)
        if match is None:
            return None
        position = match.end()
        if match.group("index") is not None:
            segments.append(int(match.group("index")))
        else:
            name = match.group("name") or match.group("single") or match.group("double")
            segments.append(name or "")
    return segments


def _walk(document: Value, segments: list[str | int]) -> Value:
    value = document
    for segment in segments:
        if isinstance(segment, int):
            if not isinstance(value, list) or not -len(value) <= segment < len(value):
                return MISSING
            value = value[segment]
        elif isinstance(value, dict) and segment in value:
            value = value[segment]
        else:
            return MISSING
    return value


@functools.lru_cache(maxsize=256)
def _compiled_jsonpath(expression: str) -> Any:
    """A compiled JSONPath: a run checks the same expressions on every response."""
    import jsonpath

    return jsonpath.compile(expression)


@functools.lru_cache(maxsize=256)
def _compiled_jmespath(expression: str) -> Any:
    import jmespath

    return jmespath.compile(expression)


def jmespath_query(document: Value, expression: str) -> Value:
    """JMESPath; its null result is null (JMESPath cannot tell a missing key from a
    null one; `exists` fails on both)."""
    from jmespath import exceptions

    if not expression.strip():
        raise CheckProblem("The JMESPath expression is empty")
    try:
        return _compiled_jmespath(expression).search(document)
    except exceptions.JMESPathError as error:
        raise CheckProblem(f"JMESPath {expression!r}: {_first_line(error)}") from None
    except RecursionError:
        raise CheckProblem(f"JMESPath {expression!r}: the document is nested too deeply") from None


# --------------------------------------------------------------------------- XPath


def body_xpath(facts: ResponseFacts, expression: str) -> Value:
    """XPath 1.0 on the body: parsed as HTML when the response says or looks like HTML,
    else as XML (no DTDs, entities or network)."""
    require_complete(facts)
    info = detect(facts.content_type, facts.body[:4096])
    return xpath_query(facts.body, expression, html=info.kind is ContentKind.HTML)


def xpath_query(data: bytes | str, expression: str, *, html: bool) -> Value:
    """XPath 1.0 on `data`. Functions (`string()`, `count()`, `boolean()`) give their
    scalar; a node-set gives a NodeSet of each node's string value."""
    from lxml import etree

    if not expression.strip():
        raise CheckProblem("The XPath expression is empty")
    try:
        etree.XPath(expression)  # a wrong expression is named before the body is parsed
    except (etree.XPathSyntaxError, ValueError) as error:  # ValueError: NUL, control chars
        raise CheckProblem(f"XPath {expression!r}: {_first_line(error)}") from None
    root = _parse_markup(data, html=html)
    namespaces = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
    if None in root.nsmap:  # Hurl's convention: `_` names the default namespace
        namespaces.setdefault("_", root.nsmap[None])
    try:
        result = root.xpath(expression, namespaces=namespaces)
    except (etree.XPathError, ValueError) as error:
        raise CheckProblem(f"XPath {expression!r}: {_first_line(error)}") from None
    return _xpath_value(result)


def _parse_markup(data: bytes | str, *, html: bool) -> etree._Element:
    from lxml import etree

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise CheckProblem("The body is empty, not " + ("HTML" if html else "XML"))
    parser: etree.XMLParser | etree.HTMLParser
    if html:
        parser = etree.HTMLParser(no_network=True, recover=True)
    else:
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise CheckProblem(f"The body is not well-formed XML: {_first_line(error)}") from None
    except ValueError as error:  # e.g. a str with an encoding declaration
        raise CheckProblem(f"The body cannot be read as markup: {_first_line(error)}") from None
    if root is None:
        raise CheckProblem("The body holds no " + ("HTML" if html else "XML") + " element")
    return root


def _xpath_value(result: object) -> Value:
    if isinstance(result, bool):
        return result
    if isinstance(result, float):
        return int(result) if result.is_integer() else result
    if isinstance(result, str):
        return str(result)
    if isinstance(result, list):
        return NodeSet(_node_text(node) for node in result)
    return str(result)


def _node_text(node: object) -> str:
    """The XPath string value of a node: an element's text content, an attribute's or a
    text node's value."""
    if isinstance(node, str):
        return str(node)
    itertext = getattr(node, "itertext", None)
    if itertext is not None:
        return "".join(itertext())
    return str(node)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
