from django.urls import path

from dossier import views

app_name = "dossier"

urlpatterns = [
    path("destruction/", views.lists, name="lists"),
    path("destruction/<int:pk>/", views.list_detail, name="list"),
    path("destruction/<int:pk>/decide/", views.list_decide, name="decide"),
    path("destruction/<int:pk>/statement/", views.statement, name="statement"),
    path("destruction/<int:pk>/statement.csv", views.statement_csv, name="statement_csv"),
    path("cases/<int:case_id>/hold/", views.hold, name="hold"),
    path("people/", views.people, name="people"),
    path("people/<int:party_id>/", views.person, name="person"),
    path("people/<int:party_id>/export/", views.person_export_page, name="person_export"),
    path("people/<int:party_id>/export.json", views.person_export_json, name="person_export_json"),
    path("people/<int:party_id>/erase/", views.person_erase, name="person_erase"),
    path("register/", views.register, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
    path("registration/", views.registration, name="registration"),
    path("registration.csv", views.registration_csv, name="registration_csv"),
]
