"""The window's preferences as plain values: their defaults, their settings keys, reading
them back from stored text, and the one-line reasons a value is refused.

The window keeps them in QSettings (`explorer/qt/preference_store.py` reads and writes
them); everything here is Qt-free so that it is tested without a display. Stored values
are read tolerantly: a missing or unreadable one means its default, so an old or
hand-edited settings file never stops the window from starting.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from explorer.core.model import Options
from explorer.core.urls import proxy_problem

# --- settings keys (the names in settings.ini; "theme" predates this module) ----------
THEME_KEY = "theme"
FONT_FAMILY_KEY = "editor/font_family"
FONT_SIZE_KEY = "editor/font_size"
TIMEOUT_KEY = "requests/timeout"
FOLLOW_KEY = "requests/follow_redirects"
MAX_REDIRECTS_KEY = "requests/max_redirects"
VERIFY_KEY = "requests/verify_tls"
PROXY_MODE_KEY = "network/proxy_mode"
PROXY_URL_KEY = "network/proxy_url"
CA_BUNDLE_KEY = "network/ca_bundle"
# The sample server's port: the key and default of qt/server_controller (SERVER_PORT_SETTING,
# DEFAULT_SERVER_PORT), which core cannot import; tests/ui/test_preferences_dialog checks.
SERVER_PORT_KEY = "server/port"
DEFAULT_SERVER_PORT = 8765
# The Explain tab's rules the user turned off, by id ("caching.no-validators", …).
EXPLAIN_SILENCED_KEY = "explain/silenced"

# --- bounds ---------------------------------------------------------------------------
MIN_FONT_SIZE, MAX_FONT_SIZE = 6, 72
MAX_TIMEOUT = 86_400.0  # a day, as the request's Settings tab allows
MAX_REDIRECTS = 100
MAX_TEXT = 2048  # a family name, a proxy URL, a file path
MAX_CA_BUNDLE_BYTES = 10 * 1024 * 1024  # the system bundle is about 200 KB
_PEM_CERTIFICATE = b"-----BEGIN CERTIFICATE-----"
# Silenced rule ids: far more than there are rules, so none is ever dropped in practice,
# but a hand-edited settings file cannot make a list the Explain tab checks forever.
MAX_SILENCED = 256
MAX_RULE_ID = 80
# A rule id as explorer/core/explain names them: category, a dot, a kebab-case name.
_RULE_ID = re.compile(r"[a-z][a-z0-9]*\.[a-z0-9]+(?:-[a-z0-9]+)*\Z")


class ThemeChoice(StrEnum):
    """The theme the user chose; SYSTEM follows the desktop's light or dark scheme."""

    DARK = "dark"
    LIGHT = "light"
    SYSTEM = "system"


class ProxyMode(StrEnum):
    """Which proxy the window's sends use when a request does not choose its own."""

    SYSTEM = "system"  # the environment's (http_proxy, https_proxy, no_proxy)
    NONE = "none"  # always direct
    MANUAL = "manual"  # the URL in the preferences


@dataclass(frozen=True)
class EditorFont:
    """The code font of editors and body viewers; "" and 0 mean the system's."""

    family: str = ""
    size: int = 0


@dataclass(frozen=True)
class RequestDefaults:
    """What a new request starts with (its Settings tab can change each)."""

    timeout: float = Options.timeout
    follow_redirects: bool = Options.follow_redirects
    max_redirects: int = Options.max_redirects
    verify_tls: bool = Options.verify_tls

    def options(self) -> Options:
        """The options of a new, blank request."""
        return Options(
            timeout=self.timeout,
            follow_redirects=self.follow_redirects,
            max_redirects=self.max_redirects,
            verify_tls=self.verify_tls,
        )


@dataclass(frozen=True)
class NetworkDefaults:
    """The proxy and CA bundle of every send from the window whose request keeps its own
    Settings at the "Default" proxy (`use_system_proxy`, no URL) and no CA bundle."""

    proxy_mode: ProxyMode = ProxyMode.SYSTEM
    proxy_url: str = ""  # MANUAL only; may hold a {{secret variable}} for the password
    ca_bundle: str = ""  # a PEM file: replaces the built-in list of trusted authorities

    def applied_to(self, options: Options) -> Options:
        """`options` with these defaults where the request left the choice to the app.

        A request's own proxy URL, its "No proxy" and its own CA bundle win."""
        changed = options
        if not options.proxy and options.use_system_proxy:
            if self.proxy_mode == ProxyMode.NONE:
                changed = replace(changed, use_system_proxy=False)
            elif self.proxy_mode == ProxyMode.MANUAL and self.proxy_url:
                changed = replace(changed, proxy=self.proxy_url)
        if not options.ca_bundle and self.ca_bundle:
            changed = replace(changed, ca_bundle=self.ca_bundle)
        return changed


