"""Outcome fan-out at scale: an outcome published to a consultation with
100,000 participants reaches every one of them by mail, through one Celery
worker (2 processes), a local SMTP sink, in batches; optionally the worker
is killed (SIGKILL, the whole process group) half-way and started again,
and every participant must still get exactly one mail.

    python -m bench.notify_fanout                      # 100,000, clean run
    python -m bench.notify_fanout --kill-at 0.5        # killed half-way
    python -m bench.notify_fanout --participants 2000  # quick look

It uses its own database (``--database-url``, default ``minyi_notify_bench``
on the machine's PostgreSQL; created, migrated and filled once) and the
broker named by ``CELERY_BROKER_URL`` (default the local Redis). Figures go
to stdout and ``bench/results/notify-<time>.json``.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
BUDGET_SECONDS = 600

# The worker: Django set up, the fan-out batch size and the queue given by
# the environment, then Celery's own worker.
WORKER_CODE = """\
import os
import django
django.setup()
from notifications import services
if os.environ.get("FANOUT_BATCH"):
    services.BATCH_SIZE = int(os.environ["FANOUT_BATCH"])
from config.celery import app
queue = os.environ["FANOUT_QUEUE"]
app.conf.task_default_queue = queue
app.worker_main([
    "worker", "-Q", queue, "-c", os.environ.get("FANOUT_CONCURRENCY", "2"),
    "-P", "prefork", "--loglevel=WARNING", "--without-gossip",
    "--without-mingle", "--without-heartbeat",
    "-n", "fanout-%s@%%h" % os.getpid(),
])
"""


def worker_start(
    *,
    database_url: str,
    smtp_port: int,
    queue: str,
    concurrency: int = 2,
    batch: int | None = None,
    log: Path | None = None,
) -> subprocess.Popen:
    """A Celery worker in its own process group (so a kill takes all of
    it), sending mail to the sink on ``smtp_port``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": os.environ.get("DEBUG", "1"),
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "FANOUT_QUEUE": queue,
        "FANOUT_CONCURRENCY": str(concurrency),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if batch:
        env["FANOUT_BATCH"] = str(batch)
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WORKER_CODE],
        cwd=BASE_DIR,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by the processes of a group,
    from /proc: what the worker costs whatever else loads the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, ..., utime (12), stime (13).
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def worker_kill(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes at once: no warm
    shutdown, no chance to acknowledge or requeue anything."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def worker_stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        worker_kill(process)


def participants_make(*, count: int, prefix: str = "fanout"):
    """A closed consultation with ``count`` residents who each commented
    once, loaded with bulk inserts; return the consultation."""
    from django.utils import timezone

    from accounts.models import User
    from civic.models import Area, Department
    from consultations.models import Comment, Consultation

    city, _ = Area.objects.get_or_create(
        code="500000",
        defaults={"name_zh": "重庆市", "name_en": "Chongqing", "level": 1},
    )
    department, _ = Department.objects.get_or_create(
        slug=f"{prefix}-bureau",
        defaults={"name_zh": "测试局", "name_en": "Test Bureau", "area": city},
    )
    now = timezone.now()
    consultation = Consultation.objects.create(
        title=f"{prefix}：公园改造方案",
        summary="公园改造方案征求意见。",
        department=department,
        opens_at=now - timedelta(days=31),
        closes_at=now - timedelta(days=1),
        published_at=now - timedelta(days=32),
    )
    tag = uuid.uuid4().hex[:8]
    for start in range(0, count, 5000):
        size = min(5000, count - start)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{prefix}-{tag}-{start + n}@example.com",
                    display_name=f"居民{start + n}",
                    password="!",  # unusable  # noqa: S106
                    preferred_language="en" if (start + n) % 5 == 0 else "zh-hans",
                )
                for n in range(size)
            ]
        )
        Comment.objects.bulk_create(
            [
                Comment(
                    consultation=consultation,
                    author=user,
                    body="建议增加座椅和树荫。",
                    idempotency_key=uuid.uuid4(),
                )
                for user in users
            ]
        )
    return consultation


def participants_reuse(*, count: int, prefix: str):
    """The consultation an earlier run loaded with ``count`` participants,
    its notifications and mail of that run deleted; None if there is none."""
    from consultations.models import Consultation
    from notifications.models import Broadcast, Notification, OutboundEmail

    for consultation in Consultation.objects.filter(title=f"{prefix}：公园改造方案"):
        if consultation.comments.count() == count:
            Notification.objects.filter(consultation=consultation).delete()
            Broadcast.objects.filter(consultation=consultation).delete()
            OutboundEmail.objects.all().delete()
            return consultation
    return None


def outcome_announce(consultation) -> int:
    """What publishing the outcome does for the participants: record the
    broadcast; its task is queued when the transaction commits."""
    from django.db import transaction

    from notifications import services
    from notifications.models import Broadcast, Notification

    with transaction.atomic():
        broadcast = services.broadcast_start(
            consultation=consultation,
            kind=Notification.Kind.OUTCOME,
            key=f"outcome:{consultation.pk}",
            audience=Broadcast.Audience.PARTICIPANTS,
            url=f"{consultation.get_absolute_url()}#outcome",
        )
    return broadcast.pk


