"""Child-process bodies for the crash and concurrency tests (run with `python -c`)."""

from __future__ import annotations

import sys
from pathlib import Path

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Body, BodyKind, Request
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.errors import ConflictError
from explorer.core.storage.session import DraftTab, Session, save_session


def write_drafts_forever(path: str) -> None:
    """Autosave a growing session as fast as possible until killed."""
    counter = 0
    while True:
        counter += 1
        text = f"typed {counter}\n" * (counter % 300)
        tabs = tuple(
            DraftTab(Request(name=f"tab {i}", body=Body(kind=BodyKind.RAW, text=text)))
            for i in range(counter % 5 + 1)
        )
        save_session(path, Session(tabs=tabs, active_tab=counter, active_environment="e"))
        if counter == 1:
            print("ready", flush=True)


def save_collection_repeatedly(root: str, writer: str, rounds: int) -> None:
    """Load, change and save the whole collection `rounds` times, reloading on conflict."""
    store = CollectionStore(Path(root))
    conflicts = 0
    for round_number in range(rounds):
        while True:
            result = store.load()
            items = tuple(
                RequestItem(Request(name=f"req {i}", url=f"http://{writer}/{round_number}"))
                for i in range(8)
            )
            try:
                store.save(Collection(name=f"by {writer}", items=items))
                break
            except ConflictError:
                conflicts += 1
        assert not result.problems, result.problems
    print(conflicts, flush=True)


if __name__ == "__main__":
    {"drafts": write_drafts_forever, "collection": save_collection_repeatedly}[sys.argv[1]](
        *sys.argv[2:3], *sys.argv[3:4], *(int(a) for a in sys.argv[4:5])
    )
