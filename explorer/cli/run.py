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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.application.scopes import command_line_scope, find_environment, request_scopes
from explorer.application.sending import Place, PreparedSend, SendOptions, prepare_send
from explorer.cli.errors import CommandError
from explorer.cli.outcome import Outcome
from explorer.core.collection import Collection, RequestItem, walk_requests
from explorer.core.model import Auth, AuthKind, Request
from explorer.core.resolve.secret_forms import SecretMask
from explorer.core.resolve.variables import (
    REASON_UNDEFINED,
    Scope,
    VariableProblem,
    resolve_except_secrets,
)
from explorer.core.units import human_duration, human_size

if TYPE_CHECKING:
    from explorer.application.loading import LoadedCollection
    from explorer.core.http.transport import Transport


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
        raise CommandError(f"{path}: not a collection folder")
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

    overrides = Overrides(
        timeout=timeout, max_body=max_body, total_timeout=max_time, allow_files=allow_files
    )
    plan = plan_run(path, env_name, overrides, variables or {}, secrets or {})
    transport = Transport()
    outcomes = []
    try:
        for folder, item, prepared in plan.prepared():
            outcome = _run_one(transport, item.name, folder, prepared, plan)
            outcomes.append(outcome)
            print(_line(outcome), flush=True)
    finally:
        transport.close()
    failed = sum(not o.passed for o in outcomes)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    if junit:
        from explorer.cli.junit import write_junit

        write_junit(Path(junit), plan.collection.name, outcomes)
    return 1 if failed else 0


@dataclass(frozen=True)
class Plan:
    """What `run` sends: a collection (secret values filled in) from the folder `root`,
    resolved with `scopes`, with the command line's `overrides`."""

    collection: Collection
    root: Path
    scopes: list[Scope]
    overrides: Overrides

    def prepared(self) -> Iterator[tuple[tuple[str, ...], RequestItem, PreparedSend]]:
        """Each request in order with its folder names, prepared (when its turn comes)
        by the application layer, as the window prepares it."""
        for folder, item in walk_requests(self.collection):
            place = Place(self.collection, folder, item.inherit_headers, self.root)
            options = self.overrides.options
            yield folder, item, prepare_send(item.request, place, self.scopes, options)


def plan_run(
    path: str,
    env_name: str | None,
    overrides: Overrides,
    variables: Mapping[str, str],
    secrets: Mapping[str, str],
) -> Plan:
    """Read the collection at `path` and its scopes: global, collection, environment
    `env_name`, then the command line's `--var` and `--secret` values."""
    loaded = open_folder(path)
    if loaded.secrets_problem:
        raise CommandError(f"the secret store cannot be read: {loaded.secrets_problem}")
    scopes = _scopes(loaded.collection, env_name)
    scopes.append(command_line_scope(variables, secrets))
    return Plan(loaded.collection, Path(path).absolute(), scopes, overrides)


def request_to_send(
    written: Request, scopes: list[Scope], overrides: Overrides
) -> tuple[Request, list[VariableProblem]]:
    """`written` (in no collection) with its variables resolved (and the problems met
    doing so) and the command line's options applied."""
    prepared = prepare_send(written, Place(), scopes, overrides.options)
    return prepared.request, list(prepared.problems)


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
    transport: Transport,
    name: str,
    folder: tuple[str, ...],
    prepared: PreparedSend,
    plan: Plan,
) -> Outcome:
    """Send one prepared request and describe what happened in words safe to print."""
    from explorer.application.sending import send
    from explorer.core.http.exchange import ErrorKind, SendError
    from explorer.core.resolve.file_access import outside_message

    request = prepared.request
    mask = SecretMask(prepared.sensitive | credentials(request.auth))
    for problem in prepared.problems:  # cycles, nesting and size: say which variable
        if problem.reason != REASON_UNDEFINED:
            print(mask(f"warning: {problem.message} [{name}]"), file=sys.stderr)
    shown = Outcome(
        name=name,
        folder=folder,
        method=request.method,
        url=mask(shown_url(prepared.written, plan.scopes)),
        seconds=0.0,
        unresolved=tuple(sorted(prepared.unresolved)),
    )
    if prepared.outside_files and not plan.overrides.allow_files:
        refusal = outside_message(list(prepared.outside_files), plan.collection.name)
        return replace(shown, error=mask(refusal), error_kind=ErrorKind.INVALID_BODY.value)
    started = time.perf_counter()
    try:
        response = send(transport, prepared)
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
