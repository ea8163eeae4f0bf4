"""`run DIR|FILE`: send a collection's requests in order, check each response, report.

The work is the application layer's run engine (`explorer.application.running`), the
same one the window's runner uses; this module reads the command line into a
`RunPlan`, prints one line per request (and one per failed assertion) as results come,
then the totals, and writes the reports asked for.

What it prints and reports never holds a secret: the engine's `RunResult`s are masked
(a request is shown as written, secret variables as `{{name}}`; whatever came back from
the network, a script or a secret capture passes through one `SecretMask`).

With `--cookie-jar FILE` every request shares the cookies of FILE (Netscape cookies.txt,
as curl's -b and -c); the jar is written back to it at the end, atomically and readable
by its owner only, also after a failed or stopped run. A FILE that is not a cookie file
stops the command before any request, and is left as it is.

With `--explain` each response is explained (explorer.core.explain, run by the engine):
its errors and warnings are printed under its line, info findings are counted in a last
line, and the reports hold them all. Findings never change the exit status.

Exit status: 0 when every request got a response and every assertion passed, 1
otherwise (or when the run was stopped), 2 for a usage or load error (`CommandError`).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.application.running import (
    RequestFinished,
    Run,
    RunEvent,
    RunPlan,
    RunResult,
    RunSummary,
    ScriptHooks,
    credentials,
    shown_url,
    whole_collection,
)
from explorer.application.scopes import command_line_scope, find_environment, request_scopes
from explorer.application.sending import Place, PreparedSend, SendOptions, prepare_send
from explorer.cli.errors import CommandError
from explorer.core.collection import Collection, Folder
from explorer.core.model import Request
from explorer.core.resolve.variables import Scope, VariableProblem
from explorer.core.units import human_duration, human_size

if TYPE_CHECKING:
    from explorer.application.loading import LoadedCollection
    from explorer.core.http.cookie_jar import SharedJar

__all__ = [
    "Overrides",
    "credentials",
    "load",
    "open_folder",
    "plan_run",
    "request_to_send",
    "run_collection",
    "run_from_arguments",
    "scopes_for",
    "shown_url",
]

INDENT = " " * 6  # under the request's line: its failed assertions, script output
# The findings printed under a request's line; info ones are only counted (a CI log
# full of "worth knowing" hides the mistakes).
FINDING_MARKS = {"error": "✖", "warning": "⚠"}


@dataclass(frozen=True)
class Overrides:
    """What the command line changes in every request."""

    timeout: float | None = None
    max_body: int | None = None
    total_timeout: float | None = None
    allow_files: bool = False  # send files from outside the collection folder

    @property
    def options(self) -> SendOptions:
        """The options every request is sent with."""
        return SendOptions(self.timeout, self.max_body, self.total_timeout)


def open_folder(path: str) -> LoadedCollection:
    """The collection at `path` with its secret values from the local secret store;
    files that cannot be read are reported, not fatal."""
    from explorer.application.loading import open_collection
    from explorer.core.paths import secret_store_path
    from explorer.core.storage.secrets import SecretStore

    folder = Path(path)
    if not folder.is_dir():
        raise CommandError(f"{path}: not a collection folder or a file to run")
    loaded = open_collection(folder, SecretStore(secret_store_path()))
    for problem in loaded.result.problems:
        location = f":{problem.line}" if problem.line else ""
        print(f"warning: skipped {problem.path}{location}: {problem.message}", file=sys.stderr)
    return loaded


def load(path: str) -> tuple[Collection, str]:
    """The collection at `path` as its files hold it (secret values left out, for an
    export) and its secrets key; problems are reported, not fatal."""
    loaded = open_folder(path)
    return loaded.result.collection, loaded.key


def scopes_for(collection: Collection, key: str, env_name: str | None) -> list[Scope]:
    """Variable scopes, lowest first: global, collection, then the chosen environment.

    Secret values come from the local secret store, never from the collection files.
    """
    from explorer.core.paths import secret_store_path
    from explorer.core.storage.secrets import SecretStore

    return _scopes(SecretStore(secret_store_path()).fill(key, collection), env_name)


def _scopes(collection: Collection, env_name: str | None) -> list[Scope]:
    """The scopes of `collection` (secret values filled in): the window's scopes for
    the same collection and environment."""
    from explorer.application.loading import load_global_variables
    from explorer.core.paths import globals_path, secret_store_path
    from explorer.core.storage.secrets import SecretStore

    global_variables, problem = load_global_variables(
        globals_path(), SecretStore(secret_store_path())
    )
    if problem:
        print(f"warning: global variables skipped: {problem}", file=sys.stderr)
    environment = None
    if env_name:
        environment = find_environment(collection, env_name)
        if environment is None:
            known = ", ".join(e.name for e in collection.environments) or "none"
            raise CommandError(f"no environment named {env_name!r} (known: {known})")
    return request_scopes(global_variables.variables, collection, environment)


def run_from_arguments(args: argparse.Namespace) -> int:
    """`run` as the parser of explorer.cli read it."""
    overrides = Overrides(
        timeout=args.timeout,
        max_body=args.max_body,
        total_timeout=args.max_time,
        allow_files=args.allow_files,
    )
    jar_file = Path(args.cookie_jar) if args.cookie_jar else None
    jar = open_cookie_jar(jar_file) if jar_file is not None else None
    plan = plan_run(args.collection, args.env, overrides, dict(args.var), dict(args.secret))
    plan = replace(
        plan,
        data=_data_rows(args.data),
        iterations=args.iterations,
        delay_ms=args.delay,
        bail=args.bail,
        explain=args.explain or bool(args.explain_ignore),
        explain_silenced=frozenset(rule for rules in args.explain_ignore for rule in rules),
    )
    plan = replace(plan, scripts=_script_hooks(args, plan))
    reporters = [("junit", args.junit)] if args.junit else []
    reporters += args.reporter
    reports = [(kind, Path(path)) for kind, path in reporters]
    if jar is None or jar_file is None:
        return execute(plan, reports)
    return execute(plan, reports, cookies=(jar, jar_file))


def open_cookie_jar(path: Path) -> SharedJar:
    """The jar of the cookie file at `path` (none there yet: an empty jar); one that
    cannot be read is a CommandError, and is not written over."""
    from explorer.core.http.cookie_jar import CookieFileError, load_jar

    try:
        return load_jar(path)
    except CookieFileError as error:
        raise CommandError(f"{path}: the cookie jar {error}") from None


def save_cookie_jar(jar: SharedJar, path: Path) -> None:
    from explorer.core.http.cookie_jar import save_jar

    try:
        save_jar(jar, path)
    except OSError as error:
        raise CommandError(f"{path}: the cookie jar could not be written: {error}") from None


def _script_hooks(args: argparse.Namespace, plan: RunPlan) -> ScriptHooks | None:
    """The scripts' hooks when the collection's scripts may run (`--allow-scripts`,
    explorer.application.scripting), else None: scripts are not run."""
    if not _may_hold_scripts(plan.collection):
        return None  # nothing to run or warn about: the scripting module is not imported
    from explorer.application.scripting import hooks_for_run

    hooks, warning = hooks_for_run(plan.collection, plan.root, args.allow_scripts)
    if warning:
        print(warning, file=sys.stderr)
    return hooks


def _may_hold_scripts(collection: Collection) -> bool:
    """Whether any `Scripts` of `collection` holds text (a kept script of another tool
    counts too: `hooks_for_run` tells which would run). False is certain: no script."""

    def inside(node: Collection | Folder) -> bool:
        for item in node.items:
            if isinstance(item, Folder):
                if item.scripts or inside(item):
                    return True
            elif item.request.scripts:
                return True
        return False

    return bool(collection.scripts) or inside(collection)


def _data_rows(path: str | None) -> tuple[Mapping[str, str], ...]:
    if path is None:
        return ()
    from explorer.core.data_file import DataFileError, read_data_file

    try:
        rows = read_data_file(Path(path))
    except DataFileError as error:
        raise CommandError(f"{path}: {error}") from None
    if not rows:
        raise CommandError(f"{path}: the data file has no rows")
    return rows


def run_collection(
    path: str,
    env_name: str | None,
    junit: str | None,
    timeout: float | None,
    allow_files: bool = False,
    *,
    variables: Mapping[str, str] | None = None,
    secrets: Mapping[str, str] | None = None,
    max_body: int | None = None,
    max_time: float | None = None,
) -> int:
    """Send the requests in order once; 0 when every one passed, 1 otherwise."""
    overrides = Overrides(
        timeout=timeout, max_body=max_body, total_timeout=max_time, allow_files=allow_files
    )
    plan = plan_run(path, env_name, overrides, variables or {}, secrets or {})
    return execute(plan, [("junit", Path(junit))] if junit else [])


def execute(
    plan: RunPlan,
    reporters: list[tuple[str, Path]],
    cookies: tuple[SharedJar, Path] | None = None,
) -> int:
    """Run `plan`, printing as results come; write the reports; the exit status.
    `cookies`: the jar the requests share and the file it is written back to, whatever
    way the run ends."""

    def show(event: RunEvent) -> None:
        if isinstance(event, RequestFinished):
            for line in result_lines(event.result, plan.iteration_count):
                print(line, flush=True)
            for warning in event.result.warnings:
                print(f"warning: {warning} [{event.result.name}]", file=sys.stderr)

    run = Run(plan, on_event=show, cookies=cookies[0] if cookies else None)
    try:
        with _interrupt_cancels(run) as interrupted:
            summary = run.run()
    finally:
        if cookies is not None:
            save_cookie_jar(*cookies)
    print(totals_line(summary))
    if summary.explained:
        from explorer.application.reports.text import findings_total

        print(f"findings: {findings_total(summary.finding_counts)}")
    for captured in summary.to_environment:
        print(
            f"note: {{{{{captured.variable}}}}} was captured for the environment "
            "(the command line does not write environments)",
            file=sys.stderr,
        )
    for kind, path in reporters:
        from explorer.application.reports import ReportError, write_report

        try:
            write_report(kind, path, summary)
        except ReportError as error:
            raise CommandError(str(error)) from None
    if interrupted:
        print("interrupted", file=sys.stderr)
        return 130  # as a shell reports a command stopped by Ctrl-C
    return 0 if summary.passed else 1


@contextlib.contextmanager
def _interrupt_cancels(run: Run) -> Iterator[list[bool]]:
    """While the run goes: the first Ctrl-C (SIGINT) cancels it, so that the results so
    far are printed and reported; a second one stops the process as usual. Yields a
    list that holds True once interrupted."""
    interrupted: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def cancel(_signal: int, _frame: object) -> None:
        interrupted.append(True)
        signal.signal(signal.SIGINT, previous)
        run.cancel()

    previous = signal.signal(signal.SIGINT, cancel) or signal.default_int_handler
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def totals_line(summary: RunSummary) -> str:
    failed = summary.failed_count
    line = f"{len(summary.results) - failed} passed, {failed} failed"
    passed_assertions, assertions = summary.assertion_counts
    if assertions:
        line += f" ({passed_assertions} of {assertions} assertions passed)"
    if summary.cancelled:
        line += "; the run was stopped"
    elif summary.bailed:
        line += "; stopped at the first failure (--bail)"
    return line


def result_lines(result: RunResult, iterations: int) -> list[str]:
    """The line of one request, then one line per failed assertion and script output."""
    label = result.label if iterations <= 1 else f"{result.label}, iteration {result.iteration}"
    mark = "ok   " if result.passed else "FAIL "
    if result.status is not None:
        redirected = f" -> {result.final_url}" if result.final_url else ""
        text = (
            f"{mark} {result.status} {result.method} {result.url}{redirected}  "
            f"{human_duration(result.elapsed_ms)}  {human_size(result.size)}  [{label}]"
        )
    else:
        text = f"{mark} {result.method} {result.url}  {result.error}  [{label}]"
    if result.unresolved:
        text += f"  (unresolved: {', '.join(result.unresolved)})"
    lines = [text]
    if result.failures:
        from explorer.application.reports.text import failure_text

        lines += [f"{INDENT}failed: {failure_text(failed)}" for failed in result.failures]
    if result.status is not None and result.error:
        lines.append(f"{INDENT}{result.error_kind} error: {result.error}")
    lines += [f"{INDENT}| {line}" for line in result.console]
    lines += [
        f"{INDENT}{FINDING_MARKS[finding.severity.value]} {finding.rule_id}  {finding.summary}"
        for finding in result.findings
        if finding.severity.value in FINDING_MARKS
    ]
    return lines


def plan_run(
    path: str,
    env_name: str | None,
    overrides: Overrides,
    variables: Mapping[str, str],
    secrets: Mapping[str, str],
) -> RunPlan:
    """Read the collection folder (or runnable file) at `path` and its scopes: global,
    collection, environment `env_name`, and above all the command line's `--var` and
    `--secret` values."""
    if Path(path).is_file():
        collection = collection_from_file(path)
        root = Path(path).absolute().parent
    else:
        loaded = open_folder(path)
        if loaded.secrets_problem:
            raise CommandError(f"the secret store cannot be read: {loaded.secrets_problem}")
        collection, root = loaded.collection, Path(path).absolute()
    return RunPlan(
        collection=collection,
        selection=whole_collection(collection),
        root=root,
        scopes=tuple(_scopes(collection, env_name)),
        overrides=command_line_scope(variables, secrets),
        options=overrides.options,
        allow_files=overrides.allow_files,
        tokens=_oauth_tokens(),
    )


def _oauth_tokens() -> Callable[[PreparedSend], PreparedSend]:
    """OAuth 2.0 tokens from the local secret store, refreshed or fetched (client
    credentials, password) as needed: application/oauth."""
    from explorer.application.oauth import token_source
    from explorer.core.paths import secret_store_path
    from explorer.core.storage.secrets import SecretStore

    return token_source(SecretStore(secret_store_path()))


def request_to_send(
    written: Request, scopes: list[Scope], overrides: Overrides
) -> tuple[Request, list[VariableProblem]]:
    """`written` (in no collection) with its variables resolved (and the problems met
    doing so) and the command line's options applied."""
    prepared = prepare_send(written, Place(), scopes, overrides.options)
    return prepared.request, list(prepared.problems)


def collection_from_file(path: str) -> Collection:
    """The requests of a file any importer of the registry reads (`.http`, Postman,
    `.hurl` once its importer is registered...), converted in memory: nothing is
    written, the file is run as it is."""
    from explorer.application import importing
    from explorer.application.formats import IMPORT_FORMATS

    file = Path(path)
    suffix = file.suffix.lower()
    format = None
    if suffix == ".hurl":
        if "hurl" not in IMPORT_FORMATS:
            raise CommandError(f"{path}: Hurl files cannot be run: no Hurl importer is registered")
        format = "hurl"
    try:
        text = importing.read_import_file(file)
        imported = importing.convert(text, format=format, filename=file.name, base_dir=file.parent)
    except importing.FormatError as error:
        raise CommandError(f"{path}: {error}") from None
    for note in imported.result.report:
        print(f"note: {note}", file=sys.stderr)
    return imported.result.collection
