"""The HTTP side shared by the views: responses in either format, errors as the spec wants them, and
the decorators (method and jurisdiction, API key with its rate limit).

Error descriptions are German: they are part of the protocol and read by the people who run the
clients of a German city; the HTTP status and the numeric code carry the meaning for machines.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from kontaktpunkt.core.ratelimit import RateLimitResult
from kontaktpunkt.open311.models import ApiKey
from kontaktpunkt.open311.serializers import CONTENT_TYPES, errors_data, render
from kontaktpunkt.open311.services import RateLimit, api_key_find, api_key_touch

DEFAULT_JURISDICTION = "krefeld.de"
RATE_WINDOW_S = 60


def jurisdiction() -> str:
    return settings.KP_OPEN311_JURISDICTION or DEFAULT_JURISDICTION


def respond(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(render(fmt, root, data), content_type=CONTENT_TYPES[fmt], status=status)


def error_response(
    fmt: str, status: int, *descriptions: str, code: int | None = None
) -> HttpResponse:
    errors = [(code or status, description) for description in descriptions]
    return respond(fmt, "errors", errors_data(errors), status=status)


def form_errors(form: Form) -> list[str]:
    """The messages of a bound, invalid form, each prefixed with its parameter."""
    messages: list[str] = []
    for name, errors in form.errors.items():
        for message in errors:
            messages.append(str(message) if name == "__all__" else f"{name}: {message}")
    return messages


ApiView = Callable[..., HttpResponse]


def open311_view(*methods: str) -> Callable[[ApiView], ApiView]:
    """Allow only `methods`, answer in German, and refuse a foreign jurisdiction_id (404)."""

    def decorator(view: ApiView) -> ApiView:
        @wraps(view)
        def wrapped(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
            with translation.override(settings.LANGUAGE_CODE):
                if request.method not in methods:
                    response = error_response(fmt, 405, _("This method is not allowed here."))
                    response["Allow"] = ", ".join(methods)
                    return response
                params = request.POST if request.method == "POST" else request.GET
                given = params.get("jurisdiction_id", "").strip()
                if given and given != jurisdiction():
                    return error_response(
                        fmt,
                        404,
                        _("Unknown jurisdiction_id; this server serves %(id)s.")
                        % {"id": jurisdiction()},
                    )
                return view(request, fmt, *args, **kwargs)

        return wrapped

    return decorator


KeyedView = Callable[..., HttpResponse]


def key_refused_message() -> str:
    return _("Missing, invalid or revoked api_key; the request was not accepted.")


def api_key_required(view: KeyedView) -> ApiView:
    """403 for a missing, wrong or revoked api_key; the view gets the key.

    The key's rate limit is counted by the write itself (see key_rate): a request refused for bad
    input stores nothing and counts nothing.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.POST.get("api_key", "") or request.GET.get("api_key", "")
        key = api_key_find(raw=raw.strip())
        if key is None:
            return error_response(fmt, 403, key_refused_message())
        api_key_touch(key=key)
        return view(request, fmt, key, *args, **kwargs)

    return wrapped


def key_rate(key: ApiKey) -> RateLimit:
    """The rate-limit window of a key: its requests per minute."""
    return RateLimit(
        bucket=f"open311-key:{key.pk}", limit=key.rate_limit_per_minute, window_s=RATE_WINDOW_S
    )


def rate_limited_response(fmt: str, result: RateLimitResult) -> HttpResponse:
    response = error_response(
        fmt,
        429,
        _("Too many requests with this api_key; please try again in %(seconds)d seconds.")
        % {"seconds": result.retry_after_s},
    )
    response["Retry-After"] = str(result.retry_after_s)
    return response
