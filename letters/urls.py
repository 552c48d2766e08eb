"""Letters of a case, for its mediators."""

from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("<int:case_id>/letters/", views.letter_list, name="list"),
    path("<int:case_id>/letters/closing/", views.letter_closing, name="closing"),
    path("<int:case_id>/letters/<int:letter_id>/", views.letter_detail, name="detail"),
    path("<int:case_id>/letters/<int:letter_id>/sent/", views.letter_mark_sent, name="sent"),
]
