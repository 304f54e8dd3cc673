"""The analysis run: every resident input into DemandSource rows, grouped
into near-duplicates and campaigns and into demands.

``start_run`` queues a run (one at a time); ``run`` is the Celery task's
body. A run is incremental: it ingests inputs not seen before, analyses
only sources no run has analysed (``analysed_run`` is null), and leaves
every analysed source where it is. New inputs join an earlier input's
near-duplicate group, or an existing demand whose inputs they resemble, or
form new clusters that are matched to existing demands before any new
demand is created. The text work is ``demands.analysis`` (no database);
this module reads and writes the rows around it and keeps the run's
progress, counts and duration up to date for the official watching it.
"""

import logging
import time
from collections import defaultdict
from datetime import datetime, timedelta
from datetime import time as day_time

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Comment, Consultation
from demands import tasks
from demands.analysis import clusters, duplicates, text
from demands.models import AnalysisRun, Demand, DemandSource, Suggestion
from demands.services import counts, triage
from hearings.models import LiveQuestion, Testimony
from surveys.results import open_answers

logger = logging.getLogger(__name__)

# Inputs of a campaign: a near-duplicate group at least this large.
CAMPAIGN_SIZE = 20
# A queued run never picked up, or a running one that stopped reporting,
# no longer blocks a new run after this long.
STALE_AFTER = timedelta(hours=3)
BATCH_SIZE = 2000
LOCK_KEY = 0x6D696E7969  # pg_advisory_xact_lock key of start_run ("minyi")
# Demands that still take new inputs.
OPEN_STATUSES = (
    Demand.Status.NEW,
    Demand.Status.ACCEPTED,
    Demand.Status.ASSIGNED,
    Demand.Status.IN_PROGRESS,
)

STAGES = {
    "queued": _("Waiting for a worker"),
    "ingest": _("Collecting new inputs"),
    "duplicates": _("Finding near-duplicates and campaigns"),
    "terms": _("Segmenting and extracting terms"),
    "clusters": _("Grouping by theme and matching existing demands"),
    "write": _("Saving demands"),
    "done": _("Finished"),
    "failed": _("Failed"),
}


def stage_label(stage: str):
    """The translated label of a run's ``stage`` code."""
    return STAGES.get(stage, stage)


def default_params() -> dict:
    return {
        "num_perm": duplicates.NUM_PERM,
        "shingle": duplicates.SHINGLE,
        "seed": duplicates.SEED,
        "duplicate_threshold": duplicates.THRESHOLD,
        "campaign_size": CAMPAIGN_SIZE,
        "merge_similarity": clusters.MERGE_SIMILARITY,
        "match_similarity": clusters.MATCH_SIMILARITY,
        "assign_similarity": clusters.ASSIGN_SIMILARITY,
    }


# Starting a run -----------------------------------------------------------


def active_run() -> AnalysisRun | None:
    """The queued or running run, if any (stale ones are marked failed)."""
    cutoff = timezone.now() - STALE_AFTER
    AnalysisRun.objects.filter(
        Q(status=AnalysisRun.Status.QUEUED, created_at__lt=cutoff)
        | Q(status=AnalysisRun.Status.RUNNING, started_at__lt=cutoff)
    ).update(
        status=AnalysisRun.Status.FAILED,
        stage="failed",
        error="Abandoned: no worker finished it.",
        finished_at=timezone.now(),
    )
    return (
        AnalysisRun.objects.filter(
            status__in=[AnalysisRun.Status.QUEUED, AnalysisRun.Status.RUNNING]
        )
        .order_by("created_at")
        .first()
    )


