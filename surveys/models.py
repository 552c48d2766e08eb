"""The satisfaction survey: who was asked (per participant) and what was answered (per case).

The two tables are not linked: an answer (`SurveyResponse`) names its case and the month it
came in, never the participant, the invitation or the moment. An invitation keeps only whether
its single-use link was used (`answered`). The answer's primary key is random (a UUID), so
not even the order of the answers of one case can be matched to the order of the invitations.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def _nonce() -> str:
    return secrets.token_urlsafe(16)


class SurveyInvitation(models.Model):
    """One participant asked to answer the survey of one case (one link, used once)."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    participation = models.OneToOneField(
        "parties.Participation",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="survey_invitation",
    )
    # Part of the signed link: a link made for an earlier invitation (a restored database, a
    # reused id) does not open this one.
    nonce = models.CharField(max_length=32, default=_nonce, editable=False)
    language = models.CharField(_("language"), max_length=10)
    sent_on = models.DateField(
        _("sent on"),
        null=True,
        blank=True,
        help_text=_("Empty when the participant has no email address: no survey was sent."),
    )
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.participation_id}"


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    DONT_KNOW = "dont_know", _("I do not know")


class Recommend(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class AgreementsWorking(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NO_AGREEMENT = "no_agreement", _("We made no agreements")


class SurveyResponse(models.Model):
    """One anonymous answer to the survey of a case: its codes, and the free text sealed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month it came in."))
    impartial = models.CharField(_("the mediator was impartial"), max_length=12, choices=Answer)
    heard = models.CharField(_("felt heard"), max_length=12, choices=Answer)
    recommend = models.CharField(_("would recommend mediation"), max_length=12, choices=Recommend)
    agreements_working = models.CharField(
        _("the agreements work"), max_length=12, choices=AgreementsWorking
    )
    # Sealed under the case's data key: only the case's mediators read it. Empty: none given.
    sealed_comment = models.BinaryField(_("sealed comment"), blank=True, default=b"")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["id"]  # random: says nothing about who answered first

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk}"

    def context(self, field: str) -> str:
        """Associated data binding a sealed field to this case, answer and field."""
        return f"tafel/survey/v1/case={self.case_id}/answer={self.pk}/{field}"
