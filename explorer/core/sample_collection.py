"""The practice server's own collection: its /openapi.json as a "Sample API" collection.

When the app starts the practice server it fetches the server's OpenAPI document and
calls `install_sample_collection`, so every lesson's requests are one click away and
point at the server that is actually running (whose port changes from run to run).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from explorer.core.collection import Collection, Environment, Variable
from explorer.core.formats.openapi import import_openapi
from explorer.core.storage.collection_files import save_collection

COLLECTION_NAME = "Sample API"
ENVIRONMENT_NAME = "Sample server"
BASE_URL = "base_url"


def sample_collection(openapi_text: str, base_url: str) -> Collection:
    """The "Sample API" collection built from the practice server's OpenAPI document.

    Requests are grouped in one folder per lesson tag and address `{{base_url}}`; the
    collection's `base_url` variable and its single environment, "Sample server", both
    hold `base_url` (the running server), replacing the servers listed in the document.
    Raises `FormatError` when the document cannot be read.
    """
    collection = import_openapi(openapi_text).collection
    base_url = base_url.rstrip("/")
    variables = tuple(
        dataclasses.replace(variable, value=base_url) if variable.name == BASE_URL else variable
        for variable in collection.variables
    )
    if not any(variable.name == BASE_URL for variable in variables):
        variables = (Variable(BASE_URL, base_url), *variables)
    environment = Environment(ENVIRONMENT_NAME, (Variable(BASE_URL, base_url),))
    return dataclasses.replace(
        collection, name=COLLECTION_NAME, variables=variables, environments=(environment,)
    )


def install_sample_collection(openapi_text: str, base_url: str, folder: Path) -> Path:
    """Write the sample collection into `folder` (created, or refreshed in place); return it.

    A refresh replaces every request, folder and environment file written before, so
    nothing stale is left; each file is written atomically under the collection lock.
    Files in `folder` that cannot be parsed are left untouched (they are the user's).
    Raises `FormatError` for a bad document and `StorageError` when writing fails.
    """
    folder = Path(folder)
    save_collection(sample_collection(openapi_text, base_url), folder)
    return folder
