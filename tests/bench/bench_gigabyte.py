"""Gigabyte bodies in the window: a 1 GiB JSON body and a 1 GiB plain-text log, sent
through the real RequestTab (offscreen, 1280×720) while a 5 ms timer on the GUI thread
records its longest stall. Baselines in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_gigabyte.py [--mib 1024]
        [--where tab|window|both] [--only json|log] [--no-filter] [--no-download]

The bodies are generated into a temp dir and served by a raw socket server (sendfile)
in this process; every measured case runs in a fresh child process, so each peak RSS is
that case's own. Reported per body:
- download: the app's transport (spooled to disk) against `requests` `iter_content(64 KiB)`
  into memory, same server, alternated;
- first screen after the last byte: from the response arriving on the GUI thread to the
  first paint of body text;
- the GUI process's peak RSS (VmHWM) over the whole case, and its idle RSS;
- the longest stall while downloading, scrolling to the end (Ctrl+End), finding the
  last occurrence (a word only the last line holds, as typed into the find bar) and
  filtering (`[-1].id`, JSON only);
- find-last time: from the query to the match selected and the search complete;
- the stall at the moment formatting ends (the gap holding the formatter's `finished`
  and the next 0.5 s: the folds handed over, the view told, the fold tree begun);
- a find of a common word (up to the 5 million matches kept) with its time and stall;
- RssAnon / RssFile / VmRSS at each step and their peaks sampled every 50 ms.

`--where window` runs the same steps in the current tab of the whole MainWindow (menus,
sidebar, history) instead of a RequestTab alone, `--where both` runs both; `--only json`,
`--no-filter` and `--no-download` make a shorter run.

The JSON is shown Pretty (the streaming formatter's child; `--raw` shows it Raw instead),
so the fold ranges of ~10 million objects reach the window. The filter of a 1 GiB body
runs in a child that peaks at ~7.5 GB here; where the machine has less free memory the
window refuses it in one line (core/text/memory_budget) and the table shows that line.
"largest child peak" is the largest of the formatter and filter children.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, GapMeter, iter_content_seconds, median, table

NEEDLE = "zebra-final-marker"
COMMON = "user"  # twice in every JSON record (none in the log)
STEP_TIMEOUT_S = 180


# -- bodies -----------------------------------------------------------------------------


def generate_json(path: Path, size: int) -> None:
    """A JSON array of ~512-byte records, about `size` bytes; the last record alone holds
    NEEDLE."""
    with open(path, "wb") as out:
        out.write(b"[")
        written, i = 1, 0
        while written < size - 4096:
            batch = []
            for j in range(i, i + 2000):
                batch.append(
                    f'{{"id":{j},"name":"user {j}","email":"user{j}@example.com",'
                    f'"active":{"true" if j % 3 == 0 else "false"},'
                    f'"score":{j * 7919 % 100000 / 100},'
                    f'"tags":["t{j % 97}","t{(j + 31) % 97}","t{(j + 62) % 97}"],'
                    f'"address":{{"street":"{j % 999} Main St","city":"Springfield",'
                    f'"zip":{j % 90000}}},'
                    f'"note":"caf\\u00e9 {"lorem ipsum " * (j % 20)}"}},'
                )
            chunk = "".join(batch).encode()
            if written + len(chunk) > size - 4096:  # at most `size`: the app's limit is 1 GiB
                break
            out.write(chunk)
            written += len(chunk)
            i += 2000
        out.write(f'{{"id":{i},"note":"{NEEDLE}"}}]'.encode())


def generate_log(path: Path, size: int) -> None:
    """Plain-text log lines, about `size` bytes; the last line alone holds NEEDLE."""
    with open(path, "wb") as out:
        written, i = 0, 0
        while written < size - 4096:
            chunk = "".join(
                f"2026-12-05T11:{j // 60000 % 60:02d}:{j // 1000 % 60:02d}.{j % 1000:03d}Z INFO "
                f"worker-{j % 16} GET /api/items/{j} status={200 if j % 50 else 503} "
                f"bytes={j * 37 % 100000} ms={j % 997}\n"
                for j in range(i, i + 5000)
            ).encode()
            if written + len(chunk) > size - 4096:
                break
            out.write(chunk)
            written += len(chunk)
            i += 5000
        out.write(f"2026-12-05T12:00:00.000Z INFO done {NEEDLE}\n".encode())


# -- server -----------------------------------------------------------------------------


def file_server(files: dict[str, tuple[Path, str]]) -> tuple[socket.socket, int]:
    """Serves each file at /NAME with sendfile (the client is what is measured)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def handle(conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            name = data.split(b" ", 2)[1].decode().lstrip("/")
            path, ctype = files[name]
            size = path.stat().st_size
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nContent-Type: {ctype}\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            try:
                conn.sendall(head)
                with open(path, "rb") as handle_:
                    offset = 0
                    while offset < size:
                        sent = os.sendfile(conn.fileno(), handle_.fileno(), offset, size - offset)
                        if sent == 0:
                            break
                        offset += sent
            except OSError:
                pass

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


# -- cases (each in a fresh child process) ----------------------------------------------


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _rss_parts_mb() -> dict[str, float]:
    """VmRSS split into RssAnon (the heap: Python objects, arrays, Qt) and RssFile
    (mapped files' pages: the libraries, and the pages of mapped text and folds read)."""
    parts = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                parts[key] = int(line.split()[1]) / 1024
    return parts


class RssSampler:
    """The peaks of RssAnon, RssFile and VmRSS, sampled every 50 ms on the GUI thread
    (VmHWM gives only the total's peak); also the figures at named steps."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.peak: dict[str, float] = {}
        self.steps: dict[str, dict[str, float]] = {}
        self._timer = QTimer(interval=50)
        self._timer.timeout.connect(self.sample)
        self._timer.start()

    def sample(self) -> dict[str, float]:
        parts = _rss_parts_mb()
        for key, value in parts.items():
            self.peak[key] = max(self.peak.get(key, 0.0), value)
        return parts

    def mark(self, step: str) -> None:
        self.steps[step] = self.sample()

    def stop(self) -> None:
        self._timer.stop()


def case_download(url: str, runs: int) -> dict:
    """The app's transport (spooled) against iter_content(64 KiB), alternated."""

    from explorer.core.http.transport import Transport
    from explorer.core.model import Request

    spool = Path(tempfile.mkdtemp(prefix="bench-gib-spool-"))
    transport = Transport(spool_dir=spool)

    def app() -> float:
        started = time.perf_counter()
        response = transport.send(Request(url=url), progress=lambda r, t: None)
        elapsed = time.perf_counter() - started
        assert response.body_path is not None, "a 1 GiB body must be spooled"
        response.body_path.unlink()
        return elapsed

    def raw() -> float:
        return iter_content_seconds(url)[0]

    app_times, raw_times = [], []
    for _ in range(runs):
        raw_times.append(raw())
        app_times.append(app())
    spool.rmdir()
    return {"app_s": median(app_times), "raw_s": median(raw_times)}


def case_download_gaps(url: str) -> dict:
    """Baseline for the download stall: a 5 ms timer in a bare QApplication while a
    plain thread writes `iter_content(64 KiB)` to a file, as the app's worker does."""
    import requests
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    target = Path(tempfile.mkdtemp(prefix="bench-gib-plain-")) / "body"

    def fetch() -> None:
        with requests.get(url, stream=True) as response, open(target, "wb") as out:
            for chunk in response.iter_content(65536):
                out.write(chunk)

    meter = GapMeter()
    worker = threading.Thread(target=fetch)
    meter.start()
    worker.start()
    _wait(app, lambda: not worker.is_alive())
    meter.stop()
    target.unlink()
    target.parent.rmdir()
    return {"plain_stall_ms": meter.longest_ms()}


def _wait(app, done, timeout: float = STEP_TIMEOUT_S) -> bool:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
        time.sleep(0.001)
    return True


def _settle(app, seconds: float) -> None:
    _wait(app, lambda: False, seconds)


def _main_window(app):
    """The whole main window (menus, sidebar, history, a collection) at 1280×720, in
    a temporary data folder; returns the window and its current request tab."""
    from PySide6.QtCore import QSettings

    home = Path(tempfile.mkdtemp(prefix="bench-gib-home-"))
    os.environ["API_EXPLORER_HOME"] = str(home / "home")
    from explorer.ui.window.main_window import MainWindow

    window = MainWindow(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 720)
    window.show()
    _settle(app, 1.0)
    return window, window.current_tab(), home


def case_window(
    url: str, kind: str, pretty: bool, where: str = "tab", filter_: bool = True
) -> dict:
    """Send, show, scroll to the end, find the last occurrence, filter; in one tab
    (`where="tab"`) or in the whole main window's current tab (`where="window"`)."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from common import idle_request_tab_gaps

    from explorer.core.model import Request
    from explorer.ui.window.request_tab import RequestTab

    # The machine's own noise, in this process before the body: an idle tab's longest gap.
    idle_stall_ms, _ = idle_request_tab_gaps(2.0)

    window = home = None
    if where == "window":
        window, tab, home = _main_window(app)
    else:
        tab = RequestTab()
        tab.resize(1280, 720)
        tab.show()
    _settle(app, 0.5)
    body = tab.response_view.parts.body_view
    view = body.text_view
    out: dict[str, object] = {"idle_rss_mb": _rss_mb(), "idle_stall_ms": idle_stall_ms}
    sampler = RssSampler()
    sampler.mark("idle")
    marks: dict[str, float] = {}

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if (
                event.type() == QEvent.Type.Paint
                and "finished" in marks
                and "first_screen" not in marks
                and view.document() is not None
                and view.document().size > 0
            ):
                marks["first_screen"] = time.perf_counter()
            return False

    watch = PaintWatch()
    view.viewport().installEventFilter(watch)
    tab.runner.finished.connect(lambda *_: marks.setdefault("finished", time.perf_counter()))
    tab.runner.failed.connect(lambda *_: marks.setdefault("failed", time.perf_counter()))
    meter = GapMeter()
    # A first send of a small body: what a process's first send costs whatever the size
    # (imports, the response tabs built), reported apart from the gigabyte body's.
    tab.load(Request(url=url.rsplit("/", 1)[0] + "/tiny"))
    meter.start()
    _wait(app, lambda: tab.send() or True)
    _wait(app, lambda: "finished" in marks or "failed" in marks)
    _settle(app, 0.5)
    out["first_send_stall_ms"] = meter.longest_ms()
    marks.clear()
    # The moment formatting ends: the gap of the 5 ms timer that holds the formatter's
    # `finished` (the folds handed over, the view told) and those in the next 0.5 s.
    format_end: dict[str, int] = {}
    body.formatter.finished.connect(lambda *_: format_end.setdefault("gap", len(meter.gaps)))
    body.paths_ready.connect(lambda: marks.setdefault("paths", time.perf_counter()))
    tab.load(Request(url=url))
    meter.reset()
    started = time.perf_counter()
    tab.send()
    ok = _wait(app, lambda: "finished" in marks or "failed" in marks)
    out["download_s"] = marks.get("finished", float("nan")) - started
    out["download_stall_ms"] = meter.longest_ms()
    out["failed"] = "failed" in marks or not ok
    if out["failed"]:
        return out
    sampler.mark("downloaded")
    if kind == "json" and not pretty:
        body.set_mode("raw")
    _wait(app, lambda: "first_screen" in marks, 30)
    out["first_screen_s"] = marks.get("first_screen", float("nan")) - marks["finished"]
    out["show_stall_ms"] = meter.longest_ms()
    # The whole text (raw or pretty) is in before the steps that need it all.
    _wait(app, lambda: not body.is_formatting())
    out["formatted_s"] = time.perf_counter() - marks["finished"]
    out["format_stall_ms"] = meter.longest_ms()
    _settle(app, 0.6)
    if "gap" in format_end:
        after, spent = meter.gaps[format_end["gap"] :], 0.0
        window_gaps = []
        for gap in after:
            window_gaps.append(gap)
            spent += gap
            if spent >= 0.5:
                break
        out["format_end_stall_ms"] = max(window_gaps) * 1000 if window_gaps else float("nan")
    sampler.mark("formatted")
    if kind == "json" and pretty:
        _wait(app, lambda: "paths" in marks, 60)
        out["tree_s"] = marks.get("paths", float("nan")) - marks["finished"]
        sampler.mark("folds nested")

    # Scroll to the end.
    meter.reset()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    _settle(app, 0.5)
    doc = view.document()
    out["reached_end"] = doc is not None and doc.line_count - 1 in view.visible_lines()
    out["scroll_stall_ms"] = meter.longest_ms()
    QTest.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    _settle(app, 0.3)
    sampler.mark("scrolled")

    # Find the last occurrence: the needle is on the last line only.
    body.open_find()
    meter.reset()
    started = time.perf_counter()
    body.find_bar.edit.setText(NEEDLE)
    body.find_bar.flush()
    found = _wait(app, lambda: body.search.complete and view.current_match >= 0)
    out["find_last_s"] = time.perf_counter() - started if found else float("nan")
    out["find_matches"] = body.search.count
    out["find_stall_ms"] = meter.longest_ms()
    body.find_bar.close_bar()
    _settle(app, 0.2)
    sampler.mark("found")

    # Find a word on every record: up to the 5 million matches kept, all in the window.
    body.open_find()
    meter.reset()
    started = time.perf_counter()
    body.find_bar.edit.setText(COMMON)
    body.find_bar.flush()
    found = _wait(app, lambda: body.search.complete)
    out["find_common_s"] = time.perf_counter() - started if found else float("nan")
    out["find_common_matches"] = body.search.count
    out["find_common_stall_ms"] = meter.longest_ms()
    sampler.mark(f"found {body.search.count:,} matches")
    body.find_bar.close_bar()
    _settle(app, 0.2)

    # Filter (JSON only).
    if kind == "json" and filter_:
        meter.reset()
        started = time.perf_counter()
        body.filter_edit.setText("[-1].id")
        body.apply_filter()
        done = _wait(app, lambda: not body.is_formatting() or bool(body.filter_message()))
        out["filter_s"] = time.perf_counter() - started if done else float("nan")
        out["filter_stall_ms"] = meter.longest_ms()
        out["filter_result"] = (body.filter_message() or body.plain_text(200))[:200]
        sampler.mark("filtered")
    meter.stop()
    sampler.stop()
    out["rss_peak_mb"] = _peak_rss_mb()
    out["rss_parts_peak_mb"] = sampler.peak
    out["rss_steps_mb"] = sampler.steps
    out["child_peak_mb"] = _children_peak_mb()
    if window is not None:
        window.close()
        _settle(app, 0.5)
        import shutil

        shutil.rmtree(home, ignore_errors=True)
    else:
        tab.shutdown()
    return out


def _children_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _child(args: list[str]) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1200,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mem_available_gb() -> float:
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 2**20
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case")
    parser.add_argument("--url")
    parser.add_argument("--kind", default="json")
    parser.add_argument("--pretty", action="store_true")  # a window case's own flag
    parser.add_argument("--raw", action="store_true", help="show the JSON Raw, not Pretty")
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--where",
        choices=("tab", "window", "both"),
        default="tab",
        help="the body in a RequestTab alone, in the whole MainWindow, or both (one each)",
    )
    parser.add_argument("--only", choices=("json", "log"), help="one body kind only")
    parser.add_argument("--no-filter", action="store_true", help="skip the JSON filter")
    parser.add_argument("--no-download", action="store_true", help="skip the download cases")
    args = parser.parse_args()
    if args.case == "download":
        print(json.dumps(case_download(args.url, args.runs)))
        return
    if args.case == "download_gaps":
        print(json.dumps(case_download_gaps(args.url)))
        return
    if args.case == "window":
        where = "window" if args.where == "window" else "tab"
        print(json.dumps(case_window(args.url, args.kind, args.pretty, where, not args.no_filter)))
        return
    began = time.perf_counter()
    size = args.mib << 20
    kinds = (args.only,) if args.only else ("json", "log")
    places = ("tab", "window") if args.where == "both" else (args.where,)
    with tempfile.TemporaryDirectory(prefix="bench-gib-") as tmp:
        files = {
            "json": (Path(tmp) / "body.json", "application/json"),
            "log": (Path(tmp) / "body.log", "text/plain; charset=utf-8"),
        }
        files["tiny"] = (Path(tmp) / "tiny.json", "application/json")
        files["tiny"][0].write_bytes(b'{"ok": true}')
        for kind in kinds:
            (generate_json if kind == "json" else generate_log)(files[kind][0], size)
        # The bodies just written are still being written back to the disk: that I/O
        # would compete with the spooled download (0.60-1.38x across runs before).
        os.sync()
        listener, port = file_server(files)
        rows = []
        download = plain = None
        mib = files[kinds[0]][0].stat().st_size / 2**20
        if not args.no_download:
            download = _child(
                [
                    "--case",
                    "download",
                    "--url",
                    f"http://127.0.0.1:{port}/{kinds[0]}",
                    "--runs",
                    str(args.runs),
                ]
            )
            plain = _child(
                ["--case", "download_gaps", "--url", f"http://127.0.0.1:{port}/{kinds[0]}"]
            )
        for kind in kinds:
            pretty = not args.raw and kind == "json"
            extra = ["--pretty"] if pretty else []
            extra += ["--no-filter"] if args.no_filter else []
            for where in places:
                try:
                    result = _child(
                        [
                            "--case",
                            "window",
                            "--url",
                            f"http://127.0.0.1:{port}/{kind}",
                            "--kind",
                            kind,
                            "--where",
                            where,
                            *extra,
                        ]
                    )
                except RuntimeError as error:  # the window's process died: say how
                    result = {"idle_rss_mb": float("nan"), "crashed": str(error).strip()[-300:]}
                result["where"] = where
                rows.append((kind, files[kind][0].stat().st_size / 2**20, result))
        listener.close()
    if download is not None and plain is not None:
        raw_rate, app_rate = mib / download["raw_s"], mib / download["app_s"]
        print(
            table(
                f"Download of {mib:.0f} MiB on loopback (median of {args.runs}, goal ≥ 0.9×)",
                ["client", "throughput", "ratio"],
                [
                    [
                        "requests iter_content(64 KiB) into memory (baseline)",
                        f"{raw_rate:.0f} MiB/s",
                        "1.00×",
                    ],
                    [
                        "API Explorer transport, spooled to disk",
                        f"{app_rate:.0f} MiB/s",
                        f"{app_rate / raw_rate:.2f}×",
                    ],
                    [
                        "longest gap of a 5 ms timer while a plain thread downloads the "
                        "body to a file (baseline for the stalls below)",
                        f"{plain['plain_stall_ms']:.0f} ms",
                        "",
                    ],
                ],
            )
        )

    def ms(value: object) -> str:
        return f"{value:.0f} ms" if isinstance(value, float) and value == value else "—"

    def s(value: object) -> str:
        return f"{value:.2f} s" if isinstance(value, float) and value == value else "—"

    def mb(value: object) -> str:
        return f"{value:.0f}" if isinstance(value, float) else "—"

    body_rows = []
    for kind, body_mib, r in rows:
        body_rows.append(
            [
                f"{kind} {body_mib:.0f} MiB"
                + (" (raw)" if kind == "json" and args.raw else "")
                + (" (MainWindow)" if r["where"] == "window" else ""),
                s(r.get("download_s")),
                ms(r.get("download_stall_ms")),
                s(r.get("first_screen_s")),
                s(r.get("formatted_s")),
                ms(r.get("format_stall_ms")),
                ms(r.get("format_end_stall_ms")),
                f"{r.get('rss_peak_mb', float('nan')):.0f} MB (idle {r['idle_rss_mb']:.0f})",
                f"{r.get('child_peak_mb', float('nan')):.0f} MB",
                ms(r.get("scroll_stall_ms")) + ("" if r.get("reached_end") else " (not at end)"),
                s(r.get("find_last_s")),
                ms(r.get("find_stall_ms")),
                (s(r.get("filter_s")) + " " + ms(r.get("filter_stall_ms")))
                if kind == "json" and not args.no_filter
                else "n/a",
            ]
        )
    print(
        table(
            "Gigabyte bodies in the window (RequestTab or MainWindow 1280×720, 5 ms timer; "
            "goals: stall ≤ 50 ms, first screen ≤ 0.5 s, GUI ≤ 300 MB, find last ≤ 2 s)",
            [
                "body",
                "download",
                "stall",
                "first screen",
                "text complete",
                "stall",
                "stall at formatting end",
                "GUI peak RSS",
                "largest child peak",
                "stall scroll to end",
                "find last",
                "stall",
                "filter, stall",
            ],
            body_rows,
        )
    )
    memory_rows = []
    for kind, _, r in rows:
        label = f"{kind}" + (" (MainWindow)" if r.get("where") == "window" else "")
        for step, parts in {
            **r.get("rss_steps_mb", {}),
            "peak": r.get("rss_parts_peak_mb", {}),
        }.items():
            memory_rows.append(
                [
                    label,
                    step,
                    mb(parts.get("VmRSS")),
                    mb(parts.get("RssAnon")),
                    mb(parts.get("RssFile")),
                ]
            )
    print(
        table(
            "The GUI process's memory by step (MB; RssFile: mapped pages, e.g. libraries "
            "and the text read; the peak row samples every 50 ms)",
            ["body", "step", "VmRSS", "RssAnon", "RssFile"],
            memory_rows,
        )
    )
    for kind, _, r in rows:
        print(
            f"{kind} ({r.get('where')}): an idle tab's longest gap in the same process "
            f"{ms(r.get('idle_stall_ms'))}; the process's first send (a 12-byte body) "
            f"{ms(r.get('first_send_stall_ms'))}; folds nested "
            f"{s(r.get('tree_s'))} after the last byte; find {COMMON!r}: "
            f"{r.get('find_common_matches', 0):,} matches in {s(r.get('find_common_s'))}, "
            f"longest stall {ms(r.get('find_common_stall_ms'))}"
        )
        if r.get("crashed"):
            print(f"{kind}: the window's process failed: {r['crashed']!r}")
        if kind == "json" and not args.no_filter:
            print(f"filter [-1].id said: {r.get('filter_result')!r}")
    print(
        f"MemAvailable at the end {_mem_available_gb():.1f} GB; total "
        f"{time.perf_counter() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
