"""Validating a JSON body against a JSON Schema or an OpenAPI operation's response schema.

Schemas come inline (JSON) or from files inside the collection folder: a path that
leads outside it (`..`, an absolute path, a link) is refused, so a shared collection
cannot make the checker read the user's other files. `$ref`s to other files are
followed under the same rule; references to the network are never fetched.

OpenAPI 3.0 is not quite JSON Schema: `nullable: true` is turned into "or null", and
its `exclusiveMaximum: true` form into the numeric form, before validating. Swagger
2.0 documents are read the same way (`responses.<status>.schema`).
"""

from __future__ import annotations

import copy
import itertools
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.checks.values import CheckProblem, Value

if TYPE_CHECKING:
    from referencing import Registry, Resource

MAX_SCHEMA_BYTES = 16 * 1024 * 1024  # a schema or API description file
MAX_ERRORS_SHOWN = 3  # validation errors named in a failed result's message
MAX_ERRORS = 100  # validation errors collected at most (then "100 or more")
OPENAPI_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# --------------------------------------------------------------------------- files


def schema_file(argument: str, root: Path | None) -> Path:
    """The file `argument` names inside the collection folder `root`; CheckProblem when
    there is no folder, the file lies outside it, or is missing."""
    from explorer.core.resolve.file_access import is_inside

    if root is None:
        raise CheckProblem(f"{argument!r}: a schema file needs a saved collection to be read from")
    path = Path(argument).expanduser()
    path = path if path.is_absolute() else Path(root) / path
    if not is_inside(path, root):
        raise CheckProblem(f"{argument!r} is outside the collection folder; it is not read")
    if not path.is_file():
        raise CheckProblem(f"{argument!r}: no such file in the collection folder")
    return path


def load_file(path: Path) -> Value:
    """A JSON or YAML document (bounded size, nesting and aliases)."""
    from explorer.core.formats.common import FormatError
    from explorer.core.formats.document import load_document

    try:
        with path.open("rb") as file:
            data = file.read(MAX_SCHEMA_BYTES + 1)
    except OSError as error:
        raise CheckProblem(f"{path.name}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_SCHEMA_BYTES:
        raise CheckProblem(f"{path.name} is larger than {MAX_SCHEMA_BYTES // 2**20} MiB")
    try:
        return load_document(data.decode("utf-8-sig", errors="replace"))
    except FormatError as error:
        raise CheckProblem(f"{path.name}: {error}") from None
    except RecursionError:
        raise CheckProblem(f"{path.name}: nested too deeply") from None


class _FileCache:
    """Parsed schema files by path, size and modification time: a run checks hundreds
    of responses against the same document."""

    SIZE = 16

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, int, int], Value] = {}

    def load(self, path: Path) -> Value:
        try:
            stat = path.stat()
        except OSError as error:
            raise CheckProblem(f"{path.name}: cannot be read ({error.strerror})") from None
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._entries:
                return self._entries[key]
        document = load_file(path)
        with self._lock:
            if len(self._entries) >= self.SIZE:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = document
        return document


_FILES = _FileCache()


# --------------------------------------------------------------------------- JSON Schema


def json_schema_argument(argument: str, root: Path | None) -> tuple[Value, Path | None]:
    """The schema an assertion names: inline JSON, or a file in the collection folder;
    with the file it came from (None: inline)."""
    from explorer.core.checks.queries import json_value

    text = argument.strip()
    if not text:
        raise CheckProblem("No JSON Schema given (inline JSON or a file in the collection)")
    if text[0] in "{[" or text in ("true", "false"):
        return json_value(text, "The schema"), None
    path = schema_file(text, root)
    return _FILES.load(path), path


def validate(instance: Value, schema: Value, base: Path | None, root: Path | None) -> list[str]:
    """The validation errors of `instance` against `schema` (empty: valid), each one
    line naming where. `base` is the schema's file, against which relative `$ref`s are
    resolved (inside `root` only)."""
    import jsonschema
    from jsonschema import exceptions
    from referencing.exceptions import Unresolvable

    if not isinstance(schema, dict | bool):
        raise CheckProblem("The schema is not a JSON object")
    if isinstance(schema, dict):
        schema = dict(schema)
        if base is not None and "$id" not in schema and "id" not in schema:
            schema["$id"] = base.resolve().as_uri()
    try:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = cls(schema, registry=_registry(root))
        # A large body may break the schema a million times: the first ones are enough.
        found = itertools.islice(validator.iter_errors(instance), MAX_ERRORS)
        errors = sorted(found, key=lambda e: [str(p) for p in e.absolute_path])
    except exceptions.SchemaError as error:
        raise CheckProblem(f"The schema is not valid: {error.message}") from None
    except Unresolvable as error:
        raise _unresolvable(error) from None
    except CheckProblem:
        raise
    except RecursionError:
        raise CheckProblem("The schema or the body is nested too deeply (or $refs loop)") from None
    return [_error_line(error) for error in errors]


