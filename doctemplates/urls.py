"""The template pages: the list, a template's wording and its versions."""

from django.urls import path

from doctemplates import views

app_name = "doctemplates"

urlpatterns = [
    path("", views.template_list, name="list"),
    path("<int:template_id>/", views.template_edit, name="edit"),
    path("<int:template_id>/versions/<int:number>/", views.template_version, name="version"),
]
