"""Property-based checks of the Postman shapes #14 added: header blocks, GraphQL bodies,
the export's inherited-header count, body pruning and environment file names.

Properties: any such input imports as a collection or fails with one FormatError; a
collection with headers on every level, value-less parameters and GET bodies exports
and imports back unchanged; environment file names are unique, never leave their
folder and never hold a secret. Short in the normal suite; FUZZ_EXAMPLES scales it.
"""

from __future__ import annotations

import json
import os
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.application.exporting import collection_export
from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats import FormatError, convert
from explorer.core.formats.postman import export_postman, import_postman
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Request

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 100
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(
    header=st.text(max_size=200) | anything,
    graphql=st.dictionaries(st.sampled_from(["query", "variables", "operationName"]), anything),
    inherited=anything,
    method=st.sampled_from(["GET", "get", "HEAD", "POST", "PURGE"]),
    behaviour=st.dictionaries(st.sampled_from(["disableBodyPruning", "followRedirects"]), anything),
    query=anything,
)
def test_odd_shapes_import_or_fail_with_one_line(
    header: Any, graphql: Any, inherited: Any, method: str, behaviour: Any, query: Any
) -> None:
    item = {
        "name": "R",
        "request": {
            "method": method,
            "header": header,
            "url": {"raw": "https://x.io/a", "query": query},
            "body": {"mode": "graphql", "graphql": graphql},
        },
        "protocolProfileBehavior": behaviour,
        "x-api-explorer": {"inherited_headers": inherited},
    }
    text = json.dumps({"info": {"name": "F", "schema": SCHEMA}, "item": [item]})
    try:
        result = convert(text, "postman").result
    except FormatError as error:
        assert "\n" not in str(error)
        return
    for line in result.report:
        assert "\n" not in line
    export_postman(result.collection)  # and whatever came in can be written out


names = st.text(alphabet=string.ascii_letters + "-", min_size=1, max_size=8).filter(
    lambda name: name.lower() != "content-type"  # a urlencoded body's is Postman's own
)
values = st.text(max_size=12).filter(lambda text: "\r" not in text and "\n" not in text)
pairs = st.lists(st.builds(Pair, names, values, st.booleans()), max_size=3).map(tuple)
bodies = st.one_of(
    st.just(Body()),
    st.builds(
        lambda text: Body(BodyKind.RAW, text=text, content_type="application/json"),
        st.text(min_size=1, max_size=20),
    ),
    st.builds(lambda form: Body(BodyKind.FORM, form=form), pairs),
)
requests = st.builds(
    lambda method, headers, params, body, name: RequestItem(
        Request(
            method=method,
            url="https://x.io/p",
            headers=headers,
            params=params,
            body=body,
            name=name,
            auth=Auth(AuthKind.INHERIT),
        )
    ),
    st.sampled_from(["GET", "POST", "HEAD", "DELETE"]),
    pairs,
    st.lists(st.builds(Pair, names, values), max_size=3).map(tuple),
    bodies,
    names,
)


@FUZZ
@given(
    collection_headers=pairs,
    folder_headers=pairs,
    inner=st.lists(requests, max_size=3),
    outer=st.lists(requests, max_size=2),
)
def test_headers_on_every_level_export_and_import_back_unchanged(
    collection_headers: tuple[Pair, ...],
    folder_headers: tuple[Pair, ...],
    inner: list[RequestItem],
    outer: list[RequestItem],
) -> None:
    folder = Folder("F", tuple(inner), headers=folder_headers)
    collection = Collection("C", (folder, *outer), headers=collection_headers)
    back = import_postman(export_postman(collection)).collection

    def flat(node: Collection | Folder) -> list[Request]:
        out: list[Request] = []
        for item in node.items:
            out += flat(item) if isinstance(item, Folder) else [item.request]
        return out

    assert back.headers == collection.headers
    assert flat(back) == flat(collection)


@FUZZ
@given(
    st.lists(
        st.builds(
            Environment,
            st.text(min_size=0, max_size=12),
            st.lists(
                st.builds(Variable, names, st.text(max_size=8), st.booleans()), max_size=3
            ).map(tuple),
        ),
        max_size=5,
    )
)
def test_environment_files_are_unique_inside_their_folder_and_hold_no_secret(
    environments: list[Environment],
) -> None:
    collection = Collection("C", environments=tuple(environments))
    export = collection_export(collection, "postman")
    files = [file.name for file in export.files]
    assert len(files) == len(environments)
    assert len({name.lower() for name in files}) == len(files)
    for file, environment in zip(export.files, environments, strict=True):
        assert "/" not in file.name and "\\" not in file.name
        assert file.name.startswith("{stem}.") and file.name.count("{stem}") == 1
        document = json.loads(file.text)
        assert document["name"] == environment.name
        for row, variable in zip(document["values"], environment.variables, strict=True):
            assert row["value"] == ("" if variable.secret else variable.value)
