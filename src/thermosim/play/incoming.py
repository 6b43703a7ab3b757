"""What a request to the workshop brings: its body within limits, as JSON or a form.

Owns the web layer's reading of requests (with ``web``, the only modules that import the web
framework): the body read up to ``guard.MAX_BODY_BYTES`` (413 past it, sent with a length or
not), a JSON object or a form with one value per field (400 otherwise, with the reason), whether
the caller speaks JSON, and whether a POST comes from the game's own pages. Refusals are
``RefusedError`` with the status to send.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request

from thermosim.play.guard import BodyTooLargeError, read_body


class RefusedError(Exception):
    """A request refused with ``status`` and a message for the person who sent it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def is_json(request: Request) -> bool:
    """Whether the caller speaks JSON (sends it, or asks for it rather than a page)."""
    sent = request.headers.get("content-type", "").startswith("application/json")
    return sent or ("application/json" in accepts(request) and "text/html" not in accepts(request))


def accepts(request: Request) -> str:
    """The Accept header, lower case."""
    return request.headers.get("accept", "").lower()


async def payload(request: Request, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The request's fields: a JSON object, or a form (one value per field).

    ``allowed`` None takes any field (the caller checks them); otherwise another field is
    refused with 400.
    """
    body = await _body(request)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise RefusedError(400, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise RefusedError(400, "the body must be a JSON object")
    else:
        form = _parse_form(body)
        if any(len(v) > 1 for v in form.values()):
            raise RefusedError(400, "each field may be sent once")
        data = {key: values[0] for key, values in form.items()}
    if allowed is not None:
        unknown = sorted(k for k in data if k not in allowed)
        if unknown:
            raise RefusedError(400, f"unknown field(s): {', '.join(unknown)}")
    return data


async def form_fields(request: Request) -> dict[str, list[str]]:
    """The request's form, every value of every field."""
    return _parse_form(await _body(request))


async def _body(request: Request) -> bytes:
    try:
        return await read_body(request.stream())
    except BodyTooLargeError:
        raise RefusedError(413, "the request body is too large") from None


def _parse_form(body: bytes) -> dict[str, list[str]]:
    try:
        text = body.decode("utf-8")
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=64)
    except (UnicodeDecodeError, ValueError):
        raise RefusedError(400, "the form could not be read") from None


def same_origin(request: Request) -> bool:
    """Whether a POST comes from this site's own pages (or from a script without an Origin).

    An opaque origin ("null", a privacy setting or a sandbox) is let through: the cookies are
    SameSite=Lax, so a POST from another site carries no seat or trainer cookie anyway.
    """
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")
