from django.urls import include, path

from whereabouts.api.urls import urls as api_urls

urlpatterns = [
    path("api/v1/", include(api_urls, namespace="api")),
    path("", include("whereabouts.web.urls")),
]
