"""Global variables: the lowest variable scope, shared by every collection.

Kept as one environment-shaped YAML file in the user data directory; the values of
secret globals live in the `SecretStore` under the collection key `GLOBAL_KEY`, like the
secrets of a collection, so the file itself holds only their names.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from explorer.core.atomic import PRIVATE_FILE, make_private_dir, write_text_atomic
from explorer.core.collection import Environment
from explorer.core.storage import codec
from explorer.core.storage.secrets import SecretStore
from explorer.core.storage.yaml_io import dump_yaml, parse_yaml

GLOBAL_KEY = "global"
GLOBALS_NAME = "Globals"


def load_globals(path: str | os.PathLike[str], secrets: SecretStore | None = None) -> Environment:
    """The global variables at `path` (empty when there is no file), secret values filled
    from `secrets`. Raises FileFormatError (or codec.ShapeError) for a broken file."""
    target = Path(path)
    if not target.is_file():
        return Environment(GLOBALS_NAME)
    data = parse_yaml(target.read_bytes(), target)
    environment = codec.environment_from_data(data, GLOBALS_NAME)
    if secrets is None:
        return environment
    filled = tuple(
        replace(v, value=secrets.get(GLOBAL_KEY, "", v.name) or "") if v.secret else v
        for v in environment.variables
    )
    return replace(environment, variables=filled)


def save_globals(
    path: str | os.PathLike[str], environment: Environment, secrets: SecretStore | None = None
) -> None:
    """Write the global variables atomically; secret values go to `secrets` only."""
    if secrets is not None:
        for variable in environment.variables:
            if variable.secret:
                secrets.set(GLOBAL_KEY, "", variable.name, variable.value)
    target = Path(path)
    make_private_dir(target.parent)
    text = dump_yaml(codec.environment_to_data(environment))
    write_text_atomic(target, text, mode=PRIVATE_FILE)
