"""`run` and Python scripts, as a real process against the practice server: a collection's
scripts run only with `--allow-scripts` or when it is trusted on this machine; otherwise
one warning names it and the rest of the run goes on without them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explorer.application.scripting import ScriptTrust
from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import Request, Scripts
from explorer.core.storage.collection_files import CollectionStore, save_collection

ROOT = Path(__file__).resolve().parents[2]

PRE = "request.headers['X-From-Script'] = 'yes'\nprint('pre ran')\n"
POST = (
    "with test('echoed the script header'):\n"
    "    expect(response.json()['headers'].get('X-From-Script')).to_equal('yes')\n"
    "variables.set('token', 'tok-' + variables.get('key', 'none'), secret=True)\n"
    "print('token is', variables.get('token'))\n"
)
NEXT = "print('next sees', variables.get('token'))\n"


def write_collection(folder: Path, base: str) -> Collection:
    collection = Collection(
        "Scripted",
        items=(
            RequestItem(
                Request(
                    name="Echo",
                    url="{{base}}/anything",
                    scripts=Scripts(pre_request=PRE, post_response=POST),
                )
            ),
            RequestItem(
                Request(
                    name="Next",
                    url="{{base}}/anything",
                    scripts=Scripts(pre_request=NEXT),
                )
            ),
        ),
        variables=(Variable("base", base),),
    )
    save_collection(collection, folder)
    return CollectionStore(folder).load().collection


def cli(*args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, API_EXPLORER_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_untrusted_scripts_are_skipped_with_one_warning(tmp_path: Path, live_server: str):
    folder = tmp_path / "scripted"
    write_collection(folder, live_server)
    done = cli("run", str(folder), home=tmp_path / "home", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    warnings = [line for line in done.stderr.splitlines() if "not trusted" in line]
    assert warnings == [
        "warning: 3 scripts of collection 'Scripted' not run: the collection is not trusted "
        "on this machine (trust it in the window, or run with --allow-scripts)"
    ]
    assert "pre ran" not in done.stdout
    assert "echoed the script header" not in done.stdout


def test_allow_scripts_runs_them_and_masks_a_secret_they_set(tmp_path: Path, live_server: str):
    folder = tmp_path / "scripted"
    write_collection(folder, live_server)
    env_home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder), "--allow-scripts",
         "--secret", "key"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env=dict(os.environ, API_EXPLORER_HOME=str(env_home), PYTHONPATH=str(ROOT),
                 key="hunter2-key"),
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "not trusted" not in output
    assert "pre ran" in output
    assert "hunter2-key" not in output
    assert "tok-" not in output


def test_a_trusted_collection_runs_its_scripts_until_one_changes(tmp_path: Path, live_server: str):
    folder = tmp_path / "scripted"
    home = tmp_path / "home"
    collection = write_collection(folder, live_server)
    ScriptTrust(home / "script-trust.json").trust(folder, collection)
    done = cli("run", str(folder), home=home, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pre ran" in done.stdout
    assert "not trusted" not in done.stderr
    # a changed script (a git pull): not trusted any more
    request_file = next(p for p in folder.rglob("*.yaml") if "Echo" in p.read_text())
    request_file.write_text(request_file.read_text().replace("pre ran", "pre changed"))
    again = cli("run", str(folder), home=home, cwd=tmp_path)
    assert "pre changed" not in again.stdout
    assert "not trusted" in again.stderr
