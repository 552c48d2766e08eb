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
]
