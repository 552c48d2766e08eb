"""The development mailbox page: read the mail Tafel sent, and click its links (not in production).

No login: a newcomer plays the parties too, who have no account. In production every URL here
is a 404.
"""

import email
import email.policy
import email.utils
import re
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mediation.mail import mailbox_dir

_NAME = re.compile(r"^[\w.-]+\.eml$")
LIST_LIMIT = 200


def _development_only() -> None:
    if settings.PRODUCTION:
        raise Http404


def _read(name: str):
    if not _NAME.match(name):
        raise Http404
    path = mailbox_dir() / name
    if not path.is_file():
        raise Http404
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _sent_at(parsed) -> datetime | None:
    """The message's Date header as an aware datetime (None when missing or unreadable)."""
    try:
        return email.utils.parsedate_to_datetime(parsed["Date"])
    except (TypeError, ValueError):
        return None


@login_not_required
def mailbox(request: HttpRequest) -> HttpResponse:
    """Strictly newest first, by the date each message carries (then by file name): a message
    queued earlier but delivered later sorts by its own date."""
    _development_only()
    folder = mailbox_dir()
    names = sorted(p.name for p in folder.glob("*.eml")) if folder.is_dir() else []
    messages = []
    for name in names:
        parsed = _read(name)
        messages.append(
            {
                "name": name,
                "to": parsed["To"],
                "subject": parsed["Subject"],
                "date": _sent_at(parsed),
            }
        )
    oldest = datetime.min.replace(tzinfo=UTC)
    messages.sort(key=lambda item: (item["date"] or oldest, item["name"]), reverse=True)
    return render(request, "mediation/mailbox.html", {"mail": messages[:LIST_LIMIT]})


@login_not_required
def mailbox_message(request: HttpRequest, name: str) -> HttpResponse:
    """One message: its headers, text and attachments."""
    _development_only()
    parsed = _read(name)
    text = parsed.get_body(preferencelist=("plain",))
    attachments = [
        {"index": index, "filename": part.get_filename(), "type": part.get_content_type()}
        for index, part in enumerate(parsed.iter_attachments())
    ]
    context = {
        "name": name,
        "message": parsed,
        "sent_at": _sent_at(parsed),
        "text": text.get_content() if text is not None else "",
        "attachments": attachments,
    }
    return render(request, "mediation/mailbox_message.html", context)


@login_not_required
def mailbox_attachment(request: HttpRequest, name: str, index: int) -> HttpResponse:
    """Download one attachment (for example invite.ics)."""
    _development_only()
    parts = list(_read(name).iter_attachments())
    if index >= len(parts):
        raise Http404
    part = parts[index]
    response = HttpResponse(part.get_payload(decode=True), content_type=part.get_content_type())
    filename = re.sub(r"[^\w.-]", "_", part.get_filename() or "attachment")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
