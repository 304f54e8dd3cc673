#!/usr/bin/env python
"""Time the public API's list endpoints at 16 clients (budget: p99 < 50 ms).

Uses the benchmark database of ``bench.run`` (``--database-url``, default
``minyi_bench`` on the machine's PostgreSQL): migrates it, loads
``seed_bench`` if it is empty, adds ``--demands`` synthetic demands (with
public updates and inputs drawn from the big consultation's comments) if
there are fewer, starts gunicorn with 2 workers in production mode on
127.0.0.1 with the API's throttle off (every request comes from one
address), then measures with wrk, ``--connections`` clients, in
interleaved rounds (medians over the rounds, as in ``bench.run``):

  consultations, consultations?status=open, the first page of the
  100,000-comment consultation's comments, the same 500 pages deep,
  surveys, hearings, demands, demands of one district, areas,
  departments, topics, the accountability figures, and /about/ for scale,

with the SQL query count of each, and prints the figures (and writes them
as JSON under bench/results/). See the "Public API" section of
bench/README.md for the recorded figures.
"""

import argparse
import json
import os
import random
import sys
from datetime import datetime, timedelta

import django

from bench import run

BUDGET_P99_MS = 50
# What the budget is about: the API's list endpoints (the deep comment page
# and the accountability figures are measured for information).
BUDGETED = (
    "consultations",
    "consultations, open",
    "comments, first page",
    "surveys",
    "hearings",
    "demands",
    "demands, one district",
    "areas",
    "departments",
    "topics",
)
DEMAND_TITLE = "【基准】"


def arguments_from(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = run.arguments_from([])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=defaults.database_url)
    parser.add_argument("--port", type=int, default=8734)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--demands", type=int, default=20000)
    parser.add_argument("--pages", type=int, default=500)
    return parser.parse_args(argv)


