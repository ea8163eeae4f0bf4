"""Links to the specifications the explainer's rules rest on."""

from __future__ import annotations

from explorer.core.explain.findings import Reference


def rfc(number: int, section: str, title: str) -> Reference:
    """RFC `number` §`section`, linked to the RFC Editor's HTML with its anchor."""
    anchor = f"#section-{section}" if section else ""
    return Reference(
        f"RFC {number}", section, title, f"https://www.rfc-editor.org/rfc/rfc{number}.html{anchor}"
    )


def fetch(anchor: str, title: str) -> Reference:
    """A section of the WHATWG Fetch standard (CORS lives there, not in an RFC)."""
    return Reference("Fetch", "", title, f"https://fetch.spec.whatwg.org/#{anchor}")


def mdn(path: str, title: str) -> Reference:
    """An MDN page, for headers no RFC defines (Content-Security-Policy is W3C's,
    X-Content-Type-Options is Fetch's) where MDN explains them best."""
    return Reference("MDN", "", title, f"https://developer.mozilla.org/en-US/docs/{path}")
