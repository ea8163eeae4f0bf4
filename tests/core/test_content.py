"""Content detection, decoding, pretty-printing, folds, filter, hex, the text buffer and
the format worker process."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.text.content import (
    HEX_LINE_WIDTH,
    ContentError,
    ContentKind,
    FilterError,
    PreviewKind,
    apply_filter,
    compile_filter,
    decode_text,
    detect,
    hex_line,
    json_folds,
    pretty_json,
    pretty_json_head,
)
from explorer.core.text.format_worker import FormatJob, format_in_memory
from explorer.core.text.markup import HtmlPrettyPrinter, XmlPrettyPrinter
from explorer.core.text.text_buffer import BLOCK, ByteSource, HexDocument, TextBuffer


@pytest.mark.parametrize(
    ("content_type", "head", "kind", "charset", "preview"),
    [
        ("application/json", b'{"a": 1}', ContentKind.JSON, "utf-8", PreviewKind.NONE),
        ("application/problem+json", b"{}", ContentKind.JSON, "utf-8", PreviewKind.NONE),
        ("text/plain; charset=ISO-8859-1", b"caf\xe9", ContentKind.TEXT, "cp1252", None),
        ("", b"\xef\xbb\xbf[1]", ContentKind.JSON, "utf-8-sig", PreviewKind.NONE),
        ("text/html", b'<meta charset="koi8-r"><p>', ContentKind.HTML, "koi8-r", PreviewKind.HTML),
        ("", b'<?xml version="1.0" encoding="latin-1"?><a/>', ContentKind.XML, "cp1252", None),
        ("image/svg+xml", b"<svg/>", ContentKind.XML, "utf-8", PreviewKind.IMAGE),
        ("", b"\x89PNG\r\n\x1a\n\x00\x00", ContentKind.BINARY, "", PreviewKind.IMAGE),
        ("application/octet-stream", b"\x00\x01\x02\xff", ContentKind.BINARY, "", None),
        ("application/octet-stream", b"plain words", ContentKind.TEXT, "utf-8", None),
    ],
)
def test_detect(content_type, head, kind, charset, preview):
    info = detect(content_type, head)
    assert info.kind is kind
    # latin-1 and iso-8859-1 resolve to Python's codec names; only compare the family.
    if charset in ("cp1252",):
        assert info.charset in ("iso8859-1", "latin-1", "cp1252")
    else:
        assert info.charset == charset
    if preview is not None:
        assert info.preview is preview


def test_decode_invalid_utf8_uses_replacement_characters():
    assert decode_text(b"ok \xff\xfe end \xe2\x82", "utf-8") == "ok \ufffd\ufffd end \ufffd"
    assert decode_text(b"x", "no-such-charset") == "x"


def test_pretty_json_indents_and_keeps_order_and_unicode():
    out = pretty_json(b'{"b":1,"a":[true,null,"\xc3\xa9"],"e":{}}').decode()
    assert out.splitlines() == [
        "{",
        '  "b": 1,',
        '  "a": [',
        "    true,",
        "    null,",
        '    "\u00e9"',
        "  ],",
        '  "e": {}',
        "}",
    ]


def test_pretty_json_reports_where_it_is_invalid():
    with pytest.raises(ContentError) as err:
        pretty_json(b'{"a": 1,\n "b": }')
    assert "line 2" in err.value.message and "column" in err.value.message


def test_pretty_json_handles_integers_beyond_64_bits():
    assert b"123456789012345678901234567890" in pretty_json(b"[123456789012345678901234567890]")


def test_json_folds_match_brackets():
    pretty = pretty_json(b'{"a": [1, {"b": 2}], "c": {}, "d": {"e": [3]}}')
    lines = pretty.decode().splitlines()
    starts, ends = json_folds(pretty)
    pairs = list(zip(starts, ends, strict=True))
    assert pairs == sorted(pairs)
    assert pairs[0] == (0, len(lines) - 1)
    for start, end in pairs:
        opener = lines[start].rstrip()[-1]
        closer = lines[end].strip()[0]
        assert (opener, closer) in (("{", "}"), ("[", "]"))
        assert len(lines[start]) - len(lines[start].lstrip()) == len(lines[end]) - len(
            lines[end].lstrip()
        )
    assert len(pairs) == 5  # root, a, a[1], d, d.e  ("c": {} cannot fold)


def test_xml_pretty_print():
    printer = XmlPrettyPrinter()
    source = '<?xml version="1.0"?><r a="1&amp;2"><b>t &lt; u</b><c/><!--n--><d>x<e/>y</d></r>'
    out = printer.feed(source[:20]) + printer.feed(source[20:], final=True)
    assert out.splitlines() == [
        '<?xml version="1.0"?>',
        '<r a="1&amp;2">',
        "  <b>t &lt; u</b>",
        "  <c/>",
        "  <!--n-->",
        "  <d>",
        "    x",
        "    <e/>",
        "    y",
        "  </d>",
        "</r>",
    ]


def test_malformed_xml_raises_with_position():
    with pytest.raises(ContentError) as err:
        XmlPrettyPrinter().feed("<a><b></a>", final=True)
    assert "line 1" in err.value.message


def test_html_pretty_print_keeps_pre_entities_and_void_tags():
    printer = HtmlPrettyPrinter()
    html = (
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>T &amp; U</title></head>"
        "<body><ul><li>one<li>two</ul><pre>  keep\n   this</pre><br></body></html>"
    )
    out = printer.feed_chunk(html, final=True)
    assert out.splitlines() == [
        "<!DOCTYPE html>",
        "<html>",
        "  <head>",
        "    <meta charset=utf-8>",
        "    <title>T &amp; U</title>",
        "  </head>",
        "  <body>",
        "    <ul>",
        "      <li>one</li>",
        "      <li>two</li>",
        "    </ul>",
        "    <pre>  keep",
        "   this</pre>",
        "    <br>",
        "  </body>",
        "</html>",
    ]


def test_filter_applies_jmespath():
    body = b'{"items": [{"n": "a", "p": 5}, {"n": "b", "p": 15}]}'
    assert json.loads(apply_filter(body, "items[?p > `10`].n")) == ["b"]


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [("items[?", "Incomplete"), ("items[0", "Incomplete"), ("a.#b", "position 3"), ("", "empty")],
)
def test_bad_filter_expression_says_what_is_wrong(expression, fragment):
    with pytest.raises(FilterError) as err:
        compile_filter(expression)
    assert fragment in err.value.message


def test_filter_applies_jsonpath_when_it_starts_with_a_dollar():
    body = b'{"items": [{"n": "a", "p": 5}, {"n": "b", "p": 15}, {"n": "c", "p": 25}]}'
    assert json.loads(apply_filter(body, "$.items[?@.p > 10].n")) == ["b", "c"]
    assert json.loads(apply_filter(body, "$..n")) == ["a", "b", "c"]
    assert json.loads(apply_filter(body, "$.nothing")) == []  # no match is an empty list


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("$.items[?@.p >", "JSONPath: unexpected end of expression at the end"),
        ("$.items[?nope(@)]", "function 'nope' is not defined at position 10"),
    ],
)
def test_bad_jsonpath_says_what_is_wrong(expression, fragment):
    with pytest.raises(FilterError) as err:
        compile_filter(expression)
    assert fragment in err.value.message


def test_filter_on_non_json_and_failing_function():
    with pytest.raises(FilterError, match="not JSON"):
        apply_filter(b"<xml/>", "a")
    with pytest.raises(FilterError, match="failed"):
        apply_filter(b'{"a": "text"}', "abs(a)")


def test_hex_line_layout():
    line = hex_line(b"Hello, world!\x00\xff\n", 32)
    assert line == "00000020  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 00 ff 0a  |Hello, world!...|"
    assert len(hex_line(b"ab", 0)) == HEX_LINE_WIDTH


def _random_text(seed: int, size: int) -> bytes:
    rnd = random.Random(seed)
    words = [b"", b"a", b"\xc3\xa9t\xc3\xa9", b"long " * 50, b"x" * 9000, b"\r"]
    parts = []
    while sum(map(len, parts)) < size:
        parts.append(rnd.choice(words) + b"\n" * rnd.choice([0, 1, 1, 1, 2]))
    return b"".join(parts)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_text_buffer_lines_match_split(seed, tmp_path):
    data = _random_text(seed, 5 * BLOCK)
    expected = data.split(b"\n")
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    for buffer in (TextBuffer(data), TextBuffer(path=path)):
        assert buffer.line_count == len(expected)
        offset = 0
        for line, content in enumerate(expected):
            start, end = buffer.line_span(line)
            assert (start, buffer.read(start, end)) == (offset, content)
            assert buffer.line_of_offset(start) == line
            assert buffer.line_of_offset(end) == line
            offset += len(content) + 1
        buffer.close()


def test_text_buffer_grows_from_block_reports(tmp_path):
    data = _random_text(7, 3 * BLOCK + 100)
    path = tmp_path / "grow.txt"
    path.write_bytes(b"")
    buffer = TextBuffer(path=path, size=0)
    for cut in (BLOCK, 3 * BLOCK, len(data)):
        path.write_bytes(data[:cut])
        old = buffer.size
        first_block = old // BLOCK
        counts = [
            data.count(b"\n", i, min(cut, i + BLOCK))
            for i in range(first_block * BLOCK, cut, BLOCK)
        ]
        buffer.append_blocks(cut, counts)
        assert buffer.line_count == data[:cut].count(b"\n") + 1
    buffer.mark_complete()
    last = buffer.line_count - 1
    assert buffer.read(*buffer.line_span(last)) == data.split(b"\n")[-1]
    buffer.close()


def test_hex_document_reads_virtual_lines():
    doc = HexDocument(ByteSource(data=bytes(range(40))))
    assert doc.line_count == 3
    start, end = doc.line_span(2)
    assert doc.read(start, end).decode().startswith("00000020  20 21 22")
    assert doc.line_of_offset(doc.line_start(1) + 5) == 1


def test_format_in_memory_falls_back_to_raw_for_invalid_json():
    out = format_in_memory(b'{"a": \xff', FormatJob("pretty", ContentKind.JSON))
    assert out.text == '{"a": \ufffd'.encode()
    assert "Not valid JSON" in out.notice
    assert out.folds is None


def _run_worker(tmp_path, body: bytes, *args: str):
    source, output, folds = tmp_path / "in", tmp_path / "out", tmp_path / "folds"
    source.write_bytes(body)
    cmd = [sys.executable, "-m", "explorer.core.text.format_worker", "--input", str(source)]
    cmd += ["--output", str(output), "--folds", str(folds), *args]
    proc = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    return proc.returncode, events, output


def test_worker_process_writes_pretty_text_and_reports_blocks(tmp_path):
    body = json.dumps([{"id": i, "tags": ["x"] * 3} for i in range(30000)]).encode()
    code, events, output = _run_worker(tmp_path, body, "--mode", "pretty", "--kind", "json")
    assert code == 0
    assert output.read_bytes() == pretty_json(body)
    # The first lines went out before the whole body was parsed, and were not redone.
    assert "reset" not in [e["event"] for e in events]
    data_events = [e for e in events if e["event"] == "data"]
    assert len(data_events) > 1  # sliced, not one big message
    assert sum(sum(e["blocks"]) for e in data_events) == pretty_json(body).count(b"\n")
    kinds = [e["event"] for e in events]
    assert kinds[-3:] == ["text_done", "folds", "done"]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, indent=st.sampled_from([None, 2, 4]), data=st.data())
def test_head_of_a_document_begins_its_pretty_text(value, indent, data):
    document = json.dumps(value, indent=indent, ensure_ascii=False).encode()
    cut = data.draw(st.integers(0, len(document)))
    head = pretty_json_head(document[:cut])
    assert pretty_json(document).startswith(head)


def test_head_stops_at_a_string_cut_in_half():
    document = b'[{"a": 1}, {"b": "x, [y"}, 3]'
    head = pretty_json_head(document[: document.index(b"[y")])
    assert head == b'[\n  {\n    "a": 1\n  },\n'


def test_worker_shows_a_large_body_first_lines_and_still_ends_right(tmp_path):
    # A key repeated at the very end moves its first appearance's value: the preview
    # of the first lines is then wrong, and the worker starts the text again.
    records = ",".join(f'{{"id": {i}}}' for i in range(20000))
    body = f'{{"a": 1, "list": [{records}], "a": 2}}'.encode()
    code, events, output = _run_worker(tmp_path, body, "--mode", "pretty", "--kind", "json")
    assert code == 0 and output.read_bytes() == pretty_json(body)
    kinds = [e["event"] for e in events]
    assert kinds.index("data") < kinds.index("reset")


def test_worker_preview_is_withdrawn_for_a_body_invalid_at_its_end(tmp_path):
    body = json.dumps([{"id": i} for i in range(20000)]).encode()[:-1]  # no final ]
    code, events, output = _run_worker(tmp_path, body, "--mode", "pretty", "--kind", "json")
    assert code == 0 and output.read_bytes() == body
    kinds = [e["event"] for e in events]
    assert kinds.index("data") < kinds.index("reset") and "notice" in kinds


def test_worker_process_reports_filter_errors(tmp_path):
    code, events, _ = _run_worker(
        tmp_path, b'{"a": "x"}', "--mode", "filter", "--kind", "json", "--expression", "abs(a)"
    )
    assert code == 2
    assert events[-1]["event"] == "error" and "failed" in events[-1]["message"]
