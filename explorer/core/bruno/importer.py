"""A Bruno collection folder as a collection (https://docs.usebruno.com/bru-lang).

The folder holds `bruno.json` (name, `ignore`), `collection.bru` (headers, auth,
variables, scripts of the whole collection), one `folder.bru` per folder (its name, seq,
headers, auth, scripts), one `.bru` file per request, ordered by `meta.seq` as Bruno's
runner orders them (folders first), and `environments/*.bru` (`vars`, and
`vars:secret [ names ]` whose values Bruno keeps outside the folder: they become secret
variables with empty values).

Mapping choices, each reported where something is lost:
- `assert` rows become Assertion rows and `vars:post-response` rows Capture rows where
  `checks` maps them; the others are kept in the kept post-response script as comment
  lines that the Bruno export turns back into rows.
- `vars:pre-request` of the collection become collection variables. Our requests and
  folders have no variables of their own, so a request's or folder's are written into
  the requests that use them (`{{name}}` replaced by the value), which sends the same.
- Scripts and `tests` are kept verbatim (`Scripts.kept_*`), counted, never run.
- GraphQL bodies stay GraphQL bodies (explorer.core.graphql.bruno); AWS Signature v4 is
  read (core/bruno/signing), OAuth 2.0 (core/bruno/oauth2); auth kinds we have no form for
  (OAuth 1, NTLM, WSSE, EdgeGrid) leave the request without auth.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import astuple, dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from explorer.core.bruno import checks
from explorer.core.bruno.files import FolderFiles
from explorer.core.bruno.jsonc import strip_comments
from explorer.core.bruno.lang import Block, BruFile, parse_bru
from explorer.core.bruno.oauth2 import OAUTH2_BLOCK, oauth2_auth
from explorer.core.bruno.signing import AWS_BLOCK, PROFILE_NOTE, aws_auth
from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats.common import FormatError, ImportResult
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    AwsSigV4,
    Body,
    BodyKind,
    Capture,
    Options,
    Pair,
    Part,
    Request,
    Scripts,
)

METHOD_BLOCKS = ("get", "post", "put", "delete", "patch", "options", "head", "connect", "trace")
ASSERT_MARK = "// Bruno assert, not converted: "
CAPTURE_MARK = "// Bruno vars:post-response, not converted: "
TESTS_MARK = "// ---- Bruno tests ----"
_RAW_TYPES = {
    "json": ("body:json", "application/json"),
    "text": ("body:text", "text/plain"),
    "xml": ("body:xml", "application/xml"),
    "sparql": ("body:sparql", "application/sparql-query"),
}
_FILE_VALUE = re.compile(r"^@file\((.*)\)$", re.DOTALL)
_CONTENT_TYPE = re.compile(r"^(.*?)\s*@contentType\((.*?)\)\s*$", re.DOTALL)
_UNSUPPORTED_AUTH = {
    "oauth1": "OAuth 1.0",
    "ntlm": "NTLM",
    "wsse": "WSSE",
    "akamai-edgegrid": "Akamai EdgeGrid",
}
_HANDLED_BLOCKS = frozenset(
    {
        "meta",
        "http",
        *METHOD_BLOCKS,
        "params:query",
        "params:path",
        "query",
        "headers",
        "auth",
        "auth:basic",
        "auth:bearer",
        "auth:digest",
        "auth:apikey",
        "auth:awsv4",
        OAUTH2_BLOCK,
        "body",
        "body:json",
        "body:text",
        "body:xml",
        "body:sparql",
        "body:graphql",
        "body:graphql:vars",
        "body:form-urlencoded",
        "body:multipart-form",
        "body:file",
        "vars:pre-request",
        "vars:post-response",
        "assert",
        "script:pre-request",
        "script:post-response",
        "tests",
        "docs",
        "settings",
    }
)


@dataclass
class _Notes:
    """What the import counts for its report."""

    counts: Counter[str] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)
    auth_kinds: Counter[str] = field(default_factory=Counter)
    other_blocks: Counter[str] = field(default_factory=Counter)

    def report(self) -> tuple[str, ...]:
        c = self.counts
        out = list(self.lines)
        for what, (subject, rows, comment) in _CONVERTED.items():
            converted, kept = c[f"{what}_ok"], c[f"{what}_kept"]
            if converted or kept:
                out.append(
                    f"{subject}: converted {converted} of {converted + kept} into {rows}"
                    + (comment.format(kept) if kept else "")
                )
        out += [sentence.format(c[key]) for key, sentence in _COUNTED if c[key]]
        out += [
            f"{count} {kind} auth setting(s) not carried over: those requests are sent "
            "without that auth"
            for kind, count in sorted(self.auth_kinds.items())
        ]
        if c["process_env"]:
            out.append(_PROCESS_ENV.format(c["process_env"]))
        out += [
            f"{count} `{name}` block(s) not carried over"
            for name, count in sorted(self.other_blocks.items())
        ]
        if c["settings"]:
            out.append(
                f"{c['settings']} request setting(s) without an equivalent here were dropped"
            )
        return tuple(out)


# The report's sentences: what was converted, and how much was kept as comments…
_CONVERTED = {
    "assert": (
        "Bruno assertions",
        "assertion rows",
        "; {} kept as comments in the post-response script (not checked here)",
    ),
    "capture": (
        "Bruno post-response variables",
        "captures",
        "; {} kept as comments in the post-response script",
    ),
}
# …then one sentence per count, in the report's order.
_COUNTED = (
    (
        "scripts",
        "{} JavaScript script(s) kept verbatim; they are shown and exported back, never run",
    ),
    ("tests", "{} `tests` block(s) kept verbatim with the scripts, never run"),
    (
        "request_vars",
        "{} request or folder variable(s) written into the requests that use them: requests "
        "and folders here have no variables of their own",
    ),
    (
        "unused_vars",
        "{} request or folder variable(s) disabled, or not used by their requests' URL, "
        "headers, body or auth (perhaps by scripts), were not carried over",
    ),
    (
        "inactive_bodies",
        "{} body block(s) of a kind their request does not send were not carried over",
    ),
    ("tags", "{} request(s) had tags, which are not carried over"),
    ("aws_profile", PROFILE_NOTE),
    ("annotations", "{} row annotation(s) (@description and the like) not carried over"),
    (
        "json_comments",
        "{} JSON body(ies) held comments, which Bruno removes before sending: removed here too",
    ),
)
_PROCESS_ENV = (
    "{} value(s) use {{{{process.env.NAME}}}} (Bruno's .env file, which is not read: "
    "define these as variables)"
)


def import_bruno(files: FolderFiles) -> ImportResult:
    """The collection of a Bruno folder read into `files` (see `files.read_folder`)."""
    config = _config(files.files.get("bruno.json"))
    notes = _Notes()
    ignored = tuple(str(item).strip("/") for item in config.get("ignore", []) if str(item))
    kept = {
        name: text
        for name, text in files.files.items()
        if name.endswith(".bru") and not any(_under(name, prefix) for prefix in ignored)
    }
    notes.counts["process_env"] = _process_env_count(kept)
    if config.get("scripts"):
        notes.lines.append(
            "bruno.json's script settings (modules, file system access) not carried over: "
            "scripts are kept, never run"
        )
    if config.get("proxy") or config.get("certificates"):
        notes.lines.append(
            "bruno.json's proxy and client certificate settings not carried over: set them "
            "in the requests' settings"
        )
    name = str(config.get("name") or files.root_name or "Bruno collection")
    root = _parse_optional(kept.pop("collection.bru", None), "collection.bru", notes)
    environments = _environments(kept, notes)
    collection = Collection(name=name)
    collection_vars: tuple[Variable, ...] = ()
    if root is not None:
        collection_vars = tuple(
            Variable(row.name.lstrip("@"), row.value, enabled=row.enabled)
            for row in _rows(root, "vars:pre-request")
        )
        collection = replace(collection, **_settings(root, "none", notes))
    items = _folder_items("", kept, {}, notes)
    collection = replace(
        collection, items=items, variables=collection_vars, environments=environments
    )
    if files.skipped_links:
        notes.lines.append(
            f"{files.skipped_links} symbolic link(s) in the folder were not followed"
        )
    for path in files.unreadable:
        notes.lines.append(f"{path}: could not be read as UTF-8 text, skipped")
    return ImportResult(collection, report=notes.report())


def _config(text: str | None) -> dict[str, Any]:
    from explorer.core.formats.document import load_json

    if text is None:
        raise FormatError("This folder has no bruno.json: it is not a Bruno collection")
    try:
        document = load_json(text)
    except FormatError as error:
        raise FormatError(f"bruno.json: {error.message}", error.location) from None
    if not isinstance(document, dict):
        raise FormatError("bruno.json is not a JSON object", "$")
    ignore = document.get("ignore")
    return {
        "scripts": bool(document.get("scripts")),
        "proxy": bool(document.get("proxy")) and document.get("proxy") != {"enabled": False},
        "certificates": bool(
            isinstance(document.get("clientCertificates"), dict)
            and document["clientCertificates"].get("certs")
        ),
        "name": document.get("name") if isinstance(document.get("name"), str) else "",
        "ignore": [item for item in ignore if isinstance(item, str)]
        if isinstance(ignore, list)
        else [],
    }


def _under(path: str, prefix: str) -> bool:
    return bool(prefix) and (path == prefix or path.startswith(prefix + "/"))


def _parse_optional(text: str | None, path: str, notes: _Notes) -> BruFile | None:
    if text is None:
        return None
    try:
        return parse_bru(text)
    except FormatError as error:
        where = f" ({error.location})" if error.location else ""
        notes.lines.append(f"{path}: {error.message}{where}; skipped")
        return None


# ---- environments -----------------------------------------------------------------------


def _environments(files: dict[str, str], notes: _Notes) -> tuple[Environment, ...]:
    found: list[Environment] = []
    for path in [p for p in files if PurePosixPath(p).parent == PurePosixPath("environments")]:
        parsed = _parse_optional(files.pop(path), path, notes)
        if parsed is None:
            continue
        variables = [
            Variable(row.name, row.value, enabled=row.enabled) for row in _rows(parsed, "vars")
        ]
        secret = parsed.get("vars:secret")
        for row in secret.rows if secret is not None else ():
            variables.append(Variable(row.name, "", secret=True, enabled=row.enabled))
        found.append(Environment(PurePosixPath(path).stem, tuple(variables)))
    for path in [p for p in files if p.startswith("environments/")]:
        files.pop(path)  # deeper files there are not requests
    return tuple(found)


# ---- folders and requests ---------------------------------------------------------------


def _folder_items(
    folder: str, files: dict[str, str], inherited: dict[str, str], notes: _Notes
) -> tuple[Folder | RequestItem, ...]:
    prefix = f"{folder}/" if folder else ""
    subfolders = sorted(
        {
            path[len(prefix) :].split("/", 1)[0]
            for path in files
            if path.startswith(prefix) and "/" in path[len(prefix) :]
        }
    )
    folders: list[tuple[float, str, Folder]] = []
    for name in subfolders:
        built = _folder(f"{prefix}{name}", name, files, inherited, notes)
        if built is not None:
            folders.append(built)
    requests: list[tuple[float, str, RequestItem]] = []
    for path in sorted(files):
        if not path.startswith(prefix) or "/" in path[len(prefix) :]:
            continue
        if PurePosixPath(path).name in ("folder.bru", "collection.bru"):
            continue
        parsed = _parse_optional(files[path], path, notes)
        if parsed is None:
            continue
        built_request = _request_item(parsed, PurePosixPath(path).stem, path, inherited, notes)
        if built_request is not None:
            requests.append((_seq(parsed, _REQUEST_SEQ), path, built_request))
    requests.sort(key=lambda entry: (entry[0], entry[1]))
    return (*_folder_order(folders), *(entry[2] for entry in requests))


def _folder_order(entries: list[tuple[float, str, Folder]]) -> list[Folder]:
    """Folders in the order Bruno's runner takes them (sortByNameThenSequence in
    @usebruno/cli): by name, then each folder with a seq moved to position seq, folders
    of the same seq kept together."""
    by_name = sorted(entries, key=lambda entry: entry[1].casefold())
    placed: list[list[tuple[float, str, Folder]]] = [
        [entry] for entry in by_name if not _valid_seq(entry[0])
    ]
    for entry in sorted((e for e in by_name if _valid_seq(e[0])), key=lambda e: e[0]):
        position = int(entry[0]) - 1
        if position < len(placed) and placed[position][0][0] == entry[0]:
            placed[position].append(entry)
        else:
            placed.insert(position, [entry])
    return [entry[2] for group in placed for entry in group]


def _valid_seq(seq: float) -> bool:
    return seq != float("inf") and seq == int(seq) and seq > 0


def _folder(
    path: str, name: str, files: dict[str, str], inherited: dict[str, str], notes: _Notes
) -> tuple[float, str, Folder] | None:
    settings = _parse_optional(files.get(f"{path}/folder.bru"), f"{path}/folder.bru", notes)
    scope = dict(inherited)
    folder = Folder(name=name)
    seq = float("inf")
    if settings is not None:
        meta = settings.get("meta")
        if meta is not None:
            folder = replace(folder, name=meta.value("name") or name)
            seq = _seq(settings)
        for row in _rows(settings, "vars:pre-request"):
            if row.enabled:
                scope[row.name.lstrip("@")] = row.value
        folder = replace(folder, **_settings(settings, "inherit", notes))
        notes.counts["request_vars"] += len(scope) - len(inherited)
    items = _folder_items(path, files, scope, notes)
    return seq, name, replace(folder, items=items)


def _seq(parsed: BruFile, default: float = float("inf")) -> float:
    meta = parsed.get("meta")
    text = meta.value("seq") if meta is not None else ""
    try:
        seq = float(text) if text else default
    except ValueError:
        return float("inf")
    return seq if seq == seq else float("inf")  # NaN


_REQUEST_SEQ = 1.0  # what Bruno's parser gives a request without one


def _request_item(
    parsed: BruFile, fallback: str, path: str, inherited: dict[str, str], notes: _Notes
) -> RequestItem | None:
    meta = parsed.get("meta")
    kind = meta.value("type", "http") if meta is not None else "http"
    if kind not in ("http", "graphql"):
        notes.lines.append(f"{path}: a {kind} request, which API Explorer does not send; skipped")
        return None
    http = next((b for b in parsed.blocks if b.name in METHOD_BLOCKS or b.name == "http"), None)
    if http is None:
        notes.lines.append(f"{path}: no request block (get, post, ...); skipped")
        return None
    method = (http.value("method") if http.name == "http" else http.name).upper() or "GET"
    url = http.value("url")
    request = Request(
        method=method,
        url=url,
        params=tuple(p for p in _query_pairs(parsed) if not p.enabled),
        path_params=_pairs(parsed, "params:path"),
        headers=_pairs(parsed, "headers"),
        body=_body(parsed, http.value("body", "none"), path, notes),
        auth=_auth(parsed, http.value("auth", "none"), notes),
        options=_options(parsed, notes),
        name=(meta.value("name") if meta is not None else "") or fallback,
        description=_text(parsed, "docs"),
    )
    assertions, captures, scripts = _checks(parsed, notes)
    request = request.with_changes(assertions=assertions, captures=captures, scripts=scripts)
    scope = dict(inherited)
    rows = _rows(parsed, "vars:pre-request")
    own = [row for row in rows if row.enabled]
    for row in own:
        scope[row.name.lstrip("@")] = row.value
    notes.counts["request_vars"] += len(own)
    notes.counts["unused_vars"] += len(rows) - len(own)
    if meta is not None and any(row.name == "tags" and row.items for row in meta.rows):
        notes.counts["tags"] += 1
    notes.counts["inactive_bodies"] += _inactive_bodies(parsed, http.value("body", "none"))
    if scope:
        request, unused = _substitute(request, scope)
        notes.counts["unused_vars"] += len(unused & {row.name.lstrip("@") for row in own})
    _note_blocks(parsed, notes, set())
    return RequestItem(request)


def _body(parsed: BruFile, mode: str, path: str, notes: _Notes) -> Body:
    if mode in _RAW_TYPES:
        block_name, content_type = _RAW_TYPES[mode]
        text = _text(parsed, block_name) or (_text(parsed, "body") if mode == "json" else "")
        uncommented = strip_comments(text) if mode == "json" else None
        if uncommented is not None:
            notes.counts["json_comments"] += 1
            text = uncommented
        return Body(BodyKind.RAW, text=text, content_type=content_type)
    if mode == "formUrlEncoded":
        return Body(BodyKind.FORM, form=_pairs(parsed, "body:form-urlencoded"))
    if mode == "multipartForm":
        return Body(BodyKind.MULTIPART, parts=_parts(parsed))
    if mode == "graphql":
        from explorer.core.graphql.bruno import graphql_from_bruno

        return graphql_from_bruno(_text(parsed, "body:graphql"), _text(parsed, "body:graphql:vars"))
    if mode == "file":
        for row in _rows(parsed, "body:file"):
            value, content_type = _split_content_type(row.value)
            match = _FILE_VALUE.match(value)
            if row.enabled and match:
                return Body(BodyKind.BINARY, file=match.group(1), content_type=content_type)
        return Body()
    if mode not in ("none", ""):
        notes.lines.append(f"{path}: the body kind {mode!r} is not known here; sent without a body")
    return Body()


# The body blocks each `body:` mode sends; the others in a file are drafts Bruno keeps.
_MODE_BLOCKS = {
    "json": {"body:json", "body"},
    "text": {"body:text"},
    "xml": {"body:xml"},
    "sparql": {"body:sparql"},
    "formUrlEncoded": {"body:form-urlencoded"},
    "multipartForm": {"body:multipart-form"},
    "graphql": {"body:graphql", "body:graphql:vars"},
    "file": {"body:file"},
}
_BODY_BLOCKS = frozenset().union(*_MODE_BLOCKS.values())


def _inactive_bodies(parsed: BruFile, mode: str) -> int:
    active = _MODE_BLOCKS.get(mode, set())
    return sum(
        1
        for block in parsed.blocks
        if block.name in _BODY_BLOCKS
        and block.name not in active
        and (block.text.strip() or block.rows)
    )


def _parts(parsed: BruFile) -> tuple[Part, ...]:
    parts: list[Part] = []
    for row in _rows(parsed, "body:multipart-form"):
        value, content_type = _split_content_type(row.value)
        match = _FILE_VALUE.match(value)
        if match:
            for file in filter(None, match.group(1).split("|")):
                parts.append(
                    Part(row.name, file=file, content_type=content_type, enabled=row.enabled)
                )
        else:
            parts.append(Part(row.name, value, content_type=content_type, enabled=row.enabled))
    return tuple(parts)


def _split_content_type(value: str) -> tuple[str, str]:
    match = _CONTENT_TYPE.match(value)
    return (match.group(1).strip(), match.group(2).strip()) if match else (value, "")


def _settings(parsed: BruFile, auth_default: str, notes: _Notes) -> dict[str, Any]:
    """What collection.bru and folder.bru give the requests below them, as the fields
    of a Collection or Folder: headers, auth (`auth_default` when the file names no
    mode), docs, assertions, captures and scripts."""
    assertions, captures, scripts = _checks(parsed, notes)
    settings = {
        "headers": _pairs(parsed, "headers"),
        "auth": _auth(parsed, _root_auth_mode(parsed, auth_default), notes),
        "description": _text(parsed, "docs"),
        "assertions": assertions,
        "captures": captures,
        "scripts": scripts,
    }
    _note_blocks(parsed, notes, {"auth"})
    return settings


def _root_auth_mode(parsed: BruFile, default: str) -> str:
    block = parsed.get("auth")
    return block.value("mode", default) if block is not None else default


def _auth(parsed: BruFile, mode: str, notes: _Notes) -> Auth:
    def value(block: str, name: str) -> str:
        found = parsed.get(block)
        if found is None:
            return ""
        return next((row.value for row in found.rows if row.name == name), "")

    if mode == "inherit":
        return Auth(AuthKind.INHERIT)
    if mode == "basic":
        return Auth(
            AuthKind.BASIC,
            username=value("auth:basic", "username"),
            password=value("auth:basic", "password"),
        )
    if mode == "digest":
        return Auth(
            AuthKind.DIGEST,
            username=value("auth:digest", "username"),
            password=value("auth:digest", "password"),
        )
    if mode == "bearer":
        return Auth(AuthKind.BEARER, token=value("auth:bearer", "token"))
    if mode == "apikey":
        placement = value("auth:apikey", "placement")
        return Auth(
            AuthKind.API_KEY,
            key_name=value("auth:apikey", "key"),
            key_value=value("auth:apikey", "value"),
            key_in="query" if placement == "queryparams" else "header",
        )
    if mode == "oauth2":
        return oauth2_auth(lambda name: value(OAUTH2_BLOCK, name), notes.lines)
    if mode == "awsv4":
        auth, profile = aws_auth(lambda name: value(AWS_BLOCK, name))
        notes.counts["aws_profile"] += profile
        return auth
    if mode not in ("none", ""):
        notes.auth_kinds[_UNSUPPORTED_AUTH.get(mode, mode)] += 1
    return Auth(AuthKind.NONE)


def _options(parsed: BruFile, notes: _Notes) -> Options:
    block = parsed.get("settings")
    options = Options()
    if block is None:
        return options
    for row in block.rows:
        value = row.value.strip()
        if row.name == "timeout" and value.isdigit() and int(value) > 0:
            options = replace(options, timeout=int(value) / 1000)
        elif row.name == "followRedirects" and value in ("true", "false"):
            options = replace(options, follow_redirects=value == "true")
        elif row.name == "maxRedirects" and value.isdigit():
            options = replace(options, max_redirects=min(int(value), 100))
        elif row.name in ("encodeUrl", "timeout", "keepAliveInterval"):
            continue  # encodeUrl: we send the URL as written, as Bruno does when false
        else:
            notes.counts["settings"] += 1
    return options


def _checks(
    parsed: BruFile, notes: _Notes
) -> tuple[tuple[Assertion, ...], tuple[Capture, ...], Scripts]:
    assertions: list[Assertion] = []
    captures: list[Capture] = []
    kept: list[str] = []
    for row in _rows(parsed, "assert"):
        rows = checks.assertions_of(row.name, row.value, row.enabled)
        if rows is None:
            notes.counts["assert_kept"] += 1
            kept.append(f"{ASSERT_MARK}{'~' if not row.enabled else ''}{row.name}: {row.value}")
        else:
            notes.counts["assert_ok"] += 1
            assertions.extend(rows)
    for row in _rows(parsed, "vars:post-response"):
        capture = checks.capture_of(row.name, row.value, row.enabled)
        if capture is None:
            notes.counts["capture_kept"] += 1
            kept.append(f"{CAPTURE_MARK}{'~' if not row.enabled else ''}{row.name}: {row.value}")
        else:
            notes.counts["capture_ok"] += 1
            captures.append(capture)
    pre = _text(parsed, "script:pre-request")
    post = _text(parsed, "script:post-response")
    tests = _text(parsed, "tests")
    notes.counts["scripts"] += bool(pre.strip()) + bool(post.strip())
    notes.counts["tests"] += bool(tests.strip())
    after = "\n".join(kept)
    if post.strip():
        after = f"{after}\n{post}" if after else post
    if tests.strip():
        after = f"{after}\n{TESTS_MARK}\n{tests}" if after else f"{TESTS_MARK}\n{tests}"
    scripts = Scripts(kept_pre_request=pre if pre.strip() else "", kept_post_response=after)
    return tuple(assertions), tuple(captures), scripts


def _note_blocks(parsed: BruFile, notes: _Notes, also: set[str]) -> None:
    notes.counts["annotations"] += sum(block.annotations for block in parsed.blocks)
    for block in parsed.blocks:
        if block.name not in _HANDLED_BLOCKS and block.name not in also:
            if block.name.startswith("auth:") and block.name[5:] in _UNSUPPORTED_AUTH:
                continue  # counted where the auth mode is read
            notes.other_blocks[block.name] += 1


# ---- small readers ----------------------------------------------------------------------


def _rows(parsed: BruFile, name: str) -> tuple[Any, ...]:
    rows: list[Any] = []
    for block in parsed.blocks:
        if block.name == name and block.kind in ("dict", "list"):
            rows.extend(block.rows)
    return tuple(rows)


def _query_pairs(parsed: BruFile) -> tuple[Pair, ...]:
    # `query` is what Bruno before 1.0 called `params:query`.
    return (*_pairs(parsed, "params:query"), *_pairs(parsed, "query"))


def _pairs(parsed: BruFile, name: str) -> tuple[Pair, ...]:
    return tuple(Pair(row.name, row.value, row.enabled) for row in _rows(parsed, name))


def _text(parsed: BruFile, name: str) -> str:
    block: Block | None = parsed.get(name)
    return block.text if block is not None and block.kind == "text" else ""


def _substitute(request: Request, values: dict[str, str]) -> tuple[Request, set[str]]:
    """`request` with `{{name}}` replaced by the values of `values`, and the names unused."""
    used: set[str] = set()
    pattern = re.compile(r"\{\{(" + "|".join(re.escape(n) for n in values) + r")\}\}")

    def sub(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            used.add(match.group(1))
            return values[match.group(1)]

        return pattern.sub(one, text) if "{{" in text else text

    def pairs(items: tuple[Pair, ...]) -> tuple[Pair, ...]:
        return tuple(replace(p, name=sub(p.name), value=sub(p.value)) for p in items)

    body = request.body
    body = replace(
        body,
        text=sub(body.text),
        form=pairs(body.form),
        parts=tuple(replace(p, value=sub(p.value), file=sub(p.file)) for p in body.parts),
        file=sub(body.file),
    )
    auth = request.auth
    auth = replace(
        auth,
        username=sub(auth.username),
        password=sub(auth.password),
        token=sub(auth.token),
        key_name=sub(auth.key_name),
        key_value=sub(auth.key_value),
        aws=AwsSigV4(*(sub(value) for value in astuple(auth.aws))),
    )
    changed = request.with_changes(
        url=sub(request.url),
        params=pairs(request.params),
        path_params=pairs(request.path_params),
        headers=pairs(request.headers),
        body=body,
        auth=auth,
        assertions=tuple(replace(a, expected=sub(a.expected)) for a in request.assertions),
    )
    return changed, set(values) - used


def _process_env_count(files: dict[str, str]) -> int:
    return sum(text.count("{{process.env.") for text in files.values())
