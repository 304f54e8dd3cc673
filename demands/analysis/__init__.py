"""Text analysis of resident inputs, as a library with no database: text
into terms (``text``), near-duplicates and campaigns (``duplicates``),
themes (``clusters``), and ``analyse`` for a whole batch at once.
``demands.pipeline`` feeds it the stored inputs and writes the results."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from demands.analysis import clusters, duplicates, text
from demands.analysis.text import normalise, shared_terms, terms

CAMPAIGN_SIZE = 20

__all__ = ["Analysis", "analyse", "normalise", "shared_terms", "terms"]


@dataclass
class Analysis:
    """A batch analysed: per input its ``terms`` (space-separated), MinHash
    ``signatures``, near-duplicate ``groups``, group ``size`` and distinct
    ``accounts``, ``is_campaign``; the ``representatives`` (one input per
    group, by index) and their ``themes``; ``theme`` per input (its
    representative's cluster)."""

    terms: list[str]
    signatures: np.ndarray
    groups: duplicates.Groups
    size: np.ndarray
    accounts: np.ndarray
    is_campaign: np.ndarray
    representatives: np.ndarray
    themes: clusters.Themes
    theme: np.ndarray


def analyse(
    texts: Sequence[str],
    *,
    accounts: Sequence | None = None,
    campaign_size: int = CAMPAIGN_SIZE,
    threshold: float = duplicates.THRESHOLD,
    merge_similarity: float = clusters.MERGE_SIMILARITY,
    progress: Callable[[str, int], None] | None = None,
) -> Analysis:
    """Normalise, find near-duplicate groups (a group of ``campaign_size``
    or more is a campaign), segment the representatives and cluster them."""
    report = progress or (lambda stage, percent: None)
    report("normalise", 5)
    normalised = [normalise(t) for t in texts]
    report("near-duplicates", 20)
    sigs = duplicates.signatures([text.shingle_text(t) for t in normalised])
    groups = duplicates.group(sigs, threshold=threshold)
    size = groups.sizes()
    if accounts is None:
        accounts = [None] * len(texts)
    distinct = duplicates.distinct_accounts(groups, accounts)
    is_campaign = size >= campaign_size
    report("terms", 45)
    representatives = np.flatnonzero(~groups.is_duplicate)
    term_strings = [""] * len(texts)
    for index in representatives:
        term_strings[index] = " ".join(terms(normalised[index], normalised=True))
    report("clusters", 70)
    found, _, _ = clusters.themes(
        [term_strings[i] for i in representatives], merge_similarity=merge_similarity
    )
    theme_of_rep = np.full(len(texts), -1, dtype=np.int64)
    theme_of_rep[representatives] = found.labels
    report("done", 100)
    return Analysis(
        terms=term_strings,
        signatures=sigs,
        groups=groups,
        size=size,
        accounts=distinct,
        is_campaign=is_campaign,
        representatives=representatives,
        themes=found,
        theme=theme_of_rep[groups.representative],
    )
