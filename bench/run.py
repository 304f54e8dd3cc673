#!/usr/bin/env python
"""Measure Minyi against the budgets in DESIGN.md.

Uses its own database (``--database-url``, default ``minyi_bench`` on the
machine's PostgreSQL): migrates it, loads ``seed_bench`` once, starts
gunicorn with 2 workers in production mode on 127.0.0.1, then measures

  a. the page of the consultation with 100,000 comments (wrk, 16 clients),
  b. its comment list 500 pages deep (the cursor after 10,000 comments),
  c. comment posting by many signed-in residents (each post with a fresh
     idempotency key and the CSRF token of the form it was served), and
     checks that every accepted post was stored exactly once,
  d. the trivial template view /about/, for the throughput ratio,
  e. the SQL query count of the consultation page,

and prints the figures (and writes them as JSON under bench/results/).
See bench/README.md for the recorded figures.
"""

import argparse
import concurrent.futures
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import django
import psycopg

from bench import loadgen

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BUDGET_P99_MS = 50
BUDGET_POSTS_PER_SECOND = 200
BUDGET_RATIO = 0.5
BODIES = [
    "建议在小区周边增加公交站点，方便老年人出行。",
    "支持第三条的规定，希望尽快实施。",
    "Please publish the construction schedule for each street.",
    "老旧小区加装电梯的资金分摊办法需要说明清楚。",
    "社区食堂的价格希望能够公示。",
    "I support this plan, but the pavement is too narrow for wheelchairs.",
]
STANCES = ["support", "oppose", "suggestion", "question"]


def arguments_from(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minyi_bench"
        ),
    )
    parser.add_argument(
        "--port", type=int, default=0, help="Default: a free port on 127.0.0.1."
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("GUNICORN_THREADS", "2")),
        help="Threads per worker (config/gunicorn.py); 0: sync workers.",
    )
    parser.add_argument("--posters", type=int, default=2500)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


def server_environment(args: argparse.Namespace) -> dict:
    """Production settings, on plain HTTP to 127.0.0.1."""
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        # Every post comes from 127.0.0.1 standing in for 2,500 residents'
        # own addresses: the per-address limit is off, the per-account one
        # stays (and is never reached, see --posters).
        "RATE_LIMITS": os.environ.get("RATE_LIMITS", "comment:ip=0/60"),
    }


STARTED = time.monotonic()


def note(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {text}", flush=True)


def manage(env: dict, *command: str) -> None:
    note("manage.py " + " ".join(command))
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def create_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split(":", 1)[1].strip()
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    wrk_version = subprocess.run(
        ["wrk", "--version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()[:1]
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "wrk": wrk_version[0] if wrk_version else "",
    }


class Gunicorn:
    """gunicorn, started and stopped by its pid: sync workers, or with
    ``threads`` the production settings of ``config/gunicorn.py`` (threaded
    workers, kept-alive connections)."""

    def __init__(
        self, env: dict, port: int, workers: int, log: Path, *, threads: int = 0
    ):
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--backlog=2048",
            "--log-level=warning",
        ]
        if threads:
            self.command.append("--config=python:config.gunicorn")
            env = {**env, "GUNICORN_THREADS": str(threads)}
        self.env, self.port, self.log = env, port, log

    def __enter__(self):
        self.output = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            self.command, cwd=ROOT, env=self.env, stdout=self.output, stderr=self.output
        )
        for _ in range(100):
            time.sleep(0.2)
            try:
                status, _headers, _body = loadgen.fetch(f"{self.url}/about/")
            except OSError:
                continue
            if status == 200:
                return self
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.output.close()


def main() -> int:
    args = arguments_from()
    env = server_environment(args)
    create_database(args.database_url)
    manage(env, "migrate", "--no-input", "--verbosity=0")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    # These need the settings above, so they are imported only now.
    from bench import prepare
    from config.management.commands.seed_bench import BENCH_DOMAIN, BIG_TITLE
    from consultations.models import Consultation

    if not Consultation.objects.filter(title=BIG_TITLE).exists():
        manage(env, "seed_bench", f"--scale={args.scale}", "--reset")
    manage(env, "collectstatic", "--no-input", "--verbosity=0")
    return measure(args, env, prepare, BENCH_DOMAIN, BIG_TITLE)


