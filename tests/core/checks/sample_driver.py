"""A small chain driver for the tests: each request of a collection folder in order,
its inherited assertions evaluated and its captures fed to the requests after it (what
the runner does; kept here so the sample's checks are tested whatever the runner is)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from explorer.application.scopes import find_environment, request_scopes
from explorer.application.sending import Place, SendOptions, prepare_send, send
from explorer.core.checks.evaluate import CheckContext, capture, evaluate
from explorer.core.checks.facts import facts_from_response
from explorer.core.checks.results import AssertionResult, CapturedValue
from explorer.core.collection import walk_requests
from explorer.core.http.transport import Transport
from explorer.core.resolve.inheritance import inherited_checks
from explorer.core.resolve.variables import Resolver, Scope
from explorer.core.storage.collection_files import load_collection


@dataclass
class ChainRun:
    results: list[tuple[str, AssertionResult]] = field(default_factory=list)
    captured: list[tuple[str, CapturedValue]] = field(default_factory=list)
    statuses: list[tuple[str, int]] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [
            f"{name}: {r.label} (actual {r.actual!r}) {r.message}"
            for name, r in self.results
            if not r.passed
        ]


def run_chain(folder: Path, environment: str) -> ChainRun:
    loaded = load_collection(folder)
    collection = loaded.collection
    env = find_environment(collection, environment)
    base = request_scopes((), collection, env)
    captured: dict[str, str] = {}
    secret: set[str] = set()
    run = ChainRun()
    transport = Transport()
    try:
        for path, item in walk_requests(collection):
            scopes = [*base, Scope("captured", dict(captured), frozenset(secret))]
            place = Place(collection, path, item.inherit_headers, folder)
            prepared = prepare_send(item.request, place, scopes, SendOptions())
            response = send(transport, prepared)
            run.statuses.append((item.name, response.status))
            facts = facts_from_response(response)
            if response.body_path is not None:
                response.body_path.unlink(missing_ok=True)
            resolver = Resolver(scopes)
            context = CheckContext(resolver.text, resolver.value, folder)
            checks = inherited_checks(collection, path, item.request)
            for assertion, source in checks.assertions:
                result = evaluate(assertion, facts, context, source.label)
                run.results.append((item.name, result))
            for row, source in checks.captures:
                value = capture(row, facts, context, source.label)
                run.captured.append((item.name, value))
                if value.value is not None:
                    captured[value.variable] = value.value
                    if value.secret:
                        secret.add(value.variable)
    finally:
        transport.close()
    return run
