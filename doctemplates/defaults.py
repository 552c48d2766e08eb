"""Tafel's built-in wording: the first version of each default template.

Written in English and translated through the catalogue, so `default_wording` called under
`translation.override("nl")` gives the Dutch text. Plain language (B1): short sentences, "you",
no jargon. Each text uses only the fields of its kind (`doctemplates.fields`).
"""

from django.utils.translation import gettext as _

from doctemplates.models import TemplateKind


def _invitation() -> tuple[str, str]:
    title = _("Invitation for a mediation meeting · $case_reference")
    body = _(
        "Date: $today\n"
        "\n"
        "Dear $recipient_name,\n"
        "\n"
        "My name is $mediator_name. I am the mediator in case $case_reference. "
        "$organisation asked me to help. I invite you to a meeting.\n"
        "\n"
        "What: $session_kind\n"
        "When: $session_date, $session_time\n"
        "Where: $place\n"
        "Who: $parties\n"
        "\n"
        "What we arranged for you:\n"
        "$arrangements\n"
        "\n"
        "Do you need something else to take part? For example an interpreter, or a room "
        "without steps? Please tell me.\n"
        "\n"
        "Will you come? Please let me know. $how_to_answer\n"
        "\n"
        "Do you have a question? You can reach me by email at $mediator_email.\n"
        "\n"
        "Kind regards,\n"
        "$mediator_name\n"
        "Mediator"
    )
    return title, body


def _closing() -> tuple[str, str]:
    title = _("The mediation has ended · $case_reference")
    body = _(
        "Date: $today\n"
        "\n"
        "Dear $recipient_name,\n"
        "\n"
        "The mediation in case $case_reference has ended on $closing_date.\n"
        "\n"
        "The outcome: $outcome\n"
        "\n"
        "Thank you for taking part. It takes courage to talk about a conflict.\n"
        "\n"
        "Do you have a question later? You can reach me by email at $mediator_email.\n"
        "\n"
        "Kind regards,\n"
        "$mediator_name\n"
        "Mediator"
    )
    return title, body


def _agreement() -> tuple[str, str]:
    title = _("Settlement agreement · $case_reference")
    body = _(
        "Settlement agreement\n"
        "\n"
        "Case: $case_reference\n"
        "Referred by: $organisation\n"
        "Mediator: $mediator_name\n"
        "\n"
        "The parties:\n"
        "$parties\n"
        "\n"
        "This is what the parties agree:\n"
        "$agreement_text\n"
        "\n"
        "What will be done, who does it, and by when:\n"
        "$actions\n"
        "\n"
        "By signing, the parties say they agree with this text.\n"
        "\n"
        "Date: $agreement_date\n"
        "\n"
        "Signatures:\n"
        "$signatures"
    )
    return title, body


_WORDING = {
    TemplateKind.INVITATION.value: _invitation,
    TemplateKind.CLOSING.value: _closing,
    TemplateKind.AGREEMENT.value: _agreement,
}


def default_wording(kind: str) -> tuple[str, str]:
    """The built-in (title, body) of `kind`, in the active language."""
    return _WORDING[kind]()