@dataclass(frozen=True)
class Preferences:
    """Everything the Preferences dialog edits except the history limits and the body
    size, which have their own homes (the workspace, `core/http/limits`)."""

    theme: ThemeChoice = ThemeChoice.DARK
    font: EditorFont = field(default_factory=EditorFont)
    requests: RequestDefaults = field(default_factory=RequestDefaults)
    network: NetworkDefaults = field(default_factory=NetworkDefaults)
    server_port: int = DEFAULT_SERVER_PORT
    # Rules of "Explain this response" that are not run (ids). Ids of rules this version
    # does not have are kept: a newer version's silenced rule stays silenced.
    explain_silenced: frozenset[str] = frozenset()


# --- reading stored values --------------------------------------------------------------


def _text(value: object, default: str = "") -> str:
    if value is None:
        return default
    text = str(value).strip()
    return text if len(text) <= MAX_TEXT else default


def _int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        return default
    return number if low <= number <= high else default


def _float(value: object, default: float, low: float, high: float) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        return default
    return number if low <= number <= high else default  # NaN fails both comparisons


def _bool(value: object, default: bool) -> bool:
    # QSettings' INI files give booleans back as "true"/"false" text.
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    return default


def theme_choice(value: object) -> ThemeChoice:
    """The stored theme: "dark", "light" (the values before "system" existed) or
    "system"; anything else is the default, dark."""
    text = _text(value).lower()
    return ThemeChoice(text) if text in tuple(ThemeChoice) else ThemeChoice.DARK


def is_rule_id(text: str) -> bool:
    """True for text shaped like an explainer rule's id ("status.created-without-location")."""
    return len(text) <= MAX_RULE_ID and _RULE_ID.match(text) is not None


def read_silenced(value: object) -> frozenset[str]:
    """Silenced rule ids from what is stored: "a.b, c.d" text (QSettings may hand back a
    comma list as a list of strings), or any iterable of ids. What is not shaped like a
    rule id is dropped, and at most MAX_SILENCED ids are kept."""
    if value is None:
        return frozenset()
    items: Iterable[object]
    if isinstance(value, str):
        items = value[: MAX_SILENCED * (MAX_RULE_ID + 2)].split(",")
    elif isinstance(value, Iterable):
        items = value
    else:
        return frozenset()
    kept: set[str] = set()
    for item in itertools.islice(items, 4 * MAX_SILENCED):  # bad ones count too
        text = str(item).strip()
        if is_rule_id(text):
            kept.add(text)
            if len(kept) >= MAX_SILENCED:
                break
    return frozenset(kept)


def stored_silenced(ids: Iterable[str]) -> str:
    """The stored text of silenced rule ids: sorted, comma separated."""
    return ",".join(sorted(read_silenced(list(ids))))


def read_preferences(stored: Mapping[str, object]) -> Preferences:
    """Preferences from stored values keyed as above; missing or bad ones: defaults."""
    base = RequestDefaults()
    mode_text = _text(stored.get(PROXY_MODE_KEY)).lower()
    mode = ProxyMode(mode_text) if mode_text in tuple(ProxyMode) else ProxyMode.SYSTEM
    proxy_url = _text(stored.get(PROXY_URL_KEY))
    if mode == ProxyMode.MANUAL and proxy_url_problem(proxy_url):
        mode, proxy_url = ProxyMode.SYSTEM, ""  # a bad URL in the file: the safe default
    return Preferences(
        theme=theme_choice(stored.get(THEME_KEY)),
        font=EditorFont(
            family=_text(stored.get(FONT_FAMILY_KEY)),
            size=_int(stored.get(FONT_SIZE_KEY), 0, MIN_FONT_SIZE, MAX_FONT_SIZE),
        ),
        requests=RequestDefaults(
            timeout=_float(stored.get(TIMEOUT_KEY), base.timeout, 0.0, MAX_TIMEOUT),
            follow_redirects=_bool(stored.get(FOLLOW_KEY), base.follow_redirects),
            max_redirects=_int(stored.get(MAX_REDIRECTS_KEY), base.max_redirects, 0, MAX_REDIRECTS),
            verify_tls=_bool(stored.get(VERIFY_KEY), base.verify_tls),
        ),
        network=NetworkDefaults(mode, proxy_url, _text(stored.get(CA_BUNDLE_KEY))),
        server_port=_int(stored.get(SERVER_PORT_KEY), DEFAULT_SERVER_PORT, 0, 65535),
        explain_silenced=read_silenced(stored.get(EXPLAIN_SILENCED_KEY)),
    )


