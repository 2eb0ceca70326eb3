from django.urls import include, path

urlpatterns = [
    path("", include("whereabouts.web.urls")),
]
