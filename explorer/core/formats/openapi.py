"""Import OpenAPI 3.0/3.1 and Swagger 2.0 documents (JSON or YAML).

One request per operation, in a folder per (first) tag; URLs are written
`{{base_url}}/path/:param` with `base_url` a collection variable taken from the first
server, and one environment per server. Bodies and parameters get example values from
the document or synthesised from the schema. Security schemes become auth with
`{{variables}}` for the credentials.

The document itself comes along as `openapi.json` beside the collection, and each
request gets an `openapi` assertion: its response is validated against the schema the
document gives for the status that came back. A `status` assertion is added only when
the operation documents exactly one success (2xx) status: with several, or only
`default`, which one is right depends on the call, and the schema check still fails
a status the document does not list.
"""

from __future__ import annotations

import json
import re
from typing import Any

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats.common import FormatError, ImportResult
from explorer.core.formats.document import as_dict, as_list, as_text, child, load_document
from explorer.core.formats.openapi_schema import Resolver, example_of, schema_type
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Operator,
    Pair,
    Part,
    Request,
    Subject,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
# The document as written beside the imported collection (JSON whatever it was written
# in: a .yaml file in the folder would be read as a request).
SPEC_FILE = "openapi.json"


def import_openapi(text: str) -> ImportResult:
    """Import an OpenAPI 3.x or Swagger 2.0 document."""
    document = as_dict(load_document(text), "$")
    version = as_text(document.get("openapi", document.get("swagger")), "$.openapi")
    if not version:
        raise FormatError("Not an OpenAPI document: no 'openapi' or 'swagger' member", "$")
    if not version.startswith(("2.", "3.")):
        raise FormatError(f"OpenAPI version {version} is not supported", "$.openapi")
    return _Importer(document, swagger=version.startswith("2.")).run()


