"""The command line: `python -m explorer run|import|export|load …`, and the check of the
window's arguments that `explorer.__main__` makes before Qt is ever imported.

Never imports Qt or Flask, so it starts fast enough to use in scripts and CI. Every
error is one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import textwrap
from collections.abc import Callable

from explorer.cli.errors import CommandError

PROG = "python -m explorer"
COMMANDS = {
    "run": "send a collection's requests in order and check their responses",
    "import": "convert a file into a collection folder",
    "export": "export a collection, generate code, or export the history as HAR",
    "load": "load-test a collection's requests with many virtual users (Locust)",
}
HELP_FLAGS = ("-h", "--help")
# The window's own options (explorer/gui.py parses them), each with its help.
WINDOW_FLAGS = {
    "--start-server": "start the sample server on launch",
    "--smoke-test": "open the window, wait for its first paint, then exit (tests, benchmarks)",
}
# Qt's documented command-line options (QGuiApplication, QApplication), passed on to Qt;
# True when the option takes a value (`-style fusion` or `-style=fusion`).
QT_OPTIONS = {
    "-platform": True,
    "-platformpluginpath": True,
    "-platformtheme": True,
    "-plugin": True,
    "-qmljsdebugger": True,
    "-qwindowgeometry": True,
    "-qwindowicon": True,
    "-qwindowtitle": True,
    "-reverse": False,
    "-session": True,
    "-style": True,
    "-stylesheet": True,
    "-widgetcount": False,
    "-display": True,
    "-geometry": True,
}


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: the usage block it prints by default is noise in a
    CI log, and `--help` has it all."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (given `command`) the parser of that command alone: `run`
    then starts without importing the registry of import and export formats."""
    parser = Parser(
        prog=PROG,
        usage=f"{PROG} COMMAND [ARGUMENTS]\n       {PROG} [WINDOW OPTIONS]",
        description="API Explorer. Without a command it opens the window.",
        epilog=_window_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        title="commands", dest="command", required=True, metavar="COMMAND", prog=PROG
    )

    run = commands.add_parser("run", help=COMMANDS["run"])
    run.add_argument(
        "collection",
        metavar="DIR|FILE",
        help="a collection folder, or a file an importer reads (.http, a Postman collection...)",
    )
    run.add_argument("--env", metavar="NAME", help="the environment whose variables to use")
    run.add_argument(
        "--reporter",
        action="append",
        default=[],
        type=_reporter,
        metavar="KIND:PATH",
        help="also write a report: junit:PATH (JUnit XML), json:PATH, html:PATH (one "
        "self-contained page); repeatable",
    )
    run.add_argument("--junit", metavar="FILE", help="the same as --reporter junit:FILE")
    run.add_argument(
        "--data",
        metavar="FILE",
        help="a CSV or JSON data file: one iteration per row, its columns as variables",
    )
    run.add_argument(
        "--iterations",
        type=_whole_number(1, MAX_ITERATIONS),
        metavar="N",
        help="run the requests N times (default: once, or once per row of --data)",
    )
    run.add_argument("--bail", action="store_true", help="stop at the first request that fails")
    run.add_argument(
        "--delay",
        type=_whole_number(0, MAX_DELAY_MS, "milliseconds"),
        default=0,
        metavar="MS",
        help="wait MS milliseconds between two requests",
    )
    run.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="override every request's timeout"
    )
    run.add_argument(
        "--max-time",
        type=_seconds,
        metavar="SECONDS",
        help="give each request at most SECONDS in all, redirects and body included",
    )
    run.add_argument(
        "--var",
        action="append",
        default=[],
        type=_assignment,
        metavar="NAME=VALUE",
        help="set a variable, above every other scope (repeatable)",
    )
    run.add_argument(
        "--secret",
        action="append",
        default=[],
        type=_secret_from_environment,
        metavar="NAME",
        help="variable NAME takes the value of the environment variable NAME, as a secret: "
        "never shown, masked in every output and report (repeatable)",
    )
    run.add_argument(
        "--max-body",
        type=_size,
        metavar="SIZE",
        help="stop a response whose decoded body grows past SIZE, e.g. 64MB (default 1 GiB)",
    )
    run.add_argument(
        "--allow-files",
        action="store_true",
        help="send local files named by requests even from outside the collection folder",
    )
    run.add_argument(
        "--cookie-jar",
        metavar="FILE",
        help="the cookies every request shares, read from FILE (Netscape cookies.txt, as "
        "curl -b/-c; missing: empty) before the run and written back to it after",
    )
    run.add_argument(
        "--allow-scripts",
        action="store_true",
        help="run the collection's Python scripts even if it is not trusted on this machine",
    )
    run.add_argument(
        "--explain",
        action="store_true",
        help="explain each response: print its errors and warnings under its line (info "
        "findings are counted at the end) and add every finding to the reports; findings "
        "never change the exit status",
    )
    run.add_argument(
        "--explain-ignore",
        action="append",
        default=[],
        type=_rule_ids,
        metavar="RULE",
        help="do not run the explain rule RULE, an id as the reports name it (repeatable, "
        "or comma-separated; implies --explain)",
    )

    if command in (None, "import"):
        from explorer.cli import importing

        importing.add_parser(commands)
    if command in (None, "export"):
        from explorer.cli import exporting

        exporting.add_parser(commands)
    if command in (None, "load"):
        from explorer.cli import load

        load.add_parser(commands, _assignment, _secret_from_environment, _whole_number)
    return parser


_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")  # what `{{name}}` accepts (core/variables)


def _variable_name(name: str) -> str:
    if not _NAME.match(name):
        raise argparse.ArgumentTypeError(f"{name!r} is not a variable name")
    return name


