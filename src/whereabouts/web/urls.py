from django.contrib.auth import views as auth_views
from django.urls import path

from . import search_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("search/", search_views.search, name="search"),
    path("missing/", views.missing_board, name="missing-board"),
    path("missing/times/", views.missing_times, name="missing-times"),
    path("people/<int:person_id>/do/<slug:step>/", views.person_step, name="person-step"),
    path("people/<int:person_id>/circulation/", views.circulation_page, name="circulation"),
    path("people/<int:person_id>/circulation.json", views.circulation_json,
         name="circulation-json"),
]
