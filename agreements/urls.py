"""The agreement of a case: mediators only (404 for everyone else); the parties' answer links."""

from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("<int:case_id>/agreement/", views.agreement_detail, name="agreement"),
    path("<int:case_id>/agreement/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:case_id>/agreement/print/", views.agreement_print, name="agreement_print"),
    path(
        "<int:case_id>/agreement/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path(
        "<int:case_id>/agreement/versions/",
        views.agreement_versions,
        name="agreement_versions",
    ),
    path("<int:case_id>/agreement/actions/add/", views.action_add, name="action_add"),
    path(
        "<int:case_id>/agreement/actions/<int:action_id>/edit/",
        views.action_edit,
        name="action_edit",
    ),
    path(
        "<int:case_id>/agreement/actions/<int:action_id>/remove/",
        views.action_remove,
        name="action_remove",
    ),
    path(
        "<int:case_id>/agreement/actions/<int:action_id>/review/",
        views.action_review,
        name="action_review",
    ),
    path(
        "<int:case_id>/agreement/approvals/<int:participation_id>/",
        views.approval_record,
        name="approval_record",
    ),
    path(
        "<int:case_id>/agreement/approvals/<int:participation_id>/link/",
        views.approval_link,
        name="approval_link",
    ),
    path(
        "<int:case_id>/agreement/follow-up-date/",
        views.follow_up_date,
        name="follow_up_date",
    ),
    path("<int:case_id>/summary/", views.summary_edit, name="summary_edit"),
    path(
        "<int:case_id>/summary/consent/<int:participation_id>/",
        views.summary_consent,
        name="summary_consent",
    ),
    # A party answers through its signed link, without an account.
    path("agreement/answer/<str:token>/", views.agreement_answer, name="agreement_answer"),
]
