"""The participants' personal links (issue 20): made, sent, revoked and opened here.

A link is signed over its id and a random nonce (`django.core.signing`, its own salt); whether
it still works is the database's to say: it expires after `TAFEL_PORTAL_LINK_DAYS` and a
mediator can revoke it or make a new one (which revokes the old). Every use is audited. The
pages themselves are in the `portal` app; this module sits in `parties` so that the invites
(`scheduling`) can carry the link.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case
from cases.permissions import CasePermission, has_case_permission
from mediation.outbox import outbox_enqueue
from mediation.types import StrOrPromise, User
from parties.models import Participation, PortalLink

PORTAL_SALT = "tafel.parties.portal-link.v1"


def portal_token(link: PortalLink) -> str:
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=PORTAL_SALT)


def portal_url(link: PortalLink) -> str:
    return settings.TAFEL_BASE_URL + reverse("portal:home", args=[portal_token(link)])


def _check_mediator(participation: Participation, actor: User) -> None:
    if not has_case_permission(actor, participation.case, CasePermission.MANAGE_PARTIES):
        raise PermissionDenied
    if participation.removed_at is not None:
        raise ValidationError(_("This participant was taken off the case: they have no page."))


def portal_link_active(participation: Participation) -> PortalLink | None:
    """The participant's working link, or None (none made, revoked or expired)."""
    return (
        PortalLink.objects.filter(
            participation=participation, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


def portal_link_latest(participation: Participation) -> PortalLink | None:
    """The participant's latest link, working or not (for the mediator's page)."""
    return PortalLink.objects.filter(participation=participation).order_by("-id").first()


@transaction.atomic
def portal_link_make(*, participation: Participation, actor: User) -> PortalLink:
    """A new link for the participant; the one they had stops working."""
    _check_mediator(participation, actor)
    now = timezone.now()
    revoked = PortalLink.objects.filter(
        participation=participation, revoked_at__isnull=True
    ).update(revoked_at=now)
    link = PortalLink.objects.create(
        participation=participation,
        nonce=secrets.token_urlsafe(16),
        created_by=actor,
        expires_at=now + timedelta(days=settings.TAFEL_PORTAL_LINK_DAYS),
    )
    audit_record(
        action=AuditAction.PORTAL_LINK_MADE,
        actor=actor,
        target=link,
        case_id=participation.case_id,
        details={"participation": participation.pk, "replaced": bool(revoked)},
    )
    return link


@transaction.atomic
def portal_link_revoke(*, participation: Participation, actor: User) -> int:
    """Stop the participant's link from working; returns how many links were revoked."""
    _check_mediator(participation, actor)
    revoked = PortalLink.objects.filter(
        participation=participation, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked:
        audit_record(
            action=AuditAction.PORTAL_LINK_REVOKED,
            actor=actor,
            target=participation,
            case_id=participation.case_id,
            details={"participation": participation.pk},
        )
    return revoked


@transaction.atomic
def portal_link_send(*, participation: Participation, actor: User) -> PortalLink:
    """Email the participant their link (made now when they have no working one), through
    the outbox, in their language, to their own address only."""
    _check_mediator(participation, actor)
    address = participation.party.reachable_by_email
    if not participation.party.by_email:
        raise ValidationError(
            _(
                "%(name)s does not hear from us by email: copy the link and pass it on by "
                "letter or through their representative."
            )
            % {"name": participation.party.name}
        )
    if not address:
        raise ValidationError(
            _("%(name)s has no email address: copy the link and pass it on another way.")
            % {"name": participation.party.name}
        )
    link = portal_link_active(participation) or portal_link_make(
        participation=participation, actor=actor
    )
    with translation.override(participation.page_language):
        subject = _("Tafel: your personal page for mediation %(reference)s") % {
            "reference": participation.case.reference
        }
        body = render_to_string(
            "portal/email/link.txt",
            {"link": portal_url(link), "expires": link.expires_at, "party": participation.party},
        )
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
    )
    outbox_enqueue(
        message=message,
        purpose="portal_link",
        group=f"portal:{participation.pk}",
        case_id=participation.case_id,
    )
    audit_record(
        action=AuditAction.PORTAL_LINK_SENT,
        actor=actor,
        target=link,
        case_id=participation.case_id,
        details={"participation": participation.pk},
    )
    return link


def portal_url_for_invite(participation: Participation | None) -> str:
    """The participant's working link for an invite, or "" (an invite never makes one)."""
    if participation is None:
        return ""
    link = portal_link_active(participation)
    return portal_url(link) if link is not None else ""


# Opening a link


class PortalProblem(Exception):
    """The link cannot be used; `message` says why, in plain words and nothing more."""

    def __init__(self, message: StrOrPromise, *, status: int = 400, language: str = ""):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.language = language


LINK_BROKEN = gettext_lazy(
    "This link is not complete or was changed. Open it again from the email, or copy the whole "
    "link into your browser."
)
LINK_EXPIRED = gettext_lazy(
    "This link has expired. Ask your mediator for a new link to your personal page."
)
LINK_REVOKED = gettext_lazy(
    "This link no longer works: your mediator stopped it or sent you a new one. Use the newest "
    "link, or ask your mediator for one."
)
LINK_GONE = gettext_lazy("This page no longer exists. Please contact your mediator.")


@dataclass(frozen=True)
class PortalVisit:
    """A working link: the link, its participant and their case."""

    link: PortalLink
    participation: Participation

    @property
    def case(self) -> Case:
        return self.participation.case

    @property
    def language(self) -> str:
        return self.participation.page_language


def _refused(reason: str, link: PortalLink | None = None) -> None:
    audit_record(
        action=AuditAction.PORTAL_REFUSED,
        actor=None,
        actor_label="personal page",
        case_id=link.participation.case_id if link is not None else None,
        details={"reason": reason, **({"link": link.pk} if link is not None else {})},
    )


def portal_open(token: str, *, page: str) -> PortalVisit:
    """The participant of a working link, the use audited as `page`; or PortalProblem."""
    try:
        payload = signing.loads(token, salt=PORTAL_SALT)
        link_id, nonce = payload["l"], payload["n"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        _refused("broken")
        raise PortalProblem(LINK_BROKEN) from None
    link = (
        PortalLink.objects.select_related("participation__party__key", "participation__case")
        .filter(pk=link_id, nonce=nonce)
        .first()
        if isinstance(link_id, int) and isinstance(nonce, str)
        else None
    )
    if link is None:
        _refused("unknown")
        raise PortalProblem(LINK_GONE, status=404)
    language = link.participation.page_language
    if link.revoked_at is not None:
        _refused("revoked", link)
        raise PortalProblem(LINK_REVOKED, status=410, language=language)
    if link.expires_at <= timezone.now():
        _refused("expired", link)
        raise PortalProblem(LINK_EXPIRED, status=410, language=language)
    if link.participation.removed_at is not None:
        _refused("participant removed", link)
        raise PortalProblem(LINK_GONE, status=410, language=language)
    if link.participation.case.dossier_destroyed_on is not None:
        _refused("dossier destroyed", link)
        raise PortalProblem(LINK_GONE, status=410, language=language)
    PortalLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    audit_record(
        action=AuditAction.PORTAL_USED,
        actor=None,
        actor_label="personal page",
        target=link,
        case_id=link.participation.case_id,
        details={"participation": link.participation_id, "page": page},
    )
    return PortalVisit(link=link, participation=link.participation)


# The optional second step: a code sent to the participant's email address

CODE_MINUTES = 10
CODE_ATTEMPTS = 5
# The links whose code was entered in this browser session (the session cookie, not an account).
VERIFIED_SESSION_KEY = "tafel.portal.verified"


def _code_hash(link: PortalLink, code: str) -> str:
    message = f"{link.pk}:{link.nonce}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def portal_code_required_set(*, visit: PortalVisit, required: bool) -> None:
    """The participant asks for (or no longer wants) a code by email each time."""
    if required and not visit.participation.party.email:
        raise ValidationError(
            _("A code can only be sent to an email address. Add your email address first.")
        )
    PortalLink.objects.filter(pk=visit.link.pk).update(code_required=required)
    visit.link.code_required = required
    audit_record(
        action=AuditAction.PORTAL_CODE_SETTING,
        actor=None,
        actor_label="participant (personal page)",
        target=visit.link,
        case_id=visit.participation.case_id,
        details={"participation": visit.participation.pk, "required": required},
    )


@transaction.atomic
def portal_code_send(*, visit: PortalVisit) -> None:
    """Send a new code (six digits, CODE_MINUTES valid) to the participant's address."""
    address = visit.participation.party.email
    if not address:
        raise ValidationError(_("There is no email address to send a code to."))
    code = f"{secrets.randbelow(10**6):06d}"
    link = PortalLink.objects.select_for_update().get(pk=visit.link.pk)
    link.code_hash = _code_hash(link, code)
    link.code_expires_at = timezone.now() + timedelta(minutes=CODE_MINUTES)
    link.code_attempts = 0
    link.save(update_fields=["code_hash", "code_expires_at", "code_attempts"])
    with translation.override(visit.language):
        subject = _("Tafel: your code is %(code)s") % {"code": code}
        body = render_to_string("portal/email/code.txt", {"code": code, "minutes": CODE_MINUTES})
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
    )
    outbox_enqueue(message=message, purpose="portal_code", case_id=visit.participation.case_id)
    audit_record(
        action=AuditAction.PORTAL_CODE_SENT,
        actor=None,
        actor_label="participant (personal page)",
        target=link,
        case_id=visit.participation.case_id,
        details={"participation": visit.participation.pk},
    )


@transaction.atomic
def portal_code_check(*, visit: PortalVisit, code: str) -> bool:
    """Whether `code` is the code sent last, unused, in time; at most CODE_ATTEMPTS tries."""
    link = PortalLink.objects.select_for_update().get(pk=visit.link.pk)
    usable = bool(link.code_hash) and link.code_expires_at and link.code_expires_at > timezone.now()
    link.code_attempts += 1
    right = bool(usable) and hmac.compare_digest(link.code_hash, _code_hash(link, code.strip()))
    if right or link.code_attempts >= CODE_ATTEMPTS:
        link.code_hash, link.code_expires_at = "", None  # used, or too many tries: ask again
    link.save(update_fields=["code_hash", "code_expires_at", "code_attempts"])
    audit_record(
        action=AuditAction.PORTAL_CODE_CHECKED,
        actor=None,
        actor_label="participant (personal page)",
        target=link,
        case_id=visit.participation.case_id,
        details={"participation": visit.participation.pk, "right": right},
    )
    return right
