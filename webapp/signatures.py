"""The signature page: a name signed at the end of comments, and the handles that signed it."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template
from flask.typing import ResponseReturnValue

from indexer import SignatureProfile
from webapp.archive import require_archive

bp = Blueprint("signatures", __name__)


def load_signature(name: str) -> SignatureProfile:
    """Who signed comments with `name` (any case).

    :raise 404: when no comment in the archive is signed so.
    """
    profile = require_archive().signature(name)
    if profile is None:
        abort(404, f"No comment in the archive is signed {name!r}.")
    return profile


@bp.route("/signed/<path:name>")
def signature(name: str) -> ResponseReturnValue:
    """One name people sign with: several handles signing alike may be one person."""
    return render_template("signatures/signature.html", profile=load_signature(name))


@bp.route("/api/signed/<path:name>")
def api_signature(name: str) -> ResponseReturnValue:
    """The signature page as JSON."""
    return jsonify(load_signature(name).to_json())
