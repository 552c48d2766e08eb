"""A user's own settings. Here rather than in `mediation` (which owns the table) because a
change is audited, and the audit app sits above `mediation`."""

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from cases.notices import notice_purpose
from mediation.models import UserSettings
from mediation.outbox import outbox_withdraw
from mediation.types import User


@transaction.atomic
def user_settings_update(
    *, user: User, email_language: str, notices_off: list[str]
) -> UserSettings:
    """Save the user's own settings (made on first save) and record the change.

    Only ever the user's own: the caller passes the signed-in user. Their notices still
    waiting of a kind now turned off are withdrawn.
    """
    current, _created = UserSettings.objects.select_for_update().get_or_create(user=user)
    before = {"email_language": current.email_language, "notices_off": list(current.notices_off)}
    current.email_language = email_language
    current.notices_off = sorted(set(notices_off))
    current.full_clean()
    current.save()
    # A notice already queued and still waiting (the follow-up's) follows the new choice.
    outbox_withdraw(recipient=user, purposes=[notice_purpose(kind) for kind in current.notices_off])
    after = {"email_language": current.email_language, "notices_off": current.notices_off}
    audit_record(
        action=AuditAction.SETTINGS_CHANGED,
        actor=user,
        target=current,
        details={
            "changed": sorted(key for key in after if after[key] != before[key]),
            **after,
        },
    )
    return current


def password_change_record(*, user: User, actor: User, via: str) -> None:
    """Record that `user`'s password was changed (by themselves or an administrator).

    Called after the form saved it, in the same request; the event holds no part of it.
    """
    audit_record(
        action=AuditAction.PASSWORD_CHANGED,
        actor=actor,
        target=user,
        details={"user": user.pk, "via": via, "usable": user.has_usable_password()},
    )
