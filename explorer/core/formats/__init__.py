"""Importers and exporters between API Explorer collections and other tools' formats.

`convert` (and `import_text`, its result alone) is the one entry point the window and the
command line call; each format lives in its own module. Every importer returns an
`ImportResult` whose `report` lists what could not be carried over, or raises `FormatError`
with a location; nothing is returned half-way. The entry point guarantees that for any
input: whatever else goes wrong inside an importer also becomes a one-line `FormatError`,
never a traceback, and the result holds no text that cannot be written to a file.

Reading a source is here too, the one way every front end does it: a file, a download or
standard input is read as bytes (at most MAX_IMPORT_BYTES) and decoded as UTF-8 with or
without a BOM (`read_import_file`, `decode_import`); pasted text is taken as it is
(`pasted_text`). Whatever goes wrong is a one-line FormatError. The converter child
process (`isolated`) reads files through here, so the window and the command line accept
and refuse the same files.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from explorer.core.collection import Collection, Folder, RequestItem, walk_requests
from explorer.core.formats.common import MAX_FOLDER_DEPTH, FormatError, ImportResult

if TYPE_CHECKING:
    from explorer.core.formats.har import HarEntry

__all__ = [
    "FORMATS",
    "FormatError",
    "ImportResult",
    "Imported",
    "convert",
    "convert_folder",
    "decode_import",
    "detect_format",
    "import_text",
    "pasted_text",
    "read_import_file",
    "read_limited",
]

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # larger is not an API description or a recording
_MAX_MESSAGE = 300  # characters of a message; the rest of a long value is not helpful

# The document loader (and PyYAML with it) is imported only when something is converted:
# the command line reads FORMATS (through explorer.application.formats) for every command.
FORMATS = (
    "curl",
    "postman",
    "insomnia",
    "openapi",
    "har",
    "http",
    "hurl",
    "opencollection",
    "bruno",
)

_DOCUMENT_SUFFIXES = (
    ".json",
    ".yaml",
    ".yml",
    ".har",
    ".postman_collection",
    ".postman_environment",
)
_HTTP_SUFFIXES = (".http", ".rest")
# A Hurl status line (`HTTP 200`, `HTTP/1.1 *`) or section (`[Asserts]`): never in .http.
_HURL_LINE = re.compile(
    r"^[ \t]*(?:HTTP(?:/[\d.*]+)?[ \t]+(?:\d{3}|\*)|\[(?:Asserts|Captures|QueryStringParams"
    r"|Query|FormParams|Form|MultipartFormData|Multipart|Cookies|BasicAuth|Options)\])[ \t]*$",
    re.MULTILINE,
)
# Any method token (PURGE, QUERY, PROPFIND…) in capitals, then something URL-like.
_REQUEST_LINE = re.compile(
    r"^(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT)\s+\S"
    r"|[A-Z][A-Z0-9_-]*[ \t]+(?:https?://|/|\{\{|[\w.-]+(?::\d+)?/))",
    re.MULTILINE,
)


def detect_format(text: str, filename: str | None = None) -> str:
    """The format of `text` (one of FORMATS), from its content and its file name.

    A FormatError names what was seen ("a JSON object with keys info, item — looks like
    a Postman collection but has no schema"). `convert` does not stop there: it tries
    the importers that could read the text (`_fallback`), so that anything an explicit
    format reads is also read without one.
    """
    from explorer.core.formats.curl import is_curl_command
    from explorer.core.formats.document import load_document

    suffix = Path(filename).suffix.lower() if filename else ""
    if suffix in _HTTP_SUFFIXES:
        return "http"
    if suffix == ".hurl":
        return "hurl"
    if suffix == ".bru":
        return "bruno"
    if is_curl_command(text):
        return "curl"
    stripped = text.lstrip("\ufeff \t\r\n")
    unrecognised: FormatError | None = None
    if stripped[:1] in ("{", "[") or suffix in _DOCUMENT_SUFFIXES or _looks_like_yaml(stripped):
        try:
            return _document_format(load_document(text), stripped)
        except FormatError as error:
            if suffix in _DOCUMENT_SUFFIXES or stripped[:1] in ("{", "["):
                raise
            unrecognised = error
    if _REQUEST_LINE.search(text) and _HURL_LINE.search(text):
        return "hurl"
    if _REQUEST_LINE.search(text) or re.search(r"^###", text, re.MULTILINE):
        return "http"
    if unrecognised is not None:
        raise unrecognised
    raise FormatError(f"Could not tell the format of {_seen_text(stripped)}: expected {_EXPECTED}")


def _seen_text(text: str) -> str:
    """A few words on text that is no known format: its top-level keys when it is a
    YAML mapping, else how it starts."""
    from explorer.core.formats.document import load_yaml

    if not text.strip():
        return "empty text"
    document = None
    if len(text) <= _DESCRIBE_YAML_UP_TO:
        with contextlib.suppress(FormatError):
            document = load_yaml(text)
    if isinstance(document, dict) and document:
        return _seen_document(document, text)
    first = text.strip().splitlines()[0]
    lines = len(text.splitlines())
    return f"{lines} line{'s' if lines > 1 else ''} of text starting {_clip(first, 40)!r}"


_DESCRIBE_YAML_UP_TO = 1024 * 1024  # characters; a message is not worth parsing more
_EXPECTED = "curl, Postman, Insomnia, OpenAPI, OpenCollection, HAR, .http or Hurl"
_EXPECTED_DOCUMENT = "a Postman, Insomnia, OpenAPI, OpenCollection or HAR document"


def _looks_like_yaml(text: str) -> bool:
    return (
        re.match(r"^(openapi|swagger|_type|type|info|opencollection)\s*:", text, re.MULTILINE)
        is not None
    )


def _document_format(document: Any, text: str = "") -> str:
    from explorer.core.bruno.json_collection import is_bruno_json
    from explorer.core.formats.postman import is_postman
    from explorer.core.insomnia import is_insomnia
    from explorer.core.opencollection import is_opencollection

    if isinstance(document, dict):
        if "openapi" in document or "swagger" in document:
            return "openapi"
        if isinstance(document.get("log"), dict) and "entries" in document["log"]:
            return "har"
        if is_insomnia(document):  # v4 exports and v5 files
            return "insomnia"
        if is_opencollection(document):
            return "opencollection"
        if is_bruno_json(document):  # the file Bruno's Export writes
            return "bruno"
        if is_postman(document) or _is_postman(document):
            return "postman"
    raise FormatError(f"Not {_EXPECTED_DOCUMENT}: {_seen_document(document, text)}", "$")


# A Postman schema URL (getpostman.com, and schema.postman.com since 2023) or a draft's
# version marker ("…/#2.0.0", "v2.0.0/collection.json").
_POSTMAN_SCHEMA = re.compile(r"postman\.com|(?:^|[/#])v?2\.[01]\.\d+(?:/|$)")


def _is_postman(document: dict[str, Any]) -> bool:
    """A Postman collection or environment, by its schema, its Postman-only keys, or
    the shape every v2 collection has (an `info` object and an `item` list)."""
    info = document.get("info")
    if "_postman_variable_scope" in document:
        return True
    if not isinstance(info, dict):
        return False
    schema = info.get("schema") or info.get("_postman_schema") or ""
    if isinstance(schema, str) and _POSTMAN_SCHEMA.search(schema):
        return True
    return "_postman_id" in info or isinstance(document.get("item"), list)


def _seen_document(document: Any, text: str) -> str:
    """What a document that no sniffing rule recognised looks like, in a few words."""
    syntax = "JSON" if text[:1] in ("{", "[") else "YAML"
    if isinstance(document, dict):
        if not document:
            return f"an empty {syntax} object"
        keys = ", ".join(_clip(key, 30) for key in list(document)[:8])
        keys += f" and {len(document) - 8} more" if len(document) > 8 else ""
        plural = "s" if len(document) > 1 else ""
        seen = (
            f"a JSON object with key{plural} {keys}"
            if syntax == "JSON"
            else f"YAML with top-level key{plural} {keys}"
        )
        hint = _hint(document)
        return f"{seen} — {hint}" if hint else seen
    if isinstance(document, list):
        return f"a {syntax} {'array' if syntax == 'JSON' else 'list'} of {len(document)} items"
    if document is None:
        return f"an empty {syntax} document"
    return f"a single {syntax} {'string' if isinstance(document, str) else 'value'}"


def _hint(document: dict[str, Any]) -> str:
    """Which format a document almost is, and what it lacks."""
    log = document.get("log")
    if "log" in document:
        if not isinstance(log, dict):
            return "a HAR log that is not an object"
        return "a HAR log without entries"
    info = document.get("info")
    if isinstance(info, dict) and ("item" in document or "name" in info):
        if not (info.get("schema") or info.get("_postman_schema")):
            return "looks like a Postman collection but has no schema"
        schema = _clip(str(info.get("schema")), 80)
        return f"looks like a Postman collection but its schema is {schema!r}"
    if "requests" in document and ("order" in document or "folders" in document):
        return "looks like a Postman v1 collection, which is not read: export it again as v2.1"
    if "resources" in document:
        return "looks like an Insomnia export but has no _type or __export_format"
    if "paths" in document:
        return "looks like an OpenAPI document but has no openapi or swagger version"
    return ""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Imported:
    """A converted import: the format it was read as, the result, and for a HAR archive
    every recorded exchange (for the history)."""

    format: str
    result: ImportResult
    har_entries: tuple[HarEntry, ...] = ()


def decode_import(data: bytes) -> str:
    """The text of an import file: UTF-8 with or without a BOM, or a FormatError."""
    if len(data) > MAX_IMPORT_BYTES:
        raise FormatError(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError("This is not UTF-8 text", f"byte {error.start}") from None


def read_import_file(path: Path) -> str:
    """The text of the file at `path`; FormatError (without the path) when it is missing,
    a folder, unreadable, too large or not UTF-8."""
    try:
        with path.open("rb") as handle:
            data = read_limited(handle)
    except FileNotFoundError:
        raise FormatError("no such file") from None
    except IsADirectoryError:
        raise FormatError("is a folder, not a file") from None
    except OSError as error:
        raise FormatError(f"cannot read it ({error.strerror or error})") from None
    return decode_import(data)


def read_limited(stream: BinaryIO) -> bytes:
    """At most MAX_IMPORT_BYTES + 1 bytes of `stream`: one more than allowed tells
    `decode_import` that the source is too large, without reading all of it."""
    return stream.read(MAX_IMPORT_BYTES + 1)


def pasted_text(text: str | None) -> str:
    """Pasted (or downloaded and decoded) text; FormatError when there is nothing in it."""
    if not text or not text.strip():
        raise FormatError("There is nothing to import: the text is empty")
    return text


def import_text(
    text: str,
    format: str | None = None,
    filename: str | None = None,
    base_dir: Path | str | None = None,
) -> ImportResult:
    """Import `text` in `format` (detected when None); see `convert`."""
    return convert(text, format, filename, base_dir).result


def convert(
    text: str,
    format: str | None = None,
    filename: str | None = None,
    base_dir: Path | str | None = None,
) -> Imported:
    """Import `text` in `format` (detected when None).

    `filename` helps detection and names collections that carry no name of their own;
    `base_dir` is where relative file references (`.http` `< ./body.json`) are resolved.
    Raises FormatError, and only FormatError, with a one-line message.
    """
    with _guarded("input") as notes:
        imported = _convert(text, format, filename, base_dir)
        _check_depth(imported.result.collection)
        notes.extend(_other_machines_paths(imported.result.collection))
    if not notes:
        return imported
    report = (*imported.result.report, *notes)
    return replace(imported, result=replace(imported.result, report=report))


def _convert(
    text: str, format: str | None, filename: str | None, base_dir: Path | str | None
) -> Imported:
    from explorer.core.formats.document import clean_text

    if len(text) > MAX_IMPORT_BYTES:
        raise FormatError(f"The input is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    text = clean_text(text)
    if format:
        return _convert_as(format, text, filename, base_dir)
    try:
        chosen = detect_format(text, filename)
    except FormatError as unrecognised:
        return _fallback(text, filename, base_dir, (), unrecognised)
    try:
        return _convert_as(chosen, text, filename, base_dir)
    except FormatError as failed:
        # Sniffing can be wrong (a schema URL in an OpenAPI example): another importer
        # that reads the text beats an error; without one, the detected format's error.
        return _fallback(text, filename, base_dir, (chosen,), failed)


def _convert_as(
    chosen: str, text: str, filename: str | None, base_dir: Path | str | None
) -> Imported:
    fallback = Path(filename).stem if filename else "Imported"
    if chosen == "har":
        from explorer.core.formats.har import import_har

        har = import_har(text, name=fallback)
        return Imported(chosen, har.result, har.entries)
    return Imported(chosen, _import(chosen, text, fallback, base_dir))


# The order the importers are tried in when sniffing did not settle the format: the
# document formats for a document, the text formats for text, then all the others.
_DOCUMENT_ORDER = ("postman", "insomnia", "openapi", "har")
_TEXT_ORDER = ("curl", "http", "hurl")


def _fallback(
    text: str,
    filename: str | None,
    base_dir: Path | str | None,
    tried: tuple[str, ...],
    error: FormatError,
) -> Imported:
    """The first importer that reads `text` into something (a request or an
    environment), so that detection is never worse than an explicit `--format`;
    `error` (the detection's or the detected importer's) when none does."""
    stripped = text.lstrip("\ufeff \t\r\n")
    document = stripped[:1] in ("{", "[") or _looks_like_yaml(stripped)
    first = _DOCUMENT_ORDER + _TEXT_ORDER if document else _TEXT_ORDER + _DOCUMENT_ORDER
    order = [name for name in (*first, *FORMATS) if name not in tried]
    for name in dict.fromkeys(order):
        try:
            imported = _convert_as(name, text, filename, base_dir)
        except Exception:  # noqa: BLE001 - FormatError, or a bug in an importer not chosen
            continue
        if _holds_something(imported):
            if not tried:
                return imported
            note = (
                f"Read as {name}: it looked like {tried[0]}, which could not read it "
                f"({_one_line(error.message)})."
            )
            report = (*imported.result.report, note)
            return replace(imported, result=replace(imported.result, report=report))
    raise error


def _holds_something(imported: Imported) -> bool:
    """Whether a guessed reading found something: an environment, variables, or a
    request whose URL looks like one (the .http reading takes any line for a URL, so
    "just some words" would otherwise be a GET request)."""
    result = imported.result
    if result.environments or result.collection.environments or result.collection.variables:
        return True
    return any(
        _PLAUSIBLE_URL.match(item.request.url) for _, item in walk_requests(result.collection)
    )


# A URL with a scheme, a {{variable}} or a path first, or a host name with a dot, a port
# or `localhost`; never anything with a space in it.
_PLAUSIBLE_URL = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://|\{\{[^{}\s]+\}\}|/|localhost\b|[\w-]+(?:\.[\w-]+)+"
    r"|[\w.-]+:\d+)\S*\Z"
)


def _import(chosen: str, text: str, fallback: str, base_dir: Path | str | None) -> ImportResult:
    if chosen == "curl":
        return _import_curl(text, fallback)
    if chosen == "postman":
        from explorer.core.formats.postman import import_postman

        return import_postman(text)
    if chosen == "insomnia":
        from explorer.core.insomnia import import_insomnia

        return import_insomnia(text)
    if chosen == "opencollection":
        from explorer.core.opencollection import import_opencollection

        return import_opencollection(text, fallback)
    if chosen == "openapi":
        from explorer.core.formats.openapi import import_openapi

        return import_openapi(text)
    if chosen == "http":
        from explorer.core.dothttp.parser import import_http

        return import_http(text, name=fallback, base_dir=Path(base_dir) if base_dir else None)
    if chosen == "hurl":
        from explorer.core.hurl.importer import import_hurl

        return import_hurl(text, name=fallback, base_dir=Path(base_dir) if base_dir else None)
    if chosen == "bruno":
        from explorer.core.bruno.json_collection import import_bruno_text

        return import_bruno_text(text, fallback)
    raise FormatError(f"Unknown format {chosen!r}; choose from {', '.join(FORMATS)}", "")


# ---- folders ---------------------------------------------------------------------------


# A collection folder of another tool, recognised by the file at its root: that file's
# name, the format's key, and the importer (a bounded read of the folder into a result).
# Another folder format is one more line here.
def _bruno_folder(folder: Path) -> ImportResult:
    from explorer.core.bruno import import_bruno_folder

    return import_bruno_folder(folder)


def _opencollection_folder(folder: Path) -> ImportResult:
    from explorer.core.opencollection import import_opencollection_folder

    return import_opencollection_folder(folder)


# First match wins: a Bruno 3 folder in YAML may keep a bruno.json beside its
# opencollection.yml, and its requests are then .yml files, not .bru ones.
FOLDER_FORMATS: tuple[tuple[str, str, Callable[[Path], ImportResult]], ...] = (
    ("opencollection.yml", "opencollection", _opencollection_folder),
    ("bruno.json", "bruno", _bruno_folder),
)
# Named (in this order) in the message for a folder of no known format.
_NAMED_MARKERS = ("bruno.json", "opencollection.yml")


def folder_format(folder: Path) -> str | None:
    """The key of the folder format `folder` is in (by its marker file), or None."""
    for marker, key, _ in FOLDER_FORMATS:
        path = folder / marker
        if path.is_file() and not path.is_symlink():
            return key
    return None


def convert_folder(folder: Path | str) -> Imported:
    """Import the collection folder of another tool (Bruno's, by its bruno.json).

    Guarded like `convert`: raises FormatError, and only FormatError, with a one-line
    message. The read is bounded (files, bytes, depth) and follows no symbolic link.
    """
    path = Path(folder)
    with _guarded("folder") as notes:
        if not path.is_dir():
            raise FormatError("not a folder" if path.exists() else "no such folder")
        chosen = folder_format(path)
        if chosen is None:
            known = [marker for marker, _, _ in FOLDER_FORMATS]
            markers = " or ".join(dict.fromkeys([*_NAMED_MARKERS, *known]))
            raise FormatError(f"no {markers} in {path}: not a collection folder this app reads")
        importer = next(entry[2] for entry in FOLDER_FORMATS if entry[1] == chosen)
        result = importer(path)
        _check_depth(result.collection)
        notes.extend(_other_machines_paths(result.collection))
    if notes:
        result = replace(result, report=(*result.report, *notes))
    return Imported(chosen, result)


@contextlib.contextmanager
def _guarded(what: str) -> Iterator[list[str]]:
    """Run an import so that only a one-line FormatError can come out of it, whatever
    the importer does (`what` is "input" or "folder", for the messages); yields the
    import session's notes, which join the report."""
    from explorer.core.formats.document import import_session

    try:
        with import_session() as notes:
            yield notes
    except FormatError as error:
        raise FormatError(_one_line(error.message), _one_line(error.location)) from None
    except RecursionError:
        raise FormatError(f"The {what} is nested too deeply to import") from None
    except MemoryError:
        raise FormatError(f"The {what} is too large to import") from None
    except Exception as error:  # noqa: BLE001 - a bug in an importer must not reach the user
        detail = _one_line(str(error)) or type(error).__name__
        raise FormatError(f"Could not convert this {what}: {detail}") from None


# A Windows drive or UNC path (C:\Users\…, \\server\share): written on another machine.
_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")


def _other_machines_paths(collection: Collection) -> list[str]:
    """A report line when requests send files by a Windows absolute path: on this
    machine it names nothing, and the send would fail later with "cannot read"."""
    found = []
    for _folder, item in walk_requests(collection):
        body = item.request.body
        names = [body.file, *(part.file for part in body.parts)]
        found += [name for name in names if name and _WINDOWS_PATH.match(name)]
    if not found or _WINDOWS_PATH.match(str(Path.cwd())):
        return []
    shown = ", ".join(_clip(name, 60) for name in found[:2]) + (", …" if len(found) > 2 else "")
    return [
        f"{len(found)} file(s) the requests send are named by a Windows path from another "
        f"machine ({shown}): choose them again in the request's Body tab"
    ]


def _check_depth(collection: Collection) -> None:
    """Folders nested deeper than MAX_FOLDER_DEPTH are refused: their paths would not fit
    the file system, and the window and the store walk folders recursively."""
    pending = [(item, 1) for item in collection.items if isinstance(item, Folder)]
    while pending:
        folder, depth = pending.pop()
        if depth > MAX_FOLDER_DEPTH:
            raise FormatError(f"Folders are nested more than {MAX_FOLDER_DEPTH} levels deep")
        pending.extend((inner, depth + 1) for inner in folder.items if isinstance(inner, Folder))


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"


def _import_curl(text: str, name: str) -> ImportResult:
    from explorer.core.formats.curl import parse_curl

    parsed = parse_curl(text)
    request = parsed.request.with_changes(name=parsed.request.name or _request_name(parsed.request))
    return ImportResult(Collection(name, items=(RequestItem(request),)), (), parsed.report)


def _request_name(request: Any) -> str:
    path = re.sub(r"^[a-z]+://[^/]*", "", request.url) or "/"
    return f"{request.method} {path}"
