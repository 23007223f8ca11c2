"""One view: read the form, insert one row, answer with its id as JSON."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path

from bench.open311.floor.models import Row


def create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = Row.objects.create(description=request.POST.get("description", ""))
    return JsonResponse([{"service_request_id": str(row.pk)}], safe=False)


urlpatterns = [path("requests.json", create)]
