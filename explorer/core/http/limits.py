"""Bounds on the work one send may do, with the app-wide defaults that Preferences set.

Kept apart from `transport` so that the window can set them without importing requests.
"""

from __future__ import annotations

from explorer.core.model import Options

# 1 GiB: far past any API response, yet a gzip bomb or an endless stream stops before it
# fills memory or the disk.
DEFAULT_MAX_BODY_SIZE = 1 << 30

_max_body_size = DEFAULT_MAX_BODY_SIZE
# Where the window remembers the default (QSettings key; bytes, absent or 0: built-in).
MAX_BODY_SETTING = "network/max_body_size"


def default_max_body_size() -> int:
    """The maximum decoded body size for requests that set none (Options 0)."""
    return _max_body_size


def set_default_max_body_size(size: int) -> None:
    """Set the app-wide maximum (Preferences); 0 or less restores the built-in 1 GiB."""
    global _max_body_size
    _max_body_size = size if size > 0 else DEFAULT_MAX_BODY_SIZE


def size_from_setting(value: object) -> int:
    """A remembered maximum in bytes: the built-in default when absent or unreadable."""
    try:
        size = int(str(value))
    except ValueError:
        size = 0
    return size if size > 0 else DEFAULT_MAX_BODY_SIZE


def max_body_size(options: Options, fallback: int | None = None) -> int:
    """The limit that applies to a send with `options`: its own, else `fallback` (a
    transport's), else the app-wide default."""
    return options.max_body_size or fallback or _max_body_size
