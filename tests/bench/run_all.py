"""`make bench`: run every benchmark in its own process and print their tables.

Each script measures its own baseline in the same run and prints a Markdown table of
medians and ratios; this runner only sequences them, so one slow or failing benchmark
does not hide the others.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCRIPTS = [
    "bench_startup.py",
    "bench_send.py",
    "bench_download.py",
    "bench_large_json.py",
    "bench_large_json_stream.py",
    "bench_gigabyte.py",
    "bench_find.py",
    "bench_cli.py",
    "bench_run.py",
    "bench_trust.py",
    "bench_runner_window.py",
    "bench_diff.py",
    "bench_palette.py",
    "bench_explain.py",
    "bench_graphql_editor.py",
    "bench_sse.py",
    "bench_ws.py",
    "bench_load.py",
]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        path = HERE / name
        if not path.exists():
            print(f"(skipped {name}: not present)\n")
            continue
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            failed.append(name)
            print(f"{name} FAILED after {seconds:.0f} s:\n{result.stderr[-2000:]}\n")
            continue
        print(result.stdout.strip())
        print(f"\n({name}: {seconds:.0f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