def measure(args, env, prepare, bench_domain, big_title) -> int:
    from django.db import connection

    from accounts.models import User
    from consultations.models import Comment, Consultation

    big = Consultation.objects.get(title=big_title)
    comments_before = Comment.objects.filter(consultation=big).count()
    print(f"Consultation {big.pk}: {comments_before} comments")
    note(f"following {args.pages} pages of comments for the deep cursor")
    cursor = prepare.cursor_after(big, args.pages)
    residents = list(
        User.objects.filter(email__endswith=f"@{bench_domain}")
        .exclude(email__startswith="official@")
        .order_by("pk")[: args.posters]
    )
    note(f"signing in {len(residents)} residents")
    prepare.reset_rate_limits()
    sessions = prepare.signed_in_sessions(residents)
    detail = f"/consultations/{big.pk}/"
    deep = f"/consultations/{big.pk}/comments/?cursor={cursor}"
    form_path = f"/consultations/{big.pk}/comments/new/"
    host = "127.0.0.1"
    results: dict = {
        "machine": machine(),
        "started": datetime.now().isoformat(),
        "load_average_before": os.getloadavg(),
        "server": {
            "workers": args.workers,
            "threads": args.threads,
            "worker_class": "gthread" if args.threads else "sync",
            "requests_per_connection": int(
                os.environ.get("GUNICORN_REQUESTS_PER_CONNECTION", "50")
            )
            if args.threads
            else 1,
        },
    }
    with connection.cursor() as db:
        db.execute("SELECT version()")
        results["machine"]["postgresql"] = db.fetchone()[0].split(",")[0]
    results["queries"] = {
        "consultation page, visitor, first": prepare.page_queries(detail, host=host)[1],
        "consultation page, visitor, cached": prepare.page_queries(detail, host=host)[
            1
        ],
        "consultation page, signed in, first": prepare.page_queries(
            detail, host=host, session_key=sessions[0]
        )[1],
        "consultation page, signed in": prepare.page_queries(
            detail, host=host, session_key=sessions[0]
        )[1],
        "comment list page 500, visitor, first": prepare.page_queries(deep, host=host)[
            1
        ],
        "comment list page 500, visitor, cached": prepare.page_queries(deep, host=host)[
            1
        ],
        "about page, visitor": prepare.page_queries("/about/", host=host)[1],
    }
    log = ROOT / "bench" / "results" / "gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    sent_keys = []
    try:
        port = args.port or free_port()
        with Gunicorn(env, port, args.workers, log, threads=args.threads) as server:
            for path in (detail, deep, "/about/"):
                status, _h, body = loadgen.fetch(server.url + path)
                assert status == 200, (path, status)
            assert big.title in loadgen.fetch(server.url + detail)[2]
            note("serving each resident the comment form")
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                posters = list(
                    pool.map(
                        lambda key: loadgen.load_form(
                            server.url, form_path, loadgen.Poster(key)
                        ),
                        sessions,
                    )
                )
            pages = {
                "about": (server.url + "/about/", ""),
                "consultation": (server.url + detail, ""),
                "comment list page 500": (server.url + deep, ""),
                "consultation, signed in": (
                    server.url + detail,
                    f"sessionid={sessions[0]}",
                ),
            }
            results["pages"] = measure_pages(args, pages)
            fields = [
                {
                    "body": BODIES[n % len(BODIES)],
                    "stance": STANCES[n % len(STANCES)],
                    "section": f"article-{n % 13}" if n % 13 else "",
                }
                for n in range(52)
            ]
            note("measuring comment posting")
            # A warm-up by 49 residents of their own (they reach their limit
            # of comments a minute; the last resident is kept for the
            # double submit).
            warm = loadgen.post_comments(
                url=server.url,
                path=form_path,
                posters=posters[-50:-1],
                fields=fields,
                seconds=3,
                concurrency=args.connections,
            )
            sent_keys += [key for key, _s, _ms in warm.sent]
            posting = loadgen.post_comments(
                url=server.url,
                path=form_path,
                posters=posters[:-50],
                fields=fields,
                seconds=args.seconds,
                concurrency=args.connections,
            )
            keys = [key for key, _s, _ms in posting.sent]
            sent_keys += keys
            check = prepare.check_posts(keys, posting.accepted_keys)
            twice_key, twice = loadgen.post_same_key_twice(
                url=server.url, path=form_path, poster=posters[-1], fields=fields[1]
            )
            sent_keys.append(twice_key)
            check["double submit answers"] = twice
            check["double submit stored"] = len(prepare.stored_keys([twice_key]))
            results["posting"] = {
                "seconds": posting.seconds,
                "sent": len(posting.sent),
                "per_second": posting.per_second,
                "p50_ms": posting.percentile_ms(50),
                "p99_ms": posting.percentile_ms(99),
                "statuses": posting.statuses(),
                "check": check,
            }
            print(f"posting: {results['posting']}")
    finally:
        prepare.delete_posts(sent_keys)
        prepare.forget_sessions(sessions)
    results["comments"] = comments_before
    results["load_average_after"] = os.getloadavg()
    report(results)
    out = ROOT / "bench" / "results" / f"run-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"\nFigures written to {out.relative_to(ROOT)}")
    return 0


