#!/usr/bin/env python
"""Time the survey results page at 100,000 responses (budget: ≤ 200 ms).

Uses the benchmark database of ``bench.run`` (``--database-url``, default
``minyi_bench`` on the machine's PostgreSQL): migrates it, adds the
benchmark survey once (``seed_bench --surveys-only``), starts gunicorn with
2 workers in production mode on 127.0.0.1, then measures with wrk, one
client at a time (the render time) and ``--connections`` at once:

  a. the public results page (every question, responses over time and by
     district, cross-tabs by district),
  b. the same for one district,
  c. the cross-tabs by a single-choice question,
  d. the first page of a long-text question's open answers,
  e. the trivial template view /about/, for scale,

with the SQL query count of each, and prints the figures (and writes them
as JSON under bench/results/). See the "Surveys" section of
bench/README.md for the recorded figures.
"""

import argparse
import json
import os
import sys
from datetime import datetime

import django

from bench import loadgen, run

BUDGET_MS = 200
BUDGETED = ("results", "results, one district", "results, cross-tab by question")


def arguments_from(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = run.arguments_from([])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=defaults.database_url)
    parser.add_argument("--port", type=int, default=8733)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


def pages(survey) -> dict[str, str]:
    """The paths to measure for ``survey`` (results published)."""
    from surveys import selectors
    from surveys.results import breakdown

    structure = selectors.structure(survey=survey)
    counts = breakdown.responses_by_district(survey=survey)
    busiest = max((pk for pk in counts if pk is not None), key=counts.get)
    by = breakdown.breakdown_questions(structure)[0]
    text = next(q for q in structure.ordered_questions() if q.kind == "long_text")
    results = f"/surveys/{survey.pk}/results/"
    return {
        "results": results,
        "results, one district": f"{results}?district={busiest}",
        "results, cross-tab by question": f"{results}?by={by.pk}",
        "open answers, first page": f"{results}questions/{text.pk}/",
        "about": "/about/",
    }


def measure(args, base_url: str, paths: dict[str, str]) -> dict:
    """wrk figures of each path (medians over interleaved rounds, as in
    bench.run) with one client at a time, then ``--connections``."""
    for name, path in paths.items():
        status, _headers, _body = loadgen.fetch(base_url + path)
        assert status == 200, (name, path, status)
    urls = {name: (base_url + path, "") for name, path in paths.items()}
    figures: dict[str, dict] = {name: {} for name in paths}
    for clients in sorted({1, args.connections}):
        run.note(f"measuring with {clients} client(s)")
        by_page = run.measure_pages(
            argparse.Namespace(**{**vars(args), "connections": clients}), urls
        )
        for name, page in by_page.items():
            figures[name][clients] = page
    return figures


def report(results: dict) -> bool:
    """Print the figures as a table and each budget's verdict; whether
    every budget was met."""
    print("\n| page | clients | req/s | p50 ms | p90 ms | p99 ms | errors | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, by_clients in results["pages"].items():
        for clients, page in by_clients.items():
            print(
                f"| {name} | {clients} | {page['per_second']:.0f} | "
                f"{page['p50_ms']:.1f} | {page['p90_ms']:.1f} | "
                f"{page['p99_ms']:.1f} | {page['errors']} | "
                f"{results['queries'].get(name, '')} |"
            )
    print(f"\nBudget ({results['responses']} responses, one client at a time):")
    met_all = True
    for name in BUDGETED:
        single = results["pages"][name][1]
        met = single["p99_ms"] <= BUDGET_MS and single["errors"] == 0
        met_all &= met
        print(
            f"  [{'met' if met else 'MISSED'}] {name} renders in <= {BUDGET_MS} ms: "
            f"p50 {single['p50_ms']:.1f} ms, p99 {single['p99_ms']:.1f} ms"
        )
    return met_all


def main() -> int:
    args = arguments_from()
    env = run.server_environment(args)
    run.create_database(args.database_url)
    run.manage(env, "migrate", "--no-input", "--verbosity=0")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    # These need the settings above, so they are imported only now.
    from bench import prepare
    from surveys import bench_data
    from surveys.models import Response

    if bench_data.bench_survey() is None:
        run.manage(env, "seed_bench", "--surveys-only", f"--scale={args.scale}")
    run.manage(env, "collectstatic", "--no-input", "--verbosity=0")
    survey = bench_data.bench_survey()
    paths = pages(survey)
    results = {
        "machine": run.machine(),
        "started": datetime.now().isoformat(),
        "load_average_before": os.getloadavg(),
        "survey": survey.pk,
        "responses": Response.objects.filter(survey=survey).count(),
        "queries": {
            name: prepare.page_queries(path, host="127.0.0.1")[1]
            for name, path in paths.items()
        },
    }
    log = run.ROOT / "bench" / "results" / "gunicorn-surveys.log"
    log.parent.mkdir(exist_ok=True)
    with run.Gunicorn(env, args.port, args.workers, log) as server:
        body = loadgen.fetch(server.url + paths["results"])[2]
        assert survey.title_zh in body and "<svg" in body
        results["pages"] = measure(args, server.url, paths)
    results["load_average_after"] = os.getloadavg()
    met = report(results)
    print(f"\nQuery counts: {results['queries']}")
    print(
        f"Load average before and after: {results['load_average_before']}, "
        f"{results['load_average_after']}"
    )
    print(f"Machine: {results['machine']}")
    name = f"surveys-{datetime.now():%Y%m%d-%H%M%S}.json"
    out = run.ROOT / "bench" / "results" / name
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"\nFigures written to {out.relative_to(run.ROOT)}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
