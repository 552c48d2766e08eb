"""The API, version 1 (mounted at /api/v1/ by the root URLconf)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

urlpatterns = [
    path("referrals/", views.ReferralListCreate.as_view(), name="referrals"),
    path("referrals/<int:case_id>/", views.ReferralDetail.as_view(), name="referral"),
    path("webhooks/", views.WebhookListCreate.as_view(), name="webhooks"),
    path("webhooks/<int:webhook_id>/", views.WebhookDetail.as_view(), name="webhook"),
    path(
        "webhooks/<int:webhook_id>/redeliver/",
        views.WebhookRedeliver.as_view(),
        name="webhook_redeliver",
    ),
    path("webhooks/<int:webhook_id>/secret/", views.WebhookSecret.as_view(), name="webhook_secret"),
    path("case-kinds/", views.CaseKindList.as_view(), name="case_kinds"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocs.as_view(), name="docs"),
    path("<path:rest>", views.not_found, name="not_found"),
]
