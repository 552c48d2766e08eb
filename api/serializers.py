"""What goes in and comes out of the API.

In: a referral, checked by the referral form's own classes (`parties.forms.ReferralForm` and
`ReferralPartyForm`), so the API and the form refuse the same things with the same messages;
the fields here describe the input for the schema and turn away wrong types first.

Out: what the referring coordinator sees of a case in the web interface: reference, kind,
status, dates, outcome and the dates of its status changes. Never the title, the reason or any
other text typed by anyone, nor the parties, notes, sessions or agreement: none of those has a
field here, so none can be sent.
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.models import ApiClient, ApiReferral
from cases.models import REASON_MAX_LENGTH, Case, CaseKind, CaseStatus, Outcome, Urgency
from mediation.validators import validate_single_line
from parties.forms import MAX_REFERRAL_PARTIES, ReferralForm, ReferralPartyForm
from parties.models import NAME_MAX_LENGTH, PartyKind


def _form_errors(form: Any) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }


class ReferralPartySerializer(serializers.Serializer):
    """One party of the conflict, as the referral form names it."""

    kind = serializers.ChoiceField(
        choices=PartyKind.choices, default=PartyKind.PERSON, help_text="Kind of party"
    )
    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH,
        help_text="Full name, or the name of the group or government body.",
    )
    organisation = serializers.CharField(
        max_length=NAME_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Organisation or department",
    )
    email = serializers.EmailField(
        required=False, allow_blank=True, default="", help_text="Email address"
    )


class CodeRelatedField(serializers.SlugRelatedField):
    """A related object named by its code. A code with a NUL character is refused as invalid
    before the lookup: PostgreSQL cannot compare text holding one, and would fail the call."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class ReferralCreateSerializer(serializers.Serializer):
    """A referral: everything the referral form asks, except the referring organisation,
    which is the client's own."""

    kind = CodeRelatedField(
        slug_field="code",
        queryset=CaseKind.objects.filter(active=True),
        help_text="The code of an active kind of conflict (GET /api/v1/case-kinds/).",
        error_messages={"does_not_exist": _("There is no active kind of conflict %(value)s.")},
    )
    title = serializers.CharField(
        max_length=200, help_text="A short neutral description, without names of private persons."
    )
    referral_reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        help_text="What the conflict is about and why mediation could help.",
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    safety_concern = serializers.BooleanField(
        default=False,
        help_text="Someone's safety may be at risk. The case goes to a supervisor first.",
    )
    woo_note = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "When a government body is a party: what was agreed about requests under the Open "
            "Government Act (Woo)."
        ),
    )
    parties: serializers.ListSerializer = serializers.ListSerializer(
        child=ReferralPartySerializer(),
        min_length=1,
        max_length=MAX_REFERRAL_PARTIES,
        help_text=f"The parties of the conflict: 1 to {MAX_REFERRAL_PARTIES}.",
        error_messages={
            # DRF fills in {max_length}; the message is the referral form's.
            "max_length": _(
                "A referral names at most {max_length} parties. Name the others in the reason, "
                "or let the mediator add them at intake."
            ),
            "min_length": _("Name at least one party of the conflict."),
        },
    )
    external_reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_single_line],
        help_text=(
            "Your system's own identifier of this referral (optional). A second referral with "
            "the same identifier is refused with 409 and the first one's id: a retried request "
            "makes no second case."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The referral form's rules, applied by its own classes."""
        client: ApiClient = self.context["client"]
        form = ReferralForm(
            data={
                "kind": attrs["kind"].pk,
                "title": attrs["title"],
                "referring_organisation": client.organisation,
                "referral_reason": attrs["referral_reason"],
                "urgency": attrs["urgency"],
                "safety_concern": attrs["safety_concern"],
                "woo_note": attrs["woo_note"],
            }
        )
        errors: dict[str, Any] = {}
        if not form.is_valid():
            errors.update(_form_errors(form))
            if "referring_organisation" in errors:
                # The client's own setting, not the caller's input: say so.
                errors.pop("referring_organisation")
                errors.setdefault("non_field_errors", []).append(
                    str(_("This client's organisation cannot be used: ask the administrator."))
                )
        party_forms = [ReferralPartyForm(data=party) for party in attrs["parties"]]
        if not all(party_form.is_valid() for party_form in party_forms):
            errors["parties"] = [_form_errors(party_form) for party_form in party_forms]
        if errors:
            raise serializers.ValidationError(errors)
        fields = {key: form.cleaned_data[key] for key in form.cleaned_data}
        fields.pop("referring_organisation")
        return {
            **fields,
            "parties": [party_form.cleaned_data for party_form in party_forms],
            "external_reference": attrs["external_reference"],
        }


@extend_schema_field(OpenApiTypes.DATE)
class LocalDateField(serializers.Field):
    """The day of a moment in Europe/Amsterdam, as the web interface shows it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: datetime) -> str:
        return timezone.localdate(value).isoformat()


class StatusChangeSerializer(serializers.Serializer):
    """A step of the case's lifecycle: the status it reached, and on which day."""

    status = serializers.ChoiceField(choices=CaseStatus.choices, source="to_status", read_only=True)
    on = LocalDateField(source="changed_at")


class OutcomeField(serializers.ChoiceField):
    """The outcome, or null while the case is open."""

    def to_representation(self, value: Any) -> Any:
        return value or None


class ReferralSerializer(serializers.Serializer):
    """A referral this client made, as its referring coordinator sees it."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True, help_text="MED-2026-0001")
    external_reference = serializers.SerializerMethodField(
        help_text="Your system's own identifier, as sent (empty when none was sent)."
    )
    kind = serializers.CharField(
        source="kind.code", read_only=True, help_text="The code of the kind of conflict."
    )
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    referred_on = serializers.DateField(read_only=True)
    outcome = OutcomeField(choices=Outcome.choices, allow_null=True, read_only=True)
    ended_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day the case ended, when it is closed."
    )
    status_history = StatusChangeSerializer(source="status_changes.all", many=True, read_only=True)

    def get_external_reference(self, case: Case) -> str:
        link: ApiReferral | None = getattr(case, "api_referral", None)
        return link.external_reference if link else ""


class ReferralFilterSerializer(serializers.Serializer):
    """The list's filters, from the query string."""

    status = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseStatus.choices),
        required=False,
        help_text="Only referrals in these statuses (repeat the parameter for more).",
    )
    outcome = serializers.ListField(
        child=serializers.ChoiceField(choices=Outcome.choices),
        required=False,
        help_text="Only closed referrals with these outcomes (repeat the parameter for more).",
    )
    referred_from = serializers.DateField(
        required=False, help_text="Only referrals referred on or after this day."
    )
    referred_until = serializers.DateField(
        required=False, help_text="Only referrals referred on or before this day."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start: date | None = attrs.get("referred_from")
        end: date | None = attrs.get("referred_until")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"referred_until": _("The end of the period cannot come before its start.")}
            )
        return attrs