def _unresolvable(error: BaseException) -> CheckProblem:
    """Why a $ref could not be followed: the refusal of our own retrieval (outside the
    collection, the network) when that was the cause."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, CheckProblem):
            return CheckProblem(f"A $ref cannot be followed: {cause.message}")
        cause = cause.__cause__ or cause.__context__
    return CheckProblem(f"A $ref cannot be followed: {error}")


def _error_line(error: Any) -> str:
    where = "$" + "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.path)
    message = " ".join(str(error.message).split())
    if len(message) > 160:
        message = message[:159] + "…"
    return f"{where}: {message}"


def _registry(root: Path | None) -> Registry[Any]:
    """A registry that loads `file:` references inside `root` and nothing else."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def retrieve(uri: str) -> Resource[Any]:
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise CheckProblem(f"$ref {uri!r}: only files in the collection folder are read")
        path = schema_file(unquote(parts.path), root)
        return Resource.from_contents(_FILES.load(path), default_specification=DRAFT202012)

    return Registry(retrieve=retrieve)  # type: ignore[call-arg]


# --------------------------------------------------------------------------- OpenAPI


def openapi_errors(
    argument: str,
    status: int,
    content_type: str,
    body: Value,
    root: Path | None,
    *,
    body_checked: bool = True,
) -> list[str]:
    """Validate a response against the operation `argument` ("SPEC#METHOD /path")
    of the OpenAPI document SPEC in the collection folder: the schema documented for
    `status` (else its `NXX` range, else `default`). Errors as in `validate`.
    `body` is the parsed JSON body, or a CheckProblem when it is not JSON; with
    `body_checked` False only the status is judged."""
    spec_name, method, route = parse_operation(argument)
    path = schema_file(spec_name, root)
    document = _FILES.load(path)
    if not isinstance(document, dict):
        raise CheckProblem(f"{spec_name} is not an OpenAPI document")
    operation = _operation(document, method, route, spec_name)
    response = _response_for(document, operation, status, method, route)
    if not body_checked:
        return []
    schema = _response_schema(document, response, content_type, status)
    if schema is None:
        return []  # the status is documented without a body schema: nothing to check
    if isinstance(body, CheckProblem):
        raise body
    return validate(body, _openapi_schema(document, schema, path), path, root)


def parse_operation(argument: str) -> tuple[str, str, str]:
    """("SPEC", "METHOD", "/path") from "SPEC#METHOD /path"."""
    spec, hash_, operation = argument.strip().rpartition("#")
    method, _, route = operation.strip().partition(" ")
    if not hash_ or not spec.strip() or not method or not route.strip().startswith("/"):
        raise CheckProblem(
            f"OpenAPI operation {argument!r}: write it as FILE#METHOD /path, "
            "e.g. openapi.json#GET /items/{id}"
        )
    return spec.strip(), method.upper(), route.strip()


def _operation(document: dict[str, Any], method: str, route: str, spec: str) -> dict[str, Any]:
    paths = document.get("paths")
    item = _deref(document, paths.get(route)) if isinstance(paths, dict) else None
    operation = item.get(method.lower()) if isinstance(item, dict) else None
    if not isinstance(operation, dict):
        raise CheckProblem(f"{spec} has no operation {method} {route}")
    return operation


def _response_for(
    document: dict[str, Any], operation: dict[str, Any], status: int, method: str, route: str
) -> dict[str, Any]:
    responses = operation.get("responses")
    responses = responses if isinstance(responses, dict) else {}
    keys = {str(key).upper(): value for key, value in responses.items()}
    for key in (str(status), f"{status // 100}XX", "DEFAULT"):
        if key in keys:
            found = _deref(document, keys[key])
            return found if isinstance(found, dict) else {}
    documented = ", ".join(str(key) for key in responses) or "none"
    raise CheckProblem(
        f"Status {status} is not documented for {method} {route} (documented: {documented})"
    )


