"""Admin of the geography: areas, facilities, zones, and the upload of official areas as GeoJSON."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kontaktpunkt.geo.forms import AreaAdminForm, AreaGeoJSONUploadForm, ZoneAdminForm
from kontaktpunkt.geo.models import Area, Facility, Zone
from kontaktpunkt.geo.selectors import place_index_invalidate
from kontaktpunkt.geo.services import areas_replace_from_geojson

ModelT = TypeVar("ModelT", bound=Model)


class _PlaceIndexInvalidating(admin.ModelAdmin[ModelT]):
    """Edits in the admin change the geography: the point index must be built anew."""

    def save_model(
        self, request: HttpRequest, obj: ModelT, form: ModelForm[ModelT], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        place_index_invalidate()

    def delete_model(self, request: HttpRequest, obj: ModelT) -> None:
        super().delete_model(request, obj)
        place_index_invalidate()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ModelT]) -> None:
        super().delete_queryset(request, queryset)
        place_index_invalidate()


@admin.register(Area)
class AreaAdmin(_PlaceIndexInvalidating[Area]):
    form = AreaAdminForm
    list_display = ("name", "level", "parent", "approximate", "source")
    list_filter = ("level", "approximate")
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    raw_id_fields = ("parent",)
    change_list_template = "admin/geo/area/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "upload-geojson/",
            self.admin_site.admin_view(self.upload_geojson_view),
            name="geo_area_upload_geojson",
        )
        return [upload, *super().get_urls()]

    def may_upload_geojson(self, request: HttpRequest) -> bool:
        """An upload adds, changes and deletes areas: it needs all three permissions."""
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and self.has_delete_permission(request)
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {**(extra_context or {}), "may_upload_geojson": self.may_upload_geojson(request)}
        return super().changelist_view(request, extra_context=context)

    def upload_geojson_view(self, request: HttpRequest) -> HttpResponse:
        """Replace all districts or all quarters by the polygons of an uploaded GeoJSON file."""
        if not self.may_upload_geojson(request):
            raise PermissionDenied
        form = AreaGeoJSONUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                count = areas_replace_from_geojson(
                    level=data["level"],
                    feature_collection=data["feature_collection"],
                    name_property=data["name_property"],
                    parent_property=data["parent_property"] or None,
                    source=f"GeoJSON: {data['file'].name}",
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = ngettext(
                    "%(count)d area replaced from %(file)s.",
                    "%(count)d areas replaced from %(file)s.",
                    count,
                ) % {"count": count, "file": data["file"].name}
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:geo_area_changelist"))
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload GeoJSON"),
            "form": form,
        }
        return TemplateResponse(request, "admin/geo/area/upload_geojson.html", context)


@admin.register(Facility)
class FacilityAdmin(_PlaceIndexInvalidating[Facility]):
    list_display = ("name", "kind", "street", "postcode", "source")
    list_filter = ("kind",)
    search_fields = ("name", "street", "source_id")


@admin.register(Zone)
class ZoneAdmin(_PlaceIndexInvalidating[Zone]):
    form = ZoneAdminForm
    list_display = ("name", "kind", "facility", "radius_m", "approximate", "active")
    list_filter = ("kind", "approximate", "active")
    list_select_related = ("facility",)
    search_fields = ("name", "facility__name")
    raw_id_fields = ("facility",)
