"""The analysis pipeline end to end on the database at scale: opt-in,
with DEMANDS_PIPELINE_INPUTS set (e.g. 100000); skipped otherwise. Loads
that many synthetic inputs of every kind (tests/demands/pipeline_corpus),
runs the pipeline, then a second run with about 1,000 new inputs, and
prints each run's duration, stage times and counts (bench/README.md,
"Demand analysis")."""

import os

import pytest

from demands import pipeline
from demands.analysis import synthetic
from demands.models import AnalysisRun
from tests.demands import pipeline_corpus

INPUTS = int(os.environ.get("DEMANDS_PIPELINE_INPUTS", "0"))
CAMPAIGNS = (500, 2000, 5000)


def analyse(django_capture_on_commit_callbacks) -> AnalysisRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = pipeline.start_run(by=None)
    run.refresh_from_db()
    print(
        f"\nrun {run.pk}: {run.status} in {run.duration_seconds} s, "
        f"stages {run.counts.get('stage_seconds')}, counts {run.counts}, "
        f"load average {os.getloadavg()}"
    )
    return run


@pytest.mark.skipif(INPUTS < 10_000, reason="set DEMANDS_PIPELINE_INPUTS >= 10000")
@pytest.mark.django_db
def test_pipeline_at_scale(django_capture_on_commit_callbacks):
    originals = round((INPUTS - sum(CAMPAIGNS)) / 1.4)
    corpus = synthetic.generate(originals=originals, campaigns=CAMPAIGNS, seed=5)
    pipeline_corpus.load(corpus)

    first = analyse(django_capture_on_commit_callbacks)
    pipeline_corpus.load(
        synthetic.generate(originals=700, campaigns=(), seed=9), offset=1
    )
    second = analyse(django_capture_on_commit_callbacks)

    assert first.status == second.status == AnalysisRun.Status.DONE
    assert first.counts["campaigns"] == len(CAMPAIGNS)
    assert second.counts["inputs_new"] < 1100
