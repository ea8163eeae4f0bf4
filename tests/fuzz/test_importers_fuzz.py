"""Property-based fuzzing of every importer: structural mutations of valid sample files.

Each example takes a valid sample (curl, Postman, Insomnia JSON and YAML, OpenAPI and
Swagger JSON and YAML, HAR, .http), replaces nodes with lists, objects, numbers, huge
integers, null, lone surrogates or deeply nested structures, deletes keys, cuts the text
or adds a BOM, and converts it. The property: a valid result (text that can be written,
folders within bounds) or one FormatError with a one-line message, within a time bound.

The normal suite runs a short version (about a minute in all on a small machine);
`make fuzz` sets FUZZ_EXAMPLES to run many more.
"""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.collection import Folder
from explorer.core.formats import MAX_FOLDER_DEPTH, FormatError, Imported, convert

FIXTURES = Path(__file__).parents[1] / "core" / "formats" / "fixtures"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
SECONDS_PER_EXAMPLE = 20  # generous: the slowest valid sample converts in milliseconds

# (fixture, format, syntax): the valid documents the mutations start from.
DOCUMENTS = [
    ("postman/v21_collection.json", "postman", "json"),
    ("postman/v20_collection.json", "postman", "json"),
    ("postman/environment.json", "postman", "json"),
    ("insomnia/export.json", "insomnia", "json"),
    ("insomnia/export.yaml", "insomnia", "yaml"),
    ("openapi/petstore_v3.yaml", "openapi", "yaml"),
    ("openapi/openapi31.json", "openapi", "json"),
    ("openapi/swagger2.json", "openapi", "json"),
    ("har/browser.har", "har", "json"),
    ("har/bodies_and_queries.har", "har", "json"),
]
TEXTS = [
    ("curl/chrome_bash.txt", "curl"),
    ("curl/docs_multiline.txt", "curl"),
    ("curl/form_upload.txt", "curl"),
    ("curl/range_user_info.txt", "curl"),
    ("http/requests.http", "http"),
    ("http/crlf.rest", "http"),
    ("http/roundtrip/shop.http", "http"),
]
# Examples per sample in the normal suite: 15 samples, about a minute in all.
DEFAULT_EXAMPLES = {"json": 250, "yaml": 100, "text": 250}

HUGE_MARK = "__fuzz_huge_integer__"
DEEP_MARK = re.compile(r'"__fuzz_deep_(\d+)__"')
HUGE_DIGITS = "7" * 5000
HUGE_FLOAT_MARK = "__fuzz_huge_float__"  # written as 1e999: infinite once parsed


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no importer's guard can swallow it."""


@pytest.fixture(autouse=True)
def _alarm() -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise Hang(f"an import took longer than {SECONDS_PER_EXAMPLE} s")

    previous = signal.signal(signal.SIGALRM, ring)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def _fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=EXAMPLES or DEFAULT_EXAMPLES[kind],
        deadline=None,  # the alarm bounds each example; timing noise is not a failure
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,  # found failures are printed; nothing is written into the tree
    )


# ---- mutations -----------------------------------------------------------------------

REPLACEMENTS = st.one_of(
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.just(HUGE_MARK),
    st.sampled_from([10**400, -(10**400), 2**64, -1]),  # past the float range, or odd
    st.just(HUGE_FLOAT_MARK),
    st.sampled_from(["\ud800", "a\udc00b", "\udfff{{x}}", "x\ud83d"]),
    st.text(max_size=20),
    st.integers(min_value=1, max_value=3000).map(lambda n: f"__fuzz_deep_{n}__"),
    st.sampled_from(["http://[::1/", "{{", "{% now %}", "#/components/schemas/Pet", "%zz"]),
    st.fixed_dictionaries({"$ref": st.sampled_from(["#", "#/", "#/paths", "#/x/y", "other"])}),
)


def _paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every path to a node of the document, the root included."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _mutate(document: Any, path: tuple, action: str, replacement: Any) -> Any:
    if not path:
        return replacement if action == "replace" else document
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "wrap":
        parent[last] = [parent[last]]
    else:
        parent[last] = replacement
    return document


def _serialise(document: Any, syntax: str) -> str:
    if syntax == "yaml":
        try:
            text = yaml.safe_dump(document, sort_keys=False)
        except (yaml.YAMLError, ValueError):
            text = json.dumps(document)
        text = text.replace(HUGE_MARK, HUGE_DIGITS).replace(HUGE_FLOAT_MARK, "1e999")
        return DEEP_MARK.sub(lambda m: "[" * int(m.group(1)) + "]" * int(m.group(1)), text)
    text = json.dumps(document)  # ASCII: a lone surrogate becomes a \ud800 escape
    text = text.replace(json.dumps(HUGE_MARK), HUGE_DIGITS)
    text = text.replace(json.dumps(HUGE_FLOAT_MARK), "1e999")
    return DEEP_MARK.sub(lambda m: "[" * int(m.group(1)) + "]" * int(m.group(1)), text)