def stored_values(preferences: Preferences) -> dict[str, str | int | float | bool]:
    """The values to store for `preferences`, keyed as `read_preferences` reads them."""
    requests, network = preferences.requests, preferences.network
    return {
        THEME_KEY: preferences.theme.value,
        FONT_FAMILY_KEY: preferences.font.family,
        FONT_SIZE_KEY: preferences.font.size,
        TIMEOUT_KEY: requests.timeout,
        FOLLOW_KEY: requests.follow_redirects,
        MAX_REDIRECTS_KEY: requests.max_redirects,
        VERIFY_KEY: requests.verify_tls,
        PROXY_MODE_KEY: network.proxy_mode.value,
        PROXY_URL_KEY: network.proxy_url if network.proxy_mode == ProxyMode.MANUAL else "",
        CA_BUNDLE_KEY: network.ca_bundle,
        SERVER_PORT_KEY: preferences.server_port,
        EXPLAIN_SILENCED_KEY: stored_silenced(preferences.explain_silenced),
    }


# --- why a value is refused (one line each; "" when it is fine) -----------------------


def proxy_url_problem(url: str) -> str:
    """Why `url` cannot be the window's proxy. A literal password is refused: settings
    are a plain file, so the password goes into a secret global variable (kept in the
    secret store) and the URL names it: http://me:{{proxy_password}}@host:3128."""
    url = url.strip()
    if len(url) > MAX_TEXT:
        return "The proxy URL is too long"
    problem = proxy_problem(url)
    if problem:
        return problem
    password = urlsplit(url).password
    if password and not (password.startswith("{{") and password.endswith("}}")):
        return (
            "Don't type the password here: keep it in a secret global variable and write "
            "{{its_name}} in its place"
        )
    return ""


def server_port_problem(port: int) -> str:
    """Why `port` cannot be the sample server's port (0 means any free port)."""
    if not 0 <= port <= 65535:
        return "The port must be a number from 1024 to 65535, or 0 for any free port"
    if 0 < port < 1024:
        return "Ports below 1024 need administrator rights: choose 1024 to 65535, or 0"
    return ""


def font_size_problem(size: int) -> str:
    """Why `size` (points; 0 = the system's) cannot be the code font's size."""
    if size and not MIN_FONT_SIZE <= size <= MAX_FONT_SIZE:
        return f"The font size must be from {MIN_FONT_SIZE} to {MAX_FONT_SIZE} points"
    return ""


def ca_bundle_problem(path_text: str) -> str:
    """Why the file at `path_text` cannot be the CA bundle: missing, too large, or not
    PEM certificates that Python's ssl module accepts. Reads the file: call it off the
    GUI thread."""
    text = path_text.strip()
    if not text:
        return ""
    if len(text) > MAX_TEXT:
        return "The CA bundle path is too long"
    path = Path(text).expanduser()
    try:
        if not path.is_file():
            return f"No CA bundle file at {text}"
        if path.stat().st_size > MAX_CA_BUNDLE_BYTES:
            return "The CA bundle is larger than 10 MB: is it the right file?"
        data = path.read_bytes()
    except OSError as error:
        return f"The CA bundle cannot be read: {error.strerror or error}"
    if _PEM_CERTIFICATE not in data:
        return "The CA bundle has no PEM certificate (-----BEGIN CERTIFICATE-----)"
    import ssl  # loaded on use: start-up reads preferences, never this check

    try:
        ssl.create_default_context(cadata=data.decode("ascii", errors="replace"))
    except (ssl.SSLError, ValueError) as error:
        reason = getattr(error, "reason", None) or str(error).splitlines()[0]
        return f"The CA bundle is not valid PEM: {reason}"
    return ""
