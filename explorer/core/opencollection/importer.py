"""An OpenCollection tree as a collection: folders, requests, request defaults (headers,
auth, variables, scripts, post-response actions) on the collection and its folders,
environments, and a report of what was not carried over.

The tree is the same whether it came from one bundled YAML file (`items` inline) or
from a collection folder (`folder` reads one file per request); each node carries the
place it came from for messages. Our folders and requests have no variables of their
own: a folder's or request's `variables` are written into the requests below it (as the
Bruno importer does), and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats.common import (
    MAX_FOLDER_DEPTH,
    FormatError,
    ImportResult,
    substitute_variables,
)
from explorer.core.formats.document import as_dict, as_list, as_text, child
from explorer.core.model import Auth, AuthKind
from explorer.core.opencollection.requests import (
    Notes,
    auth,
    checks,
    description,
    pairs,
    request,
    scripts,
    variable_value,
)

_SENT = ("http", "graphql")
_SKIPPED = {"grpc": "gRPC", "websocket": "WebSocket", "script": "script file", "app": "app"}


@dataclass
class Node:
    """One item of the tree: its data, where it came from, and (a folder's) children."""

    path: str
    data: dict[str, Any]
    children: list[Node] = field(default_factory=list)
    folder: bool = False


def bundled_nodes(items: Any, path: str, depth: int = 1) -> list[Node]:
    """The nodes of a bundled file's `items` (folders hold their own `items`)."""
    nodes = []
    for index, value in enumerate(as_list(items, path)):
        where = child(path, index)
        data = as_dict(value, where)
        if _kind(data) == "folder":
            if depth > MAX_FOLDER_DEPTH:
                raise FormatError(
                    f"Folders are nested more than {MAX_FOLDER_DEPTH} levels deep", where
                )
            inner = bundled_nodes(data.get("items"), child(where, "items"), depth + 1)
            nodes.append(Node(where, data, inner, folder=True))
        else:
            nodes.append(Node(where, data))
    return nodes


def _kind(data: dict[str, Any]) -> str:
    info = data.get("info")
    kind = info.get("type") if isinstance(info, dict) else None
    if isinstance(kind, str) and kind:
        return kind
    for key in ("http", "graphql", "grpc", "websocket"):
        if key in data:
            return key
    return "folder" if "items" in data else str(data.get("type") or "unknown")


def check_root(document: dict[str, Any]) -> None:
    """Refuse what is not an OpenCollection 1.x collection, saying what it is."""
    version = document.get("opencollection")
    if not isinstance(version, (str, int, float)):
        raise FormatError("Not an OpenCollection file: no 'opencollection' version", "$")
    if not str(version).startswith("1"):
        raise FormatError(
            f"OpenCollection version {version} is not supported (1.x is)", "$.opencollection"
        )
    info = document.get("info")
    if isinstance(info, dict) and info.get("type") == "workspace":
        raise FormatError(
            "This is a Bruno workspace (workspace.yml), not a collection: import the "
            "collection folders it lists",
            "$.info.type",
        )


def build(root: dict[str, Any], nodes: list[Node], fallback: str, notes: Notes) -> ImportResult:
    """The collection of `root` (the collection's own fields) and its item nodes."""
    info = as_dict(root.get("info"), "$.info")
    defaults = as_dict(root.get("request"), "$.request")
    config = as_dict(root.get("config"), "$.config")
    variables = _variables(defaults.get("variables"), "$.request.variables", notes)
    headers = pairs(defaults.get("headers"), "$.request.headers", notes)
    name = as_text(info.get("name"), "$.info.name") or fallback
    collection_auth = auth(defaults.get("auth"), "$.request.auth", Auth(), name, notes)
    rows, captures, kept = checks(defaults, "$.request", notes)
    collection_scripts = scripts(defaults.get("scripts"), "$.request.scripts", notes, kept)
    items = _items(nodes, {}, notes)
    environments = _environments(config.get("environments"), "$.config.environments", notes)
    _config_notes(config, notes)
    collection = Collection(
        name=name,
        items=items,
        description="\n\n".join(
            text
            for text in (
                as_text(info.get("summary"), "$.info.summary"),
                description(root.get("docs"), "$.docs"),
            )
            if text
        ),
        variables=variables,
        headers=headers,
        auth=collection_auth,
        environments=environments,
        assertions=rows,
        captures=captures,
        scripts=collection_scripts,
    )
    return ImportResult(collection, environments, tuple(_report(notes)))


def _items(
    nodes: list[Node], scope: dict[str, str], notes: Notes
) -> tuple[Folder | RequestItem, ...]:
    ordered = sorted(enumerate(nodes), key=lambda pair: (_seq(pair[1]), pair[0]))
    items: list[Folder | RequestItem] = []
    for _, node in ordered:
        kind = "folder" if node.folder else _kind(node.data)
        if kind == "folder":
            items.append(_folder(node, scope, notes))
        elif kind in _SENT:
            built = request(node.data, node.path, kind, notes)
            own = _request_variables(node, notes)
            values = {**scope, **own}
            if values:
                built = substitute_variables(built, values)
            items.append(RequestItem(built))
        else:
            notes.counts[f"skipped:{_SKIPPED.get(kind, kind)}"] += 1
    return tuple(items)


def _seq(node: Node) -> float:
    info = node.data.get("info")
    seq = info.get("seq") if isinstance(info, dict) else None
    if isinstance(seq, (int, float)) and not isinstance(seq, bool):
        try:
            return float(seq)
        except OverflowError:
            return float("inf")
    return float("inf")


def _folder(node: Node, scope: dict[str, str], notes: Notes) -> Folder:
    info = as_dict(node.data.get("info"), child(node.path, "info"))
    name = as_text(info.get("name"), child(node.path, "info.name")) or "Folder"
    defaults_path = child(node.path, "request")
    defaults = as_dict(node.data.get("request"), defaults_path)
    own = _variables(defaults.get("variables"), child(defaults_path, "variables"), notes)
    if own:
        notes.counts["folder_variables"] += len(own)
    inner = {**scope, **{v.name: v.value for v in own if v.enabled}}
    rows, captures, kept = checks(defaults, defaults_path, notes)
    return Folder(
        name,
        _items(node.children, inner, notes),
        description=description(node.data.get("docs"), child(node.path, "docs")),
        headers=pairs(defaults.get("headers"), child(defaults_path, "headers"), notes),
        auth=auth(
            defaults.get("auth"), child(defaults_path, "auth"), Auth(AuthKind.INHERIT), name, notes
        ),
        assertions=rows,
        captures=captures,
        scripts=scripts(defaults.get("scripts"), child(defaults_path, "scripts"), notes, kept),
    )


def _request_variables(node: Node, notes: Notes) -> dict[str, str]:
    runtime = as_dict(node.data.get("runtime"), child(node.path, "runtime"))
    path = child(child(node.path, "runtime"), "variables")
    own = _variables(runtime.get("variables"), path, notes)
    notes.counts["request_variables"] += len(own)
    return {v.name: v.value for v in own if v.enabled}


def _variables(value: Any, path: str, notes: Notes) -> tuple[Variable, ...]:
    found = []
    for index, item in enumerate(as_list(value, path)):
        where = child(path, index)
        entry = as_dict(item, where)
        name = as_text(entry.get("name"), child(where, "name"))
        if not name:
            continue
        enabled = entry.get("disabled") is not True
        if entry.get("secret") is True:
            found.append(Variable(name, "", secret=True, enabled=enabled))
            notes.counts["secrets"] += 1
        else:
            text = variable_value(entry.get("value"), child(where, "value"), notes)
            found.append(Variable(name, text, enabled=enabled))
    return tuple(found)


def _environments(value: Any, path: str, notes: Notes) -> tuple[Environment, ...]:
    entries = [
        (child(path, index), as_dict(item, child(path, index)))
        for index, item in enumerate(as_list(value, path))
    ]
    own: dict[str, tuple[Variable, ...]] = {}
    parents: dict[str, str] = {}
    for where, entry in entries:
        name = as_text(entry.get("name"), child(where, "name")) or "Environment"
        own[name] = _variables(entry.get("variables"), child(where, "variables"), notes)
        parents[name] = as_text(entry.get("extends"), child(where, "extends"))
        for key, words in (
            ("externalSecrets", "external secret providers"),
            ("dotEnvFilePath", ".env files"),
            ("clientCertificates", "client certificates"),
        ):
            if entry.get(key):
                notes.counts[f"environment:{words}"] += 1
    environments = []
    for name in own:
        chain = [name]
        while parents.get(chain[-1]) in own and parents[chain[-1]] not in chain:
            chain.append(parents[chain[-1]])
        if len(chain) > 1:
            notes.counts["extends"] += 1
        merged: dict[str, Variable] = {}
        for link in reversed(chain):  # the furthest ancestor first, the environment last
            merged.update({variable.name: variable for variable in own[link]})
        environments.append(Environment(name, tuple(merged.values())))
    return tuple(environments)


def _config_notes(config: dict[str, Any], notes: Notes) -> None:
    if config.get("proxy"):
        notes.lines.append(
            "The collection's proxy setting was not imported: set it in Preferences."
        )
    if config.get("clientCertificates"):
        count = len(as_list(config.get("clientCertificates"), "$.config.clientCertificates"))
        notes.lines.append(
            f"The collection's client certificates ({count}) were not imported: set them in "
            "the request options."
        )


def _report(notes: Notes) -> list[str]:
    counts = notes.counts
    lines = list(notes.lines)
    sentences = {
        "scripts": "Scripts (JavaScript) were kept as written, shown with their request or "
        "folder and never run",
        "hooks": "Hook scripts were kept with the pre-request scripts, never run",
        "assertions_kept": "Assertions that have no equivalent row were kept as comments with "
        "the scripts",
        "actions_kept": "Actions that have no equivalent capture were kept as comments with "
        "the scripts",
        "variants": "Body and variable variants other than the selected one were not imported",
        "request_variables": "Request variables were written into their requests, which have "
        "no variables of their own",
        "folder_variables": "Folder variables were written into the requests below them, "
        "which have no variables of their own",
        "secrets": "Secret variables came without values (OpenCollection never holds them): "
        "fill them in before sending",
        "extends": "Environments that extend another were given the variables they inherit",
        "descriptions": "Descriptions of headers, parameters or form fields were not kept",
        "tags": "Request tags were not kept",
        "forward": "Requests that forward credentials on a redirect to another host in Bruno "
        "do not here unless 'trust redirects' is set in their options",
        "omit": "Requests that omit default headers send them here",
    }
    for key, sentence in sentences.items():
        if counts[key]:
            lines.append(f"{sentence} ({counts[key]}).")
    for key, count in sorted(counts.items()):
        if key.startswith("skipped:"):
            lines.append(
                f"{key[8:]} items are not sent by API Explorer and were skipped ({count})."
            )
        elif key.startswith("environment:"):
            lines.append(f"Environment {key[12:]} were not imported ({count}).")
    return lines
