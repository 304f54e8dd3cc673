#!/usr/bin/env python
"""Live Q&A polling: 500 viewers of a live hearing against gunicorn.

Each simulated viewer does what the live page's script does
(static/js/hearings-live.js): every 5 seconds it asks for the question
list with the ETag it last got in ``If-None-Match``, and gets a 304 while
nothing changed or the new list. Part of the viewers are signed in (their
ETag is their own: the list shows their upvotes). Meanwhile residents
upvote through the services every few seconds, so the list changes and
every viewer has to fetch it again.

Uses the benchmark database and gunicorn of ``bench.run`` (production
mode, 2 workers); adds its own live hearing to the big consultation of
``seed_bench``, through the services: 200 approved questions (some being
or already answered), a few pending, and a few thousand upvotes. Reports
p50/p99, the share of 304s, and whether every viewer saw each change on
its next poll. Budget: p99 < 200 ms (the exit status is 0 only when it is
met, with no error and no stale list). See bench/README.md.

    .venv/bin/python -m bench.hearings_poll [--clients 500] [--seconds 60]
"""

import argparse
import asyncio
import json
import os
import random
import re
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import django

from bench import run

# Django's models and test client are imported inside the functions: the
# script configures Django from its arguments first.
ROOT = Path(__file__).resolve().parent.parent
BUDGET_P99_MS = 200
HEARING_TITLE = "《重庆市城市更新条例（草案）》网上听证会（基准测试）"
ETAG_VERSION = re.compile(r'"q\d+-(\d+)-')
QUESTION_TEXTS = [
    "加装电梯的费用如何在各楼层住户之间分摊？",
    "老旧小区改造期间，居民的临时停车怎么安排？",
    "How will residents be consulted before a block is demolished?",
    "条例中的“城市更新单元”由谁来划定？",
    "社区养老服务设施的用地能否优先保障？",
    "Will the renewal plans be published for each street before work starts?",
    "历史风貌区的改造如何保护原有街巷格局？",
    "改造后的物业费会不会上涨？",
    "Can tenants, not only owners, take part in the decisions?",
    "施工期间的噪音和扬尘由哪个部门监管？",
]


def arguments_from(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = run.arguments_from([])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=defaults.database_url)
    parser.add_argument("--port", type=int, default=8732)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument(
        "--signed-in", type=int, default=250, help="How many viewers are signed in."
    )
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--change-every",
        type=float,
        default=10.0,
        help="Seconds between upvotes during the run (0: none).",
    )
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--upvotes", type=int, default=3000)
    return parser.parse_args(argv)


