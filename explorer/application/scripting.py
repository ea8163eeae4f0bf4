"""Python scripts around a send: who may run them (trust) and running them.

A collection's scripts run only once the user has trusted that collection on this
machine: its folder's real path and a fingerprint (SHA-256) of every script in it are
kept in the app's data directory (`ScriptTrust`), never in the collection, so a changed
script (a `git pull`, an edited file) needs trust again. `run_pre_request` and
`run_post_response` run the scripts of every layer (collection, folders, request) in ONE
child process (`explorer.core.scripting`): a child costs about 40 ms to start, the
layers' code almost nothing, so one child per layer would multiply the cost for nothing.

Scripts see secret values (they may need them, e.g. to sign a request); everything that
comes back to be shown (console lines, the error, results) is masked here before it
leaves this module. Nothing is written to a file: the child gets its job through a pipe.
This is process isolation with limits, not a sandbox: trust is the gate.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer.application.running import AfterScripts, BeforeScripts, ScriptRows
from explorer.core import paths
from explorer.core.atomic import make_private_dir, write_text_atomic
from explorer.core.checks.results import AssertionResult, ResponseFacts
from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Body, BodyKind, Pair, Request, Scripts
from explorer.core.resolve.inheritance import Source
from explorer.core.resolve.secret_forms import SecretMask
from explorer.core.resolve.variables import Resolver, Scope, secret_values
from explorer.core.scripting.process import run_child
from explorer.core.scripting.protocol import POST, PRE, ScriptLimits
from explorer.core.text.content import decode_text, detect

PRE_REQUEST = "pre-request"
POST_RESPONSE = "post-response"
# A trust file larger than this is not read (nothing is trusted): it is ours, and small.
MAX_TRUST_FILE = 4 * 1024 * 1024

__all__ = [
    "PostScriptOutcome",
    "PreScriptOutcome",
    "PythonScripts",
    "ScriptLimits",
    "ScriptText",
    "ScriptTrust",
    "TrustedCollection",
    "fingerprint",
    "has_scripts",
    "hooks_for_run",
    "run_post_response",
    "run_pre_request",
    "scripts_of",
]


# --- which scripts a collection holds -------------------------------------------------


@dataclass(frozen=True)
class ScriptText:
    """One script that would run: where it is written ("collection", "folder A / B",
    "request A / Login"), its phase (PRE_REQUEST or POST_RESPONSE) and its code."""

    place: str
    phase: str
    code: str


def _scripts_at(place: str, scripts: Scripts) -> Iterator[ScriptText]:
    # Only the Python scripts: kept scripts of other tools never run.
    if scripts.pre_request.strip():
        yield ScriptText(place, PRE_REQUEST, scripts.pre_request)
    if scripts.post_response.strip():
        yield ScriptText(place, POST_RESPONSE, scripts.post_response)


def scripts_of(collection: Collection) -> list[ScriptText]:
    """Every script of `collection` that could run, in tree order."""
    found = list(_scripts_at("collection", collection.scripts))

    def walk(node: Collection | Folder, path: tuple[str, ...]) -> None:
        for item in node.items:
            if isinstance(item, Folder):
                where = (*path, item.name)
                found.extend(_scripts_at("folder " + " / ".join(where), item.scripts))
                walk(item, where)
            elif isinstance(item, RequestItem):
                place = "request " + " / ".join((*path, item.request.name))
                found.extend(_scripts_at(place, item.request.scripts))

    walk(collection, ())
    return found


def has_scripts(collection: Collection) -> bool:
    """Whether `collection` holds any script that would run (trust is asked for then)."""
    return bool(scripts_of(collection))


def fingerprint(collection: Collection) -> str:
    """SHA-256 over every script with its place and phase: any change to what would run
    (an edit, a script moved to another request) gives another fingerprint."""
    digest = hashlib.sha256(b"api-explorer scripts 1\0")
    for script in scripts_of(collection):
        for part in (script.place, script.phase, script.code):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


# --- trust -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustedCollection:
    """One trust: the collection folder's real path, its name and scripts' fingerprint
    when trusted, and when (ISO 8601, UTC)."""

    path: str
    name: str
    fingerprint: str
    trusted_at: str


class ScriptTrust:
    """The collections whose scripts the user allowed on this machine, in a private file
    (0600) of the app's data directory. A missing or unreadable file trusts nothing.
    Keyed by the folder's real path, so a symlink or `..` in the way changes nothing."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.script_trust_path()

    @staticmethod
    def _key(folder: Path) -> str:
        return os.path.realpath(folder)

    def _read(self) -> dict[str, TrustedCollection]:
        try:
            if self.path.stat().st_size > MAX_TRUST_FILE:
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries = data.get("trusted") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            return {}
        trusted = {}
        for key, entry in entries.items():
            if isinstance(entry, dict) and all(
                isinstance(entry.get(k), str) for k in ("name", "fingerprint", "trusted_at")
            ):
                trusted[key] = TrustedCollection(
                    key, entry["name"], entry["fingerprint"], entry["trusted_at"]
                )
        return trusted

    def _write(self, trusted: Mapping[str, TrustedCollection]) -> None:
        make_private_dir(self.path.parent)
        data = {
            "version": 1,
            "trusted": {
                key: {"name": t.name, "fingerprint": t.fingerprint, "trusted_at": t.trusted_at}
                for key, t in sorted(trusted.items())
            },
        }
        write_text_atomic(self.path, json.dumps(data, indent=1, ensure_ascii=False), mode=0o600)

    def is_trusted(self, folder: Path, collection: Collection) -> bool:
        """Whether the scripts of `collection` (at `folder`) are the ones trusted there."""
        entry = self._read().get(self._key(folder))
        return entry is not None and entry.fingerprint == fingerprint(collection)

    def trust(self, folder: Path, collection: Collection) -> None:
        """Allow the scripts `collection` holds now; a later change needs trust again."""
        trusted = self._read()
        key = self._key(folder)
        when = datetime.now(UTC).isoformat(timespec="seconds")
        trusted[key] = TrustedCollection(key, collection.name, fingerprint(collection), when)
        self._write(trusted)

    def revoke(self, folder: Path) -> None:
        """Forget the trust of the collection at `folder` (nothing when there is none)."""
        trusted = self._read()
        if trusted.pop(self._key(folder), None) is not None:
            self._write(trusted)

    def list(self) -> list[TrustedCollection]:
        """Every trust kept, by path."""
        return sorted(self._read().values(), key=lambda t: t.path)


