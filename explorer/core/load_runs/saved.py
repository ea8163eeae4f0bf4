"""Load runs saved in the data folder: `load-runs/<timestamp>-<name>/` holding the HTML
report and CSV the command wrote and `run.json` (its "finished" line, plus what was run).

Listing reads at most `MAX_RUNS` folders, newest first, and a run.json of at most
`MAX_RUN_FILE` bytes; a folder without a readable run.json is listed with its problem
(a run that was killed, or a file edited by hand), never a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from explorer.core.atomic import write_text_atomic
from explorer.core.load_runs.progress import Finished, ProtocolError, parse_object

RUNS_FOLDER = "load-runs"
RUN_FILE = "run.json"
REPORT_FILE = "report.html"  # the names the window gives the command
CSV_FILE = "stats.csv"
MAX_RUNS = 200
MAX_RUN_FILE = 4 << 20
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class SavedRun:
    folder: Path
    name: str  # what was run ("Practice / Items")
    started: str  # ISO time, from run.json (else from the folder name)
    finished: Finished | None  # None when run.json is missing or unreadable
    problem: str = ""
    report: Path | None = None  # the HTML report, when the command wrote one (looked up
    # when listing, off the GUI thread)
    setup: str = ""  # how it was set up: "10 users at 5/s · 30 s" (command.describe)
    form: dict[str, object] | None = None  # the window's form as it was (command.form_of)


def runs_folder(data_dir: Path) -> Path:
    return data_dir / RUNS_FOLDER


def new_run_folder(data_dir: Path, name: str, now: datetime) -> Path:
    """A new, empty folder for a run of `name` started `now` (a suffix when taken)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:40] or "run"
    base = runs_folder(data_dir)
    base.mkdir(parents=True, exist_ok=True)
    stem = f"{now.strftime(STAMP)}-{slug}"
    for attempt in range(100):
        folder = base / (stem if attempt == 0 else f"{stem}-{attempt + 1}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise OSError(f"no free folder name for {stem} in {base}")


def save_run(
    folder: Path,
    finished_line: dict[str, object],
    name: str,
    started: str,
    setup: str = "",
    form: dict[str, object] | None = None,
) -> None:
    """Write run.json: the command's "finished" object, what was run and how (`form`:
    the window's settings, which the next load test of the same target starts from)."""
    run: dict[str, object] = {"name": name, "started": started, "setup": setup}
    if form is not None:
        run["form"] = form
    data = {**finished_line, "run": run}
    write_text_atomic(folder / RUN_FILE, json.dumps(data, indent=1, ensure_ascii=False))


def read_run(folder: Path) -> SavedRun:
    """One saved run; its problem in one line when run.json cannot be read."""
    started = _stamp_time(folder.name)
    name = folder.name[len(STAMP) + 3 :] if started else folder.name
    html = folder / REPORT_FILE
    report = html if html.is_file() else None
    path = folder / RUN_FILE
    try:
        if path.stat().st_size > MAX_RUN_FILE:
            return SavedRun(folder, name, started, None, f"{RUN_FILE} is too large", report)
        data = json.loads(path.read_text(encoding="utf-8"))
        finished = parse_object(data)
    except FileNotFoundError:
        return SavedRun(folder, name, started, None, "not finished (no run.json)", report)
    except (OSError, ValueError, RecursionError) as error:
        reason = error if isinstance(error, ProtocolError) else type(error).__name__
        return SavedRun(folder, name, started, None, f"unreadable {RUN_FILE}: {reason}", report)
    if not isinstance(finished, Finished):
        return SavedRun(folder, name, started, None, f"{RUN_FILE} is not a finished run", report)
    run = data.get("run") if isinstance(data.get("run"), dict) else {}
    return SavedRun(
        folder,
        str(run.get("name") or name)[:200],
        str(run.get("started") or started)[:40],
        finished,
        report=report,
        setup=str(run.get("setup") or "")[:200],
        form=run.get("form") if isinstance(run.get("form"), dict) else None,
    )


def list_runs(data_dir: Path) -> list[SavedRun]:
    """The saved runs, newest first (at most MAX_RUNS)."""
    base = runs_folder(data_dir)
    try:
        folders = sorted((p for p in base.iterdir() if p.is_dir()), reverse=True)
    except OSError:
        return []
    return [read_run(folder) for folder in folders[:MAX_RUNS]]


def last_form(data_dir: Path, name: str) -> dict[str, object] | None:
    """The form of the newest saved run of `name` that kept one."""
    for run in list_runs(data_dir):
        if run.name == name and run.form is not None:
            return run.form
    return None


def _stamp_time(folder_name: str) -> str:
    try:
        when = datetime.strptime(folder_name[: len("20260101-120000")], STAMP)
    except ValueError:
        return ""
    return when.isoformat(sep=" ")