def measure_pages(args, pages: dict) -> dict:
    """wrk on each page in turn, in ``--rounds`` rounds, so that every page
    meets the same background load; each figure is the median over the
    rounds, and the ratio to /about/ is taken within each round."""
    rounds: dict[str, list] = {name: [] for name in pages}
    for url, cookie in pages.values():
        loadgen.wrk(url, seconds=3, connections=args.connections, cookie=cookie)
    for n in range(args.rounds):
        for name, (url, cookie) in pages.items():
            note(f"round {n + 1}/{args.rounds}: {name}")
            result = loadgen.wrk(
                url,
                seconds=args.seconds / args.rounds,
                connections=args.connections,
                cookie=cookie,
            )
            rounds[name].append(result)
            print(
                f"  {result.per_second:.0f} req/s, p50 {result.p50_ms:.1f} ms, "
                f"p99 {result.p99_ms:.1f} ms, errors {result.errors}"
            )
    figures = {}
    for name, results in rounds.items():
        figures[name] = {
            key: statistics.median(getattr(r, key) for r in results)
            for key in ("per_second", "p50_ms", "p90_ms", "p99_ms", "max_ms")
        }
        figures[name]["errors"] = sum(r.errors for r in results)
        figures[name]["requests"] = sum(r.requests for r in results)
        figures[name]["url"] = results[0].url
        figures[name]["ratio_to_about"] = statistics.median(
            r.per_second / a.per_second
            for r, a in zip(results, rounds["about"], strict=True)
        )
    return figures


def report(results: dict) -> None:
    pages = results["pages"]
    ratio = pages["consultation"].get(
        "ratio_to_about",
        pages["consultation"]["per_second"] / pages["about"]["per_second"],
    )
    posting = results["posting"]
    check = posting["check"]
    print("\n| measurement | req/s | p50 ms | p90 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, page in pages.items():
        print(
            f"| {name} | {page['per_second']:.0f} | {page['p50_ms']:.1f} | "
            f"{page['p90_ms']:.1f} | {page['p99_ms']:.1f} | {page['errors']} |"
        )
    print(
        f"| comment posting | {posting['per_second']:.0f} posts/s | "
        f"{posting['p50_ms']:.1f} | | {posting['p99_ms']:.1f} | "
        f"{posting['statuses']} |"
    )
    print("\nBudgets:")
    verdicts = [
        (
            "consultation page p99 < 50 ms",
            pages["consultation"]["p99_ms"] < BUDGET_P99_MS,
            f"{pages['consultation']['p99_ms']:.1f} ms",
        ),
        (
            "comment list page 500 p99 < 50 ms",
            pages["comment list page 500"]["p99_ms"] < BUDGET_P99_MS,
            f"{pages['comment list page 500']['p99_ms']:.1f} ms",
        ),
        (
            "consultation page >= 50% of /about/ throughput",
            ratio >= BUDGET_RATIO,
            f"{ratio:.0%}",
        ),
        (
            ">= 200 posts/s",
            posting["per_second"] >= BUDGET_POSTS_PER_SECOND,
            f"{posting['per_second']:.0f} posts/s",
        ),
        (
            "nothing lost or doubled",
            check["lost"] == 0
            and check["doubled"] == 0
            and check["stored_but_refused"] == 0
            and check["double submit stored"] == 1,
            json.dumps(check),
        ),
    ]
    for name, met, figure in verdicts:
        print(f"  [{'met' if met else 'MISSED'}] {name}: {figure}")
    print(f"\nQuery counts: {results['queries']}")
    print(f"Machine: {results['machine']}")
    print(f"gunicorn: {results.get('server')}")
    if "load_average_before" in results:
        print(
            f"Load average before {results['load_average_before']}, "
            f"after {results['load_average_after']}"
        )


if __name__ == "__main__":
    sys.exit(main())