# --- running ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PreScriptOutcome:
    """After the pre-request scripts: the request to send (as they left it), the run
    variables they set (`secrets_set`: which of them are secret) or unset, what they
    printed, and `error` ("" when every script ran to its end; else one line naming
    the script and line). `results` holds any `test`/`expect` made there."""

    request: Request
    variables_set: Mapping[str, str] = field(default_factory=dict)
    secrets_set: frozenset[str] = frozenset()
    console: tuple[str, ...] = ()
    error: str = ""
    variables_unset: tuple[str, ...] = ()
    results: tuple[AssertionResult, ...] = ()


@dataclass(frozen=True)
class PostScriptOutcome:
    """After the post-response scripts: their `test`/`expect` results (source
    "script"), the run variables set or unset, what they printed, and `error`."""

    results: tuple[AssertionResult, ...] = ()
    variables_set: Mapping[str, str] = field(default_factory=dict)
    secrets_set: frozenset[str] = frozenset()
    console: tuple[str, ...] = ()
    error: str = ""
    variables_unset: tuple[str, ...] = ()


def _layers(scripts: Sequence[tuple[Scripts, Source]], phase: str) -> list[dict[str, str]]:
    layers = []
    for script, source in scripts:
        code = script.pre_request if phase == PRE_REQUEST else script.post_response
        if code.strip():
            layers.append({"label": f"{source.label} {phase} script", "code": code})
    return layers


def _visible_variables(scopes: Sequence[Scope]) -> dict[str, str]:
    """Every variable the request sees, resolved as a request would resolve it (a value
    that cannot be fully resolved keeps the references it could not expand)."""
    resolver = Resolver(scopes)
    names = dict.fromkeys(name for scope in scopes for name in scope.values)
    values = {}
    for name in names:
        value = resolver.value(name)
        if value is None:
            value = next(s.values[name] for s in reversed(scopes) if name in s.values)
        values[name] = value
    return values


def _editable_body(body: Body) -> str | None:
    return body.text if body.kind in (BodyKind.NONE, BodyKind.RAW) else None


def _request_data(request: Request) -> dict[str, Any]:
    return {
        "name": request.name,
        "method": request.method,
        "url": request.url,
        "headers": [(p.name, p.value) for p in request.headers if p.enabled and p.name],
        "params": [(p.name, p.value) for p in request.params if p.enabled and p.name],
        "body": _editable_body(request.body),
    }


