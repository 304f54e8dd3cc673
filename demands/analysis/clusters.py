"""Themes: TF-IDF vectors, clustering, keywords, central inputs and matching
clusters to the demands that already exist.

Clustering is in two steps so that it scales and the number of themes comes
from the data: MiniBatchKMeans splits the (LSA-reduced to ``DIMENSIONS``,
unit-length) TF-IDF vectors into about sqrt(n) small clusters (at most
``FINE_CLUSTERS``), then the centroids of those are joined by
average-linkage agglomerative clustering up to a cosine-similarity
threshold. Each final cluster is labelled with the highest-weighted terms
of its TF-IDF centroid and the input closest to it, so an official can see
why inputs were put together.
"""

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

MERGE_SIMILARITY = 0.35
MATCH_SIMILARITY = 0.35
ASSIGN_SIMILARITY = 0.3
DIMENSIONS = 50
# The LSA basis is learnt from at most this many inputs, then applied to all.
SVD_SAMPLE = 20_000
# Upper bound of the first, fine clustering's k (sqrt of the inputs below).
FINE_CLUSTERS = 200
KEYWORDS = 6


@dataclass
class Themes:
    """The clusters of one run: ``labels`` per input (0 … k-1), per
    cluster its ``keywords``, its ``central`` input (an index) and its unit
    ``centroids`` row in TF-IDF space."""

    labels: np.ndarray
    keywords: list[list[str]]
    central: list[int]
    centroids: sparse.csr_matrix

    @property
    def count(self) -> int:
        return len(self.keywords)

    def members(self, cluster: int) -> np.ndarray:
        return np.flatnonzero(self.labels == cluster)


def vectoriser(documents: Sequence[str]) -> TfidfVectorizer | None:
    """A TF-IDF model fitted on space-separated term strings. A term must
    occur in two inputs; one in more than half of them says nothing. None
    if the documents have no term at all."""
    many = len(documents) >= 20
    for min_df, max_df in ((2, 0.5), (1, 1.0)) if many else ((1, 1.0),):
        model = TfidfVectorizer(
            analyzer=str.split,
            min_df=min_df,
            max_df=max_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        try:
            return model.fit(documents)
        except ValueError:  # No term left after pruning.
            continue
    return None


def _reduced(vectors: sparse.csr_matrix, random_state: int) -> np.ndarray:
    n, features = vectors.shape
    dimensions = min(DIMENSIONS, features - 1, n - 1)
    if dimensions < 2:
        return normalize(vectors.toarray())
    svd = TruncatedSVD(n_components=dimensions, n_iter=3, random_state=random_state)
    if n > SVD_SAMPLE:
        sample = np.random.default_rng(random_state).choice(
            n, SVD_SAMPLE, replace=False
        )
        svd.fit(vectors[np.sort(sample)])
    else:
        svd.fit(vectors)
    return normalize(svd.transform(vectors))


def cluster_labels(
    vectors: sparse.csr_matrix,
    *,
    merge_similarity: float = MERGE_SIMILARITY,
    random_state: int = 0,
) -> np.ndarray:
    """Cluster numbers (0 … k-1) of TF-IDF rows, k chosen from the data."""
    n = vectors.shape[0]
    if n <= 1:
        return np.zeros(n, dtype=np.int64)
    points = _reduced(vectors, random_state)
    fine_k = min(n, FINE_CLUSTERS, max(2, round(math.sqrt(n))))
    kmeans = MiniBatchKMeans(
        n_clusters=fine_k,
        batch_size=4096,
        n_init=1,
        random_state=random_state,
    ).fit(points)
    fine = kmeans.labels_
    used = np.unique(fine)
    if len(used) < 2:
        return np.zeros(n, dtype=np.int64)
    centres = normalize(kmeans.cluster_centers_[used])
    coarse = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1 - merge_similarity,
    ).fit_predict(centres)
    mapping = np.zeros(fine_k, dtype=np.int64)
    mapping[used] = coarse
    # Renumber by first appearance so labels are stable for equal input.
    labels = mapping[fine]
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(np.argsort(first))
    return order[labels]


def centroids(vectors: sparse.csr_matrix, labels: np.ndarray) -> sparse.csr_matrix:
    """Unit-length mean TF-IDF vector of each cluster."""
    k = int(labels.max()) + 1 if len(labels) else 0
    indicator = sparse.csr_matrix(
        (np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
        shape=(k, len(labels)),
    )
    return normalize(indicator @ vectors)


def describe(
    vectors: sparse.csr_matrix,
    labels: np.ndarray,
    terms: Sequence[str],
    *,
    n_keywords: int = KEYWORDS,
) -> Themes:
    """Keywords (top centroid terms), central input and centroid of each
    cluster."""
    means = centroids(vectors, labels)
    keywords, central = [], []
    similarity = np.asarray(vectors.multiply(means[labels]).sum(axis=1)).ravel()
    for cluster in range(means.shape[0]):
        row = means.getrow(cluster)
        top = row.indices[np.argsort(-row.data, kind="stable")[:n_keywords]]
        keywords.append([terms[i] for i in top])
        members = np.flatnonzero(labels == cluster)
        central.append(int(members[np.argmax(similarity[members])]))
    return Themes(labels=labels, keywords=keywords, central=central, centroids=means)


def themes(
    documents: Sequence[str],
    *,
    model: TfidfVectorizer | None = None,
    merge_similarity: float = MERGE_SIMILARITY,
    random_state: int = 0,
) -> tuple[Themes, TfidfVectorizer, sparse.csr_matrix]:
    """Cluster term strings into themes; returns the themes, the TF-IDF
    model and the vectors."""
    model = model or vectoriser(documents)
    if model is None:  # No terms at all: one theme.
        model = TfidfVectorizer(analyzer=lambda doc: ["_"]).fit(["_"])
    vectors = model.transform(documents)
    labels = cluster_labels(
        vectors, merge_similarity=merge_similarity, random_state=random_state
    )
    found = describe(vectors, labels, model.get_feature_names_out())
    return found, model, vectors


def best_match(
    vectors: sparse.csr_matrix,
    existing: sparse.csr_matrix,
    *,
    threshold: float,
) -> list[int | None]:
    """For each row of ``vectors`` the row of ``existing`` (both unit
    length) it is most similar to, if the cosine reaches ``threshold``."""
    if vectors.shape[0] == 0 or existing.shape[0] == 0:
        return [None] * vectors.shape[0]
    similarity = (normalize(vectors) @ normalize(existing).T).toarray()
    best = similarity.argmax(axis=1)
    score = similarity[np.arange(len(best)), best]
    return [
        int(b) if s >= threshold else None for b, s in zip(best, score, strict=True)
    ]


def majority(values: Sequence[Hashable], weights: Sequence[int] | None = None):
    """The most frequent non-None value (weighted), the first one seen on a
    tie; None if there is none."""
    counts: Counter = Counter()
    for index, value in enumerate(values):
        if value is not None:
            counts[value] += 1 if weights is None else weights[index]
    if not counts:
        return None
    top = max(counts.values())
    return next(value for value in counts if counts[value] == top)
