"""The single JSON file Bruno's app writes with Export (`"version": "1"`, `items`,
`environments`, `root`), read by writing each item as the `.bru` text Bruno would have
written for it (`lang`'s writer) and importing that folder: one mapping for both forms.

The JSON's shape is Bruno's collection object (what @usebruno/cli's
createCollectionFromBrunoObject turns into a folder): items of type `folder` (with
`root`: meta, request headers/auth/vars/script/tests, docs) and `http-request` or
`graphql-request` (with `request`: url, method, headers, params, auth, body, vars,
assertions, script, tests, docs). A secret variable's value, should the file hold one,
is dropped: secrets never enter a collection's files.
"""

from __future__ import annotations

import json
from typing import Any

from explorer.core.bruno.files import MAX_FOLDER_FILES, FolderFiles
from explorer.core.bruno.lang import dict_block, list_block, text_block
from explorer.core.formats.common import MAX_FOLDER_DEPTH, FormatError, ImportResult

_REQUEST_TYPES = {"http-request": "http", "graphql-request": "graphql", "http": "http"}
_BODY_TEXT = {"json": "body:json", "text": "body:text", "xml": "body:xml", "sparql": "body:sparql"}
_AUTH_FIELDS = {
    "basic": ("username", "password"),
    "digest": ("username", "password"),
    "bearer": ("token",),
    "apikey": ("key", "value", "placement"),
}


def is_bruno_json(document: Any) -> bool:
    """Whether `document` is Bruno's exported collection."""
    return (
        isinstance(document, dict)
        and str(document.get("version")) == "1"
        and isinstance(document.get("items"), list)
        and isinstance(document.get("name"), str)
        and "info" not in document  # not a Postman collection
    )


def import_bruno_text(text: str, name: str) -> ImportResult:
    """Bruno's exported JSON, or the text of one `.bru` request file (named `name` when
    its meta has no name)."""
    from explorer.core.bruno.importer import import_bruno
    from explorer.core.bruno.lang import parse_bru

    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        return import_bruno_json(text)
    parse_bru(text)  # a malformed file is an error here, with its line and column
    files = {"bruno.json": json.dumps({"name": name}), f"{_file_name(name) or 'request'}.bru": text}
    return import_bruno(FolderFiles(name, files))


def import_bruno_json(text: str) -> ImportResult:
    """The collection of Bruno's exported JSON `text`."""
    from explorer.core.bruno.files import named_files
    from explorer.core.bruno.importer import import_bruno
    from explorer.core.formats.document import load_json

    document = load_json(text)
    if not is_bruno_json(document):
        raise FormatError('Not a Bruno collection: expected name, version "1" and items', "$")
    files: dict[str, str] = {"bruno.json": json.dumps({"name": document["name"]})}
    dropped = [0]
    root = document.get("root")
    if isinstance(root, dict):
        files["collection.bru"] = _container(root, None)
    for environment in _list(document.get("environments")):
        if isinstance(environment, dict) and isinstance(environment.get("name"), str):
            name = _file_name(environment["name"]) or "Environment"
            files[f"environments/{name}.bru"] = _environment(environment, dropped)
    _items(_list(document.get("items")), "", files, 1)
    result = import_bruno(FolderFiles(str(document["name"]), files))
    report = list(result.report)
    if dropped[0]:
        report.append(f"{dropped[0]} secret value(s) in the file were not imported: set them again")
    named = named_files(result.collection)
    if named:
        shown = ", ".join(named[:3]) + (", …" if len(named) > 3 else "")
        report.append(
            f"{len(named)} file(s) that requests send are not in an exported file: copy them "
            f"into the new collection folder ({shown})"
        )
    return ImportResult(result.collection, result.environments, tuple(report))


def _items(items: list[Any], prefix: str, files: dict[str, str], depth: int) -> None:
    if depth > MAX_FOLDER_DEPTH:
        raise FormatError(f"Folders are nested more than {MAX_FOLDER_DEPTH} levels deep")
    used: set[str] = {"folder", "collection"} if prefix else {"collection", "environments"}
    for position, item in enumerate(items):
        if len(files) > MAX_FOLDER_FILES:
            raise FormatError(f"The collection holds more than {MAX_FOLDER_FILES:,} items")
        if not isinstance(item, dict):
            continue
        name = _unique(_file_name(_text(item.get("name"))) or f"item {position + 1}", used)
        if item.get("type") == "folder":
            root = _dict(item.get("root"))
            seq = item.get("seq", _dict(root.get("meta")).get("seq"))
            meta = {"name": _text(item.get("name")) or name, "seq": seq}
            files[f"{prefix}{name}/folder.bru"] = _container(root, meta)
            _items(_list(item.get("items")), f"{prefix}{name}/", files, depth + 1)
        else:
            files[f"{prefix}{name}.bru"] = _request(item)


