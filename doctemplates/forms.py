"""Forms of the template pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from doctemplates.models import TemplateKind
from mediation.forms import NoAutofocusMixin, form_field


class TemplateTargetForm(NoAutofocusMixin, forms.Form):
    """Which template to adjust: kind, organisation (or the default) and language."""

    kind = forms.ChoiceField(label=_("Letter or document"), choices=TemplateKind.choices)
    organisation = forms.ChoiceField(
        label=_("Organisation"),
        required=False,
        help_text=_("The organisations that referred cases. The default is for all others."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, organisations: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        default = ("", _("Default: every organisation"))
        choices = [default, *((name, name) for name in organisations)]
        form_field(self, "organisation", forms.ChoiceField).choices = choices


class TemplateVersionForm(NoAutofocusMixin, forms.Form):
    """New wording for a template: its title and text, with fields."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("One line: the subject of the letter or the title of the document."),
    )
    body = forms.CharField(
        label=_("Text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Write a field as $name, for example $case_reference. Write $$ for a dollar sign."
        ),
    )
