"""multipart/form-data bodies as parts and back (RFC 7578), bounded.

A HAR archive records a multipart body either as `postData.params` or as the raw text;
the history keeps the bytes that went out. Both directions go through here: the bytes
split into named parts (with a file name and content type for file parts), and parts
joined into bytes with a given boundary, the way browsers and `requests` write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

MAX_PARTS = 1000  # a form with more parts is not something a person built


@dataclass(frozen=True)
class FormPart:
    """One part: a field (`filename` None) or a file (its name may be "")."""

    name: str
    data: bytes
    filename: str | None = None
    content_type: str = ""


def boundary_of(content_type: str) -> str:
    """The boundary parameter of a multipart Content-Type ("" when there is none)."""
    message = Message()
    message["content-type"] = content_type
    value = message.get_param("boundary", header="content-type")
    return value if isinstance(value, str) else ""


def is_multipart(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "multipart/form-data"


def split_parts(body: bytes, boundary: str) -> list[FormPart] | None:
    """The parts of `body`, or None when it is not a well-formed multipart body with
    this boundary (cut short, say, or another boundary)."""
    if not boundary or len(boundary) > 200:
        return None
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    if not body.startswith(delimiter):
        return None
    pieces = body.split(b"\r\n" + delimiter)
    if len(pieces) > MAX_PARTS + 1 or not pieces[-1].startswith(b"--"):
        return None  # no closing delimiter: the body was cut
    pieces[0] = pieces[0][len(delimiter) :]
    parts = []
    for piece in pieces[:-1]:
        part = _part(piece)
        if part is None:
            return None
        parts.append(part)
    return parts


def _part(piece: bytes) -> FormPart | None:
    if not piece.startswith(b"\r\n"):
        return None
    head, separator, data = piece[2:].partition(b"\r\n\r\n")
    if not separator:
        head, separator, data = piece[2:].partition(b"\r\n")
        if head or not separator:  # a part without headers has no name
            return None
    message = Message()
    for line in head.decode("utf-8", "replace").split("\r\n"):
        key, colon, text = line.partition(":")
        if colon:
            message[key.strip()] = text.strip()
    disposition = message.get("content-disposition", "")
    if not disposition.lower().startswith("form-data"):
        return None
    name = message.get_param("name", header="content-disposition")
    filename = message.get_param("filename", header="content-disposition")
    return FormPart(
        name=_text(name),
        data=data,
        filename=None if filename is None else _text(filename),
        content_type=message.get("content-type", ""),
    )


def _text(value: object) -> str:
    if isinstance(value, tuple):  # RFC 2231 (filename*=utf-8''…)
        charset, _language, text = value
        try:
            return bytes(text, "latin-1").decode(charset or "utf-8")
        except (LookupError, UnicodeError):
            return str(text)
    return "" if value is None else str(value)


_QUOTE = re.compile(r'["\\\r\n]')


def join_parts(parts: list[FormPart], boundary: str) -> bytes:
    """`parts` as a multipart body with `boundary` (quotes and line breaks in names
    percent-encoded, as browsers do)."""
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    out = []
    for part in parts:
        disposition = f'form-data; name="{_quoted(part.name)}"'
        if part.filename is not None:
            disposition += f'; filename="{_quoted(part.filename)}"'
        head = f"Content-Disposition: {disposition}\r\n"
        if part.content_type:
            head += f"Content-Type: {part.content_type}\r\n"
        out.append(delimiter + b"\r\n" + head.encode("utf-8") + b"\r\n" + part.data + b"\r\n")
    return b"".join(out) + delimiter + b"--\r\n"


def _quoted(text: str) -> str:
    return _QUOTE.sub(lambda m: f"%{ord(m.group()):02X}", text)
