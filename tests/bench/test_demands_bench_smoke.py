"""Smoke tests of bench/demands_analysis.py: each part runs on a small
corpus and reports its figures against the budgets. The benchmark itself
(100,000 and 1,000,000 inputs) is not part of the test suite."""

import numpy as np

from bench import demands_analysis


def test_clusters_part_reports_time_quality_and_campaigns():
    figures = demands_analysis.measure_clusters(3000, seed=1)

    assert 2900 <= figures["inputs"] <= 3100
    assert set(figures["stage_seconds"]) == {
        "normalise",
        "near-duplicates",
        "terms",
        "clusters",
    }
    assert figures["ari_groups"] >= 0.6
    assert figures["duplicates"]["recall"] >= 0.95
    assert figures["campaigns_found"] == [150]


def test_duplicates_part_reports_time_memory_and_quality():
    figures = demands_analysis.measure_duplicates(5000, seed=1, chunk=2000)

    assert figures["inputs"] >= 4900
    assert figures["seconds"] > 0
    assert 0 < figures["rss_before_gib"] <= figures["peak_rss_gib"]
    assert figures["duplicates"]["precision"] >= 0.95
    assert figures["largest_groups"][0] == 500


def test_duplicate_scores_count_each_planted_and_found_duplicate():
    origin = np.array([0, 0, 2, 2, 4])
    representative = np.array([0, 0, 2, 0, 4])

    scores = demands_analysis.duplicate_scores(origin, representative)

    assert scores == {"planted": 2, "found": 2, "recall": 0.5, "precision": 0.5}


def test_report_states_each_budget(capsys):
    quality = {"recall": 0.99, "precision": 0.97}
    results = {
        "clusters": {
            "inputs": 100_000,
            "seconds": 41.0,
            "stage_seconds": {},
            "themes_found": 13,
            "themes_planted": 12,
            "ari_groups": 0.9,
            "ari_inputs": 0.8,
            "duplicates": quality,
            "campaigns_found": [500],
            "load_average": (1, 1, 1),
        },
        "duplicates": {
            "inputs": 1_000_000,
            "seconds": 320.0,
            "stage_seconds": {},
            "peak_rss_gib": 2.5,
            "rss_before_gib": 1.0,
            "duplicates": quality,
            "load_average": (1, 1, 1),
        },
    }

    met = demands_analysis.report(results)

    out = capsys.readouterr().out
    assert not met
    assert "[met] clusters 100,000 inputs in <= 60 s: 41.0 s" in out
    assert "[MISSED] near-duplicates among 1,000,000 in <= 300 s: 320.0 s" in out
    assert "[met] peak memory <= 4 GiB: 2.5 GiB" in out
