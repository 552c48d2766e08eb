"""Registering municipal systems. The token is shown once, on the page after it is made;
only its hash is stored, and the admin never shows that."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from api.models import ApiClient, ApiScope, Webhook
from api.services import acts_as_problem, api_client_prepare, api_client_token_renew
from mediation.admin import ReadOnlyAdminMixin
from mediation.forms import form_field
from mediation.roles import Role


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=ApiScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the client may do."),
    )

    class Meta:
        model = ApiClient
        fields = ["name", "organisation", "acts_as", "scopes", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only people who can refer: coordinators, never an administrator account.
        form_field(
            self, "acts_as", forms.ModelChoiceField
        ).queryset = get_user_model().objects.filter(
            groups__name=Role.COORDINATOR.value, is_staff=False, is_superuser=False
        )

    def clean_acts_as(self) -> Any:
        user = self.cleaned_data["acts_as"]
        if problem := acts_as_problem(user):
            raise ValidationError(problem)
        return user


def _token_page(request: HttpRequest, client: ApiClient, token: str) -> HttpResponse:
    response = TemplateResponse(
        request,
        "admin/api/apiclient/token.html",
        {
            **admin.site.each_context(request),
            "title": _("The token of %(name)s") % {"name": client.name},
            "client": client,
            "token": token,
            "opts": ApiClient._meta,
        },
    )
    add_never_cache_headers(response)  # the token must not stay in any cache
    return response


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = [
        "name",
        "organisation",
        "acts_as",
        "scopes",
        "active",
        "created_at",
        "last_used_at",
    ]
    list_filter = ["active"]
    search_fields = ["name", "organisation"]
    list_select_related = ["acts_as"]
    readonly_fields = ["token_hint", "created_at", "last_used_at"]
    actions = ["renew_token"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: the trail and the client's referrals name it.
        return False

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if not change:
            request._api_token = api_client_prepare(obj)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ApiClient, post_url_continue: str | None = None
    ) -> HttpResponse:
        token = getattr(request, "_api_token", None)
        if token:
            return _token_page(request, obj, token)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Make a new token (the old one stops working)"))
    def renew_token(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, _("Choose one client at a time."), messages.WARNING)
            return None
        client = queryset.get()
        user = request.user if request.user.is_authenticated else None
        return _token_page(request, client, api_client_token_renew(client=client, actor=user))


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The clients' webhooks, to see who hears what (made and stopped through the API; the
    signing secret is never shown). Their calls are under the HTTP outbox's deliveries."""

    list_display = ["client", "url", "active", "created_at", "stopped_at"]
    list_filter = ["active"]
    fields = ["client", "url", "active", "created_at", "stopped_at"]
