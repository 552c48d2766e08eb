"""Participant pages, included under cases/<case_id>/participants/."""

from django.urls import path

from parties import views

app_name = "parties"

urlpatterns = [
    path("add/", views.participant_add, name="add"),
    path("<int:participation_id>/edit/", views.participant_edit, name="edit"),
    path("<int:participation_id>/consent/", views.participant_consent, name="consent"),
    path(
        "<int:participation_id>/consent/withdraw/",
        views.participant_consent_withdraw,
        name="withdraw_consent",
    ),
    path("<int:participation_id>/remove/", views.participant_remove, name="remove"),
    path("<int:participation_id>/restore/", views.participant_restore, name="restore"),
]
