"""The local secret store: values of secret variables, outside every collection folder.

One JSON file in the user data directory, readable by its owner only (mode 0600, fixed
if found wider), written atomically under a lock so two app instances do not lose each
other's changes. Values are keyed by (collection key, environment, name); the
environment "" holds the collection's own secret variables.

The file is not encrypted: like `~/.ssh` or `~/.netrc`, it relies on file permissions.
"""

from __future__ import annotations

import builtins  # `set` in SecretStore names its method, so the type is builtins.set
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from explorer.core.atomic import make_private_dir, write_text_atomic
from explorer.core.collection import Collection, Variable
from explorer.core.storage.errors import FileFormatError, Problem
from explorer.core.storage.lock import FileLock

FILE_MODE = 0o600
_VERSION = 1
Secrets = dict[str, dict[str, dict[str, str]]]  # collection -> environment -> name -> value


class SecretStore:
    """Get, set and delete secret values in the JSON file at `path`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = FileLock(self.path.with_name(self.path.name + ".lock"))

    def get(self, collection: str, environment: str, name: str) -> str | None:
        """The value of a secret, or None when none is stored."""
        return self._read().get(collection, {}).get(environment, {}).get(name)

    def set(self, collection: str, environment: str, name: str, value: str) -> None:
        """Store (or replace) the value of a secret."""
        with self._lock.held():
            data = self._read()
            data.setdefault(collection, {}).setdefault(environment, {})[name] = value
            self._write(data)

    def set_many(self, collection: str, environment: str, values: Mapping[str, str]) -> None:
        """Store (or replace) several secrets with one write of the file (an import may
        move thousands: one write each rewrote the whole file each time)."""
        if not values:
            return
        with self._lock.held():
            data = self._read()
            data.setdefault(collection, {}).setdefault(environment, {}).update(values)
            self._write(data)

    def delete(self, collection: str, environment: str, name: str) -> bool:
        """Forget a secret; return whether there was one."""
        with self._lock.held():
            data = self._read()
            names = data.get(collection, {}).get(environment, {})
            if name not in names:
                return False
            del names[name]
            self._write(_pruned(data))
            return True

    def values(self, collection: str | None = None) -> builtins.set[str]:
        """Every stored value (of one collection, or of all): what history redacts."""
        data = self._read()
        chosen = [data.get(collection, {})] if collection is not None else list(data.values())
        return {v for envs in chosen for names in envs.values() for v in names.values() if v}

    def fill(self, collection_key: str, collection: Collection) -> Collection:
        """`collection` with the stored values put into its secret variables."""
        environments = tuple(
            replace(env, variables=self._filled(collection_key, env.name, env.variables))
            for env in collection.environments
        )
        variables = self._filled(collection_key, "", collection.variables)
        return replace(collection, variables=variables, environments=environments)

    def keep(self, collection_key: str, collection: Collection) -> None:
        """Store the values of the secret variables of `collection` and its environments."""
        with self._lock.held():
            data = self._read()
            scopes: list[tuple[str, Iterable[Variable]]] = [("", collection.variables)]
            scopes += [(env.name, env.variables) for env in collection.environments]
            for env_name, variables in scopes:
                for variable in variables:
                    if variable.secret:
                        by_name = data.setdefault(collection_key, {}).setdefault(env_name, {})
                        by_name[variable.name] = variable.value
            self._write(data)

    def _filled(self, key: str, env: str, variables: tuple[Variable, ...]) -> tuple[Variable, ...]:
        names = self._read().get(key, {}).get(env, {})
        return tuple(
            replace(v, value=names.get(v.name, v.value)) if v.secret else v for v in variables
        )

    def _read(self) -> Secrets:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return {}
        with os.fdopen(fd, "rb") as handle:
            mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
            if mode & 0o077:  # readable by others: close the hole before reading secrets
                os.fchmod(handle.fileno(), FILE_MODE)
            raw = handle.read()
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise FileFormatError(Problem(self.path, f"not valid JSON: {exc}", line)) from exc
        secrets = document.get("secrets") if isinstance(document, dict) else None
        if not isinstance(secrets, dict):
            raise FileFormatError(Problem(self.path, "no 'secrets' mapping"))
        return secrets

    def _write(self, data: Secrets) -> None:
        make_private_dir(self.path.parent)
        text = json.dumps({"version": _VERSION, "secrets": data}, indent=2, sort_keys=True)
        write_text_atomic(self.path, text + "\n", mode=FILE_MODE)


def _pruned(data: Secrets) -> Secrets:
    # Drop emptied environments and collections so the file does not keep old keys.
    result: Secrets = {}
    for collection, envs in data.items():
        kept = {env: names for env, names in envs.items() if names}
        if kept:
            result[collection] = kept
    return result
