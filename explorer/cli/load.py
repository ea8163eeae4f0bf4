"""`load DIR|FILE`: a load test of a collection's requests on Locust.

This process reads the collection as `run` does (explorer/cli/run.plan_run: the same
scopes, `--env`, `--var`, `--secret`, data file), checks every argument (a mistake is
one line and exit status 2), then hands the job, pickled on a pipe, to a child process
(explorer/application/load/child) that runs Locust: gevent monkey-patches the process
that imports it, so this one never does. With `--workers N` it starts a Locust master
and N local workers; `--master` waits for workers of other machines, `--worker` joins a
master. SIGINT and SIGTERM are passed on to the children, which stop, write the reports
and exit 130. The exit status is the child's (master's): see explorer/application/load.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.cli.errors import CommandError

if TYPE_CHECKING:
    import subprocess

    from explorer.application.load.plan import LoadJob, LoadSettings

MAX_USERS = 100_000
MAX_WORKERS = 256
DEFAULT_MASTER_PORT = 5557
WORKERS_STOP_WITHIN = 10.0  # seconds a worker is given to leave after its master


def add_parser(
    commands: argparse._SubParsersAction[Any],
    _assignment: Callable[[str], tuple[str, str]],
    _secret_from_environment: Callable[[str], tuple[str, str]],
    _whole_number: Callable[[int, int], Callable[[str], int]],
) -> None:
    """The `load` parser; the argument types `run` uses too are given by explorer.cli
    (importing them from it here would be an import cycle)."""
    parser = commands.add_parser(
        "load", help="load-test a collection's requests with many virtual users (Locust)"
    )
    parser.add_argument("collection", metavar="DIR|FILE", help="a collection folder or a file")
    parser.add_argument(
        "--request",
        action="append",
        default=[],
        metavar="NAME",
        help="load only this request (its name, or folder/name); repeatable",
    )
    parser.add_argument(
        "--folder",
        action="append",
        default=[],
        metavar="NAME",
        help="load the requests under this folder (folder/sub for a sub-folder); repeatable",
    )
    parser.add_argument(
        "--users",
        type=_whole_number(1, MAX_USERS),
        metavar="N",
        help="virtual users, each running the requests in order",
    )
    parser.add_argument("--spawn-rate", type=_rate, metavar="R", help="users started per second")
    parser.add_argument(
        "--duration", type=_duration, metavar="TIME", help="stop after TIME, e.g. 30s, 2m"
    )
    parser.add_argument(
        "--iterations",
        type=_whole_number(1, 1_000_000),
        metavar="N",
        help="each user runs the requests N times, then stops",
    )
    parser.add_argument(
        "--think-time",
        type=_duration,
        default=0.0,
        metavar="TIME",
        help="each user waits TIME between two requests (default 0)",
    )
    parser.add_argument("--env", metavar="NAME", help="the environment whose variables to use")
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        type=_assignment,
        metavar="NAME=VALUE",
        help="set a variable (repeatable)",
    )
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        type=_secret_from_environment,
        metavar="NAME",
        help="variable NAME from the environment variable NAME, as a secret (repeatable)",
    )
    parser.add_argument(
        "--data", metavar="FILE", help="a CSV or JSON data file: user k takes row k (cycling)"
    )
    parser.add_argument(
        "--fail-if",
        action="append",
        default=[],
        type=_threshold,
        metavar="RULE",
        help='exit 1 when RULE holds at the end: "p95>200ms", "p99>1s", "errors>1%%", '
        '"rps<100" (repeatable)',
    )
    parser.add_argument(
        "--report",
        action="append",
        default=[],
        type=_report,
        metavar="KIND:PATH",
        help="write html:PATH or csv:PATH (repeatable)",
    )
    parser.add_argument(
        "--progress", choices=["json"], help="one JSON object per line on stdout, every second"
    )
    roles = parser.add_mutually_exclusive_group()
    roles.add_argument(
        "--workers",
        type=_whole_number(1, MAX_WORKERS),
        metavar="N",
        help="run a Locust master with N local worker processes",
    )
    roles.add_argument(
        "--master",
        action="store_true",
        help="run a Locust master that workers of other machines join",
    )
    roles.add_argument(
        "--worker",
        action="store_true",
        help="join the master at --master-host as a worker (with the same collection; "
        "users, pace and thresholds are the master's)",
    )
    parser.add_argument(
        "--expect-workers",
        type=_whole_number(1, MAX_WORKERS),
        default=1,
        metavar="N",
        help="with --master: start once N workers joined",
    )
    parser.add_argument(
        "--master-bind-port",
        type=_whole_number(1, 65535),
        default=DEFAULT_MASTER_PORT,
        metavar="P",
        help=f"with --master: the port workers connect to ({DEFAULT_MASTER_PORT})",
    )
    parser.add_argument("--master-host", metavar="HOST", help="with --worker: the master's host")
    parser.add_argument(
        "--master-port",
        type=_whole_number(1, 65535),
        default=DEFAULT_MASTER_PORT,
        metavar="P",
        help=f"with --worker: the master's port ({DEFAULT_MASTER_PORT})",
    )


def _rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected users per second, got {text!r}") from None
    if not 0 < rate <= MAX_USERS:
        raise argparse.ArgumentTypeError("the spawn rate must be more than 0")
    return rate


def _duration(text: str) -> float:
    from explorer.application.load.plan import parse_duration

    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _threshold(text: str) -> Any:
    from explorer.application.load.thresholds import parse_threshold

    try:
        return parse_threshold(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _report(text: str) -> tuple[str, str]:
    from explorer.application.load.reports import REPORT_KINDS

    kind, colon, path = text.partition(":")
    if not colon or not path or kind not in REPORT_KINDS:
        raise argparse.ArgumentTypeError(f"expected html:PATH or csv:PATH, got {text!r}")
    return kind, path


def settings_from(args: argparse.Namespace) -> LoadSettings:
    """The load settings of the arguments; CommandError for a combination that cannot run."""
    from explorer.application.load.plan import LoadSettings

    if args.worker:
        if not args.master_host:
            raise CommandError("--worker needs --master-host HOST")
        return LoadSettings(
            users=1,
            spawn_rate=1.0,
            role="worker",
            master_host=args.master_host,
            master_port=args.master_port,
        )
    if args.users is None or args.spawn_rate is None:
        raise CommandError("--users N and --spawn-rate R are needed")
    if (args.duration is None) == (args.iterations is None):
        raise CommandError("give one of --duration TIME or --iterations N")
    for kind, path in args.report:
        folder = Path(path).absolute().parent
        if not folder.is_dir():
            raise CommandError(f"{path}: the folder of the {kind} report does not exist")
    return LoadSettings(
        users=args.users,
        spawn_rate=args.spawn_rate,
        duration=args.duration,
        iterations=args.iterations,
        think_time=args.think_time,
        thresholds=tuple(args.fail_if),
        reports=tuple(args.report),
        progress_json=args.progress == "json",
        role="master" if args.master or args.workers else "local",
        master_host="*" if args.master else "127.0.0.1",
        master_port=args.master_bind_port if args.master else _free_port(),
        expect_workers=args.workers or (args.expect_workers if args.master else 0),
    )


def job_from(args: argparse.Namespace, settings: LoadSettings) -> LoadJob:
    from explorer.application.load.plan import LoadJob, select
    from explorer.cli.run import Overrides, _data_rows, plan_run

    plan = plan_run(args.collection, args.env, Overrides(), dict(args.var), dict(args.secret))
    try:
        selection = select(plan, args.request, args.folder)
    except LookupError as error:
        raise CommandError(str(error).strip("'\"")) from None
    if not selection:
        raise CommandError(f"{args.collection}: no requests to load")
    plan = replace(plan, selection=selection, data=_data_rows(args.data))
    title, setup = _described(args, plan.collection.name)
    return LoadJob(plan, replace(settings, title=title, setup=setup)).picklable()


def _described(args: argparse.Namespace, name: str) -> tuple[str, str]:
    """The report's title and set-up line."""
    from explorer.core.load_runs.command import describe_setup

    chosen = [*args.folder, *args.request]
    title = " / ".join([name, ", ".join(chosen)]) if chosen else name
    timed = args.duration is not None
    length = args.duration if timed else (args.iterations or 0)
    extra = [
        args.env or "",
        Path(args.data).name if args.data else "",
        f"{args.workers} processes" if args.workers else "",
    ]
    users, rate = args.users or 0, args.spawn_rate or 0
    setup = describe_setup(users, rate, timed, length, args.think_time, extra)
    return title, setup


