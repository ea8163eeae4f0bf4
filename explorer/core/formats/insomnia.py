"""Import Insomnia v4 exports (JSON or YAML).

An export is a flat list of resources linked by `parentId`: workspaces, request groups
(folders), requests and environments (a base environment per workspace, with
sub-environments under it). Insomnia writes variables `{{ _.name }}`; they become
`{{name}}`. Template tags (`{% … %}`) and auth types without an equivalent are reported.
"""

from __future__ import annotations

import json
import re
from typing import Any

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats.common import (
    MAX_FOLDER_DEPTH,
    FormatError,
    ImportResult,
    path_param_names,
    split_url,
)
from explorer.core.formats.document import as_dict, as_list, as_text, child, load_document
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Options, Pair, Part, Request
from explorer.core.translate.insomnia_tags import ResponseTags

_VARIABLE = re.compile(r"\{\{\s*_\.([\w.\-\[\]'\"]+?)\s*\}\}")
_TAG = re.compile(r"\{%.*?%\}")


def import_insomnia(text: str) -> ImportResult:
    """Import an Insomnia v4 export."""
    document = as_dict(load_document(text), "$")
    if str(document.get("type", "")).startswith("collection.insomnia"):
        raise FormatError("Insomnia v5 files are not supported: export as v4 (JSON)", "$.type")
    if document.get("__export_format") != 4:
        raise FormatError(
            "Not an Insomnia v4 export: __export_format must be 4", "$.__export_format"
        )
    return _Importer(as_list(document.get("resources"), "$.resources")).run()


