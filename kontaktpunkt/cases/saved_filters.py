"""Writes of saved queue filters: a person keeps the query string of a queue under a name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.models import SavedFilter
from kontaktpunkt.core.errors import NotAllowed

# Paging cursors point into the queue as it was; a saved filter always starts on the first page.
_NOT_SAVED = ("after", "before")
QUERY_MAX_LENGTH = 2000  # SavedFilter.query


def saved_filter_query_normalise(query: str) -> str:
    """The query string as it is stored: re-encoded, without a leading "?" and without cursors."""
    params = QueryDict(query.lstrip("?"), mutable=True)
    for name in _NOT_SAVED:
        params.pop(name, None)
    return params.urlencode()


def saved_filter_create(*, owner: User, name: str, query: str) -> SavedFilter:
    """Save `query` under `name` for `owner`; a filter of the same name is replaced.

    ValidationError when the query is too long to be stored.
    """
    normalised = saved_filter_query_normalise(query)
    if len(normalised) > QUERY_MAX_LENGTH:
        raise ValidationError(_("This filter is too long to be saved."), code="too_long")
    with transaction.atomic():
        saved, _created = SavedFilter.objects.update_or_create(
            owner=owner, name=name, defaults={"query": normalised}
        )
    return saved


def saved_filter_delete(*, saved_filter: SavedFilter, by: User) -> None:
    """Delete a saved filter; only its owner may."""
    if saved_filter.owner_id != by.pk:
        raise NotAllowed("Only the owner may delete a saved filter.")
    saved_filter.delete()
