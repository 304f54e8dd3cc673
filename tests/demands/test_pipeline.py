"""The analysis pipeline on a fixed corpus with planted near-duplicates, a
campaign and themes in Chinese and English, stored as inputs of every
kind: what the first run finds and what a second run touches."""

from collections import Counter

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from sklearn.metrics import adjusted_rand_score

from demands import pipeline
from demands.analysis import synthetic
from demands.models import AnalysisRun, Demand, DemandSource
from tests.demands import pipeline_corpus


@pytest.fixture
def corpus():
    return synthetic.generate(originals=360, duplicate_share=0.25, seed=11)


def analyse(django_capture_on_commit_callbacks, by=None) -> AnalysisRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = pipeline.start_run(by=by)
    run.refresh_from_db()
    return run


def truth(loaded):
    """Corpus index of each source, and planted values per source id."""
    index = loaded.index_of_sources()
    return index, np.array(loaded.corpus.origin), np.array(loaded.corpus.theme)


@pytest.mark.django_db
def test_first_run_finds_planted_duplicates_campaign_and_themes(
    corpus, django_capture_on_commit_callbacks
):
    loaded = pipeline_corpus.load(corpus)

    run = analyse(django_capture_on_commit_callbacks)

    assert run.status == AnalysisRun.Status.DONE, run.error
    assert run.progress == 100
    assert run.duration_seconds > 0
    assert run.counts["inputs_new"] == len(corpus)
    index, origin, theme = truth(loaded)
    sources = {s.pk: s for s in DemandSource.objects.all()}
    assert len(sources) == len(corpus)
    rep = {pk: s.duplicate_of_id or pk for pk, s in sources.items()}
    by_index = {i: pk for pk, i in index.items()}
    planted = [i for i in range(len(corpus)) if origin[i] != i]
    found = [rep[by_index[i]] == rep[by_index[origin[i]]] for i in planted]
    assert np.mean(found) >= 0.95
    predicted = [pk for pk, s in sources.items() if s.duplicate_of_id]
    right = [origin[index[pk]] == origin[index[rep[pk]]] for pk in predicted]
    assert np.mean(right) >= 0.95

    campaign = [by_index[i] for i in range(len(corpus)) if corpus.campaign[i] == 0]
    leaders = {rep[pk] for pk in campaign}
    assert len(leaders) == 1
    leader = sources[leaders.pop()]
    assert (leader.group_size, leader.group_accounts) == (500, 500)
    assert leader.is_campaign
    assert leader.demand.is_campaign
    assert leader.demand.resident_count >= 500

    reps = [pk for pk in sources if rep[pk] == pk]
    assert all(sources[pk].demand_id for pk in sources)
    ari = adjusted_rand_score(
        [theme[index[pk]] for pk in reps], [sources[pk].demand_id for pk in reps]
    )
    assert ari >= 0.6
    assert all(s.tokens and len(bytes(s.minhash)) == 512 for s in sources.values())
    assert all(s.analysed_run_id == run.pk for s in sources.values())

    demands = list(Demand.objects.select_related("central_source"))
    assert run.counts["demands_created"] == len(demands) >= 8
    for demand in demands:
        assert demand.title and demand.keywords
        assert demand.central_source.demand_id == demand.pk
        assert demand.status == Demand.Status.NEW
        assert demand.input_count == demand.sources.count()
        assert demand.area_id is not None
        assert demand.updates.filter(kind="created").exists()
    assert sum(d.input_count for d in demands) == len(corpus)


@pytest.mark.django_db
def test_second_run_touches_only_the_new_inputs(
    corpus, django_capture_on_commit_callbacks
):
    loaded = pipeline_corpus.load(corpus)
    first = analyse(django_capture_on_commit_callbacks)
    before = dict(DemandSource.objects.values_list("pk", "demand_id"))
    demands_before = Demand.objects.count()
    later = synthetic.generate(originals=10, duplicate_share=0, campaigns=(), seed=99)
    added = pipeline_corpus.load(later, offset=1)

    second = analyse(django_capture_on_commit_callbacks)

    assert second.status == AnalysisRun.Status.DONE, second.error
    assert second.counts["inputs_new"] == 10
    assert second.counts["inputs_total"] == len(corpus) + 10
    old = DemandSource.objects.filter(pk__in=before)
    assert set(old.values_list("analysed_run", flat=True)) == {first.pk}
    assert dict(old.values_list("pk", "demand_id")) == before
    new = DemandSource.objects.exclude(pk__in=before)
    assert set(new.values_list("analysed_run", flat=True)) == {second.pk}
    # New inputs on the planted themes join the demands of those themes.
    index = loaded.index_of_sources()
    themes_of = {}
    for pk, demand_id in before.items():
        themes_of.setdefault(demand_id, Counter())[corpus.theme[index[pk]]] += 1
    new_index = added.index_of_sources()
    joined = [
        demand_id in themes_of
        and themes_of[demand_id].most_common(1)[0][0] == later.theme[new_index[pk]]
        for pk, demand_id in new.values_list("pk", "demand_id")
    ]
    assert sum(joined) >= 8
    assert (
        Demand.objects.count() - demands_before == second.counts["demands_created"] <= 2
    )


@pytest.mark.django_db
def test_repost_of_an_analysed_input_joins_its_group(
    django_capture_on_commit_callbacks,
):
    corpus = synthetic.generate(
        originals=60, duplicate_share=0, campaigns=(30,), seed=3
    )
    loaded = pipeline_corpus.load(corpus)
    analyse(django_capture_on_commit_callbacks)
    leader = DemandSource.objects.get(group_size=30)
    repost = synthetic.Corpus()
    repost.add(
        "+1 " + leader.text,
        theme=0,
        origin=None,
        campaign=-1,
        account=0,
        district=corpus.district[0],
        language="zh",
    )
    pipeline_corpus.load(repost, offset=2, loaded=pipeline_corpus.Loaded(repost))

    run = analyse(django_capture_on_commit_callbacks)

    new = DemandSource.objects.get(analysed_run=run)
    assert new.duplicate_of_id == leader.pk
    assert new.demand_id == leader.demand_id
    leader.refresh_from_db()
    assert leader.group_size == 31
    assert run.counts["duplicates"] == 1
    assert loaded


@pytest.mark.django_db
def test_a_second_run_is_refused_while_one_is_queued():
    pipeline.start_run(by=None)

    with pytest.raises(ValidationError) as refused:
        pipeline.start_run(by=None)

    assert refused.value.code == "run_in_progress"
    assert AnalysisRun.objects.count() == 1


@pytest.mark.django_db
def test_a_failing_run_is_marked_failed_with_its_error(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broken(params):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline._Batch, "load", broken)

    run = analyse(django_capture_on_commit_callbacks)

    assert run.status == AnalysisRun.Status.FAILED
    assert "disk full" in run.error
    assert run.finished_at is not None
    assert pipeline.active_run() is None


@pytest.mark.django_db
def test_nightly_run_starts_without_an_official(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = pipeline.run_nightly()

    run = AnalysisRun.objects.get(pk=run_id)
    assert run.started_by is None
    assert run.status == AnalysisRun.Status.DONE
    assert run.counts["inputs_new"] == 0
