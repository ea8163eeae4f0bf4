"""The preferences in QSettings: read them (cheap: QSettings answers from memory) and
store them. What the values mean and which are valid is Qt-free, in
`explorer/core/preferences.py`."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from explorer.core.preferences import (
    CA_BUNDLE_KEY,
    EXPLAIN_SILENCED_KEY,
    FOLLOW_KEY,
    FONT_FAMILY_KEY,
    FONT_SIZE_KEY,
    MAX_REDIRECTS_KEY,
    PROXY_MODE_KEY,
    PROXY_URL_KEY,
    THEME_KEY,
    TIMEOUT_KEY,
    VERIFY_KEY,
    NetworkDefaults,
    Preferences,
    RequestDefaults,
    read_preferences,
    stored_values,
)
from explorer.qt.server_controller import SERVER_PORT_SETTING

KEYS = (
    THEME_KEY,
    FONT_FAMILY_KEY,
    FONT_SIZE_KEY,
    TIMEOUT_KEY,
    FOLLOW_KEY,
    MAX_REDIRECTS_KEY,
    VERIFY_KEY,
    PROXY_MODE_KEY,
    PROXY_URL_KEY,
    CA_BUNDLE_KEY,
    SERVER_PORT_SETTING,  # the server controller's key, which core names SERVER_PORT_KEY
    EXPLAIN_SILENCED_KEY,
)


def load_preferences(settings: QSettings) -> Preferences:
    """The stored preferences (defaults for what is missing or unreadable)."""
    return read_preferences({key: settings.value(key) for key in KEYS if settings.contains(key)})


def save_preferences(settings: QSettings, preferences: Preferences) -> None:
    """Store `preferences`, every key (a value equal to today's default is written too:
    a later change of a default must not change what the user saw and saved)."""
    for key, value in stored_values(preferences).items():
        settings.setValue(key, value)


def request_defaults(settings: QSettings) -> RequestDefaults:
    """What a new request starts with."""
    return load_preferences(settings).requests


def network_defaults(settings: QSettings) -> NetworkDefaults:
    """The proxy and CA bundle of the window's sends."""
    return load_preferences(settings).network