class _Importer:
    """Converts one document; `report` collects what could not be carried over."""

    def __init__(self, document: dict[str, Any], swagger: bool) -> None:
        self.document = document
        self.swagger = swagger
        self.report: list[str] = []
        self.resolver = Resolver(document, self.report)
        self.variables: dict[str, Variable] = {}

    def run(self) -> ImportResult:
        info = as_dict(self.document.get("info"), "$.info")
        servers = self._servers()
        base = servers[0] if servers else ""
        if not base or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", base):
            self.report.append(
                f"The server URL {base or '(none)'} is not absolute: set base_url before sending."
            )
        self.variables["base_url"] = Variable("base_url", base)
        top_security = self.document.get("security")
        collection_auth = self._auth(top_security, "$.security") if top_security else Auth()
        folders = self._folders()
        environments = tuple(
            Environment(_server_name(url, index), (Variable("base_url", url),))
            for index, url in enumerate(servers)
        )
        collection = Collection(
            name=as_text(info.get("title"), "$.info.title") or "OpenAPI",
            items=folders,
            description=as_text(info.get("description"), "$.info.description"),
            variables=tuple(self.variables.values()),
            auth=collection_auth,
            environments=environments,
        )
        for key in ("webhooks", "x-webhooks"):
            if self.document.get(key):
                self.report.append("Webhooks describe requests the API sends; not imported.")
        spec = json.dumps(self.document, indent=2, ensure_ascii=False, default=str)
        return ImportResult(
            collection,
            environments,
            tuple(dict.fromkeys(self.report)),
            files=((SPEC_FILE, spec.encode("utf-8")),),
        )

    # --- servers ---------------------------------------------------------------

    def _servers(self) -> list[str]:
        if self.swagger:
            host = as_text(self.document.get("host"), "$.host")
            base_path = as_text(self.document.get("basePath"), "$.basePath").rstrip("/")
            schemes = as_list(self.document.get("schemes"), "$.schemes") or ["https"]
            if not host:
                return [base_path] if base_path else []
            return [f"{as_text(scheme, '$.schemes')}://{host}{base_path}" for scheme in schemes]
        urls = []
        for index, server in enumerate(as_list(self.document.get("servers"), "$.servers")):
            path = child("$.servers", index)
            row = as_dict(server, path)
            url = as_text(row.get("url"), child(path, "url"))
            variables = as_dict(row.get("variables"), child(path, "variables"))
            for name, spec in variables.items():
                default = as_text(as_dict(spec, child(path, name)).get("default"), path)
                url = url.replace("{" + name + "}", default)
            urls.append(url.rstrip("/"))
        return urls

    # --- operations --------------------------------------------------------------

    def _folders(self) -> tuple[Folder | RequestItem, ...]:
        tag_rows = as_list(self.document.get("tags"), "$.tags")
        descriptions = {}
        order: list[str] = []
        for index, tag in enumerate(tag_rows):
            row = as_dict(tag, child("$.tags", index))
            name = as_text(row.get("name"), child("$.tags", index))
            descriptions[name] = as_text(row.get("description"), child("$.tags", index))
            order.append(name)
        grouped: dict[str, list[RequestItem]] = {name: [] for name in order}
        loose: list[RequestItem] = []
        paths = as_dict(self.document.get("paths"), "$.paths")
        for route, item in paths.items():
            item_path = child("$.paths", route)
            path_item = as_dict(self.resolver.deref(item), item_path)
            for method in METHODS:
                if method not in path_item:
                    continue
                op_path = child(item_path, method)
                operation = as_dict(path_item[method], op_path)
                request_item = RequestItem(
                    self._request(route, method, path_item, operation, op_path)
                )
                tags = as_list(operation.get("tags"), child(op_path, "tags"))
                if tags:
                    grouped.setdefault(as_text(tags[0], child(op_path, "tags")), []).append(
                        request_item
                    )
                else:
                    loose.append(request_item)
        folders: list[Folder | RequestItem] = [
            Folder(name, tuple(items), description=descriptions.get(name, ""))
            for name, items in grouped.items()
            if items
        ]
        return (*folders, *loose)

    def _request(
        self,
        route: str,
        method: str,
        path_item: dict[str, Any],
        operation: dict[str, Any],
        path: str,
    ) -> Request:
        parameters = self._parameters(path_item, operation, path)
        query, headers, path_params, cookies = [], [], [], []
        for parameter in parameters.values():
            location = parameter.get("in")
            name = as_text(parameter.get("name"), path)
            value = _as_value(self._parameter_example(parameter))
            # Optional parameters are listed but off, so the first send of an imported
            # request is the plain one; the user ticks the filters they want to try.
            required = bool(parameter.get("required")) or location == "path"
            if location == "query":
                query.append(Pair(name, value, enabled=required))
            elif location == "header":
                if name.lower() not in ("accept", "content-type", "authorization"):
                    headers.append(Pair(name, value, enabled=required))
            elif location == "path":
                path_params.append(Pair(name, value))
            elif location == "cookie":
                cookies.append(f"{name}={value}")
        if cookies:
            headers.append(Pair("Cookie", "; ".join(cookies)))
        body = self._body(operation, parameters, path)
        if operation.get("servers") or path_item.get("servers"):
            self.report.append(f"The own servers of {method.upper()} {route} were not kept.")
        if operation.get("callbacks"):
            self.report.append(f"The callbacks of {method.upper()} {route} were not imported.")
        security = operation.get("security")
        auth = (
            Auth(AuthKind.INHERIT)
            if security is None
            else self._auth(security, child(path, "security"))
        )
        url = "{{base_url}}" + re.sub(r"\{([^{}/]+)\}", r":\1", route)
        name = as_text(operation.get("summary"), path) or as_text(
            operation.get("operationId"), path
        )
        return Request(
            method=method.upper(),
            url=url,
            params=tuple(query),
            path_params=tuple(path_params),
            headers=tuple(headers),
            body=body,
            auth=auth,
            name=name or f"{method.upper()} {route}",
            description=as_text(operation.get("description"), child(path, "description")),
            assertions=_checks(route, method, operation),
        )

    def _parameters(
        self, path_item: dict[str, Any], operation: dict[str, Any], path: str
    ) -> dict[tuple[str, str], dict[str, Any]]:
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for source in (path_item, operation):
            for index, value in enumerate(
                as_list(source.get("parameters"), child(path, "parameters"))
            ):
                parameter = as_dict(
                    self.resolver.deref(value), child(child(path, "parameters"), index)
                )
                key = (as_text(parameter.get("name"), path), as_text(parameter.get("in"), path))
                found[key] = parameter  # an operation's parameter overrides its path's
        return found

    def _parameter_example(self, parameter: dict[str, Any]) -> Any:
        given = self._given_example(parameter)
        if given is not None:
            return given
        schema = parameter.get("schema", parameter if self.swagger else None)
        if schema is None:
            return ""
        if not self.swagger or "schema" in parameter:
            return example_of(schema, self.resolver)
        # Swagger 2 keeps the schema's fields on the parameter itself.
        return example_of(
            {k: v for k, v in parameter.items() if k not in ("in", "name")}, self.resolver
        )

    # --- bodies --------------------------------------------------------------------

    def _body(
        self, operation: dict[str, Any], parameters: dict[tuple[str, str], Any], path: str
    ) -> Body:
        if self.swagger:
            return self._swagger_body(operation, parameters)
        if "requestBody" not in operation:
            return Body()
        request_body = as_dict(
            self.resolver.deref(operation["requestBody"]), child(path, "requestBody")
        )
        content = as_dict(request_body.get("content"), child(child(path, "requestBody"), "content"))
        if not content:
            return Body()
        media_type = _preferred(list(content))
        media = as_dict(content[media_type], child(path, "requestBody"))
        return self._body_for(media_type, media.get("schema"), self._media_example(media))

    def _media_example(self, media: dict[str, Any]) -> Any:
        return self._given_example(media)

    def _given_example(self, holder: dict[str, Any]) -> Any:
        """The document's own example for a parameter or media type (`example`, else
        the first of `examples`), or None when it gives none."""
        if "example" in holder:
            return holder["example"]
        examples = holder.get("examples")
        if isinstance(examples, dict) and examples:
            first = self.resolver.deref(next(iter(examples.values())))
            if isinstance(first, dict) and "value" in first:
                return first["value"]
            if isinstance(first, dict) and "externalValue" in first:
                self.report.append(
                    f"The external example {first['externalValue']} was not fetched."
                )
        return None

    def _swagger_body(
        self, operation: dict[str, Any], parameters: dict[tuple[str, str], Any]
    ) -> Body:
        consumes = as_list(operation.get("consumes", self.document.get("consumes")), "$.consumes")
        for parameter in parameters.values():
            if parameter.get("in") == "body":
                media_type = _preferred([str(item) for item in consumes] or ["application/json"])
                return self._body_for(media_type, parameter.get("schema"), None)
        fields = [p for p in parameters.values() if p.get("in") == "formData"]
        if not fields:
            return Body()
        multipart = MULTIPART_TYPE in consumes or any(p.get("type") == "file" for p in fields)
        schema = {
            "type": "object",
            "properties": {
                str(p.get("name")): (
                    {"type": "string", "format": "binary"}
                    if p.get("type") == "file"
                    else {k: v for k, v in p.items() if k not in ("in", "name")}
                )
                for p in fields
            },
        }
        return self._body_for(MULTIPART_TYPE if multipart else FORM_TYPE, schema, None)

    def _body_for(self, media_type: str, schema: Any, example: Any) -> Body:
        if example is None and schema is not None:
            example = example_of(schema, self.resolver)
        base = media_type.split(";")[0].strip().lower()
        if base == FORM_TYPE:
            return Body(
                BodyKind.FORM, form=tuple(Pair(k, _as_value(v)) for k, v in _fields(example))
            )
        if base.startswith("multipart/"):
            return Body(BodyKind.MULTIPART, parts=self._parts(schema, example))
        if base == "application/json" or base.endswith("+json"):
            text = json.dumps(example, indent=2, ensure_ascii=False) if example is not None else ""
            return Body(BodyKind.RAW, text=text, content_type=media_type)
        if base == "application/octet-stream" or base.startswith(("image/", "audio/", "video/")):
            self.report.append(f"A {media_type} body needs a file: choose one before sending.")
            return Body(BodyKind.BINARY, content_type=media_type)
        if example is not None and not isinstance(example, str):
            self.report.append(f"No {media_type} example could be written; the body is empty.")
            example = None
        return Body(BodyKind.RAW, text=example or "", content_type=media_type)

    def _parts(self, schema: Any, example: Any) -> tuple[Part, ...]:
        properties = as_dict(self.resolver.deref(schema), "$").get("properties")
        properties = properties if isinstance(properties, dict) else {}
        parts = []
        for name, value in _fields(example):
            spec = self.resolver.deref(properties.get(name, {}))
            is_file = self._is_file_schema(spec)
            if is_file:
                self.report.append(f"The form field {name!r} is a file: choose one before sending.")
                parts.append(Part(name, file=""))
            else:
                parts.append(Part(name, _as_value(value)))
        return tuple(parts)

    def _is_file_schema(self, spec: Any) -> bool:
        if not isinstance(spec, dict):
            return False
        if schema_type(spec) == "array":
            spec = self.resolver.deref(spec.get("items"))
        return isinstance(spec, dict) and spec.get("format") == "binary"

    # --- security --------------------------------------------------------------------

    def _auth(self, requirements: Any, path: str) -> Auth:
        rows = as_list(requirements, path)
        if not rows:
            return Auth()
        schemes = (
            as_dict(self.document.get("securityDefinitions"), "$.securityDefinitions")
            if self.swagger
            else as_dict(
                as_dict(self.document.get("components"), "$.components").get("securitySchemes"),
                "$.components.securitySchemes",
            )
        )
        for requirement in rows:
            for name in as_dict(requirement, path):
                auth = self._scheme_auth(name, self.resolver.deref(schemes.get(name, {})))
                if auth is not None:
                    return auth
        return Auth()

    def _scheme_auth(self, name: str, scheme: Any) -> Auth | None:
        if not isinstance(scheme, dict):
            return None
        kind = str(scheme.get("type", ""))
        http_scheme = str(scheme.get("scheme", "")).lower()
        if kind == "basic" or (kind == "http" and http_scheme == "basic"):
            self._secret("username", secret=False)
            self._secret("password")
            return Auth(AuthKind.BASIC, username="{{username}}", password="{{password}}")
        if kind == "http" and http_scheme == "bearer":
            self._secret("token")
            return Auth(AuthKind.BEARER, token="{{token}}")
        if kind == "http" and http_scheme == "digest":
            self._secret("username", secret=False)
            self._secret("password")
            return Auth(AuthKind.DIGEST, username="{{username}}", password="{{password}}")
        if kind == "apiKey" and scheme.get("in") in ("header", "query"):
            variable = re.sub(r"\W", "_", name)
            self._secret(variable)
            return Auth(
                AuthKind.API_KEY,
                key_name=str(scheme.get("name", "")),
                key_value="{{" + variable + "}}",
                key_in=str(scheme["in"]),
            )
        self.report.append(
            f"The security scheme {name!r} ({kind} {http_scheme}".rstrip()
            + ") has no equivalent; requests using it have no auth."
        )
        return None

    def _secret(self, name: str, secret: bool = True) -> None:
        self.variables.setdefault(name, Variable(name, "", secret=secret))


