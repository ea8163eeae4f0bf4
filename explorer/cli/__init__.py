"""The command line: `python -m explorer run|import|export …`.

Never imports Qt or Flask, so it starts fast enough to use in scripts and CI. Every
error is one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

COMMANDS = ("run", "import", "export")


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m explorer",
        description="API Explorer on the command line (without arguments: the window).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="send a collection's requests in order")
    run.add_argument("collection", help="a collection folder")
    run.add_argument("--env", help="the environment whose variables to use")
    run.add_argument("--junit", help="also write a JUnit XML report to this file")
    run.add_argument("--timeout", type=float, help="override every request's timeout (s)")
    run.add_argument(
        "--allow-files",
        action="store_true",
        help="send local files named by requests even from outside the collection folder",
    )

    from explorer.cli import exporting, importing

    importing.add_parser(commands)
    exporting.add_parser(commands)
    return parser


def main(argv: list[str]) -> int:
    """Run one command; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            from explorer.cli.run import run_collection

            return run_collection(
                args.collection, args.env, args.junit, args.timeout, allow_files=args.allow_files
            )
        if args.command == "import":
            from explorer.cli.importing import run_import

            return run_import(args)
        from explorer.cli.exporting import run_export

        return run_export(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
