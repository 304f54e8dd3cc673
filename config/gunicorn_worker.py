"""gunicorn's threaded worker with connections shared out evenly.

A kept-alive connection stays with the worker process that accepted it,
and a process runs Python on one core at a time. gunicorn's own threaded
worker accepts up to ``worker_connections`` (1,000 by default), so one
process may collect most of a burst of connections and keep them while
the other idles (measured with wrk's 16 connections: all 16 on one
worker, half the machine unused, the slowest responses ten times the
median).

``config/gunicorn.py`` therefore caps each worker's connections (twice its
threads): a worker at the cap stops accepting and the other takes the next
client. So that a cap never leaves a new client waiting while the worker
holds connections that are only idling between requests, this worker then
closes its longest-idle kept-alive connection (the client simply opens a
new one) whenever a client is waiting to be accepted.
"""

import contextlib
import select

from gunicorn.workers.gthread import ThreadWorker


class BalancedThreadWorker(ThreadWorker):
    def murder_keepalived(self, force=False):
        super().murder_keepalived(force=force)
        if not self._accepting and self.keepalived_conns and self._client_waiting():
            self._close_longest_idle()

    def _client_waiting(self) -> bool:
        """Whether a connection waits in a listener's backlog."""
        try:
            readable, _writable, _errors = select.select(self.sockets, [], [], 0)
        except (OSError, ValueError):
            return False
        return bool(readable)

    def _close_longest_idle(self) -> None:
        conn = self.keepalived_conns.popleft()
        with contextlib.suppress(OSError, KeyError, ValueError):  # unregistered
            self.poller.unregister(conn.sock)
        self.nr_conns -= 1
        conn.close()
