"""A local SMTP server for measure 7: aiosmtpd on 127.0.0.1, in a process of its own.

    python -m bench.smtp_sink

Prints `{"port": N}` once it listens on a free port, then answers each line on stdin:
`count` with what it received since the last `reset` (messages, distinct Message-IDs,
recipients, bytes, and the time each message arrived), `reset` by starting to count afresh,
`stop` by stopping. It runs apart from the bench so
that receiving mail does not take CPU time from the worker that is measured.
"""

import json
import logging
import re
import socket
import sys
import time

from aiosmtpd.controller import Controller

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class _Sink:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.messages = 0
        self.message_ids: set[bytes] = set()
        self.recipients = 0
        self.bytes = 0
        self.times: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        found = _MESSAGE_ID.search(raw)
        if found:
            self.message_ids.add(found.group(1))
        self.messages += 1
        self.recipients += len(envelope.rcpt_tos)
        self.bytes += len(raw)
        self.times.append(time.monotonic())
        return "250 OK"

    def report(self) -> dict:
        return {
            "messages": self.messages,
            "message_ids": len(self.message_ids),
            "recipients": self.recipients,
            "bytes": self.bytes,
            "times": self.times,
        }


def main() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = _Sink()
    with socket.socket() as probe:  # a free port (Controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    print(json.dumps({"port": port}), flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "count":
                print(json.dumps(sink.report()), flush=True)
            elif line.strip() == "reset":
                sink.reset()
            elif line.strip() == "stop":
                break
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
