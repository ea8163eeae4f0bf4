"""``POST /upload``: multipart/form-data in, sizes and SHA-256 of each part out.

Files are hashed in chunks from werkzeug's spooled temporary files, so a large
upload never sits in memory whole. ``MAX_CONTENT_LENGTH`` turns oversize bodies
into 413 before any of this runs.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from ..problems import Problem
from .snapshot import files_list, flat

bp = Blueprint("upload", __name__)


@bp.route("/upload", methods=["POST", "PUT"])
def upload() -> Response:
    """Describe every field and file of a multipart body."""
    if request.mimetype != "multipart/form-data":
        raise Problem(
            415,
            "Send multipart/form-data (a form with files).",
            kind="unsupported-media-type",
            headers={"Accept": "multipart/form-data"},
        )
    files = files_list()
    return jsonify(
        fields=flat(request.form),
        files=files,
        total_file_bytes=sum(f["size"] for f in files),
        max_content_length=current_app.config["MAX_CONTENT_LENGTH"],
    )
