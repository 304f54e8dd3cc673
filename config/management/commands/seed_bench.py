"""Large synthetic data for the benchmarks in bench/, loaded fast.

At ``--scale 1``: 20,000 verified residents, 200 published consultations in
every public state (each with a draft of chapters and articles, a few
comments, outcomes where responded), and one open consultation with 100,000
comments (replies, supports, stances, author areas, full-text vectors).
Rows go in with PostgreSQL COPY; the comments' search vectors are built in
SQL from text segmented once per vocabulary phrase.

Then, as a separate step, a survey with 100,000 responses
(``surveys.bench_data``); ``--surveys-only`` loads just that step into a
database that already holds the rest.
"""

import random
import time
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from civic import demo as civic_demo
from civic.models import Area, Department, Topic
from consultations import search
from consultations.models import (
    Comment,
    Consultation,
    Outcome,
    OutcomeItem,
    Section,
    Support,
)
from surveys import bench_data as survey_bench

BENCH_DOMAIN = "bench.minyi.example"
BENCH_OFFICIAL = f"official@{BENCH_DOMAIN}"
BENCH_PASSWORD = "Minyi-bench-2026"  # noqa: S105 - synthetic accounts only
BIG_TITLE = "《重庆市城市更新条例（草案）》征求意见"
USERS = 20_000
CONSULTATIONS = 200
BIG_COMMENTS = 100_000
SMALL_COMMENTS = 20
ARTICLES = 12
REPLY_SHARE = 0.12

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"
PLACES = ["解放碑", "观音桥", "沙坪坝", "南坪", "杨家坪", "大坪", "北碚", "江北嘴"]
SUBJECTS = [
    "社区养老服务站建设",
    "老旧小区加装电梯",
    "背街小巷整治",
    "公交线网优化",
    "轨道交通站点接驳",
    "社区食堂运营",
    "口袋公园建设",
    "垃圾分类收运",
    "停车泊位调整",
    "社区卫生服务中心改造",
    "中小学课后服务",
    "托育机构建设",
]
# Comment vocabulary: short phrases, mixed Chinese and English.
PHRASES = [
    "支持这个方案",
    "建议增加公交班次",
    "老年人出行不方便",
    "希望尽快实施",
    "停车位太少",
    "噪音影响休息",
    "社区食堂价格合理",
    "电梯加装资金怎么分摊",
    "无障碍设施需要完善",
    "建议公开施工时间",
    "小区道路坡度太大",
    "请考虑残疾人的需求",
    "希望增加绿化",
    "垃圾分类点位置不合理",
    "夜间照明不足",
    "学校门口交通拥堵",
    "医院挂号排队时间长",
    "反对取消这个站点",
    "补贴标准偏低",
    "建议听取居民意见",
    "please add more buses at rush hour",
    "the pavement is too narrow for wheelchairs",
    "I support this plan",
    "a bilingual sign would help visitors",
    "the park needs more shade and benches",
    "please publish the construction schedule",
]
STANCES = list(Comment.Stance.values)
STATES = ["open"] * 6 + ["closed"] * 4 + ["responded"] * 5 + ["archived"] * 2
STATES += ["scheduled"] * 3


def _scaled(n: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale))


