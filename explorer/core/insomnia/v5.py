"""Insomnia v5 files (YAML, what Insomnia writes now): `type: collection.insomnia.rest/5.0`.

A v5 file is a tree: `collection:` lists requests and folders (a folder has
`children`), each with a `meta` (id, description, sortKey); `environments:` is the base
environment with `subEnvironments`; `cookieJar`, `certificates` and `testSuites` may
follow. A design document (`spec.insomnia.rest/5.0`) adds `spec.contents`, the OpenAPI
document itself. As Insomnia's own importer does, the tree is turned into the flat
resource list of a v4 export and built by `common.ResourceImporter`, so both versions
carry the same fields. A design without requests is imported through the OpenAPI
importer; one with requests keeps its requests and writes the document beside them.
Environment files (`environment.insomnia.rest/5.0`) bring variables and environments;
mock servers and MCP clients have no equivalent and are reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from explorer.core.collection import Collection, walk_requests
from explorer.core.formats.common import MAX_FOLDER_DEPTH, FormatError, ImportResult
from explorer.core.formats.document import as_dict, as_list, as_text, child
from explorer.core.insomnia.common import ResourceImporter, Row

# `collection.insomnia.rest/5.0`, `spec.…`, `environment.…`, `mock.…`, and
# `mcpClient.insomnia/5.0` (which leaves out `.rest` on purpose).
_TYPE = re.compile(r"^(collection|spec|environment|mock|mcpClient)\.insomnia(?:\.rest)?/5\.\d+$")
_WORKSPACE = "__WORKSPACE_ID__"
_SPEC_FILE = "openapi.json"  # as the OpenAPI importer names it


def is_insomnia_v5(document: Any) -> bool:
    """Whether a loaded document is an Insomnia v5 file (collection, design document,
    environment, mock server or MCP client)."""
    return isinstance(document, dict) and _kind(document) is not None


def _kind(document: dict[str, Any]) -> str | None:
    kind = document.get("type")
    match = _TYPE.match(kind) if isinstance(kind, str) else None
    return match.group(1) if match else None


def import_v5(document: dict[str, Any]) -> ImportResult:
    """Import a loaded Insomnia v5 file."""
    kind = _kind(document)
    if kind is None:
        raise FormatError("Not an Insomnia v5 file: unknown type", "$.type")
    tree = _Tree()
    meta = as_dict(document.get("meta"), "$.meta")
    workspace = tree.id(meta.get("id"), "$", _WORKSPACE)
    name = as_text(document.get("name"), "$.name")
    tree.add("$", "workspace", workspace, None, name=name, description=meta.get("description"))
    tree.environments(document.get("environments"), workspace)
    tree.cookie_jar(document.get("cookieJar"), workspace)
    tree.items(as_list(document.get("collection"), "$.collection"), "$.collection", workspace)
    tree.test_suites(document.get("testSuites"), workspace)
    if kind == "mock":
        tree.mock(document)
    if kind == "environment":
        tree.notes.append("This is an Insomnia environment file: it holds no requests.")
    if kind == "mcpClient":
        tree.notes.append(
            "This is an Insomnia MCP client: MCP requests have no equivalent here and "
            "were not imported."
        )
    certificates = as_list(document.get("certificates"), "$.certificates")
    if certificates:
        tree.notes.append(
            f"The collection's CA certificates were not imported ({len(certificates)}): "
            "set them in the request options."
        )
    result = ResourceImporter(tree.rows, "v5").run(fallback=name or "Insomnia")
    result = replace(result, report=(*tree.notes, *result.report))
    if "spec" in document:
        result = _with_spec(result, as_dict(document.get("spec"), "$.spec"))
    return result


class _Tree:
    """The resources (v4 rows) made from a v5 tree, with unique ids."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.seen: set[str] = set()
        self.notes: list[str] = []

    def id(self, value: Any, path: str, fallback: str = "") -> str:
        """The item's own id when it has a unique one (response tags name it), else one
        made from its path (a copied item keeps its id in Insomnia files)."""
        wanted = value if isinstance(value, str) and value else fallback or f"__{path}__"
        if wanted in self.seen:
            wanted = f"__{path}__"
        self.seen.add(wanted)
        return wanted

    def add(self, path: str, type: str, id: str, parent: str | None, **fields: Any) -> None:
        data = {"_id": id, "_type": type, "parentId": parent}
        data.update({key: value for key, value in fields.items() if value is not None})
        self.rows.append(Row(path, data))

    # --- requests and folders ------------------------------------------------------

    def items(self, items: list[Any], path: str, parent: str, depth: int = 1) -> None:
        for index, value in enumerate(items):
            item_path = child(path, index)
            item = as_dict(value, item_path)
            meta = as_dict(item.get("meta"), child(item_path, "meta"))
            item_id = str(meta.get("id") or "")
            common = {
                "name": item.get("name"),
                "description": meta.get("description"),
                "metaSortKey": meta.get("sortKey"),
                "headers": item.get("headers"),
                "authentication": item.get("authentication"),
                **_scripts(item, item_path),
            }
            if "children" in item or item_id.startswith("fld_"):
                if depth > MAX_FOLDER_DEPTH:
                    message = f"Folders are nested more than {MAX_FOLDER_DEPTH} levels deep"
                    raise FormatError(message, item_path)
                folder = self.id(item_id, item_path)
                self.add(
                    item_path,
                    "request_group",
                    folder,
                    parent,
                    environment=item.get("environment"),
                    **common,
                )
                children = as_list(item.get("children"), child(item_path, "children"))
                self.items(children, child(item_path, "children"), folder, depth + 1)
            elif "method" in item:
                settings = as_dict(item.get("settings"), child(item_path, "settings"))
                cookies = as_dict(settings.get("cookies"), child(item_path, "settings.cookies"))
                self.add(
                    item_path,
                    "request",
                    self.id(item_id, item_path),
                    parent,
                    url=item.get("url"),
                    method=item.get("method"),
                    body=item.get("body"),
                    parameters=item.get("parameters"),
                    pathParameters=item.get("pathParameters"),
                    settingFollowRedirects=settings.get("followRedirects"),
                    settingEncodeUrl=settings.get("encodeUrl"),
                    settingDisableRenderRequestBody=_negated(settings.get("renderRequestBody")),
                    settingSendCookies=cookies.get("send"),
                    settingStoreCookies=cookies.get("store"),
                    **common,
                )
            elif _other_kind(item, item_id) == "websocket_request":  # a WS request
                fields = {"url": item.get("url"), "parameters": item.get("parameters")}
                self.add(item_path, "websocket_request", self.id(item_id, item_path), parent,
                         **fields, **common)  # fmt: skip
            else:
                self.add(item_path, _other_kind(item, item_id), self.id(item_id, item_path), parent)

    # --- environments, cookies, tests, mocks -----------------------------------------

    def environments(self, value: Any, workspace: str) -> None:
        if value is None:
            return
        base = as_dict(value, "$.environments")
        base_id = self.id(self._meta_id(base, "$.environments"), "$.environments")
        self.add("$.environments", "environment", base_id, workspace, **_environment(base))
        path = "$.environments.subEnvironments"
        for index, item in enumerate(as_list(base.get("subEnvironments"), path)):
            item_path = child(path, index)
            sub = as_dict(item, item_path)
            sub_id = self.id(self._meta_id(sub, item_path), item_path)
            self.add(item_path, "environment", sub_id, base_id, **_environment(sub))

    def _meta_id(self, item: dict[str, Any], path: str) -> Any:
        return as_dict(item.get("meta"), child(path, "meta")).get("id")

    def cookie_jar(self, value: Any, workspace: str) -> None:
        if value is not None:
            jar = as_dict(value, "$.cookieJar")
            jar_id = self.id(self._meta_id(jar, "$.cookieJar"), "$.cookieJar")
            self.add("$.cookieJar", "cookie_jar", jar_id, workspace, cookies=jar.get("cookies"))

    def test_suites(self, value: Any, workspace: str) -> None:
        suites = as_list(value, "$.testSuites")
        tests = 0
        for index, item in enumerate(suites):
            suite = as_dict(item, child("$.testSuites", index))
            tests += len(as_list(suite.get("tests"), child(child("$.testSuites", index), "tests")))
        if suites:
            self.notes.append(
                f"The design's unit test suites ({len(suites)}, {tests} tests) were not "
                "imported: their JavaScript has no equivalent here."
            )

    def mock(self, document: dict[str, Any]) -> None:
        routes = as_list(document.get("routes"), "$.routes")
        self.notes.append(
            f"This is an Insomnia mock server ({len(routes)} routes): mock servers answer "
            "requests rather than send them, and were not imported."
        )


