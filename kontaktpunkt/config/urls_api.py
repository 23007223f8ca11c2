"""The URL list of the API handler (see config/wsgi.py): only the GeoReport v2 server.

The paths and names are those of config/urls.py, so that reverse() gives the same URLs either way.
"""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("georeport/v2/", include("kontaktpunkt.open311.urls"))]
