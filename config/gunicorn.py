"""gunicorn's settings for Minyi's web processes (not read automatically:
``gunicorn -c python:config.gunicorn config.wsgi``, as ``bench.run`` does).

Threaded workers: while one request waits for PostgreSQL (every query, and
the commit of every post) another runs, and wrk's or a browser's
connections are kept alive instead of being closed after each response,
which sync workers do. ``WEB_CONCURRENCY`` processes (default 2, one per
core) of ``GUNICORN_THREADS`` threads (default 4).

Each process takes at most ``GUNICORN_WORKER_CONNECTIONS`` connections at
a time (default twice its threads), so kept-alive connections are shared
evenly between the processes; a client arriving while every process is at
its cap gets the place of the longest-idle kept-alive connection
(``config.gunicorn_worker``).
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "config.gunicorn_worker.BalancedThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_connections = int(
    os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(2 * threads))
)
keepalive = 5
backlog = 2048
