"""Every colour the window draws with, by role, once per theme.

Highlighters, charts, labels and the extra style sheet all read a `Palette` (through
`theme.palette()`), so a hue is defined once and the two themes cannot drift apart.
No other module holds a colour literal (tests/ui/test_palette.py checks it, and checks
the contrast of every text role against its theme's background).

Colours are strings Qt and style sheets both accept: "#rrggbb", or "#aarrggbb" for the
translucent search highlights.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor


@dataclass(frozen=True)
class Palette:
    """The colour of each role in one theme."""

    # What text is drawn on: qdarkstyle's base for views and editors. The contrast
    # test measures every text role against it.
    background: str

    # Text: messages, status classes, links.
    muted: str  # secondary text, read-only rows, 1xx statuses
    error: str  # problems, unresolved variables, 5xx statuses
    warning: str  # warnings, 4xx statuses
    success: str  # 2xx statuses
    info: str  # 3xx statuses
    link: str  # links in rich text (the application palette's Link role)

    # Syntax colouring, shared by the response viewer, the body editor and generated code.
    syntax_key: str
    syntax_string: str
    syntax_number: str
    syntax_keyword: str
    syntax_punct: str
    syntax_tag: str
    syntax_attr: str
    syntax_comment: str

    # A resolved {{variable}}: text on its own tint (unresolved ones use `error`).
    variable_known: str
    variable_known_background: str

    # Method names in the collections tree.
    method_get: str
    method_post: str
    method_put: str
    method_patch: str
    method_delete: str
    method_other: str  # HEAD, OPTIONS and unknown methods

    # Timing waterfall bars (graphics: measured at 3:1, not 4.5:1).
    timing_dns: str
    timing_connect: str
    timing_tls: str
    timing_send: str
    timing_wait: str
    timing_download: str

    # Search highlights in the response viewer, translucent over the text.
    search_match: str
    search_current_match: str

    # Response diff rows, translucent over the text background so text keeps its colour.
    diff_added: str
    diff_removed: str
    diff_changed: str

    # The Send button: white text on its own blue, red while a request is in flight.
    send_text: str
    send_background: str
    send_hover: str
    send_focus: str
    send_busy: str
    send_busy_hover: str

    def qcolor(self, role: str) -> QColor:
        """The colour of `role` (a field name) as a QColor."""
        return QColor(getattr(self, role))

    def status(self, status_class: str) -> str:
        """The colour of a status class ("1xx" … "5xx"), or of "error" for no response."""
        return getattr(self, STATUS_ROLES.get(status_class, "error"))

    def method(self, method: str) -> str:
        """The colour a method name is written in."""
        return getattr(self, f"method_{method.lower()}", self.method_other)


def roles() -> tuple[str, ...]:
    """The names of every role, in declaration order."""
    return tuple(field.name for field in fields(Palette))


# Status classes are drawn in the message colours of the same meaning.
STATUS_ROLES = {"1xx": "muted", "2xx": "success", "3xx": "info", "4xx": "warning", "5xx": "error"}

# Which roles are text drawn on `background` (4.5:1) and which are graphics (3:1);
# the other roles are measured against their own background or are translucent.
TEXT_ROLES = (
    "muted", "error", "warning", "success", "info", "link",
    "syntax_key", "syntax_string", "syntax_number", "syntax_keyword", "syntax_punct",
    "syntax_tag", "syntax_attr", "syntax_comment",
    "method_get", "method_post", "method_put", "method_patch", "method_delete", "method_other",
)  # fmt: skip
GRAPHIC_ROLES = (
    "timing_dns", "timing_connect", "timing_tls", "timing_send", "timing_wait",
    "timing_download",
)  # fmt: skip
# (text role, background role) pairs drawn on a background of their own.
TEXT_ON_OWN_BACKGROUND = (
    ("variable_known", "variable_known_background"),
    ("send_text", "send_background"),
    ("send_text", "send_hover"),
    ("send_text", "send_busy"),
    ("send_text", "send_busy_hover"),
)
# (graphic role, background role): the focus ring is drawn on the button's own blue.
GRAPHIC_ON_OWN_BACKGROUND = (("send_focus", "send_background"),)
TRANSLUCENT_ROLES = (
    "search_match", "search_current_match", "diff_added", "diff_removed", "diff_changed",
)  # fmt: skip

# The Send button looks the same in both themes.
_SEND = {
    "send_text": "#ffffff",
    "send_background": "#1f6feb",
    "send_hover": "#1860d0",
    "send_focus": "#a5d6ff",
    "send_busy": "#b62324",
    "send_busy_hover": "#da3633",
}

DARK = Palette(
    background="#19232d",
    muted="#9aa5b1",
    error="#f85149",
    warning="#d29922",
    success="#3fb950",
    info="#58a6ff",
    link="#58a6ff",
    syntax_key="#8fc1ff",
    syntax_string="#a5d6a7",
    syntax_number="#f6c177",
    syntax_keyword="#e0a0ff",
    syntax_punct="#9aa4b1",
    syntax_tag="#7fb8f0",
    syntax_attr="#f6c177",
    syntax_comment="#8a929c",
    variable_known="#79c0ff",
    variable_known_background="#1f3a5f",
    method_get="#2da44e",
    method_post="#d29922",
    method_put="#4493f8",
    method_patch="#a371f7",
    method_delete="#f85149",
    method_other="#8b949e",
    timing_dns="#8b949e",
    timing_connect="#d29922",
    timing_tls="#a371f7",
    timing_send="#3fb950",
    timing_wait="#58a6ff",
    timing_download="#39c5cf",
    search_match="#46ffc800",
    search_current_match="#aaff8c00",
    diff_added="#4d2ea043",
    diff_removed="#4df85149",
    diff_changed="#4dd29922",
    **_SEND,
)

LIGHT = Palette(
    background="#fafafa",
    muted="#57606a",
    error="#cf222e",
    warning="#9a6700",
    success="#1a7f37",
    info="#0969da",
    link="#0969da",
    syntax_key="#0b5cad",
    syntax_string="#2e7d32",
    syntax_number="#b35900",
    syntax_keyword="#8e24aa",
    syntax_punct="#5f6b7a",
    syntax_tag="#1f5fa8",
    syntax_attr="#9a5b00",
    syntax_comment="#6b7480",
    variable_known="#0550ae",
    variable_known_background="#ddf4ff",
    method_get="#1a7f37",
    method_post="#9a6700",
    method_put="#0969da",
    method_patch="#8250df",
    method_delete="#cf222e",
    method_other="#57606a",
    timing_dns="#57606a",
    timing_connect="#9a6700",
    timing_tls="#8250df",
    timing_send="#1a7f37",
    timing_wait="#0969da",
    timing_download="#1b7c83",
    search_match="#6effc800",
    search_current_match="#beff8c00",
    diff_added="#4d2da44e",
    diff_removed="#40cf222e",
    diff_changed="#59d4a72c",
    **_SEND,
)
