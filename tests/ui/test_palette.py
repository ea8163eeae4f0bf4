"""One palette: every colour is defined once per theme, in explorer/ui/widgets/palette.py,
complete for both themes, readable on its background, and read by the widgets."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from explorer.core.model import STANDARD_METHODS
from explorer.ui.response.timing_view import PHASES
from explorer.ui.widgets import palette as palette_module
from explorer.ui.widgets.palette import (
    GRAPHIC_ON_OWN_BACKGROUND,
    GRAPHIC_ROLES,
    STATUS_ROLES,
    TEXT_ON_OWN_BACKGROUND,
    TEXT_ROLES,
    TRANSLUCENT_ROLES,
    Palette,
    roles,
)
from explorer.ui.widgets.theme import PALETTES, Theme, colour, palette

PACKAGE = Path(__file__).resolve().parents[2] / "explorer"
PALETTE_FILE = Path(palette_module.__file__).resolve()
# "#rrggbb" or "#aarrggbb" anywhere (code or comment), or a QColor built from numbers.
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6})\b")
NUMERIC_QCOLOR = re.compile(r"QColor\(\s*\d")
# "#rgb" inside a string literal (a style sheet's short form).
SHORT_HEX = re.compile(r"#[0-9a-fA-F]{3,4}\b")


# Pages written for another program carry their own colours: a run's HTML report is read
# in a browser, in that browser's theme, long after the app's theme was chosen.
STANDALONE_DOCUMENTS = {
    PACKAGE / "application" / "reports" / "html_report.py",
    PACKAGE / "application" / "load" / "reports.py",  # the load test's HTML report
}


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.resolve() != PALETTE_FILE and path not in STANDALONE_DOCUMENTS
    ]


def test_no_module_but_the_palette_holds_a_colour_literal():
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if HEX_COLOUR.search(line) or NUMERIC_QCOLOR.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and SHORT_HEX.search(token.string):
                found.append(f"{path.relative_to(PACKAGE)}:{token.start[0]}: {token.string}")
    assert found == []


def test_the_literal_check_sees_what_it_looks_for():
    assert HEX_COLOUR.search('colour = "#ff8a80"')
    assert HEX_COLOUR.search("QColor('#46ffc800')")
    assert NUMERIC_QCOLOR.search("QColor(255, 200, 0, 70)")
    assert not HEX_COLOUR.search("see issue #123456789")  # not a colour: too long
    assert SHORT_HEX.search('"color: #fff;"')


@pytest.mark.parametrize("theme", list(Theme))
def test_every_theme_defines_every_role_as_a_valid_colour(theme):
    colours = PALETTES[theme]
    assert isinstance(colours, Palette)
    for role in roles():
        value = getattr(colours, role)
        assert re.fullmatch(r"#(?:[0-9a-f]{6}|[0-9a-f]{8})", value), (theme, role, value)
        assert QColor(value).isValid(), (theme, role)


def test_every_role_has_a_contrast_rule():
    pairs = (*TEXT_ON_OWN_BACKGROUND, *GRAPHIC_ON_OWN_BACKGROUND)
    own = {role for pair in pairs for role in pair}
    kinds = [set(TEXT_ROLES), set(GRAPHIC_ROLES), own, set(TRANSLUCENT_ROLES), {"background"}]
    assert sum(len(kind) for kind in kinds) == len(set().union(*kinds)), "a role in two kinds"
    assert set().union(*kinds) == set(roles())


def _luminance(value: str) -> float:
    """WCAG 2 relative luminance of an opaque "#rrggbb"."""
    channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", list(Theme))
def test_text_reads_on_the_theme_background(theme):
    colours = PALETTES[theme]
    low = {
        role: round(contrast(getattr(colours, role), colours.background), 2)
        for role in TEXT_ROLES
        if contrast(getattr(colours, role), colours.background) < 4.5
    }
    assert low == {}, f"below WCAG AA 4.5:1 on {colours.background}"


@pytest.mark.parametrize("theme", list(Theme))
def test_chart_bars_stand_out_from_the_theme_background(theme):
    colours = PALETTES[theme]
    for role in GRAPHIC_ROLES:  # WCAG non-text contrast: 3:1
        assert contrast(getattr(colours, role), colours.background) >= 3.0, (theme, role)


@pytest.mark.parametrize("theme", list(Theme))
def test_text_on_its_own_background_reads(theme):
    colours = PALETTES[theme]
    for text, background in TEXT_ON_OWN_BACKGROUND:
        ratio = contrast(getattr(colours, text), getattr(colours, background))
        assert ratio >= 4.5, (theme, text, background, round(ratio, 2))


@pytest.mark.parametrize("theme", list(Theme))
def test_graphics_on_their_own_background_stand_out(theme):
    colours = PALETTES[theme]
    for graphic, background in GRAPHIC_ON_OWN_BACKGROUND:
        ratio = contrast(getattr(colours, graphic), getattr(colours, background))
        assert ratio >= 3.0, (theme, graphic, background, round(ratio, 2))


@pytest.mark.parametrize("theme", list(Theme))
def test_search_highlights_let_the_text_show_through(theme):
    for role in TRANSLUCENT_ROLES:
        assert 0 < QColor(getattr(PALETTES[theme], role)).alpha() < 255


def test_the_backgrounds_are_qdarkstyles():
    from qdarkstyle.dark.palette import DarkPalette
    from qdarkstyle.light.palette import LightPalette

    assert PALETTES[Theme.DARK].background == DarkPalette.COLOR_BACKGROUND_1.lower()
    assert PALETTES[Theme.LIGHT].background == LightPalette.COLOR_BACKGROUND_1.lower()


def test_roles_reached_by_a_built_name_exist():
    timing = {role for role in roles() if role.startswith("timing_")}
    assert timing == {f"timing_{key}" for key, _name in PHASES}
    methods = {role for role in roles() if role.startswith("method_")} - {"method_other"}
    assert methods == {f"method_{m.lower()}" for m in STANDARD_METHODS} - {
        "method_head",
        "method_options",
    }
    assert set(STATUS_ROLES.values()) <= set(roles())


def test_every_other_role_is_read_somewhere():
    """No dead colour: each role is named by code outside the palette module (the
    timing, method and status roles are reached by built names, checked above)."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in _sources())
    built = {role for role in roles() if role.startswith(("timing_", "method_"))}
    built |= set(STATUS_ROLES.values()) | {"background"}  # background: the contrast reference
    unread = [r for r in roles() if r not in built and not re.search(rf"\b{r}\b", text)]
    assert unread == []


@pytest.mark.parametrize("theme", list(Theme))
def test_run_time_role_names_read_the_palette(theme):
    colours = palette(theme)
    assert colour("error", theme) == colours.error
    assert colour("2xx", theme) == colours.success
    assert colour("5xx", theme) == colours.error
    assert colours.method("get") == colours.method_get
    assert colours.method("PROPFIND") == colours.method_other
    assert colours.status("no response") == colours.error