@transaction.atomic
def start_run(*, by, params: dict | None = None) -> AnalysisRun:
    """Queue an analysis run started by ``by`` (None: the nightly run); the
    task is sent after the commit. Refused while another run is queued or
    running."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    current = active_run()
    if current is not None:
        raise ValidationError(
            _(
                "An analysis run is already in progress (run %(id)s, %(status)s). "
                "Wait until it has finished."
            )
            % {"id": current.pk, "status": current.get_status_display()},
            code="run_in_progress",
        )
    run = AnalysisRun.objects.create(
        started_by=by,
        status=AnalysisRun.Status.QUEUED,
        stage="queued",
        params={**default_params(), **(params or {})},
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    try:
        tasks.run_analysis.delay(run_id)
    except Exception as error:  # The broker is down: say so on the run.
        logger.exception("Analysis run %s could not be queued", run_id)
        AnalysisRun.objects.filter(pk=run_id).update(
            status=AnalysisRun.Status.FAILED,
            stage="failed",
            error=f"Could not be queued: {error}",
            finished_at=timezone.now(),
        )


def run_nightly() -> int | None:
    """The nightly run (no one started it); skipped while one is active."""
    try:
        return start_run(by=None).pk
    except ValidationError:
        return None


# The run ----------------------------------------------------------------


def _progress(run: AnalysisRun, stage: str, percent: int) -> None:
    run.stage, run.progress = stage, percent
    AnalysisRun.objects.filter(pk=run.pk).update(stage=stage, progress=percent)


def run(run_id: int) -> AnalysisRun:
    """Carry out a queued run: ingest, analyse, write; the run ends done
    with its counts, or failed with the error (nothing half-written)."""
    claimed = AnalysisRun.objects.filter(
        pk=run_id, status=AnalysisRun.Status.QUEUED
    ).update(status=AnalysisRun.Status.RUNNING, started_at=timezone.now(), progress=1)
    current = AnalysisRun.objects.get(pk=run_id)
    if not claimed:  # Already done, failed, or taken by another worker.
        return current
    started = time.monotonic()
    try:
        found = _execute(current)
    except Exception as error:
        logger.exception("Analysis run %s failed", run_id)
        AnalysisRun.objects.filter(pk=run_id).update(
            status=AnalysisRun.Status.FAILED,
            stage="failed",
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            duration_seconds=round(time.monotonic() - started, 3),
        )
    else:
        AnalysisRun.objects.filter(pk=run_id).update(
            status=AnalysisRun.Status.DONE,
            stage="done",
            progress=100,
            counts=found,
            finished_at=timezone.now(),
            duration_seconds=round(time.monotonic() - started, 3),
        )
    current.refresh_from_db()
    return current


def _execute(current: AnalysisRun) -> dict:
    params = {**default_params(), **(current.params or {})}
    seconds = {}
    clock = time.monotonic()

    def stage(name: str, percent: int) -> None:
        nonlocal clock
        now = time.monotonic()
        seconds[current.stage] = round(now - clock, 3)
        clock = now
        _progress(current, name, percent)

    stage("ingest", 5)
    ingest()
    stage("duplicates", 20)
    batch = _Batch.load(params)
    batch.find_duplicates()
    stage("terms", 40)
    batch.extract_terms()
    stage("clusters", 60)
    batch.group_into_demands()
    stage("write", 80)
    with transaction.atomic():
        batch.write(current)
    stage("done", 99)
    return {**batch.counts(), "stage_seconds": seconds}


# Ingesting inputs -------------------------------------------------------

INGEST_COLUMNS = (
    "kind",
    "content_type_id",
    "object_id",
    "url",
    "text",
    "author_id",
    "area_id",
    "topic_id",
    "consultation_id",
    "created_at",
)
RESULT_COLUMNS = (
    "id",
    "tokens",
    "minhash",
    "duplicate_of_id",
    "demand_id",
    "group_size",
    "group_accounts",
    "is_campaign",
    "analysed_run_id",
)


def _copy_through(columns, rows, statement: str) -> int:
    """COPY ``rows`` into a temporary table shaped like demandsource's
    ``columns``, then run ``statement`` (which reads ``incoming``); returns
    its row count. Tens of thousands of rows take a second or two, where
    bulk_create/bulk_update spend most of a minute building SQL."""
    table = DemandSource._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    # Read every row first: ``rows`` may be a generator over a server-side
    # cursor on this same connection, which cannot fetch while a COPY is
    # open on it (the process would wait on itself for ever).
    rows = list(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE incoming ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {quoted} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY incoming ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(statement)
        count = cursor.rowcount
        cursor.execute("DROP TABLE incoming")
    return count


def _insert_sources(rows) -> int:
    """Add sources (tuples in INGEST_COLUMNS order); an input already there
    (a concurrent run, a retried task) is left as it is."""
    table = connection.ops.quote_name(DemandSource._meta.db_table)
    columns = ", ".join(INGEST_COLUMNS)
    # Column names are the model's own, never input.
    statement = (
        f"INSERT INTO {table} ({columns}, group_size, group_accounts, "  # noqa: S608
        f"is_campaign, tokens) SELECT {columns}, 1, 1, false, '' FROM incoming "
        "ORDER BY created_at ON CONFLICT (content_type_id, object_id) DO NOTHING"
    )
    return _copy_through(INGEST_COLUMNS, rows, statement)


def _not_ingested(queryset, model):
    content_type = ContentType.objects.get_for_model(model)
    seen = DemandSource.objects.filter(content_type=content_type).values("object_id")
    return queryset.exclude(pk__in=seen), content_type


def _url_pattern(name: str, arity: int) -> str:
    """``reverse(name)`` once, as a format string for the arguments:
    reversing every one of a hundred thousand inputs takes minutes."""
    markers = [str(987654321 + i) for i in range(arity)]
    url = reverse(name, args=markers)
    for i, marker in enumerate(markers):
        url = url.replace(marker, f"{{{i}}}")
    return url


def _consultation_topics() -> dict[int, int]:
    """Each consultation's first topic (lowest id)."""
    through = Consultation.topics.through
    return dict(
        through.objects.values("consultation_id")
        .annotate(topic=Min("topic_id"))
        .values_list("consultation_id", "topic")
    )