def seed_demands(count: int) -> int:
    """Synthetic demands over the districts, topics and departments, each
    with two public updates and up to three comments as inputs; returns
    how many were added."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from civic.models import Area, Department, Topic
    from consultations.models import Comment
    from demands.models import Demand, DemandSource, DemandUpdate

    have = Demand.objects.filter(title__startswith=DEMAND_TITLE).count()
    if have >= count:
        return 0
    rng = random.Random(9)  # noqa: S311 - benchmark data
    areas = list(Area.objects.filter(level__gte=2))
    topics = list(Topic.objects.all()) or [None]
    departments = list(Department.objects.all()) or [None]
    statuses = ["new", "accepted", "assigned", "in_progress", "resolved", "declined"]
    now = datetime.now().astimezone()
    demands = []
    for n in range(have, count):
        created = now - timedelta(days=rng.uniform(1, 365))
        status = rng.choice(statuses)
        responded = status not in ("new", "accepted")
        demands.append(
            Demand(
                title=f"{DEMAND_TITLE}需求{n} Demand {n}",
                summary="居民反映的公共服务需求。Residents' need.",
                topic=rng.choice(topics),
                area=rng.choice(areas) if areas else None,
                department=rng.choice(departments),
                status=status,
                score=rng.random() * 100,
                resident_count=rng.randint(1, 400),
                input_count=3,
                created_at=created,
                first_response_at=(
                    created + timedelta(days=rng.uniform(0.5, 20))
                    if responded
                    else None
                ),
                resolved_at=(
                    created + timedelta(days=rng.uniform(20, 90))
                    if status == "resolved"
                    else None
                ),
            )
        )
    demands = Demand.objects.bulk_create(demands, batch_size=5000)
    DemandUpdate.objects.bulk_create(
        [
            DemandUpdate(
                demand=d,
                kind=kind,
                status_to=d.status if kind == "status" else "",
                text="已受理，正在办理。Being handled.",
                created_at=d.created_at + timedelta(days=1),
            )
            for d in demands
            for kind in ("status", "response")
        ],
        batch_size=5000,
    )
    comment_type = ContentType.objects.get_for_model(Comment)
    used = set(
        DemandSource.objects.filter(content_type=comment_type).values_list(
            "object_id", flat=True
        )
    )
    free = (
        pk
        for pk in Comment.objects.order_by("pk").values_list("pk", flat=True)
        if pk not in used
    )
    sources = []
    for d in demands:
        for _ in range(3):
            pk = next(free, None)
            if pk is None:
                break
            sources.append(
                DemandSource(
                    demand=d,
                    kind="comment",
                    content_type=comment_type,
                    object_id=pk,
                    created_at=d.created_at,
                )
            )
    DemandSource.objects.bulk_create(sources, batch_size=5000)
    with connection.cursor() as cursor:
        # Fresh statistics, so the first plans are the steady-state ones.
        for model in (Demand, DemandUpdate, DemandSource):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return len(demands)


def pages(big_consultation_id: int, deep_cursor: str, district: str) -> dict:
    comments = f"/api/v1/consultations/{big_consultation_id}/comments/"
    return {
        "consultations": "/api/v1/consultations/",
        "consultations, open": "/api/v1/consultations/?status=open",
        "comments, first page": comments,
        "comments, 500 pages deep": f"{comments}?cursor={deep_cursor}",
        "surveys": "/api/v1/surveys/",
        "hearings": "/api/v1/hearings/?when=past",
        "demands": "/api/v1/demands/",
        "demands, one district": f"/api/v1/demands/?area={district}",
        "areas": "/api/v1/areas/",
        "departments": "/api/v1/departments/",
        "topics": "/api/v1/topics/",
        "accountability": "/api/v1/accountability/",
        "about": "/about/",
    }


def deep_cursor(consultation, depth: int) -> str:
    """The cursor a client holds after ``depth`` pages of 20 comments."""
    from django.contrib.auth.models import AnonymousUser

    from consultations import selectors

    cursor = ""
    for _ in range(depth):
        page = selectors.comment_page(
            consultation=consultation, viewer=AnonymousUser(), cursor=cursor
        )
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return cursor


def report(results: dict) -> bool:
    print("\n| endpoint | req/s | p50 ms | p90 ms | p99 ms | errors | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, page in results["pages"].items():
        print(
            f"| {name} | {page['per_second']:.0f} | {page['p50_ms']:.1f} | "
            f"{page['p90_ms']:.1f} | {page['p99_ms']:.1f} | {page['errors']} | "
            f"{results['queries'].get(name, '')} |"
        )
    print(f"\nBudget: p99 < {BUDGET_P99_MS} ms at {results['connections']} clients")
    met_all = True
    for name in BUDGETED:
        page = results["pages"][name]
        met = page["p99_ms"] < BUDGET_P99_MS and page["errors"] == 0
        met_all &= met
        print(
            f"  [{'met' if met else 'MISSED'}] {name}: p50 {page['p50_ms']:.1f} ms, "
            f"p99 {page['p99_ms']:.1f} ms, {page['per_second']:.0f} req/s"
        )
    return met_all


def main() -> int:
    args = arguments_from()
    env = {**run.server_environment(args), "API_ANON_THROTTLE_RATE": ""}
    run.create_database(args.database_url)
    run.manage(env, "migrate", "--no-input", "--verbosity=0")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    # These need the settings above, so they are imported only now.
    from bench import prepare
    from civic.models import Area
    from config.management.commands.seed_bench import BIG_TITLE
    from consultations.models import Consultation

    if not Consultation.objects.filter(title=BIG_TITLE).exists():
        run.manage(env, "seed_bench", f"--scale={args.scale}", "--reset")
    added = seed_demands(args.demands)
    if added:
        run.note(f"added {added} synthetic demands")
    run.manage(env, "collectstatic", "--no-input", "--verbosity=0")
    big = Consultation.objects.get(title=BIG_TITLE)
    district = Area.objects.filter(level=2).order_by("code").first()
    paths = pages(big.pk, deep_cursor(big, args.pages), district.code)
    results = {
        "machine": run.machine(),
        "started": datetime.now().isoformat(),
        "load_average_before": os.getloadavg(),
        "connections": args.connections,
        "queries": {
            name: prepare.page_queries(path, host="127.0.0.1")[1]
            for name, path in paths.items()
        },
    }
    log = run.ROOT / "bench" / "results" / "gunicorn-api.log"
    log.parent.mkdir(exist_ok=True)
    with run.Gunicorn(env, args.port, args.workers, log) as server:
        for name, path in paths.items():
            status, _headers, _body = run.loadgen.fetch(server.url + path)
            assert status == 200, (name, path, status)
        urls = {name: (server.url + path, "") for name, path in paths.items()}
        results["pages"] = run.measure_pages(args, urls)
    results["load_average_after"] = os.getloadavg()
    met = report(results)
    print(
        f"\nLoad average before and after: {results['load_average_before']}, "
        f"{results['load_average_after']}"
    )
    name = f"api-{datetime.now():%Y%m%d-%H%M%S}.json"
    out = run.ROOT / "bench" / "results" / name
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"\nFigures written to {out.relative_to(run.ROOT)}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
