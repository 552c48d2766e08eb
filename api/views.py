"""The API's endpoints: HTTP only. Reads go through `api.selectors`, writes through
`api.services`, which refer through `parties.services.referral_make` like the referral form."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors, services, webhooks
from api.authentication import ApiTokenAuthentication
from api.models import ApiClient, Webhook
from api.permissions import CanReadCases, CanWriteReferrals, IsApiClient
from api.serializers import (
    CaseKindSerializer,
    DuplicateSerializer,
    ErrorSerializer,
    ReferralCreateSerializer,
    ReferralFilterSerializer,
    ReferralSerializer,
    WebhookCreatedSerializer,
    WebhookCreateSerializer,
    WebhookRedeliveredSerializer,
    WebhookSecretSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)
from api.throttling import ApiAddressThrottle, ApiClientThrottle
from cases.models import Case, CaseKind

INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Refused: messages per field.")
REFUSALS = {
    401: OpenApiResponse(ErrorSerializer, description="No token, or not a valid one."),
    403: OpenApiResponse(ErrorSerializer, description="The client lacks the scope."),
    429: OpenApiResponse(ErrorSerializer, description="Too many calls; wait and try again."),
}
NOT_THIS_CLIENTS = OpenApiResponse(ErrorSerializer, description="Not a webhook of this client.")
STOPPED = OpenApiResponse(
    ErrorSerializer, description="The webhook is stopped: it cannot be changed or send again."
)


class ApiView(generics.GenericAPIView):
    """Every endpoint's base: the token, the rate limits, and the audit record of each call."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes: list[type[BasePermission]] = [IsApiClient]
    throttle_classes = [ApiClientThrottle]
    # No OPTIONS self-description: the schema describes the API (405 instead).
    metadata_class = None
    audit_case_id: int | None = None

    def client(self) -> ApiClient:
        client = self.request.auth
        if not isinstance(client, ApiClient):  # IsApiClient lets only a client in
            raise NotAuthenticated
        return client

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Counted by address before the token is read: guessing tokens gets slow.
        address = ApiAddressThrottle()
        if not address.allow_request(request, self):
            self.throttled(request, address.wait() or 1.0)
        super().initial(request, *args, **kwargs)

    def finalize_response(
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Throttled calls are not recorded: they were refused unread, and a flood of them must
        # not become a flood of writes to the trail.
        if response.status_code != status.HTTP_429_TOO_MANY_REQUESTS:
            client = getattr(request, "_auth", None)
            services.api_call_record(
                client=client if isinstance(client, ApiClient) else None,
                method=request.method or "",
                path=request.path,
                status=response.status_code,
                case_id=self.audit_case_id,
            )
        return response


class ReferralPagination(CursorPagination):
    """Newest first, a page at a time from an opaque cursor (no counting, no offsets)."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class ReferralListCreate(ApiView, generics.ListCreateAPIView):
    """The client's referrals: send one (referrals:write), or list them (cases:read)."""

    serializer_class = ReferralSerializer
    pagination_class = ReferralPagination

    def get_permissions(self) -> list[BasePermission]:
        scope = CanWriteReferrals if self.request.method == "POST" else CanReadCases
        return [IsApiClient(), scope()]

    def get_queryset(self) -> QuerySet[Case]:
        filters = ReferralFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        return selectors.client_referrals(
            client=self.client(),
            statuses=wanted.get("status"),
            outcomes=wanted.get("outcome"),
            referred_from=wanted.get("referred_from"),
            referred_until=wanted.get("referred_until"),
        )

    @extend_schema(
        operation_id="referrals_list",
        summary="List this client's referrals",
        parameters=[ReferralFilterSerializer],
        responses={
            200: ReferralSerializer(many=True),
            400: INVALID,
            404: OpenApiResponse(
                ErrorSerializer, description="The cursor is not one this list gave: no such page."
            ),
            **REFUSALS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        operation_id="referrals_create",
        summary="Refer a conflict",
        description=(
            "Makes a case exactly as the referral form does: the same checks, the same "
            "service; it joins the supervisors' queue of new referrals. The referring "
            "organisation is the client's own; the coordinator it acts as is the referrer."
        ),
        request=ReferralCreateSerializer,
        responses={
            201: ReferralSerializer,
            400: INVALID,
            409: OpenApiResponse(
                DuplicateSerializer, description="A referral with this external_reference exists."
            ),
            413: ErrorSerializer,
            **REFUSALS,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.client()
        given = ReferralCreateSerializer(data=request.data, context={"client": client})
        given.is_valid(raise_exception=True)
        try:
            case = services.api_referral_make(client=client, **given.validated_data)
        except services.DuplicateReferral as duplicate:
            self.audit_case_id = duplicate.case.pk
            message = _("You sent a referral with this external_reference before.")
            body = {
                "detail": message,
                "id": duplicate.case.pk,
                "reference": duplicate.case.reference,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        self.audit_case_id = case.pk
        made = selectors.client_referrals(client=client).get(pk=case.pk)
        location = reverse("api:referral", args=[case.pk])
        return Response(
            ReferralSerializer(made).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class ReferralDetail(ApiView, generics.RetrieveAPIView):
    """One referral of this client; any other case is a 404, as if it did not exist."""

    serializer_class = ReferralSerializer
    permission_classes = [IsApiClient, CanReadCases]
    lookup_url_kwarg = "case_id"

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.client_referrals(client=self.client())

    def get_object(self) -> Case:
        case = super().get_object()
        self.audit_case_id = case.pk
        return case

    @extend_schema(
        operation_id="referrals_retrieve",
        summary="Read one referral's status, dates and outcome",
        responses={
            200: ReferralSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not a referral of this client."),
            **REFUSALS,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.retrieve(request, *args, **kwargs)


class CaseKindList(ApiView, generics.ListAPIView):
    """The kinds of conflict a referral can have now."""

    serializer_class = CaseKindSerializer
    pagination_class = None
    queryset = CaseKind.objects.filter(active=True)

    @extend_schema(
        operation_id="case_kinds_list",
        summary="List the kinds of conflict",
        responses={200: CaseKindSerializer(many=True), **REFUSALS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class WebhookListCreate(ApiView, generics.GenericAPIView):
    """The client's webhooks: make one (its secret is shown once), or list them."""

    permission_classes = [IsApiClient, CanReadCases]
    serializer_class = WebhookSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Webhook]:
        return selectors.client_webhooks(client=self.client())

    @extend_schema(
        operation_id="webhooks_list",
        summary="List this client's webhooks",
        description=(
            "Each with how its events fare: how many wait, were delivered, or failed for "
            "good, when the last was delivered, and the last failure's kind (never the "
            "receiving system's answer)."
        ),
        responses={200: WebhookSerializer(many=True), **REFUSALS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(WebhookSerializer(self.get_queryset(), many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        summary="Hear of status changes at an address",
        description=(
            "Every status change of a referral this client made is posted to the address as "
            "a JSON event (type referral.status_changed, with the referral as GET "
            "referrals/{id}/ reads it), in order, retried while the address does not answer, "
            "and signed with the secret in the answer (shown only now)."
        ),
        request=WebhookCreateSerializer,
        responses={201: WebhookCreatedSerializer, 400: INVALID, 413: ErrorSerializer, **REFUSALS},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = WebhookCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            webhook, secret = webhooks.webhook_create(
                client=self.client(), url=given.validated_data["url"]
            )
        except webhooks.WebhookProblem as problem:
            return Response({"url": [str(problem)]}, status=status.HTTP_400_BAD_REQUEST)
        webhook = self.get_queryset().get(pk=webhook.pk)
        made = WebhookCreatedSerializer(webhook).data | {"secret": secret}
        location = reverse("api:webhook", args=[webhook.pk])
        return Response(made, status=status.HTTP_201_CREATED, headers={"Location": location})


class WebhookView(ApiView, generics.GenericAPIView):
    """A view of one webhook of this client; another client's is a 404."""

    permission_classes = [IsApiClient, CanReadCases]
    serializer_class = WebhookSerializer
    lookup_url_kwarg = "webhook_id"

    def get_queryset(self) -> QuerySet[Webhook]:
        return selectors.client_webhooks(client=self.client())

    def stopped(self, problem: webhooks.WebhookStopped) -> Response:
        return Response({"detail": str(problem)}, status=status.HTTP_409_CONFLICT)


class WebhookDetail(WebhookView):
    """One webhook of this client: read it, move it to another address, or stop it."""

    @extend_schema(
        operation_id="webhooks_retrieve",
        summary="Read one webhook",
        description="With how its events fare, as in the list.",
        responses={200: WebhookSerializer, 404: NOT_THIS_CLIENTS, **REFUSALS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(WebhookSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="webhooks_update",
        summary="Move a webhook to another address",
        description=(
            "The address is checked as when the webhook is made. Events still waiting, and "
            "any sent again later, go to the new address (each call reads the webhook's "
            "address when it is made); the secret stays."
        ),
        request=WebhookUpdateSerializer,
        responses={
            200: WebhookSerializer,
            400: INVALID,
            404: NOT_THIS_CLIENTS,
            409: STOPPED,
            413: ErrorSerializer,
            **REFUSALS,
        },
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webhook = self.get_object()
        given = WebhookUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            webhooks.webhook_url_change(webhook=webhook, url=given.validated_data["url"])
        except webhooks.WebhookStopped as problem:
            return self.stopped(problem)
        except webhooks.WebhookProblem as problem:
            return Response({"url": [str(problem)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(WebhookSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="webhooks_stop",
        summary="Stop a webhook",
        description="No more events go to its address; events still waiting are dropped.",
        responses={204: None, 404: NOT_THIS_CLIENTS, **REFUSALS},
    )
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webhooks.webhook_stop(webhook=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRedeliver(WebhookView):
    """Send a webhook's events that failed for good again."""

    @extend_schema(
        operation_id="webhooks_redeliver",
        summary="Send the events that failed for good again",
        description=(
            "Queues every event of the webhook that failed for good again, with a fresh "
            "count of retries, to the webhook's present address. They go out in the order "
            "they happened, before any later event still waiting, with their own event id "
            "(Tafel-Event-Id), so a receiver that handled one before can tell; each is signed "
            "anew. The answer says how many were queued."
        ),
        request=None,
        responses={
            200: WebhookRedeliveredSerializer,
            404: NOT_THIS_CLIENTS,
            409: STOPPED,
            **REFUSALS,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            queued = webhooks.webhook_redeliver(webhook=self.get_object())
        except webhooks.WebhookStopped as problem:
            return self.stopped(problem)
        return Response(WebhookRedeliveredSerializer({"queued": queued}).data)


class WebhookSecret(WebhookView):
    """Give a webhook a new signing secret."""

    @extend_schema(
        operation_id="webhooks_secret_renew",
        summary="Give a webhook a new signing secret",
        description=(
            "The answer holds the new secret, shown only now. It signs every call from now "
            "on, those of events still waiting too; the old secret stops at once."
        ),
        request=None,
        responses={201: WebhookSecretSerializer, 404: NOT_THIS_CLIENTS, 409: STOPPED, **REFUSALS},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            secret = webhooks.webhook_secret_renew(webhook=self.get_object())
        except webhooks.WebhookStopped as problem:
            return self.stopped(problem)
        return Response({"secret": secret}, status=status.HTTP_201_CREATED)


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI, its assets served from here (drf-spectacular-sidecar), no inline script or
    style: the site's Content-Security-Policy holds on this page too."""

    template_name = "api/docs.html"
    url_name = "api:schema"
    title = "Tafel API"


@csrf_exempt  # it changes nothing, and answers every method alike, as the API's views do
def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other address under /api/v1/: a 404 in JSON, like the API's own."""
    return JsonResponse({"detail": _("There is nothing at this address.")}, status=404)
