"""`run DIR`: send every request of a collection in order and report each result.

What it prints and reports never holds a secret: a request is shown as written (secret
variables stay `{{name}}`), and everything that comes back from the network or the
transport (the final URL after redirects, the reason phrase, an error message that
quotes the URL) passes through one `SecretMask` before it becomes an `Outcome`, the only
thing the output line and the JUnit report are made from.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from explorer.cli.errors import CommandError
from explorer.cli.outcome import Outcome
from explorer.core.collection import Collection, Environment, walk_requests
from explorer.core.model import Auth, AuthKind, Request
from explorer.core.resolve.inheritance import effective_request
from explorer.core.resolve.secret_forms import SecretMask
from explorer.core.resolve.variables import (
    REASON_UNDEFINED,
    Scope,
    VariableProblem,
    resolve_except_secrets,
    resolve_request_checked,
    secret_values,
)
from explorer.core.units import human_duration, human_size

COMMAND_LINE_SCOPE = "command line"


@dataclass(frozen=True)
class Overrides:
    """What the command line changes in every request."""

    timeout: float | None = None
    max_body: int | None = None
    total_timeout: float | None = None
    allow_files: bool = False  # send files from outside the collection folder


def load(path: str) -> tuple[Collection, str]:
    """The collection at `path` and its secrets key; problems are reported, not fatal."""
    from explorer.core.storage.collection_files import load_collection

    folder = Path(path)
    if not folder.is_dir():
        raise CommandError(f"{path}: not a collection folder")
    result = load_collection(folder)
    for problem in result.problems:
        location = f":{problem.line}" if problem.line else ""
        print(f"warning: skipped {problem.path}{location}: {problem.message}", file=sys.stderr)
    return result.collection, result.collection_key


def scopes_for(collection: Collection, key: str, env_name: str | None) -> list[Scope]:
    """Variable scopes, lowest first: global, collection, then the chosen environment.

    Secret values come from the local secret store, never from the collection files.
    """
    from explorer.core.paths import globals_path, secret_store_path
    from explorer.core.storage.errors import StorageError
    from explorer.core.storage.global_variables import load_globals
    from explorer.core.storage.secrets import SecretStore

    store = SecretStore(secret_store_path())
    collection = store.fill(key, collection)
    try:
        global_variables = load_globals(globals_path(), store).variables
    except (StorageError, ValueError) as error:
        print(f"warning: global variables skipped: {error}", file=sys.stderr)
        global_variables = ()
    scopes = [
        Scope.from_variables("global", global_variables),
        Scope.from_variables("collection", collection.variables),
    ]
    if env_name:
        environment = _find_environment(collection, env_name)
        scopes.append(Scope.from_variables(f"environment {env_name}", environment.variables))
    return scopes


def command_line_scope(variables: Mapping[str, str], secrets: Mapping[str, str]) -> Scope:
    """The highest scope: `--var` values, and `--secret` values marked secret (a name
    given both ways is a secret)."""
    return Scope(COMMAND_LINE_SCOPE, values={**variables, **secrets}, secret=frozenset(secrets))


def _find_environment(collection: Collection, name: str) -> Environment:
    for environment in collection.environments:
        if environment.name == name:
            return environment
    known = ", ".join(e.name for e in collection.environments) or "none"
    raise CommandError(f"no environment named {name!r} (known: {known})")


def run_from_arguments(args: argparse.Namespace) -> int:
    """`run` as the parser of explorer.cli read it."""
    return run_collection(
        args.collection,
        args.env,
        args.junit,
        args.timeout,
        allow_files=args.allow_files,
        variables=dict(args.var),
        secrets=dict(args.secret),
        max_body=args.max_body,
        max_time=args.max_time,
    )


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
    """Send the requests in order; 0 when every one got a response, 1 otherwise.

    Relative file paths in requests are taken inside the collection folder; a request
    naming a file outside it fails unless `allow_files` (see `explorer.core.resolve.file_access`).
    """
    from explorer.core.http.transport import Transport

    collection, key = load(path)
    scopes = scopes_for(collection, key, env_name)
    scopes.append(command_line_scope(variables or {}, secrets or {}))
    overrides = Overrides(
        timeout=timeout, max_body=max_body, total_timeout=max_time, allow_files=allow_files
    )
    root = Path(path).absolute()
    transport = Transport()
    outcomes = []
    try:
        for folder, item in walk_requests(collection):
            written = effective_request(collection, folder, item)
            outcome = _run_one(
                transport, item.name, folder, written, scopes, overrides, (root, collection.name)
            )
            outcomes.append(outcome)
            print(_line(outcome), flush=True)
    finally:
        transport.close()
    failed = sum(not o.passed for o in outcomes)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    if junit:
        from explorer.cli.junit import write_junit

        write_junit(Path(junit), collection.name, outcomes)
    return 1 if failed else 0


def request_to_send(
    written: Request, scopes: list[Scope], overrides: Overrides
) -> tuple[Request, list[VariableProblem]]:
    """`written` with its variables resolved (and the problems met doing so) and the
    command line's options applied."""
    request, problems = resolve_request_checked(written, scopes)
    options = request.options
    if overrides.timeout is not None:
        options = replace(options, timeout=overrides.timeout)
    if overrides.max_body is not None:
        options = replace(options, max_body_size=overrides.max_body)
    if overrides.total_timeout is not None:
        options = replace(options, total_timeout=overrides.total_timeout)
    return request.with_changes(options=options), problems


