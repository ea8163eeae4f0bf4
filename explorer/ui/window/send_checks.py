"""What the window does around one Send for the request's tests: the work on the
response that runs on the send's worker thread (captures and assertions through
`explorer.application.checking.check_response`, the one way every front end checks a
response, then the post-response scripts when they may run), and, back on the GUI
thread, what follows from it: captured values kept for
the next sends (`Workspace.set_captured`, a scope above the environment), written to
the active environment when a capture says so (secret ones to the secret store), and
the send recorded with the values of secret captures redacted.

Nothing here parses a body on the GUI thread (docs/ARCHITECTURE.md, invariant 2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from explorer.core.checks.results import AssertionResult, CapturedValue, ResponseFacts
from explorer.core.collection import Environment, Variable
from explorer.core.model import Request
from explorer.core.resolve.inheritance import InheritedChecks
from explorer.core.resolve.variables import Scope, secret_values
from explorer.ui.window.send_scripts import ScriptPlan

if TYPE_CHECKING:
    from explorer.application.scripting import PostScriptOutcome
    from explorer.application.sending import PreparedSend
    from explorer.core.http.exchange import Response
    from explorer.qt.workspace import Workspace


@dataclass(frozen=True)
class CheckOutcome:
    """What the worker made of one response (plain frozen data: it crosses threads).

    `results` and `captured` are masked, as they may be shown; `values` holds the raw
    values to keep for the next sends (captured, or set by a script), `secret` the names
    among them that are secret; `sensitive` is every secret value the exchange may echo
    (for the history to redact); `console` the scripts' output, masked."""

    results: tuple[AssertionResult, ...] = ()
    captured: tuple[CapturedValue, ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)
    secret: frozenset[str] = frozenset()
    unset: tuple[str, ...] = ()
    to_environment: tuple[tuple[str, str, bool], ...] = ()  # name, raw value, secret
    sensitive: frozenset[str] = frozenset()
    console: tuple[str, ...] = ()
    script_error: str = ""
    scripts_ran: bool = False  # the Console tab shows this send's scripts
    script_note: str = ""  # why the request's scripts did not run


def check_work(
    checks: InheritedChecks,
    scopes: Sequence[Scope],
    root: Path | None,
    plan: ScriptPlan | None = None,
    sent: Request | None = None,
) -> Callable[[Response], CheckOutcome]:
    """The work to run on the worker thread once `response` is in: captures, then
    assertions, then the post-response scripts of `plan` (with `sent`, the request as
    sent), then the mask for showing them. Everything given is immutable and taken now,
    on the GUI thread."""
    scopes = tuple(scopes)
    plan = plan or ScriptPlan()

    def work(response: Response) -> CheckOutcome:
        # Looked up at call time: tests watch which thread calls it.
        from explorer.application import checking, isolated_check
        from explorer.core.resolve.secret_forms import SecretMask

        # The facts (the body's bytes, no parsing) are read here only for a script.
        facts = checking.response_facts(response) if plan.post else None
        if isolated_check.should_isolate(response):  # a large body: not under our GIL
            report = isolated_check.check_in_child(checks, response, list(scopes), root)
        elif facts is not None:
            report = checking.check_facts(checks, facts, list(scopes), root)
        else:
            report = checking.check_response(checks, response, list(scopes), root)
        taken = [c for c in report.captured if c.value is not None]
        values = {c.variable: c.value for c in taken if c.value is not None}
        secret = {c.variable for c in taken if c.secret}
        sensitive = set(secret_values(scopes)) | {c.value for c in taken if c.secret and c.value}
        results = report.results
        console: tuple[str, ...] = ()
        if plan.pre_console:
            console = ("── pre-request scripts ──", *plan.pre_console)
        error = ""
        unset: tuple[str, ...] = ()
        if facts is not None:
            post = _post_scripts(plan, sent or Request(url=response.url), facts, scopes,
                                 values, secret, root)  # fmt: skip
            results = (*results, *post.results)
            if post.console:
                console = (*console, "── post-response scripts ──", *post.console)
            error, unset = post.error, post.variables_unset
            for name in post.variables_unset:
                values.pop(name, None)
                secret.discard(name)
            values.update(post.variables_set)
            secret |= set(post.secrets_set)
            sensitive |= {v for n, v in post.variables_set.items() if n in post.secrets_set}
        mask = SecretMask(sensitive)
        shown = checking.CheckReport(results, report.captured).masked(mask)
        return CheckOutcome(
            results=shown.results,
            captured=shown.captured,
            values=values,
            secret=frozenset(secret),
            unset=tuple(unset),
            to_environment=tuple(
                (c.variable, c.value, c.secret)
                for c in taken
                if c.to_environment and c.value is not None
            ),
            sensitive=frozenset(sensitive),
            console=tuple(mask(line) for line in console),
            script_error=mask(error),
            scripts_ran=plan.shows_console,
            script_note=plan.note,
        )

    return work