class CaseKindSerializer(serializers.Serializer):
    """A kind of conflict a referral can have."""

    code = serializers.CharField(read_only=True, help_text="What a referral's `kind` names.")
    name_nl = serializers.CharField(read_only=True, help_text="The name in Dutch.")
    name_en = serializers.CharField(read_only=True, help_text="The name in English.")


class ErrorSerializer(serializers.Serializer):
    """A refusal: what went wrong, in words."""

    detail = serializers.CharField()


class DuplicateSerializer(ErrorSerializer):
    """The referral was sent before with this external_reference."""

    id = serializers.IntegerField(help_text="The referral made by the first request.")
    reference = serializers.CharField()


class WebhookDeliverySerializer(serializers.Serializer):
    """How a webhook's events fare (from `api.selectors.client_webhooks`)."""

    waiting = serializers.IntegerField(
        read_only=True, source="events_waiting", help_text="Events queued or being retried."
    )
    delivered = serializers.IntegerField(
        read_only=True, source="events_delivered", help_text="Events the address accepted (2xx)."
    )
    failed = serializers.IntegerField(
        read_only=True,
        source="events_failed",
        help_text=(
            "Events that failed for good: refused by the address (e.g. 400, 404) or not "
            "accepted after every retry. POST webhooks/{id}/redeliver/ sends them again."
        ),
    )
    last_delivered_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When an event was last delivered."
    )
    last_failure_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When an event not delivered since was last tried and failed.",
    )
    last_failure_error = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=(
            'That failure\'s kind: "HTTP <status>" for an answer, or the kind of connection '
            "error (e.g. ConnectionError, ReadTimeout). Never the answer's content."
        ),
    )
    last_failure_status = serializers.SerializerMethodField(
        help_text="The HTTP status of that failure, when the address answered."
    )

    def get_last_failure_status(self, webhook: Any) -> int | None:
        error = getattr(webhook, "last_failure_error", None) or ""
        code = error.removeprefix("HTTP ")
        return int(code) if error.startswith("HTTP ") and code.isdigit() else None


class WebhookSerializer(serializers.Serializer):
    """A webhook of this client (its secret is shown only once, when it is made), with how
    its events fare."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    stopped_at = serializers.DateTimeField(read_only=True, allow_null=True)
    deliveries = WebhookDeliverySerializer(source="*", read_only=True)


class WebhookCreateSerializer(serializers.Serializer):
    """Where to post the events."""

    url = serializers.CharField(
        max_length=500,
        help_text="An https:// address that accepts POSTed JSON events.",
    )


class WebhookUpdateSerializer(serializers.Serializer):
    """The webhook's new address."""

    url = serializers.CharField(
        max_length=500,
        help_text=(
            "An https:// address that accepts POSTed JSON events, checked as when the webhook "
            "is made. Events still waiting go to it."
        ),
    )


class WebhookRedeliveredSerializer(serializers.Serializer):
    """How many events were queued again."""

    queued = serializers.IntegerField(
        read_only=True, help_text="Events that had failed for good, now waiting again."
    )


class WebhookSecretSerializer(serializers.Serializer):
    """The webhook's new signing secret: keep it now, it is not shown again."""

    secret = serializers.CharField(
        read_only=True,
        help_text="Signs every event from now on, those still waiting too; the old one stops.",
    )


class WebhookCreatedSerializer(WebhookSerializer):
    """The new webhook, with the secret its events are signed with: keep it now, it is not
    shown again."""

    secret = serializers.CharField(
        read_only=True,
        help_text=(
            "Tafel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 with this secret of "
            '"<t>." followed by the raw body>. Refuse a t more than 5 minutes off.'
        ),
    )
