"""Embedded defaults used when no server is configured.

With no ``DATABASE_URL`` the project runs its own PostgreSQL from the
``pgserver`` wheel under ``.data/``; with no ``CELERY_BROKER_URL`` Celery uses
kombu's filesystem transport under the same folder. Nothing is installed
system-wide and nothing listens on a TCP port.
"""

import json
import warnings
from pathlib import Path


def postgres_url(data_dir: Path, database: str) -> str:
    """Start (or reuse) the embedded PostgreSQL, make sure ``database``
    exists, and return its URL."""
    # Imported here: these are only needed without DATABASE_URL, and the
    # settings module must not pay for them in production. pgserver warns
    # about XDG_RUNTIME_DIR on machines without a login session; harmless.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
        import psycopg

        return _start(pgserver, psycopg, data_dir, database)


def forget_broken_handle_list(data_dir: Path) -> None:
    """pgserver keeps the pids using a server in a JSON file and rewrites it
    on every start and exit; a process killed mid-write (Ctrl-C at the
    wrong moment) leaves it empty and every later start fails. The list
    only matters for stopping the server with its last user, which this
    project never asks for, so a broken one is simply removed."""
    handle_list = data_dir / ".handle_pids.json"
    try:
        json.loads(handle_list.read_text())
    except FileNotFoundError:
        return
    except ValueError:
        handle_list.unlink(missing_ok=True)


def _start(pgserver, psycopg, data_dir: Path, database: str) -> str:
    forget_broken_handle_list(data_dir)

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so `make run`'s
    # web, worker and beat processes and later test runs share it.
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)


def filesystem_broker(data_dir: Path) -> tuple[str, dict]:
    """Return the broker URL and transport options of the folder broker."""
    queue_dir = data_dir / "queue"
    processed = data_dir / "processed"
    control = data_dir / "control"
    for folder in (queue_dir, processed, control):
        folder.mkdir(parents=True, exist_ok=True)
    return "filesystem://", {
        "data_folder_in": str(queue_dir),
        "data_folder_out": str(queue_dir),
        "processed_folder": str(processed),
        "control_folder": str(control),
        "store_processed": False,
    }
