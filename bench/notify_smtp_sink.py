"""A local SMTP sink for the notification benchmark and tests: accepts every
mail, keeps (recipient, Message-ID) of each, delivers nothing.

Just enough SMTP (RFC 5321) for Django's SMTP backend: EHLO/HELO, MAIL,
RCPT, DATA, RSET, NOOP, QUIT; one thread per connection.

    python -m bench.notify_smtp_sink --port 2525   # prints a count each 5 s
"""

import argparse
import re
import socketserver
import threading
import time
from collections import Counter

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class Mailbox:
    """What the sink received, kept up to date as mail arrives (so reading
    it costs nothing however much arrived), safe to read from other
    threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0
        self._raw: Counter = Counter()  # deliveries per recipient
        self._ids: dict[str, set[str]] = {}  # distinct Message-IDs each
        self.first_at: float | None = None
        self.last_at: float | None = None

    def add(self, recipients: list[str], message_id: str) -> None:
        now = time.monotonic()
        with self._lock:
            for recipient in recipients:
                self._count += 1
                self._raw[recipient] += 1
                self._ids.setdefault(recipient, set()).add(message_id)
            self.first_at = self.first_at or now
            self.last_at = now

    def count(self) -> int:
        """SMTP deliveries so far (one per recipient of each mail)."""
        with self._lock:
            return self._count

    def reached(self) -> int:
        """Distinct recipients so far."""
        with self._lock:
            return len(self._raw)

    def per_recipient(self) -> tuple[Counter, dict[str, set[str]]]:
        """Raw deliveries per recipient, and distinct Message-IDs each."""
        with self._lock:
            return Counter(self._raw), {k: set(v) for k, v in self._ids.items()}


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        mailbox: Mailbox = self.server.mailbox
        recipients: list[str] = []
        self._reply("220 minyi-sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250-minyi-sink")
                self._reply("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[-1].strip().strip("<>")
                recipients.append(address.lower())
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                chunks = []
                while True:
                    data = self.rfile.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    chunks.append(data)
                body = b"".join(chunks)
                found = MESSAGE_ID.search(body)
                mailbox.add(recipients, found.group(1).decode() if found else "")
                recipients = []
                self._reply("250 OK queued")
            elif verb == "RSET":
                recipients = []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def start(host: str = "127.0.0.1", port: int = 0) -> tuple[_Server, Mailbox]:
    """Start a sink in a background thread; return it and its mailbox (the
    port is ``server.server_address[1]``)."""
    server = _Server((host, port), _Handler)
    server.mailbox = Mailbox()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.mailbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=2525)
    args = parser.parse_args()
    server, mailbox = start(port=args.port)
    print(f"SMTP sink on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        while True:
            time.sleep(5)
            print(f"{mailbox.count()} mails", flush=True)
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
