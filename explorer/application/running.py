"""The one run engine: send a selection of a collection's requests in order, check each
response, chain captured values into the next requests; for the window and `run` alike.

A `RunPlan` says what to run (a collection with its secret values filled in, a
selection of its requests each with its folder path, the scopes, iterations, data
rows, delay, bail, send options). `Run(plan).run()` works through it on the calling
thread (the window calls it off the GUI thread) and tells a callback as it goes
(`RequestStarted`, `RequestFinished` with a `RunResult`, `RunFinished`); `cancel()`
from any thread stops the send in progress and the run.

Per request: the scripts' `before` hook (when scripts may run) -> `prepare_send` (the
window's own preparation: inheritance, variables, options, files) -> `send` ->
`check_response` (captures, then assertions) -> the scripts' `after` hook. A failure is
a send error, a refused file, a script error or a failed assertion.

Variables, lowest first: the plan's scopes (global, collection, environment), the
iteration's data row, the run's own scope (values captured or set by scripts so far,
kept across iterations), then the plan's `overrides` (the command line's `--var` and
`--secret`, above every other scope as their help says).

Secrets: a `RunResult` holds no secret. Everything that came from the network or from
variables passes through a `SecretMask` of the send's sensitive values (secret
variables, credentials, and the values of secret captures so far, which are also in
every later send's sensitive set since the run scope marks them secret). Bodies are not
kept: a result holds what reports and the window show, so a run of 10,000 requests
stays small; `keep_response` lets a front end take the responses it wants to open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from explorer.application.checking import CheckReport, check_facts, response_facts
from explorer.application.sending import Place, PreparedSend, SendOptions, prepare_send, send
from explorer.core.checks.results import AssertionResult, CapturedValue, ResponseFacts
from explorer.core.collection import Collection, Folder, RequestItem, walk_requests
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.model import Auth, AuthKind, Request, Scripts
from explorer.core.resolve.inheritance import InheritedChecks, Source, inherited_checks
from explorer.core.resolve.secret_forms import SecretMask
from explorer.core.resolve.variables import (
    REASON_UNDEFINED,
    Scope,
    lookup,
    resolve_except_secrets,
    secret_values,
)

if TYPE_CHECKING:
    from http.cookiejar import CookieJar

    from explorer.core.explain.findings import Finding, Severity
    from explorer.core.http.cancel import CancelToken
    from explorer.core.http.exchange import Response
    from explorer.core.http.transport import Transport

DATA_SCOPE = "data"
RUN_SCOPE = "run"
SCRIPT_ERROR = "script"  # RunResult.error_kind of a script that failed
MAX_CONSOLE_LINES = 200  # per request: a chatty script cannot fill the memory of a long run
MAX_CONSOLE_LINE = 2000  # characters
# A finding's texts as a result keeps them: rules write a line and a paragraph, but one
# may quote a header a hostile server made long.
MAX_FINDING_SUMMARY = 500  # characters
MAX_FINDING_EXPLANATION = 4000  # characters
MAX_SHARED_FINDINGS = 4096  # distinct findings a run shares between its results
# Parsed bodies that a library leaves in reference cycles (python-jsonpath's match
# objects point at each other and at the whole document) are freed only by the cycle
# collector, which seldom runs a full pass: a long run would hold hundreds of them. A
# full collection after every COLLECT_EVERY bytes of bodies checked keeps that bounded
# at the cost of a few milliseconds per 16 MiB.
COLLECT_EVERY = 16 * 1024 * 1024

# One request of a selection: its folder names from the collection down, and the item.
Selected = tuple[tuple[str, ...], RequestItem]
ScriptRows = Sequence[tuple[Scripts, Source]]


# ---- what the front ends give -------------------------------------------------------


@dataclass(frozen=True)
class BeforeScripts:
    """What the pre-request scripts made of a request: the request to prepare (as
    written: `{{variables}}` still in it), the variables they set, their console
    output, and the error that stops this request ("" when none)."""

    request: Request
    variables: Mapping[str, str] = field(default_factory=dict)
    console: tuple[str, ...] = ()
    error: str = ""
    secrets: frozenset[str] = frozenset()  # which of `variables` the scripts marked secret
    unset: tuple[str, ...] = ()  # run variables the scripts removed


@dataclass(frozen=True)
class AfterScripts:
    """What the post-response scripts found: their `expect` results (source
    "script"), the variables they set, their console output, and their error."""

    results: tuple[AssertionResult, ...] = ()
    variables: Mapping[str, str] = field(default_factory=dict)
    console: tuple[str, ...] = ()
    error: str = ""
    secrets: frozenset[str] = frozenset()  # which of `variables` the scripts marked secret
    unset: tuple[str, ...] = ()  # run variables the scripts removed


class ScriptHooks(Protocol):
    """Runs a request's Python scripts (explorer.application.scripting implements it;
    the engine is given one only when the collection's scripts may run). `scripts` are
    the inherited rows, outermost first; `variables` every variable's current value."""

    def before(
        self, request: Request, scripts: ScriptRows, variables: Mapping[str, str]
    ) -> BeforeScripts: ...

    def after(
        self,
        facts: ResponseFacts,
        scripts: ScriptRows,
        variables: Mapping[str, str],
        request: Request | None = None,  # the request as sent, for the scripts to read
    ) -> AfterScripts: ...


