"""`import FILE|DIR|URL|-`: convert curl, Postman, Insomnia, OpenAPI, HAR, .http or Hurl
files, and collection folders of other tools (Bruno, OpenCollection)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.cli.errors import CommandError

if TYPE_CHECKING:
    from explorer.core.formats import ImportResult
    from explorer.core.model import Request


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    from explorer.application.formats import IMPORT_FORMATS

    parser = commands.add_parser("import", help="convert a file into a collection folder")
    parser.add_argument(
        "source",
        help="a file, a Bruno or OpenCollection folder, an http(s) URL, or - for standard input",
    )
    parser.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        help="skip detection: " + "; ".join(f"{f.key}: {f.label}" for f in IMPORT_FORMATS.values()),
    )
    parser.add_argument("--into", help="write the collection into this folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object per request")


def read_source(source: str) -> tuple[str, str | None]:
    """The text of `source` and a file name to help format detection, read the one way
    the window reads them too (explorer.application.importing: bytes, a BOM dropped, at
    most MAX_IMPORT_BYTES, UTF-8, one-line errors)."""
    from explorer.application import importing

    try:
        if source == "-":
            return importing.decode_import(importing.read_limited(sys.stdin.buffer)), None
        if source.startswith(("http://", "https://")):
            return _download(source), importing.source_name(source)
        return importing.read_import_file(Path(source)), Path(source).name
    except importing.FormatError as error:
        name = "standard input" if source == "-" else source
        raise CommandError(f"{name}: {error}") from None


def _download(url: str) -> str:
    from explorer.application import importing
    from explorer.core.http.exchange import SendError

    try:
        response = importing.download_transport().send(importing.download_request(url))
    except SendError as error:
        raise CommandError(f"{url}: {error.message}") from None
    return importing.downloaded_text(response)


def run_import(args: argparse.Namespace) -> int:
    """Convert, print what was imported and the report, write the folder if asked."""
    from explorer.core.collection import walk_requests

    result = _convert(args)
    collection = result.collection
    moved = _write(result, Path(args.into)) if args.into else ""
    if moved:  # list what the files hold: `{{name}}` where a credential was
        from explorer.core.storage.collection_files import load_collection

        collection = load_collection(Path(args.into)).collection
    for folder, item in walk_requests(collection):
        request = item.request
        if args.json:
            print(json.dumps(_as_json(folder, request), ensure_ascii=False))
        else:
            where = "/".join(folder)
            print(f"{request.method:7} {request.url}  {where + '/' if where else ''}{item.name}")
    for line in result.report:
        print(f"note: {line}", file=sys.stderr)
    if moved:
        print(f"note: {moved} (values in the local secret store)", file=sys.stderr)
    count = len(walk_requests(collection))
    destination = f" into {args.into}" if args.into else ""
    print(f"imported {count} request(s){destination}", file=sys.stderr)
    return 0


def _convert(args: argparse.Namespace) -> ImportResult:
    """The import of `args.source`: a collection folder (Bruno, OpenCollection) or a
    file, URL or standard input."""
    from explorer.application import importing

    source = args.source
    try:
        if source not in ("-",) and not source.startswith(("http://", "https://")):
            if Path(source).is_dir():
                return _convert_folder(Path(source), args.format)
        text, filename = read_source(source)
        return importing.convert(
            text, format=args.format, filename=filename, base_dir=_base_dir(source)
        ).result
    except importing.FormatError as error:
        raise CommandError(f"{source}: {error}") from None


def _convert_folder(folder: Path, format: str | None) -> ImportResult:
    from explorer.application import importing

    found = importing.folder_format(folder)
    if format is not None and found is not None and format != found:
        raise importing.FormatError(f"this is a {found} collection folder, not {format}")
    return importing.convert_folder(folder).result


def _base_dir(source: str) -> Path | None:
    """Where an .http file's `< ./body.json` is looked for: beside a file, in the current
    folder for standard input, nowhere for a download (as in the window)."""
    if source == "-":
        return Path.cwd()
    if source.startswith(("http://", "https://")):
        return None
    return Path(source).parent


def _write(result: ImportResult, folder: Path) -> str:
    """Write the collection folder all or nothing; return the line saying which
    credentials moved to secret variables."""
    from explorer.application.importing import WriteFailed, write_new_collection

    try:
        return write_new_collection(result, folder, None)
    except WriteFailed as error:
        raise CommandError(f"{folder}: {error}") from None


def _as_json(folder: tuple[str, ...], request: Request) -> dict[str, object]:
    from explorer.core.urls import join_url

    body = request.body
    content: object = body.text
    if body.kind.value == "form":
        content = [[p.name, p.value] for p in body.form if p.enabled]
    elif body.kind.value == "multipart":
        content = [
            {"name": p.name, "value": p.value, "file": p.file, "content_type": p.content_type}
            for p in body.parts
            if p.enabled
        ]
    elif body.kind.value == "binary":
        content = body.file
    return {
        "folder": "/".join(folder),
        "name": request.name,
        "method": request.method,
        "url": join_url(request.url, request.params),
        "headers": [[h.name, h.value] for h in request.headers if h.enabled],
        "body": {"kind": body.kind.value, "content_type": body.content_type, "content": content},
    }
