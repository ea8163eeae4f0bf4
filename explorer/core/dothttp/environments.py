"""JetBrains HTTP Client environment files beside an .http file, in and out.

`http-client.env.json` holds `{"dev": {"host": "…"}, "prod": {…}}`: each top-level key
is an environment. `http-client.private.env.json` has the same shape for values kept
out of version control: they become secret variables (the collection store moves their
values into the secret store when the import is written). `$shared` is merged into
every environment (an environment's own value wins). JetBrains allows nested objects
(read as `{{obj.key}}`): they become dotted names. Its `SSLConfiguration` and `Security`
sections configure the client, not variables: they are reported and left out.

On export the environments go back out: plain values in `http-client.env.json`, secret
ones as names with EMPTY values in `http-client.private.env.json`, never a value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.core.collection import Collection, Environment, Variable
from explorer.core.formats.common import FormatError

__all__ = ["PRIVATE_FILE", "PUBLIC_FILE", "environment_files", "read_environments"]

PUBLIC_FILE = "http-client.env.json"
PRIVATE_FILE = "http-client.private.env.json"
SHARED = "$shared"
MAX_ENV_FILE = 5 * 1024 * 1024  # an environment file larger than this is not one
MAX_VARIABLES = 10_000  # per file
MAX_DEPTH = 8  # nested objects deeper than this are reported, not read
_CLIENT_SECTIONS = ("SSLConfiguration", "Security")


def read_environments(base_dir: Path, report: list[str]) -> tuple[Environment, ...]:
    """The environments of the env files in `base_dir` ((): none there)."""
    public = _load(base_dir / PUBLIC_FILE, report)
    private = _load(base_dir / PRIVATE_FILE, report)
    if not public and not private:
        return ()
    names = [n for n in dict.fromkeys([*public, *private]) if n != SHARED]
    if not names:
        names = [SHARED]  # only shared values: one environment that holds them
    count = 0
    environments = []
    for name in names:
        values: dict[str, Variable] = {}
        for source, secret in ((public, False), (private, True)):
            for section in (SHARED, name) if name != SHARED else (SHARED,):
                for key, value in source.get(section, {}).items():
                    values[key] = Variable(key, value, secret=secret)
        count += len(values)
        environments.append(Environment(name, tuple(values.values())))
    secrets = sum(1 for env in environments for v in env.variables if v.secret)
    note = f" ({secrets} secret, from {PRIVATE_FILE})" if secrets else ""
    report.append(
        f"{len(environments)} environment(s) with {count} variable(s) came from the "
        f"JetBrains environment files{note}."
    )
    if SHARED in public or SHARED in private:
        report.append(f"The {SHARED} values were copied into every environment.")
    return tuple(environments)


def _load(path: Path, report: list[str]) -> dict[str, dict[str, str]]:
    """One env file as {environment: {name: value}}; {} when there is none. A broken
    one is reported and left out: the requests beside it are still good."""
    try:
        return _read(path, report)
    except FormatError as error:
        report.append(f"{error.message}; it was not imported.")
        return {}


def _read(path: Path, report: list[str]) -> dict[str, dict[str, str]]:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ENV_FILE + 1)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise FormatError(f"{path.name}: cannot read it ({error.strerror or error})") from None
    if len(data) > MAX_ENV_FILE:
        raise FormatError(f"{path.name} is larger than {MAX_ENV_FILE // (1024 * 1024)} MB")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FormatError(f"{path.name} is not a JSON environment file: {error}") from None
    if not isinstance(document, dict):
        raise FormatError(
            f"{path.name} is not a JetBrains environment file: expected an object of "
            f"environments, found {type(document).__name__}"
        )
    environments: dict[str, dict[str, str]] = {}
    total = 0
    for name, body in document.items():
        if not isinstance(body, dict):
            report.append(f"{path.name}: {name!r} is not an environment object; left out.")
            continue
        flat: dict[str, str] = {}
        for key, value in body.items():
            if key in _CLIENT_SECTIONS:
                report.append(
                    f"{path.name}: the {key} of environment {name!r} configures the "
                    "JetBrains client and was not imported."
                )
                continue
            _flatten(str(key), value, flat, 1, f"{path.name} ({name})", report)
        total += len(flat)
        if total > MAX_VARIABLES:
            raise FormatError(f"{path.name} has more than {MAX_VARIABLES} variables")
        environments[str(name)] = flat
    return environments


def _flatten(
    key: str, value: Any, out: dict[str, str], depth: int, where: str, report: list[str]
) -> None:
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            report.append(f"{where}: {key!r} is nested too deeply and was left out.")
            return
        report.append(f"{where}: the object {key!r} became variables named {key}.<key>.")
        for inner, item in value.items():
            _flatten(f"{key}.{inner}", item, out, depth + 1, where, report)
    elif isinstance(value, str):
        out[key] = value
    elif value is None:
        out[key] = ""
    elif isinstance(value, bool):
        out[key] = "true" if value else "false"
    elif isinstance(value, int | float):
        out[key] = json.dumps(value)
    else:  # a list: JetBrains reads it as its JSON text
        out[key] = json.dumps(value, ensure_ascii=False)
        report.append(f"{where}: the list {key!r} became its JSON text.")
    if len(out) > MAX_VARIABLES:
        raise FormatError(f"{where} has more than {MAX_VARIABLES} variables")


def environment_files(collection: Collection) -> tuple[tuple[str, str], ...]:
    """(name, text) of the env files for `collection`'s environments: plain values in
    the public file, secret names with EMPTY values in the private one. Secret collection
    variables are listed in the private file under every environment, since an
    `@name =` line would hide the value the tool reads there (without environments the
    .http file's comment names them: httpyac reads no `$shared`-only file). () when
    there is nothing to write."""
    public: dict[str, dict[str, str]] = {}
    private: dict[str, dict[str, str]] = {}
    shared_secrets = {v.name: "" for v in collection.variables if v.secret and v.enabled}
    for environment in collection.environments:
        public[environment.name] = {
            v.name: v.value for v in environment.variables if v.enabled and not v.secret
        }
        names = {v.name: "" for v in environment.variables if v.enabled and v.secret}
        if names or shared_secrets:
            private[environment.name] = {**shared_secrets, **names}
    files = []
    if public:
        files.append((PUBLIC_FILE, _dump(public)))
    if private:
        files.append((PRIVATE_FILE, _dump(private)))
    return tuple(files)


def _dump(document: dict[str, dict[str, str]]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
