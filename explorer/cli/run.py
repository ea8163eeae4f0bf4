"""`run DIR`: send every request of a collection in order and report each result."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from explorer.cli import CommandError
from explorer.core.collection import Collection, Environment, walk_requests
from explorer.core.exchange import Response, SendError
from explorer.core.inheritance import effective_request
from explorer.core.model import Request
from explorer.core.units import human_duration, human_size
from explorer.core.variables import REASON_UNDEFINED, Scope, resolve_request_checked


@dataclass(frozen=True)
class Outcome:
    """What happened to one request of the run."""

    name: str
    folder: tuple[str, ...]
    request: Request
    response: Response | None
    error: SendError | None
    seconds: float

    @property
    def passed(self) -> bool:
        return self.error is None


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


def _find_environment(collection: Collection, name: str) -> Environment:
    for environment in collection.environments:
        if environment.name == name:
            return environment
    known = ", ".join(e.name for e in collection.environments) or "none"
    raise CommandError(f"no environment named {name!r} (known: {known})")


def run_collection(
    path: str,
    env_name: str | None,
    junit: str | None,
    timeout: float | None,
    allow_files: bool = False,
) -> int:
    """Send the requests in order; 0 when every one got a response, 1 otherwise.

    Relative file paths in requests are taken inside the collection folder; a request
    naming a file outside it fails unless `allow_files` (see `explorer.core.file_access`).
    """
    from explorer.core.file_access import resolve_request_files
    from explorer.core.transport import Transport

    collection, key = load(path)
    scopes = scopes_for(collection, key, env_name)
    transport = Transport()
    outcomes = []
    try:
        for folder, item in walk_requests(collection):
            request = effective_request(collection, folder, item)
            request, problems = resolve_request_checked(request, scopes)
            missing = [p.name for p in problems]
            for problem in problems:  # cycles, nesting and size: say which variable
                if problem.reason != REASON_UNDEFINED:
                    print(f"warning: {problem.message} [{item.name}]", file=sys.stderr)
            if timeout is not None:
                request = request.with_changes(options=replace(request.options, timeout=timeout))
            request = resolve_request_files(request, Path(path).absolute())
            refused = None if allow_files else _outside_file(request, path, collection.name)
            outcome = _send(transport, item.name, folder, request, refused)
            outcomes.append(outcome)
            print(_line(outcome, missing), flush=True)
    finally:
        transport.close()
    failed = sum(not o.passed for o in outcomes)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    if junit:
        from explorer.cli.junit import write_junit

        write_junit(Path(junit), collection.name, outcomes)
    return 1 if failed else 0


def _outside_file(request: Request, root: str, collection: str) -> SendError | None:
    """The refusal to send `request` when it names a file outside the collection folder."""
    from explorer.core.exchange import ErrorKind
    from explorer.core.file_access import files_outside, outside_message

    outside = files_outside(request, root)
    if not outside:
        return None
    return SendError(ErrorKind.INVALID_BODY, outside_message(outside, collection))


def _send(
    transport: object,
    name: str,
    folder: tuple[str, ...],
    request: Request,
    refused: SendError | None = None,
) -> Outcome:
    started = time.perf_counter()
    if refused is not None:
        return Outcome(name, folder, request, None, refused, 0.0)
    try:
        response = transport.send(request)  # type: ignore[attr-defined]
        error = None
    except SendError as exc:
        response, error = None, exc
    return Outcome(name, folder, request, response, error, time.perf_counter() - started)


def _line(outcome: Outcome, missing: list[str]) -> str:
    label = "/".join((*outcome.folder, outcome.name or outcome.request.url))
    request = outcome.request
    if outcome.response is not None:
        response = outcome.response
        text = (
            f"ok    {response.status} {request.method} {response.url}  "
            f"{human_duration(response.elapsed_ms)}  {human_size(response.body_size)}  [{label}]"
        )
    else:
        assert outcome.error is not None
        text = f"FAIL  {request.method} {request.url}  {outcome.error.message}  [{label}]"
    if missing:
        text += f"  (unresolved: {', '.join(sorted(set(missing)))})"
    return text
