"""Every write of the API app: clients and their tokens, referrals, and the record of calls."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiClient, ApiReferral, ApiScope
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseKind
from mediation.roles import Role, is_admin_account, roles_of
from mediation.types import User
from parties.services import referral_make

TOKEN_PREFIX = "tafel_"  # noqa: S105 - the prefix that marks a token, not a secret
PATH_MAX_LENGTH = 200
# `last_used_at` is written at most this often: not one extra write for every call.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The stored form of a token: SHA-256, hexadecimal."""
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


def _token_new() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits


def _token_set(client: ApiClient) -> str:
    token = _token_new()
    client.token_hash = token_hash(token)
    client.token_hint = token[: len(TOKEN_PREFIX) + 4]
    return token


def acts_as_problem(user: User | None) -> str:
    """Why `user` cannot be the coordinator a client acts as, or "" when they can."""
    if user is None:
        return _("Choose the coordinator this client acts as.")
    if is_admin_account(user):
        return _("An administrator account cannot refer cases: choose a coordinator.")
    if not user.is_active:
        return _("This user is not active.")
    if Role.COORDINATOR not in roles_of(user):
        return _("This user is not a municipal coordinator.")
    return ""


def scopes_clean(scopes: Iterable[str]) -> list[str]:
    """The scopes in their fixed order; an unknown one is refused."""
    chosen = set(scopes)
    unknown = chosen - set(ApiScope.values)
    if unknown:
        raise ValidationError(
            {"scopes": _("Unknown scope: %(scope)s.") % {"scope": ", ".join(sorted(unknown))}}
        )
    return [scope for scope in ApiScope.values if scope in chosen]


def api_client_prepare(client: ApiClient) -> str:
    """Check a new client and give it a token (not saved yet); return the token.

    The admin's add form saves the client itself (and records the addition); the management
    command goes through `api_client_create`.
    """
    problem = acts_as_problem(client.acts_as if client.acts_as_id else None)
    if problem:
        raise ValidationError({"acts_as": problem})
    client.scopes = scopes_clean(client.scopes or [])
    token = _token_set(client)
    client.full_clean()
    return token


@transaction.atomic
def api_client_create(
    *, name: str, organisation: str, acts_as: User, scopes: Iterable[str], actor: User | None
) -> tuple[ApiClient, str]:
    """Register a municipal system; return it with its token, which is shown only now."""
    client = ApiClient(
        name=name.strip(), organisation=organisation.strip(), acts_as=acts_as, scopes=list(scopes)
    )
    token = api_client_prepare(client)
    client.save()
    audit_record(
        action=AuditAction.API_CLIENT_CREATED,
        actor=actor,
        target=client,
        details={"acts_as": acts_as.pk, "scopes": client.scopes},
    )
    return client, token


@transaction.atomic
def api_client_token_renew(*, client: ApiClient, actor: User | None) -> str:
    """Give the client a new token; the old one stops working at once. Shown only now."""
    token = _token_set(client)
    client.save(update_fields=["token_hash", "token_hint"])
    audit_record(action=AuditAction.API_TOKEN_RENEWED, actor=actor, target=client)
    return token


def api_client_used(client: ApiClient) -> None:
    """Note when the token was last accepted, at most once a minute."""
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_PRECISION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


def api_call_record(
    *, client: ApiClient | None, method: str, path: str, status: int, case_id: int | None = None
) -> None:
    """One call to the API in the audit trail: client, method, path and status; no content.

    The actor is the coordinator the client acts as; a call without a valid token has none.
    """
    details: dict[str, object] = {
        "method": method[:10],
        "path": path[:PATH_MAX_LENGTH],
        "status": status,
    }
    if client is not None:
        details["client"] = client.pk
    audit_record(
        action=AuditAction.API_CALL,
        actor=client.acts_as if client is not None else None,
        actor_label="" if client is not None else "api (no valid token)",
        target=client,
        case_id=case_id,
        details=details,
    )


class DuplicateReferral(Exception):
    """The client sent a referral with a reference it used before."""

    def __init__(self, case: Case):
        super().__init__(case.pk)
        self.case = case


@transaction.atomic
def api_referral_make(
    *,
    client: ApiClient,
    kind: CaseKind,
    title: str,
    referral_reason: str,
    urgency: str,
    safety_concern: bool,
    woo_note: str = "",
    parties: list[dict[str, object]],
    external_reference: str = "",
) -> Case:
    """The client refers a conflict through `referral_make`, like the referral form does.

    The coordinator it acts as is the referrer and its organisation the referring one; the
    case joins the supervisor's queue like any referral. A reference the client used before
    raises `DuplicateReferral` with the case made then: a retried request makes no second case.
    """
    external_reference = external_reference.strip()
    if external_reference:
        earlier = ApiReferral.objects.filter(client=client, external_reference=external_reference)
        if found := earlier.select_related("case").first():
            raise DuplicateReferral(found.case)
    case = referral_make(
        referred_by=client.acts_as,
        kind=kind,
        title=title,
        referring_organisation=client.organisation,
        referral_reason=referral_reason,
        urgency=urgency,
        safety_concern=safety_concern,
        woo_note=woo_note,
        parties=parties,
    )
    link = ApiReferral(client=client, case=case, external_reference=external_reference)
    link.full_clean(exclude=["client", "case"], validate_constraints=False)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        # The same reference, sent twice at once: the other request made the case, and this
        # one's case goes with the transaction (the exception rolls it back).
        raise DuplicateReferral(
            ApiReferral.objects.select_related("case")
            .get(client=client, external_reference=external_reference)
            .case
        ) from None
    return case
