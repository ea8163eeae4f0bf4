"""Checking a large response in a child process, so the window does not freeze.

Parsing a JSON body of tens of megabytes is a few long C calls that hold the GIL (a
50 MiB body: about 3 s in `content.parse_json`), so a worker *thread* would stop the
window's event loop for as long (docs/ARCHITECTURE.md: Large bodies). Above
`ISOLATE_ABOVE` bytes the window's Send hands `check_response` to a child process:
`python -m explorer.application.isolated_check`, its job (the rows, the response,
the scopes, the collection folder) pickled through a pipe and its `CheckReport` pickled
back. Nothing is written to a file (the scopes may hold secret values); the child is
killed past `TIME_LIMIT`. The command line does not need this: it has no window.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.application.checking import CheckReport
    from explorer.core.http.exchange import Response
    from explorer.core.resolve.inheritance import InheritedChecks
    from explorer.core.resolve.variables import Scope

# Bodies up to this size are checked on the worker thread (10 MiB stalled the window
# less than 30 ms when measured); larger ones in a child process.
ISOLATE_ABOVE = 8 * 1024 * 1024
TIME_LIMIT = 120.0  # seconds for the whole child; a check of the largest body takes ~5 s
MAX_ANSWER = 64 * 1024 * 1024  # a report is small; more is not read


class IsolatedCheckError(RuntimeError):
    """The child could not check the response; the message is one line."""


def should_isolate(response: Response) -> bool:
    """Whether checking `response` would hold the GIL long enough to freeze the window."""
    return response.body_size > ISOLATE_ABOVE


def check_in_child(
    checks: InheritedChecks,
    response: Response,
    scopes: Sequence[Scope],
    root: Path | None,
    time_limit: float = TIME_LIMIT,
) -> CheckReport:
    """`checking.check_response` run in a child process (see the module's docstring)."""
    job = pickle.dumps((checks, response, list(scopes), root), protocol=pickle.HIGHEST_PROTOCOL)
    command = [sys.executable, "-m", __name__]
    try:
        finished = subprocess.run(
            command,
            input=job,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=time_limit,
            check=False,
            env=_child_environment(),
        )
    except subprocess.TimeoutExpired:
        raise IsolatedCheckError(f"checking took longer than {time_limit:g} s") from None
    except OSError as error:
        raise IsolatedCheckError(f"the checker could not start: {error}") from None
    if finished.returncode != 0 or not finished.stdout:
        # Not its error output: a traceback could quote the response or a secret.
        raise IsolatedCheckError(f"the checker failed (exit status {finished.returncode})")
    if len(finished.stdout) > MAX_ANSWER:
        raise IsolatedCheckError("the checker's answer is too large")
    from explorer.application.checking import CheckReport

    report = pickle.loads(finished.stdout)  # our own child's answer
    if not isinstance(report, CheckReport):
        raise IsolatedCheckError("the checker gave no report")
    return report


def _child_environment() -> dict[str, str]:
    # The child must import this very `explorer`, wherever it was started from.
    import explorer

    root = str(Path(explorer.__file__).resolve().parent.parent)
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [root, environment.get("PYTHONPATH", "")])
    )
    return environment


def main() -> int:
    """The child: read the job on stdin, write the pickled report on stdout."""
    import gc

    from explorer.application.checking import check_response

    gc.disable()  # nothing cyclic to find in freshly parsed JSON (see format_worker)
    checks, response, scopes, root = pickle.loads(sys.stdin.buffer.read())
    report = check_response(checks, response, scopes, root)
    sys.stdout.buffer.write(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
