"""The body of one .http request: text, a form, a file, or multipart parts.

The body is every line after the first blank line that follows the headers, up to the
next `###`, without response handlers (`> {% … %}`, `>> file`) and without trailing
blank lines, which every tool drops (httpyac keeps them before a `<--->` line; our own
`# body: ends with N newlines` comment puts them back). A single `< path` line is a file
body; a `multipart/form-data` body with its boundary is read into parts, a `< path` in a
part being a file part. A body that cannot be read as parts stays text, and says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

from explorer.core.dothttp.syntax import BODY_END, FILE_INCLUDE, FORM_TYPE, MULTIPART_TYPE
from explorer.core.formats.common import split_url
from explorer.core.http.prepare import file_part_type
from explorer.core.model import Body, BodyKind, Pair, Part

__all__ = ["parse_body"]

_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)
_DISPOSITION = re.compile(
    r'^form-data\s*;\s*name="([^"]*)"(?:\s*;\s*filename="([^"]*)")?\s*$', re.IGNORECASE
)
_PART_HEADER = re.compile(r"^([^:\s][^:]*):\s*(.*?)\s*$")


def parse_body(
    lines: list[str],
    headers: list[Pair],
    name: str,
    report: list[str],
    base_dir: Path | None,
    newlines: int = 0,
) -> tuple[Body, list[Pair]]:
    """The body of `lines` (after the blank line) and the headers without the
    Content-Type the body took."""
    lines = _body_lines(lines, name, report)
    if not lines:
        return Body(), headers
    content_type = ""
    for pair in headers:
        if pair.name.lower() == "content-type":
            content_type = pair.value
            headers = [other for other in headers if other is not pair]
            break
    media = content_type.split(";")[0].strip().lower()
    include = FILE_INCLUDE.match(lines[0].strip())
    if include and len(lines) == 1:
        if include.group(1) is not None:
            report.append(f"Variables inside the file {include.group(2)} will not be replaced.")
        path = _resolve(include.group(2), base_dir)
        return Body(BodyKind.BINARY, file=path, content_type=content_type), headers
    if media == FORM_TYPE:
        joined = "".join(line.strip() for line in lines)
        _, pairs = split_url("?" + joined)
        if _form_exact(pairs, joined):
            return Body(BodyKind.FORM, form=pairs), headers
        # The app would re-encode it (`%20` as `+`, `key=` as `key`): send it as written.
        return Body(BodyKind.RAW, text=joined, content_type=content_type), headers
    if media == MULTIPART_TYPE:
        parts = _parts(lines, content_type, base_dir, name, report)
        if parts is not None:
            return Body(BodyKind.MULTIPART, parts=parts), headers
    if any(FILE_INCLUDE.match(line.strip()) for line in lines):
        report.append(
            f"File references inside the body of {name or 'a request'} were kept as text."
        )
    text = "\n".join(lines) + "\n" * newlines
    return Body(BodyKind.RAW, text=text, content_type=content_type), headers


_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}")


def _form_exact(pairs: tuple[Pair, ...], written: str) -> bool:
    """Whether API Explorer sends these pairs as the very text written (it encodes a
    form as `requests` does); a {{variable}} is filled in first, so it is masked."""

    def masked(text: str) -> str:
        return _PLACEHOLDER.sub("v", text)

    sent = urlencode([(masked(pair.name), masked(pair.value)) for pair in pairs if pair.name])
    return sent == masked(written)


def _body_lines(lines: list[str], name: str, report: list[str]) -> list[str]:
    kept = []
    in_script = False
    for line in lines:
        stripped = line.strip()
        if in_script:
            in_script = "%}" not in stripped
            continue
        if stripped.startswith(("> {%", ">{%")):  # translated by HttpLinks
            in_script = "%}" not in stripped[3:]
            continue
        if stripped.startswith((">>", "<>")) or re.match(r"^>\s*\S+\.js$", stripped):
            report.append(
                f"The response handler or output of {name or 'a request'} was not imported."
            )
            continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    if kept and kept[-1].strip() == BODY_END:
        kept.pop()  # httpyac: the blank lines before it belong to the body
    return kept


def _resolve(path: str, base_dir: Path | None) -> str:
    if base_dir is not None and not Path(path).is_absolute():
        return str(base_dir / path)
    return path


def _parts(
    lines: list[str], content_type: str, base_dir: Path | None, name: str, report: list[str]
) -> tuple[Part, ...] | None:
    """The parts of a multipart body, or None when it is not one we can carry (it then
    stays text): text before the first boundary, a part without a form-data name,
    headers other than Content-Type, no closing boundary."""
    found = _BOUNDARY.search(content_type)
    if found is None:
        return None
    boundary = found.group(1) or found.group(2)
    chunks: list[list[str]] = []
    closed = False
    for line in lines:
        stripped = line.rstrip()
        if stripped == f"--{boundary}--":
            closed = True
            break
        if stripped == f"--{boundary}":
            chunks.append([])
        elif chunks:
            chunks[-1].append(line)
        elif line.strip():
            return None
    if not closed or not chunks:
        return None
    parts = []
    for chunk in chunks:
        part = _part(chunk, base_dir, name, report)
        if part is None:
            return None
        parts.append(part)
    return tuple(parts)


def _part(chunk: list[str], base_dir: Path | None, name: str, report: list[str]) -> Part | None:
    index = 0
    disposition = None
    content_type = ""
    while index < len(chunk) and chunk[index].strip():
        header = _PART_HEADER.match(chunk[index].strip())
        if header is None:
            return None
        if header.group(1).lower() == "content-disposition":
            disposition = _DISPOSITION.match(header.group(2))
        elif header.group(1).lower() == "content-type":
            content_type = header.group(2)
        else:
            return None
        index += 1
    if disposition is None:
        return None
    content = chunk[index + 1 :]
    filled = [line for line in content if line.strip()]
    # `< path` may be followed by blank lines before the next boundary (JetBrains' own
    # examples write one): it is still the file.
    include = FILE_INCLUDE.match(filled[0].strip()) if len(filled) == 1 else None
    if include and content[0].strip() != filled[0].strip():
        include = None
    field, filename = disposition.group(1), disposition.group(2)
    if include:
        path = _resolve(include.group(2), base_dir)
        own = Path(include.group(2)).name
        if filename is not None and filename != own:
            report.append(
                f"The file part {field!r} of {name or 'a request'} is sent with the file's "
                f"own name, not {filename!r}."
            )
        if not content_type:
            report.append(
                f"The file part {field!r} of {name or 'a request'} has no Content-Type: "
                f"API Explorer sends {file_part_type(own)} (as curl does), the .http tools none."
            )
        elif content_type.lower() == file_part_type(own):
            content_type = ""  # what API Explorer sends for this file anyway
        return Part(field, file=path, content_type=content_type)
    if filename is not None:
        report.append(
            f"The part {field!r} of {name or 'a request'} is sent as text, without its "
            f"file name {filename!r}."
        )
    return Part(field, value="\n".join(content), content_type=content_type)
