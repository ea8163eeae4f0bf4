"""The child process of `python -m explorer load`: runs Locust as a library.

    python -m explorer.application.load.child   (a pickled LoadJob on stdin)

gevent is patched in first, before anything else is imported (Locust requires it), which
is why this runs in a process of its own. As "local" or "master" it starts the users,
prints a progress line every second (JSON, or a human line every few seconds on
stderr), stops on --duration, when every user did its --iterations, or on SIGINT /
SIGTERM, then judges the thresholds, writes the reports and exits: 0, 1 (a threshold
failed, or every request failed), 2 (a load error, one line), 130 (stopped). As a
"worker" it joins its master and runs the users the master gives it.
"""

from gevent import monkey  # type: ignore[import-untyped]

monkey.patch_all()

import argparse  # noqa: E402 - after the monkey-patching, as gevent requires
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import pickle  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import locust.runners  # noqa: E402
from locust.env import Environment  # noqa: E402

from explorer.application.load.plan import LoadJob  # noqa: E402
from explorer.application.load.stats import snapshot  # noqa: E402
from explorer.application.load.thresholds import judge  # noqa: E402
from explorer.application.load.user import user_class  # noqa: E402

TICK = 0.02  # seconds between two looks at the stop conditions
LINE_EVERY = 1.0  # seconds between two progress lines
HUMAN_EVERY = 5.0  # seconds between two human lines on stderr
REPORT_INTERVAL = 0.5  # seconds between two reports of a worker to its master
INTERRUPTED = 130
PARENT_CHECK = 0.5  # seconds between two looks at whether the `load` command is alive
MAX_POINTS = 10_000  # points of the report's charts


def main() -> int:
    job: LoadJob = pickle.load(sys.stdin.buffer)
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)  # Locust's chatter off
    locust.runners.WORKER_REPORT_INTERVAL = REPORT_INTERVAL
    stopping: list[str] = []

    def stop(_signal: int = 0, _frame: object = None) -> None:
        stopping.append("stopped")

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    gevent.spawn(_end_with_parent, os.getppid())
    job = _with_tokens(job)
    settings = job.settings
    environment = Environment(user_classes=[user_class(job)], events=None)
    if settings.role != "worker":
        # Sent to the workers with every spawn (a worker elsewhere knows no pace).
        environment.parsed_options = argparse.Namespace(
            headless=False,
            enable_rebalancing=False,
            explorer_iterations=settings.iterations,
            explorer_think_time=settings.think_time,
        )
    if settings.role == "worker":
        runner: Any = environment.create_worker_runner(settings.master_host, settings.master_port)
        while not stopping and len(runner.greenlet):  # empty once the master said quit
            gevent.sleep(0.1)
        runner.quit()
        return INTERRUPTED if stopping else 0
    if settings.role == "master":
        runner = environment.create_master_runner(settings.master_host, settings.master_port)
        if not settings.progress_json:
            print(
                f"waiting for {settings.expect_workers} worker(s) on port {settings.master_port}",
                file=sys.stderr,
                flush=True,
            )
        while len(runner.clients.ready) < settings.expect_workers and not stopping:
            gevent.sleep(TICK)
    else:
        runner = environment.create_local_runner()
    return Monitor(job, environment, runner, stopping).run()


def _end_with_parent(parent: int) -> None:
    """End at once when the `load` command that started this process is gone (killed:
    the window's second Stop, or a terminal closed): this process runs in a session of
    its own, so nothing else would stop its users or, for a worker, its wait."""
    while os.getppid() == parent:
        gevent.sleep(PARENT_CHECK)
    os._exit(INTERRUPTED)


def _with_tokens(job: LoadJob) -> LoadJob:
    """OAuth 2.0 tokens from this machine's secret store (the callable is not pickled)."""
    from dataclasses import replace

    from explorer.application.oauth import token_source
    from explorer.core.paths import secret_store_path
    from explorer.core.storage.secrets import SecretStore

    tokens = token_source(SecretStore(secret_store_path()))
    return replace(job, plan=replace(job.plan, tokens=tokens))