def _comment_sources(topics):
    comments, content_type = _not_ingested(
        Comment.objects.filter(
            status=Comment.Status.VISIBLE, official_department__isnull=True
        ),
        Comment,
    )
    # As Comment.get_absolute_url: a reply lives on its parent's page.
    thread = _url_pattern("consultations:comment", 2)
    for (
        pk,
        consultation_id,
        parent_id,
        author_id,
        area_id,
        district_id,
        body,
        at,
    ) in comments.values_list(
        "id",
        "consultation_id",
        "parent_id",
        "author_id",
        "author_area_id",
        "author_district_id",
        "body",
        "created_at",
    ).iterator(chunk_size=BATCH_SIZE):
        yield (
            DemandSource.Kind.COMMENT,
            content_type.pk,
            pk,
            thread.format(consultation_id, parent_id or pk) + f"#comment-{pk}",
            body,
            author_id,
            area_id or district_id,
            topics.get(consultation_id),
            consultation_id,
            at,
        )


def _answer_sources(topics):
    answers, content_type = _not_ingested(
        open_answers.demand_inputs().select_related("question__survey"),
        open_answers.Answer,
    )
    tz = timezone.get_current_timezone()
    survey_url = _url_pattern("surveys:detail", 1)
    for answer in answers.iterator(chunk_size=BATCH_SIZE):
        survey = answer.question.survey
        yield (
            DemandSource.Kind.SURVEY_ANSWER,
            content_type.pk,
            answer.pk,
            survey_url.format(survey.pk),
            answer.text,
            answer.response.user_id,
            answer.area_id or answer.response.district_id,
            topics.get(survey.consultation_id),
            survey.consultation_id,
            datetime.combine(answer.response.submitted_on, day_time(12), tzinfo=tz),
        )


def _hearing_sources(model, kind, anchor, topics):
    items, content_type = _not_ingested(
        model.objects.filter(status=LiveQuestion.Status.VISIBLE), model
    )
    hearing_url = _url_pattern("hearings:detail", 1)
    for (
        pk,
        hearing_id,
        consultation_id,
        author_id,
        area_id,
        body,
        at,
    ) in items.values_list(
        "id",
        "hearing_id",
        "hearing__consultation_id",
        "author_id",
        "author_area_id",
        "body",
        "created_at",
    ).iterator(chunk_size=BATCH_SIZE):
        yield (
            kind,
            content_type.pk,
            pk,
            hearing_url.format(hearing_id) + f"#{anchor}-{pk}",
            body,
            author_id,
            area_id,
            topics.get(consultation_id),
            consultation_id,
            at,
        )


def _suggestion_sources():
    suggestions, content_type = _not_ingested(
        Suggestion.objects.filter(status=Suggestion.Status.VISIBLE), Suggestion
    )
    suggestion_url = _url_pattern("demands:suggestion", 1)
    for pk, title, body, author_id, area_id, topic_id, at in suggestions.values_list(
        "id", "title", "body", "author_id", "area_id", "topic_id", "created_at"
    ).iterator(chunk_size=BATCH_SIZE):
        yield (
            DemandSource.Kind.SUGGESTION,
            content_type.pk,
            pk,
            suggestion_url.format(pk),
            f"{title}\n{body}",
            author_id,
            area_id,
            topic_id,
            None,
            at,
        )


