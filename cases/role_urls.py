"""The roles page, included by the root URLconf at /accounts/roles/."""

from django.urls import path

from cases import role_views

app_name = "roles"

urlpatterns = [
    path("", role_views.role_list, name="list"),
    path("<int:user_id>/", role_views.role_change, name="change"),
]
