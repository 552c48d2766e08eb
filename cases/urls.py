from django.urls import path

from cases import views

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
]
