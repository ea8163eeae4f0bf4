"""`export [DIR] --to TARGET`: a collection in another tool's format, one program that
sends all its requests in order (code), or the history as HAR. The targets are the
application's registry, the same the window offers (`explorer.application.formats`)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

from explorer.cli.errors import CommandError


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    from explorer.application.formats import EXPORT_TARGETS, export_help

    parser = commands.add_parser(
        "export",
        help="export a collection, generate code, or export the history as HAR",
        description="Targets: " + export_help() + ".",
    )
    parser.add_argument(
        "collection", nargs="?", metavar="DIR", help="a collection folder (not for har)"
    )
    parser.add_argument("--to", required=True, choices=EXPORT_TARGETS, metavar="TARGET",
                        help="one of: " + ", ".join(EXPORT_TARGETS))  # fmt: skip
    parser.add_argument("--out", help="write to this file instead of standard output")
    parser.add_argument("--env", help="for code: resolve variables with this environment too")


def run_export(args: argparse.Namespace) -> int:
    """Write the export to --out (atomically) or to standard output."""
    from explorer.application.formats import COLLECTION_FORMATS, HISTORY_FORMATS

    if args.to in HISTORY_FORMATS:
        if args.collection:
            raise CommandError(
                f"--to {args.to} exports the history, not a collection: leave out DIR"
            )
        text = _history_text()
    else:
        if not args.collection:
            raise CommandError(f"--to {args.to} needs a collection folder (DIR)")
        if args.to in COLLECTION_FORMATS:
            return _export_collection(args)
        text = _collection_code(args)
    if args.out:
        from explorer.core.atomic import write_text_atomic

        try:
            write_text_atomic(Path(args.out), text)
        except OSError as error:
            raise CommandError(f"{args.out}: cannot write ({error.strerror})") from None
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _export_collection(args: argparse.Namespace) -> int:
    """A collection in another tool's format: to --out with the files that go beside it
    (a folder format needs --out), or the main file to standard output."""
    from explorer.application.exporting import collection_export, write_collection
    from explorer.application.formats import COLLECTION_FORMATS
    from explorer.cli.run import load

    collection, _key = load(args.collection)
    spec = COLLECTION_FORMATS[args.to]
    if args.out:
        try:
            written = write_collection(collection, args.to, Path(args.out))
        except OSError as error:
            raise CommandError(f"{args.out}: cannot write ({error.strerror or error})") from None
        _notes(written.report)
        for path in written.paths:
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if spec.folder:
        raise CommandError(f"--to {args.to} writes a folder of files: give it with --out DIR")
    export = collection_export(collection, args.to)
    _notes(export.report)
    if export.files:
        names = ", ".join(file.name.replace("{stem}", "NAME") for file in export.files)
        print(f"note: not written without --out: {names}", file=sys.stderr)
    sys.stdout.write(export.text)
    return 0


def _notes(report: tuple[str, ...]) -> None:
    for line in report:  # what the format cannot carry, as `import` reports its notes
        print(f"note: {line}", file=sys.stderr)


def _collection_code(args: argparse.Namespace) -> str:
    from explorer.application.codegen import collection_code
    from explorer.cli.run import load, scopes_for

    collection, key = load(args.collection)
    # Variables are resolved as `run` resolves them, except secrets: generated code
    # reads those from environment variables, so they are never written into it.
    return collection_code(args.to, collection, scopes_for(collection, key, args.env))


def _history_text() -> str:
    """The history of this data folder (API_EXPLORER_HOME), newest first, as the window's
    History ▸ Export as HAR writes it."""
    from explorer.application.exporting import history_entries, history_text
    from explorer.core.paths import history_path
    from explorer.core.storage.history import History

    path = history_path()
    if not path.is_file():  # opening it would create an empty database
        raise CommandError(f"the history is empty (no {path})")
    try:
        history = History(path)
        try:
            entries = history_entries(history)
        finally:
            history.close()
    except sqlite3.Error as error:
        raise CommandError(f"{path}: cannot read the history ({error})") from None
    if not entries:
        raise CommandError("the history is empty")
    return history_text(entries)
