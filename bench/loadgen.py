"""Load generators: wrk for pages, and an asyncio client for comment posting
that accounts for every request it sends.

wrk (C, LuaJIT) costs little CPU on a 2-core machine, so pages are measured
with it. Posting needs exact accounting (each idempotency key sent, and
what the server answered), which wrk cannot give, so a small client here
sends the posts, stops issuing at the deadline and waits for the requests
in flight. Nothing here imports Django.
"""

import asyncio
import html
import json
import re
import shutil
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPORT_LUA = Path(__file__).resolve().parent / "wrk" / "report.lua"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


@dataclass
class PageResult:
    """What wrk measured for one URL."""

    url: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk(
    url: str,
    *,
    seconds: float,
    connections: int,
    threads: int = 2,
    cookie: str = "",
) -> PageResult:
    """Run wrk against ``url`` and return its figures."""
    command = [
        "wrk",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={REPORT_LUA}",
        url,
    ]
    completed = subprocess.run(  # noqa: S603 - fixed command, our own URL
        command,
        capture_output=True,
        text=True,
        check=True,
        env={"WRK_COOKIE": cookie, "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    line = next(
        row for row in completed.stdout.splitlines() if row.startswith("BENCH-JSON ")
    )
    data = json.loads(line.removeprefix("BENCH-JSON "))
    errors = sum(value for key, value in data.items() if key.startswith("errors_"))
    return PageResult(
        url=url,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
    )


def fetch(url: str, *, cookie: str = "") -> tuple[int, dict, str]:
    """GET ``url``: status, headers (lower-case names, Set-Cookie joined)
    and body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            headers = {k.lower(): v for k, v in response.headers.items()}
            headers["set-cookie"] = "; ".join(
                response.headers.get_all("Set-Cookie") or []
            )
            return response.status, headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {}, error.read().decode(errors="replace")


@dataclass
class Poster:
    """A signed-in resident ready to post: their cookies and the CSRF
    token of the comment form they were served."""

    session_id: str
    csrf_cookie: str = ""
    csrf_token: str = ""

    @property
    def cookie(self) -> str:
        return f"sessionid={self.session_id}; csrftoken={self.csrf_cookie}"


def load_form(base_url: str, form_path: str, poster: Poster) -> Poster:
    """GET the comment form as ``poster`` and keep its CSRF token."""
    status, headers, body = fetch(
        base_url + form_path, cookie=f"sessionid={poster.session_id}"
    )
    token = CSRF_INPUT.search(body)
    cookie = CSRF_COOKIE.search(headers.get("set-cookie", ""))
    if status != 200 or token is None or cookie is None:
        raise RuntimeError(f"No comment form for a poster ({status})")
    poster.csrf_token = html.unescape(token.group(1))
    poster.csrf_cookie = cookie.group(1)
    return poster


@dataclass
class PostResult:
    """Every post sent: its idempotency key, the answer and the time."""

    seconds: float = 0.0
    sent: list[tuple[uuid.UUID, int, float]] = field(default_factory=list)

    @property
    def accepted_keys(self) -> set[uuid.UUID]:
        # A stored comment answers with a redirect to where it is shown.
        return {key for key, status, _ms in self.sent if status == 302}

    @property
    def per_second(self) -> float:
        return len(self.accepted_keys) / self.seconds if self.seconds else 0.0

    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for _key, status, _ms in self.sent:
            counts[status] = counts.get(status, 0) + 1
        return counts

    def percentile_ms(self, p: float) -> float:
        times = sorted(ms for _key, _status, ms in self.sent)
        if not times:
            return 0.0
        return times[min(len(times) - 1, int(len(times) * p / 100))]


async def _post_once(host: str, port: int, path: str, cookie: str, form: str) -> int:
    """One POST on a connection of its own."""
    connection = _Connection(host, port)
    try:
        return await connection.post(path, cookie, form)
    finally:
        connection.close()


class _Connection:
    """A kept-alive HTTP/1.1 connection for one client's posts, opened again
    whenever the server closes it (sync workers close after each answer)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def post(self, path: str, cookie: str, form: str) -> int:
        """Send one POST and read the whole answer; its status, or 0 if the
        connection failed (nothing is retried: a retry is a second post)."""
        body = form.encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Cookie: {cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(
                    self.host, self.port
                )
            self.writer.write(head.encode() + body)
            await self.writer.drain()
            status_line = await self.reader.readline()
            status = int(status_line.split()[1])
            length, keep = 0, True
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value == "close":
                    keep = False
            await self.reader.readexactly(length)
        except (OSError, IndexError, ValueError, asyncio.IncompleteReadError):
            self.close()
            return 0
        if not keep:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _post_for(
    url: str,
    path: str,
    posters: list[Poster],
    fields: list[dict],
    seconds: float,
    concurrency: int,
) -> PostResult:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    result = PostResult()
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + seconds
    counter = iter(range(10**12))

    async def client() -> None:
        connection = _Connection(host, port)
        while loop.time() < deadline:
            n = next(counter)
            poster = posters[n % len(posters)]
            key = uuid.uuid4()
            form = urlencode(
                {
                    **fields[n % len(fields)],
                    "idempotency_key": str(key),
                    "csrfmiddlewaretoken": poster.csrf_token,
                }
            )
            sent_at = time.perf_counter()
            status = await connection.post(path, poster.cookie, form)
            result.sent.append((key, status, (time.perf_counter() - sent_at) * 1000))
        connection.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    # Requests in flight at the deadline were awaited above, so every key
    # sent has its answer.
    result.seconds = loop.time() - started
    return result


def post_comments(
    *,
    url: str,
    path: str,
    posters: list[Poster],
    fields: list[dict],
    seconds: float,
    concurrency: int,
) -> PostResult:
    """POST comment forms to ``url + path`` from ``concurrency`` clients for
    ``seconds``, cycling through ``posters`` and the form ``fields``; each
    post carries a fresh idempotency key."""
    return asyncio.run(_post_for(url, path, posters, fields, seconds, concurrency))


def post_same_key_twice(
    *, url: str, path: str, poster: Poster, fields: dict
) -> tuple[uuid.UUID, list[int]]:
    """A double click: the same form sent twice at once, then a retry."""
    key = uuid.uuid4()
    form = urlencode(
        {
            **fields,
            "idempotency_key": str(key),
            "csrfmiddlewaretoken": poster.csrf_token,
        }
    )
    parts = urlsplit(url)

    async def send() -> list[int]:
        host, port = parts.hostname, parts.port or 80
        together = await asyncio.gather(
            _post_once(host, port, path, poster.cookie, form),
            _post_once(host, port, path, poster.cookie, form),
        )
        retry = await _post_once(host, port, path, poster.cookie, form)
        return [*together, retry]

    return key, asyncio.run(send())