def _changed_request(request: Request, sent: dict[str, Any], back: dict[str, Any]) -> Request:
    """`request` with what the scripts changed; rows they did not see (disabled ones)
    are kept after theirs."""
    if back == {k: sent[k] for k in back}:
        return request

    def rows(key: str, pairs: tuple[Pair, ...]) -> tuple[Pair, ...]:
        if back[key] == sent[key]:
            return pairs
        unseen = tuple(p for p in pairs if not (p.enabled and p.name))
        return tuple(Pair(name, value) for name, value in back[key]) + unseen

    body = request.body
    if back["body"] is not None and back["body"] != sent["body"]:
        kind = BodyKind.RAW if back["body"] else body.kind
        body = Body(kind=kind, text=back["body"], content_type=body.content_type)
    return request.with_changes(
        method=back["method"].strip().upper() or request.method,
        url=back["url"],
        headers=rows("headers", request.headers),
        params=rows("params", request.params),
        body=body,
    )


def _facts_data(facts: ResponseFacts, limit: int) -> dict[str, Any]:
    charset = detect(facts.content_type, facts.body[:4096]).charset
    body = facts.body[:limit]
    return {
        "status": facts.status,
        "reason": facts.reason,
        "url": facts.url,
        "headers": [list(pair) for pair in facts.headers],
        "text": decode_text(body, charset),
        "complete": facts.body_complete and len(body) == len(facts.body),
        "size": facts.body_size,
        "elapsed_ms": facts.elapsed_ms,
        "cookies": [list(pair) for pair in facts.cookies],
    }


@contextlib.contextmanager
def _working_directory(root: Path | None) -> Iterator[Path]:
    """The collection's folder (relative paths in a script mean what they mean in the
    request's file fields), else an empty private directory removed afterwards."""
    if root is not None and root.is_dir():
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="api-explorer-script-") as empty:
        yield Path(empty)


@dataclass(frozen=True)
class _Ran:
    """A child's answer with every shown text masked."""

    error: str
    console: tuple[str, ...]
    results: tuple[AssertionResult, ...]
    variables_set: dict[str, str]
    secrets_set: frozenset[str]
    variables_unset: tuple[str, ...]
    request: dict[str, Any] | None


def _run(
    kind: str,
    layers: list[dict[str, str]],
    request: Request,
    response: dict[str, Any] | None,
    scopes: Sequence[Scope],
    limits: ScriptLimits,
    root: Path | None,
) -> _Ran:
    job = {
        "kind": kind,
        "scripts": layers,
        "request": _request_data(request),
        "response": response,
        "variables": _visible_variables(scopes),
    }
    with _working_directory(root) as cwd:
        answer = run_child(job, limits, cwd)
    data = answer.data
    variables_set = dict(data.get("variables_set", {}))
    secrets_set = frozenset(data.get("secrets_set", ())) & set(variables_set)
    mask = SecretMask(secret_values(scopes) | {variables_set[n] for n in secrets_set})
    results = tuple(
        AssertionResult(
            label=mask(r["label"]),
            passed=r["passed"],
            actual=mask(r["actual"]),
            expected=mask(r["expected"]),
            message=mask(r["message"]),
            source="script",
        )
        for r in data.get("results", ())
    )
    return _Ran(
        error=mask(answer.error),
        console=tuple(mask(line) for line in data.get("console", ())),
        results=results,
        variables_set=variables_set,
        secrets_set=secrets_set,
        variables_unset=tuple(data.get("variables_unset", ())),
        request=data.get("request"),
    )


def run_pre_request(
    scripts: Sequence[tuple[Scripts, Source]],
    request: Request,
    variables: Sequence[Scope],
    limits: ScriptLimits | None = None,
    root: Path | None = None,
) -> PreScriptOutcome:
    """Run the pre-request scripts of `scripts` (outermost first) on `request`, seeing
    the variables of `variables` (scopes, lowest first). `root` is the collection's
    folder (the scripts' working directory). Never raises for what a script does."""
    layers = _layers(scripts, PRE_REQUEST)
    if not layers:
        return PreScriptOutcome(request)
    ran = _run(PRE, layers, request, None, variables, limits or ScriptLimits(), root)
    changed = request
    if ran.request is not None:
        changed = _changed_request(request, _request_data(request), ran.request)
    return PreScriptOutcome(
        request=changed,
        variables_set=ran.variables_set,
        secrets_set=ran.secrets_set,
        console=ran.console,
        error=ran.error,
        variables_unset=ran.variables_unset,
        results=ran.results,
    )


