"""Human-readable sizes and durations, as shown in the window and the command line."""

from __future__ import annotations


def human_size(size: int) -> str:
    """1536 -> '1.5 KB' (powers of 1024, as file managers show)."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024.0
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    raise AssertionError("unreachable")


def human_duration(milliseconds: float) -> str:
    """0.42 -> '0.42 ms', 12.3 -> '12.3 ms', 1530 -> '1.53 s'."""
    if milliseconds < 1:
        return f"{milliseconds:.2f} ms"
    if milliseconds < 100:
        return f"{milliseconds:.1f} ms"
    if milliseconds < 1000:
        return f"{milliseconds:.0f} ms"
    return f"{milliseconds / 1000:.2f} s"
