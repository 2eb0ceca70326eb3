from django.urls import include, path

from . import access_views, audit_views, figures_views, partner_views, search_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("whereabouts.web.auth_urls")),
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/reason/", access_views.access_reason, name="access-reason"),
    path("people/<int:person_id>/share/", partner_views.share_new, name="share-new"),
    path("shared/", partner_views.shared_list, name="shared"),
    path("shared/<int:person_id>/", partner_views.shared_person, name="shared-person"),
    path("search/", search_views.search, name="search"),
    path("missing/", views.missing_board, name="missing-board"),
    path("missing/times/", views.missing_times, name="missing-times"),
    path("visits/overdue/", views.overdue_visits, name="overdue-visits"),
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
    path("audit/person/", audit_views.audit_person, name="audit-person"),
    path("audit/user/", audit_views.audit_user, name="audit-user"),
]
