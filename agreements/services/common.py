"""Shared pieces of the agreement services: limits, results and helpers."""

import json
from dataclasses import dataclass
from datetime import time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementAction, AgreementVersion, Approval
from cases.models import Case, CaseStatus
from cases.permissions import CasePermission, has_case_permission
from mediation import crypto
from mediation.types import User
from parties.models import ParticipantRole, Participation

TEXT_MAX_LENGTH = 20_000
DESCRIPTION_MAX_LENGTH = 1_000
COMMENT_MAX_LENGTH = 2_000
SUMMARY_MAX_LENGTH = 2_000

READ: CasePermission = CasePermission.READ_NOTES
WRITE: CasePermission = CasePermission.RUN_TRANSITIONS
# The agreement is drafted during the sessions and settled in the agreement phase; from the
# follow-up on it stays as the parties approved it.
DRAFTING = (CaseStatus.SESSIONS, CaseStatus.AGREEMENT)

APPROVAL_SALT = "tafel.cases.agreement-approval.v1"
APPROVAL_LINK_MAX_AGE = timedelta(days=30)
# The follow-up reminder leaves at this hour (Europe/Amsterdam) on the follow-up date.
REMINDER_HOUR = time(8, 0)


@dataclass(frozen=True)
class OpenAction:
    action: AgreementAction
    number: int
    description: str
    owner_name: str
    review_comment: str | None


@dataclass(frozen=True)
class OpenAgreement:
    agreement: Agreement
    text: str
    actions: list[OpenAction]


@dataclass(frozen=True)
class PartyApproval:
    """A party of the case and its answer to the current version (None: not yet answered)."""

    participation: Participation
    current: Approval | None
    earlier: Approval | None  # its latest answer to an earlier version, if any


# Helpers


def _check(case: Case, user: User, perm: CasePermission) -> None:
    if not has_case_permission(user, case, perm):
        raise PermissionDenied


def _check_drafting(case: Case, user: User) -> None:
    _check(case, user, WRITE)
    if case.status not in DRAFTING:
        raise ValidationError(
            _("The agreement can only change during the sessions and the agreement phase.")
        )


def _clean_text(value: str, *, field: str, limit: int, required: bool, missing: str) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: missing})
    if len(value) > limit:
        raise ValidationError(
            {field: _("The text is too long: at most %(max)d characters.") % {"max": limit}}
        )
    return value


def owner_name(action: AgreementAction) -> str:
    return action.owner.party.name if action.owner is not None else _("the municipality")


def party_participations(case: Case) -> QuerySet[Participation]:
    """The active parties of the case (role party): the ones whose approval counts."""
    return (
        Participation.objects.filter(case=case, role=ParticipantRole.PARTY)
        .active()
        .select_related("party__key")
        .order_by("added_at", "id")
    )


def _locked_agreement(case: Case) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("case").get(case=case)
    agreement.case = case
    return agreement


def _snapshot(agreement: Agreement, key: bytes, actor: User) -> None:
    """Keep the current version (text and actions) sealed, then raise the version."""
    text = crypto.field_open(key, agreement, "text")
    actions = [
        {
            "description": crypto.field_open(key, action, "description"),
            "owner": action.owner_id,
            "due_on": action.due_on.isoformat(),
        }
        for action in _actions(agreement)
    ]
    version = AgreementVersion(agreement=agreement, version=agreement.version, replaced_by=actor)
    crypto.field_seal(key, version, "text", text)
    crypto.field_seal(key, version, "actions", json.dumps(actions, ensure_ascii=False))
    version.save()
    agreement.version += 1
    agreement.save(update_fields=["version", "updated_at"])


def _actions(agreement: Agreement) -> list[AgreementAction]:
    actions = list(
        agreement.actions.select_related("owner__party", "review").order_by("due_on", "id")
    )
    for action in actions:
        action.agreement = agreement
    return actions


def _check_owner(case: Case, owner: Participation | None) -> None:
    if owner is None:
        return
    if owner.case_id != case.pk or owner.role != ParticipantRole.PARTY or owner.removed_at:
        raise ValidationError({"owner": _("Choose a party of this case, or the municipality.")})
