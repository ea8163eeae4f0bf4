"""Window start to first paint, and peak memory, against a bare themed PySide6 window."""

from __future__ import annotations

from common import compile_bytecode, median, offscreen_env, python, run_process, table

RUNS = 9


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def mib(value: float) -> str:
    return f"{value:.0f} MiB"


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}×"


def main() -> str:
    compile_bytecode()
    env = offscreen_env()
    probe = "tests/bench/startup_probe.py"
    times: dict[str, list[float]] = {"bare": [], "app": []}
    memory: dict[str, list[float]] = {"bare": [], "app": []}
    for _ in range(2):  # warm the file cache
        run_process([python(), probe, "bare"], env)
        run_process([python(), probe, "app"], env)
    for _ in range(RUNS):  # alternate, so both see the same machine noise
        for mode in ("bare", "app"):
            seconds, rss = run_process([python(), probe, mode], env)
            times[mode].append(seconds)
            memory[mode].append(rss)
    bare_t, app_t = median(times["bare"]), median(times["app"])
    bare_m, app_m = median(memory["bare"]), median(memory["app"])
    rows = [
        ["bare PySide6 window + qdarkstyle", ms(bare_t), "1.00×", mib(bare_m), "1.00×"],
        [
            "API Explorer main window",
            ms(app_t),
            ratio(app_t, bare_t),
            mib(app_m),
            ratio(app_m, bare_m),
        ],
    ]
    header = ["process start → first paint", "median", "ratio", "peak RSS", "ratio"]
    return table(f"Start-up (median of {RUNS}, goal ≤ 1.5× bare)", header, rows)


if __name__ == "__main__":
    print(main())