def _outside_file(request: Request, root: Path, collection: str) -> str:
    """Why `request` is not sent when it names a file outside the collection folder,
    or "" when it names none."""
    from explorer.core.resolve.file_access import files_outside, outside_message

    outside = files_outside(request, root)
    return outside_message(outside, collection) if outside else ""


def shown_url(written: Request, scopes: list[Scope]) -> str:
    """The URL as written, with its params: non-secret variables resolved (what CI logs
    want to see), secret ones kept as `{{name}}`. Auth is left out: an API key in the
    query is a credential, not part of what the user wrote in the URL."""
    from explorer.core.http.prepare import final_url

    public, _names = resolve_except_secrets(written, scopes)
    return final_url(public.with_changes(auth=Auth()))


def credentials(auth: Auth) -> set[str]:
    """The values of resolved auth settings that are credentials, to mask like secrets
    (a literal token typed into the auth editor is as secret as a secret variable)."""
    if auth.kind in (AuthKind.BASIC, AuthKind.DIGEST) and auth.password:
        return {auth.password, f"{auth.username}:{auth.password}"}
    if auth.kind == AuthKind.BEARER:
        return {auth.token}
    if auth.kind == AuthKind.API_KEY:
        return {auth.key_value}
    return set()


def _run_one(
    transport: Any,
    name: str,
    folder: tuple[str, ...],
    written: Request,
    scopes: list[Scope],
    overrides: Overrides,
    collection: tuple[Path, str],
) -> Outcome:
    """Send one request and describe what happened in words safe to print."""
    from explorer.core.http.exchange import ErrorKind, SendError
    from explorer.core.resolve.file_access import resolve_request_files

    request, problems = request_to_send(written, scopes, overrides)
    secrets = secret_values(scopes)
    mask = SecretMask(secrets | credentials(request.auth))
    for problem in problems:  # cycles, nesting and size: say which variable
        if problem.reason != REASON_UNDEFINED:
            print(mask(f"warning: {problem.message} [{name}]"), file=sys.stderr)
    shown = Outcome(
        name=name,
        folder=folder,
        method=request.method,
        url=mask(shown_url(written, scopes)),
        seconds=0.0,
        unresolved=tuple(sorted({p.name for p in problems})),
    )
    root, collection_name = collection
    request = resolve_request_files(request, root)
    refusal = "" if overrides.allow_files else _outside_file(request, root, collection_name)
    if refusal:
        return replace(shown, error=mask(refusal), error_kind=ErrorKind.INVALID_BODY.value)
    started = time.perf_counter()
    try:
        response = transport.send(request, sensitive=secrets)
    except SendError as error:
        return replace(
            shown,
            seconds=time.perf_counter() - started,
            error=mask(error.message),
            error_kind=error.kind.value,
            hint=mask(error.hint),
        )
    if response.body_path is not None:
        # `run` never looks at a body: a spooled one (maybe echoing a secret) goes now.
        response.body_path.unlink(missing_ok=True)
    return replace(
        shown,
        seconds=time.perf_counter() - started,
        status=response.status,
        reason=mask(response.reason),
        final_url=mask(response.url) if response.hops else "",
        elapsed_ms=response.elapsed_ms,
        body_size=response.body_size,
    )


def _line(outcome: Outcome) -> str:
    if outcome.passed:
        redirected = f" -> {outcome.final_url}" if outcome.final_url else ""
        text = (
            f"ok    {outcome.status} {outcome.method} {outcome.url}{redirected}  "
            f"{human_duration(outcome.elapsed_ms)}  {human_size(outcome.body_size)}  "
            f"[{outcome.label}]"
        )
    else:
        text = f"FAIL  {outcome.method} {outcome.url}  {outcome.error}  [{outcome.label}]"
    if outcome.unresolved:
        text += f"  (unresolved: {', '.join(outcome.unresolved)})"
    return text
