"""Document templates: the wording of a kind of letter or document, per organisation and
language, kept as numbered versions.

A template's text holds named fields in the syntax of Python's `string.Template`
(`$case_reference` or `${case_reference}`, `$$` for a dollar sign); `doctemplates.fields` lists
the fields of each kind. A version is never changed: saving new wording adds the next number,
and a document made from a template records the version it was made from.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.validators import validate_free_text, validate_single_line


class TemplateKind(models.TextChoices):
    """The letters and documents made from templates."""

    INVITATION = "invitation", _("Invitation letter")
    CLOSING = "closing", _("Closing letter")
    AGREEMENT = "agreement", _("Settlement agreement")


class DocumentTemplate(models.Model):
    """The wording of one kind of document for one organisation (or every organisation) in one
    language. Its text lives in its versions; the highest number is the current one."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=TemplateKind.choices,
        help_text=_("Which letter or document this template makes."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_(
            "The referring organisation whose cases use this wording, exactly as on the case. "
            "Empty: the default wording, for every organisation without its own."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        help_text=_("The language of the wording."),
    )

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "organisation", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation", "language"], name="doctemplate_one_per_target"
            )
        ]

    def __str__(self) -> str:
        organisation = self.organisation or _("every organisation")
        return f"{self.get_kind_display()} · {organisation} · {self.get_language_display()}"

    @property
    def current_version(self) -> "DocumentTemplateVersion | None":
        """The version in use: the highest number (None only before the first is saved)."""
        return self.versions.order_by("-number").first()

    @property
    def current_number(self) -> int:
        """The number of the version in use (0 before the first is saved)."""
        current = self.current_version
        return current.number if current is not None else 0


class DocumentTemplateVersion(models.Model):
    """One saved wording of a template. Never changed: new wording is a new number.

    `version.is_current` tells whether it is still the template's wording in use;
    `version.template.current_number` is the number that is.
    """

    template = models.ForeignKey(
        DocumentTemplate,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("template"),
        help_text=_("The template this wording belongs to."),
    )
    number = models.PositiveIntegerField(
        _("version"),
        help_text=_("1 for the first wording of the template, then 2, 3 and so on."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        validators=[validate_single_line],
        help_text=_("One line: the letter's subject or the document's title. May hold fields."),
    )
    body = models.TextField(
        _("text"),
        validators=[validate_free_text],
        help_text=_("The text of the letter or document, with fields such as $case_reference."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
        help_text=_("Who saved this wording; empty for Tafel's built-in wording."),
    )
    created_at = models.DateTimeField(
        _("saved at"), auto_now_add=True, help_text=_("When this wording was saved.")
    )

    class Meta:
        verbose_name = _("document template version")
        verbose_name_plural = _("document template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="doctemplate_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.number}"

    @property
    def is_current(self) -> bool:
        """True while no later version of the template was saved."""
        return not self.template.versions.filter(number__gt=self.number).exists()
