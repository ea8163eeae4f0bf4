"""What REDbot (mnot/redbot, the HTTP resource linter) says about a list of URLs.

REDbot lives in a venv of its own (`make tools` puts it in .tools/redbot, pinned by
.ci/redbot-constraints.txt), so it is run as ONE child process for every URL: a small
script that drives its library (`HttpResource`, as redbot/cli.py does) on a single
event loop and prints JSON. Only REDbot's passive look at each response is taken: its
active checks (the conditional, range and negotiation requests it sends of its own) are
turned off, because the explainer judges the exchange it is given and sends nothing.

    python -m tests.support.explain.redbot_notes http://127.0.0.1:8765/cache/30 …
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from tests.support.peer_tools import REDBOT_PYTHON

MISSING = (
    "REDbot is not installed in .tools/redbot: run `make tools` (it installs REDbot "
    "2.7.1 with .ci/redbot-constraints.txt into a venv of its own)"
)

# The child: its stdin is a JSON list of {"url", "method", "headers": [[name, value]],
# "body"};
# its stdout one JSON list, a result per URL in the same order. A deadline stops the
# event loop whatever a server does; an unfinished URL says so instead of hanging.
_CHILD = r"""
import json, sys
from configparser import ConfigParser

import thor
from redbot.resource import HttpResource

wanted = json.load(sys.stdin)
deadline = float(sys.argv[1])
parser = ConfigParser()
parser.read_dict({"redbot": {"enable_local_access": "True", "max_sample_size": "1048576"}})
config = parser["redbot"]
resources = []
left = [len(wanted)]


def done():
    left[0] -= 1
    if left[0] == 0:
        thor.stop()


for target in wanted:
    resource = HttpResource(config, descend=False, active_checks_enabled=False)
    body = target.get("body", "").encode("utf-8")
    headers = [tuple(pair) for pair in target.get("headers", [])]
    if body:
        headers.append(("Content-Length", str(len(body))))
    resource.set_request(target["url"], method=target.get("method", "GET"),
                         headers=headers, content=body)
    resource.on("check_done", done)
    resources.append(resource)
for resource in resources:
    resource.check()
if wanted:
    thor.schedule(deadline, thor.stop)
    thor.run()


def note_data(note):
    return {
        "name": type(note).__name__,
        "level": note.level.value,
        "category": note.category.name,
        "subject": note.subject,
        "summary": str(note.summary),
        "subnotes": [note_data(sub) for sub in note.subnotes],
    }


results = []
for target, resource in zip(wanted, resources):
    response = resource.response
    error = resource.fetch_error
    results.append({
        "url": target["url"],
        "finished": resource.check_done,
        "status": int(response.status_code) if response.status_code is not None else None,
        "error": (error.desc + (f" ({error.detail})" if error.detail else "")) if error else None,
        "notes": [note_data(note) for note in response.notes],
    })
json.dump(results, sys.stdout)
"""


@dataclass(frozen=True)
class Target:
    """One request for REDbot to make (and, in the comparison, for the explainer)."""

    url: str
    headers: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    body: str = ""


@dataclass(frozen=True)
class RedbotNote:
    """One of REDbot's notes: its class name (the stable id, like `MISSING_HDRS_304`),
    level ("good", "info", "warning", "bad"), category and subject (a header, the body)."""

    name: str
    level: str
    category: str
    subject: str
    summary: str
    subnotes: tuple[RedbotNote, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class RedbotResult:
    url: str
    finished: bool
    status: int | None
    error: str | None
    notes: tuple[RedbotNote, ...]

    @property
    def names(self) -> set[str]:
        """Every note's name, sub-notes included, alone and as "NAME@subject" (for a
        note that speaks of many fields, like BAD_SYNTAX@field-x-frame-options)."""
        found: set[str] = set()
        stack = list(self.notes)
        while stack:
            note = stack.pop()
            found |= {note.name, f"{note.name}@{note.subject}"}
            stack.extend(note.subnotes)
        return found


def is_installed() -> bool:
    return REDBOT_PYTHON.exists()


def redbot_notes(targets: Sequence[Target], deadline: float = 20.0) -> list[RedbotResult]:
    """REDbot's notes on each target, in order, from one child process. Raises
    RuntimeError (saying how to install it) when REDbot is missing, or when the child
    fails."""
    if not is_installed():
        raise RuntimeError(MISSING)
    wanted = [
        {
            "url": t.url,
            "method": t.method,
            "headers": [list(pair) for pair in t.headers],
            "body": t.body,
        }
        for t in targets
    ]
    done = subprocess.run(
        [str(REDBOT_PYTHON), "-I", "-c", _CHILD, str(deadline)],
        input=json.dumps(wanted),
        capture_output=True,
        text=True,
        timeout=deadline + 15,
    )
    if done.returncode != 0:
        raise RuntimeError(f"REDbot's child failed ({done.returncode}): {done.stderr[-2000:]}")
    return [_result(item) for item in json.loads(done.stdout)]


def _note(data: dict[str, object]) -> RedbotNote:
    subnotes = data.get("subnotes") or []
    assert isinstance(subnotes, list)
    return RedbotNote(
        str(data["name"]),
        str(data["level"]),
        str(data["category"]),
        str(data["subject"]),
        str(data["summary"]),
        tuple(_note(sub) for sub in subnotes),
    )


def _result(data: dict[str, object]) -> RedbotResult:
    notes = data.get("notes") or []
    assert isinstance(notes, list)
    status = data.get("status")
    error = data.get("error")
    return RedbotResult(
        str(data["url"]),
        bool(data.get("finished")),
        status if isinstance(status, int) else None,
        str(error) if error else None,
        tuple(_note(note) for note in notes),
    )


def main(urls: list[str]) -> int:
    for result in redbot_notes([Target(url) for url in urls]):
        failed = f"  ERROR {result.error}" if result.error else ""
        print(f"{result.status}  {result.url}{failed}")
        for note in result.notes:
            print(f"    {note.level:<7} {note.category:<10} {note.name:<28} {note.summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