@dataclass(frozen=True)
class RunPlan:
    """What a run sends.

    `collection` has its secret values filled in; `selection` lists the requests in
    order (see `whole_collection`, `folder_selection`); `root` is the collection folder
    (files and schemas are looked for inside it; None for a file run without one).
    `scopes` lowest first; `overrides` above every scope, the run's captures included.
    `iterations` None: one per data row, else one. With both, iteration i uses row
    i modulo the number of rows. `delay_ms` is waited between two requests.
    """

    collection: Collection
    selection: tuple[Selected, ...]
    root: Path | None = None
    scopes: tuple[Scope, ...] = ()
    overrides: Scope | None = None
    iterations: int | None = None
    data: tuple[Mapping[str, str], ...] = ()
    delay_ms: int = 0
    bail: bool = False
    options: SendOptions = field(default_factory=SendOptions)
    allow_files: bool = False  # send files named from outside the collection folder
    scripts: ScriptHooks | None = None  # None: scripts do not run
    explain: bool = False  # each result carries the explainer's findings (`run --explain`)
    explain_silenced: frozenset[str] = frozenset()  # rule ids not to run
    # The OAuth 2.0 token of a send with OAUTH2 auth (application/oauth.token_source);
    # None: such a send goes without one.
    tokens: Callable[[PreparedSend], PreparedSend] | None = None

    @property
    def iteration_count(self) -> int:
        if self.iterations is not None:
            return self.iterations
        return max(1, len(self.data))

    def place(self, folder: tuple[str, ...], item: RequestItem) -> Place:
        return Place(self.collection, folder, item.inherit_headers, self.root)

    def prepared(self) -> list[tuple[tuple[str, ...], RequestItem, PreparedSend]]:
        """Each request of the selection prepared as the first iteration's first turn
        would prepare it (no captures yet): what `run` and the window both send."""
        scopes = [*self.scopes, *([self.overrides] if self.overrides else [])]
        found = []
        for folder, item in self.selection:
            place = self.place(folder, item)
            found.append((folder, item, prepare_send(item.request, place, scopes, self.options)))
        return found


def whole_collection(collection: Collection) -> tuple[Selected, ...]:
    """Every request of `collection` in order."""
    return tuple(walk_requests(collection))