def ingest() -> int:
    """Add a DemandSource for every visible resident input that has none:
    comments and replies (not official replies), open survey answers,
    hearing testimony and live questions, and suggestions. Returns how
    many were added."""
    topics = _consultation_topics()
    added = _insert_sources(_comment_sources(topics))
    added += _insert_sources(_answer_sources(topics))
    added += _insert_sources(
        _hearing_sources(Testimony, DemandSource.Kind.TESTIMONY, "testimony", topics)
    )
    added += _insert_sources(
        _hearing_sources(LiveQuestion, DemandSource.Kind.QUESTION, "question", topics)
    )
    added += _insert_sources(_suggestion_sources())
    return added


# Analysing a batch -------------------------------------------------------


def _title(source_text: str, keywords: list[str]) -> str:
    """A demand's first title: the central input's first sentence, cut to
    a readable length, or its keywords."""
    first = source_text.strip()
    for mark in "。！？!?\n；;":
        first = first.split(mark)[0]
    first = first.strip(" ，,。.")
    if len(first) < 4:
        first = "、".join(keywords[:4]) or source_text.strip()
    return first[:60] + ("…" if len(first) > 60 else "")


class _Batch:
    """The sources of one run in memory: the new ones (``analysed_run``
    null), the earlier near-duplicate representatives, and the open
    demands with their term centroids."""

    def __init__(self, params: dict):
        self.params = params
        self.num_perm = params["num_perm"]
        self.new: list[dict] = []
        self.old_ids: list[int] = []
        self.old_demand: list[int | None] = []
        self.old_sigs = np.empty((0, self.num_perm), dtype=np.uint32)
        self.created: list[Demand] = []
        self.matched: set[int] = set()
        self.clusters = 0

    @classmethod
    def load(cls, params: dict) -> "_Batch":
        batch = cls(params)
        batch.new = list(
            DemandSource.objects.filter(analysed_run__isnull=True)
            .order_by("created_at", "pk")
            .values("id", "text", "author_id", "area_id", "topic_id")
        )
        old = (
            DemandSource.objects.filter(
                analysed_run__isnull=False, duplicate_of__isnull=True
            )
            .exclude(minhash=None)
            .order_by("created_at", "pk")
            .values_list("id", "demand_id", "minhash")
        )
        sigs = []
        for source_id, demand_id, blob in old.iterator(chunk_size=BATCH_SIZE):
            signature = duplicates.from_bytes(blob, batch.num_perm)
            if signature is not None:
                batch.old_ids.append(source_id)
                batch.old_demand.append(demand_id)
                sigs.append(signature)
        if sigs:
            batch.old_sigs = np.vstack(sigs)
        return batch

    # Near-duplicates ------------------------------------------------------

    def find_duplicates(self) -> None:
        """Signatures of the new sources; LSH over the earlier
        representatives and the new sources together. A new source joins
        the group of the earliest earlier representative it is grouped
        with, else the earliest new source of its group represents it."""
        p = self.params
        self.normalised = [text.normalise(row["text"]) for row in self.new]
        shingled = [text.shingle_text(t) for t in self.normalised]
        self.sigs = duplicates.signatures(
            shingled, num_perm=self.num_perm, k=p["shingle"], seed=p["seed"]
        )
        old_count = len(self.old_ids)
        everything = np.vstack([self.old_sigs, self.sigs])
        valid = np.concatenate(
            [np.ones(old_count, dtype=bool), np.array([bool(s) for s in shingled])]
        ).astype(bool)
        groups = duplicates.group(
            everything, threshold=p["duplicate_threshold"], valid=valid
        )
        representative = groups.representative
        # For each new source: ("old", index) or ("new", index) of its rep.
        self.rep_of: list[tuple[str, int]] = []
        for i in range(len(self.new)):
            rep = int(representative[old_count + i])
            self.rep_of.append(
                ("old", rep) if rep < old_count else ("new", rep - old_count)
            )
        self._group_figures()

    def _group_figures(self) -> None:
        members: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, rep in enumerate(self.rep_of):
            members[rep].append(i)
        self.members = members
        # Earlier representatives new sources joined, and their members.
        old_reps = [self.old_ids[index] for kind, index in members if kind == "old"]
        reps = DemandSource.objects.only("author_id", "group_size").in_bulk(old_reps)
        earlier = defaultdict(list)
        for rep_id, author_id in DemandSource.objects.filter(
            duplicate_of__in=old_reps
        ).values_list("duplicate_of_id", "author_id"):
            earlier[rep_id].append(author_id)
        campaign_size = self.params["campaign_size"]
        self.size, self.accounts, self.campaign = {}, {}, {}
        for rep, indices in members.items():
            authors = [self.new[i]["author_id"] for i in indices]
            if rep[0] == "old":
                rep_id = self.old_ids[rep[1]]
                authors += earlier[rep_id] + [reps[rep_id].author_id]
                # The earlier members it stood for, plus the new ones.
                size = reps[rep_id].group_size + len(indices)
            else:
                size = len(indices)
            keys = {
                ("input", n) if author is None else author
                for n, author in enumerate(authors)
            }
            self.size[rep] = size
            self.accounts[rep] = len(keys)
            self.campaign[rep] = size >= campaign_size

    # Terms ----------------------------------------------------------------

    def extract_terms(self) -> None:
        cache: dict[str, str] = {}
        self.terms = []
        for normalised in self.normalised:
            if normalised not in cache:
                cache[normalised] = " ".join(text.terms(normalised, normalised=True))
            self.terms.append(cache[normalised])

    # Demands --------------------------------------------------------------

    def _existing_demands(self):
        """Open demands and the terms of their representative inputs."""
        documents = defaultdict(list)
        rows = DemandSource.objects.filter(
            demand__status__in=OPEN_STATUSES,
            duplicate_of__isnull=True,
            analysed_run__isnull=False,
        ).values_list("demand_id", "tokens")
        for demand_id, tokens in rows.iterator(chunk_size=BATCH_SIZE):
            if tokens:
                documents[demand_id].append(tokens)
        return documents

    def group_into_demands(self) -> None:
        """Each new group joins its earlier representative's demand; the
        other new groups join the open demand they resemble most (if
        enough), and the rest are clustered: each cluster joins the
        demand it resembles or becomes a new demand."""
        p = self.params
        self.demand_of: dict[tuple[str, int], int | Demand] = {}
        fresh = []  # new representatives (indices into self.new)
        for rep in self.members:
            kind, index = rep
            if kind == "old" and self.old_demand[index] is not None:
                self.demand_of[rep] = self.old_demand[index]
                self.matched.add(self.old_demand[index])
            else:
                fresh.append(rep)
        if not fresh:
            return
        existing = self._existing_demands()
        demand_ids = list(existing)
        fresh_docs = [self._terms_of(rep) for rep in fresh]
        model = clusters.vectoriser(
            fresh_docs + [doc for docs in existing.values() for doc in docs]
        )
        if model is None:  # Not one term anywhere: one group of its own.
            central = fresh[0]
            demand = self._new_demand(fresh, central, [])
            for rep in fresh:
                self.demand_of[rep] = demand
            self.clusters = 1
            return
        vectors = model.transform(fresh_docs)
        if demand_ids:
            centroids = clusters.centroids(
                model.transform([doc for d in demand_ids for doc in existing[d]]),
                np.repeat(
                    np.arange(len(demand_ids)), [len(existing[d]) for d in demand_ids]
                ),
            )
            nearest = clusters.best_match(
                vectors, centroids, threshold=p["assign_similarity"]
            )
        else:
            centroids, nearest = None, [None] * len(fresh)
        remaining = []
        for position, (rep, match) in enumerate(zip(fresh, nearest, strict=True)):
            if match is None:
                remaining.append(position)
            else:
                self.demand_of[rep] = demand_ids[match]
                self.matched.add(demand_ids[match])
        if not remaining:
            return
        sub = vectors[remaining]
        labels = clusters.cluster_labels(sub, merge_similarity=p["merge_similarity"])
        found = clusters.describe(sub, labels, model.get_feature_names_out())
        self.clusters = found.count
        if centroids is not None:
            cluster_match = clusters.best_match(
                found.centroids, centroids, threshold=p["match_similarity"]
            )
        else:
            cluster_match = [None] * found.count
        for cluster in range(found.count):
            members = [fresh[remaining[m]] for m in found.members(cluster)]
            if cluster_match[cluster] is not None:
                demand_id = demand_ids[cluster_match[cluster]]
                self.matched.add(demand_id)
                for rep in members:
                    self.demand_of[rep] = demand_id
                continue
            central = fresh[remaining[found.central[cluster]]]
            demand = self._new_demand(members, central, found.keywords[cluster])
            for rep in members:
                self.demand_of[rep] = demand

    def _first(self, rep) -> int:
        """The new source standing for a group in this run: its
        representative, or its first new member if that is an earlier one."""
        return rep[1] if rep[0] == "new" else self.members[rep][0]

    def _terms_of(self, rep) -> str:
        return self.terms[self._first(rep)]

    def _new_demand(self, members, central, keywords) -> Demand:
        """An unsaved demand for a cluster (saved in ``write``)."""
        weights = [self.size[rep] for rep in members]
        rows = [self.new[self._first(rep)] for rep in members]
        central_text = self.new[self._first(central)]["text"]
        demand = Demand(
            title=_title(central_text, keywords),
            summary=central_text[:1000],
            keywords=keywords,
            area_id=clusters.majority([r["area_id"] for r in rows], weights),
            topic_id=clusters.majority([r["topic_id"] for r in rows], weights),
        )
        demand.central = central
        self.created.append(demand)
        return demand

    # Writing ---------------------------------------------------------------

    def write(self, current: AnalysisRun) -> None:
        for demand in self.created:
            saved = triage.demand_create(
                title=demand.title,
                summary=demand.summary,
                keywords=demand.keywords,
                topic=demand.topic_id and demand.topic,
                area=demand.area_id and demand.area,
            )
            demand.pk = saved.pk
        rows = []
        for i, row in enumerate(self.new):
            rep = self.rep_of[i]
            demand = self.demand_of.get(rep)
            demand_id = demand.pk if isinstance(demand, Demand) else demand
            is_rep = rep == ("new", i)
            if rep[0] == "old":
                duplicate_of = self.old_ids[rep[1]]
            else:
                duplicate_of = None if is_rep else self.new[rep[1]]["id"]
            rows.append(
                (
                    row["id"],
                    self.terms[i],
                    duplicates.to_bytes(self.sigs[i]),
                    duplicate_of,
                    demand_id,
                    self.size[rep] if is_rep else 1,
                    self.accounts[rep] if is_rep else 1,
                    bool(self.campaign[rep]) if is_rep else False,
                    current.pk,
                )
            )
        table = connection.ops.quote_name(DemandSource._meta.db_table)
        assignments = ", ".join(f"{c} = incoming.{c}" for c in RESULT_COLUMNS[1:])
        _copy_through(
            RESULT_COLUMNS,
            rows,
            # Column names are the model's own, never input.
            f"UPDATE {table} SET {assignments} FROM incoming "  # noqa: S608
            f"WHERE {table}.id = incoming.id",
        )
        # Earlier representatives now stand for more inputs.
        for index, rep_id in enumerate(self.old_ids):
            rep = ("old", index)
            if rep in self.members:
                DemandSource.objects.filter(pk=rep_id).update(
                    group_size=self.size[rep],
                    group_accounts=self.accounts[rep],
                    is_campaign=self.campaign[rep],
                )
        for demand in self.created:
            central_id = self.new[self._first(demand.central)]["id"]
            Demand.objects.filter(pk=demand.pk).update(central_source_id=central_id)
        touched = {d.pk for d in self.created} | self.matched
        counts.demand_recount(demand_ids=touched)

    def counts(self) -> dict:
        new_reps = [rep for rep in self.members if rep[0] == "new"]
        return {
            "inputs_total": DemandSource.objects.count(),
            "inputs_new": len(self.new),
            "duplicates": sum(
                1 for i, rep in enumerate(self.rep_of) if rep != ("new", i)
            ),
            "campaigns": sum(1 for rep in self.members if self.campaign[rep]),
            "clusters": self.clusters,
            "demands_created": len(self.created),
            "demands_matched": len(self.matched),
            "groups_new": len(new_reps),
        }
