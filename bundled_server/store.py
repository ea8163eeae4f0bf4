"""Thread-safe in-memory collections, seeded from JSON files shipped in the package.

The server is threaded, so two requests can touch the same collection at once. Every
read returns a copy and every check-then-write sequence (unique names, If-Match) runs
under ``Collection.lock`` so no update is lost between the check and the write.
"""

from __future__ import annotations

import copy
import json
import threading
from datetime import UTC, datetime
from importlib import resources
from typing import Any

Record = dict[str, Any]


def now_iso() -> str:
    """Current UTC time at second precision, the resolution of Last-Modified."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """Read the timestamps this module writes (``2025-01-31T09:30:00Z``)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def load_seed(name: str) -> list[Record]:
    """Read ``data/<name>.json`` from the package (works from a wheel as well)."""
    text = resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8")
    records: list[Record] = json.loads(text)
    return records


class Collection:
    """Records keyed by integer id; ``reset()`` restores the seed exactly."""

    def __init__(self, seed: list[Record]) -> None:
        self.lock = threading.RLock()
        self._seed = copy.deepcopy(seed)
        self._records: dict[int, Record] = {}
        self._next_id = 1
        self.reset()

    def reset(self) -> None:
        """Forget every change since start-up."""
        with self.lock:
            self._records = {r["id"]: copy.deepcopy(r) for r in self._seed}
            self._next_id = max(self._records, default=0) + 1

    def all(self) -> list[Record]:
        """Every record, ordered by id, as copies."""
        with self.lock:
            return [copy.deepcopy(self._records[k]) for k in sorted(self._records)]

    def get(self, record_id: int) -> Record | None:
        """A copy of one record, or None."""
        with self.lock:
            record = self._records.get(record_id)
            return copy.deepcopy(record) if record is not None else None

    def create(self, fields: Record, record_id: int | None = None) -> Record:
        """Store a new record; the server picks the id unless the client did (PUT)."""
        with self.lock:
            if record_id is None:
                record_id = self._next_id
            self._next_id = max(self._next_id, record_id + 1)
            stamp = now_iso()
            record = {"id": record_id, **fields, "created_at": stamp, "updated_at": stamp}
            self._records[record_id] = record
            return copy.deepcopy(record)

    def replace(self, record_id: int, fields: Record) -> Record:
        """Overwrite the fields of an existing record, keeping id and created_at."""
        with self.lock:
            old = self._records[record_id]
            record = {
                "id": record_id,
                **fields,
                "created_at": old["created_at"],
                "updated_at": now_iso(),
            }
            self._records[record_id] = record
            return copy.deepcopy(record)

    def delete(self, record_id: int) -> bool:
        """Remove a record; False when it was not there."""
        with self.lock:
            return self._records.pop(record_id, None) is not None

    def __len__(self) -> int:
        with self.lock:
            return len(self._records)


class Store:
    """All the collections of one app instance (so each test gets its own)."""

    def __init__(self) -> None:
        self.items = Collection(load_seed("items"))
        self.users = Collection(load_seed("users"))
        self.todos = Collection(load_seed("todos"))

    def reset(self) -> None:
        """Restore every collection to its seed."""
        for collection in (self.items, self.users, self.todos):
            collection.reset()
