"""The survey: a party answers by its link; the case's mediators read the answers."""

from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("survey/<str:token>/", views.survey_answer_page, name="answer"),
    path("cases/<int:case_id>/survey/", views.case_survey, name="case_survey"),
]
