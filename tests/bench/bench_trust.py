"""Bounds and trust: how fast and how cheaply hostile input is stopped (issue 11).

Every server is a raw socket on 127.0.0.1 in a thread of this process, so it can
misbehave as no framework lets a server misbehave (a gzip bomb, an endless body, a
handshake never answered). Each measurement is bounded in count and time:

1. A gzip bomb and an endless body against the real Transport, with a 64 MiB limit and
   with the default 1 GiB: time to BODY_TOO_LARGE, the peak RSS of a child process doing
   only that, and the spool files left in its private TMPDIR. Baseline: requests'
   `iter_content` reading the same 64 MiB of decoded bytes, then stopping.
2. Cancel latency, from `CancelToken.cancel()` to `Transport.send` returning, in each
   phase of an exchange.
3. `Options.total_timeout` = 1 s against a body that trickles in; baseline: requests'
   timeout of 1 s, which is per read, on the same kind of trickle.
4. Importers through the functions the `import` command calls (read_source, convert,
   write_new_collection), each in a child process: a 10,000-entry HAR and an OpenAPI
   document of 10 properties x 8 levels of $ref.
5. Variables: 16 variables each referencing the next 8 times.
6. History: storing a 1 MiB response that echoes a secret 1,000 times, with and without
   that secret to redact.

`python bench_trust.py --child …` is the child side of 1 and 4.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import ROOT, median, table

from tests.support.hostile_server import Handler, HostileServer, read_request

MiB = 1024 * 1024
GiB = 1024 * MiB
BODY_RUNS = 3
CANCEL_RUNS = 5
DEADLINE_RUNS = 3
IMPORT_RUNS = 3
VARIABLE_RUNS = 9
HISTORY_RUNS = 7
CANCEL_AFTER = 0.3  # seconds into the send: well inside the phase under test
CHILD_TIMEOUT = 60.0


# ---- hostile servers ---------------------------------------------------------------------


def _bomb_blocks() -> tuple[bytes, bytes]:
    """The start of an endless gzip stream of zeros, and a block that repeats for ever:
    each block inflates to 1 MiB from about 1 KiB (the window is all zeros, so every
    block after the first compresses to the same bytes)."""
    zeros = bytes(MiB)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first, block, again = (
        packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH) for _ in range(3)
    )
    assert block == again
    return first, block


FIRST_BLOCK, BOMB_BLOCK = _bomb_blocks()


def gzip_bomb(conn: socket.socket) -> None:
    read_request(conn)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
        b"Connection: close\r\n\r\n" + FIRST_BLOCK
    )
    sixty_four = BOMB_BLOCK * 64  # 64 MiB of zeros in about 66 KB
    while True:
        conn.sendall(sixty_four)


def endless(conn: socket.socket) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
    block = b"x" * MiB
    while True:
        conn.sendall(block)


def silent(conn: socket.socket) -> None:
    """Accepts, then never says a word (not even to a TLS ClientHello)."""
    while conn.recv(65536):
        pass


def no_headers(conn: socket.socket) -> None:
    read_request(conn)
    silent(conn)


def trickle(length: int) -> Handler:
    """Headers at once, then the body one byte every 100 ms."""

    def handler(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n".encode())
        for _ in range(length):
            conn.sendall(b"z")
            time.sleep(0.1)

    return handler


def fixed(body: bytes, content_type: str = "application/json") -> Handler:
    def handler(conn: socket.socket) -> None:
        read_request(conn)
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    return handler


class FullBacklog:
    """A listener that never accepts, its backlog filled: a new connect never completes
    (the kernel drops the SYN, the client waits to retransmit it)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.fillers = []
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(self.listener.getsockname())
            self.fillers.append(filler)

    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/"

    def close(self) -> None:
        for filler in self.fillers:
            filler.close()
        self.listener.close()


# ---- children ----------------------------------------------------------------------------


