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


# Powers of 1024 whatever the spelling, as curl reads --max-filesize and as `human_size`
# shows sizes, so "64MB" given is "64 MB" shown. A bare number is bytes.
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    **{prefix: 1024**power for power, prefix in enumerate("kmgt", start=1)},
    **{f"{prefix}b": 1024**power for power, prefix in enumerate("kmgt", start=1)},
    **{f"{prefix}ib": 1024**power for power, prefix in enumerate("kmgt", start=1)},
}


def parse_size(text: str) -> int:
    """'64MB' -> 64 << 20, '1GiB' -> 1 << 30, '500k' -> 500 << 10, '1024' -> 1024.

    Units are case-insensitive; a decimal number is allowed ('1.5GB'). Raises ValueError
    with a message fit to show the user.
    """
    cleaned = text.strip().replace("_", "")
    number = cleaned.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ").strip()
    unit = cleaned[len(number) :].strip().lower() if number else ""
    factor = _SIZE_UNITS.get(unit)
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if factor is None or not number or value != value or value < 0 or value == float("inf"):
        raise ValueError(
            f"Invalid size {text!r}: write a number of bytes with an optional unit, "
            "such as 500k, 64MB or 1GiB"
        )
    return int(value * factor)
