"""URL map: admin, API and pages."""

from django.contrib import admin
from django.urls import include, path

from poles.api.router import api

handler500 = "poles.web.busy.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("poles.access.urls")),
    path("api/v1/", api.urls),
    path("certification/", include("poles.certification.urls")),
    path("", include("poles.calls.urls_applicant")),
    path("", include("poles.calls.urls_officer")),
    path("", include("poles.survey.urls")),
    path("", include("poles.web.urls")),
]