@st.composite
def mutated_documents(draw: st.DrawFn, name: str, syntax: str) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    document = yaml.safe_load(text) if syntax == "yaml" else json.loads(text)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(list(_paths(document))))
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "wrap"]))
        if action == "delete" and not path:
            continue
        document = _mutate(document, path, action, draw(REPLACEMENTS))
    return _finish(draw, _serialise(document, syntax))


@st.composite
def mutated_texts(draw: st.DrawFn, name: str) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        insert = draw(
            st.one_of(
                st.text(max_size=10),
                st.sampled_from(["\ud800", "'", '"', "\\\n", "\n", "$'\\x", "@/", "#", "<"]),
                st.sampled_from([" -H", " --url", " -d", " -u", " -F", " -X", " --data-raw"]),
                st.sampled_from(["\n###\n", "\nGET ", "\n< ./", "\nContent-Type: "]),
                st.sampled_from([HUGE_DIGITS, "{" * 2000, "[" * 3000, "x" * 10_000]),
            )
        )
        cut = draw(st.integers(min_value=0, max_value=3))
        text = text[:at] + insert + text[at + cut :]
    return _finish(draw, text)


def _finish(draw: st.DrawFn, text: str) -> str:
    if draw(st.booleans()):
        text = "\ufeff" + text
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


# ---- the property --------------------------------------------------------------------


def _check(text: str, format: str | None, filename: str) -> None:
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_EXAMPLE)
    try:
        imported = convert(text, format=format, filename=filename, base_dir=FIXTURES)
    except FormatError as error:
        assert "\n" not in str(error) and "\r" not in str(error), repr(str(error))
        assert error.message.strip(), "an empty message"
        str(error).encode("utf-8")
        return
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    _check_result(imported)


def _check_result(imported: Imported) -> None:
    pending: list[tuple[Any, int]] = [(imported, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            item.encode("utf-8")  # writable: no lone surrogates
        elif isinstance(item, bytes | int | float | bool) or item is None:
            continue
        elif isinstance(item, tuple | list):
            pending.extend((inner, depth) for inner in item)
        elif hasattr(item, "__dataclass_fields__"):
            inner_depth = depth + 1 if isinstance(item, Folder) else depth
            assert inner_depth <= MAX_FOLDER_DEPTH
            pending.extend((getattr(item, f), inner_depth) for f in item.__dataclass_fields__)
        elif hasattr(item, "value"):  # enums
            continue
        else:
            raise AssertionError(f"unexpected value in a result: {type(item).__name__}")


@pytest.mark.parametrize(("name", "format", "syntax"), DOCUMENTS)
def test_mutated_documents(name: str, format: str, syntax: str) -> None:
    @_fuzz_settings(syntax)
    @given(text=mutated_documents(name, syntax), forced=st.booleans())
    def run(text: str, forced: bool) -> None:
        _check(text, format if forced else None, Path(name).name)

    run()


@pytest.mark.parametrize(("name", "format"), TEXTS)
def test_mutated_texts(name: str, format: str) -> None:
    @_fuzz_settings("text")
    @given(text=mutated_texts(name), forced=st.booleans())
    def run(text: str, forced: bool) -> None:
        _check(text, format if forced else None, Path(name).name)

    run()


# ---- reading a source: any bytes, one way ------------------------------------------------

BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]


@settings(max_examples=EXAMPLES or 300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    bom=st.sampled_from(BOMS),
    data=st.binary(max_size=400),
    sample=st.sampled_from([fixture for fixture, _format in TEXTS]),
)
def test_any_file_is_read_as_text_or_refused_with_one_line(tmp_path, bom, data, sample):
    """What the window's converter process and the command line read a file with:
    any bytes become text, or one one-line FormatError; a valid sample after a UTF-8
    BOM reads as the sample itself."""
    from explorer.core.formats import read_import_file

    source = tmp_path / "source.txt"
    valid = (FIXTURES / sample).read_bytes()
    for content in (bom + data, bom + valid):
        source.write_bytes(content)
        try:
            text = read_import_file(source)
        except FormatError as error:
            assert "\n" not in str(error) and str(error)
            continue
        # One UTF-8 BOM is dropped, nothing else changes.
        assert text == content.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        if content in (valid, b"\xef\xbb\xbf" + valid):
            assert text == valid.decode("utf-8")
