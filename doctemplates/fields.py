"""The named fields each kind of template may use, with the labels the edit page shows.

A template writes a field as `$name` or `${name}` (Python's `string.Template`); whoever makes a
document passes the values by these names (`doctemplates.services.template_render`). A field
missing from the values renders as empty text.
"""

from django.utils.translation import gettext_lazy as _

from doctemplates.models import TemplateKind
from mediation.types import StrOrPromise

SHARED: dict[str, StrOrPromise] = {
    "case_reference": _("The case's reference, e.g. MED-2026-0001"),
    "organisation": _("The referring organisation, e.g. Gemeente Utrecht"),
    "recipient_name": _("The name of the person who receives the letter"),
    "parties": _("The names of the parties, joined"),
    "mediator_name": _("The name of the mediator"),
    "mediator_email": _("The mediator's email address"),
    "today": _("Today's date"),
}

FIELDS: dict[str, dict[str, StrOrPromise]] = {
    TemplateKind.INVITATION.value: {
        **SHARED,
        "session_kind": _("The kind of session, e.g. joint session"),
        "session_date": _("The date of the session"),
        "session_time": _("The start and end time of the session"),
        "place": _("The place of the session, or the link to the online meeting"),
        "arrangements": _(
            "What is arranged: interpreter, step-free access, other arrangements (one per line)"
        ),
        "how_to_answer": _("How to say whether you come (the link to answer)"),
    },
    TemplateKind.CLOSING.value: {
        **SHARED,
        "closing_date": _("The date the mediation ended"),
        "outcome": _("The outcome of the mediation"),
    },
    TemplateKind.AGREEMENT.value: {
        **SHARED,
        "agreement_date": _("The date of the agreement"),
        "agreement_text": _("The text of the agreement"),
        "actions": _("The actions, one per line: what — who — by when"),
        "signatures": _("A line to sign for each party"),
    },
}
