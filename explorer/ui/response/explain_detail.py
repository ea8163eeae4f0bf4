"""One finding of the Explain tab in full, and the marks of the severities.

The text says why the finding matters in plain words, and links the specification
sections its rule rests on ("RFC 9110 §15.3.2 201 Created") and the lesson that teaches
it ("lesson:SLUG" links: the Learn panel opens them). The severity marks are painted in
the theme's colours (no image files to keep in step with two themes).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from explorer.core.explain.findings import Finding, Severity
from explorer.ui.widgets.theme import palette

# The colour role and the word of each severity; INFO reads as a "note", as REDbot says.
SEVERITY_ROLE = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
SEVERITY_WORD = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
_CODE = re.compile(r"`([^`\n]{1,200})`")  # after escaping: no markup inside
# Words a lesson's slug spells in lower case that are written otherwise.
_CAPITALS = {"api": "API", "http": "HTTP", "wsgi": "WSGI", "rest": "REST", "flask": "Flask"}


def lesson_title(slug: str) -> str:
    """ "http-methods" → "HTTP methods": a lesson's name from its slug."""
    words = [_CAPITALS.get(word, word) for word in slug.split("-") if word]
    if not words:
        return slug
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def severity_icon(severity: Severity, size: int = 16, ratio: float = 1.0) -> QImage:
    """The mark of a severity in the current theme's colours: a red disc with a cross
    (error), an amber triangle with "!" (warning), a blue disc with "i" (note). The
    glyph is cut in the background's colour, so it reads in both themes."""
    colours = palette()
    pixels = max(1, round(size * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colours.qcolor(SEVERITY_ROLE[severity]))
    box = QRectF(1, 1, size - 2, size - 2)
    if severity is Severity.WARNING:
        triangle = QPainterPath()
        triangle.moveTo(box.center().x(), box.top())
        triangle.lineTo(box.right(), box.bottom())
        triangle.lineTo(box.left(), box.bottom())
        triangle.closeSubpath()
        painter.drawPath(triangle)
    else:
        painter.drawEllipse(box)
    glyph = colours.qcolor("background")
    painter.setBrush(glyph)
    middle = box.center().x()
    unit = size / 16
    if severity is Severity.ERROR:
        pen_width = 2.0 * unit
        painter.setPen(_pen(glyph, pen_width))
        reach = 3.2 * unit
        centre = box.center()
        painter.drawLine(
            QPointF(centre.x() - reach, centre.y() - reach),
            QPointF(centre.x() + reach, centre.y() + reach),
        )
        painter.drawLine(
            QPointF(centre.x() + reach, centre.y() - reach),
            QPointF(centre.x() - reach, centre.y() + reach),
        )
    elif severity is Severity.WARNING:
        painter.drawRoundedRect(QRectF(middle - unit, 5.5 * unit, 2 * unit, 5 * unit), unit, unit)
        painter.drawEllipse(QRectF(middle - unit, 11.5 * unit, 2 * unit, 2 * unit))
    else:
        painter.drawEllipse(QRectF(middle - unit, 3.6 * unit, 2 * unit, 2 * unit))
        painter.drawRoundedRect(QRectF(middle - unit, 6.6 * unit, 2 * unit, 5.6 * unit), unit, unit)
    painter.end()
    return image


def clean_icon(size: int = 16, ratio: float = 1.0) -> QImage:
    """The mark of an exchange with nothing to say: a green disc with a tick."""
    colours = palette()
    pixels = max(1, round(size * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colours.qcolor("success"))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    unit = size / 16
    tick = QPainterPath()
    tick.moveTo(4.5 * unit, 8.2 * unit)
    tick.lineTo(7 * unit, 10.8 * unit)
    tick.lineTo(11.5 * unit, 5.5 * unit)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(_pen(colours.qcolor("background"), 2.0 * unit))
    painter.drawPath(tick)
    painter.end()
    return image


def _pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour)
    pen.setWidthF(width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


class FindingText(QTextBrowser):
    """One finding in full: what it is, why it matters, the specifications, the lesson.
    Its links are not followed here: `anchorClicked` tells the Explain tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Finding details")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.finding: Finding | None = None

    def show_finding(self, finding: Finding | None) -> None:
        self.finding = finding
        self.render_finding()

    def render_finding(self) -> None:
        """(Re)write the text in the current theme's colours."""
        finding = self.finding
        if finding is None:
            self.setHtml(
                f"<p style='color:{palette().muted}'>Select a finding to read why it matters.</p>"
            )
            return
        self.document().addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl("severity:mark"),
            severity_icon(finding.severity, 18, self.devicePixelRatioF()),
        )
        self.setHtml(finding_html(finding))


def _inline_code(text: str) -> str:
    """Plain text as rich text, `backquoted` spans (header lines, code) in the code font,
    as the rules write them."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def finding_html(finding: Finding) -> str:
    """The detail of a finding as rich text; its links are "lesson:SLUG" and the
    specifications' addresses."""
    colours = palette()
    rule = finding.rule
    word = SEVERITY_WORD[finding.severity]
    role = SEVERITY_ROLE[finding.severity]
    paragraphs = "".join(
        f"<p>{_inline_code(part.strip())}</p>"
        for part in finding.explanation.split("\n\n")
        if part.strip()
    )
    parts = [
        "<table cellspacing='0' cellpadding='0'><tr>"
        "<td valign='middle'><img src='severity:mark' width='18' height='18'></td>"
        f"<td valign='middle' style='padding-left:8px'><b>{html.escape(finding.summary)}</b>"
        "</td></tr></table>",
        f"<p style='color:{colours.muted}'><span style='color:{getattr(colours, role)}'>"
        f"{word}</span> · {html.escape(rule.category.value)} · "
        f"<code>{html.escape(rule.id)}</code></p>",
        paragraphs,
    ]
    if rule.references:
        links = "<br>".join(
            f"<a href='{html.escape(ref.url, quote=True)}'>{html.escape(ref.label)}</a>"
            for ref in rule.references
        )
        parts.append(f"<p><b>Specification</b><br>{links}</p>")
    if rule.lesson:
        slug = html.escape(rule.lesson, quote=True)
        parts.append(
            f"<p><b>Learn</b><br><a href='lesson:{slug}'>Read the lesson: "
            f"{html.escape(lesson_title(rule.lesson))}</a></p>"
        )
    return "".join(parts)
