"""The development mailbox: mail is stored as .eml files that a page lists."""

from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.crypto import get_random_string


def mailbox_dir() -> Path:
    return Path(settings.VAR_DIR) / "mailbox"


class DevMailboxBackend(BaseEmailBackend):
    """Write each message to var/mailbox/ as an .eml file (development only)."""

    def send_messages(self, email_messages):
        folder = mailbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{get_random_string(6)}.eml"
            (folder / name).write_bytes(message.message().as_bytes(linesep="\r\n"))
        return len(email_messages)
