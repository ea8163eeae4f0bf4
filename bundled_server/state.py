"""Everything one app instance remembers, so tests never share state."""

from __future__ import annotations

from flask import current_app

from .layered import GatewayCache
from .oauth.store import OAuthStore
from .session import SessionStore
from .store import Store
from .toolbox.limits import RateLimiter


class PracticeState:
    """The stores behind the practice endpoints; ``reset()`` is ``POST /admin/reset``."""

    def __init__(self, rate_limit: int, rate_window: float) -> None:
        self.store = Store()
        self.sessions = SessionStore()
        self.limiter = RateLimiter(rate_limit, rate_window)
        self.gateway_cache = GatewayCache()
        self.oauth = OAuthStore()

    def reset(self) -> None:
        """Seed data back, counters, caches and OAuth codes and tokens emptied (sessions
        are kept: they are the stateful lesson, and a restart is what breaks them)."""
        self.store.reset()
        self.limiter.reset()
        self.gateway_cache.clear()
        self.oauth.reset()


def current_state() -> PracticeState:
    """The running app's state (Flask's `extensions` holds it untyped)."""
    state: PracticeState = current_app.extensions["practice"]
    return state