def note(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


# The live hearing -----------------------------------------------------------


def prepare_hearing(
    *,
    consultation,
    official,
    residents: list,
    questions: int,
    upvotes: int,
    seed: int = 2026,
):
    """A live hearing of ``consultation`` run by ``official``: ``questions``
    approved questions from ``residents`` (a tenth answered, one being
    answered), a few pending and one hidden, and ``upvotes`` upvotes,
    most on a few popular questions. Everything goes through the
    services, as the pages would do it."""
    from django.utils import timezone

    from accounts.models import Membership
    from hearings.models import Hearing, LiveQuestion
    from hearings.services import questions as question_services
    from hearings.services import schedule

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    Membership.objects.get_or_create(
        user=official, department_id=consultation.department_id
    )
    now = timezone.now()
    hearing = schedule.hearing_create(
        user=official,
        consultation=consultation,
        title=HEARING_TITLE,
        description="就条例草案听取市民意见。Public hearing on the draft.",
        starts_at=now + timedelta(minutes=1),
        ends_at=now + timedelta(hours=12),
        venue="市人大常委会第一会议室",
        registration_deadline=now + timedelta(seconds=30),
        testimony_deadline=now + timedelta(hours=12),
        capacity=max(10, len(residents)),
        speaker_slots=5,
        speaker_minutes=5,
    )
    hearing = schedule.hearing_move(
        user=official, hearing=hearing, to=Hearing.State.LIVE
    )
    extra = 11  # ten pending, one hidden
    authors = rng.sample(residents, min(len(residents), questions + extra))
    posted = []
    for n, author in enumerate(authors):
        question, _new = question_services.question_post(
            user=author,
            hearing=hearing,
            body=f"{QUESTION_TEXTS[n % len(QUESTION_TEXTS)]}（{n + 1}）",
            idempotency_key=uuid.uuid4(),
        )
        posted.append(question)
    # The rest stay pending, but for the last one, hidden.
    shown, hidden = posted[:questions], posted[-1:]
    for question in shown:
        question_services.question_approve(moderator=official, question=question)
    for question in hidden:
        question_services.question_hide(
            moderator=official, question=question, reason="与听证主题无关。"
        )
    # Popular questions collect most upvotes (a long tail, as in real Q&A).
    weights = [1 / (rank + 1) for rank in range(len(shown))]
    voters = residents
    given = 0
    tries = 0
    while given < upvotes and tries < upvotes * 3:
        tries += 1
        question = rng.choices(shown, weights)[0]
        voter = rng.choice(voters)
        if voter.pk == question.author_id:
            continue
        if question_services.question_upvote(user=voter, question=question):
            given += 1
        else:  # That voter had upvoted it already: put the upvote back.
            question_services.question_upvote(user=voter, question=question)
    answered = shown[: max(1, questions // 10)]
    for question in answered[1:]:
        question_services.question_answer(
            moderator=official,
            question=question,
            state=LiveQuestion.Answer.ANSWERED,
            answer="市住房城乡建设委将在实施细则中作出规定。",
        )
    question_services.question_answer(
        moderator=official,
        question=answered[0],
        state=LiveQuestion.Answer.ANSWERING,
    )
    return Hearing.objects.get(pk=hearing.pk)


def bench_hearing(*, consultation, official, residents, questions, upvotes):
    """The benchmark hearing if it is live with the questions asked for;
    otherwise a new one (an earlier one is deleted)."""
    from hearings.models import Hearing, LiveQuestion

    earlier = Hearing.objects.filter(consultation=consultation, title=HEARING_TITLE)
    hearing = earlier.first()
    if (
        hearing is not None
        and earlier.count() == 1
        and hearing.status == Hearing.State.LIVE
        and hearing.ends_at > datetime.now(hearing.ends_at.tzinfo) + timedelta(hours=1)
        and hearing.questions.filter(status=LiveQuestion.Status.VISIBLE).count()
        == questions
    ):
        return hearing
    earlier.delete()
    return prepare_hearing(
        consultation=consultation,
        official=official,
        residents=residents,
        questions=questions,
        upvotes=upvotes,
    )


class Changer(threading.Thread):
    """Residents upvoting during the run, through the service: each change
    bumps the list's version; the version and the time it was committed
    are kept, to check that viewers saw it."""

    def __init__(self, *, hearing, voters: list, every: float, seed: int = 7):
        super().__init__(daemon=True)
        self.hearing, self.voters, self.every = hearing, voters, every
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data
        self.changes: list[tuple[float, int]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import connection

        from hearings import selectors
        from hearings.models import LiveQuestion
        from hearings.services import questions as question_services

        open_questions = list(
            self.hearing.questions.filter(
                status=LiveQuestion.Status.VISIBLE,
                answer_state=LiveQuestion.Answer.OPEN,
            )
        )
        try:
            while not self.stopping.wait(self.every):
                question = self.rng.choice(open_questions)
                voter = self.rng.choice(self.voters)
                if voter.pk == question.author_id:
                    continue
                question_services.question_upvote(user=voter, question=question)
                version = selectors.qa_version(hearing_id=self.hearing.pk)
                self.changes.append((time.monotonic(), version))
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


# The viewers ------------------------------------------------------------------


@dataclass
class Poll:
    """One request of one viewer."""

    client: int
    sent_at: float  # time.monotonic()
    status: int
    ms: float
    version: int | None  # of the list the viewer holds after the answer


@dataclass
class PollResult:
    seconds: float = 0.0
    polls: list[Poll] = field(default_factory=list)

    def times(self, status: int | None = None) -> list[float]:
        return sorted(p.ms for p in self.polls if status is None or p.status == status)

    def percentile_ms(self, p: float, status: int | None = None) -> float:
        times = self.times(status)
        if not times:
            return 0.0
        return times[min(len(times) - 1, int(len(times) * p / 100))]

    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for poll in self.polls:
            counts[poll.status] = counts.get(poll.status, 0) + 1
        return counts

    @property
    def share_304(self) -> float:
        return self.statuses().get(304, 0) / len(self.polls) if self.polls else 0.0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.polls if p.status not in (200, 304))

    def stale(self, changes: list[tuple[float, int]], margin: float = 0.5) -> int:
        """Polls sent well after a change was committed that still left the
        viewer with an older list."""
        count = 0
        for poll in self.polls:
            known = [v for at, v in changes if at + margin < poll.sent_at]
            if known and poll.status in (200, 304) and (poll.version or 0) < max(known):
                count += 1
        return count


async def _get(host: str, port: int, path: str, headers: dict) -> tuple[int, dict]:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items() if value]
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        while await reader.read(65536):
            pass
    finally:
        writer.close()
    status_line, *rows = head.decode("latin-1").split("\r\n")
    answer = {}
    for row in rows:
        name, _sep, value = row.partition(":")
        answer[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), answer


@dataclass
class Viewer:
    """A viewer's cookie ("" for a visitor) and the list it holds."""

    cookie: str = ""
    etag: str = ""
    version: int | None = None


async def _poll_for(
    url: str, path: str, viewers: list[Viewer], seconds: float, interval: float
) -> PollResult:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    result = PollResult()
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + seconds

    async def watch(n: int, viewer: Viewer) -> None:
        # Viewers opened the page at different moments, as people do.
        next_at = started + interval * n / len(viewers)
        while next_at < deadline:
            await asyncio.sleep(max(0.0, next_at - loop.time()))
            next_at += interval
            sent_at = time.monotonic()
            try:
                status, headers = await _get(
                    host,
                    port,
                    path,
                    {"Cookie": viewer.cookie, "If-None-Match": viewer.etag},
                )
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                status, headers = 0, {}
            ms = (time.monotonic() - sent_at) * 1000
            if status == 200:
                viewer.etag = headers.get("etag", "")
                match = ETAG_VERSION.match(viewer.etag)
                viewer.version = int(match.group(1)) if match else None
            result.polls.append(Poll(n, sent_at, status, ms, viewer.version))

    await asyncio.gather(*(watch(n, v) for n, v in enumerate(viewers)))
    result.seconds = loop.time() - started
    return result


def poll(
    *, url: str, path: str, viewers: list[Viewer], seconds: float, interval: float
) -> PollResult:
    """Each viewer polls ``url + path`` every ``interval`` seconds for
    ``seconds`` with the ETag of the list it holds (kept in ``viewers``
    from one call to the next)."""
    return asyncio.run(_poll_for(url, path, viewers, seconds, interval))


# The run ----------------------------------------------------------------------


def poll_queries(path: str, *, session_key: str = "") -> dict[str, int]:
    """The SQL queries of one poll once the list's pieces are cached: when
    the list changed (200) and when it did not (304)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies["sessionid"] = session_key
    etag = client.get(path)["ETag"]
    with CaptureQueriesContext(connection) as changed:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as unchanged:
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    return {"200": len(changed), "304": len(unchanged)}


def summary(result: PollResult, changes: list[tuple[float, int]]) -> dict:
    return {
        "seconds": round(result.seconds, 1),
        "requests": len(result.polls),
        "per_second": round(len(result.polls) / result.seconds, 1)
        if result.seconds
        else 0,
        "p50_ms": round(result.percentile_ms(50), 1),
        "p90_ms": round(result.percentile_ms(90), 1),
        "p99_ms": round(result.percentile_ms(99), 1),
        "max_ms": round(result.percentile_ms(100), 1),
        "p99_ms_200": round(result.percentile_ms(99, 200), 1),
        "p99_ms_304": round(result.percentile_ms(99, 304), 1),
        "statuses": result.statuses(),
        "share_304": round(result.share_304, 3),
        "errors": result.errors,
        "changes": len(changes),
        "stale": result.stale(changes),
    }


def report(results: dict) -> bool:
    figures = results["polling"]
    print("\n| viewers | signed in | req/s | p50 ms | p90 ms | p99 ms | max ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {results['clients']} | {results['signed_in']} | "
        f"{figures['per_second']} | {figures['p50_ms']} | {figures['p90_ms']} | "
        f"{figures['p99_ms']} | {figures['max_ms']} |"
    )
    print(
        f"\n304s: {figures['share_304']:.1%} of {figures['requests']} requests "
        f"(p99 of 200s {figures['p99_ms_200']} ms, of 304s "
        f"{figures['p99_ms_304']} ms); statuses {figures['statuses']}; "
        f"{figures['changes']} changes, {figures['stale']} stale answers."
    )
    met = (
        figures["p99_ms"] < BUDGET_P99_MS
        and figures["errors"] == 0
        and figures["stale"] == 0
    )
    print(
        f"\n[{'met' if met else 'MISSED'}] live Q&A poll p99 < {BUDGET_P99_MS} ms, "
        f"no errors, no stale list: {figures['p99_ms']} ms, "
        f"{figures['errors']} errors, {figures['stale']} stale"
    )
    return met


def main(argv: list[str] | None = None) -> int:
    args = arguments_from(argv)
    env = run.server_environment(args)
    run.create_database(args.database_url)
    run.manage(env, "migrate", "--no-input", "--verbosity=0")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from accounts.models import User
    from bench import prepare
    from config.management.commands.seed_bench import (
        BENCH_DOMAIN,
        BENCH_OFFICIAL,
        BIG_TITLE,
    )
    from consultations.models import Consultation

    if not Consultation.objects.filter(title=BIG_TITLE).exists():
        run.manage(env, "seed_bench", "--reset")
    run.manage(env, "collectstatic", "--no-input", "--verbosity=0")
    consultation = Consultation.objects.get(title=BIG_TITLE)
    official = User.objects.get(email=BENCH_OFFICIAL)
    residents = list(
        User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
        .exclude(pk=official.pk)
        .order_by("pk")[: max(args.clients, args.questions + 11) * 2]
    )
    note("preparing the live hearing")
    started = time.monotonic()
    hearing = bench_hearing(
        consultation=consultation,
        official=official,
        residents=residents,
        questions=args.questions,
        upvotes=args.upvotes,
    )
    note(f"hearing {hearing.pk} ready in {time.monotonic() - started:.0f} s")
    path = f"/hearings/{hearing.pk}/live/questions/"
    sessions = prepare.signed_in_sessions(residents[: args.signed_in])
    viewers = [Viewer(cookie=f"sessionid={key}") for key in sessions]
    viewers += [Viewer() for _ in range(args.clients - len(viewers))]
    random.Random(1).shuffle(viewers)  # noqa: S311 - not a secret
    queries = {"visitor": poll_queries(path)}
    if sessions:
        queries["signed in"] = poll_queries(path, session_key=sessions[0])
    results: dict = {
        "machine": run.machine(),
        "started": datetime.now().isoformat(),
        "hearing": hearing.pk,
        "clients": args.clients,
        "signed_in": len(sessions),
        "interval_s": args.interval,
        "change_every_s": args.change_every,
        "questions": args.questions,
        "upvotes": args.upvotes,
        "queries": queries,
        "command": " ".join(["python -m bench.hearings_poll", *(argv or sys.argv[1:])]),
    }
    log = ROOT / "bench" / "results" / "gunicorn-hearings.log"
    log.parent.mkdir(exist_ok=True)
    changer = None
    try:
        with run.Gunicorn(env, args.port, args.workers, log) as server:
            note("warming up (one round of polls)")
            poll(
                url=server.url,
                path=path,
                viewers=viewers,
                seconds=args.interval,
                interval=args.interval,
            )
            if args.change_every > 0:
                changer = Changer(
                    hearing=hearing, voters=residents, every=args.change_every
                )
                changer.start()
            note(
                f"{args.clients} viewers polling every {args.interval:g} s "
                f"for {args.seconds:g} s"
            )
            result = poll(
                url=server.url,
                path=path,
                viewers=viewers,
                seconds=args.seconds,
                interval=args.interval,
            )
    finally:
        if changer is not None:
            changer.stop()
        prepare.forget_sessions(sessions)
    results["polling"] = summary(result, changer.changes if changer else [])
    met = report(results)
    results["met"] = met
    print(f"Query counts: {queries}")
    print(f"Machine: {results['machine']}")
    out = ROOT / "bench" / "results" / f"hearings-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"\nFigures written to {out.relative_to(ROOT)}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
