"""gunicorn's settings for Minyi's web processes (not read automatically:
``gunicorn -c python:config.gunicorn config.wsgi``, as ``bench.run`` does).

Threaded workers: while one request waits for PostgreSQL (every query, and
the commit of every post) another runs, and wrk's or a browser's
connections are kept alive instead of being closed after each response,
which sync workers do. ``WEB_CONCURRENCY`` processes (default 2, one per
core) of ``GUNICORN_THREADS`` threads (default 2; with 4, measured with
wrk, throughput was the same and the slowest responses slower: more
threads only queue longer for the one core a process can use). Kept-alive
connections are recycled every ``GUNICORN_REQUESTS_PER_CONNECTION``
requests so they stay shared evenly between the processes
(``config.gunicorn_worker``).
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "config.gunicorn_worker.BalancedThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
keepalive = 5
backlog = 2048