def run_post_response(
    scripts: Sequence[tuple[Scripts, Source]],
    request: Request,
    facts: ResponseFacts,
    variables: Sequence[Scope],
    limits: ScriptLimits | None = None,
    root: Path | None = None,
) -> PostScriptOutcome:
    """Run the post-response scripts of `scripts` (outermost first) for the response
    `facts` to `request` (as sent). Never raises for what a script does."""
    layers = _layers(scripts, POST_RESPONSE)
    if not layers:
        return PostScriptOutcome()
    limits = limits or ScriptLimits()
    ran = _run(
        POST, layers, request, _facts_data(facts, limits.body_bytes), variables, limits, root
    )
    return PostScriptOutcome(
        results=ran.results,
        variables_set=ran.variables_set,
        secrets_set=ran.secrets_set,
        console=ran.console,
        error=ran.error,
        variables_unset=ran.variables_unset,
    )


# --- the run engine's hooks ----------------------------------------------------------------


def _result_lines(results: Sequence[AssertionResult]) -> tuple[str, ...]:
    """Results of a pre-request script's `test`/`expect` as console lines (the engine
    takes results after the response only)."""
    lines = []
    for result in results:
        if result.passed:
            lines.append(f"PASS {result.label}")
        else:
            found = f": expected {result.expected}, got {result.actual}" if result.expected else ""
            why = f" ({result.message})" if result.message and not found else ""
            lines.append(f"FAIL {result.label}{found}{why}")
    return tuple(lines)


class PythonScripts:
    """The run engine's `ScriptHooks` (explorer.application.running): runs the scripts
    of each request in a child process, with `limits`, in `root` (the collection's
    folder). Give it to a run only when the collection's scripts may run (see
    `hooks_for_run`). Remembers which variables scripts marked secret during the run,
    so that their values are masked in every later script's output too."""

    def __init__(self, root: Path | None, limits: ScriptLimits | None = None) -> None:
        self.root = root
        self.limits = limits or ScriptLimits()
        self._secret_names: set[str] = set()

    def _scopes(self, variables: Mapping[str, str]) -> list[Scope]:
        secret = frozenset(self._secret_names & set(variables))
        return [Scope("run", dict(variables), secret=secret)]

    def _remember(self, secrets: frozenset[str], unset: Sequence[str]) -> None:
        self._secret_names |= secrets
        self._secret_names -= set(unset) - secrets

    def before(
        self,
        request: Request,
        scripts: Sequence[tuple[Scripts, Source]],
        variables: Mapping[str, str],
    ) -> BeforeScripts:
        outcome = run_pre_request(scripts, request, self._scopes(variables), self.limits, self.root)
        self._remember(outcome.secrets_set, outcome.variables_unset)
        return BeforeScripts(
            request=outcome.request,
            variables=outcome.variables_set,
            console=outcome.console + _result_lines(outcome.results),
            error=outcome.error,
            secrets=outcome.secrets_set,
            unset=outcome.variables_unset,
        )

    def after(
        self,
        facts: ResponseFacts,
        scripts: ScriptRows,
        variables: Mapping[str, str],
        request: Request | None = None,
    ) -> AfterScripts:
        """`request`: the request as sent, when the engine gives it; else one made of
        the response's final URL."""
        sent = request if request is not None else Request(method="", url=facts.url)
        outcome = run_post_response(
            scripts, sent, facts, self._scopes(variables), self.limits, self.root
        )
        self._remember(outcome.secrets_set, outcome.variables_unset)
        return AfterScripts(
            results=outcome.results,
            variables=outcome.variables_set,
            console=outcome.console,
            error=outcome.error,
            secrets=outcome.secrets_set,
            unset=outcome.variables_unset,
        )


def untrusted_warning(collection: Collection) -> str:
    """The one line `run` prints when it leaves a collection's scripts out."""
    count = len(scripts_of(collection))
    return (
        f"warning: {count} script{'s' if count != 1 else ''} of collection "
        f"{collection.name!r} not run: the collection is not trusted on this machine "
        "(trust it in the window, or run with --allow-scripts)"
    )


def hooks_for_run(
    collection: Collection,
    root: Path | None,
    allow_scripts: bool,
    trust: ScriptTrust | None = None,
    limits: ScriptLimits | None = None,
) -> tuple[PythonScripts | None, str]:
    """The hooks for a run of `collection` (at `root`) and a warning to show: no hooks
    when it has no script; hooks when `allow_scripts` or the collection is trusted here;
    else no hooks and the warning (its scripts are skipped, the rest runs)."""
    if not has_scripts(collection):
        return None, ""
    trusted = root is not None and (trust or ScriptTrust()).is_trusted(root, collection)
    if allow_scripts or trusted:
        return PythonScripts(root, limits), ""
    return None, untrusted_warning(collection)
