"""`export DIR --to FORMAT`: a collection as Postman, .http, or code for each request."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.cli.errors import CommandError

COLLECTION_FORMATS = ("postman", "http")
CODE_TARGETS = ("curl", "python", "httpie", "fetch")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("export", help="export a collection or generate code")
    parser.add_argument("collection", help="a collection folder")
    parser.add_argument("--to", required=True, choices=COLLECTION_FORMATS + CODE_TARGETS)
    parser.add_argument("--out", help="write to this file instead of standard output")
    parser.add_argument("--env", help="for code: resolve variables with this environment too")


def run_export(args: argparse.Namespace) -> int:
    from explorer.cli.run import load, scopes_for
    from explorer.core.collection import walk_requests
    from explorer.core.resolve.inheritance import effective_request
    from explorer.core.resolve.variables import resolve_except_secrets

    collection, key = load(args.collection)
    if args.to == "postman":
        from explorer.core.formats.postman_export import export_postman

        text = export_postman(collection)
    elif args.to == "http":
        from explorer.core.formats.http_file import export_http

        text = export_http(collection)
    else:
        from explorer.core.codegen import generate

        # Variables are resolved as `run` resolves them, except secrets: generated code
        # reads those from environment variables, so they are never written into it.
        scopes = scopes_for(collection, key, args.env)
        blocks = []
        for folder, item in walk_requests(collection):
            request = effective_request(collection, folder, item)
            request, secrets = resolve_except_secrets(request, scopes)
            title = "/".join((*folder, item.name))
            blocks.append(f"# {title}\n{generate(args.to, request, secrets)}")
        text = "\n\n".join(blocks) + "\n"
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