def folder_selection(collection: Collection, path: tuple[str, ...]) -> tuple[Selected, ...]:
    """Every request under the folder at `path` (folder names from the top), in order;
    LookupError when there is no such folder."""
    node: Collection | Folder = collection
    for name in path:
        found = next((i for i in node.items if isinstance(i, Folder) and i.name == name), None)
        if found is None:
            raise LookupError(f"no folder {' / '.join(path)!r} in {collection.name!r}")
        node = found
    return tuple(walk_requests(node, path))


# ---- what the engine tells --------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """One request of one iteration, in words safe to show: no body, no secret.

    `url` is the request as written (non-secret variables resolved, secret ones as
    `{{name}}`), `final_url` where redirects led (masked; "" without redirects).
    `error_kind`/`error`/`hint` say why no response came, or that a script failed.
    `results` are the assertions' (and scripts' `expect`) results, `captured` the
    values captured (a secret one shown as the mask), `console` the scripts' output,
    `findings` what the explainer says about the exchange (only when the plan asks for
    them; masked like every other text, see `explained_findings`).
    """

    iteration: int  # from 1
    index: int  # position in the selection, from 0
    name: str
    folder: tuple[str, ...]
    method: str
    url: str
    final_url: str = ""
    status: int | None = None
    reason: str = ""
    elapsed_ms: float = 0.0
    size: int = 0
    seconds: float = 0.0  # wall time of the whole turn: scripts, send, checks
    error_kind: str = ""
    error: str = ""
    hint: str = ""
    unresolved: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # variable problems other than undefined names
    results: tuple[AssertionResult, ...] = ()
    captured: tuple[CapturedValue, ...] = ()
    console: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        """A response came, no script failed and every assertion passed."""
        return self.status is not None and not self.error and all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[AssertionResult, ...]:
        return tuple(result for result in self.results if not result.passed)

    @property
    def label(self) -> str:
        return "/".join((*self.folder, self.name or self.url))


@dataclass(frozen=True)
class RunSummary:
    """A finished (or cancelled, or bailed) run.

    `to_environment` holds the last value of each capture marked "write to the
    environment", RAW (a secret one too): for the front end to write into the active
    environment (a secret one into the secret store) through application.editing.
    Never report it; reports are made from `results` alone.
    """

    name: str
    results: tuple[RunResult, ...]
    started_at: str  # ISO 8601, UTC
    seconds: float
    iterations: int
    cancelled: bool = False
    bailed: bool = False
    to_environment: tuple[CapturedValue, ...] = ()
    explained: bool = False  # the results carry findings (the plan's `explain`)

    @property
    def passed(self) -> bool:
        return not self.cancelled and all(result.passed for result in self.results)

    @property
    def failed_count(self) -> int:
        return sum(not result.passed for result in self.results)

    @property
    def finding_counts(self) -> dict[Severity, int]:
        """How many findings of each severity the results carry, most serious first."""
        from explorer.core.explain.findings import Severity  # only runs that explain need it

        counts = dict.fromkeys(Severity, 0)
        for result in self.results:
            for finding in result.findings:
                counts[finding.severity] += 1
        return counts

    @property
    def assertion_counts(self) -> tuple[int, int]:
        """(passed, total) assertions of the run."""
        results = [a for r in self.results for a in r.results]
        return sum(a.passed for a in results), len(results)


@dataclass(frozen=True)
class RequestStarted:
    iteration: int
    index: int
    name: str
    folder: tuple[str, ...]
    method: str


@dataclass(frozen=True)
class RequestFinished:
    result: RunResult


@dataclass(frozen=True)
class RunFinished:
    summary: RunSummary


RunEvent = RequestStarted | RequestFinished | RunFinished
# Called with a result and its response before the engine lets the response go; True
# takes it (then a spooled body file belongs to the caller, who deletes it).
KeepResponse = Callable[[RunResult, "Response"], bool]


# ---- the engine ---------------------------------------------------------------------------


class Run:
    """One run of a plan. `run()` works on the calling thread; `cancel()` may come from
    any thread: the send in progress stops at once and no other request starts."""

    def __init__(
        self,
        plan: RunPlan,
        on_event: Callable[[RunEvent], None] | None = None,
        keep_response: KeepResponse | None = None,
        transport: Transport | None = None,
        collect: Callable[[], None] | None = None,
        cookies: CookieJar | None = None,
    ) -> None:
        """`cookies`: the jar every request of the run shares (`run --cookie-jar`;
        default: a jar of the run's own, empty at its start).

        `collect` replaces the full `gc.collect()` made every COLLECT_EVERY bytes of
        bodies checked: the window asks its GUI thread to collect instead, since a
        collection on this thread could free a Qt object here (explorer.qt.gc_guard)
        and holds the GIL for as long as the whole process's objects take to scan."""
        self.plan = plan
        self._collect = collect
        self._on_event = on_event or (lambda _event: None)
        self._keep = keep_response
        self._transport = transport
        self._cookies = cookies
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._token: CancelToken | None = None
        self._values: dict[str, str] = {}  # the run scope: captured and script-set values
        self._secret_names: set[str] = set()
        self._environment: dict[str, CapturedValue] = {}
        self._masks: dict[frozenset[str], SecretMask] = {}
        self._inherited: dict[int, InheritedChecks] = {}  # by index in the selection
        self._checked_bytes = 0  # bodies checked since the last cycle collection
        # Findings met so far, each kept once: the same finding on every request of a
        # long run (and the window keeps 100,000 results) is one object, not thousands.
        self._findings: dict[Finding, Finding] = {}

    def cancel(self) -> None:
        """Stop the run: the send in progress is stopped, the delay cut short."""
        with self._lock:
            self._stop.set()
            if self._token is not None:
                self._token.cancel()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def run(self) -> RunSummary:
        """Send the plan's selection, iteration after iteration; the summary at the end
        (also told as `RunFinished`)."""
        from explorer.core.http.transport import Transport

        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        started = time.perf_counter()
        transport = self._transport or Transport(cookies=self._cookies)
        results: list[RunResult] = []
        bailed = False
        try:
            first = True
            for iteration in range(1, self.plan.iteration_count + 1):
                row = self._row(iteration)
                for index, (folder, item) in enumerate(self.plan.selection):
                    if not first and self.plan.delay_ms > 0:
                        self._stop.wait(self.plan.delay_ms / 1000)
                    if self._stop.is_set():
                        break
                    first = False
                    result = self._one(transport, iteration, index, folder, item, row)
                    results.append(result)
                    self._on_event(RequestFinished(result))
                    if self.plan.bail and not result.passed:
                        bailed = True
                        break
                if bailed or self._stop.is_set():
                    break
        finally:
            if self._transport is None:
                transport.close()
        summary = RunSummary(
            name=self.plan.collection.name,
            results=tuple(results),
            started_at=started_at,
            seconds=time.perf_counter() - started,
            iterations=self.plan.iteration_count,
            cancelled=self._stop.is_set(),
            bailed=bailed,
            to_environment=tuple(self._environment.values()),
            explained=self.plan.explain,
        )
        self._on_event(RunFinished(summary))
        return summary

    def turn(self, transport: Transport, iteration: int, index: int) -> RunResult:
        """One request of the selection (`index`, from 0) in iteration `iteration` (from
        1), on `transport`, with this run's variables and captures so far: what a load
        test's virtual user calls, each user with a `Run` of its own
        (explorer.application.load.user). Never raises for what a server can do."""
        folder, item = self.plan.selection[index]
        return self._one(transport, iteration, index, folder, item, self._row(iteration))

    def _row(self, iteration: int) -> Mapping[str, str]:
        data = self.plan.data
        return data[(iteration - 1) % len(data)] if data else {}

    def _scopes(self, row: Mapping[str, str]) -> list[Scope]:
        scopes = list(self.plan.scopes)
        if row:
            scopes.append(Scope(DATA_SCOPE, row))
        if self._values:
            scopes.append(Scope(RUN_SCOPE, dict(self._values), frozenset(self._secret_names)))
        if self.plan.overrides is not None:
            scopes.append(self.plan.overrides)
        return scopes

    def _one(
        self,
        transport: Transport,
        iteration: int,
        index: int,
        folder: tuple[str, ...],
        item: RequestItem,
        row: Mapping[str, str],
    ) -> RunResult:
        """One turn: scripts, prepare, send, check; never raises for what a request,
        a server or a script can do."""
        written = item.request
        self._on_event(RequestStarted(iteration, index, item.name, folder, written.method))
        started = time.perf_counter()
        checks = self._inherited.get(index)
        if checks is None:  # the same for every iteration: the collection does not change
            checks = self._inherited[index] = inherited_checks(
                self.plan.collection, folder, written
            )
        hooks = self.plan.scripts
        console: list[str] = []
        scripts = tuple((s, src) for s, src in checks.scripts if s.pre_request or s.post_response)
        if hooks is not None and any(s.pre_request for s, _src in scripts):
            before = self._before(hooks, written, scripts, row)
            written = before.request
            self._set(before.variables, before.secrets, before.unset)
            console += before.console
            if before.error:
                return self._refused(
                    iteration, index, item, folder, written, row, console, before.error, started
                )
        scopes = self._scopes(row)
        prepared = self._prepare(written, folder, item, index, row, scopes)
        token_failure = ""
        if self.plan.tokens is not None and prepared.request.auth.kind == AuthKind.OAUTH2:
            from explorer.core.auth.oauth2 import OAuth2Failure

            try:
                prepared = self.plan.tokens(prepared)
            except OAuth2Failure as exc:
                token_failure = str(exc)
        # The head is shared by the turns of a preparation: each result is made from it
        # once, with its iteration (a load test's users make thousands a second).
        shown, mask = self._head(index, folder, item, prepared, scopes)
        if token_failure:
            return replace(
                shown,
                iteration=iteration,
                error=mask(token_failure),
                error_kind=ErrorKind.OTHER.value,
                console=self._console(console, mask),
                seconds=time.perf_counter() - started,
            )
        if prepared.outside_files and not self.plan.allow_files:
            from explorer.core.resolve.file_access import outside_message

            refusal = outside_message(list(prepared.outside_files), self.plan.collection.name)
            return replace(
                shown,
                iteration=iteration,
                error=mask(refusal),
                error_kind=ErrorKind.INVALID_BODY.value,
                console=self._console(console, mask),
                seconds=time.perf_counter() - started,
            )
        response, failed = self._send(transport, prepared)
        if response is None:
            assert failed is not None
            return replace(
                shown,
                iteration=iteration,
                error=mask(failed.message),
                error_kind=failed.kind.value,
                hint=mask(failed.hint),
                console=self._console(console, mask),
                seconds=time.perf_counter() - started,
            )
        try:
            return self._checked(
                shown, iteration, response, checks, scripts, scopes, row, console, prepared,
                started, mask,
            )  # fmt: skip
        finally:
            self._let_go(shown, iteration, response)

    def _head(
        self,
        index: int,
        folder: tuple[str, ...],
        item: RequestItem,
        prepared: PreparedSend,
        scopes: list[Scope],
    ) -> tuple[RunResult, SecretMask]:
        """What a turn's result says before the send (iteration 0: the caller sets it),
        and the mask of the send's secrets: a function of the preparation, which a load
        test's run reuses with it (explorer.application.load.reuse)."""
        mask = self._mask(prepared.sensitive | credentials(prepared.request.auth))
        head = RunResult(
            iteration=0,
            index=index,
            name=item.name,
            folder=folder,
            method=prepared.request.method,
            url=mask(_shown_url(prepared, scopes)),
            unresolved=tuple(prepared.unresolved),
            warnings=tuple(
                mask(p.message) for p in prepared.problems if p.reason != REASON_UNDEFINED
            ),
        )
        return head, mask

    def _prepare(
        self,
        written: Request,
        folder: tuple[str, ...],
        item: RequestItem,
        index: int,
        row: Mapping[str, str],
        scopes: list[Scope],
    ) -> PreparedSend:
        """`prepare_send` of one turn; a load test's run reuses its results
        (explorer.application.load.reuse)."""
        return prepare_send(written, self.plan.place(folder, item), scopes, self.plan.options)

    def _checked(
        self,
        shown: RunResult,
        iteration: int,
        response: Response,
        checks: InheritedChecks,
        scripts: ScriptRows,
        scopes: list[Scope],
        row: Mapping[str, str],
        console: list[str],
        prepared: PreparedSend,
        started: float,
        mask: SecretMask,
    ) -> RunResult:
        """`shown` (the head) completed with the iteration, the response and its checks;
        `mask` is the send's (`_head`), widened here with the values of secret captures."""
        hooks = self.plan.scripts
        post = hooks is not None and any(s.post_response for s, _src in scripts)
        report = CheckReport()
        error = ""
        if checks.assertions or checks.captures or post:
            facts = response_facts(response, prepared.request.stream)
            report = check_facts(checks, facts, scopes, self.plan.root)
            self._collect_after(len(facts.body))
            self._keep_captured(report.captured)
            if hooks is not None and post:
                after = self._after(hooks, facts, scripts, row, prepared.request)
                self._set(after.variables, after.secrets, after.unset)
                console += after.console
                error = after.error
                report = replace(report, results=(*report.results, *after.results))
        secret_captures = {c.value for c in report.captured if c.secret and c.value}
        if not secret_captures <= mask.values:
            mask = self._mask(mask.values | secret_captures)
        shown_report = report.masked(mask)
        return replace(
            shown,
            iteration=iteration,
            status=response.status,
            reason=mask(response.reason),
            final_url=mask(response.url) if response.hops else "",
            elapsed_ms=response.elapsed_ms,
            size=response.body_size,
            error=mask(error),
            error_kind=SCRIPT_ERROR if error else "",
            results=shown_report.results,
            captured=shown_report.captured,
            console=self._console(console, mask),
            findings=self._explained(response, mask),
            seconds=time.perf_counter() - started,
        )

    def _explained(self, response: Response, mask: SecretMask) -> tuple[Finding, ...]:
        """The explainer's findings about `response` when the plan asks for them, read
        here on the run's thread while the response (and its spooled body) still exists."""
        if not self.plan.explain:
            return ()
        found = explained_findings(response, self.plan.explain_silenced, mask, self._mask)
        if len(self._findings) > MAX_SHARED_FINDINGS:
            self._findings.clear()
        return tuple(self._findings.setdefault(finding, finding) for finding in found)

    def _send(
        self, transport: Transport, prepared: PreparedSend
    ) -> tuple[Response | None, SendFailure | None]:
        from explorer.application.streams.sse_run import SseCollector
        from explorer.core.http.cancel import CancelToken

        token = CancelToken()
        with self._lock:
            if self._stop.is_set():
                token.cancel()
            self._token = token
        collector = SseCollector(prepared.request.stream, token)  # an event stream's end
        try:
            return send(transport, prepared, token, stream_sink=collector), None
        except SendError as error:
            return None, SendFailure(error.kind, error.message, error.hint)
        except Exception as error:  # noqa: BLE001 - one request's bug must not end a CI run
            message = " ".join(str(error).split()) or type(error).__name__
            return None, SendFailure(ErrorKind.INVALID_URL, f"Could not send: {message}", "")
        finally:
            collector.close()
            with self._lock:
                self._token = None

    def _collect_after(self, checked: int) -> None:
        """Collect reference cycles once enough body has been checked (COLLECT_EVERY)."""
        self._checked_bytes += checked
        if self._checked_bytes >= COLLECT_EVERY:
            self._checked_bytes = 0
            if self._collect is not None:
                self._collect()
                return
            import gc

            gc.collect()

    def _let_go(self, head: RunResult, iteration: int, response: Response) -> None:
        """Hand the response to `keep_response` (with the turn's head), else drop it: a
        spooled body (maybe echoing a secret) is deleted now."""
        kept = False
        if self._keep is not None:
            kept = self._keep(replace(head, iteration=iteration), response)
        if not kept and response.body_path is not None:
            response.body_path.unlink(missing_ok=True)

    def _keep_captured(self, captured: Sequence[CapturedValue]) -> None:
        for value in captured:
            if value.value is None:
                continue
            self._values[value.variable] = value.value
            if value.secret:
                self._secret_names.add(value.variable)
            if value.to_environment:
                self._environment[value.variable] = value

    def _set(
        self,
        variables: Mapping[str, str],
        secrets: frozenset[str] = frozenset(),
        unset: Sequence[str] = (),
    ) -> None:
        """Keep what scripts set in the run scope; a secret stays secret for the run."""
        for name in unset:
            self._values.pop(name, None)
        self._values.update(variables)
        self._secret_names |= secrets & set(variables)

    def _variables(self, row: Mapping[str, str]) -> dict[str, str]:
        """Every variable's current value, for scripts."""
        scopes = self._scopes(row)
        names = dict.fromkeys(name for scope in scopes for name in scope.values)
        found = {name: lookup(name, scopes) for name in names}
        return {name: value[0] for name, value in found.items() if value is not None}

    def _before(
        self, hooks: ScriptHooks, request: Request, scripts: ScriptRows, row: Mapping[str, str]
    ) -> BeforeScripts:
        try:
            return hooks.before(request, scripts, self._variables(row))
        except Exception as error:  # noqa: BLE001 - a hook's failure fails this request only
            return BeforeScripts(request, error=f"pre-request script: {error}")

    def _after(
        self,
        hooks: ScriptHooks,
        facts: ResponseFacts,
        scripts: ScriptRows,
        row: Mapping[str, str],
        request: Request,
    ) -> AfterScripts:
        try:
            return hooks.after(facts, scripts, self._variables(row), request)
        except Exception as error:  # noqa: BLE001
            return AfterScripts(error=f"post-response script: {error}")

    def _refused(
        self,
        iteration: int,
        index: int,
        item: RequestItem,
        folder: tuple[str, ...],
        written: Request,
        row: Mapping[str, str],
        console: list[str],
        error: str,
        started: float,
    ) -> RunResult:
        """The result of a request its pre-request scripts stopped (not sent)."""
        scopes = self._scopes(row)
        mask = self._mask(frozenset(secret_values(scopes)))
        return RunResult(
            iteration=iteration,
            index=index,
            name=item.name,
            folder=folder,
            method=written.method,
            url=mask(shown_url(written, scopes)),
            error_kind=SCRIPT_ERROR,
            error=mask(error),
            console=self._console(console, mask),
            seconds=time.perf_counter() - started,
        )

    def _mask(self, values: frozenset[str]) -> SecretMask:
        """The mask of `values`, made once per set (compiling it costs more than a
        request on a fast server)."""
        mask = self._masks.get(values)
        if mask is None:
            if len(self._masks) > 64:
                self._masks.clear()
            mask = self._masks[values] = SecretMask(values)
        return mask

    @staticmethod
    def _console(lines: Sequence[str], mask: SecretMask) -> tuple[str, ...]:
        # Masked whole, then cut: a cut first could leave half a secret unmasked.
        kept = [mask(line)[:MAX_CONSOLE_LINE] for line in lines[:MAX_CONSOLE_LINES]]
        if len(lines) > MAX_CONSOLE_LINES:
            kept.append(f"... {len(lines) - MAX_CONSOLE_LINES} more lines not kept")
        return tuple(kept)


@dataclass(frozen=True)
class SendFailure:
    """Why a send gave no response (a `SendError`'s parts)."""

    kind: ErrorKind
    message: str
    hint: str


def _shown_url(prepared: PreparedSend, scopes: Sequence[Scope]) -> str:
    """`shown_url` of a prepared send: without secret variables it is the URL resolved
    for sending (no second resolution: this is a cost per request of a long run)."""
    if any(scope.secret for scope in scopes):
        return shown_url(prepared.written, scopes)
    from explorer.core.http.prepare import final_url

    sent = prepared.request
    return final_url(Request(url=sent.url, params=sent.params, path_params=sent.path_params))


def shown_url(written: Request, scopes: Sequence[Scope]) -> str:
    """The URL as written, with its params: non-secret variables resolved (what CI logs
    want to see), secret ones kept as `{{name}}`. Auth is left out: an API key in the
    query is a credential, not part of what the user wrote in the URL."""
    from explorer.core.http.prepare import final_url

    # Only what the URL is made of is resolved (a body may be large).
    shown = Request(url=written.url, params=written.params, path_params=written.path_params)
    public, _names = resolve_except_secrets(shown, scopes)
    return final_url(public)


def credentials(auth: Auth) -> frozenset[str]:
    """The values of resolved auth settings that are credentials, to mask like secrets
    (a literal token typed into the auth editor is as secret as a secret variable)."""
    if auth.kind in (AuthKind.BASIC, AuthKind.DIGEST) and auth.password:
        return frozenset({auth.password, f"{auth.username}:{auth.password}"})
    return frozenset(auth.credentials())


def explained_findings(
    response: Response,
    silenced: frozenset[str],
    mask: SecretMask,
    mask_of: Callable[[frozenset[str]], SecretMask] = SecretMask,
) -> tuple[Finding, ...]:
    """What the explainer says about `response`, in words safe to keep: every text of a
    finding passes through `mask` (the send's secrets) widened with the credentials and
    session-like cookie values of the exchange's own headers (what the history hides:
    a rule quoting a Set-Cookie line must not carry the session into a report), masked
    whole and then cut to MAX_FINDING_SUMMARY / MAX_FINDING_EXPLANATION. At most
    MAX_FINDINGS. `mask_of` makes the wider mask (the engine passes its cache)."""
    from explorer.core.explain import MAX_FINDINGS, explain, facts_from_response

    try:
        found = explain(facts_from_response(response), silenced)[:MAX_FINDINGS]
    except Exception:  # noqa: BLE001 - advice must never fail a request of a run
        return ()
    if not found:
        return ()
    extra = _exchange_secrets(response)
    if not extra <= mask.values:
        mask = mask_of(mask.values | extra)
    return tuple(_masked_finding(finding, mask) for finding in found)


def _exchange_secrets(response: Response) -> frozenset[str]:
    """Credentials and session-like cookie values in the headers of the exchange, every
    hop of it (explorer.core.storage.history_redact's rule)."""
    from explorer.core.storage.history_redact import sensitive_values

    headers = [*response.sent.headers, *response.headers]
    for hop in response.hops:
        headers += [*hop.sent.headers, *hop.headers]
    return frozenset(sensitive_values(tuple(headers), ()))


def _masked_finding(finding: Finding, mask: SecretMask) -> Finding:
    pointer = finding.pointer
    if pointer is not None and pointer.name:
        pointer = replace(pointer, name=mask(pointer.name))
    return replace(
        finding,
        summary=_printable(mask(finding.summary)[:MAX_FINDING_SUMMARY]),
        explanation=_printable(mask(finding.explanation)[:MAX_FINDING_EXPLANATION], "\n"),
        pointer=pointer,
    )


def _printable(text: str, keep: str = "") -> str:
    """`text` with control characters (a header a rule quotes may hold any) as spaces:
    a summary stays one line, and no report format meets a character it cannot hold."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char in keep else " " for char in text)
