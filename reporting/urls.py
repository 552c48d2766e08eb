from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("annual/", views.annual, name="annual"),
]
