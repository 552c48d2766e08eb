"""Messages to the referring coordinator: status only, never the content of the talks."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import Case
from mediation.outbox import outbox_enqueue


def referrer_status_notify(*, case: Case) -> None:
    """Queue a status message to the referrer, in the same transaction as the change."""
    referrer = case.referred_by
    if not referrer.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Tafel: case %(reference)s is now '%(status)s'") % {
            "reference": case.reference,
            "status": case.get_status_display(),
        }
        body = render_to_string(
            "cases/email/status_changed.txt",
            {
                "case": case,
                "link": settings.TAFEL_BASE_URL + reverse("cases:detail", args=[case.pk]),
            },
        )
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[referrer.email]
    )
    outbox_enqueue(message=message, purpose="status", group=f"case:{case.pk}", case_id=case.pk)
