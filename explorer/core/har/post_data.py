"""HAR `postData` and request bodies, both ways.

Reading (`read_post_data`): `text` (base64 when `encoding` or `_encoding` says so),
`params` for urlencoded forms and multipart bodies (a file part's recorded content
becomes a file beside the collection), or a multipart body recorded as raw text, which
is split into its parts. Binary bytes become a binary body whose file is written beside
the collection (an editor text field cannot hold them), and so does the recorded content
of a file part, under its own name: it is sent under that name again.

Writing (`post_data`): what went out, exactly: UTF-8 text as `text`; other bytes as
base64 with `encoding: base64` (the HAR 1.2 `content` field's name, which Chrome's and
Firefox's importers and ours read) and `_encoding` (the custom-field spelling others
read); a multipart body as `params` (name, value, fileName, contentType) with the real
mimeType and its boundary; a urlencoded form as `text` and `params`, as browsers do.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from explorer.core.formats.common import FormatError
from explorer.core.formats.document import as_dict, as_list, as_text, child
from explorer.core.har.multipart import (
    FormPart,
    boundary_of,
    is_multipart,
    join_parts,
    split_parts,
)
from explorer.core.model import Body, BodyKind, Pair, Part

FORM_TYPE = "application/x-www-form-urlencoded"
_UNSAFE = re.compile(r"[^\w.-]+")
# Names a file beside the collection must not take: its own folder of environments and
# the device names Windows reserves.
_RESERVED = {"environments", "con", "prn", "aux", "nul"} | {
    f"{kind}{n}" for kind in ("com", "lpt") for n in range(1, 10)
}


@dataclass
class ReadBody:
    """What one entry's postData gives: the editor body, the bytes that went out, the
    files to write beside the collection, and what could not be carried over."""

    body: Body = field(default_factory=Body)
    sent: bytes = b""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_post_data(value: Any, path: str, index: int, used: set[str]) -> ReadBody:
    """The body of `postData` at `path`. Files it brings are named after the file the
    part had (so that it is sent under that name again), made unique among `used`;
    `index` (the entry's) tells apart two files of the same name."""
    post = as_dict(value, path)
    read = ReadBody()
    if not post:
        return read
    mime = as_text(post.get("mimeType"), child(path, "mimeType"))
    base = mime.split(";")[0].strip().lower()
    params = as_list(post.get("params"), child(path, "params"))
    raw = _decoded(post, path)
    if not raw and not params:
        return read  # Fiddler writes an empty postData for every GET: no body
    if base == FORM_TYPE:
        if params:
            pairs = [(name, value) for name, value, *_ in _params(params, path)]
        else:
            pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
        read.body = Body(BodyKind.FORM, form=tuple(Pair(n, v) for n, v in pairs))
        read.sent = raw or urlencode(pairs).encode("utf-8")
        return read
    if is_multipart(base):
        parts = _multipart(params, raw, mime, path)
        if parts is not None:
            _multipart_body(read, parts, mime, index, used)
            return read
    read.sent = raw
    text = _text(raw)
    if text is None:
        name = _unique(f"body-{index + 1}.bin", index, 0, used)
        read.files.append((name, raw))
        read.body = Body(BodyKind.BINARY, file=name, content_type=mime)
        return read
    read.body = Body(BodyKind.RAW, text=text, content_type=mime)
    return read


def _decoded(post: dict[str, Any], path: str) -> bytes:
    text = as_text(post.get("text"), child(path, "text"))
    if _is_base64(post):
        return _base64(text, child(path, "text"))
    return text.encode("utf-8")


def _is_base64(row: dict[str, Any]) -> bool:
    encoding = row.get("encoding") or row.get("_encoding")
    return isinstance(encoding, str) and encoding.lower() == "base64"


def _base64(text: str, path: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise FormatError("Not valid base64, though its encoding says base64", path) from None


def _params(params: list[Any], path: str) -> list[tuple[str, str, str | None, str, bool]]:
    """(name, value, fileName or None, contentType, base64) of each param."""
    out = []
    for number, item in enumerate(params):
        where = child(child(path, "params"), number)
        row = as_dict(item, where)
        file_name = row.get("fileName")
        out.append(
            (
                as_text(row.get("name"), child(where, "name")),
                as_text(row.get("value"), child(where, "value")),
                None if file_name is None else as_text(file_name, child(where, "fileName")),
                as_text(row.get("contentType"), child(where, "contentType")),
                _is_base64(row),
            )
        )
    return out


def _multipart(params: list[Any], raw: bytes, mime: str, path: str) -> list[FormPart] | None:
    if params:
        parts = []
        for name, value, file_name, content_type, encoded in _params(params, path):
            data = _base64(value, path) if encoded else value.encode("utf-8")
            parts.append(FormPart(name, data, file_name, content_type))
        return parts
    return split_parts(raw, boundary_of(mime)) if raw else None


def _multipart_body(
    read: ReadBody, parts: list[FormPart], mime: str, index: int, used: set[str]
) -> None:
    editor = []
    unrecorded = []
    for number, part in enumerate(parts):
        if part.filename is None:
            editor.append(Part(part.name, part.data.decode("utf-8", "replace")))
            continue
        if not part.data:
            unrecorded.append(f"{part.filename or '(no name)'} (form field {part.name!r})")
            editor.append(Part(part.name, file=part.filename, content_type=part.content_type))
            continue
        name = _unique(_safe(part.filename), index, number + 1, used)
        read.files.append((name, part.data))
        editor.append(Part(part.name, file=name, content_type=part.content_type))
    read.body = Body(BodyKind.MULTIPART, parts=tuple(editor))
    read.sent = join_parts(parts, boundary_of(mime) or "----har-import")
    read.notes += [
        f"The content of the file {file} was not recorded: choose the file before sending."
        for file in unrecorded
    ]


def _safe(file_name: str) -> str:
    """A file name that stays in the collection folder and is never read as a request,
    a folder of it or a hidden file."""
    name = _UNSAFE.sub("_", file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("._")
    name = name[:80] or "file"
    if name.lower().split(".")[0] in _RESERVED:
        name = "file-" + name
    return name + ".data" if name.lower().endswith((".yaml", ".yml")) else name


def _unique(name: str, index: int, number: int, used: set[str]) -> str:
    if name.lower() in used:
        name = f"{index + 1}-{number}-{name}"
        while name.lower() in used:
            name = "x" + name
    used.add(name.lower())
    return name


# ---- writing -------------------------------------------------------------------------------


def post_data(body: bytes, content_type: str) -> dict[str, Any] | None:
    """The HAR postData of a request body that went out (None when there was none)."""
    if not body:
        return None
    base = content_type.split(";")[0].strip().lower()
    if is_multipart(base):
        parts = split_parts(body, boundary_of(content_type))
        if parts is not None:
            return {"mimeType": content_type, "params": [_param(part) for part in parts]}
    text = _text(body)
    if text is None:
        encoded = base64.b64encode(body).decode("ascii")
        return {
            "mimeType": content_type,
            "text": encoded,
            "encoding": "base64",
            "_encoding": "base64",
            "comment": "the body's bytes in base64",
        }
    post: dict[str, Any] = {"mimeType": content_type, "text": text}
    if base == FORM_TYPE:
        post["params"] = [{"name": n, "value": v} for n, v in parse_qsl(text, True)]
    return post


def _param(part: FormPart) -> dict[str, Any]:
    row: dict[str, Any] = {"name": part.name}
    if part.filename is not None:
        row["fileName"] = part.filename
    if part.content_type:
        row["contentType"] = part.content_type
    text = _text(part.data)
    if text is None:
        row["value"] = base64.b64encode(part.data).decode("ascii")
        row["encoding"] = row["_encoding"] = "base64"
    else:
        row["value"] = text
    return row


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _text(data: bytes) -> str | None:
    """`data` as text when it is UTF-8 without control characters (but tab, line
    breaks and form feed); None for bytes that are better written in base64."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else text
