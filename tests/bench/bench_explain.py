"""Explain this response: what judging one exchange costs, against sending it (issue 16).

    .venv/bin/python tests/bench/bench_explain.py

The practice server runs in this process's threads (as bench_send does). For each
response, measured as medians of 40 rounds after a warm-up:

- send: the app's transport sending the request and reading the whole response (the
  baseline: what the user already waited for);
- explain: `facts_from_response` (the body read up to 1 MiB, from the spool file when
  the body was spooled) plus `explain` with every rule, on the same response.

The responses: a small JSON item, an HTML page with its security headers, a cookie and a
CORS mistake, a 1 MiB and a 100 MB body (spooled to disk: the explainer reads only its
first MiB), and a 304. In the window the Explain tab works this out off the GUI thread;
in `run --explain` it runs on the run's thread, once per response.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import start_practice_server, table  # noqa: E402

ROUNDS = 40


def main() -> str:
    from explorer.core.explain import all_rules, explain, facts_from_response
    from explorer.core.http.transport import Transport
    from explorer.core.model import Options, Pair, Request

    server, base = start_practice_server()
    transport = Transport()
    cases = [
        ("JSON item, 0.5 KB", "/api/items/1", ()),
        ("HTML page with mistakes", "/mistakes/html-page", ()),
        ("cookies set carelessly", "/mistakes/cookie", ()),
        ("CORS echo", "/mistakes/cors-echo", (("Origin", "https://a.example"),)),
        ("1 MiB JSON", "/large/1", ()),
        ("100 MiB JSON (spooled)", "/large/100", ()),
        ("304 to If-None-Match", "/etag/v1", (("If-None-Match", '"v1"'),)),
    ]
    rows = []
    for label, path, headers in cases:
        request = Request(
            url=f"{base}{path}",
            headers=tuple(Pair(name, value) for name, value in headers),
            options=Options(timeout=60.0),
        )
        rounds = 5 if "100 MiB" in label else ROUNDS
        sends: list[float] = []
        explains: list[float] = []
        findings = 0
        for turn in range(rounds + 1):
            started = time.perf_counter()
            response = transport.send(request)
            sent = time.perf_counter()
            found = explain(facts_from_response(response))
            done = time.perf_counter()
            if response.body_path is not None:
                response.body_path.unlink(missing_ok=True)
            if turn:  # the first round warms caches and imports
                sends.append((sent - started) * 1000)
                explains.append((done - sent) * 1000)
                findings = len(found)
        send_ms = statistics.median(sends)
        explain_ms = statistics.median(explains)
        rows.append(
            [
                label,
                f"{response.status}",
                f"{send_ms:.2f} ms",
                f"{explain_ms:.2f} ms",
                f"{explain_ms / send_ms:.2f}×",
                str(findings),
            ]
        )
    transport.close()
    server.shutdown()  # type: ignore[attr-defined]
    return table(
        f"Explain: {len(all_rules())} rules on one response (medians)",
        ["response", "status", "send", "explain", "explain / send", "findings"],
        rows,
    )


if __name__ == "__main__":
    print(main())