class Monitor:
    """Starts the users, tells the progress, decides when the run ends."""

    def __init__(self, job: LoadJob, environment: Environment, runner: Any, stopping: list[str]):
        self.job = job
        self.settings = job.settings
        self.environment = environment
        self.runner = runner
        self.stopping = stopping
        self.names = job.names
        self.history: list[dict[str, Any]] = []  # the totals each second, for the report
        self._previous: tuple[float, dict[str, int]] = (0.0, {})  # the last line's counts
        self.started_at = ""  # local time the users started, for the report

    def emit(self, line: dict[str, Any]) -> None:
        if self.settings.progress_json:
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()

    def run(self) -> int:
        settings = self.settings
        if self.stopping:
            return self.finish("stopped", 0.0)
        self.emit(
            {
                "event": "started",
                "users": settings.users,
                "spawn_rate": settings.spawn_rate,
                "requests": self.names,
            }
        )
        started = time.monotonic()
        self.started_at = datetime.now().replace(microsecond=0).isoformat(sep=" ")
        self.runner.start(settings.users, spawn_rate=settings.spawn_rate)
        expected = None
        if settings.iterations is not None:
            expected = settings.users * settings.iterations * len(self.names)
        next_line = started + LINE_EVERY
        next_human = started + HUMAN_EVERY
        reason = "stopped"
        while True:
            gevent.sleep(TICK)
            now = time.monotonic()
            elapsed = now - started
            if self.stopping:
                break
            if settings.duration is not None and elapsed >= settings.duration:
                reason = "duration"
                break
            if expected is not None and self.environment.stats.total.num_requests >= expected:
                reason = "iterations"
                break
            if now >= next_line:
                next_line += LINE_EVERY
                self.tick(elapsed)
            if not settings.progress_json and now >= next_human:
                next_human += HUMAN_EVERY
                print(human_line(self.line(elapsed)), file=sys.stderr, flush=True)
        self.runner.stop()
        if settings.role == "master" and reason != "iterations":  # the workers' last reports
            gevent.sleep(2 * REPORT_INTERVAL + 0.2)
        elapsed = time.monotonic() - started
        return self.finish(reason, elapsed)

    def line(self, elapsed: float, final: bool = False) -> dict[str, Any]:
        figures = snapshot(self.environment.stats, self.names, elapsed, final)
        return {"elapsed": round(elapsed, 2), "users": self.runner.user_count, **figures}

    def tick(self, elapsed: float) -> None:
        line = {"event": "stats", **self.line(elapsed)}
        self._rates(line)
        # The report's charts need the totals only; a long run keeps every other point
        # once MAX_POINTS are kept (the points carry their time: the spacing may vary).
        self.history.append({"elapsed": line["elapsed"], "total": line["total"]})
        if len(self.history) > MAX_POINTS:
            self.history = self.history[::2]
        self.emit(line)

    def _rates(self, line: dict[str, Any]) -> None:
        """The lines' "rps": requests since the previous line over the time between them
        (Locust's own current rate stays 0 for a run's first seconds)."""
        counts = {row["name"]: row["requests"] for row in line["by_request"]}
        counts[""] = line["total"]["requests"]
        since, before = self._previous
        span = line["elapsed"] - since
        self._previous = (line["elapsed"], counts)
        if span <= 0:
            return
        for row, name in [(line["total"], ""), *((r, r["name"]) for r in line["by_request"])]:
            row["rps"] = round((counts[name] - before.get(name, 0)) / span, 2)

    def finish(self, reason: str, elapsed: float) -> int:
        from explorer.application.load.reports import ReportHead, write_reports

        line = self.line(elapsed, final=True)
        verdicts = judge(self.settings.thresholds, line["total"])
        head = ReportHead(
            title=self.settings.title,
            setup=self.settings.setup,
            started=self.started_at,
            reason="stopped" if self.stopping else reason,
            engine=f"Locust {locust.__version__}",
        )
        written, problem = write_reports(self.settings.reports, line, self.history, verdicts, head)
        total = line["total"]
        self.emit(
            {
                "event": "finished",
                "reason": "stopped" if self.stopping else reason,
                **line,
                "thresholds": [v.as_json() for v in verdicts],
                "reports": written,
            }
        )
        if not self.settings.progress_json:
            print(final_table(line, verdicts))
        if self.settings.role == "master":
            self.runner.quit()
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        if self.stopping:
            print("interrupted", file=sys.stderr)
            return INTERRUPTED
        all_failed = total["requests"] > 0 and total["failures"] == total["requests"]
        if all_failed:
            print("every request failed", file=sys.stderr)
        return 1 if all_failed or not all(v.passed for v in verdicts) else 0


def human_line(line: dict[str, Any]) -> str:
    total = line["total"]
    return (
        f"{line['elapsed']:.0f} s  {line['users']} users  {total['requests']:,} requests  "
        f"{total['failures']:,} failures  {total['rps']:.1f} rps  p50 {total['p50']:g} ms  "
        f"p95 {total['p95']:g} ms  p99 {total['p99']:g} ms"
    )


def final_table(line: dict[str, Any], verdicts: list[Any]) -> str:
    rows = [*line["by_request"], {"name": "Total", **line["total"]}]
    width = max(len(row["name"]) for row in rows)
    head = f"{'request':<{width}}  {'requests':>9}  {'failures':>8}  {'rps':>8}  "
    head += f"{'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}"
    out = [head]
    for row in rows:
        out.append(
            f"{row['name']:<{width}}  {row['requests']:>9,}  {row['failures']:>8,}  "
            f"{row['rps']:>8.1f}  {row['p50']:>7g}  {row['p95']:>7g}  {row['p99']:>7g}"
        )
    for error in line["errors"]:
        out.append(f"{error['count']:>6,} × {error['kind']}: {error['message']} [{error['name']}]")
    for verdict in verdicts:
        mark = "ok  " if verdict.passed else "FAIL"
        out.append(f"{mark} {verdict.rule} (actual {verdict.actual})")
    return "\n".join(out)


if __name__ == "__main__":
    try:
        status = main()
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        print(f"error: the load test failed: {' '.join(str(error).split())}", file=sys.stderr)
        status = 2
    sys.stdout.flush()
    sys.exit(status)
