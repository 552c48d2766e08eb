"""Every write to parties and participants. Each change is audited (ids only, never names)."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseKind
from cases.notices import notice_to_mediators
from cases.permissions import CasePermission, case_permission_require
from cases.services import case_refer
from mediation.keys import data_key_destroy
from mediation.models import NoticeKind
from mediation.types import User
from mediation.validators import (
    date_not_in_future,
    validate_email_address,
    validate_email_one_line,
    validate_free_text,
    validate_single_line,
)
from parties import hooks
from parties.contact import CONTACT_FIELDS, contact_seal
from parties.languages import validate_language
from parties.matching import normalise
from parties.models import (
    TEXT_MAX_LENGTH,
    ContactChannel,
    ParticipantRole,
    Participation,
    Party,
)
from parties.needs import NEEDS_FIELDS, needs_seal

PARTY_FIELDS = (
    "kind",
    "name",
    "organisation",
    "email",
    "phone",
    "postal_address",
    "contact_channel",
    "preferred_language",
    "interpreter_language",
    "needs_step_free_access",
    "other_needs",
)


def _check(case: Case, actor: User) -> None:
    """The actor manages the case's parties (its mediators), and the case is open."""
    case_permission_require(actor, case, CasePermission.MANAGE_PARTIES)
    _refuse_if_closed(case)


def _refuse_if_closed(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("The case is closed: its participants can no longer change."))


def _normalise(party: Party) -> None:
    # Only trim: inner line breaks must reach full_clean, which refuses them with a message.
    party.name = party.name.strip()
    party.organisation = party.organisation.strip()
    party.name_normalised = normalise(party.name)[:200]
    party.organisation_normalised = normalise(party.organisation)[:200]


_CONTACT_LIMITS = {"email": 254, "phone": 40, "postal_address": 500}


def _clean_contact(values: Mapping[str, object]) -> dict[str, str]:
    """Validate contact details as the model would validate its own fields."""
    contact, errors = {}, {}
    for field in CONTACT_FIELDS:
        raw = str(values.get(field) or "")
        value = raw.strip()
        try:
            if field == "email":
                # A line break even at the end: the address is refused, not quietly mended.
                validate_email_one_line(raw)
            if len(value) > _CONTACT_LIMITS[field]:
                raise ValidationError(
                    _("Use at most %(max)d characters.") % {"max": _CONTACT_LIMITS[field]}
                )
            if value and field == "email":
                validate_email_address(value)
            elif value and field == "phone":
                validate_single_line(value)
            elif value:
                validate_free_text(value)
        except ValidationError as error:
            errors[field] = error.messages
        contact[field] = value
    if errors:
        raise ValidationError(errors)
    return contact


