from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Kontaktpunkt administration")
admin.site.site_title = _("Kontaktpunkt")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("kontaktpunkt.core.urls")),
    path("", include("kontaktpunkt.intake.urls")),
    path("", include("kontaktpunkt.cases.urls")),
    path("", include("kontaktpunkt.roster.urls")),
    path("georeport/v2/", include("kontaktpunkt.open311.urls")),
    path("", include("kontaktpunkt.public.urls")),
    path("", include("kontaktpunkt.routing.urls")),
    path("anmelden/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
