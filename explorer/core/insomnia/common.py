"""The collection built from Insomnia resources, whichever file they came from.

Insomnia's own importer turns a v5 YAML file into the flat resource list of a v4 export
(workspaces, request groups, requests and environments linked by `parentId`), so both
versions are read here once: `v4` hands over the export's rows, `v5` the rows it made
from its tree, each with the JSON path it came from (for messages). Insomnia writes
variables `{{ _.name }}`; they become `{{name}}`. Response tags become captures
(`core/translate/insomnia_tags`); other template tags, auth types without an
equivalent, scripts (kept verbatim, never run), settings we cannot honour and resources
we do not import are said in the report, with counts.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats.common import (
    MAX_FOLDER_DEPTH,
    FormatError,
    ImportResult,
    path_param_names,
    split_url,
    substitute_variables,
)
from explorer.core.formats.document import as_dict, as_list, as_text, child
from explorer.core.insomnia.oauth2 import oauth2_auth
from explorer.core.insomnia.signing import signing_auth
from explorer.core.insomnia.websocket import WEBSOCKET_TYPES, websocket_request
from explorer.core.model import (
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Options,
    Pair,
    Part,
    Request,
    Scripts,
)
from explorer.core.translate.insomnia_tags import ResponseTags

VARIABLE = re.compile(r"\{\{\s*_\.([\w.\-\[\]'\"]+?)\s*\}\}")
# Nunjucks ignores the spaces in `{{ name }}` and reads `{{ _['name'] }}` as `{{ _.name }}`;
# Postman and Bruno do not (newman looks up " name ", spaces included).
_SPACED = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*\}\}")
_BRACKETED = re.compile(r"""\{\{\s*_\[\s*(['"])([^'"{}\[\]]+)\1\s*\]\s*\}\}""")
_TAG = re.compile(r"\{%.*?%\}")
# Where Insomnia keeps the secret values of an environment (encrypted with a key that
# never leaves the user's machine): `data.vault.<name>`.
VAULT = "vault"
# Resources read (or reported on their own); any other type is reported by its count.
_HANDLED = {
    "workspace",
    "request_group",
    "request",
    "environment",
    "cookie_jar",
    "api_spec",
    *WEBSOCKET_TYPES,
}


@dataclass(frozen=True)
class Row:
    """One Insomnia resource (v4 shape) and the JSON path it came from."""

    path: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data.get("_id"))

    @property
    def type(self) -> str:
        return str(self.data.get("_type"))

    @property
    def name(self) -> str:
        return str(self.data.get("name"))


def plain_variables(text: str) -> str:
    """`text` with Insomnia's `{{ _.name }}`, `{{ _['name'] }}` and `{{ name }}` written
    `{{name}}`."""
    if "{{" not in text:
        return text
    text = VARIABLE.sub(lambda m: "{{" + m.group(1) + "}}", text)
    text = _BRACKETED.sub(lambda m: "{{" + m.group(2) + "}}", text)
    return _SPACED.sub(lambda m: "{{" + m.group(1) + "}}", text)


class ResourceImporter:
    """Builds the tree from a flat resource list; `report` collects the losses."""

    def __init__(self, rows: list[Row], version: str) -> None:
        self.version = version
        self.report: list[str] = []
        self.rows = rows
        self.by_id = {row.id: row for row in rows}
        self.children: dict[str, list[Row]] = {}
        for row in rows:
            self.children.setdefault(str(row.data.get("parentId")), []).append(row)
        self.counts: Counter[str] = Counter()
        # Response tags become captures on the request they read (core/translate).
        requests = (row for row in rows if row.type == "request")
        self.tags = ResponseTags({row.id: row.name for row in requests})
        self.tags.scan([row.data for row in rows])

    def run(self, fallback: str = "Insomnia") -> ImportResult:
        workspaces = [row for row in self.rows if row.type == "workspace"]
        environments: tuple[Environment, ...] = ()
        variables: tuple[Variable, ...] = ()
        if len(workspaces) == 1:
            workspace = workspaces[0]
            name = self._text(workspace, "name") or fallback
            items = self._items(workspace.id)
            variables, environments = self._environments(workspace.id)
            description = self._text(workspace, "description")
        else:
            name, description = fallback, ""
            items = tuple(
                Folder(self._text(ws, "name") or "Workspace", self._items(ws.id))
                for ws in workspaces
            )
            if len(workspaces) > 1:
                self.report.append(
                    "Several workspaces became folders; their environments were not kept."
                )
            else:  # requests without a workspace (a partial export)
                items = self._items("None") + self._items("__WORKSPACE_ID__")
        self._report_resources()
        self.report += self.tags.notes
        collection = Collection(name, items, description, variables, environments=environments)
        return ImportResult(collection, environments, tuple(dict.fromkeys(self.report)))

    # --- what is not carried over --------------------------------------------------

    def _report_resources(self) -> None:
        kinds = {row.type for row in self.rows if row.type not in _HANDLED}
        for kind in sorted(kinds):
            self.report.append(f"Insomnia {kind} resources were not imported.")
        for row in self.rows:
            if row.type == "cookie_jar":
                cookies = as_list(row.data.get("cookies"), child(row.path, "cookies"))
                if cookies:
                    count = len(cookies)
                    self.report.append(f"The cookie jar's cookies were not imported ({count}).")
        counts = self.counts
        if counts["scripts"]:
            self.report.append(
                f"Insomnia scripts (JavaScript) were kept as written, shown with their "
                f"request or folder and never run ({counts['scripts']})."
            )
        if counts["folder_variables"]:
            self.report.append(
                "Folder environment variables were written into the requests below them, "
                f"which win over every environment as in Insomnia ({counts['folder_variables']})."
            )
        if counts["descriptions"]:
            self.report.append(
                "Descriptions of headers, parameters or form fields were not kept "
                f"({counts['descriptions']})."
            )
        settings = {
            "encode": "URL encoding turned off",
            "render": "body template rendering turned off",
            "cookies": "cookie sending or storing turned off",
        }
        for key, words in settings.items():
            if counts[key]:
                self.report.append(
                    f"Requests with {words} in Insomnia are sent with API Explorer's "
                    f"defaults ({counts[key]})."
                )

    # --- text and pairs ---------------------------------------------------------------

    def _text(self, row: Row, key: str, source: dict[str, Any] | None = None) -> str:
        data = row.data if source is None else source
        path = child(row.path, key)
        value = self.tags.replace(as_text(data.get(key), path))
        if _TAG.search(value):
            self.report.append(f"A template tag ({{% … %}}) was kept as text at {path}.")
        return plain_variables(value)

    def _pairs(self, value: Any, row: Row, key: str) -> tuple[Pair, ...]:
        path = child(row.path, key)
        pairs = []
        for index, item in enumerate(as_list(value, path)):
            entry = as_dict(item, child(path, index))
            inner = Row(child(path, index), entry)
            if entry.get("description"):
                self.counts["descriptions"] += 1
            pairs.append(
                Pair(
                    self._text(inner, "name"),
                    self._text(inner, "value"),
                    enabled=not entry.get("disabled", False),
                )
            )
        return tuple(pairs)

    # --- folders and requests ---------------------------------------------------------

    def _items(
        self, parent: str, depth: int = 1, scope: dict[str, str] | None = None
    ) -> tuple[Folder | RequestItem, ...]:
        """The children of `parent`; its folders are `depth` levels deep (1 at the top).
        `scope` holds the variables of the folder environments above them, which win over
        every environment in Insomnia: they are written into what lies below."""
        scope = scope or {}
        rows = sorted(self.children.get(parent, []), key=_sort_key)
        items: list[Folder | RequestItem] = []
        for row in rows:
            if row.type == "request_group":
                if depth > MAX_FOLDER_DEPTH:  # also ends folders that are their own parent
                    message = f"Folders are nested more than {MAX_FOLDER_DEPTH} levels deep"
                    raise FormatError(message, row.path)
                inner = {**scope, **self._folder_environment(row)}
                folder = Folder(
                    self._text(row, "name") or "Folder",
                    self._items(row.id, depth + 1, inner),
                    description=self._text(row, "description"),
                    headers=substitute_variables(
                        self._pairs(row.data.get("headers"), row, "headers"), inner
                    ),
                    auth=substitute_variables(self._auth(row), inner),
                    scripts=self._scripts(row),
                )
                items.append(folder)
            elif row.type == "request":
                items.append(RequestItem(substitute_variables(self._request(row), scope)))
            elif row.type == "websocket_request":
                kids = self.children.get(row.id, [])
                payloads = [kid.data for kid in kids if kid.type == "websocket_payload"]
                request = websocket_request(self._request(row), payloads)
                items.append(RequestItem(substitute_variables(request, scope)))
        return tuple(items)

    def _folder_environment(self, row: Row) -> dict[str, str]:
        """A folder's own environment (`environment`), flattened as environments are."""
        path = child(row.path, "environment")
        data = as_dict(row.data.get("environment"), path)
        if not data:
            return {}
        values = dict(flatten(data))
        self.counts["folder_variables"] += len(values)
        return {name: self.tags.replace(value) for name, value in values.items()}

    def _request(self, row: Row) -> Request:
        data = row.data
        url, query = split_url(self._text(row, "url"))
        params = query + self._pairs(data.get("parameters"), row, "parameters")
        headers = list(self._pairs(data.get("headers"), row, "headers"))
        body, headers = self._body(row, headers)
        follow = data.get("settingFollowRedirects", "global") != "off"
        if data.get("settingEncodeUrl") is False:
            self.counts["encode"] += 1
        if data.get("settingDisableRenderRequestBody") is True:
            self.counts["render"] += 1
        if data.get("settingSendCookies") is False or data.get("settingStoreCookies") is False:
            self.counts["cookies"] += 1
        return Request(
            method=(self._text(row, "method") or "GET").upper(),
            url=url,
            params=params,
            path_params=self._path_params(row, url),
            headers=tuple(headers),
            body=body,
            auth=self._auth(row),
            options=Options(follow_redirects=follow),
            name=self._text(row, "name") or "Request",
            description=self._text(row, "description"),
            captures=self.tags.captures_for(row.id),
            scripts=self._scripts(row),
        )

    def _path_params(self, row: Row, url: str) -> tuple[Pair, ...]:
        """The URL's `:name` segments, with the values Insomnia kept for them."""
        given = self._pairs(row.data.get("pathParameters"), row, "pathParameters")
        values = {pair.name: pair.value for pair in given}
        return tuple(Pair(name, values.get(name, "")) for name in path_param_names(url))

    def _scripts(self, row: Row) -> Scripts:
        before = self._script(row, "preRequestScript")
        after = self._script(row, "afterResponseScript")
        return Scripts(kept_pre_request=before, kept_post_response=after)

    def _script(self, row: Row, key: str) -> str:
        script = as_text(row.data.get(key), child(row.path, key))
        if script.strip():
            self.counts["scripts"] += 1
            return script
        return ""

    def _body(self, row: Row, headers: list[Pair]) -> tuple[Body, list[Pair]]:
        path = child(row.path, "body")
        body = as_dict(row.data.get("body"), path)
        inner = Row(path, body)
        mime = as_text(body.get("mimeType"), child(path, "mimeType"))
        written = ""  # a Content-Type header the user wrote: Insomnia sends it as it is
        for pair in headers:
            if pair.name.lower() == "content-type" and pair.enabled:
                written = pair.value
                headers = [other for other in headers if other is not pair]
                break
        mime = mime or written
        sent = written or mime
        base = mime.split(";")[0].strip().lower()
        text = self._text(inner, "text")
        if base == "application/x-www-form-urlencoded":
            form = self._pairs(body.get("params"), inner, "params")
            return Body(BodyKind.FORM, form=form), headers
        if base == "multipart/form-data":
            return Body(BodyKind.MULTIPART, parts=self._parts(inner)), headers
        if body.get("fileName"):
            file = as_text(body.get("fileName"), child(path, "fileName"))
            return Body(BodyKind.BINARY, file=file, content_type=sent), headers
        if base == "application/graphql":
            from explorer.core.graphql.insomnia import graphql_from_insomnia

            graphql = graphql_from_insomnia(text)
            if graphql is not None:
                # The type it is sent with: the header the user wrote, else JSON.
                typed = [Pair("Content-Type", written)] if written else []
                return graphql, [*headers, *typed]
            self.report.append(
                f"The GraphQL body of {row.name!r} is not a JSON object with a query (a "
                "template, perhaps): kept as its text, sent as application/json."
            )
            return Body(
                BodyKind.RAW, text=text, content_type=written or "application/json"
            ), headers
        if not body:
            return Body(), headers
        return Body(BodyKind.RAW, text=text, content_type=sent), headers

    def _parts(self, body: Row) -> tuple[Part, ...]:
        path = child(body.path, "params")
        parts = []
        for index, item in enumerate(as_list(body.data.get("params"), path)):
            entry = Row(child(path, index), as_dict(item, child(path, index)))
            enabled = not entry.data.get("disabled", False)
            if entry.data.get("description"):
                self.counts["descriptions"] += 1
            if entry.data.get("type") == "file":
                name, file = self._text(entry, "name"), self._text(entry, "fileName")
                parts.append(Part(name, file=file, enabled=enabled))
            else:
                name, value = self._text(entry, "name"), self._text(entry, "value")
                parts.append(Part(name, value, enabled=enabled))
        return tuple(parts)

    def _auth(self, row: Row) -> Auth:
        path = child(row.path, "authentication")
        auth = Row(path, as_dict(row.data.get("authentication"), path))
        kind = as_text(auth.data.get("type"), child(path, "type"))
        if not kind:
            return Auth(AuthKind.INHERIT)
        if auth.data.get("disabled") or kind == "none":
            return Auth()
        if kind in ("basic", "digest"):
            if auth.data.get("useISO88591"):
                self.report.append(
                    f"The Basic auth of {row.name!r} is sent as UTF-8, not ISO-8859-1."
                )
            return Auth(
                AuthKind(kind),
                username=self._text(auth, "username"),
                password=self._text(auth, "password"),
            )
        if kind == "bearer":
            prefix = as_text(auth.data.get("prefix"), path)
            if prefix and prefix.lower() != "bearer":
                self.report.append(f"The token prefix {prefix!r} of {row.name!r} became Bearer.")
            return Auth(AuthKind.BEARER, token=self._text(auth, "token"))
        if kind == "apikey":
            key_in = "query" if auth.data.get("addTo") == "queryParams" else "header"
            if auth.data.get("addTo") == "cookie":
                self.report.append(f"The API key cookie of {row.name!r} was sent as a header.")
            return Auth(
                AuthKind.API_KEY,
                key_name=self._text(auth, "key"),
                key_value=self._text(auth, "value"),
                key_in=key_in,
            )
        if kind == "oauth2":
            return oauth2_auth(
                lambda key: self._text(auth, key), auth.data, repr(row.name), self.report
            )
        signed = signing_auth(kind, lambda key: self._text(auth, key), repr(row.name), self.report)
        if signed is not None:
            return signed
        self.report.append(
            f"The {kind} authentication of {row.name!r} is not supported: it sends no auth."
        )
        return Auth()

    # --- environments -----------------------------------------------------------------

    def _environments(self, workspace: str) -> tuple[tuple[Variable, ...], tuple[Environment, ...]]:
        bases = [row for row in self.children.get(workspace, []) if row.type == "environment"]
        if not bases:
            return (), ()
        base = bases[0]
        variables = self._variables(base)
        environments = tuple(
            Environment(self._text(row, "name") or "Environment", self._variables(row))
            for row in sorted(self.children.get(base.id, []), key=_sort_key)
            if row.type == "environment"
        )
        return variables, environments

    def _variables(self, row: Row) -> tuple[Variable, ...]:
        path = child(row.path, "data")
        data = as_dict(row.data.get("data"), path)
        private = bool(row.data.get("isPrivate"))
        vault = data.get(VAULT) if isinstance(data.get(VAULT), dict) else None
        plain = {key: value for key, value in data.items() if vault is None or key != VAULT}
        variables = [
            Variable(name, self.tags.replace(value), secret=private)
            for name, value in flatten(plain)
        ]
        if vault:
            # Encrypted with the user's vault key (or masked): the value cannot be read.
            variables += [Variable(str(name), "", secret=True) for name in vault]
            self.report.append(
                f"The secret values of the environment {row.name!r} ({len(vault)}) are "
                "encrypted with your Insomnia vault key: they became secret variables "
                "with empty values; fill them in before sending."
            )
        return tuple(variables + self._disabled(row, {v.name for v in variables}, private))

    def _disabled(self, row: Row, names: set[str], private: bool) -> list[Variable]:
        """The switched-off rows of a key/value environment (`kvPairData`), which
        Insomnia leaves out of `data`: kept, switched off."""
        path = child(row.path, "kvPairData")
        found = []
        for index, item in enumerate(as_list(row.data.get("kvPairData"), path)):
            pair = Row(child(path, index), as_dict(item, child(path, index)))
            name = as_text(pair.data.get("name"), child(pair.path, "name"))
            if pair.data.get("enabled") is not False or not name or name in names:
                continue
            secret = pair.data.get("type") == "secret"
            value = "" if secret else self._text(pair, "value")
            found.append(Variable(name, value, secret=private or secret, enabled=False))
        return found


def flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested environment data as `a.b` names; lists as JSON text."""
    out = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += flatten(value, name + ".")
        elif isinstance(value, list):
            out.append((name, json.dumps(value)))
        elif isinstance(value, bool):
            out.append((name, "true" if value else "false"))
        else:
            out.append((name, "" if value is None else plain_variables(str(value))))
    return out


def _sort_key(row: Row) -> float:
    key = row.data.get("metaSortKey", 0)
    if not isinstance(key, (int, float)) or isinstance(key, bool):
        return 0.0
    try:
        return float(key)
    except OverflowError:  # an integer past 1e308
        return float("-inf") if key < 0 else float("inf")