def _scripts(item: dict[str, Any], path: str) -> dict[str, Any]:
    scripts = as_dict(item.get("scripts"), child(path, "scripts"))
    return {
        "preRequestScript": scripts.get("preRequest"),
        "afterResponseScript": scripts.get("afterResponse"),
    }


def _negated(value: Any) -> Any:
    return (not value) if isinstance(value, bool) else None


def _other_kind(item: dict[str, Any], item_id: str) -> str:
    """The resource type of an item that is neither a request nor a folder (reported)."""
    if "reflectionApi" in item or "protoMethodName" in item or item_id.startswith("greq_"):
        return "grpc_request"
    if item_id.startswith("ws-req"):
        return "websocket_request"
    if item_id.startswith("socketio-req"):
        return "socketio_request"
    return "unknown_item"


def _environment(item: dict[str, Any]) -> dict[str, Any]:
    found = item.get("meta")
    meta: dict[str, Any] = found if isinstance(found, dict) else {}
    return {
        "name": item.get("name"),
        "data": item.get("data"),
        "kvPairData": item.get("kvPairData"),
        "isPrivate": bool(item.get("isPrivate") or meta.get("isPrivate")),
        "metaSortKey": meta.get("sortKey"),
    }


# --- design documents ------------------------------------------------------------------