def _checks(route: str, method: str, operation: dict[str, Any]) -> tuple[Assertion, ...]:
    """The response checks the document implies (see the module docstring)."""
    responses = operation.get("responses")
    codes = [str(code).upper() for code in responses] if isinstance(responses, dict) else []
    successes = [code for code in codes if code.startswith("2")]
    checks = []
    if len(successes) == 1 and successes[0].isdigit():
        checks.append(Assertion(Subject.STATUS, Operator.EQ, successes[0]))
    operation_name = f"{SPEC_FILE}#{method.upper()} {route}"
    checks.append(Assertion(Subject.OPENAPI, Operator.VALID, argument=operation_name))
    return tuple(checks)


def _preferred(media_types: list[str]) -> str:
    lowered = [item.split(";")[0].strip().lower() for item in media_types]
    for wanted in ("application/json", FORM_TYPE, MULTIPART_TYPE):
        if wanted in lowered:
            return media_types[lowered.index(wanted)]
    for index, item in enumerate(lowered):
        if item.endswith("+json"):
            return media_types[index]
    return media_types[0]


def _fields(example: Any) -> list[tuple[str, Any]]:
    return list(example.items()) if isinstance(example, dict) else []


def _as_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_as_value(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _server_name(url: str, index: int) -> str:
    return url or f"Server {index + 1}"
