from django.urls import path

from cases import notes_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
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
    path(
        "<int:case_id>/outbox/<int:message_id>/resend/",
        views.outbox_resend,
        name="outbox_resend",
    ),
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
]
