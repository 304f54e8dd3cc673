#!/usr/bin/env python
"""Time the demand analysis on synthetic inputs with planted structure.

Budgets (DESIGN.md, issue 7): cluster 100,000 inputs in ≤ 60 s; find the
near-duplicates among 1,000,000 in ≤ 5 minutes, on 2 cores, within 4 GiB.

Inputs come from ``demands.analysis.synthetic``: Chinese and English texts
on twelve public-service themes written from many phrasings, places and
details, reposts of a fifth of them (one to three each, with small edits,
traditional characters, full-width letters) and mass campaigns of
near-identical submissions from distinct accounts. Each part runs in a
process of its own, so its peak memory is its own:

  clusters    ``demands.analysis.analyse`` on ``--cluster-inputs``
              (100,000): normalise, MinHash and LSH, terms, TF-IDF themes;
              the time of each stage, the number of themes and the adjusted
              Rand index against the planted themes, near-duplicate
              precision and recall;
  duplicates  normalise, signatures and LSH groups of ``--duplicate-inputs``
              (1,000,000), in chunks as the pipeline does; time, peak
              resident memory (getrusage) and precision/recall.

Generating the texts is not timed. Figures are printed and written to
bench/results/demands-<time>.json; the exit status is 0 only when every
budget is met. See the "Demand analysis" section of bench/README.md.
"""

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from demands.analysis import analyse, duplicates, synthetic, text

CLUSTER_BUDGET_S = 60
DUPLICATE_BUDGET_S = 300
MEMORY_BUDGET_GIB = 4
CAMPAIGNS = (500, 2_000, 5_000)
# Near-duplicates per original: 20% have one to three (mean 2).
INPUTS_PER_ORIGINAL = 1.4
RESULTS = Path(__file__).resolve().parent / "results"