def _with_spec(result: ImportResult, spec: dict[str, Any]) -> ImportResult:
    """The result with the design document's OpenAPI: imported when the design has no
    requests of its own, else written beside them."""
    if spec.get("file"):
        file = as_text(spec.get("file"), "$.spec.file")
        note = f"The API document is in a file of its own ({file}), not in this export."
        return replace(result, report=(*result.report, note))
    contents = spec.get("contents")
    if isinstance(contents, str):
        text = contents
    elif isinstance(contents, dict) and contents:
        text = json.dumps(contents, ensure_ascii=False)
    else:
        return result
    if walk_requests(result.collection):
        from explorer.core.formats.document import load_document

        document = json.dumps(load_document(text), indent=2, ensure_ascii=False, default=str)
        note = (
            f"The design's OpenAPI document was written beside the collection as "
            f"{_SPEC_FILE}; the requests are the design's own."
        )
        return replace(
            result,
            report=(*result.report, note),
            files=(*result.files, (_SPEC_FILE, document.encode("utf-8"))),
        )
    return _openapi(result, text)


def _openapi(result: ImportResult, text: str) -> ImportResult:
    from explorer.core.formats.openapi import import_openapi

    try:
        api = import_openapi(text)
    except FormatError as error:
        location = error.location
        where = "$.spec.contents" + location[1:] if location.startswith("$") else location
        raise FormatError(f"In the design's OpenAPI document: {error.message}", where) from None
    own = result.collection
    names = {variable.name for variable in api.collection.variables}
    collection: Collection = replace(
        api.collection,
        name=own.name or api.collection.name,
        description=api.collection.description or own.description,
        variables=(
            *api.collection.variables,
            *(variable for variable in own.variables if variable.name not in names),
        ),
        environments=(*api.collection.environments, *own.environments),
    )
    note = "The design's requests were made from its OpenAPI document."
    return ImportResult(
        collection,
        collection.environments,
        (*result.report, note, *api.report),
        (*result.files, *api.files),
    )
