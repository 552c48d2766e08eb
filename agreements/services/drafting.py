"""The agreement and its actions: written, changed and read, every change a new version."""

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import ActionReview, Agreement, AgreementAction
from agreements.services.common import (
    DESCRIPTION_MAX_LENGTH,
    READ,
    TEXT_MAX_LENGTH,
    OpenAction,
    OpenAgreement,
    _actions,
    _check,
    _check_drafting,
    _check_owner,
    _clean_text,
    _locked_agreement,
    _snapshot,
    owner_name,
)
from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case
from mediation import crypto
from mediation.crypto import CannotOpen
from mediation.types import User
from parties.models import Participation

# The agreement and its actions


@transaction.atomic
def agreement_write(*, case: Case, text: str, actor: User) -> Agreement:
    """Write the agreement's text, or change it (a new version; the earlier one stays sealed)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_drafting(case, actor)
    text = _clean_text(
        text,
        field="text",
        limit=TEXT_MAX_LENGTH,
        required=True,
        missing=_("Write what the parties agreed."),
    )
    key = case_data_key(case, create=True)
    agreement = Agreement.objects.select_for_update().filter(case=case).first()
    if agreement is None:
        agreement = Agreement(case=case, created_by=actor)
    else:
        agreement.case = case
        if crypto.field_open(key, agreement, "text") == text:
            return agreement  # nothing changed: no new version
        _snapshot(agreement, key, actor)
    crypto.field_seal(key, agreement, "text", text)
    agreement.save()
    audit_record(
        action=AuditAction.AGREEMENT_WRITTEN,
        actor=actor,
        target=agreement,
        case_id=case.pk,
        details={"version": agreement.version},
    )
    return agreement


def _action_fields(
    case: Case,
    description: str,
    owner: Participation | None,
    due_on: date | None,
    was_due_on: date | None = None,
) -> str:
    _check_owner(case, owner)
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date by which the action is done.")})
    # An action agreed now is due today or later; an existing one may keep its date.
    if due_on < timezone.localdate() and due_on != was_due_on:
        raise ValidationError(
            {"due_on": _("The date by which the action is done cannot be in the past.")}
        )
    return _clean_text(
        description,
        field="description",
        limit=DESCRIPTION_MAX_LENGTH,
        required=True,
        missing=_("Describe what will be done."),
    )


@transaction.atomic
def action_add(
    *,
    agreement: Agreement,
    description: str,
    owner: Participation | None,
    due_on: date,
    actor: User,
) -> AgreementAction:
    """Add an action (what, who, by when); the agreement gets a new version."""
    case = Case.objects.select_for_update().get(pk=agreement.case_id)
    _check_drafting(case, actor)
    description = _action_fields(case, description, owner, due_on)
    agreement = _locked_agreement(case)
    key = case_data_key(case)
    _snapshot(agreement, key, actor)
    action = AgreementAction(agreement=agreement, owner=owner, due_on=due_on)
    crypto.field_seal(key, action, "description", description)
    action.save()
    audit_record(
        action=AuditAction.ACTION_ADDED,
        actor=actor,
        target=action,
        case_id=case.pk,
        details={"version": agreement.version, "owner": owner.pk if owner else None},
    )
    return action


@transaction.atomic
def action_change(
    *,
    action: AgreementAction,
    description: str,
    owner: Participation | None,
    due_on: date,
    actor: User,
) -> AgreementAction:
    """Change an action; the agreement gets a new version."""
    case = Case.objects.select_for_update().get(pk=action.agreement.case_id)
    _check_drafting(case, actor)
    agreement = _locked_agreement(case)
    action = AgreementAction.objects.get(pk=action.pk, agreement=agreement)
    description = _action_fields(case, description, owner, due_on, was_due_on=action.due_on)
    key = case_data_key(case)
    action.agreement = agreement
    unchanged = (
        crypto.field_open(key, action, "description") == description
        and action.owner_id == (owner.pk if owner else None)
        and action.due_on == due_on
    )
    if unchanged:
        return action
    _snapshot(agreement, key, actor)
    action.owner, action.due_on = owner, due_on
    crypto.field_seal(key, action, "description", description)
    action.save()
    audit_record(
        action=AuditAction.ACTION_CHANGED,
        actor=actor,
        target=action,
        case_id=case.pk,
        details={"version": agreement.version, "owner": owner.pk if owner else None},
    )
    return action


@transaction.atomic
def action_remove(*, action: AgreementAction, actor: User) -> None:
    """Remove an action; the agreement gets a new version (the earlier one keeps it)."""
    case = Case.objects.select_for_update().get(pk=action.agreement.case_id)
    _check_drafting(case, actor)
    agreement = _locked_agreement(case)
    _snapshot(agreement, case_data_key(case), actor)
    audit_record(
        action=AuditAction.ACTION_REMOVED,
        actor=actor,
        target=action,
        case_id=case.pk,
        details={"version": agreement.version, "action": str(action.uid)},
    )
    AgreementAction.objects.filter(pk=action.pk, agreement=agreement).delete()


def agreement_read(*, agreement: Agreement, reader: User) -> OpenAgreement:
    """Open the agreement, its actions and their review comments; the read is recorded."""
    case = agreement.case
    _check(case, reader, READ)
    return _read(agreement, reader=reader)


def _read(agreement: Agreement, *, reader: User | None) -> OpenAgreement:
    case = agreement.case
    try:
        key = case_data_key(case)
        text = crypto.field_open(key, agreement, "text")
        actions = []
        for number, action in enumerate(_actions(agreement), start=1):
            comment = None
            if _has_review(action):
                review = action.review
                review.action = action
                comment = crypto.field_open(key, review, "comment")
            description = crypto.field_open(key, action, "description")
            actions.append(OpenAction(action, number, description, owner_name(action), comment))
    except CannotOpen:
        audit_record(
            action=AuditAction.AGREEMENT_OPEN_FAILED,
            actor=reader,
            target=agreement,
            case_id=case.pk,
        )
        raise
    audit_record(
        action=AuditAction.AGREEMENT_READ,
        actor=reader,
        target=agreement,
        case_id=case.pk,
        details={"version": agreement.version},
        **({"actor_label": "party"} if reader is None else {}),
    )
    return OpenAgreement(agreement, text, actions)


def _has_review(action: AgreementAction) -> bool:
    try:
        action.review  # noqa: B018 - loads the review, or raises
    except ActionReview.DoesNotExist:
        return False
    return True


def agreement_versions(
    *, agreement: Agreement, reader: User
) -> list[tuple[int, str | None, list[dict[str, Any]]]]:
    """Earlier versions (number, text, actions), newest first; opening them is recorded."""
    _check(agreement.case, reader, READ)
    key = case_data_key(agreement.case)
    opened: list[tuple[int, str | None, list[dict[str, Any]]]] = []
    for version in agreement.versions.all():
        version.agreement = agreement
        try:
            text = crypto.field_open(key, version, "text")
            actions = json.loads(crypto.field_open(key, version, "actions"))
        except crypto.CannotOpen:
            text, actions = None, []
        opened.append((version.version, text, actions))
    if opened:
        audit_record(
            action=AuditAction.AGREEMENT_READ,
            actor=reader,
            target=agreement,
            case_id=agreement.case_id,
            details={"versions": len(opened)},
        )
    return opened
