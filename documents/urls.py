"""Documents of a case, for its mediators."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:case_id>/documents/", views.document_list, name="list"),
    path(
        "<int:case_id>/documents/<int:document_id>/download/",
        views.document_download,
        name="download",
    ),
    path(
        "<int:case_id>/documents/<int:document_id>/delete/",
        views.document_delete,
        name="delete",
    ),
]
