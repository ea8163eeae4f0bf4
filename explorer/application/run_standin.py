"""TEMPORARY stand-in for `explorer.application.running` (written by another helper):
just enough of a run engine for the window's runner to be built and tried against. It is
deleted when the real engine lands; nothing may import it then."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from explorer.core.checks.results import AssertionResult, CapturedValue
from explorer.core.collection import Collection, walk_requests
from explorer.core.http.cancel import CancelToken
from explorer.core.http.exchange import Response, SendError
from explorer.core.model import Subject
from explorer.core.resolve.variables import Scope


@dataclass(frozen=True)
class RunSettings:
    iterations: int = 1
    data_rows: tuple[dict[str, str], ...] = ()
    delay_ms: int = 0
    bail: bool = False
    allow_outside_files: bool = False


@dataclass(frozen=True)
class RequestResult:
    iteration: int
    position: int
    name: str
    folder: tuple[str, ...]
    method: str
    url: str
    status: int = 0
    reason: str = ""
    elapsed_ms: float = 0.0
    body_size: int = 0
    error: str = ""
    assertions: tuple[AssertionResult, ...] = ()
    captured: tuple[CapturedValue, ...] = ()
    response: Response | None = None

    @property
    def passed(self) -> bool:
        return not self.error and all(a.passed for a in self.assertions)


@dataclass(frozen=True)
class RunStarted:
    requests: int
    iterations: int


@dataclass(frozen=True)
class RunFinished:
    cancelled: bool
    elapsed_ms: float
    results: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def run(
    collection: Collection,
    root: Path | None,
    scopes: Sequence[Scope],
    settings: RunSettings,
    cancel: CancelToken,
    on_event: Callable[[object], None],
) -> RunFinished:
    from explorer.application.sending import Place, prepare_send, send
    from explorer.core.http.transport import Transport

    started = time.perf_counter()
    items = walk_requests(collection)
    rows = settings.data_rows or tuple({} for _ in range(max(1, settings.iterations)))
    on_event(RunStarted(len(items), len(rows)))
    transport = Transport()
    count = 0
    try:
        for iteration, row in enumerate(rows):
            row_scope = Scope("data", values=row)
            for position, (folder, item) in enumerate(items):
                if cancel.stopped:
                    return RunFinished(True, (time.perf_counter() - started) * 1000, count)
                place = Place(collection, folder, item.inherit_headers, root)
                prepared = prepare_send(item.request, place, [*scopes, row_scope])
                base = RequestResult(
                    iteration,
                    position,
                    item.name,
                    folder,
                    prepared.request.method,
                    prepared.request.url,
                )
                try:
                    response = send(transport, prepared, cancel)
                except SendError as error:
                    result = RequestResult(**{**base.__dict__, "error": error.message})
                else:
                    checks = tuple(
                        AssertionResult(
                            label=f"status == {a.expected}",
                            passed=str(response.status) == a.expected,
                            actual=str(response.status),
                            expected=a.expected,
                        )
                        for a in item.request.assertions
                        if a.subject == Subject.STATUS and a.enabled
                    )
                    result = RequestResult(
                        **{
                            **base.__dict__,
                            "status": response.status,
                            "reason": response.reason,
                            "elapsed_ms": response.elapsed_ms,
                            "body_size": response.body_size,
                            "assertions": checks,
                            "response": response,
                        }
                    )
                count += 1
                on_event(result)
                if settings.bail and not result.passed:
                    return RunFinished(False, (time.perf_counter() - started) * 1000, count)
                if settings.delay_ms:
                    time.sleep(settings.delay_ms / 1000)
    finally:
        transport.close()
    return RunFinished(cancel.stopped, (time.perf_counter() - started) * 1000, count)


def read_data_file(path: Path) -> tuple[dict[str, str], ...]:
    import csv
    import io
    import json

    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError(f"{path.name}: a JSON data file is a list of objects")
        return tuple({str(k): str(v) for k, v in r.items()} for r in data)
    return tuple(dict(r) for r in csv.DictReader(io.StringIO(text)))


def write_report(
    kind: str, path: Path, name: str, results: list[RequestResult], elapsed_ms: float
) -> None:
    from xml.etree import ElementTree as ET

    suite = ET.Element("testsuite", name=name, tests=str(len(results)))
    failures = 0
    for r in results:
        case = ET.SubElement(suite, "testcase", name=r.name, classname=name)
        bad = [a for a in r.assertions if not a.passed]
        if bad or r.error:
            failures += 1
            ET.SubElement(case, "failure", message=r.error or bad[0].label)
    suite.set("failures", str(failures))
    path.write_bytes(ET.tostring(ET.Element("testsuites")) if False else ET.tostring(suite))
