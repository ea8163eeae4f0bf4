"""The formatter child on 100 MB and 1 GiB JSON bodies, against orjson in the same run.

    .venv/bin/python tests/bench/bench_large_json_stream.py [--sizes 100 1024] [--runs 3]
        [--orjson-1g]

Each body (MiB of compact JSON records, written a batch at a time into a temp dir, so
generating 1 GiB needs no GB of memory) is formatted by a fresh
`python -m explorer.core.text.format_worker` exactly as the viewer starts it (pretty,
with folds). Reported (median of the runs): the first slice of text (`data` event) and
all text (`text_done`) after the start, the end with folds (`done`), the child's peak
RSS (wait4) and its ratio to the body. The text and folds of the last run are checked
against the whole-document formatter (`pretty_json` + `json_folds`) where memory allows
it (100 MB). Baseline in the same run: `orjson.loads` + `orjson.dumps(OPT_INDENT_2)` of
the same body in a fresh process (its time and peak RSS); at 1 GiB it needs ~9 GB, so
only with --orjson-1g.

Goals (#18): child peak RSS ≤ 1.5× the body at 100 MB and ≤ 1 GiB at 1 GiB; formatted
(text and folds) in ≤ 1.5× orjson's time at 100 MB; first text ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, median, table

ORJSON_BASELINE = """
import sys, time, orjson
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
pretty = orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2)
print(time.perf_counter() - started)
"""


def generate(path: Path, mib: int) -> None:
    """A JSON array of records (the shape bench_large_json uses) of about `mib` MiB,
    inside an object with a small head, so the stream enters one level."""
    import orjson

    target = mib << 20
    with open(path, "wb") as out:
        out.write(b'{"meta": {"generated": "bench", "note": "caf\\u00e9"}, "data": [')
        size, i, first = 0, 0, True
        while size < target:
            batch = []
            for _ in range(2000):
                batch.append(
                    {
                        "id": i,
                        "name": f"user {i}",
                        "email": f"user{i}@example.com",
                        "active": i % 3 == 0,
                        "score": (i * 7919 % 100000) / 100,
                        "tags": [f"t{(i * 31 + k) % 97}" for k in range(3)],
                        "address": {"street": f"{i % 999} Main St", "zip": i % 90000},
                        "note": "caf\u00e9 \u2603 " + "lorem ipsum " * (i % 4),
                    }
                )
                i += 1
            chunk = orjson.dumps(batch)[1:-1]
            out.write(chunk if first else b"," + chunk)
            size += len(chunk) + 1
            first = False
        out.write(b"]}")


def format_once(source: Path, workdir: Path) -> dict[str, float]:
    """One formatter child, as qt/formatter.py starts it."""
    output, folds = workdir / "out.txt", workdir / "folds.bin"
    args = [sys.executable, "-m", "explorer.core.text.format_worker", "--input", str(source)]
    args += ["--output", str(output), "--folds", str(folds)]
    args += ["--mode", "pretty", "--kind", "json", "--charset", "utf-8", "--expression", ""]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    marks: dict[str, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    assert process.stdout is not None
    notice = ""
    for line in process.stdout:
        event = json.loads(line)
        kind = event["event"]
        marks.setdefault(kind, time.perf_counter() - started)
        if kind == "notice":
            notice = event["message"]
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or notice or "done" not in marks:
        raise RuntimeError(f"the formatter failed: {notice or status}")
    return {
        "first": marks["data"],
        "text": marks["text_done"],
        "done": marks["done"],
        "rss": usage.ru_maxrss / 1024,
    }


def orjson_once(source: Path) -> tuple[float, float]:
    """orjson's parse and dump in a fresh process: seconds and peak RSS (MiB)."""
    process = subprocess.Popen(
        [sys.executable, "-c", ORJSON_BASELINE, str(source)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("the orjson baseline failed")
    return float(out.strip()), usage.ru_maxrss / 1024


def check_same(source: Path, workdir: Path) -> str:
    """Text and folds of the last run against the whole-document formatter."""
    from array import array

    from explorer.core.text.content import json_folds, pretty_json

    expected = pretty_json(source.read_bytes())
    if (workdir / "out.txt").read_bytes() != expected:
        return "TEXT DIFFERS"
    starts, ends = json_folds(expected)
    del expected
    got = array("I")
    got.frombytes((workdir / "folds.bin").read_bytes())
    half = len(got) // 2
    return "identical" if (got[:half], got[half:]) == (starts, ends) else "FOLDS DIFFER"


def check_in_child(source: Path, workdir: Path) -> str:
    """`check_same` in a process of its own. Done here, the whole-document formatter
    grew this process to about 1 GB, and Linux counts the RSS a process had when it
    started a child in that child's peak (ru_maxrss): the 1 GiB formatter was then
    reported at 978 MiB instead of its own 122-161 MiB."""
    code = (
        "import sys; from pathlib import Path; import bench_large_json_stream as b; "
        "print(b.check_same(Path(sys.argv[1]), Path(sys.argv[2])))"
    )
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{Path(__file__).parent}")
    done = subprocess.run(
        [sys.executable, "-c", code, str(source), str(workdir)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() or f"check failed: {done.stderr.strip()[-200:]}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1024], help="MiB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--orjson-1g", action="store_true", help="the baseline at 1 GiB too")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-json-stream-") as tmp:
        workdir = Path(tmp)
        for mib in args.sizes:
            source = workdir / f"body-{mib}.json"
            generate(source, mib)
            body_mb = source.stat().st_size / 2**20
            runs = [format_once(source, workdir) for _ in range(args.runs if mib <= 256 else 1)]
            result = {key: median([run[key] for run in runs]) for key in runs[0]}
            same = check_in_child(source, workdir) if mib <= 256 else "not checked (memory)"
            if mib <= 256 or args.orjson_1g:
                base = [orjson_once(source) for _ in range(args.runs if mib <= 256 else 1)]
                base_s = median([b[0] for b in base])
                base_rss = max(b[1] for b in base)
                baseline = f"{base_s:.2f} s, {base_rss:.0f} MiB"
                ratio = f"{result['done'] / base_s:.2f}×"
            else:
                baseline, ratio = "not run (~9 GB; --orjson-1g)", "–"
            rows.append(
                [
                    f"{body_mb:.0f} MiB",
                    f"{result['first']:.2f} s",
                    f"{result['text']:.2f} s",
                    f"{result['done']:.2f} s",
                    f"{result['rss']:.0f} MiB",
                    f"{result['rss'] / body_mb:.2f}×",
                    baseline,
                    ratio,
                    same,
                ]
            )
            (workdir / "out.txt").unlink(missing_ok=True)
            source.unlink()
    header = ["body", "first text", "all text", "with folds", "child peak RSS", "RSS / body"]
    header += ["orjson loads+dumps (fresh process)", "with folds / orjson", "vs whole-document"]
    print(table("Formatter child, streamed (format_worker)", header, rows))
    print(
        f"Median of {args.runs} runs at 100 MiB, one at 1 GiB; times from the child's start "
        "(Python start-up included). Goals: RSS ≤ 1.5× body at 100 MiB and ≤ 1 GiB at 1 GiB; "
        "with folds ≤ 1.5× orjson at 100 MiB; first text ≤ 0.5 s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
