"""Every request of the Sample API, run against a practice server and explained.

The practice server's correct endpoints must draw no warning and no error from the
explainer; its `/mistakes/` endpoints each make one mistake on purpose. This runs the
Sample API collection (made from the server's own /openapi.json, with the login and
created ids captured on the way, as `run` does) and returns each request's findings.

    python -m tests.support.explain.sweep http://127.0.0.1:PORT   # prints a table
"""

from __future__ import annotations

import sys
import urllib.request
from dataclasses import dataclass

from explorer.application.running import Run, RunPlan, RunResult, whole_collection
from explorer.core.explain import Finding, explain, facts_from_response
from explorer.core.explain.findings import Severity
from explorer.core.http.exchange import Response
from explorer.core.resolve.variables import Scope
from explorer.core.sample_checks import with_sample_checks
from explorer.core.sample_collection import sample_collection


@dataclass(frozen=True)
class Explained:
    label: str  # "GET /api/items/1"
    status: int
    findings: tuple[Finding, ...]

    @property
    def complaints(self) -> tuple[Finding, ...]:
        """The findings that are more than information."""
        return tuple(f for f in self.findings if f.severity is not Severity.INFO)


def sweep(base_url: str) -> list[Explained]:
    """Run the whole Sample API against `base_url` and explain every response."""
    with urllib.request.urlopen(f"{base_url}/openapi.json", timeout=10) as answer:
        openapi_text = answer.read().decode("utf-8")
    collection = with_sample_checks(sample_collection(openapi_text, base_url))
    values = {variable.name: variable.value for variable in collection.variables}
    plan = RunPlan(collection, whole_collection(collection), scopes=(Scope("collection", values),))
    explained: list[Explained] = []

    def keep(result: RunResult, response: Response) -> bool:
        sent = response.sent
        path = sent.url.split("//", 1)[-1].partition("/")[2]
        label = f"{sent.method} /{path}"
        explained.append(
            Explained(label, response.status, tuple(explain(facts_from_response(response))))
        )
        return False

    Run(plan, keep_response=keep).run()
    return explained


def main(base_url: str) -> int:
    for item in sweep(base_url.rstrip("/")):
        marks = ", ".join(f"{f.severity.value}:{f.rule_id}" for f in item.findings) or "-"
        print(f"{item.status}  {item.label:<60} {marks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765"))
