"""gunicorn's threaded worker, with kept-alive connections recycled.

A kept-alive connection stays with the worker process that accepted it,
and a process runs Python on one core at a time. With gunicorn's own
threaded worker one process may collect most of a burst of connections and
keep them for good while the other idles (measured with wrk's 16
connections: all 16 on one worker, half the machine unused, the slowest
responses ten times the median).

This worker answers every ``GUNICORN_REQUESTS_PER_CONNECTION``-th request
of a connection (default 50) with ``Connection: close``, as nginx's
``keepalive_requests`` does: the client opens a new connection, which the
worker that is free first accepts, so connections keep being shared out
between the processes. A client loses nothing: the answer is complete and
the next request goes on the new connection. 0 turns recycling off.
"""

import os

from gunicorn.workers.gthread import ThreadWorker

REQUESTS_PER_CONNECTION = int(os.environ.get("GUNICORN_REQUESTS_PER_CONNECTION", "50"))


class BalancedThreadWorker(ThreadWorker):
    def handle_request(self, req, conn):
        conn.served = getattr(conn, "served", 0) + 1
        if REQUESTS_PER_CONNECTION and conn.served >= REQUESTS_PER_CONNECTION:
            req.must_close = True
        return super().handle_request(req, conn)
