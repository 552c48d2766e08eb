from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from documents import services
from documents.models import DocumentKind
from parties.models import Participation


class ParticipantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participation) -> str:
        return f"{obj.party.name} ({obj.get_role_display()})"


class DocumentUploadForm(forms.Form):
    """A file for the case, its kind, and the participant it is about (if any)."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    participation = ParticipantChoice(
        label=_("About participant"),
        queryset=Participation.objects.none(),
        required=False,
        empty_label=_("Nobody in particular"),
        help_text=_("For example the party whose signed mediation agreement this is."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, PNG or JPEG, or a Word, Excel, PowerPoint or OpenDocument file; at most "
            "%(size)s MB."
        ),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        participants = cast(forms.ModelChoiceField, self.fields["participation"])
        participants.queryset = (
            Participation.objects.active().filter(case=case).select_related("party").order_by("id")
        )
        self.fields["file"].help_text = str(self.fields["file"].help_text) % {
            "size": settings.TAFEL_DOCUMENT_MAX_BYTES // (1024 * 1024)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before anything is read: the service checks again, in its transaction.
        if upload is not None and upload.size > settings.TAFEL_DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(services.too_large_message())
        return upload