def child_body(mode: str, url: str, limit: int) -> dict:
    """One bounded read in this fresh process; what it took and what it left."""
    if mode == "requests":
        import requests

        started = time.perf_counter()
        received = 0
        with requests.get(url, stream=True, timeout=30) as response:
            for chunk in response.iter_content(65536):
                received += len(chunk)
                if received >= limit:
                    break
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "kind": "stopped", "at_once": 0, "later": 0}
    from explorer.core.http.exchange import SendError
    from explorer.core.http.transport import Transport
    from explorer.core.model import Options, Request

    transport = Transport()  # the default spool folder, under this process's TMPDIR
    if mode == "idle":  # the floor: the same process, no send
        return {"seconds": 0.0, "kind": "no send", "at_once": 0, "later": 0}
    kind = "no error"
    started = time.perf_counter()
    try:
        transport.send(Request(url=url, options=Options(max_body_size=limit)))
    except SendError as error:
        kind = str(error.kind)
    seconds = time.perf_counter() - started
    # A failed send's file is deleted on a daemon thread: allow it a second.
    at_once = files = _files(Path(tempfile.gettempdir()))
    deadline = time.monotonic() + 1.0
    while files and time.monotonic() < deadline:
        time.sleep(0.02)
        files = _files(Path(tempfile.gettempdir()))
    return {"seconds": seconds, "kind": kind, "at_once": len(at_once), "later": len(files)}


def _files(folder: Path) -> list[str]:
    return [str(path) for path in folder.rglob("*") if path.is_file()]