class _Importer:
    """Builds the tree from the flat resource list."""

    def __init__(self, resources: list[Any]) -> None:
        self.report: list[str] = []
        self.paths: dict[str, str] = {}
        self.children: dict[str, list[dict[str, Any]]] = {}
        self.rows: list[dict[str, Any]] = []
        for index, value in enumerate(resources):
            path = child("$.resources", index)
            row = as_dict(value, path)
            self.rows.append(row)
            self.paths[str(row.get("_id"))] = path
            self.children.setdefault(str(row.get("parentId")), []).append(row)
        # Response tags become captures on the request they read (core/translate).
        requests = (row for row in self.rows if row.get("_type") == "request")
        self.tags = ResponseTags({str(row.get("_id")): str(row.get("name")) for row in requests})
        self.tags.scan(self.rows)

    def run(self) -> ImportResult:
        workspaces = [row for row in self.rows if row.get("_type") == "workspace"]
        if len(workspaces) == 1:
            workspace = workspaces[0]
            name = self._text(workspace, "name") or "Insomnia"
            items = self._items(str(workspace.get("_id")))
            variables, environments = self._environments(str(workspace.get("_id")))
            description = self._text(workspace, "description")
        else:
            name, description, variables, environments = "Insomnia", "", (), ()
            items = tuple(
                Folder(self._text(ws, "name") or "Workspace", self._items(str(ws.get("_id"))))
                for ws in workspaces
            )
            if len(workspaces) > 1:
                self.report.append(
                    "Several workspaces became folders; their environments were not kept."
                )
            else:  # requests without a workspace (a partial export)
                items = self._items("None") + self._items("__WORKSPACE_ID__")
        skipped = {str(row.get("_type")) for row in self.rows} - {
            "workspace",
            "request_group",
            "request",
            "environment",
            "cookie_jar",
            "api_spec",
        }
        for kind in sorted(skipped):
            self.report.append(f"Insomnia {kind} resources were not imported.")
        self.report += self.tags.notes
        collection = Collection(name, items, description, variables, environments=environments)
        return ImportResult(collection, environments, tuple(dict.fromkeys(self.report)))

    def _text(self, row: dict[str, Any], key: str) -> str:
        path = child(self.paths.get(str(row.get("_id")), "$"), key)
        value = self.tags.replace(as_text(row.get(key), path))
        if _TAG.search(value):
            self.report.append(f"A template tag ({{% … %}}) was kept as text at {path}.")
        return _VARIABLE.sub(lambda m: "{{" + m.group(1) + "}}", value)

    def _items(self, parent: str, depth: int = 1) -> tuple[Folder | RequestItem, ...]:
        """The children of `parent`; its folders are `depth` levels deep (1 at the top)."""
        rows = sorted(self.children.get(parent, []), key=_sort_key)
        items: list[Folder | RequestItem] = []
        for row in rows:
            if row.get("_type") == "request_group":
                if depth > MAX_FOLDER_DEPTH:  # also ends folders that are their own parent
                    path = self.paths.get(str(row.get("_id")), "$.resources")
                    message = f"Folders are nested more than {MAX_FOLDER_DEPTH} levels deep"
                    raise FormatError(message, path)
                if row.get("environment"):
                    self.report.append(
                        f"The folder environment of {row.get('name')!r} was not kept."
                    )
                items.append(
                    Folder(
                        self._text(row, "name") or "Folder",
                        self._items(str(row.get("_id")), depth + 1),
                        description=self._text(row, "description"),
                        headers=self._pairs(row.get("headers"), row, "headers"),
                        auth=self._auth(row, Auth(AuthKind.INHERIT)),
                    )
                )
            elif row.get("_type") == "request":
                items.append(RequestItem(self._request(row)))
        return tuple(items)

    def _pairs(self, value: Any, row: dict[str, Any], key: str) -> tuple[Pair, ...]:
        path = child(self.paths.get(str(row.get("_id")), "$"), key)
        pairs = []
        for index, item in enumerate(as_list(value, path)):
            entry = as_dict(item, child(path, index))
            pairs.append(
                Pair(
                    self._text(entry | {"_id": row.get("_id")}, "name"),
                    self._text(entry | {"_id": row.get("_id")}, "value"),
                    enabled=not entry.get("disabled", False),
                )
            )
        return tuple(pairs)

    def _request(self, row: dict[str, Any]) -> Request:
        url, query = split_url(self._text(row, "url"))
        params = query + self._pairs(row.get("parameters"), row, "parameters")
        headers = list(self._pairs(row.get("headers"), row, "headers"))
        body, headers = self._body(row, headers)
        follow = row.get("settingFollowRedirects", "global") != "off"
        return Request(
            method=(self._text(row, "method") or "GET").upper(),
            url=url,
            params=params,
            path_params=tuple(Pair(name) for name in path_param_names(url)),
            headers=tuple(headers),
            body=body,
            auth=self._auth(row, Auth(AuthKind.INHERIT)),
            options=Options(follow_redirects=follow),
            name=self._text(row, "name") or "Request",
            description=self._text(row, "description"),
            captures=self.tags.captures_for(str(row.get("_id"))),
        )

    def _body(self, row: dict[str, Any], headers: list[Pair]) -> tuple[Body, list[Pair]]:
        path = child(self.paths.get(str(row.get("_id")), "$"), "body")
        body = as_dict(row.get("body"), path)
        mime = as_text(body.get("mimeType"), child(path, "mimeType"))
        for pair in headers:
            if pair.name.lower() == "content-type" and pair.enabled:
                mime = mime or pair.value
                headers = [other for other in headers if other is not pair]
                break
        base = mime.split(";")[0].strip().lower()
        text = self._text(body | {"_id": row.get("_id")}, "text")
        if base == "application/x-www-form-urlencoded":
            return Body(
                BodyKind.FORM, form=self._pairs(body.get("params"), row, "body.params")
            ), headers
        if base == "multipart/form-data":
            return Body(BodyKind.MULTIPART, parts=self._parts(body, row)), headers
        if body.get("fileName"):
            return Body(
                BodyKind.BINARY, file=as_text(body.get("fileName"), path), content_type=mime
            ), headers
        if base == "application/graphql":
            self.report.append(f"The GraphQL body of {row.get('name')!r} became a JSON body.")
            return Body(BodyKind.RAW, text=text, content_type="application/json"), headers
        if not body:
            return Body(), headers
        return Body(BodyKind.RAW, text=text, content_type=mime), headers

    def _parts(self, body: dict[str, Any], row: dict[str, Any]) -> tuple[Part, ...]:
        path = child(self.paths.get(str(row.get("_id")), "$"), "body.params")
        parts = []
        for index, item in enumerate(as_list(body.get("params"), path)):
            entry = as_dict(item, child(path, index)) | {"_id": row.get("_id")}
            enabled = not entry.get("disabled", False)
            if entry.get("type") == "file":
                parts.append(
                    Part(
                        self._text(entry, "name"),
                        file=self._text(entry, "fileName"),
                        enabled=enabled,
                    )
                )
            else:
                parts.append(
                    Part(self._text(entry, "name"), self._text(entry, "value"), enabled=enabled)
                )
        return tuple(parts)

    def _auth(self, row: dict[str, Any], default: Auth) -> Auth:
        path = child(self.paths.get(str(row.get("_id")), "$"), "authentication")
        auth = as_dict(row.get("authentication"), path) | {"_id": row.get("_id")}
        kind = as_text(auth.get("type"), child(path, "type"))
        if not kind:
            return default
        if auth.get("disabled") or kind == "none":
            return Auth()
        if kind in ("basic", "digest"):
            return Auth(
                AuthKind(kind),
                username=self._text(auth, "username"),
                password=self._text(auth, "password"),
            )
        if kind == "bearer":
            prefix = as_text(auth.get("prefix"), path)
            if prefix and prefix.lower() != "bearer":
                self.report.append(
                    f"The token prefix {prefix!r} of {row.get('name')!r} became Bearer."
                )
            return Auth(AuthKind.BEARER, token=self._text(auth, "token"))
        if kind == "apikey":
            key_in = "query" if auth.get("addTo") == "queryParams" else "header"
            if auth.get("addTo") == "cookie":
                self.report.append(
                    f"The API key cookie of {row.get('name')!r} was sent as a header."
                )
            return Auth(
                AuthKind.API_KEY,
                key_name=self._text(auth, "key"),
                key_value=self._text(auth, "value"),
                key_in=key_in,
            )
        self.report.append(f"The {kind} authentication of {row.get('name')!r} is not supported.")
        return Auth()

    def _environments(self, workspace: str) -> tuple[tuple[Variable, ...], tuple[Environment, ...]]:
        bases = [
            row for row in self.children.get(workspace, []) if row.get("_type") == "environment"
        ]
        if not bases:
            return (), ()
        base = bases[0]
        variables = self._variables(base)
        environments = tuple(
            Environment(self._text(row, "name") or "Environment", self._variables(row))
            for row in sorted(self.children.get(str(base.get("_id")), []), key=_sort_key)
            if row.get("_type") == "environment"
        )
        return variables, environments

    def _variables(self, row: dict[str, Any]) -> tuple[Variable, ...]:
        path = child(self.paths.get(str(row.get("_id")), "$"), "data")
        flat = _flatten(as_dict(row.get("data"), path))
        secret = bool(row.get("isPrivate"))
        return tuple(
            Variable(name, self.tags.replace(value), secret=secret) for name, value in flat
        )


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _flatten(value, name + ".")
        elif isinstance(value, list):
            out.append((name, json.dumps(value)))
        elif isinstance(value, bool):
            out.append((name, "true" if value else "false"))
        else:
            out.append(
                (
                    name,
                    ""
                    if value is None
                    else _VARIABLE.sub(lambda m: "{{" + m.group(1) + "}}", str(value)),
                )
            )
    return out


def _sort_key(row: dict[str, Any]) -> float:
    key = row.get("metaSortKey", 0)
    if not isinstance(key, (int, float)) or isinstance(key, bool):
        return 0.0
    try:
        return float(key)
    except OverflowError:  # an integer past 1e308
        return float("-inf") if key < 0 else float("inf")