def _assignment(text: str) -> tuple[str, str]:
    """`--var NAME=VALUE` -> (NAME, VALUE); the value may be empty or hold `=`."""
    name, equals, value = text.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return _variable_name(name.strip()), value


def _secret_from_environment(name: str) -> tuple[str, str]:
    """`--secret NAME` -> (NAME, value of the environment variable NAME). The value is
    read here so that it never has to be typed on a command line (shell history, ps)."""
    _variable_name(name)
    if name not in os.environ:
        raise argparse.ArgumentTypeError(f"the environment variable {name} is not set")
    return name, os.environ[name]


def _rule_ids(text: str) -> list[str]:
    """`--explain-ignore a.x,b.y` -> the rule ids, each one the explainer knows; an
    unknown one names the closest known id (a typo would otherwise silence nothing)."""
    from explorer.core.explain import Category, all_rules

    known = [rule.id for rule in all_rules()]
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(f"expected a rule id, got {text!r}")
    for rule_id in ids:
        if rule_id not in known:
            guess = _closest(rule_id, known)
            if guess:
                hint = f"did you mean {guess!r}?"
            else:  # a rule id is its category's name, a dot and the rule's name
                hint = f"rule ids start with {', '.join(c.name.lower() for c in Category)}"
            raise argparse.ArgumentTypeError(f"unknown explain rule {rule_id!r} ({hint})")
    return ids


MAX_ITERATIONS = 1_000_000
MAX_DELAY_MS = 3_600_000  # an hour between two requests is already a mistake


def _reporter(text: str) -> tuple[str, str]:
    """`--reporter KIND:PATH` -> (KIND, PATH)."""
    from explorer.application.reports import REPORT_KINDS

    kind, colon, path = text.partition(":")
    if not colon or not path:
        raise argparse.ArgumentTypeError(f"expected KIND:PATH, got {text!r}")
    if kind not in REPORT_KINDS:
        raise argparse.ArgumentTypeError(
            f"unknown report kind {kind!r} (known: {', '.join(REPORT_KINDS)})"
        )
    return kind, path


def _whole_number(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (in `unit`, if named)."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            wanted = unit or "a whole number"
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"expected {low:,} to {high:,} {unit}".rstrip())
        return number

    return parse


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError("the timeout must be more than 0 seconds")
    return seconds


def _size(text: str) -> int:
    from explorer.core.units import parse_size

    try:
        size = parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if size <= 0:
        raise argparse.ArgumentTypeError("the size must be more than 0")
    return size


def _window_help() -> str:
    width = max(map(len, WINDOW_FLAGS))
    lines = ["window options (without a command):"]
    lines += [f"  {flag:<{width}}  {text}" for flag, text in WINDOW_FLAGS.items()]
    qt = "Qt's own options are passed on to Qt: " + ", ".join(QT_OPTIONS)
    lines += textwrap.wrap(qt, width=78, initial_indent="  ", subsequent_indent="    ")
    lines.append("")
    lines.append(f"'{PROG} COMMAND --help' describes a command.")
    return "\n".join(lines)


def opens_window(arguments: list[str]) -> bool:
    """Whether `arguments` are all window options (then the window opens); anything
    else is for `main`: a command, --help, or a usage error."""
    return window_argument_problem(arguments) is None


def window_argument_problem(arguments: list[str]) -> str | None:
    """What is wrong with `arguments` as the window's options, or None if nothing."""
    position = 0
    while position < len(arguments):
        argument = arguments[position]
        name, has_value, _ = argument.partition("=")
        qt_name = name[1:] if name.startswith("--") else name  # Qt accepts both
        if argument in WINDOW_FLAGS:
            position += 1
        elif QT_OPTIONS.get(qt_name):
            if not has_value and position + 1 >= len(arguments):
                return f"option {name} needs a value (see '{PROG} --help')"
            position += 1 if has_value else 2
        elif qt_name in QT_OPTIONS and not has_value:
            position += 1
        else:
            return _unknown(argument, first=position == 0)
    return None


def _unknown(argument: str, first: bool) -> str:
    if argument.startswith("-"):
        known = [*WINDOW_FLAGS, *QT_OPTIONS]
        what = f"unknown option {argument!r}"
        guess = _closest(argument.partition("=")[0], known)
    else:
        what = f"unknown command {argument!r}" if first else f"unexpected argument {argument!r}"
        guess = _closest(argument, list(COMMANDS))
    hint = f"did you mean {guess!r}? " if guess else ""
    return (
        f"{what} ({hint}commands: {', '.join(COMMANDS)}; "
        f"window options: {', '.join(WINDOW_FLAGS)}; see '{PROG} --help')"
    )


def _closest(word: str, choices: list[str]) -> str | None:
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def main(argv: list[str]) -> int:
    """Run one command, print the help, or report a usage error; returns the exit status."""
    _never_fail_on_encoding()
    if not argv or argv[0] not in COMMANDS:
        if any(argument in HELP_FLAGS for argument in argv):
            build_parser().print_help()
            return 0
        problem = window_argument_problem(argv) if argv else "a command is needed"
        print(f"{PROG}: error: {problem}", file=sys.stderr)
        return 2
    args = build_parser(argv[0]).parse_args(argv)
    try:
        if args.command == "run":
            from explorer.cli.run import run_from_arguments

            return run_from_arguments(args)
        if args.command == "import":
            from explorer.cli.importing import run_import

            return run_import(args)
        if args.command == "load":
            from explorer.cli.load import run_load

            return run_load(args)
        from explorer.cli.exporting import run_export

        return run_export(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _never_fail_on_encoding() -> None:
    # A CI log may be ASCII or Latin-1: a character it cannot show (the mask •••, a
    # non-ASCII name) becomes "?" instead of a UnicodeEncodeError traceback.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
