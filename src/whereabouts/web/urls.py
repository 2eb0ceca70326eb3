from django.urls import include, path

from . import figures_views, search_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("whereabouts.web.auth_urls")),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("search/", search_views.search, name="search"),
    path("missing/", views.missing_board, name="missing-board"),
    path("missing/times/", views.missing_times, name="missing-times"),
    path("figures/", figures_views.figures, name="figures"),
    path("figures/download.<slug:fmt>", figures_views.figures_download, name="figures-download"),
    path("figures/foi-pack.zip", figures_views.foi_pack, name="figures-foi-pack"),
    path("people/<int:person_id>/timeline/", views.timeline, name="timeline"),
    path("people/<int:person_id>/correct/<int:event_id>/", views.correct_entry,
         name="correct-entry"),
    path("people/<int:person_id>/withdraw/<int:event_id>/", views.withdraw_entry,
         name="withdraw-entry"),
    path("people/<int:person_id>/do/<slug:step>/", views.person_step, name="person-step"),
    path("people/<int:person_id>/circulation/", views.circulation_page, name="circulation"),
    path("people/<int:person_id>/circulation.json", views.circulation_json,
         name="circulation-json"),
]