def run_load(args: argparse.Namespace) -> int:
    """`load` as the parser of explorer.cli read it: the exit status."""
    from explorer.application.load.plan import LoadSettings

    settings = settings_from(args)
    job = job_from(args, settings)
    children = [_spawn(job, quiet=False)]
    if args.workers:
        # What a worker of another machine knows (`--worker --master-host`): no pace;
        # the master hands its own to every worker (explorer/application/load/child).
        worker = LoadSettings(
            users=1,
            spawn_rate=1.0,
            role="worker",
            master_host="127.0.0.1",
            master_port=settings.master_port,
        )
        children += [_spawn(replace(job, settings=worker), quiet=True) for _ in range(args.workers)]
    return _wait(children)


def _spawn(job: LoadJob, quiet: bool) -> subprocess.Popen[bytes]:
    import pickle
    import subprocess

    import explorer

    root = str(Path(explorer.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer.application.load.child"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL if quiet else None,
        env=env,
        start_new_session=True,  # a Ctrl-C reaches it once, passed on by this process
    )
    assert process.stdin is not None
    try:
        process.stdin.write(pickle.dumps(job))
        process.stdin.close()
    except BrokenPipeError:
        pass  # it died at start: its exit status says so
    return process


def _wait(children: list[subprocess.Popen[bytes]]) -> int:
    """Wait for the first child (the master, or the only one). SIGINT or SIGTERM is
    passed on to it as SIGINT: it stops its users, writes the reports and tells its
    workers to quit (a worker stopped on its own would look failed, and the master would
    be killed before its reports); a second one ends every child at once. A local worker
    that fails ends the run (its master would wait for it forever); workers are given a
    moment to leave at the end."""
    import signal
    import subprocess
    import time

    signals = 0

    def forward(_signal: int, _frame: object) -> None:
        nonlocal signals
        signals += 1
        for child in children[:1] if signals == 1 else children:
            if child.poll() is None:
                os.kill(child.pid, signal.SIGINT if signals == 1 else signal.SIGKILL)

    previous = [signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)]
    try:
        master, workers = children[0], children[1:]
        while master.poll() is None:
            failed = next((w for w in workers if w.poll() not in (None, 0)), None)
            if failed is not None:
                master.kill()
                master.wait()
                raise CommandError(f"a local worker stopped (exit status {failed.returncode})")
            time.sleep(0.05)
        status = master.returncode
        for child in workers:
            try:
                child.wait(WORKERS_STOP_WITHIN)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
    return status if status >= 0 else 128 - status


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
