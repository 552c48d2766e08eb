"""The satisfaction survey: sent when a case closes, answered once by link, read anonymously.

- `survey_send` runs when a case closes (`cases.hooks.after_closing`): each active party gets
  an email in its language, through the outbox, with its own signed single-use link. A case
  that was declined or referred elsewhere had no mediation to ask about, and a party asked
  once (a reopened case closing again) is not asked twice.
- `survey_answer` records the answer without any link to the party: the invitation only
  becomes `answered`; the answer names its case and month, and its free text is sealed under
  the case's data key for the case's mediators (`survey_comments`).
- the report (`reporting`) counts the answers per question, from `SURVEY_MINIMUM` answers.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case, Outcome
from cases.permissions import CasePermission, case_permission_require
from letters.models import LetterPurpose
from letters.services import by_post, letter_queue
from mediation import crypto
from mediation.outbox import outbox_enqueue
from mediation.types import StrOrPromise, User
from parties.models import ParticipantRole, Participation
from surveys.models import (
    AgreementsWorking,
    Answer,
    Recommend,
    SurveyInvitation,
    SurveyResponse,
)

SURVEY_SALT = "tafel.surveys.link.v1"
SURVEY_LINK_MAX_AGE = timedelta(days=60)
# The figures of the survey join the report only from this many answers.
SURVEY_MINIMUM = 5
COMMENT_MAX_LENGTH = 4000

# Closed without mediation: nothing to ask the parties about.
NOT_ASKED = (Outcome.DECLINED, Outcome.REFERRED_ELSEWHERE)

QUESTIONS: tuple[tuple[str, Promise, type[models.TextChoices]], ...] = (
    ("impartial", gettext_lazy("Was the mediator impartial?"), Answer),
    ("heard", gettext_lazy("Did you feel heard?"), Answer),
    ("recommend", gettext_lazy("Would you recommend mediation to others?"), Recommend),
    ("agreements_working", gettext_lazy("Are the agreements working?"), AgreementsWorking),
)


def survey_token(invitation: SurveyInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SURVEY_SALT)


def survey_url(invitation: SurveyInvitation) -> str:
    return settings.TAFEL_BASE_URL + reverse("surveys:answer", args=[survey_token(invitation)])


def _asked(case: Case) -> QuerySet[Participation]:
    return (
        Participation.objects.active()
        .filter(case=case, role=ParticipantRole.PARTY, survey_invitation__isnull=True)
        .select_related("party__key")
        .order_by("id")
    )


def _survey_letter(invitation: SurveyInvitation, expires) -> None:
    """For a party who hears from us by post: the survey's link in a letter to print."""
    participation = invitation.participation
    with translation.override(invitation.language):
        title = _("How was your mediation? (%(reference)s)") % {
            "reference": invitation.case.reference
        }
        body = render_to_string(
            "surveys/letters/survey.txt",
            {"link": survey_url(invitation), "expires": expires, "party": participation.party},
        )
    letter_queue(participation=participation, purpose=LetterPurpose.SURVEY, title=title, body=body)


def survey_send(*, case: Case, actor: User | None) -> int:
    """Ask each party of the just closed `case` for its answer (in the closing's transaction).

    Returns how many emails and letters were queued. A party without an email address (and
    not by post) gets an invitation without a date (the survey page shows it was not sent).
    """
    if case.outcome in NOT_ASKED:
        return 0
    sent = missing = 0
    expires = timezone.localdate() + SURVEY_LINK_MAX_AGE
    for participation in _asked(case):
        participation.case = case  # the letter reads it: not once more per party
        language = participation.page_language
        address = participation.party.reachable_by_email
        post = by_post(participation)
        invitation = SurveyInvitation.objects.create(
            case=case,
            participation=participation,
            language=language,
            sent_on=timezone.localdate() if address or post else None,
        )
        if post:
            _survey_letter(invitation, expires)
            sent += 1
            continue
        if not address:
            missing += 1
            continue
        with translation.override(language):
            subject = _("Tafel: how was your mediation? (%(reference)s)") % {
                "reference": case.reference
            }
            body = render_to_string(
                "surveys/email/survey_link.txt",
                {"link": survey_url(invitation), "expires": expires, "party": participation.party},
            )
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        outbox_enqueue(
            message=message, purpose="survey", group=f"survey:{case.pk}", case_id=case.pk
        )
        sent += 1
    if sent or missing:
        audit_record(
            action=AuditAction.SURVEY_SENT,
            actor=actor,
            target=case,
            case_id=case.pk,
            details={"sent": sent, "no_address": missing},
        )
    return sent


# Answering by link


class LinkProblem(Exception):
    """The survey link cannot be used; `message` says why, in plain words."""

    def __init__(self, message: StrOrPromise, *, status: int = 400, language: str = ""):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.language = language  # the party's, when the link says whose it is