def _request(item: dict[str, Any]) -> str:
    request = _dict(item.get("request"))
    kind = _REQUEST_TYPES.get(_text(item.get("type")), _text(item.get("type")) or "http")
    meta = [("name", _one_line(_text(item.get("name"))), True), ("type", kind, True)]
    if isinstance(item.get("seq"), (int, float)):
        meta.append(("seq", str(item["seq"]), True))
    body = _dict(request.get("body"))
    auth = _dict(request.get("auth"))
    method = _text(request.get("method")) or "GET"
    rows = [
        ("url", _text(request.get("url")), True),
        ("body", _text(body.get("mode")) or "none", True),
    ]
    rows.append(("auth", _text(auth.get("mode")) or "none", True))
    blocks = [dict_block("meta", meta)]
    if method.lower() in ("get", "post", "put", "delete", "patch", "options", "head", "trace"):
        blocks.append(dict_block(method.lower(), rows))
    else:
        blocks.append(dict_block("http", [("method", method, True), *rows]))
    params = _list(request.get("params"))
    blocks += _rows_block("params:query", [p for p in params if _dict(p).get("type") != "path"])
    blocks += _rows_block("params:path", [p for p in params if _dict(p).get("type") == "path"])
    blocks += _rows_block("headers", _list(request.get("headers")))
    blocks += _auth_blocks(auth)
    blocks += _body_blocks(body)
    blocks += _common(request)
    return "\n".join(blocks)


def _container(root: dict[str, Any], meta: dict[str, Any] | None) -> str:
    request = _dict(root.get("request"))
    blocks = []
    if meta is not None:
        rows = [("name", _one_line(_text(meta.get("name"))), True)]
        if isinstance(meta.get("seq"), (int, float)):
            rows.append(("seq", str(meta["seq"]), True))
        blocks.append(dict_block("meta", rows))
    blocks += _rows_block("headers", _list(request.get("headers")))
    auth = _dict(request.get("auth"))
    if auth.get("mode"):
        blocks.append(dict_block("auth", [("mode", _text(auth["mode"]), True)]))
        blocks += _auth_blocks(auth)
    blocks += _common({**request, "docs": root.get("docs", request.get("docs"))})
    return "\n".join(blocks)


def _common(request: dict[str, Any]) -> list[str]:
    """The blocks requests, folders and the collection share."""
    blocks: list[str] = []
    variables = _dict(request.get("vars"))
    blocks += _rows_block("vars:pre-request", _list(variables.get("req")))
    blocks += _rows_block("vars:post-response", _list(variables.get("res")))
    blocks += _rows_block("assert", _list(request.get("assertions")))
    script = _dict(request.get("script"))
    for key, name in (("req", "script:pre-request"), ("res", "script:post-response")):
        if _text(script.get(key)).strip():
            blocks.append(text_block(name, _text(script[key])))
    for key in ("tests", "docs"):
        if _text(request.get(key)).strip():
            blocks.append(text_block(key, _text(request[key])))
    return blocks


def _auth_blocks(auth: dict[str, Any]) -> list[str]:
    mode = _text(auth.get("mode"))
    fields = _AUTH_FIELDS.get(mode)
    values = _dict(auth.get(mode))
    if fields is None or not values:
        return []
    return [dict_block(f"auth:{mode}", [(f, _text(values.get(f)), True) for f in fields])]


def _body_blocks(body: dict[str, Any]) -> list[str]:
    blocks = []
    for mode, name in _BODY_TEXT.items():
        if _text(body.get(mode)):
            blocks.append(text_block(name, _text(body[mode])))
    blocks += _rows_block("body:form-urlencoded", _list(body.get("formUrlEncoded")))
    parts = []
    for part in _list(body.get("multipartForm")):
        part = _dict(part)
        value = part.get("value")
        if part.get("type") == "file":
            files = value if isinstance(value, list) else [value]
            text = "@file(" + "|".join(_text(f) for f in files) + ")"
        else:
            text = _text(value)
        if _text(part.get("contentType")):
            text += f" @contentType({_text(part['contentType'])})"
        parts.append({"name": part.get("name"), "value": text, "enabled": part.get("enabled")})
    blocks += _rows_block("body:multipart-form", parts)
    graphql = _dict(body.get("graphql"))
    if _text(graphql.get("query")):
        blocks.append(text_block("body:graphql", _text(graphql["query"])))
    if _text(graphql.get("variables")):
        blocks.append(text_block("body:graphql:vars", _text(graphql["variables"])))
    files = []
    for file in _list(body.get("file")):
        file = _dict(file)
        text = f"@file({_text(file.get('filePath'))})"
        if _text(file.get("contentType")):
            text += f" @contentType({_text(file['contentType'])})"
        files.append({"name": "file", "value": text, "enabled": file.get("selected", True)})
    blocks += _rows_block("body:file", files)
    return blocks


def _environment(environment: dict[str, Any], dropped: list[int]) -> str:
    plain, secret = [], []
    for variable in _list(environment.get("variables")):
        variable = _dict(variable)
        name = _text(variable.get("name"))
        if not name:
            continue
        enabled = variable.get("enabled") is not False
        if variable.get("secret"):
            dropped[0] += bool(_text(variable.get("value")))
            secret.append(("" if enabled else "~") + name)
        else:
            plain.append((name, _text(variable.get("value")), enabled))
    text = dict_block("vars", plain)
    return text + (list_block("vars:secret", secret) if secret else "")


def _rows_block(name: str, rows: list[Any]) -> list[str]:
    written = []
    for row in rows:
        row = _dict(row)
        key = _text(row.get("name"))
        if key:
            written.append((key, _text(row.get("value")), row.get("enabled") is not False))
    return [dict_block(name, written)] if written else []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _file_name(name: str) -> str:
    cleaned = "".join("-" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name)
    return cleaned.strip(" .")[:100].strip(" .")


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate.lower() in used:
        candidate = f"{name} ({number})"
        number += 1
    used.add(candidate.lower())
    return candidate