def _post_scripts(
    plan: ScriptPlan,
    sent: Request,
    facts: ResponseFacts,
    scopes: tuple[Scope, ...],
    values: dict[str, str],
    secret: set[str],
    root: Path | None,
) -> PostScriptOutcome:
    """The post-response scripts, seeing the values this response captured."""
    from explorer.application import scripting
    from explorer.application.checking import CAPTURED_SCOPE
    from explorer.application.scopes import captured_scope, with_captured

    current = next((s for s in scopes if s.name == CAPTURED_SCOPE), None)
    seen = with_captured(scopes, captured_scope(current, values, secret))
    return scripting.run_post_response(plan.scripts, sent, facts, seen, None, root)


def has_checks(checks: InheritedChecks) -> bool:
    """Whether a response must be checked at all (else its body is not even read)."""
    return bool(checks.assertions or checks.captures)


class SendChecks(QObject):
    """The GUI-thread side: keeps what a checked response captured and writes what must
    go to the active environment."""

    def __init__(self, workspace: Workspace, status: Callable[[str, int], None]) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self._status = status

    def widened(self, prepared: PreparedSend, outcome: CheckOutcome) -> PreparedSend:
        """`prepared` with the outcome's secret values among its sensitive ones, so the
        history redacts a secret captured from this very response."""
        extra = outcome.sensitive - prepared.sensitive
        return replace(prepared, sensitive=prepared.sensitive | extra) if extra else prepared

    def keep(self, root: Path | None, outcome: CheckOutcome) -> None:
        """The outcome's values become the captured scope's for the next sends; those a
        capture sends to the environment are written there (off the GUI thread)."""
        if outcome.values or outcome.unset:
            self.workspace.set_captured(root, outcome.values, outcome.secret, outcome.unset)
        if outcome.to_environment:
            self._to_environment(outcome.to_environment)

    def _to_environment(self, values: tuple[tuple[str, str, bool], ...]) -> None:
        # Into the active environment, wherever it lives: the one every send uses.
        names = ", ".join(name for name, _v, _s in values)
        root = self.workspace.active_environment_root
        opened = self.workspace.collections.get(root) if root is not None else None
        environment = self.workspace.active_environment_object()
        choice = self.workspace.active_choice()
        if opened is None or environment is None or root is None:
            self._status(
                f"Captured {names} for this session only: no environment is active to write it to.",
                10_000,
            )
            return
        active = choice.label if choice is not None else environment.name
        updated = _with_values(environment, values)
        if updated == environment:
            return
        others = [e for e in opened.collection.environments if e.name != environment.name]
        chosen = [*others, updated]
        order = {e.name: i for i, e in enumerate(opened.collection.environments)}
        chosen.sort(key=lambda e: order.get(e.name, len(order)))
        self.workspace.save_environments_later(
            root,
            chosen,
            {},
            lambda: self._status(f"Captured {names} into the environment {active}.", 5000),
            lambda error: self._status(f"Captured {names}, but not written: {error}", 10_000),
        )


def _with_values(
    environment: Environment, values: tuple[tuple[str, str, bool], ...]
) -> Environment:
    """`environment` with each (name, value, secret) set: an existing variable keeps its
    place (and becomes secret if the capture is), a new one is added at the end."""
    variables = list(environment.variables)
    for name, value, secret in values:
        at = next((i for i, v in enumerate(variables) if v.name == name), None)
        if at is None:
            variables.append(Variable(name, value, secret=secret))
        else:
            old = variables[at]
            variables[at] = replace(old, value=value, secret=old.secret or secret, enabled=True)
    return replace(environment, variables=tuple(variables))