LINK_BROKEN = gettext_lazy(
    "This link is not complete or was changed. Open it again from the email, or copy the whole "
    "link into your browser."
)
LINK_EXPIRED = gettext_lazy(
    "This link has expired: the survey can no longer be answered. Thank you all the same."
)
LINK_USED = gettext_lazy(
    "This survey has already been answered with this link. The link works only once. Thank "
    "you for your answer."
)
LINK_GONE = gettext_lazy("This survey no longer exists.")
CANNOT_SAVE = gettext_lazy(
    "Your answer cannot be saved right now. Please try again later, or tell your mediator."
)


def survey_link_open(token: str) -> SurveyInvitation:
    """The invitation of a valid, unused link; or LinkProblem."""
    try:
        payload = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_LINK_MAX_AGE)
        invitation_id, nonce = payload["i"], payload["n"]
    except signing.SignatureExpired:
        raise LinkProblem(LINK_EXPIRED, status=410) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkProblem(LINK_BROKEN) from None
    invitation = (
        SurveyInvitation.objects.select_related("case")
        .filter(pk=invitation_id, nonce=nonce)
        .first()
        if isinstance(invitation_id, int) and isinstance(nonce, str)
        else None
    )
    if invitation is None:
        raise LinkProblem(LINK_GONE, status=404)
    if invitation.answered:
        raise LinkProblem(LINK_USED, status=410, language=invitation.language)
    return invitation


@dataclass(frozen=True)
class SurveyAnswers:
    impartial: str
    heard: str
    recommend: str
    agreements_working: str
    comment: str = ""


@transaction.atomic
def survey_answer(*, token: str, answers: SurveyAnswers) -> SurveyResponse:
    """Record the answer of a link, once; nothing in it points back at the participant."""
    invitation = survey_link_open(token)
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered:  # a second click while the first was being saved
        raise LinkProblem(LINK_USED, status=410, language=invitation.language)
    case = Case.objects.select_related("key").get(pk=invitation.case_id)
    response = SurveyResponse(
        case=case,
        month=timezone.localdate().replace(day=1),
        impartial=answers.impartial,
        heard=answers.heard,
        recommend=answers.recommend,
        agreements_working=answers.agreements_working,
    )
    comment = answers.comment.strip()[:COMMENT_MAX_LENGTH]
    if comment:
        try:
            key = case_data_key(case, create=True)
        except crypto.CannotOpen:
            raise LinkProblem(CANNOT_SAVE, status=503) from None
        crypto.field_seal(key, response, "comment", comment)
    response.full_clean()
    response.save()
    invitation.answered = True
    invitation.save(update_fields=["answered"])
    # The trail says that the case got an answer: not whose, not which, not from where.
    audit_record(
        action=AuditAction.SURVEY_ANSWERED,
        actor=None,
        actor_label="party",
        case_id=case.pk,
        client_address=None,
    )
    return response


# What the case's mediators see


@dataclass(frozen=True)
class CaseSurvey:
    """The survey of one case for its mediators: who was asked, how many answered, the texts."""

    invitations: list[SurveyInvitation]
    answered: int
    comments: list[str]
    unreadable: int = 0

    @property
    def sent(self) -> int:
        return sum(1 for invitation in self.invitations if invitation.sent_on)


def case_survey_counts(*, case: Case) -> tuple[int, int]:
    """(asked, answered) for the case page's panel: two counts, nothing opened."""
    counts = SurveyInvitation.objects.filter(case=case).aggregate(
        asked=Count("id"), answered=Count("id", filter=Q(answered=True))
    )
    return counts["asked"], counts["answered"]


@transaction.atomic
def case_survey_read(*, case: Case, reader: User) -> CaseSurvey:
    """The survey of `case` for one of its mediators; opening the free texts is recorded."""
    case_permission_require(reader, case, CasePermission.READ_NOTES)
    invitations = list(
        SurveyInvitation.objects.filter(case=case)
        .select_related("participation__party__key")
        .order_by("participation__party__name", "id")
    )
    responses = list(SurveyResponse.objects.filter(case=case).exclude(sealed_comment=b""))
    comments: list[str] = []
    unreadable = 0
    if responses:
        try:
            key = case_data_key(case)
        except crypto.CannotOpen:
            key = None
        for response in responses:
            try:
                if key is None:
                    raise crypto.CannotOpen("no key")
                comments.append(crypto.field_open(key, response, "comment"))
            except crypto.CannotOpen:
                unreadable += 1
        audit_record(
            action=AuditAction.SURVEY_COMMENTS_READ,
            actor=reader,
            target=case,
            case_id=case.pk,
            details={"comments": len(comments)},
        )
    answered = SurveyResponse.objects.filter(case=case).count()
    # Sorted by their text, not by when they came in.
    return CaseSurvey(invitations, answered, sorted(comments), unreadable)


# Destruction


def case_surveys_destroy(*, case: Case) -> int:
    """When the case's dossier is destroyed: the invitations go, and the free texts.

    The coded answers stay: they name no one, and the report keeps counting them. Runs from the
    dossier app's destruction list, which checks the approval and audits. Returns how many free
    texts went.
    """
    SurveyInvitation.objects.filter(case=case).delete()
    return (
        SurveyResponse.objects.filter(case=case)
        .exclude(sealed_comment=b"")
        .update(sealed_comment=b"")
    )
