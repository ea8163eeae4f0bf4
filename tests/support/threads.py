"""Which thread a use case ran on: the real function is called, the thread is noted."""

from __future__ import annotations

import threading
import time
from types import ModuleType

import pytest


def record_threads(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, names: tuple[str, ...], delay: float = 0
) -> dict[str, list[threading.Thread]]:
    """Wrap each function `names` of `module` so that every call notes its thread; a
    `delay` stands for a slow disk, which the window must not be waiting for."""
    seen: dict[str, list[threading.Thread]] = {name: [] for name in names}
    for name in names:
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            seen[_name].append(threading.current_thread())
            time.sleep(delay)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return seen