def _clean_needs(values: Mapping[str, object]) -> dict[str, str]:
    """Validate the sealed needs as the model validated them when they were its fields."""
    needs = {field: str(values.get(field) or "").strip() for field in NEEDS_FIELDS}
    errors = {}
    try:
        if needs["interpreter_language"]:
            validate_language(needs["interpreter_language"])
    except ValidationError as error:
        errors["interpreter_language"] = error.messages
    try:
        if len(needs["other_needs"]) > TEXT_MAX_LENGTH:
            raise ValidationError(_("Use at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH})
        if needs["other_needs"]:
            validate_free_text(needs["other_needs"])
    except ValidationError as error:
        errors["other_needs"] = error.messages
    if errors:
        raise ValidationError(errors)
    return needs


def _check_channel(party: Party, contact: Mapping[str, str]) -> None:
    """Letters by post need an address to go to."""
    if party.contact_channel == ContactChannel.POST and not contact["postal_address"]:
        raise ValidationError(
            {
                "postal_address": _(
                    "Letters by post need a postal address. Add the address, or choose "
                    "another way to reach them."
                )
            }
        )


_SEALED = ["sealed_contact", "email_index", "sealed_needs", "needs_interpreter", "has_other_needs"]
_PLAIN_FIELDS = [f for f in PARTY_FIELDS if f not in CONTACT_FIELDS and f not in NEEDS_FIELDS]


@transaction.atomic
def party_create(*, actor: User, **fields: object) -> Party:
    """Create a party record (a person, group or government body); contact details sealed."""
    party = Party(**{key: value for key, value in fields.items() if key in _PLAIN_FIELDS})
    _normalise(party)
    contact = _clean_contact(fields)
    needs = _clean_needs(fields)
    party.full_clean(exclude=_SEALED)
    _check_channel(party, contact)
    party.save()  # first, for its key to refer to
    contact_seal(party, **contact)
    needs_seal(party, **needs)
    party.save(update_fields=_SEALED)
    return party


@transaction.atomic
def party_update(*, party: Party, actor: User, case: Case, **fields: object) -> Party:
    """Change a party's details, seen from one of its cases (which the audit event names)."""
    _check(case, actor)
    if not party.participations.filter(case=case).exists():
        raise PermissionDenied
    contact = {field: getattr(party, field) for field in CONTACT_FIELDS}
    needs = {field: getattr(party, field) for field in NEEDS_FIELDS}
    for key, value in fields.items():
        if key in CONTACT_FIELDS:
            contact[key] = value
        elif key in NEEDS_FIELDS:
            needs[key] = value
        elif key in PARTY_FIELDS:
            setattr(party, key, value)
    _normalise(party)
    contact = _clean_contact(contact)
    needs = _clean_needs(needs)
    party.full_clean(exclude=_SEALED)
    _check_channel(party, contact)
    if not party.contact.readable:
        raise ValidationError(_("The contact details of this party cannot be opened."))
    if not party.needs.readable:
        raise ValidationError(_("The needs of this party cannot be opened."))
    contact_seal(party, **contact)
    needs_seal(party, **needs)
    party.save()
    audit_record(
        action=AuditAction.PARTICIPANT_CHANGED,
        actor=actor,
        target=party,
        case_id=case.pk,
        details={"fields": sorted(key for key in fields if key in PARTY_FIELDS)},
    )
    return party


# What a participant may correct about themselves on their personal page (issue 20).
CORRECTABLE_FIELDS = (
    "email",
    "phone",
    "postal_address",
    "preferred_language",
    "interpreter_language",
    "needs_step_free_access",
    "other_needs",
)


def _same(old: object, new: object) -> bool:
    if isinstance(old, bool):
        return old == bool(new)
    return str(old or "").strip() == str(new or "").strip()


@transaction.atomic
def party_details_correct(*, participation: Participation, **fields: object) -> list[str]:
    """The participant corrects their own details on their personal page (no account).

    Sealed like a mediator's change; audited with the names of the changed fields (never the
    values), and the case's mediators get a notice. Returns the changed fields' names.
    """
    if participation.removed_at is not None:
        raise PermissionDenied
    party = (
        Party.objects.select_for_update(of=("self",))
        .select_related("key")
        .get(pk=participation.party_id)
    )
    if not party.contact.readable or not party.needs.readable:
        raise ValidationError(
            _("Your details cannot be changed right now. Please tell your mediator.")
        )
    contact = {field: getattr(party, field) for field in CONTACT_FIELDS}
    needs = {field: getattr(party, field) for field in NEEDS_FIELDS}
    changed = []
    for key in CORRECTABLE_FIELDS:
        if key not in fields or _same(getattr(party, key), fields[key]):
            continue
        changed.append(key)
        if key in CONTACT_FIELDS:
            contact[key] = fields[key]
        elif key in NEEDS_FIELDS:
            needs[key] = fields[key]
        else:
            setattr(party, key, fields[key])
    if not changed:
        return []
    contact = _clean_contact(contact)
    needs = _clean_needs(needs)
    party.full_clean(exclude=_SEALED)
    try:
        _check_channel(party, contact)
    except ValidationError:
        raise ValidationError(
            {
                "postal_address": _(
                    "Your mediator sends you letters by post: please keep your postal address."
                )
            }
        ) from None
    contact_seal(party, **contact)
    needs_seal(party, **needs)
    party.save()
    audit_record(
        action=AuditAction.PORTAL_DETAILS_CHANGED,
        actor=None,
        actor_label="participant (personal page)",
        target=party,
        case_id=participation.case_id,
        details={"participation": participation.pk, "fields": changed},
    )
    notice_to_mediators(
        case=participation.case,
        kind=NoticeKind.DETAILS_CORRECTED,
        link_path=reverse("cases:detail", args=[participation.case_id]) + "#section-participants",
    )
    return changed


@transaction.atomic
def participation_add(
    *, case: Case, party: Party, role: str, actor: User, represents: Participation | None = None
) -> Participation:
    """Let `party` take part in `case` in `role` (a representative names whom they speak for)."""
    _check(case, actor)
    return _participation_add(case=case, party=party, role=role, actor=actor, represents=represents)


def _participation_add(
    *, case: Case, party: Party, role: str, actor: User, represents: Participation | None = None
) -> Participation:
    _refuse_if_closed(case)
    if role == ParticipantRole.REPRESENTATIVE:
        if represents is None:
            raise ValidationError(
                {"represents": _("Choose the party this representative speaks for.")}
            )
        if represents.case_id != case.pk or not represents.is_party or represents.removed_at:
            raise ValidationError(
                {"represents": _("A representative speaks for a party of this same case.")}
            )
    elif represents is not None:
        raise ValidationError({"represents": _("Only a representative speaks for a party.")})
    if Participation.objects.active().filter(case=case, party=party, role=role).exists():
        raise ValidationError(
            _("%(name)s already takes part in this case as %(role)s.")
            % {"name": party.name, "role": str(ParticipantRole(role).label).lower()}
        )
    participation = Participation(case=case, party=party, role=role, represents=represents)
    participation.full_clean()
    participation.save()
    audit_record(
        action=AuditAction.PARTICIPANT_ADDED,
        actor=actor,
        target=participation,
        case_id=case.pk,
        details={"party": party.pk, "role": role},
    )
    return participation


@transaction.atomic
def consent_record(
    *, participation: Participation, signed_on: date, actor: User, signed_by: str = ""
) -> Participation:
    """Record a party's mediation agreement, or another person's confidentiality statement."""
    _check(participation.case, actor)
    date_not_in_future(signed_on, field="signed_on")
    if participation.is_party:
        participation.consent_signed_on = signed_on
        participation.consent_signed_by = signed_by
        participation.consent_withdrawn_on = None
    else:
        participation.confidentiality_signed_on = signed_on
    participation.full_clean()
    participation.save()
    audit_record(
        action=AuditAction.CONSENT_RECORDED,
        actor=actor,
        target=participation,
        case_id=participation.case_id,
        details={"kind": "consent" if participation.is_party else "confidentiality"},
    )
    return participation


@transaction.atomic
def consent_withdraw(
    *, participation: Participation, withdrawn_on: date, actor: User
) -> Participation:
    """Record that a party withdrew consent: no further sessions until it is given again."""
    _check(participation.case, actor)
    if not participation.is_party or participation.removed_at:
        raise ValidationError(_("Only a party taking part in the case can withdraw consent."))
    date_not_in_future(withdrawn_on, field="withdrawn_on")
    participation.consent_withdrawn_on = withdrawn_on
    participation.save(update_fields=["consent_withdrawn_on"])
    audit_record(
        action=AuditAction.CONSENT_WITHDRAWN,
        actor=actor,
        target=participation,
        case_id=participation.case_id,
    )
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, actor: User) -> Participation:
    """Take a participant off the case; they can be restored until the case closes."""
    _check(participation.case, actor)
    if participation.removed_at:
        raise ValidationError(_("This participant was already removed."))
    # Off the case's planned sessions first: each gets a cancellation for their calendar.
    hooks.participation_ended(participation=participation, actor=actor)
    if participation.representatives.active().exists():
        raise ValidationError(_("Remove this party's representatives first."))
    participation.removed_at = timezone.now()
    participation.save(update_fields=["removed_at"])
    audit_record(
        action=AuditAction.PARTICIPANT_REMOVED,
        actor=actor,
        target=participation,
        case_id=participation.case_id,
    )
    return participation


@transaction.atomic
def participation_restore(*, participation: Participation, actor: User) -> Participation:
    """Undo a removal, while the case is open."""
    _check(participation.case, actor)
    duplicate = Participation.objects.active().filter(
        case=participation.case_id, party=participation.party_id, role=participation.role
    )
    if duplicate.exists():
        raise ValidationError(_("This participant already takes part in the case again."))
    participation.removed_at = None
    participation.save(update_fields=["removed_at"])
    audit_record(
        action=AuditAction.PARTICIPANT_RESTORED,
        actor=actor,
        target=participation,
        case_id=participation.case_id,
    )
    return participation


@transaction.atomic
def participant_add(
    *,
    case: Case,
    role: str,
    actor: User,
    existing_party: Party | None = None,
    party_fields: dict[str, object] | None = None,
    represents: Participation | None = None,
) -> Participation:
    """Add someone to the case: an existing party record, or a new one made from `party_fields`.

    One transaction: a refused participation leaves no orphan party record behind.
    """
    _check(case, actor)
    party = existing_party or party_create(actor=actor, **(party_fields or {}))
    return participation_add(case=case, party=party, role=role, represents=represents, actor=actor)


@transaction.atomic
def referral_make(
    *,
    referred_by: User,
    kind: CaseKind,
    title: str,
    referring_organisation: str,
    referral_reason: str,
    urgency: str,
    safety_concern: bool,
    woo_note: str = "",
    parties: list[dict[str, object]],
) -> Case:
    """A coordinator refers a conflict and names its parties, in one transaction.

    The referrer may name the parties (the referral is theirs) without the right to manage
    them afterwards, which only the case's mediators get.
    """
    case = case_refer(
        referred_by=referred_by,
        kind=kind,
        title=title,
        referring_organisation=referring_organisation,
        referral_reason=referral_reason,
        urgency=urgency,
        safety_concern=safety_concern,
        woo_note=woo_note,
    )
    for fields in parties:
        party = party_create(actor=referred_by, **fields)
        _participation_add(case=case, party=party, role=ParticipantRole.PARTY, actor=referred_by)
    return case


def case_participants_destroy(*, case: Case) -> int:
    """Take every participant off the case for good, when its dossier is destroyed.

    Runs from the dossier app's destruction list, which checks the approval and audits. A person
    who takes part in no other case goes entirely: their party key is destroyed first, so their
    sealed contact details are unreadable for good (in backups too), then their record. A person
    still in another case keeps their record for that case. Returns how many people went.
    """
    participations = Participation.objects.filter(case=case)
    party_ids = set(participations.values_list("party_id", flat=True))
    participations.update(represents=None)  # representatives point at the represented
    participations.delete()
    gone = list(
        Party.objects.filter(pk__in=party_ids, participations__isnull=True).select_related("key")
    )
    for party in gone:
        if party.key is not None:
            data_key_destroy(party.key)
    Party.objects.filter(pk__in=[party.pk for party in gone]).delete()
    return len(gone)
