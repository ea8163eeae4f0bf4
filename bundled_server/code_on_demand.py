"""The code-on-demand lesson: a page whose behaviour is downloaded as a script.

``/demo/code-on-demand`` is a bare HTML shell; ``/static/js/widget.js`` arrives
with it, runs in the browser, fetches ``/api/items`` and renders the table. The
server extended the client with code, which is Fielding's optional constraint.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from .negotiation import use_language

bp = Blueprint("code_on_demand", __name__, url_prefix="/demo")


@bp.get("/code-on-demand")
def demo() -> str:
    """The shell page; the items appear only once the script has run."""
    use_language()
    return render_template("code_on_demand.html")