def _response_schema(
    document: dict[str, Any], response: dict[str, Any], content_type: str, status: int
) -> Value | None:
    """The JSON schema documented for this response's media type; None when there is
    nothing to validate as JSON (no content documented, no schema, a media type that
    is not JSON such as text/html or an image: its type was still matched)."""
    mime = content_type.split(";")[0].strip().lower()
    if "schema" in response:  # Swagger 2.0: one schema, for JSON
        return response["schema"] if _is_json(mime) or not mime else None
    content = response.get("content")
    if not isinstance(content, dict) or not content:
        return None
    media = {str(key).lower(): value for key, value in content.items()}
    key = next((k for k in (mime, mime.split("/")[0] + "/*", "*/*") if k in media), None)
    if key is None and not mime:
        key = next((k for k in media if _is_json(k)), None)
    if key is None:
        listed = ", ".join(media)
        raise CheckProblem(
            f"The response's content type {mime or '(none)'} is not documented for "
            f"status {status} (documented: {listed})"
        )
    if not _is_json(mime or key):
        return None
    chosen = _deref(document, media[key])
    if not isinstance(chosen, dict) or "schema" not in chosen:
        return None
    return chosen["schema"]


def _is_json(mime: str) -> bool:
    return mime.endswith(("/json", "+json"))


def _deref(document: dict[str, Any], value: Any, depth: int = 0) -> Any:
    """A `$ref` to a place in the same document, followed (bounded)."""
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and depth < 32:
        reference = value["$ref"]
        if not reference.startswith("#/"):
            return value
        target: Any = document
        for part in reference[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise CheckProblem(f"$ref {reference!r} points at nothing in the document")
            target = target[part]
        value, depth = target, depth + 1
    return value


def _openapi_schema(document: dict[str, Any], schema: Value, path: Path) -> dict[str, Any]:
    """The response schema as a JSON Schema of its own: the document's schemas
    (`components.schemas`, Swagger's `definitions`) carried along so that their `$ref`s
    resolve, and OpenAPI 3.0's dialect translated (`nullable`; draft-04 reads its boolean
    `exclusiveMaximum`). 3.1 documents are JSON Schema 2020-12 already."""
    modern = str(document.get("openapi") or "").startswith("3.1")
    convert = _unchanged if modern else _from_openapi30
    wrapper: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema"
        if modern
        else "http://json-schema.org/draft-04/schema#"
    }
    components = document.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        wrapper["components"] = {"schemas": _schema_map(components["schemas"], convert)}
    if isinstance(document.get("definitions"), dict):
        wrapper["definitions"] = _schema_map(document["definitions"], convert)
    # draft-04 ignores the siblings of a $ref: the body schema goes under allOf.
    wrapper["allOf"] = [convert(copy.deepcopy(schema))]
    return wrapper


def _unchanged(schema: Any) -> Any:
    return schema


def _schema_map(schemas: dict[str, Any], convert: Any) -> dict[str, Any]:
    return {name: convert(copy.deepcopy(schema)) for name, schema in schemas.items()}


_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("not", "additionalProperties", "items", "additionalItems", "contains")


def _from_openapi30(schema: Any, depth: int = 0) -> Any:
    """An OpenAPI 3.0 (or Swagger) schema object as draft-04 JSON Schema: `nullable:
    true` becomes "or null". Walks only the places that hold schemas, so a property
    named `nullable` is left alone."""
    if depth > 200:
        raise CheckProblem("The OpenAPI schema is nested too deeply")
    if isinstance(schema, list):  # `items` as a list (tuple validation)
        return [_from_openapi30(item, depth + 1) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = dict(schema)
    for key in _SCHEMA_MAPS:
        if isinstance(result.get(key), dict):
            result[key] = {n: _from_openapi30(s, depth + 1) for n, s in result[key].items()}
    for key in _SCHEMA_LISTS:
        if isinstance(result.get(key), list):
            result[key] = [_from_openapi30(s, depth + 1) for s in result[key]]
    for key in _SCHEMA_ONE:
        if key in result:
            result[key] = _from_openapi30(result[key], depth + 1)
    if result.pop("nullable", False) is not True:
        return result
    kind = result.get("type")
    if "$ref" in result:
        reference = result.pop("$ref")
        return {"anyOf": [{"$ref": reference}, {"type": "null"}], **result}
    if isinstance(kind, str):
        result["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        result["type"] = [*kind, "null"]
    elif kind is None and any(key in result for key in _SCHEMA_LISTS):
        return {"anyOf": [result, {"type": "null"}]}
    if isinstance(result.get("enum"), list) and None not in result["enum"]:
        result["enum"] = [*result["enum"], None]
    return result
