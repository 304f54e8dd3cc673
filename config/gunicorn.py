"""gunicorn's settings for Minyi's web processes (not read automatically:
``gunicorn -c python:config.gunicorn config.wsgi``, as ``bench.run`` does).

Threaded workers: while one request waits for PostgreSQL (every query, and
the commit of every post) another runs, and wrk's or a browser's
connections are kept alive instead of being closed after each response,
which sync workers do. ``WEB_CONCURRENCY`` processes (default 2, one per
core) of ``GUNICORN_THREADS`` threads (default 4).

Each process takes at most ``GUNICORN_WORKER_CONNECTIONS`` connections at
a time (default twice its threads). A kept-alive connection stays with the
process that accepted it, and a process runs Python on one core at a time:
without the cap, one process could collect most of the connections while
the other idles (measured: all 16 of wrk's connections on one worker, half
the machine unused and the slowest responses ten times the median). With
it, the connections are shared out evenly. Deployed behind a reverse proxy
(README), the proxy's pool of kept-alive upstream connections stays within
the cap; further clients wait for a free connection in the listen backlog.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_connections = int(
    os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(2 * threads))
)
keepalive = 5
backlog = 2048
