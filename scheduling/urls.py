"""Session pages under cases/<case_id>/sessions/, the answer links and the calendar feeds."""

from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("cases/<int:case_id>/sessions/new/", views.session_schedule, name="schedule"),
    path("cases/<int:case_id>/sessions/record/", views.session_record, name="record"),
    path("cases/<int:case_id>/sessions/<int:session_id>/", views.session_detail, name="detail"),
    path(
        "cases/<int:case_id>/sessions/<int:session_id>/change/",
        views.session_reschedule,
        name="reschedule",
    ),
    path(
        "cases/<int:case_id>/sessions/<int:session_id>/cancel/",
        views.session_cancel,
        name="cancel",
    ),
    path(
        "cases/<int:case_id>/sessions/<int:session_id>/held/",
        views.session_mark_held,
        name="mark_held",
    ),
    path(
        "cases/<int:case_id>/sessions/<int:session_id>/attendees/add/",
        views.attendee_add,
        name="attendee_add",
    ),
    path(
        "cases/<int:case_id>/sessions/<int:session_id>/attendees/<int:attendee_id>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
    path(
        "cases/<int:case_id>/sessions/<int:session_id>/attendees/<int:attendee_id>/answer/",
        views.attendee_answer,
        name="attendee_answer",
    ),
    path("invite/<str:token>/", views.rsvp, name="rsvp"),
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
