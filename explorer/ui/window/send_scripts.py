"""A request's Python scripts around a Send in the window: may they run, and the
pre-request ones, before the request is prepared.

A collection's scripts run only once the user trusts that collection on this machine
(`explorer.application.scripting.ScriptTrust`, a file of the app's data directory, never
the collection's). The first Send of a request with scripts asks the trust file (off
the GUI thread), and, when the collection is not trusted, the user: "Trust and run
scripts" (remembered there) or "Send without scripts" (remembered for this session,
until the scripts change). A request in no collection runs none.

Pre-request scripts run in a child process on a background queue; the variables they
set join the captured scope (`Workspace.set_captured`), the request they leave is the
one prepared and sent. Post-response scripts run after the checks on the send's worker
thread (`send_checks.check_work`). Output is masked by the scripting layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from explorer.core.checks.results import AssertionResult
from explorer.core.collection import Collection
from explorer.core.model import Request, Scripts
from explorer.core.resolve.inheritance import Source
from explorer.qt.background import BackgroundQueue
from explorer.ui.widgets.trust_question import CANCEL, TRUST, ask_script_trust

if TYPE_CHECKING:
    from explorer.application.scripting import PreScriptOutcome
    from explorer.qt.workspace import Workspace

ScriptRows = tuple[tuple[Scripts, Source], ...]
NOT_IN_COLLECTION = (
    "Scripts not run: they run only in a request saved in a collection you trust on this machine."
)
SENT_WITHOUT = "Scripts not run: you chose to send without them (until the window closes)."


@dataclass(frozen=True)
class ScriptPlan:
    """What the scripts do around one send, decided on the GUI thread: the rows allowed
    to run (empty: none), what the pre-request scripts printed, and why scripts that
    exist did not run (`note`)."""

    scripts: ScriptRows = ()
    pre_console: tuple[str, ...] = ()
    note: str = ""
    ran_pre: bool = False

    @property
    def post(self) -> bool:
        """Whether post-response scripts run after the response."""
        return any(s.post_response.strip() for s, _src in self.scripts)

    @property
    def shows_console(self) -> bool:
        return bool(self.scripts or self.note)


Go = Callable[[ScriptPlan, "Request | None"], None]


def runnable(rows: Sequence[tuple[Scripts, Source]]) -> ScriptRows:
    """The rows with a Python script to run (imported scripts of other tools never run)."""
    return tuple((s, src) for s, src in rows if s.pre_request.strip() or s.post_response.strip())


def result_lines(results: Sequence[AssertionResult]) -> tuple[str, ...]:
    """`expect`/`test` results of a pre-request script, as console lines."""
    return tuple(
        f"PASS {r.label}"
        if r.passed
        else f"FAIL {r.label}" + (f": {r.message}" if r.message else "")
        for r in results
    )


class SendScripts(QObject):
    """Decides whether a collection's scripts run, asks when it must, and runs the
    pre-request scripts off the GUI thread."""

    def __init__(
        self,
        workspace: Workspace,
        dialog_parent: Callable[[], QWidget],
        status: Callable[[str, int], None],
    ) -> None:
        from explorer.application.scripting import ScriptTrust
        from explorer.core.paths import script_trust_path

        super().__init__(workspace)
        self.workspace = workspace
        self._dialog_parent = dialog_parent
        self._status = status
        # The trust file lives beside the window's other private files (the data dir).
        self.trust = ScriptTrust(workspace.data_dir / script_trust_path().name)
        # Root -> (fingerprint of its scripts, whether they may run): this session's.
        self._decided: dict[Path, tuple[str, bool]] = {}
        self._queue = BackgroundQueue(self)  # pre-request scripts, one at a time
        # Replaceable in tests: (collection name, folder, script places) -> TRUST,
        # WITHOUT or CANCEL.
        self.ask_trust: Callable[[str, Path, list[str]], str] = self._ask_trust

    def begin(
        self,
        collection: Collection | None,
        root: Path | None,
        rows: ScriptRows,
        written: Request,
        go: Go,
        failed: Callable[[str, tuple[str, ...]], None],
    ) -> None:
        """Decide for the scripts `rows` of the request `written` (at `root` of
        `collection`), run its pre-request scripts if allowed, then `go(plan, request)`
        with the request to prepare (None: do not send). `failed(error, console)` is
        told first when a pre-request script failed."""
        if collection is None or root is None:
            go(ScriptPlan(note=NOT_IN_COLLECTION), written)
            return
        from explorer.application.scripting import fingerprint

        stamp = fingerprint(collection)
        decided = self._decided.get(root)
        if decided is not None and decided[0] == stamp:
            self._decided_for(decided[1], collection, root, rows, written, go, failed)
            return

        def known(trusted: object) -> None:
            if trusted is True:
                self._decided[root] = (stamp, True)
                self._decided_for(True, collection, root, rows, written, go, failed)
                return
            self._ask(collection, root, stamp, rows, written, go, failed)

        collection_now = collection
        self.workspace.run_later(
            lambda: self.trust.is_trusted(root, collection_now), known, lambda _e: known(False)
        )

    def _ask(
        self,
        collection: Collection,
        root: Path,
        stamp: str,
        rows: ScriptRows,
        written: Request,
        go: Go,
        failed: Callable[[str, tuple[str, ...]], None],
    ) -> None:
        from explorer.application.scripting import scripts_of

        places = [f"{s.place} ({s.phase})" for s in scripts_of(collection)]
        answer = self.ask_trust(collection.name, root, places)
        if answer == CANCEL:
            go(ScriptPlan(), None)
            return
        allowed = answer == TRUST
        self._decided[root] = (stamp, allowed)
        if allowed:
            trust = self.trust
            self.workspace.run_later(
                lambda: trust.trust(root, collection),
                lambda _none: self._status(f"Scripts of “{collection.name}” trusted.", 5000),
                lambda error: self._status(f"The trust was not remembered: {error}", 10_000),
            )
        self._decided_for(allowed, collection, root, rows, written, go, failed)

    def _decided_for(
        self,
        allowed: bool,
        collection: Collection,
        root: Path,
        rows: ScriptRows,
        written: Request,
        go: Go,
        failed: Callable[[str, tuple[str, ...]], None],
    ) -> None:
        if not allowed:
            go(ScriptPlan(note=SENT_WITHOUT), written)
            return
        if not any(s.pre_request.strip() for s, _src in rows):
            go(ScriptPlan(rows), written)
            return
        from explorer.application import scripting

        scopes = self.workspace.scopes(root)

        def ran(outcome: PreScriptOutcome) -> None:
            if outcome.variables_set or outcome.variables_unset:
                self.workspace.set_captured(
                    root, outcome.variables_set, outcome.secrets_set, outcome.variables_unset
                )
            console = outcome.console + result_lines(outcome.results)
            if outcome.error:
                failed(outcome.error, console)
                go(ScriptPlan(rows, console, ran_pre=True), None)
                return
            go(ScriptPlan(rows, console, ran_pre=True), outcome.request)

        def broke(error: Exception) -> None:
            message = " ".join(str(error).split()) or type(error).__name__
            failed(f"the pre-request script could not run: {message}", ())
            go(ScriptPlan(rows, ran_pre=True), None)

        self._queue.run(
            lambda: scripting.run_pre_request(rows, written, scopes, None, root), ran, broke
        )

    def forget(self, root: Path) -> None:
        """Ask again at the next send of `root` (its scripts or trust changed)."""
        self._decided.pop(root, None)

    def _ask_trust(self, name: str, root: Path, places: list[str]) -> str:
        return ask_script_trust(self._dialog_parent(), name, root, places)
