"""Hurl files (https://hurl.dev): parse, import into a collection, export a collection.

`parser.parse_hurl` reads the text into the small syntax tree of `syntax`; `importer`
turns it into a Collection (assertions and captures included) and `exporter` writes a
collection back as Hurl. The import registry (`explorer.core.formats`) calls the importer
through its guarded entry, so a hostile file ends in one FormatError, never a hang.
"""