def child_import(source: str, into: str) -> dict:
    """What `python -m explorer import SOURCE --into INTO` does, step by step."""
    from explorer.cli.importing import read_source
    from explorer.core.collection import walk_requests
    from explorer.core.formats import convert
    from explorer.core.formats.destination import write_new_collection

    started = time.perf_counter()
    text, filename = read_source(source)
    read = time.perf_counter()
    result = convert(text, filename=filename, base_dir=Path(source).parent).result
    converted = time.perf_counter()
    write_new_collection(result.to_write(), Path(into))
    written = time.perf_counter()
    return {
        "read": read - started,
        "convert": converted - read,
        "write": written - converted,
        "requests": len(walk_requests(result.collection)),
        "cut_short": any("cut short" in line for line in result.report),
        "files": sum(1 for path in Path(into).rglob("*") if path.is_file()),
        "bytes": sum(path.stat().st_size for path in Path(into).rglob("*") if path.is_file()),
    }


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, dict]:
    """Run this script as a child: wall seconds, peak RSS (MiB), and its JSON answer."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    killer = threading.Timer(CHILD_TIMEOUT, process.kill)
    killer.start()
    out = process.stdout.read()  # type: ignore[union-attr]
    err = process.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    killer.cancel()
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"child {args} exited {process.returncode}: {err.decode()[-1500:]}")
    return elapsed, usage.ru_maxrss / 1024.0, json.loads(out)


def child_env(tmpdir: Path, home: Path) -> dict[str, str]:
    env = dict(os.environ, TMPDIR=str(tmpdir), API_EXPLORER_HOME=str(home))
    env["PYTHONPATH"] = str(ROOT)
    return env


# ---- 1. body size ------------------------------------------------------------------------


def bench_body(work: Path) -> str:
    bomb, stream = HostileServer(gzip_bomb), HostileServer(endless)
    baseline = "requests iter_content, stop at 64 MiB (baseline)"
    cases = [
        ("requests", "gzip bomb", bomb, 64 * MiB, baseline),
        ("requests", "endless", stream, 64 * MiB, baseline),
        ("idle", "–", bomb, 64 * MiB, "Transport imported and made, no send (floor)"),
        ("transport", "gzip bomb", bomb, 64 * MiB, "Transport, max_body_size 64 MiB"),
        ("transport", "endless", stream, 64 * MiB, "Transport, max_body_size 64 MiB"),
        ("transport", "gzip bomb", bomb, GiB, "Transport, default limit (1 GiB)"),
        ("transport", "endless", stream, GiB, "Transport, default limit (1 GiB)"),
    ]  # fmt: skip
    seconds: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    rss: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    kinds: dict[int, set[str]] = {i: set() for i in range(len(cases))}
    at_once, later, at_exit = ({i: 0 for i in range(len(cases))} for _ in range(3))
    for run in range(BODY_RUNS):
        for i, (mode, _, server, limit, _) in enumerate(cases):
            tmpdir = work / f"tmp-body-{run}-{i}"
            tmpdir.mkdir()
            # 1 GiB is the default: the limit a request that sets none (0) gets.
            size = 0 if mode == "transport" and limit == GiB else limit
            args = ["body", mode, server.url(), str(size)]
            _, peak, answer = run_child(args, child_env(tmpdir, work / "home"))
            seconds[i].append(answer["seconds"])
            rss[i].append(peak)
            kinds[i].add(answer["kind"])
            at_once[i] = max(at_once[i], answer["at_once"])
            later[i] = max(later[i], answer["later"])
            at_exit[i] = max(at_exit[i], len(_files(tmpdir)))
            shutil.rmtree(tmpdir, ignore_errors=True)
    bomb.close()
    stream.close()
    rows = []
    for i, (mode, server_name, _, _, client) in enumerate(cases):
        left = f"{at_once[i]} / {later[i]} / {at_exit[i]}" if mode == "transport" else "–"
        rows.append(
            [
                server_name,
                client,
                f"{median(seconds[i]):.2f} s" if mode != "idle" else "–",
                f"{median(rss[i]):.0f} MiB",
                ", ".join(sorted(kinds[i])),
                left,
            ]
        )
    return table(
        f"Gzip bomb and endless body (median of {BODY_RUNS} child processes)",
        ["server", "client", "time to stop", "peak RSS", "outcome", "files: at once / 1 s / exit"],
        rows,
    )


# ---- 2. cancel ---------------------------------------------------------------------------


def cancel_latency(transport, request, delay: float = CANCEL_AFTER) -> tuple[float, str]:
    """Send on a thread, cancel after `delay`: (seconds from cancel() to return, kind)."""
    from explorer.core.http.cancel import CancelToken
    from explorer.core.http.exchange import SendError

    token = CancelToken()
    outcome: dict[str, object] = {"kind": "returned a response"}

    def run() -> None:
        try:
            transport.send(request, token)
        except SendError as error:
            outcome["kind"] = str(error.kind)
        outcome["at"] = time.perf_counter()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    time.sleep(delay)
    cancelled_at = time.perf_counter()
    token.cancel()
    worker.join(35)
    if worker.is_alive():
        return float("inf"), "still running after 35 s"
    return float(outcome["at"]) - cancelled_at, str(outcome["kind"])  # type: ignore[arg-type]


def bench_cancel(work: Path) -> str:
    from explorer.core.http.exchange import ErrorKind, SendError
    from explorer.core.http.transport import Transport
    from explorer.core.model import Options, Request

    transport = Transport(spool_dir=work / "spool-cancel")
    backlog, quiet, waiting = FullBacklog(), HostileServer(silent), HostileServer(no_headers)
    slow = HostileServer(trickle(1000))
    # The full backlog really holds a connect: with a short timeout it is a connect timeout.
    try:
        transport.send(Request(url=backlog.url(), options=Options(timeout=0.5)))
        raise RuntimeError("the full backlog accepted a connection")
    except SendError as error:
        assert error.kind == ErrorKind.CONNECT_TIMEOUT, error.kind
    cases = [
        ("TCP connect (listener with a full backlog)", backlog.url(), 30.0),
        ("TLS handshake never answered, timeout 30 s", quiet.url("https"), 30.0),
        ("TLS handshake never answered, timeout 0 (none)", quiet.url("https"), 0.0),
        ("waiting for headers (accepts, never answers)", waiting.url(), 30.0),
        ("body trickling 1 byte / 100 ms", slow.url(), 30.0),
    ]
    rows = []
    for phase, url, timeout in cases:
        request = Request(url=url, options=Options(timeout=timeout))
        results = [cancel_latency(transport, request) for _ in range(CANCEL_RUNS)]
        latencies = [seconds for seconds, _ in results]
        kinds = sorted({kind for _, kind in results})
        rows.append(
            [
                phase,
                f"{median(latencies) * 1000:.1f} ms",
                f"{max(latencies) * 1000:.1f} ms",
                ", ".join(kinds),
            ]
        )
    transport.close()
    for server in (backlog, quiet, waiting, slow):
        server.close()
    return table(
        f"Cancel latency, cancel() → send returns (median of {CANCEL_RUNS}, goal ≤ 0.1 s)",
        ["phase", "median", "worst", "outcome"],
        rows,
    )


# ---- 3. total deadline -------------------------------------------------------------------


def bench_deadline(work: Path) -> str:
    import requests

    from explorer.core.http.exchange import SendError
    from explorer.core.http.transport import Transport
    from explorer.core.model import Options, Request

    transport = Transport(spool_dir=work / "spool-deadline")
    long_trickle, short_trickle = HostileServer(trickle(1000)), HostileServer(trickle(20))
    app_times, app_kinds, raw_times = [], set(), []
    for _ in range(DEADLINE_RUNS):
        started = time.perf_counter()
        request = Request(url=long_trickle.url(), options=Options(timeout=30, total_timeout=1.0))
        try:
            transport.send(request)
            app_kinds.add("returned a response")
        except SendError as error:
            app_kinds.add(str(error.kind))
        app_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        requests.get(short_trickle.url(), timeout=1.0).content  # noqa: B018 - read it all
        raw_times.append(time.perf_counter() - started)
    transport.close()
    long_trickle.close()
    short_trickle.close()
    rows = [
        [
            "requests timeout=1 (per read), 20-byte body (baseline)",
            f"{median(raw_times):.2f} s",
            "complete body: the timeout never fires",
        ],
        [
            "Transport total_timeout=1 s, 1000-byte body (100 s to send)",
            f"{median(app_times):.2f} s",
            ", ".join(sorted(app_kinds)),
        ],
    ]
    return table(
        f"Total deadline against a body trickling 1 byte / 100 ms (median of {DEADLINE_RUNS}, "
        "goal ≈ 1 s)",
        ["client", "send took", "outcome"],
        rows,
    )


# ---- 4. importers ------------------------------------------------------------------------


def har_document(count: int) -> str:
    """`count` entries of one request: every one has the same name, the worst case for
    choosing file names (the quadratic case of issue 11)."""
    entry = {
        "request": {
            "method": "GET",
            "url": "https://shop.example.com/api/items?page=1",
            "headers": [{"name": "Accept", "value": "application/json"}],
        },
        "response": {"status": 200, "content": {"text": "{}"}},
    }
    return json.dumps({"log": {"version": "1.2", "entries": [entry] * count}})


def ref_bomb() -> str:
    """10 properties per level, each a $ref to the next level, 8 levels: 10^8 values."""
    schemas: dict[str, object] = {}
    for level in range(8):
        inner = {"$ref": f"#/components/schemas/L{level + 1}"}
        schemas[f"L{level}"] = {"type": "object", "properties": {f"p{i}": inner for i in range(10)}}
    schemas["L8"] = {"type": "string"}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/L0"}}}}
    return json.dumps(
        {
            "openapi": "3.0.0",
            "info": {"title": "bomb", "version": "1"},
            "servers": [{"url": "http://127.0.0.1:1"}],
            "paths": {"/a": {"post": {"requestBody": body}}},
            "components": {"schemas": schemas},
        }
    )


def bench_imports(work: Path) -> str:
    sources = {
        "HAR, 10,000 entries": work / "ten-thousand.har",
        "OpenAPI, 10 properties x 8 levels of $ref": work / "ref-bomb.json",
    }
    sources["HAR, 10,000 entries"].write_text(har_document(10_000), encoding="utf-8")
    sources["OpenAPI, 10 properties x 8 levels of $ref"].write_text(ref_bomb(), encoding="utf-8")
    rows = []
    for name, source in sources.items():
        walls, steps, answer = [], {"read": [], "convert": [], "write": []}, {}
        for run in range(IMPORT_RUNS):
            into = work / f"import-{source.stem}-{run}"
            env = child_env(work / "tmp-import", work / f"home-import-{run}")
            (work / "tmp-import").mkdir(exist_ok=True)
            wall, _, answer = run_child(["import", str(source), str(into)], env)
            walls.append(wall)
            for step in steps:
                steps[step].append(answer[step])
            shutil.rmtree(into, ignore_errors=True)
            # This machine's disk is mounted with `discard`: deleting 10,000 files makes
            # the kernel trim their blocks in the background for a few seconds, which
            # would slow the next run's file creation, not the import itself.
            os.sync()
            time.sleep(3)
        size_kb = source.stat().st_size / 1024
        count = answer["requests"]
        result = f"{count:,} request{'s' if count != 1 else ''}, {answer['files']:,} files, "
        result += f"{answer['bytes'] / MiB:.1f} MiB"
        result += ", examples cut short" if answer["cut_short"] else ""
        rows.append(
            [
                f"{name} ({size_kb:,.0f} KB)",
                f"{median(walls):.2f} s",
                f"{median(steps['convert']):.2f} s",
                f"{median(steps['write']):.2f} s",
                result,
            ]
        )
    return table(
        f"Importers, whole child process as `import FILE --into DIR` (median of {IMPORT_RUNS})",
        ["input", "whole process", "convert", "write folder", "result"],
        rows,
    )


# ---- 5. variables ------------------------------------------------------------------------


def bench_variables() -> str:
    from explorer.core.model import Request
    from explorer.core.resolve.variables import Scope, resolve_request_checked

    def chain(copies: int) -> list[Scope]:
        values = {f"v{i}": f"{{{{v{i + 1}}}}}" * copies for i in range(15)}
        values["v15"] = "0123456789"
        return [Scope("environment", values)]

    request = Request(url="http://h/{{v0}}")
    cases = {
        "16 variables, each naming the next once (baseline)": chain(1),
        "16 variables, each naming the next 8 times (8^15 leaves)": chain(8),
    }
    rows = []
    for name, scopes in cases.items():
        times, outcome = [], ""
        for _ in range(VARIABLE_RUNS):
            started = time.perf_counter()
            resolved, problems = resolve_request_checked(request, scopes)
            times.append(time.perf_counter() - started)
            reasons = sorted({f"{p.reason} ({p.name})" for p in problems})
            outcome = ", ".join(reasons) or "resolved"
            outcome += f"; URL {len(resolved.url):,} characters"
        rows.append([name, f"{median(times) * 1000:.2f} ms", outcome])
    return table(
        f"Variables, one request resolved (median of {VARIABLE_RUNS})",
        ["variables", "time", "outcome"],
        rows,
    )


# ---- 6. history redaction ----------------------------------------------------------------


SECRET = "sk_live_9fQ2xT7vLp3RzW8m"


def echo_body() -> bytes:
    """1 MiB of JSON that echoes the secret 1,000 times among ordinary records."""
    records = [{"id": i, "token": SECRET, "note": "ordinary text " * 4} for i in range(1000)]
    text = json.dumps({"records": records, "pad": ""})
    pad = MiB - len(text.encode())
    return json.dumps({"records": records, "pad": "x" * pad}).encode()


def bench_history(work: Path) -> str:
    from explorer.core.http.transport import Transport
    from explorer.core.model import Request
    from explorer.core.storage.history import History

    body = echo_body()
    assert len(body) == MiB and body.count(SECRET.encode()) == 1000
    server = HostileServer(fixed(body))
    transport = Transport(spool_dir=work / "spool-history")
    request = Request(url=server.url() + "echo")
    response = transport.send(request)
    transport.close()
    server.close()
    rows = []
    cases = {"no secrets to redact (baseline)": (), "1 secret, echoed 1,000 times": (SECRET,)}
    base = 0.0
    for name, secrets in cases.items():
        history = History(work / f"history-{len(secrets)}.sqlite3")
        times = []
        entry_id = 0
        for _ in range(HISTORY_RUNS):
            started = time.perf_counter()
            entry_id = history.add(response, request, secrets=secrets)
            times.append(time.perf_counter() - started)
        stored = history.get(entry_id)
        history.close()
        assert stored is not None
        left = stored.response_body.count(SECRET.encode())
        assert left == (1000 if not secrets else 0), left
        ms = median(times) * 1000 / (len(body) / MiB)
        base = base or ms
        rows.append([name, f"{ms:.1f} ms/MiB", f"{ms / base:.2f}×", f"{left:,}"])
    return table(
        f"History: storing a 1 MiB JSON response (median of {HISTORY_RUNS})",
        ["secrets", "History.add", "ratio", "secret left in stored body"],
        rows,
    )


# ---- main --------------------------------------------------------------------------------


def child_main(args: list[str]) -> None:
    if args[0] == "body":
        print(json.dumps(child_body(args[1], args[2], int(args[3]))))
    elif args[0] == "import":
        print(json.dumps(child_import(args[1], args[2])))
    else:
        raise SystemExit(f"unknown child {args[0]}")


def main() -> str:
    work = Path(tempfile.mkdtemp(prefix="bench-trust-"))
    try:
        parts = [
            bench_body(work),
            bench_cancel(work),
            bench_deadline(work),
            bench_imports(work),
            bench_variables(),
            bench_history(work),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "\n".join(parts)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        print(main())
