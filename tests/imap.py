"""A real IMAP server on loopback (Debian's dovecot) for the tests: the organizer's mailbox.

`imap_server` starts one dovecot for the test session, in a folder of its own with its own
configuration, one account and Maildir storage; `mailbox` empties that account for each test and
points the TAFEL_IMAP_* settings at it. `.ci/run` installs the dovecot-imapd package.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient

from tests.smtp import free_port

USER = "afspraken@gemeente.example"
PASSWORD = "imap-test-password"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%n
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str

    def client(self) -> IMAPClient:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client


def _accounts() -> tuple[str, str, pwd.struct_passwd]:
    """Who dovecot runs as: its own users when the tests run as root (as CI does), else us."""
    if os.geteuid() == 0:
        return "dovecot", "dovenull", pwd.getpwnam("nobody")
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_name, me


@pytest.fixture(scope="session")
def imap_server():
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(binary).exists():
        pytest.fail("dovecot is not installed: apt-get install dovecot-imapd (.ci/run does)")
    root = Path(tempfile.mkdtemp(prefix="tafel-imap-"))
    root.chmod(0o755)  # the mail user reads its Maildir below
    internal, login, mail_user = _accounts()
    port = free_port()
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    for folder in ("mail", "home"):
        (root / folder).mkdir()
        os.chown(root / folder, mail_user.pw_uid, mail_user.pw_gid)
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            port=port,
            internal=internal,
            login=login,
            uid=mail_user.pw_uid,
            gid=mail_user.pw_gid,
        )
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_for(port, process, root)
        yield ImapServer("127.0.0.1", port, USER, PASSWORD)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen, root: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            pytest.fail(f"dovecot did not start:\n{output}\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("dovecot did not open its port within 15 seconds")


@pytest.fixture
def mailbox(imap_server, settings):
    """The organizer's mailbox, empty, with Tafel's settings pointing at it."""
    with imap_server.client() as client:
        for folder in [name for _, _, name in client.list_folders()]:
            if folder != "INBOX":
                client.delete_folder(folder)
        client.select_folder("INBOX")
        client.delete_messages(client.search(["ALL"]))
        client.expunge()
    settings.TAFEL_IMAP_HOST = imap_server.host
    settings.TAFEL_IMAP_PORT = imap_server.port
    settings.TAFEL_IMAP_SECURITY = "none"
    settings.TAFEL_IMAP_USER = imap_server.user
    settings.TAFEL_IMAP_PASSWORD = imap_server.password
    settings.TAFEL_ORGANIZER_EMAIL = imap_server.user
    return imap_server
