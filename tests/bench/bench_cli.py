"""`python -m explorer run` of a one-request collection, as a whole process, against
`python -c pass` and a one-shot `requests.get` script in the same run."""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import median, python, run_process, table

RUNS = 9


def main() -> str:
    import logging

    from werkzeug.serving import make_server

    from bundled_server import create_app
    from explorer.core.collection import Collection, RequestItem
    from explorer.core.model import Request
    from explorer.core.storage.collection_files import CollectionStore

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.port}/json"
    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    CollectionStore(work / "one").save(
        Collection(name="one", items=(RequestItem(Request(name="json", url=url)),))
    )
    oneshot = work / "oneshot.py"
    oneshot.write_text(f"import requests\nrequests.get({url!r}).content\n")
    env = {"API_EXPLORER_HOME": str(work / "home"), "PATH": "/usr/bin:/bin"}
    commands = {
        "python -c pass": [python(), "-c", "pass"],
        "python oneshot_requests.py": [python(), str(oneshot)],
        "python -m explorer run one/": [python(), "-m", "explorer", "run", str(work / "one")],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(2):
        for args in commands.values():
            run_process(args, env)
    for _ in range(RUNS):
        for name, args in commands.items():
            times[name].append(run_process(args, env)[0])
    server.shutdown()
    base = median(times["python oneshot_requests.py"])
    rows = [
        [name, f"{median(values) * 1000:.0f} ms", f"{median(values) / base:.2f}×"]
        for name, values in times.items()
    ]
    title = f"Command line, one GET as a whole process (median of {RUNS}, goal ≤ 0.3 s)"
    return table(title, ["command", "median", "ratio to one-shot requests"], rows)


if __name__ == "__main__":
    print(main())
