"""The referral (cases/refer/) and the participant pages (cases/<case_id>/participants/)."""

from django.urls import path

from parties import views

app_name = "parties"

urlpatterns = [
    path("refer/", views.case_refer, name="refer"),
    path(
        "<int:case_id>/participants/<int:participation_id>/personal-page/",
        views.participant_portal,
        name="portal",
    ),
    path("<int:case_id>/participants/add/", views.participant_add, name="add"),
    path(
        "<int:case_id>/participants/<int:participation_id>/edit/",
        views.participant_edit,
        name="edit",
    ),
    path(
        "<int:case_id>/participants/<int:participation_id>/consent/",
        views.participant_consent,
        name="consent",
    ),
    path(
        "<int:case_id>/participants/<int:participation_id>/consent/withdraw/",
        views.participant_consent_withdraw,
        name="withdraw_consent",
    ),
    path(
        "<int:case_id>/participants/<int:participation_id>/remove/",
        views.participant_remove,
        name="remove",
    ),
    path(
        "<int:case_id>/participants/<int:participation_id>/restore/",
        views.participant_restore,
        name="restore",
    ),
]