def arguments_from(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster-inputs", type=int, default=100_000)
    parser.add_argument("--duplicate-inputs", type=int, default=1_000_000)
    parser.add_argument(
        "--part", choices=["all", "clusters", "duplicates"], default="all"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--json", action="store_true", help="print one part's figures as JSON"
    )
    return parser.parse_args(argv)


def corpus_of(size: int, seed: int):
    """A synthetic corpus of about ``size`` inputs with the campaigns that
    fit in it."""
    campaigns = tuple(c for c in CAMPAIGNS if c * 10 <= size) or (max(2, size // 20),)
    originals = max(12, round((size - sum(campaigns)) / INPUTS_PER_ORIGINAL))
    return synthetic.generate(originals=originals, campaigns=campaigns, seed=seed)


def duplicate_scores(origin: np.ndarray, representative: np.ndarray) -> dict:
    """Recall: share of planted near-duplicates put in their original's
    group. Precision: share of inputs grouped under a representative whose
    planted origin is the same."""
    index = np.arange(len(origin))
    planted = np.flatnonzero(origin != index)
    predicted = np.flatnonzero(representative != index)
    recall = np.mean(representative[planted] == representative[origin[planted]])
    precision = np.mean(origin[predicted] == origin[representative[predicted]])
    return {
        "planted": len(planted),
        "found": len(predicted),
        "recall": round(float(recall), 4) if len(planted) else 1.0,
        "precision": round(float(precision), 4) if len(predicted) else 1.0,
    }


def _peak_rss_gib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def measure_clusters(size: int, seed: int) -> dict:
    corpus = corpus_of(size, seed)
    marks = []
    started = time.perf_counter()
    result = analyse(
        corpus.texts,
        accounts=corpus.account,
        progress=lambda stage, _: marks.append((stage, time.perf_counter())),
    )
    total = time.perf_counter() - started
    seconds = {
        stage: round(next_at - at, 2)
        for (stage, at), (_, next_at) in itertools.pairwise(marks)
    }
    theme = np.array(corpus.theme)
    reps = result.representatives
    campaign_sizes = sorted(int(result.size[r]) for r in reps if result.is_campaign[r])
    return {
        "inputs": len(corpus),
        "seconds": round(total, 2),
        "stage_seconds": seconds,
        "groups": len(reps),
        "themes_found": result.themes.count,
        "themes_planted": len(set(corpus.theme)),
        "ari_groups": round(
            float(adjusted_rand_score(theme[reps], result.themes.labels)), 4
        ),
        "ari_inputs": round(float(adjusted_rand_score(theme, result.theme)), 4),
        "campaigns_planted": sorted(CAMPAIGNS if len(corpus) >= 50_000 else []),
        "campaigns_found": campaign_sizes,
        "duplicates": duplicate_scores(
            np.array(corpus.origin), result.groups.representative
        ),
        "peak_rss_gib": round(_peak_rss_gib(), 3),
        "load_average": os.getloadavg(),
    }


def measure_duplicates(size: int, seed: int, chunk: int = 100_000) -> dict:
    corpus = corpus_of(size, seed)
    origin = np.array(corpus.origin, dtype=np.int64)
    texts = corpus.texts
    del corpus
    before = _peak_rss_gib()
    started = time.perf_counter()
    normalise_s = signature_s = 0.0
    parts = []
    for start in range(0, len(texts), chunk):
        at = time.perf_counter()
        shingled = [
            text.shingle_text(text.normalise(t)) for t in texts[start : start + chunk]
        ]
        normalise_s += time.perf_counter() - at
        at = time.perf_counter()
        parts.append(duplicates.signatures(shingled))
        signature_s += time.perf_counter() - at
    signatures = np.vstack(parts)
    del parts
    at = time.perf_counter()
    groups = duplicates.group(signatures)
    group_s = time.perf_counter() - at
    total = time.perf_counter() - started
    sizes = groups.sizes()
    return {
        "inputs": len(texts),
        "seconds": round(total, 2),
        "stage_seconds": {
            "normalise": round(normalise_s, 2),
            "signatures": round(signature_s, 2),
            "lsh_groups": round(group_s, 2),
        },
        "num_perm": signatures.shape[1],
        "bands_rows": list(duplicates.bands(duplicates.THRESHOLD, signatures.shape[1])),
        "largest_groups": sorted(set(sizes.tolist()), reverse=True)[:5],
        "duplicates": duplicate_scores(origin, groups.representative),
        "rss_before_gib": round(before, 3),
        "peak_rss_gib": round(_peak_rss_gib(), 3),
        "load_average": os.getloadavg(),
    }


def _in_own_process(part: str, args) -> dict:
    command = [
        sys.executable,
        "-m",
        "bench.demands_analysis",
        "--part",
        part,
        "--json",
        "--seed",
        str(args.seed),
        "--cluster-inputs",
        str(args.cluster_inputs),
        "--duplicate-inputs",
        str(args.duplicate_inputs),
    ]
    # This very script with numbers from its own arguments.
    output = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(output.stdout.strip().splitlines()[-1])


def report(results: dict) -> bool:
    """Print the figures against the budgets; True if all are met."""
    met = True

    def verdict(ok: bool, line: str) -> None:
        nonlocal met
        met = met and ok
        print(f"[{'met' if ok else 'MISSED'}] {line}")

    if "clusters" in results:
        c = results["clusters"]
        verdict(
            c["seconds"] <= CLUSTER_BUDGET_S,
            f"clusters {c['inputs']:,} inputs in <= {CLUSTER_BUDGET_S} s: "
            f"{c['seconds']} s {c['stage_seconds']}",
        )
        verdict(
            c["ari_groups"] >= 0.6,
            f"themes: {c['themes_found']} found, {c['themes_planted']} planted, "
            f"ARI {c['ari_groups']} (groups) / {c['ari_inputs']} (inputs)",
        )
        d = c["duplicates"]
        verdict(
            d["recall"] >= 0.95 and d["precision"] >= 0.95,
            f"near-duplicates among {c['inputs']:,}: recall {d['recall']}, "
            f"precision {d['precision']}; campaigns {c['campaigns_found']}",
        )
    if "duplicates" in results:
        u = results["duplicates"]
        verdict(
            u["seconds"] <= DUPLICATE_BUDGET_S,
            f"near-duplicates among {u['inputs']:,} in <= {DUPLICATE_BUDGET_S} s: "
            f"{u['seconds']} s {u['stage_seconds']}",
        )
        verdict(
            u["peak_rss_gib"] <= MEMORY_BUDGET_GIB,
            f"peak memory <= {MEMORY_BUDGET_GIB} GiB: {u['peak_rss_gib']} GiB "
            f"({u['rss_before_gib']} GiB holding the texts before)",
        )
        d = u["duplicates"]
        verdict(
            d["recall"] >= 0.95 and d["precision"] >= 0.95,
            f"near-duplicates among {u['inputs']:,}: recall {d['recall']}, "
            f"precision {d['precision']}",
        )
    for part, figures in results.items():
        load = ", ".join(f"{x:.1f}" for x in figures["load_average"])
        print(f"    {part}: load average at the end {load}")
    return met


def main(argv: list[str] | None = None) -> int:
    args = arguments_from(argv)
    if args.json:
        if args.part == "clusters":
            figures = measure_clusters(args.cluster_inputs, args.seed)
        else:
            figures = measure_duplicates(args.duplicate_inputs, args.seed)
        print(json.dumps(figures))
        return 0
    parts = ["clusters", "duplicates"] if args.part == "all" else [args.part]
    results = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
    }
    figures = {part: _in_own_process(part, args) for part in parts}
    met = report(figures)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"demands-{stamp}.json"
    path.write_text(json.dumps({**results, **figures, "met": met}, indent=2))
    print(f"figures written to {path}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
