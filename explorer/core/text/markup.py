"""Streaming re-indentation of XML (expat) and HTML (html.parser) for the Pretty view.

Both printers take text in chunks and hand back indented text as they go, so a large
document shows its first screen before the whole of it has been parsed. The parsing is
done by the standard library; this module only decides where lines break:
an element whose content is only text stays on one line, everything else gets one line
per child, indented by two spaces.
"""

from __future__ import annotations

from html.parser import HTMLParser
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from explorer.core.text.content import ContentError

INDENT = "  "
HTML_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
HTML_VERBATIM = frozenset({"pre", "textarea", "script", "style"})
# Elements whose end tag HTML allows to be left out: a sibling start closes them.
_HTML_IMPLIED_END = {
    "p": {"p"},
    "li": {"li"},
    "option": {"option"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr"},
    "td": {"td", "th"},
    "th": {"td", "th"},
}


class _Indenter:
    """Writes start/end/text/other events as indented lines into a list of strings."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (name, has element children)
        self.text: list[str] = []
        self.tag_open = False  # last start tag written without its '>'
        self.started = False

    def _line(self, content: str) -> None:
        if self.started:
            self.parts.append("\n")
        self.started = True
        self.parts.append(INDENT * len(self.stack))
        self.parts.append(content)

    def _close_tag(self) -> None:
        if self.tag_open:
            self.parts.append(">")
            self.tag_open = False

    def _child_starts(self) -> None:
        """Something that needs its own line arrives: pending text goes on a line first."""
        pending = "".join(self.text).strip()
        self.text.clear()
        self._close_tag()
        if self.stack:
            self.stack[-1] = (self.stack[-1][0], True)
        if pending:
            self._line(pending)

    def start(self, tag_text: str, name: str) -> None:
        """An element opens; `tag_text` is its start tag without the final '>'."""
        self._child_starts()
        self._line(tag_text)
        self.tag_open = True
        self.stack.append((name, False))

    def leaf(self, tag_text: str) -> None:
        """A complete element or markup item on a line of its own (void tag, comment, PI)."""
        self._child_starts()
        self._line(tag_text)

    def add_text(self, text: str) -> None:
        """Character data, already escaped as it must appear in the output."""
        self.text.append(text)

    def end(self, end_text: str, self_close: str | None = None) -> None:
        """The innermost element closes. `self_close` replaces '>' + end tag when empty."""
        _, has_children = self.stack.pop()
        content = "".join(self.text)
        self.text.clear()
        if not has_children and self.tag_open:
            self.tag_open = False
            if not content.strip() and self_close is not None:
                self.parts.append(self_close)
            else:
                self.parts.append(">" + content + end_text)
            return
        pending = content.strip()
        self._close_tag()
        if pending:
            self.stack.append(("", True))
            self._line(pending)
            self.stack.pop()
        self._line(end_text)

    def finish(self) -> None:
        """Flush whatever text is left after the last element."""
        while self.stack:
            self.end(f"</{self.stack[-1][0]}>")
        pending = "".join(self.text).strip()
        self.text.clear()
        if pending:
            self._line(pending)

    def drain(self) -> str:
        """The output produced since the last call."""
        out = "".join(self.parts)
        self.parts.clear()
        return out


class XmlPrettyPrinter:
    """Re-indents XML fed in text chunks. Raises ContentError on malformed XML."""

    def __init__(self) -> None:
        self._out = _Indenter()
        # The text is already decoded, so whatever the declaration says it is UTF-8 now.
        self._parser = expat.ParserCreate(encoding="utf-8")
        self._parser.ordered_attributes = True
        self._parser.buffer_text = True
        self._in_cdata = False
        p = self._parser
        p.XmlDeclHandler = self._on_decl
        p.StartDoctypeDeclHandler = self._on_doctype
        p.StartElementHandler = self._on_start
        p.EndElementHandler = self._on_end
        p.CharacterDataHandler = self._on_text
        p.CommentHandler = lambda data: self._out.leaf(f"<!--{data}-->")
        p.ProcessingInstructionHandler = lambda t, d: self._out.leaf(f"<?{t} {d}?>")
        p.StartCdataSectionHandler = self._on_cdata_start
        p.EndCdataSectionHandler = self._on_cdata_end

    def _on_decl(self, version: str | None, encoding: str | None, standalone: int) -> None:
        decl = f'<?xml version="{version or "1.0"}"'
        if encoding:
            decl += f' encoding="{encoding}"'
        if standalone != -1:
            decl += f' standalone="{"yes" if standalone else "no"}"'
        self._out.leaf(decl + "?>")

    def _on_doctype(self, name: str, system_id: str | None, public_id: str | None, _: int) -> None:
        text = f"<!DOCTYPE {name}"
        if public_id:
            text += f' PUBLIC "{public_id}" "{system_id or ""}"'
        elif system_id:
            text += f' SYSTEM "{system_id}"'
        self._out.leaf(text + ">")

    def _on_start(self, name: str, attrs: list[str]) -> None:
        pairs = (f" {attrs[i]}={quoteattr(attrs[i + 1])}" for i in range(0, len(attrs), 2))
        self._out.start(f"<{name}{''.join(pairs)}", name)

    def _on_end(self, name: str) -> None:
        self._out.end(f"</{name}>", self_close="/>")

    def _on_text(self, data: str) -> None:
        self._out.add_text(data if self._in_cdata else escape(data))

    def _on_cdata_start(self) -> None:
        self._in_cdata = True
        self._out.add_text("<![CDATA[")

    def _on_cdata_end(self) -> None:
        self._in_cdata = False
        self._out.add_text("]]>")

    def feed(self, text: str, final: bool = False) -> str:
        """Parse the next chunk; returns the indented text produced so far."""
        try:
            self._parser.Parse(text, final)
        except expat.ExpatError as exc:
            raise ContentError(
                f"Not well-formed XML: {expat.ErrorString(exc.code)} "
                f"(line {exc.lineno}, column {exc.offset + 1})"
            ) from exc
        if final:
            self._out.finish()
        return self._out.drain()


class HtmlPrettyPrinter(HTMLParser):
    """Re-indents HTML fed in text chunks. Tolerant: never raises on bad markup.

    Entities are kept as written; `pre`, `textarea`, `script` and `style` keep their
    content exactly.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self._out = _Indenter()
        self._verbatim = 0  # depth inside elements whose content must not be re-flowed

    def _open_names(self) -> list[str]:
        return [name for name, _ in self._out.stack]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Called by HTMLParser for `<tag ...>`."""
        text = self.get_starttag_text() or f"<{tag}>"
        if self._verbatim:
            self._out.add_text(text)
            if tag in HTML_VERBATIM:
                self._verbatim += 1
            return
        closes = _HTML_IMPLIED_END.get(tag)
        if closes and self._out.stack and self._out.stack[-1][0] in closes:
            self._out.end(f"</{self._out.stack[-1][0]}>")
        if tag in HTML_VOID:
            self._out.leaf(text)
            return
        self._out.start(text[:-1], tag)
        if tag in HTML_VERBATIM:
            self._verbatim = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Called for `<tag ... />`."""
        text = self.get_starttag_text() or f"<{tag}/>"
        if self._verbatim:
            self._out.add_text(text)
        else:
            self._out.leaf(text)

    def handle_endtag(self, tag: str) -> None:
        """Called for `</tag>`: closes up to the matching open element, if any."""
        if self._verbatim:
            if tag in HTML_VERBATIM:
                self._verbatim -= 1
            if self._verbatim:
                self._out.add_text(f"</{tag}>")
                return
        names = self._open_names()
        if tag not in names:
            self._out.leaf(f"</{tag}>")  # a stray end tag is shown, not dropped
            return
        while self._out.stack[-1][0] != tag:
            self._out.end(f"</{self._out.stack[-1][0]}>")
        self._out.end(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        """Text between tags, kept exactly (entities are not decoded)."""
        self._out.add_text(data)

    def handle_entityref(self, name: str) -> None:
        """`&name;` kept as written."""
        self._out.add_text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        """`&#nn;` kept as written."""
        self._out.add_text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        """`<!-- -->` on its own line."""
        self._emit_markup(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        """`<!DOCTYPE ...>`."""
        self._emit_markup(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        """`<?...>`."""
        self._emit_markup(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        """`<![CDATA[...]]>` and friends."""
        self._emit_markup(f"<![{data}]>")

    def _emit_markup(self, text: str) -> None:
        if self._verbatim:
            self._out.add_text(text)
        else:
            self._out.leaf(text)

    def feed_chunk(self, text: str, final: bool = False) -> str:
        """Parse the next chunk; returns the indented text produced so far."""
        self.feed(text)
        if final:
            self.close()
            self._out.finish()
        return self._out.drain()
