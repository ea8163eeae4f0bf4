"""The Preview mode: HTML rendered offline and images scaled to fit.

HTML goes into a QTextBrowser whose `loadResource` refuses every URL, so nothing remote
or local is fetched, and QTextDocument runs no scripts. Links look like links, so they
work: a click on an http(s) link opens it in the user's browser (resolved against the
response's URL), an in-page "#anchor" scrolls, and any other scheme (javascript:, file:,
data:) is refused with a sentence. Images are decoded with
QImageReader (PNG, JPEG, GIF, SVG through QtSvg, WebP through the qwebp plugin that
PySide6-Essentials ships; `supported_image_formats()` says what this install has).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QStackedWidget, QTextBrowser, QWidget

HTML_PREVIEW_LIMIT = 2 << 20  # QTextDocument lays out HTML in one call; beyond this it freezes


def supported_image_formats() -> list[str]:
    """Image formats Qt can decode in this installation."""
    return sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())


def read_image(data: bytes | None, path: Path | None) -> tuple[QImage, str, str]:
    """Decode an image: (image, format name, error message or "")."""
    if path is not None:
        reader = QImageReader(str(path))
    else:
        buffer = QBuffer()
        buffer.setData(QByteArray(data or b""))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    fmt = bytes(reader.format().data()).decode().upper()  # before read(): it is reset after
    image = reader.read()  # the buffer (a local) outlives this call
    return image, fmt, "" if not image.isNull() else reader.errorString()


OPENABLE_SCHEMES = ("http", "https")


def link_target(base_url: str, href: str) -> tuple[str, str]:
    """Where a clicked link goes: ("open", absolute URL), ("anchor", name) for a link
    inside the page, or ("refuse", why) for a scheme a browser should not be handed."""
    href = href.strip()
    if href.startswith("#"):
        return "anchor", href[1:]
    absolute = urljoin(base_url, href) if base_url else href
    scheme = urlsplit(absolute).scheme.lower()
    if scheme in OPENABLE_SCHEMES:
        return "open", absolute
    if not scheme:
        return "refuse", f"The link {href!r} is relative and this response has no URL."
    return "refuse", f"{scheme}: links are not opened from a preview."


class OfflineBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing: no images, no style sheets, no links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.refused: list[str] = []

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt override
        """Refuse every resource (remote or local); records what was asked for."""
        self.refused.append(url.toString() if isinstance(url, QUrl) else url)
        return None


class ImageView(QWidget):
    """Paints an image scaled down to fit (never up), centred, on a checkerboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = QImage()
        self.caption = ""
        self.setAccessibleName("Image preview")

    def set_image(self, image: QImage, caption: str) -> None:
        """Show `image` with a caption below it."""
        self.image = image
        self.caption = caption
        self.setAccessibleDescription(caption)
        self.update()

    def image_rect(self) -> QRectF:
        """Where the image is drawn."""
        if self.image.isNull():
            return QRectF()
        caption_h = self.fontMetrics().height() + 12
        area = QRectF(self.rect()).adjusted(12, 12, -12, -12 - caption_h)
        w, h = self.image.width(), self.image.height()
        scale = min(1.0, area.width() / max(1, w), area.height() / max(1, h))
        size_w, size_h = max(1.0, w * scale), max(1.0, h * scale)
        return QRectF(
            area.center().x() - size_w / 2, area.center().y() - size_h / 2, size_w, size_h
        )

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Checkerboard, scaled image, caption."""
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        target = self.image_rect()
        if not target.isNull():
            self._checkerboard(painter, target, palette)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, self.image)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        caption = QRectF(self.rect()).adjusted(8, 0, -8, -6)
        painter.drawText(caption, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                         self.caption)  # fmt: skip
        painter.end()

    @staticmethod
    def _checkerboard(painter: QPainter, rect: QRectF, palette: QPalette) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        other = QColor(base).lighter(130) if base.lightness() < 128 else QColor(base).darker(108)
        painter.save()
        painter.setClipRect(rect)
        step = 8
        y = int(rect.top())
        while y < rect.bottom():
            x = int(rect.left())
            while x < rect.right():
                odd = ((x - int(rect.left())) // step + (y - int(rect.top())) // step) % 2
                painter.fillRect(x, y, step, step, other if odd else base)
                x += step
            y += step
        painter.restore()


class PreviewPane(QStackedWidget):
    """HTML, image, or a message saying why there is no preview.

    `open_requested(url)`: the user clicked a link to `url` (absolute, http or https);
    `link_refused(why)`: a link that is not opened; `link_hovered(url)`: "" when none.
    """

    open_requested = Signal(str)
    link_refused = Signal(str)
    link_hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base_url = ""  # the response's URL: relative links resolve against it
        self.browser = OfflineBrowser(self)
        self.browser.setAccessibleName("HTML preview")
        self.browser.anchorClicked.connect(self._on_link)
        self.browser.highlighted.connect(self._on_hover)
        self.image_view = ImageView(self)
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Preview message")
        for widget in (self.browser, self.image_view, self.message):
            self.addWidget(widget)

    def _on_link(self, url: QUrl) -> None:
        kind, value = link_target(self.base_url, url.toString())
        if kind == "anchor":
            self.browser.scrollToAnchor(value)
        elif kind == "open":
            self.open_requested.emit(value)
        else:
            self.link_refused.emit(value)

    def _on_hover(self, url: QUrl) -> None:
        text = url.toString()
        if not text:
            self.link_hovered.emit("")
            return
        kind, value = link_target(self.base_url, text)
        self.link_hovered.emit(value if kind == "open" else "")

    def show_html(self, html: str) -> None:
        """Render HTML offline."""
        self.browser.refused.clear()
        self.browser.setHtml(html)
        self.setCurrentWidget(self.browser)

    def show_image(self, data: bytes | None, path: Path | None, size: int) -> bool:
        """Decode and show an image; shows the decoder's message and returns False if not."""
        image, fmt, error = read_image(data, path)
        if image.isNull():
            self.show_message(f"This image could not be decoded: {error or 'unknown format'}.")
            return False
        caption = f"{fmt} \u00b7 {image.width()} \u00d7 {image.height()} px \u00b7 {size:,} bytes"
        self.image_view.set_image(image, caption)
        self.setCurrentWidget(self.image_view)
        return True

    def show_message(self, text: str) -> None:
        """Explain why there is nothing to preview."""
        self.message.setText(text)
        self.setCurrentWidget(self.message)
