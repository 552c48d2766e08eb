"""A participant's personal page: /p/<token>/ and its parts (the token is the key)."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("<str:token>/", views.home, name="home"),
    path("<str:token>/sessions/<int:attendee_id>/answer/", views.answer, name="answer"),
    path("<str:token>/agreement/", views.agreement, name="agreement"),
    path("<str:token>/details/", views.details, name="details"),
    path("<str:token>/code/", views.code, name="code"),
    path("<str:token>/code/setting/", views.code_setting, name="code_setting"),
]
