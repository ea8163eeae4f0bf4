"""docs/ARCHITECTURE.md's code map names every module of the app and the practice server,
and no module that is gone: the map is changed in the same commit as the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER_LINE = re.compile(r"^((?:explorer|bundled_server)[\w/]*/)(?:\s|$)")
ENTRY_LINE = re.compile(r"^  ([\w.]+(?:\.py|/))\s")


def mapped_modules() -> set[str]:
    """Paths the code map lists: "folder/module.py", and "folder/sub/" for a sub-folder
    described in one line (all its modules)."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = text.split("## Code map", 1)[1].split("\n## ", 1)[0]
    found: set[str] = set()
    folder = ""
    for line in block.splitlines():
        if match := FOLDER_LINE.match(line):
            folder = match.group(1)
        elif (match := ENTRY_LINE.match(line)) and folder:
            found.add(folder + match.group(1))
    return found


def source_modules() -> set[str]:
    modules = set()
    for package in ("explorer", "bundled_server"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name != "__init__.py" and "__pycache__" not in path.parts:
                modules.add(path.relative_to(ROOT).as_posix())
    return modules


def _covered(module: str, mapped: set[str]) -> bool:
    parent = module.rsplit("/", 1)[0] + "/"
    return module in mapped or parent in mapped


def test_every_module_is_on_the_map() -> None:
    mapped = mapped_modules()
    missing = sorted(m for m in source_modules() if not _covered(m, mapped))
    assert missing == [], "add these to docs/ARCHITECTURE.md's code map"


def test_the_map_names_no_module_that_is_gone() -> None:
    gone = sorted(m for m in mapped_modules() if not (ROOT / m).exists())
    assert gone == [], "remove these from docs/ARCHITECTURE.md's code map"
