"""How the audit trail names the dossier's details (see audit/labels.py): a person's erasure
records how many documents and letters went with it, counts only."""

from django.utils.translation import gettext_lazy as _

from audit import labels


def register() -> None:
    labels.register_detail("documents_deleted", name=_("documents deleted"))
    labels.register_detail("letters_deleted", name=_("letters deleted"))