class Command(BaseCommand):
    help = "Load large synthetic data for the benchmarks (PostgreSQL COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete earlier benchmark data first.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--surveys-only",
            action="store_true",
            help="Load only the benchmark survey (with --reset: replace it).",
        )

    def handle(self, *args, scale, reset, seed, surveys_only, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        started = time.monotonic()
        if surveys_only:
            self._step("civic directory", civic_demo.seed)
            self._survey(scale, seed, replace=reset)
            return
        self.random = random.Random(seed)  # noqa: S311 - synthetic data
        if User.objects.filter(email=BENCH_OFFICIAL).exists():
            if not reset:
                raise CommandError(
                    "Benchmark data is already loaded; pass --reset to replace it."
                )
            self._step("deleted earlier benchmark data", self._reset)
        self._step("civic directory", civic_demo.seed)
        self.now = timezone.now()
        self.areas = list(Area.objects.filter(level__gte=Area.Level.DISTRICT))
        self.districts = {a.code: a for a in self.areas if a.level == 2}
        self.departments = list(Department.objects.all())
        self.topics = list(Topic.objects.all())
        self.password = make_password(BENCH_PASSWORD)
        with transaction.atomic():
            users = self._step("users", lambda: self._users(_scaled(USERS, scale, 50)))
            consultations = self._step(
                "consultations",
                lambda: self._consultations(_scaled(CONSULTATIONS, scale)),
            )
            big = self._step("the big consultation", self._big_consultation)
            self._step(
                "comments on the consultations",
                lambda: self._comments(consultations, SMALL_COMMENTS, users),
            )
            self._step(
                f"{_scaled(BIG_COMMENTS, scale)} comments on the big one",
                lambda: self._comments([big], _scaled(BIG_COMMENTS, scale), users),
            )
        # VACUUM sets the visibility map, so counts and keyset pages can use
        # index-only scans at once; it cannot run inside a transaction (as
        # in tests), where ANALYZE alone keeps the planner's estimates right.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (User, Consultation, Comment, Support, Section):
                cursor.execute(f"{command} {model._meta.db_table}")
        self._survey(scale, seed, replace=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Benchmark data loaded in {time.monotonic() - started:.1f} s; "
                f"big consultation id {big.pk}."
            )
        )

    def _step(self, label: str, work):
        started = time.monotonic()
        result = work()
        self.stdout.write(f"  {label}: {time.monotonic() - started:.1f} s")
        return result

    # Surveys ----------------------------------------------------------------

    def _survey(self, scale: float, seed: int, *, replace: bool) -> None:
        """The benchmark survey with its responses (see surveys.bench_data)."""
        if survey_bench.bench_survey() is not None:
            if not replace:
                raise CommandError(
                    "The benchmark survey is already loaded; pass --reset to "
                    "replace it."
                )
            self._step("deleted the earlier benchmark survey", survey_bench.reset)
        count = _scaled(survey_bench.RESPONSES, scale)
        survey = self._step(
            f"survey with {count} responses",
            lambda: survey_bench.seed(count=count, seed=seed),
        )
        survey_bench.analyze(vacuum=not connection.in_atomic_block)
        self.stdout.write(f"Benchmark survey id {survey.pk}.")

    # Rows -------------------------------------------------------------------

    def _copy(self, model, fields: list[str], rows) -> None:
        """COPY ``rows`` (tuples in ``fields`` order) into ``model``'s table."""
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(f).column) for f in fields
        )
        table = connection.ops.quote_name(model._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def _reserve_ids(self, model, count: int) -> int:
        """Take ``count`` ids from ``model``'s sequence; return the first."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            last = cursor.fetchone()[0]
        return last - count + 1

    def _name(self) -> str:
        r = self.random
        return r.choice(SURNAMES) + "".join(r.choices(GIVEN, k=r.choice((1, 2))))

    def _users(self, count: int) -> list[tuple[int, int, int | None]]:
        """Verified residents (and the official who owns the consultations);
        return (id, area id, district id) of each resident."""
        first = self._reserve_ids(User, count + 1)
        rows, people = [], []
        for n in range(count + 1):
            area = self.random.choice(self.areas)
            district = self.districts.get(area.path.split("/")[1])
            email = BENCH_OFFICIAL if n == 0 else f"resident{n}@{BENCH_DOMAIN}"
            rows.append(
                (first + n, self.password, email, self._name(), area.pk, self.now)
            )
            if n:
                people.append((first + n, area.pk, district.pk if district else None))
        self._copy(
            User,
            [
                "id",
                "password",
                "email",
                "display_name",
                "home_area",
                "date_joined",
                "is_superuser",
                "is_staff",
                "is_active",
                "preferred_language",
                "care_mode",
            ],
            ((*row, False, False, True, "zh-hans", False) for row in rows),
        )
        self._copy(
            EmailAddress,
            ["user", "email", "verified", "primary"],
            ((row[0], row[2], True, True) for row in rows),
        )
        self.official_id = first
        return people

    def _period(self, state: str) -> dict:
        r, now, day = self.random, self.now, timedelta(days=1)
        if state == "scheduled":
            opens = now + r.uniform(2, 20) * day
            return {"opens_at": opens, "published_at": now - day}
        if state == "open":
            opens = now - r.uniform(1, 20) * day
        elif state == "closed":
            opens = now - r.uniform(35, 60) * day
        elif state == "responded":
            opens = now - r.uniform(60, 200) * day
        else:
            opens = now - r.uniform(300, 600) * day
        return {"opens_at": opens, "published_at": opens - 2 * day}

    def _consultations(self, count: int) -> list[Consultation]:
        r = self.random
        consultations = []
        for n in range(count):
            state = STATES[n % len(STATES)]
            period = self._period(state)
            closes = period["opens_at"] + timedelta(days=30)
            if state == "open":
                closes = max(closes, self.now + timedelta(days=3))
            subject, place = r.choice(SUBJECTS), r.choice(PLACES)
            consultations.append(
                Consultation(
                    title=f"{place}片区{subject}方案征求意见（第{n + 1}号）",
                    summary=f"拟在{place}片区开展{subject}，现公开征求意见。"
                    f"Plan for {place}: {subject}.",
                    body=f"为做好{subject}工作，现将方案公布，欢迎提出意见建议。",
                    department=r.choice(self.departments),
                    closes_at=closes,
                    archived_at=closes + timedelta(days=80)
                    if state == "archived"
                    else None,
                    created_by_id=self.official_id,
                    created_at=period["published_at"] - timedelta(days=3),
                    **period,
                )
            )
            consultations[-1].bench_state = state
        Consultation.objects.bulk_create(consultations, batch_size=500)
        self._scope_and_documents(consultations)
        self._outcomes([c for c in consultations if c.bench_state in OUTCOME_STATES])
        return [c for c in consultations if c.bench_state != "scheduled"]

    def _scope_and_documents(self, consultations: list[Consultation]) -> None:
        r = self.random
        Areas = Consultation.areas.through
        Topics = Consultation.topics.through
        Areas.objects.bulk_create(
            Areas(consultation_id=c.pk, area_id=r.choice(self.areas).pk)
            for c in consultations
        )
        Topics.objects.bulk_create(
            Topics(consultation_id=c.pk, topic_id=r.choice(self.topics).pk)
            for c in consultations
        )
        sections = []
        for c in consultations:
            c.commentable = self._sections(c)
            sections.extend(c.commentable)
        Section.objects.bulk_create(sections, batch_size=2000)
        for c in consultations:
            c.commentable = [s for s in c.commentable if s.is_commentable]
            text = " ".join(s.body for s in c.commentable)
            Consultation.objects.filter(pk=c.pk).update(
                search_vector=search.document_vector(
                    (c.title, "A"), (c.summary, "B"), (f"{c.body} {text}", "C")
                )
            )

    def _sections(self, consultation: Consultation) -> list[Section]:
        numbers = "一二三四五六七八九十"
        sections = [
            Section(
                consultation=consultation,
                position=0,
                kind=Section.Kind.PREAMBLE,
                body="本方案为征求意见稿。",
                anchor="preamble-1",
            )
        ]
        for n in range(1, ARTICLES + 1):
            if n % 4 == 1:
                chapter = n // 4 + 1
                sections.append(
                    Section(
                        consultation=consultation,
                        position=len(sections),
                        kind=Section.Kind.CHAPTER,
                        number=f"第{numbers[chapter - 1]}章",
                        heading=self.random.choice(SUBJECTS),
                        anchor=f"chapter-{chapter}",
                    )
                )
            sections.append(
                Section(
                    consultation=consultation,
                    position=len(sections),
                    kind=Section.Kind.ARTICLE,
                    number=f"第{_chinese(n)}条",
                    body="，".join(self.random.sample(PHRASES[:20], 3)) + "。",
                    anchor=f"article-{n}",
                )
            )
        return sections

    def _outcomes(self, consultations: list[Consultation]) -> None:
        outcomes = Outcome.objects.bulk_create(
            Outcome(
                consultation=c,
                summary="我们研究了收到的全部意见，采纳情况如下。",
                published_at=c.closes_at + timedelta(days=15),
                published_by_id=self.official_id,
            )
            for c in consultations
        )
        decisions = OutcomeItem.Decision.values
        OutcomeItem.objects.bulk_create(
            OutcomeItem(
                outcome=outcome,
                position=n,
                theme=self.random.choice(SUBJECTS),
                section=outcome.consultation.commentable[n],
                what_was_said="居民建议" + self.random.choice(PHRASES[:20]) + "。",
                decision=decisions[(outcome.pk + n) % len(decisions)],
                reason="经研究，已在修改稿中作出相应调整。",
            )
            for outcome in outcomes
            for n in range(2)
        )

    def _big_consultation(self) -> Consultation:
        opens = self.now - timedelta(days=15)
        big = Consultation.objects.create(
            title=BIG_TITLE,
            summary="市住房城乡建设委起草了《重庆市城市更新条例（草案）》，现公开征求意见。"
            "Draft Regulation on Urban Renewal, open for comment.",
            body="城市更新关系千家万户。欢迎对草案全文或具体条款提出意见。",
            department=Department.objects.get(slug="housing-commission"),
            opens_at=opens,
            closes_at=self.now + timedelta(days=15),
            published_at=opens - timedelta(days=2),
            created_by_id=self.official_id,
        )
        big.bench_state = "open"
        self._scope_and_documents([big])
        return big

    # Comments ---------------------------------------------------------------

    def _comments(self, consultations, per_consultation: int, users) -> None:
        total = per_consultation * len(consultations)
        next_id = self._reserve_ids(Comment, total)
        comments, supports = [], []
        for consultation in consultations:
            rows, more = self._discussion(
                consultation, per_consultation, next_id, users
            )
            comments.extend(rows)
            supports.extend(more)
            next_id += per_consultation
        self._insert_comments(comments)
        self._copy(Support, ["comment", "user", "created_at"], supports)

    def _discussion(self, consultation, count: int, first_id: int, users):
        """``count`` comments on ``consultation`` in time order: rows for
        the comment table (with segmented text last) and support rows."""
        r = self.random
        start = consultation.opens_at
        end = min(consultation.closes_at, self.now) - timedelta(minutes=1)
        step = (end - start) / count
        rows, supports, top_level = [], [], []
        for n in range(count):
            created = start + step * n
            author_id, area_id, district_id = r.choice(users)
            parent = (
                r.choice(top_level) if top_level and r.random() < REPLY_SHARE else None
            )
            body, segmented = self._text()
            row = {
                "id": first_id + n,
                "consultation": consultation.pk,
                "section": None,
                "parent": None,
                "author": author_id,
                "author_area": area_id,
                "author_district": district_id,
                "body": body,
                "stance": "",
                "status": Comment.Status.VISIBLE,
                "hidden_reason": "",
                "support_count": 0,
                "reply_count": 0,
                "idempotency_key": uuid.UUID(int=r.getrandbits(128), version=4),
                "created_at": created,
            }
            if parent is not None:
                row["parent"] = parent["id"]
                row["section"] = parent["section"]
                parent["reply_count"] += 1
            else:
                if r.random() < 0.6:
                    row["section"] = r.choice(consultation.commentable).pk
                row["stance"] = r.choice(STANCES)
                if r.random() < 0.003:
                    row["status"] = Comment.Status.HIDDEN
                    row["hidden_reason"] = "含有广告信息"
                supporters = self._supporters(users, author_id)
                row["support_count"] = len(supporters)
                supports.extend(
                    (row["id"], user_id, created + timedelta(minutes=5))
                    for user_id in supporters
                )
                top_level.append(row)
            row["segmented"] = segmented
            rows.append(row)
        return rows, supports

    def _supporters(self, users, author_id: int) -> list[int]:
        # Most comments get no support and a few get hundreds.
        wanted = min(int(self.random.paretovariate(1.2)) - 1, 500, len(users) - 1)
        if wanted <= 0:
            return []
        chosen = [u[0] for u in self.random.sample(users, wanted + 1)]
        return [u for u in chosen if u != author_id][:wanted]

    def _text(self) -> tuple[str, str]:
        """A comment body and its text segmented for the search vector."""
        phrases = self.random.sample(PHRASES, self.random.randint(1, 4))
        if self.random.random() < 0.3:
            phrases.insert(0, self.random.choice(PLACES))
        chinese = [p for p in phrases if not p.isascii()]
        english = [p for p in phrases if p.isascii()]
        body = "，".join(chinese) + ("。" if chinese else "")
        if english:
            body += " " + ". ".join(e.capitalize() for e in english) + "."
        return body.strip(), " ".join(self.tokens[p] for p in phrases)

    def _insert_comments(self, rows: list[dict]) -> None:
        """COPY into a staging table, then insert with the search vector
        computed by PostgreSQL."""
        fields = [f for f in rows[0] if f != "segmented"]
        columns = [Comment._meta.get_field(f).column for f in fields]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        table = connection.ops.quote_name(Comment._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE bench_comment (LIKE {table}) ON COMMIT DROP"
            )
            cursor.execute("ALTER TABLE bench_comment ADD COLUMN segmented text")
            with cursor.copy(
                f"COPY bench_comment ({quoted}, segmented) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row([row[f] for f in fields] + [row["segmented"]])
            # Table and column names come from _meta, not from input.
            insert = (
                f"INSERT INTO {table} ({quoted}, search_vector) "  # noqa: S608
                f"SELECT {quoted}, setweight(to_tsvector('simple', segmented), 'B') "
                "FROM bench_comment ORDER BY id"
            )
            cursor.execute(insert)
            cursor.execute("DROP TABLE bench_comment")

    @property
    def tokens(self) -> dict[str, str]:
        if not hasattr(self, "_tokens"):
            self._tokens = {p: " ".join(search.tokens(p)) for p in [*PHRASES, *PLACES]}
        return self._tokens

    # Reset ------------------------------------------------------------------

    def _reset(self) -> None:
        bench = Consultation.objects.filter(created_by__email=BENCH_OFFICIAL)
        comments = Comment.objects.filter(consultation__in=bench)
        with transaction.atomic():
            for relation in Comment._meta.related_objects:
                if relation.related_model in (Comment, Support):
                    continue
                related = relation.related_model._base_manager.filter(
                    **{f"{relation.field.name}__in": comments}
                )
                if relation.field.null:
                    related.update(**{relation.field.name: None})
                else:
                    related.delete()
            # The two big tables go in plain DELETEs: the ORM would load
            # every row to cascade.
            support_table = Support._meta.db_table
            comment_table = Comment._meta.db_table
            query, params = comments.values("pk").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {support_table} WHERE comment_id IN ({query})",  # noqa: S608
                    params,
                )
                cursor.execute(
                    f"DELETE FROM {comment_table} WHERE id IN ({query})",  # noqa: S608
                    params,
                )
            bench.delete()
            users = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
            EmailAddress.objects.filter(user__in=users).delete()
            users.delete()


OUTCOME_STATES = {"responded", "archived"}


def _chinese(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (up to 99)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
