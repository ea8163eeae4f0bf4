"""`import FILE|URL|-`: convert curl, Postman, Insomnia, OpenAPI, HAR or .http files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.cli.errors import CommandError

if TYPE_CHECKING:
    from explorer.core.collection import Collection


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    from explorer.application.formats import IMPORT_FORMATS

    parser = commands.add_parser("import", help="convert a file into a collection folder")
    parser.add_argument("source", help="a file, an http(s) URL, or - for standard input")
    parser.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        help="skip detection: " + "; ".join(f"{f.key}: {f.label}" for f in IMPORT_FORMATS.values()),
    )
    parser.add_argument("--into", help="write the collection into this folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object per request")


def read_source(source: str) -> tuple[str, str | None]:
    """The text of `source` and a file name to help format detection.

    Every source is read as bytes and decoded the same way (UTF-8, a BOM dropped, at
    most MAX_IMPORT_BYTES), as the window does.
    """
    from explorer.core.formats import MAX_IMPORT_BYTES, FormatError, decode_import

    name = "standard input" if source == "-" else source
    try:
        data, filename = _read_bytes(source, MAX_IMPORT_BYTES)
        return decode_import(data), filename
    except FormatError as error:
        raise CommandError(f"{name}: {error}") from None


def _read_bytes(source: str, limit: int) -> tuple[bytes, str | None]:
    if source == "-":
        return sys.stdin.buffer.read(limit + 1), None
    if source.startswith(("http://", "https://")):
        from explorer.core.http.exchange import SendError
        from explorer.core.http.transport import Transport
        from explorer.core.model import Request

        try:
            response = Transport().send(Request(url=source))
        except SendError as error:
            raise CommandError(f"{source}: {error.message}") from None
        if response.status >= 400:
            raise CommandError(f"{source}: the server answered {response.status}")
        return response.read_body(), source.rsplit("/", 1)[-1]
    path = Path(source)
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1), path.name
    except FileNotFoundError:
        raise CommandError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{source}: is a folder, not a file") from None
    except OSError as error:
        raise CommandError(f"{source}: cannot read it ({error.strerror or error})") from None


def run_import(args: argparse.Namespace) -> int:
    """Convert, print what was imported and the report, write the folder if asked."""
    from explorer.core.collection import walk_requests
    from explorer.core.formats import FormatError, convert

    text, filename = read_source(args.source)
    base_dir = Path(args.source).parent if args.source not in ("-",) else Path.cwd()
    try:
        result = convert(text, format=args.format, filename=filename, base_dir=base_dir).result
    except FormatError as error:
        raise CommandError(f"{args.source}: {error}") from None
    collection = result.collection
    moved = _write(result.to_write(), Path(args.into)) if args.into else ""
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


def _write(collection: Collection, folder: Path) -> str:
    """Write the collection folder all or nothing; return the line saying which
    credentials moved to secret variables."""
    from explorer.core.formats.destination import write_new_collection
    from explorer.core.resolve.credentials import describe
    from explorer.core.storage.errors import StorageError

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CommandError(f"{folder}: the folder is not empty; choose a new one")
    try:
        moved = write_new_collection(collection, folder)  # all or nothing
    except (StorageError, OSError) as error:
        raise CommandError(f"{folder}: {error}") from None
    return describe(moved)


def _as_json(folder: tuple[str, ...], request: object) -> dict:
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