def sweeps_run(age: timedelta) -> tuple[int, int]:
    """What beat does (mail and broadcast sweeps), with ``age`` as the
    age after which a row counts as lost."""
    from notifications import services

    return (
        services.broadcast_sweep(older_than=age),
        services.email_sweep(older_than=age),
    )


def delivery_report(mailbox, expected: set[str]) -> dict:
    raw, ids = mailbox.per_recipient()
    return {
        "recipients_expected": len(expected),
        "recipients_reached": len(set(raw) & expected),
        "missing": len(expected - set(raw)),
        "strangers": len(set(raw) - expected),
        "smtp_deliveries": sum(raw.values()),
        "recipients_with_two_message_ids": sum(1 for v in ids.values() if len(v) > 1),
        "raw_duplicates_same_message_id": sum(raw.values()) - len(raw),
    }


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/minyi_notify_bench",
    )
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--kill-at",
        type=float,
        default=0.0,
        help="kill the worker once this share of the mail is delivered (0: never)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")

    from bench import notify_smtp_sink
    from bench.run import create_database

    create_database(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "1"},
        check=True,
    )
    _setup_django(args.database_url)
    from config.celery import app
    from notifications import services
    from notifications.models import Notification, OutboundEmail

    queue = f"notify-bench-{os.getpid()}"
    app.conf.task_default_queue = queue
    started = time.monotonic()
    consultation = participants_reuse(count=args.participants, prefix="bench")
    if consultation is None:
        print(f"Loading {args.participants} participants…", flush=True)
        consultation = participants_make(count=args.participants, prefix="bench")
    expected = {
        e.lower() for e in consultation.comments.values_list("author__email", flat=True)
    }
    load_seconds = time.monotonic() - started

    server, mailbox = notify_smtp_sink.start()
    port = server.server_address[1]
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / f"notify-worker-{int(time.time())}.log"
    worker = worker_start(
        database_url=args.database_url,
        smtp_port=port,
        queue=queue,
        concurrency=args.concurrency,
        log=log,
    )
    time.sleep(3)  # the worker connects to the broker
    t0 = time.monotonic()
    outcome_announce(consultation)
    killed_at = None
    restarted = False
    cpu = 0.0
    deadline = t0 + BUDGET_SECONDS * 2
    last_mail_sweep = last_broadcast_sweep = time.monotonic()
    while time.monotonic() < deadline:
        done = mailbox.count()
        if args.kill_at and not restarted and done >= args.kill_at * args.participants:
            killed_at = done
            cpu += group_cpu_seconds(worker.pid)
            worker_kill(worker)
            print(
                f"Killed the worker after {done} mails; starting it again", flush=True
            )
            worker = worker_start(
                database_url=args.database_url,
                smtp_port=port,
                queue=queue,
                concurrency=args.concurrency,
                log=log,
            )
            restarted = True
        # Beat, as configured: the mail sweep every minute (mail older than
        # 2 minutes), the broadcast sweep every 2 minutes (older than 5).
        now = time.monotonic()
        if now - last_mail_sweep >= 60:
            services.email_sweep()
            last_mail_sweep = now
        if now - last_broadcast_sweep >= 120:
            services.broadcast_sweep()
            last_broadcast_sweep = now
        if mailbox.reached() >= len(expected):
            break
        time.sleep(0.5)
    elapsed = (mailbox.last_at or time.monotonic()) - t0
    cpu += group_cpu_seconds(worker.pid)
    worker_stop(worker)
    server.shutdown()

    notifications = Notification.objects.filter(consultation=consultation).count()
    unsent = OutboundEmail.objects.filter(
        sent_at__isnull=True, to__overlap=list(expected)[:1]
    ).count()
    result = {
        "participants": args.participants,
        "concurrency": args.concurrency,
        "broker": os.environ["CELERY_BROKER_URL"].split("@")[-1],
        "load_seconds": round(load_seconds, 1),
        "seconds_to_last_mail": round(elapsed, 1),
        "mails_per_second": round(mailbox.count() / elapsed, 1) if elapsed else None,
        "killed_after_mails": killed_at,
        "worker_cpu_seconds": round(cpu, 1),
        "worker_cpu_ms_per_mail": round(1000 * cpu / max(mailbox.count(), 1), 2),
        "load_average_at_end": os.getloadavg(),
        "notifications": notifications,
        "unsent_sample": unsent,
        **delivery_report(mailbox, expected),
    }
    result["within_budget"] = (
        result["missing"] == 0
        and result["recipients_with_two_message_ids"] == 0
        and elapsed <= BUDGET_SECONDS
    )
    print(json.dumps(result, indent=2), flush=True)
    (RESULTS / f"notify-{int(time.time())}.json").write_text(json.dumps(result))
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
