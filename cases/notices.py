"""Notices to mediators: a short email that something happened on one of their cases.

A notice names the case's reference, the kind of event in words and a link, nothing more:
no party names, no note or agreement text, no session place. It goes to the user's address
in the language of their settings, and only when they have not turned that kind off
(`mediation.models.UserSettings`). It is queued through the outbox in the caller's transaction,
so it exists exactly when the change that caused it was committed, with the purpose
"notice.<kind>" and the user as its recipient: a notice held back (the follow-up's) is withdrawn
when its user turns the kind off (`user_settings_update`) or leaves the case (agreements).

Nobody gets a notice of their own doing: the actor is left out.
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from cases.models import Case
from cases.selectors import mediator_ids
from mediation.models import (
    NOTICE_PURPOSE_PREFIX,
    NoticeKind,
    OutboxMessage,
    UserSettings,
    user_settings_for,
)
from mediation.outbox import outbox_enqueue
from mediation.types import StrOrPromise, User


def notice_purpose(kind: str) -> str:
    """The outbox purpose of a notice of `kind`: "notice.<kind>"."""
    return f"{NOTICE_PURPOSE_PREFIX}{kind}"


# The subject line: short, with the reference, in the user's language.
_SUBJECTS: dict[str, StrOrPromise] = {
    NoticeKind.ASSIGNED: gettext_lazy("Tafel: you were assigned to case %(reference)s"),
    NoticeKind.PARTY_DECLINED: gettext_lazy("Tafel: a party declined a session (%(reference)s)"),
    NoticeKind.PARTY_APPROVED: gettext_lazy(
        "Tafel: a party approved the agreement (%(reference)s)"
    ),
    NoticeKind.ALL_APPROVED: gettext_lazy(
        "Tafel: all parties approved the agreement (%(reference)s)"
    ),
    NoticeKind.FOLLOW_UP_DUE: gettext_lazy("Tafel: follow-up of case %(reference)s is due"),
    NoticeKind.DETAILS_CORRECTED: gettext_lazy(
        "Tafel: a participant corrected their details (%(reference)s)"
    ),
}

# The event in words, the first line of the message.
_EVENTS: dict[str, StrOrPromise] = {
    NoticeKind.ASSIGNED: gettext_lazy("You were assigned to case %(reference)s as a mediator."),
    NoticeKind.PARTY_DECLINED: gettext_lazy(
        "A party of case %(reference)s declined the invite to a session."
    ),
    NoticeKind.PARTY_APPROVED: gettext_lazy(
        "A party of case %(reference)s approved the agreement."
    ),
    NoticeKind.ALL_APPROVED: gettext_lazy(
        "All parties of case %(reference)s approved the agreement: the follow-up can start."
    ),
    NoticeKind.FOLLOW_UP_DUE: gettext_lazy(
        "The follow-up of case %(reference)s is due: check with the parties whether the agreed "
        "actions were carried out, and record the review of each action."
    ),
    NoticeKind.DETAILS_CORRECTED: gettext_lazy(
        "A participant of case %(reference)s corrected their contact details or needs on their "
        "personal page. The participants of the case show what they are now."
    ),
}


def notice_send(
    *,
    user: User,
    kind: NoticeKind,
    case: Case,
    link_path: str,
    send_after: datetime | None = None,
    group: str = "",
    user_settings: UserSettings | None = None,
) -> OutboxMessage | None:
    """Queue one notice of `kind` about `case` to `user`; None when it is not sent.

    Not sent when the user turned the kind off, has no email address or is inactive.
    `link_path` is a path on this site (e.g. reverse(...)); the link is TAFEL_BASE_URL + path.
    `group` defaults to the case's (`case:<pk>`); a message held back with `send_after` takes
    a group of its own (see `outbox_enqueue`). Call it inside the change's transaction.
    """
    if not user.email or not user.is_active:
        return None
    preferences = user_settings or user_settings_for(user)
    if not preferences.wants(kind):
        return None
    with translation.override(preferences.email_language or settings.LANGUAGE_CODE):
        reference = {"reference": case.reference}
        subject = _SUBJECTS[kind] % reference
        body = render_to_string(
            "cases/email/notice.txt",
            {
                "event": _EVENTS[kind] % reference,
                "link": settings.TAFEL_BASE_URL + link_path,
                "settings_link": settings.TAFEL_BASE_URL + reverse("account_settings"),
            },
        )
    message = EmailMessage(
        subject=str(subject), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    return outbox_enqueue(
        message=message,
        purpose=notice_purpose(kind),
        group=group or f"case:{case.pk}",
        case_id=case.pk,
        send_after=send_after,
        recipient=user,
    )


def notice_send_many(
    *,
    users: Iterable[User],
    kind: NoticeKind,
    case: Case,
    link_path: str,
    actor: User | None = None,
    send_after: datetime | None = None,
    group: str = "",
) -> list[OutboxMessage]:
    """Queue a notice to each of `users` except `actor`; the ones queued, in the users' order."""
    users = [user for user in users if actor is None or user.pk != actor.pk]
    found = {
        preferences.user_id: preferences
        for preferences in UserSettings.objects.filter(user__in=[user.pk for user in users])
    }
    queued = []
    for user in users:
        message = notice_send(
            user=user,
            kind=kind,
            case=case,
            link_path=link_path,
            send_after=send_after,
            group=group,
            user_settings=found.get(user.pk) or UserSettings(user_id=user.pk),
        )
        if message is not None:
            queued.append(message)
    return queued


def case_mediators(case: Case) -> list[User]:
    """The case's lead mediator first, then its co-mediators (by id)."""
    ids = mediator_ids(case=case)
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=ids)}
    ordered = sorted(ids, key=lambda pk: (pk != case.lead_mediator_id, pk))
    return [users[pk] for pk in ordered if pk in users]


def notice_to_mediators(
    *,
    case: Case,
    kind: NoticeKind,
    link_path: str,
    actor: User | None = None,
    send_after: datetime | None = None,
    group: str = "",
) -> list[OutboxMessage]:
    """Queue a notice of `kind` to the case's lead mediator and co-mediators (not `actor`)."""
    return notice_send_many(
        users=case_mediators(case),
        kind=kind,
        case=case,
        link_path=link_path,
        actor=actor,
        send_after=send_after,
        group=group,
    )
