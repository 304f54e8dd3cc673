#!/usr/bin/env python
"""CPU time and SQL queries per request, in-process, for the pages and the
posting path that ``bench.run`` measures with wrk.

Wall-clock throughput on a shared 2-core machine moves by a factor of two
with the background load; the CPU time a request costs this process does
not (much). Each figure is ``time.process_time`` over ``--requests``
requests through Django's test client (every middleware, the session, the
templates; no HTTP server), after a few warm-up requests, on the benchmark
database in production settings::

    .venv/bin/python -m bench.cpu                 # every figure
    .venv/bin/python -m bench.cpu --only post --profile   # cProfile of one
    SORT=tottime LINES=60 .venv/bin/python -m bench.cpu --only post --profile
    CALLERS=x CALLEES="comment_post" .venv/bin/python -m bench.cpu --only post --profile

It also counts each request's queries; PostgreSQL's own CPU time is not in
the figure (see ``bench/README.md``).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
import uuid

from bench import run

BODIES = run.BODIES


def arguments_from(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minyi_bench"
        ),
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--only",
        choices=["about", "visitor", "signed-in", "deep", "form", "post"],
        action="append",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile each.")
    parser.add_argument(
        "--sql", action="store_true", help="Print the queries of the last request."
    )
    return parser.parse_args(argv)


def measure(name: str, request, count: int, profile: bool, sql: bool) -> dict:
    """CPU milliseconds and queries per call of ``request(n)``."""
    from django.db import connection

    for n in range(5):
        request(-1 - n)
    executed = []

    def counter(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    profiler = cProfile.Profile(time.process_time) if profile else None
    started = time.process_time()
    wall = time.perf_counter()
    if profiler:
        profiler.enable()
    with connection.execute_wrapper(counter):
        for n in range(count):
            request(n)
    if profiler:
        profiler.disable()
    cpu_ms = (time.process_time() - started) * 1000 / count
    wall_ms = (time.perf_counter() - wall) * 1000 / count
    queries = len(executed) / count
    print(
        f"{name:32} {cpu_ms:7.2f} ms CPU  {wall_ms:7.2f} ms wall  "
        f"{queries:5.1f} queries",
        flush=True,
    )
    if profiler:
        calls = pstats.Stats(profiler).total_calls / count
        print(f"{'':32} {calls:7.0f} Python function calls per request")
    if sql:
        for statement in executed[-round(queries) :]:
            print("   ", statement[:300])
    if profiler and os.environ.get("CALLERS"):
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_callers(os.environ["CALLERS"])
        if os.environ.get("CALLEES"):
            stats.print_callees(os.environ["CALLEES"])
    elif profiler:
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("LINES", "45")))
    return {"cpu_ms": cpu_ms, "wall_ms": wall_ms, "queries": queries}


def main() -> int:
    args = arguments_from()
    env = run.server_environment(
        run.arguments_from(["--database-url", args.database_url])
    )
    # Room for every post of the loop: this measures cost, not the limiter.
    env.setdefault("COMMENT_RATE_LIMIT", "100000/m/user")
    env.setdefault("RATE_LIMITS", "comment=100000/60,comment:ip=0/60")
    run.create_database(args.database_url)
    run.manage(env, "migrate", "--no-input", "--verbosity=0")
    run.manage(env, "collectstatic", "--no-input", "--verbosity=0")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from bench import prepare
    from config.management.commands.seed_bench import BENCH_DOMAIN, BIG_TITLE
    from consultations.models import Comment, Consultation

    if not Consultation.objects.filter(title=BIG_TITLE).exists():
        run.manage(env, "seed_bench", "--scale=1", "--reset")
    big = Consultation.objects.get(title=BIG_TITLE)
    detail = f"/consultations/{big.pk}/"
    residents = list(
        User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
        .exclude(email__startswith="official@")
        .order_by("-pk")[:50]
    )
    sessions = prepare.signed_in_sessions(residents)
    deep = f"/consultations/{big.pk}/comments/?cursor={prepare.cursor_after(big, 500)}"
    host = "127.0.0.1"
    visitor = Client(HTTP_HOST=host)
    signed_in = Client(HTTP_HOST=host)
    signed_in.cookies["sessionid"] = sessions[0]
    posters = []
    for key in sessions:
        client = Client(HTTP_HOST=host, enforce_csrf_checks=True)
        client.cookies["sessionid"] = key
        response = client.get(f"{detail}comments/new/")
        token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1]
        posters.append((client, token.split('"')[0]))
    posted: list[uuid.UUID] = []

    def post(n: int):
        client, token = posters[n % len(posters)]
        key = uuid.uuid4()
        posted.append(key)
        response = client.post(
            f"{detail}comments/new/",
            {
                "body": BODIES[n % len(BODIES)],
                "stance": run.STANCES[n % len(run.STANCES)],
                "section": f"article-{n % 13}" if n % 13 else "",
                "idempotency_key": str(key),
                "csrfmiddlewaretoken": token,
            },
        )
        assert response.status_code == 302, response.status_code

    def get(client, path):
        def request(_n):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return request

    cases = {
        "about": get(visitor, "/about/"),
        "visitor": get(visitor, detail),
        "signed-in": get(signed_in, detail),
        "deep": get(visitor, deep),
        "form": get(posters[0][0], f"{detail}comments/new/"),
        "post": post,
    }
    figures = {}
    try:
        for name in args.only or cases:
            count = args.requests if name != "deep" else max(20, args.requests // 5)
            figures[name] = measure(name, cases[name], count, args.profile, args.sql)
    finally:
        Comment.objects.filter(idempotency_key__in=posted).delete()
        prepare.forget_sessions(sessions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
