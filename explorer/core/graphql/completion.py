"""What may be typed at the cursor of a GraphQL document, from the schema.

A document being typed rarely parses, so this does not parse it: a tolerant walk over
the tokens before the cursor keeps a stack of where it is (a selection set of some type,
the arguments of a field or directive, an input object or list value, an operation's
variable definitions), as graphql-language-service's online parser does for GraphiQL's
`getAutocompleteSuggestions`. Whatever the walk cannot place (an unknown field, a stray
token) leaves "unknown type" behind, so completion degrades to nothing rather than to
wrong names. Plain Python; bounded by `MAX_COMPLETION_CHARS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

# The walk starts at the definition the cursor is in (a line that starts with an
# operation keyword, "fragment" or "{"); past this much text from there it would cost
# more than a keystroke may (about 10 ms), and nothing is offered.
MAX_COMPLETION_CHARS = 24_000
_DEFINITION_START = re.compile(r"^(?:query|mutation|subscription|fragment)\b|^\{", re.MULTILINE)
MAX_CANDIDATES = 500

_TOKEN = re.compile(
    r"""(?P<template>\{\{[^{}\n]*\}\})
      |(?P<skip>[\s,\ufeff]+)
      |(?P<comment>\#[^\n\r]*)
      |(?P<block>\"\"\"(?:\\\"\"\"|[^"]|"(?!""))*(?:\"\"\"|$))
      |(?P<string>"(?:[^"\\\n\r]|\\.)*(?:"|$))
      |(?P<spread>\.\.\.)
      |(?P<name>[_A-Za-z][_0-9A-Za-z]*)
      |(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      |(?P<punct>[!$&()\[\]{}:=@|])
      |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_NAME_CHAR = re.compile(r"[_0-9A-Za-z]")
OPERATION_KEYWORDS = ("query", "mutation", "subscription", "fragment")
# Where a directive typed after "@" may stand, by the walk's frame (DirectiveLocation names).
_DIRECTIVE_PLACES = {
    "selection": {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"},
    "document": {"QUERY", "MUTATION", "SUBSCRIPTION", "FRAGMENT_DEFINITION"},
    "variables": {"VARIABLE_DEFINITION"},
}


@dataclass(frozen=True)
class Candidate:
    """One thing that may be typed: a field, argument, type, value, variable…"""

    label: str
    kind: str  # "field", "argument", "input field", "enum value", "type", "variable",
    # "directive", "keyword", "fragment"
    detail: str = ""  # its type ("[Item!]!") or what it is
    documentation: str = ""
    deprecated: bool = False
    insert: str = ""  # the text put in place of the word ("" = label)

    @property
    def text(self) -> str:
        return self.insert or self.label


@dataclass(frozen=True)
class Completion:
    """The candidates at a cursor, and the span of text a chosen one replaces."""

    candidates: tuple[Candidate, ...] = ()
    start: int = 0
    end: int = 0
    prefix: str = ""
    context: str = ""  # "fields of Item", "arguments of item", …: what the popup is about


@dataclass
class _Frame:
    kind: str  # "document", "selection", "fields" (arguments / input object), "list",
    # "variables"
    type: GraphQLNamedType | None = None  # selection: the parent type
    fields: dict[str, Any] = field(default_factory=dict)  # arguments or input fields
    closer: str = ""
    value_type: Any = None  # list: the item type; fields: the current one's type
    owner: str = ""  # what the arguments belong to ("item", "@include")
    expect: str = "start"
    used: set[str] = field(default_factory=set)
    pending: Any = None  # selection: the last field; document: the operation kind
    spread: int = 0  # selection: 1 after "...", 2 after "... on", 3 after its type
    spread_type: GraphQLNamedType | None = None
    alias: bool = False
    directive: Any = None  # the directive named after "@" (its arguments may follow)
    at: bool = False  # just after "@"


class _Walker:
    """The tolerant walk over the tokens before the cursor."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.stack: list[_Frame] = [_Frame("document")]
        self.variables: dict[str, str] = {}  # the current operation's, name -> type
        self.dollar = False  # the last token was "$"
        self.last = ""  # the last token's text

    @property
    def top(self) -> _Frame:
        return self.stack[-1]

    def feed(self, kind: str, text: str) -> None:
        frame = self.top
        was_dollar, self.dollar = self.dollar, False
        if text == "@" and kind == "punct":
            frame.at = True
        elif frame.at and kind == "name":
            frame.at = False
            frame.directive = self.schema.get_directive(text)
        elif frame.kind == "document":
            self._document(frame, kind, text)
        elif frame.kind == "selection":
            self._selection(frame, kind, text)
        elif frame.kind == "variables":
            self._variables(frame, kind, text, was_dollar)
        else:
            self._value_frame(frame, kind, text)
        if kind == "punct" and text == "$":
            self.dollar = True
        self.last = text

    def _push(self, frame: _Frame) -> None:
        if len(self.stack) < 200:  # a pathological nesting stops being followed
            self.stack.append(frame)

    def _pop(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()
        parent = self.top
        if parent.kind == "fields":
            parent.expect = "name"
        elif parent.kind == "document":
            parent.expect = "start"

    def _directive_arguments(self, frame: _Frame) -> bool:
        if frame.directive is None:
            return False
        self._push(
            _Frame(
                "fields",
                fields=dict(frame.directive.args),
                closer=")",
                owner="@" + frame.directive.name,
                expect="name",
            )
        )
        frame.directive = None
        return True

    def _document(self, frame: _Frame, kind: str, text: str) -> None:
        schema = self.schema
        if text == "(" and kind == "punct":
            if not self._directive_arguments(frame):
                self._push(_Frame("variables", closer=")", expect="var"))
            return
        if text == "{" and kind == "punct":
            if frame.expect == "fragment body":
                root: GraphQLNamedType | None = frame.spread_type
            else:
                root = {
                    "mutation": schema.mutation_type,
                    "subscription": schema.subscription_type,
                }.get(frame.pending or "query", schema.query_type)
            frame.directive = None
            self._push(_Frame("selection", type=root))
            return
        if kind != "name":
            return
        if frame.expect == "start":
            frame.directive = None
            if text in ("query", "mutation", "subscription"):
                frame.pending, frame.expect = text, "operation"
                self.variables = {}
            elif text == "fragment":
                frame.pending, frame.expect = "fragment", "fragment name"
        elif frame.expect == "fragment name":
            frame.expect = "on"
        elif frame.expect == "on" and text == "on":
            frame.expect = "fragment type"
        elif frame.expect == "fragment type":
            frame.spread_type = schema.get_type(text)
            frame.expect = "fragment body"

    def _selection(self, frame: _Frame, kind: str, text: str) -> None:
        if kind == "spread":
            frame.spread, frame.pending = 1, None
            return
        if kind == "name":
            if frame.spread == 1:
                frame.spread = 2 if text == "on" else 0
            elif frame.spread == 2:
                frame.spread_type = self.schema.get_type(text)
                frame.spread = 3
            else:
                frame.pending = _field_of(frame.type, text)
                frame.directive = None
            return
        if kind != "punct":
            return
        if text == "(":
            if not self._directive_arguments(frame):
                field_ = frame.pending
                args = dict(field_.args) if field_ is not None else {}
                owner = self.last if field_ is not None else ""
                self._push(_Frame("fields", fields=args, closer=")", owner=owner, expect="name"))
        elif text == "{":
            frame.directive = None
            if frame.spread == 3:
                inner: GraphQLNamedType | None = frame.spread_type
            elif frame.spread == 1:  # "... {": an inline fragment without a condition
                inner = frame.type
            else:
                inner = get_named_type(frame.pending.type) if frame.pending else None
            frame.spread, frame.pending = 0, None
            self._push(_Frame("selection", type=inner))
        elif text == "}":
            self._pop()

    def _variables(self, frame: _Frame, kind: str, text: str, was_dollar: bool) -> None:
        if kind == "punct" and text == frame.closer:
            self._pop()
        elif kind == "name" and was_dollar:
            frame.pending = text
            self.variables[text] = ""
            frame.expect = "colon"
        elif kind == "punct" and text == ":" and frame.expect == "colon":
            frame.expect = "type"
        elif kind == "name" and frame.expect == "type":
            if frame.pending:
                self.variables[frame.pending] = text
            frame.expect = "after type"
        elif kind == "punct" and text == "=":
            frame.expect = "default"
        elif kind == "punct" and text in "{[" and frame.expect == "default":
            self._push(
                _Frame(
                    "fields" if text == "{" else "list",
                    closer="}" if text == "{" else "]",
                    expect="name",
                )
            )

    def _value_frame(self, frame: _Frame, kind: str, text: str) -> None:
        in_list = frame.kind == "list"
        if kind == "punct" and text == frame.closer:
            self._pop()
            return
        if kind == "punct" and text == ":" and not in_list:
            frame.expect = "value"
            return
        if kind == "punct" and text == "$":
            return
        if not in_list and frame.expect == "name" and kind == "name":
            current = frame.fields.get(text)
            frame.used.add(text)
            frame.value_type = current.type if current is not None else None
            frame.expect = "colon"
            return
        expecting_value = in_list or frame.expect == "value"
        if not expecting_value:
            return
        if kind == "punct" and text in "{[":
            value_type = frame.value_type
            if text == "{":
                named = get_named_type(value_type) if value_type is not None else None
                fields = dict(named.fields) if isinstance(named, GraphQLInputObjectType) else {}
                self._push(
                    _Frame(
                        "fields",
                        fields=fields,
                        closer="}",
                        expect="name",
                        owner=named.name if named else "",
                    )
                )
            else:
                item = _unwrap_non_null(value_type)
                item = item.of_type if isinstance(item, GraphQLList) else None
                self._push(_Frame("list", closer="]", value_type=item, expect="value"))
            return
        if not in_list:
            frame.expect = "name"


def _unwrap_non_null(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _field_of(parent: GraphQLNamedType | None, name: str) -> Any:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None


def tokens(text: str) -> list[tuple[str, str, int, int]]:
    """The tokens of `text` as (kind, text, start, end); spaces and commas left out."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "skip":
            found.append((kind, match.group(), match.start(), match.end()))
    return found


def definition_start(text: str, cursor: int) -> int:
    """Where the definition the cursor is in starts: the last line before it that starts
    with an operation keyword, "fragment" or "{" (0 when there is none)."""
    begin = 0
    for match in _DEFINITION_START.finditer(text, 0, cursor):
        begin = match.start()
    return begin


def selection_type_at(schema: GraphQLSchema, text: str, cursor: int) -> GraphQLNamedType | None:
    """The type whose fields may be typed at `cursor`; None outside a selection set (or
    past `MAX_COMPLETION_CHARS` into its definition)."""
    begin = definition_start(text, cursor)
    if cursor - begin > MAX_COMPLETION_CHARS:
        return None
    walker = _Walker(schema)
    for kind, token, _s, _e in tokens(text[begin:cursor]):
        if kind not in ("comment", "other"):
            walker.feed(kind, token)
    frame = walker.top
    if frame.kind != "selection" or frame.spread or frame.at:
        return None
    return frame.type


def complete(schema: GraphQLSchema | None, text: str, cursor: int) -> Completion:
    """The candidates at `cursor` (an index into `text`), filtered by the word being
    typed (prefix first, then other matches). Nothing inside a string or a comment, and
    nothing without a schema, except the operation keywords."""
    cursor = max(0, min(cursor, len(text)))
    start = cursor
    while start > 0 and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    end = cursor  # the typed prefix is replaced, never the word after the cursor
    if start < cursor and text[start].isdigit():
        return Completion(start=start, end=end)  # a number is being typed
    begin = definition_start(text, start)
    if start - begin > MAX_COMPLETION_CHARS:
        return Completion(start=start, end=end, context="too large to complete as you type")
    before = tokens(text[begin:start])
    if before and before[-1][0] in ("comment", "block", "string") and _unclosed(before[-1]):
        return Completion(start=start, end=end)
    dollar = bool(before) and before[-1][1] == "$" and before[-1][0] == "punct"
    if dollar:
        start -= 1
    prefix = text[start:cursor]
    if schema is None:
        walker_candidates, context = _without_schema(before)
    else:
        walker = _Walker(schema)
        for kind, token, _s, _e in before:
            if kind not in ("comment", "other"):
                walker.feed(kind, token)
        walker_candidates, context = _candidates(walker, text)
    return Completion(_filtered(walker_candidates, prefix), start, end, prefix, context)


def _unclosed(token: tuple[str, str, int, int]) -> bool:
    kind, text = token[0], token[1]
    if kind == "comment":
        return True  # a comment runs to the end of the line, which is the cursor's
    if kind == "block":
        return len(text) < 6 or not text.endswith('"""')
    return len(text) < 2 or not text.endswith('"')


def _filtered(candidates: list[Candidate], prefix: str) -> tuple[Candidate, ...]:
    wanted = prefix.lower()
    starts = [c for c in candidates if c.label.lower().startswith(wanted)]
    # A word matched inside a name ("name" in "__typename") once two letters are typed.
    inside = [c for c in candidates if len(wanted) > 1 and wanted in c.label.lower()[1:]]
    seen: set[tuple[str, str]] = set()
    result = []
    for candidate in starts + inside:
        key = (candidate.label, candidate.kind)
        if key not in seen and not (candidate.label == prefix and len(starts) == 1):
            seen.add(key)
            result.append(candidate)
    return tuple(result[:MAX_CANDIDATES])


def _without_schema(before: list[tuple[str, str, int, int]]) -> tuple[list[Candidate], str]:
    depth = sum(1 if t[1] == "{" else -1 if t[1] == "}" else 0 for t in before if t[0] == "punct")
    if depth <= 0:
        return [Candidate(word, "keyword") for word in OPERATION_KEYWORDS], "definitions"
    return [], ""


def type_text(type_: Any) -> str:
    """A type as GraphQL writes it: "[Item!]!"."""
    return str(type_)


def _field_candidates(parent: GraphQLNamedType | None) -> tuple[list[Candidate], str]:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found = [
            Candidate(
                name,
                "field",
                type_text(f.type),
                f.description or "",
                f.deprecation_reason is not None,
            )
            for name, f in parent.fields.items()
        ]
        found.append(Candidate("__typename", "field", "String!", "The name of the object's type."))
        return found, f"fields of {parent.name}"
    if isinstance(parent, GraphQLUnionType):
        return [
            Candidate("__typename", "field", "String!", "The name of the object's type."),
            Candidate("... on", "keyword", "a fragment on one of its types", insert="... on "),
        ], f"{parent.name} is a union: pick a type with … on"
    return [], ""


def _type_candidates(types: list[GraphQLNamedType]) -> list[Candidate]:
    return [Candidate(t.name, "type", _kind_word(t), t.description or "") for t in types]


def _kind_word(type_: GraphQLNamedType) -> str:
    for cls, word in (
        (GraphQLObjectType, "object"),
        (GraphQLInterfaceType, "interface"),
        (GraphQLUnionType, "union"),
        (GraphQLEnumType, "enum"),
        (GraphQLInputObjectType, "input"),
        (GraphQLScalarType, "scalar"),
    ):
        if isinstance(type_, cls):
            return word
    return ""


def _possible_types(
    schema: GraphQLSchema, parent: GraphQLNamedType | None
) -> list[GraphQLNamedType]:
    if isinstance(parent, GraphQLUnionType | GraphQLInterfaceType):
        return [parent, *schema.get_possible_types(parent)]
    if parent is not None:
        return [parent]
    return _composite_types(schema)


def _composite_types(schema: GraphQLSchema) -> list[GraphQLNamedType]:
    kinds = (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)
    return [
        t
        for n, t in sorted(schema.type_map.items())
        if isinstance(t, kinds) and not n.startswith("__")
    ]


def _value_candidates(walker: _Walker, value_type: Any) -> list[Candidate]:
    found: list[Candidate] = []
    named = get_named_type(value_type) if value_type is not None else None
    if isinstance(named, GraphQLEnumType):
        found += [
            Candidate(
                name,
                "enum value",
                named.name,
                v.description or "",
                v.deprecation_reason is not None,
            )
            for name, v in named.values.items()
        ]
    elif isinstance(named, GraphQLScalarType) and named.name == "Boolean":
        found += [Candidate("true", "keyword", "Boolean"), Candidate("false", "keyword", "Boolean")]
    elif isinstance(named, GraphQLInputObjectType):
        found.append(Candidate("{ }", "keyword", f"an {named.name} object", insert="{ "))
    found += [
        Candidate("$" + name, "variable", declared or "declared in the operation")
        for name, declared in walker.variables.items()
    ]
    return found


def _candidates(walker: _Walker, text: str) -> tuple[list[Candidate], str]:
    schema, frame = walker.schema, walker.top
    if frame.at:
        where = _DIRECTIVE_PLACES.get(frame.kind, set())
        return [
            Candidate(
                d.name,
                "directive",
                ", ".join(str(loc.name).lower() for loc in d.locations),
                d.description or "",
            )
            for d in schema.directives
            if where & {loc.name for loc in d.locations}
        ], "directives"
    if walker.dollar and frame.kind in ("fields", "list"):
        return [Candidate("$" + n, "variable", t) for n, t in walker.variables.items()], "variables"
    if frame.kind == "document":
        if frame.expect == "start":
            return [Candidate(word, "keyword") for word in OPERATION_KEYWORDS], "definitions"
        if frame.expect == "on":
            return [Candidate("on", "keyword")], ""
        if frame.expect == "fragment type":
            return _type_candidates(_composite_types(schema)), "types"
        return [], ""
    if frame.kind == "selection":
        if frame.spread == 1:
            names = re.findall(r"\bfragment\s+([_A-Za-z]\w*)", text)
            return [Candidate("on", "keyword", "a fragment on a type")] + [
                Candidate(n, "fragment", "fragment") for n in dict.fromkeys(names)
            ], "fragments"
        if frame.spread == 2:
            return _type_candidates(_possible_types(schema, frame.type)), "types"
        return _field_candidates(frame.type)
    if frame.kind == "variables":
        if frame.expect == "type":
            inputs: list[GraphQLNamedType] = [
                t
                for n, t in sorted(schema.type_map.items())
                if isinstance(t, GraphQLScalarType | GraphQLEnumType | GraphQLInputObjectType)
                and not n.startswith("__")
            ]
            return _type_candidates(inputs), "input types"
        return [], ""
    if frame.kind == "list":
        return _value_candidates(walker, frame.value_type), "values"
    if frame.expect == "name":
        what = "arguments" if frame.closer == ")" else "input fields"
        kind = "argument" if frame.closer == ")" else "input field"
        return [
            Candidate(
                name,
                kind,
                type_text(arg.type),
                arg.description or "",
                getattr(arg, "deprecation_reason", None) is not None,
                insert=f"{name}: ",
            )
            for name, arg in frame.fields.items()
            if name not in frame.used
        ], f"{what} of {frame.owner}" if frame.owner else what
    if frame.expect == "value":
        return _value_candidates(walker, frame.value_type), "values"
    return [], ""
