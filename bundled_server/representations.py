"""One item, four representations: the uniform-interface lesson in code.

The resource is the same; only the media type changes. Each representation gets its
own strong ETag (RFC 9110 §8.8.3 wants validators to differ between
representations), built from the same state hash with a suffix.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from flask import json, render_template

Renderer = Callable[[dict[str, Any]], str]

FIELDS = (
    "id",
    "name",
    "description",
    "price",
    "category",
    "tags",
    "in_stock",
    "owner_id",
    "created_at",
    "updated_at",
)


def to_json(item: dict[str, Any]) -> str:
    """The default representation."""
    return json.dumps(item, indent=2, ensure_ascii=False) + "\n"


def to_xml(item: dict[str, Any]) -> str:
    """``<item id="1"><name>…</name>…</item>``; ElementTree escapes every value."""
    root = ET.Element("item", id=str(item["id"]))
    for field in FIELDS[1:]:
        value = item.get(field)
        element = ET.SubElement(root, field)
        if isinstance(value, list):
            for entry in value:
                ET.SubElement(element, "tag").text = str(entry)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        elif value is not None:
            element.text = str(value)
    for rel, link in item.get("_links", {}).items():
        ET.SubElement(root, "link", rel=rel, href=link["href"])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def to_csv(item: dict[str, Any]) -> str:
    """A header row and one data row (tags joined with ``;``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(FIELDS)
    row = []
    for field in FIELDS:
        value = item.get(field)
        if isinstance(value, list):
            value = ";".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        row.append("" if value is None else value)
    writer.writerow(row)
    return out.getvalue()


def to_html(item: dict[str, Any]) -> str:
    """A small page; Jinja autoescaping keeps user-written names harmless."""
    return render_template("item.html", item=item, fields=FIELDS)


# Order matters: with no preference (no Accept, or */*) the first one wins.
REPRESENTATIONS: dict[str, tuple[Renderer, str]] = {
    "application/json": (to_json, ""),
    "application/xml": (to_xml, "-xml"),
    "text/html": (to_html, "-html"),
    "text/csv": (to_csv, "-csv"),
}
