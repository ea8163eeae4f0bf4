""".http named requests and the references to their responses, as captures and variables;
JetBrains response handlers as assertions and captures.

VS Code's REST Client names a request with `# @name login` and reads its response
elsewhere as `{{login.response.body.$.token}}` (JSONPath), `{{login.response.body.//id}}`
(XPath), `{{login.response.body.*}}` (the whole body), `{{login.response.body.token}}`
(httpyac: a member of the JSON body) or
`{{login.response.headers.Location}}`. Each distinct reference becomes one capture on
the named request under a generated variable name (`login_token`), and the reference
becomes `{{login_token}}`; the named request must run first. References to the request
part (`login.request.…`), to other parts than body and headers (kulala's `cookies`) or to
names not in the file stay as written and are reported.

A JetBrains handler (`> {% … %}` after a request) is translated by `jetbrains_handlers`:
its assertions and captures join the request, the rest is kept, never run, and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from explorer.core.collection import RequestItem, Variable
from explorer.core.model import Capture, Pair, Request, Subject
from explorer.core.translate.jetbrains_handlers import translate_handler

MAX_REFERENCES = 10_000  # distinct references in one file; more stay as written
_NAME = re.compile(r"^(?:#|//)\s*@name\s*=?\s*(\S+)\s*$")
_REFERENCE = re.compile(
    r"\{\{\s*([A-Za-z0-9_-]+)\.(response|request)\.([A-Za-z]+)\.([^{}\n]*?)\s*\}\}"
)
_HANDLER_START = ("> {%", ">{%")
_MEMBER_PATH = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*|\[\d+\])*")


@dataclass
class HttpLinks:
    """Collects, request by request, the names and handlers of one .http file; then
    links the references (`finish`)."""

    named: dict[str, int] = field(default_factory=dict)  # @name -> index of its item
    variables: dict[tuple[str, Subject, str], str] = field(default_factory=dict)
    captures: dict[int, list[Capture]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    converted: int = 0
    total: int = 0

    def add(self, request: Request, lines: list[str], index: int) -> Request:
        """The request of one block with its handler's rows; remembers its @name."""
        for line in lines:
            named = _NAME.match(line.strip())
            if named:
                self.named.setdefault(named.group(1), index)
                break
        source = handler_source(lines)
        if not source.strip():
            return request
        translation = translate_handler(source)
        self.converted += translation.converted
        self.total += translation.total
        if translation.kept:
            self.notes.append(
                f"The response handler of {request.name!r}: {translation.unconverted} of "
                f"{translation.total} statements kept as JavaScript (not run)."
            )
        return request.with_changes(
            assertions=request.assertions + translation.assertions,
            captures=request.captures + translation.captures,
            scripts=replace(request.scripts, kept_post_response=translation.kept),
        )

    def finish(self, items: list[RequestItem], variables: dict[str, Variable]) -> list[RequestItem]:
        """Every reference to a named response as a `{{variable}}` captured by the named
        request; the file variables are changed in place."""
        linked = [replace(item, request=_map_request(item.request, self._link)) for item in items]
        for name, variable in list(variables.items()):
            variables[name] = replace(variable, value=self._link(variable.value))
        for index, captures in self.captures.items():
            request = linked[index].request
            linked[index] = replace(
                linked[index],
                request=request.with_changes(captures=request.captures + tuple(captures)),
            )
        if self.total:
            rest = self.total - self.converted
            tail = f"; the other {rest} are kept (shown, not run)" if rest else ""
            self.notes.insert(
                0,
                f"JetBrains response handlers: converted {self.converted} of {self.total} "
                f"statements into assertions and captures{tail}.",
            )
        return linked

    def _link(self, text: str) -> str:
        if "{{" not in text:
            return text
        return _REFERENCE.sub(self._variable, text)

    def _variable(self, match: re.Match[str]) -> str:
        name, part, where, path = match.groups()
        index = self.named.get(name)
        reference = _subject(where, path.strip())
        if index is None or part != "response" or reference is None:
            self.notes.append(f"The reference {match.group()} was left as written.")
            return match.group()
        key = (name, *reference)
        variable = self.variables.get(key)
        if variable is None:
            if len(self.variables) >= MAX_REFERENCES:
                return match.group()
            variable = self._unique(_variable_name(name, reference[1] or reference[0].value))
            self.variables[key] = variable
            self.captures.setdefault(index, []).append(Capture(variable, *reference))
            self.notes.append(
                f"{match.group()} became {{{{{variable}}}}}, captured by the request named "
                f"{name!r}: run it first."
            )
        return "{{" + variable + "}}"

    def _unique(self, name: str) -> str:
        taken = set(self.variables.values())
        number = 2
        candidate = name
        while candidate in taken:
            candidate = f"{name}_{number}"
            number += 1
        return candidate


def handler_source(lines: list[str]) -> str:
    """The JavaScript of the `> {% … %}` handlers among a request's lines."""
    out: list[str] = []
    inside = False
    for line in lines:
        stripped = line.strip()
        if not inside and stripped.startswith(_HANDLER_START):
            rest = stripped[stripped.index("{%") + 2 :]
            if "%}" in rest:
                out.append(rest[: rest.index("%}")])
            else:
                if rest.strip():
                    out.append(rest)
                inside = True
        elif inside:
            if "%}" in line:
                out.append(line[: line.index("%}")])
                inside = False
            else:
                out.append(line)
    source = "\n".join(out).strip("\n")
    return source + "\n" if source else ""


def _subject(where: str, path: str) -> tuple[Subject, str] | None:
    if where not in ("body", "headers"):  # kulala's `cookies.NAME.value` and the like
        return None
    if where == "headers":
        return (Subject.HEADER, path) if path else None
    if path == "*":
        return Subject.BODY, ""
    if path.startswith("$"):
        return Subject.JSONPATH, path
    if path.startswith("/"):
        return Subject.XPATH, path
    if _MEMBER_PATH.fullmatch(path):  # httpyac reads `body.token` as a member of the JSON
        return Subject.JSONPATH, "$." + path
    return None


def _variable_name(request: str, argument: str) -> str:
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", argument)
    last = words[-1] if words else "body"
    base = re.sub(r"[^A-Za-z0-9_]+", "_", f"{request}_{last}").strip("_").lower()[:60]
    return base if re.match(r"[A-Za-z_]", base) else f"r_{base}"


def _map_request(request: Request, change: Callable[[str], str]) -> Request:
    """`request` with `change` applied to every text a variable may be written in."""

    def pairs(values: tuple[Pair, ...]) -> tuple[Pair, ...]:
        return tuple(replace(p, name=change(p.name), value=change(p.value)) for p in values)

    body = request.body
    auth = request.auth
    return request.with_changes(
        url=change(request.url),
        params=pairs(request.params),
        path_params=pairs(request.path_params),
        headers=pairs(request.headers),
        body=replace(
            body,
            text=change(body.text),
            form=pairs(body.form),
            parts=tuple(replace(part, value=change(part.value)) for part in body.parts),
            graphql=replace(
                body.graphql,
                query=change(body.graphql.query),
                variables=change(body.graphql.variables),
                operation_name=change(body.graphql.operation_name),
            ),
        ),
        # replace, not new records: every part of the body and auth a reference cannot
        # be written in (OAuth and signing settings among them) stays as it was.
        auth=replace(
            auth,
            username=change(auth.username),
            password=change(auth.password),
            token=change(auth.token),
            key_value=change(auth.key_value),
        ),
    )


__all__ = ["HttpLinks", "handler_source"]
