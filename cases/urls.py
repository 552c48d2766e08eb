from django.urls import path

from cases import agreement_views, notes_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("refer/", views.case_refer, name="refer"),
    path("queue/", views.referral_queue, name="queue"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/transition/", views.case_transition, name="transition"),
    path("<int:case_id>/assign/", views.case_assign, name="assign"),
    path("<int:case_id>/declaration/", views.case_declare, name="declare"),
    path(
        "<int:case_id>/declaration/<int:declaration_id>/accepted/",
        views.conflict_accept,
        name="conflict_accept",
    ),
    path("<int:case_id>/trail/", views.case_trail, name="trail"),
    path("<int:case_id>/notes/", notes_views.note_list, name="notes"),
    path("<int:case_id>/notes/add/", notes_views.note_add, name="note_add"),
    path("<int:case_id>/notes/<int:note_id>/", notes_views.note_detail, name="note_detail"),
    path("<int:case_id>/notes/<int:note_id>/edit/", notes_views.note_edit, name="note_edit"),
    path(
        "<int:case_id>/notes/<int:note_id>/versions/",
        notes_views.note_versions,
        name="note_versions",
    ),
    path("<int:case_id>/notes/<int:note_id>/delete/", notes_views.note_delete, name="note_delete"),
    # The agreement: mediators only (404 for everyone else).
    path("<int:case_id>/agreement/", agreement_views.agreement_detail, name="agreement"),
    path("<int:case_id>/agreement/edit/", agreement_views.agreement_edit, name="agreement_edit"),
    path("<int:case_id>/agreement/print/", agreement_views.agreement_print, name="agreement_print"),
    path(
        "<int:case_id>/agreement/versions/",
        agreement_views.agreement_versions,
        name="agreement_versions",
    ),
    path("<int:case_id>/agreement/actions/add/", agreement_views.action_add, name="action_add"),
    path(
        "<int:case_id>/agreement/actions/<int:action_id>/edit/",
        agreement_views.action_edit,
        name="action_edit",
    ),
    path(
        "<int:case_id>/agreement/actions/<int:action_id>/remove/",
        agreement_views.action_remove,
        name="action_remove",
    ),
    path(
        "<int:case_id>/agreement/actions/<int:action_id>/review/",
        agreement_views.action_review,
        name="action_review",
    ),
    path(
        "<int:case_id>/agreement/approvals/<int:participation_id>/",
        agreement_views.approval_record,
        name="approval_record",
    ),
    path(
        "<int:case_id>/agreement/approvals/<int:participation_id>/link/",
        agreement_views.approval_link,
        name="approval_link",
    ),
    path(
        "<int:case_id>/agreement/follow-up-date/",
        agreement_views.follow_up_date,
        name="follow_up_date",
    ),
    path("<int:case_id>/summary/", agreement_views.summary_edit, name="summary_edit"),
    path(
        "<int:case_id>/summary/consent/<int:participation_id>/",
        agreement_views.summary_consent,
        name="summary_consent",
    ),
    # A party answers through its signed link, without an account.
    path(
        "agreement/answer/<str:token>/", agreement_views.agreement_answer, name="agreement_answer"
    ),
]
