"""`python -m explorer` itself: which arguments open the window, which run a command,
and that everything else is a one-line usage error made before Qt is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import explorer.cli

COMMANDS = ("run", "import", "export")
WINDOW_FLAGS = ("--start-server", "--smoke-test")

ROOT = Path(__file__).resolve().parents[2]
# Run `python -m explorer ARGS` as runpy does, then say whether Qt was imported.
PROBE = (
    "import atexit, runpy, sys\n"
    "atexit.register(lambda: print('QT' if 'PySide6' in sys.modules else 'NO QT'))\n"
    "sys.argv = ['explorer', *sys.argv[1:]]\n"
    "runpy.run_module('explorer', run_name='__main__', alter_sys=True)\n"
)


def headless(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`python -m explorer ARGS` where there is no display at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT, env=dict(env, API_EXPLORER_HOME=str(home)), capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("zzz", "x"), "unknown command 'zzz' (commands: run, import, export, load;"),
        (("lod", "x"), "unknown command 'lod' (did you mean 'load'?"),
        (("rnu", "dir"), "unknown command 'rnu' (did you mean 'run'?"),
        (("imprt", "f.json"), "did you mean 'import'?"),
        (("--smoke",), "unknown option '--smoke' (did you mean '--smoke-test'?"),
        (("--start-server", "stray"), "unexpected argument 'stray'"),
        (("-platform",), "option -platform needs a value"),
    ],
)
def test_anything_else_is_a_one_line_usage_error_without_qt(tmp_path, args, words):
    result = headless(*args, home=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("python -m explorer: error: ")
    assert words in result.stderr
    assert result.stdout.strip() == "NO QT"


def test_help_lists_every_command_and_the_window_options_without_qt(tmp_path):
    for flag in ("--help", "-h"):
        result = headless(flag, home=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "NO QT"
        for word in (*COMMANDS, *WINDOW_FLAGS, "-platform", "-style"):
            assert word in result.stdout


def test_a_command_still_runs_from_the_entry_point(tmp_path):
    result = headless("run", str(tmp_path / "nowhere"), home=tmp_path)
    assert result.returncode == 2
    assert "not a collection folder" in result.stderr
    assert result.stdout.strip() == "NO QT"


@pytest.mark.parametrize(
    "args",
    [
        ["--start-server"],
        ["--smoke-test", "--start-server"],
        ["-platform", "offscreen"],
        ["-platform=offscreen", "--style", "fusion"],
        ["-reverse", "-qwindowtitle", "API", "--smoke-test"],
    ],
)
def test_window_options_open_the_window(args):
    assert explorer.cli.opens_window(args)
    assert explorer.cli.window_argument_problem(args) is None


@pytest.mark.parametrize("args", [["run", "x"], ["--help"], ["-h"], ["--smoke-test", "x"]])
def test_commands_and_help_do_not_open_the_window(args):
    assert not explorer.cli.opens_window(args)


def test_window_options_are_the_apps_own(tmp_path):
    """The flags checked before Qt starts are the ones explorer/gui.py reads."""
    from explorer.gui import parse_arguments

    flags = list(explorer.cli.WINDOW_FLAGS)
    args, qt_args = parse_arguments([*flags, "-platform", "offscreen"])
    assert all(vars(args).values()) and len(vars(args)) == len(flags)
    assert qt_args == ["-platform", "offscreen"]


def test_a_window_start_with_options_still_opens_the_window(tmp_path):
    env = dict(os.environ, API_EXPLORER_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "--smoke-test", "-platform", "offscreen"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_a_plain_start_goes_straight_to_the_window():
    """No argument: the command line module (and its argparse) is not even imported."""
    code = (
        "import sys, explorer.gui\n"
        "explorer.gui.main = lambda argv: print('explorer.cli' in sys.modules, argv) or 0\n"
        "from explorer.__main__ import run\n"
        "sys.exit(run([]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False []"
