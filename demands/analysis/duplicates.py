"""Near-duplicates and mass campaigns: MinHash signatures and LSH banding.

Each text's set of character shingles (``SHINGLE`` consecutive letters,
digits or ideographs of ``text.shingle_text``) is summarised by a MinHash
signature of ``NUM_PERM`` values; the share of equal values estimates the
Jaccard similarity of two texts' shingle sets. Texts whose estimate reaches
``THRESHOLD`` are near-duplicates; groups of them are joined transitively.

The signatures are datasketch's (``datasketch.MinHash``, scheme
``affine32``, with its permutations for the seed), computed for many texts
at once with numpy instead of one ``update`` call per shingle: a test checks
that both give the same values. Candidate pairs come from LSH banding with
the bands and rows datasketch's ``MinHashLSH`` chooses for the threshold,
done with sorting rather than one dictionary insert per band and text, so a
million texts fit in minutes and a few GiB.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

NUM_PERM = 128
SHINGLE = 3
SEED = 1
THRESHOLD = 0.7
CHUNK = 20_000

_MASK32 = np.uint64(0xFFFFFFFF)
# Odd 64-bit multipliers for the positions of a shingle (splitmix64's).
_POSITION = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xBF58476D1CE4E5B9),
    np.uint64(0x94D049BB133111EB),
    np.uint64(0xD6E8FEB86659FD93),
    np.uint64(0xA0761D6478BD642F),
    np.uint64(0xE7037ED1A0B428DB),
)


def shingle_hash(shingle: str) -> int:
    """The 32-bit hash of one shingle, as ``signatures`` computes it in
    bulk; usable as datasketch's ``hashfunc``."""
    value = 0
    for position, char in enumerate(shingle):
        value = (value + ord(char) * int(_POSITION[position])) & (2**64 - 1)
    return ((value >> 32) ^ value) & 0xFFFFFFFF


def shingles(text: str, k: int = SHINGLE) -> list[str]:
    """The shingles of a ``shingle_text`` (a text shorter than ``k`` is
    padded with spaces, so every text has at least one)."""
    text = text.ljust(k)
    return [text[i : i + k] for i in range(len(text) - k + 1)]


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


@lru_cache(maxsize=8)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED):
    """datasketch's permutation parameters (a, b) for ``num_perm`` and
    ``seed``, scheme affine32."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def _shingle_hashes(texts: Sequence[str], k: int):
    """Hashes of every shingle of ``texts`` (one flat array) and where each
    text's shingles start in it."""
    padded = [text.ljust(k) for text in texts]
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    counts = lengths - k + 1
    text_starts = np.cumsum(lengths) - lengths
    firsts = np.cumsum(counts) - counts
    offsets = np.arange(counts.sum(), dtype=np.int64) - np.repeat(firsts, counts)
    positions = np.repeat(text_starts, counts) + offsets
    value = np.zeros(len(positions), dtype=np.uint64)
    for shift in range(k):
        value += codes[positions + shift] * _POSITION[shift]
    hashes = ((value >> np.uint64(32)) ^ value) & _MASK32
    return hashes.astype(np.uint32), firsts


def signatures(
    texts: Sequence[str],
    *,
    num_perm: int = NUM_PERM,
    k: int = SHINGLE,
    seed: int = SEED,
    chunk: int = CHUNK,
) -> np.ndarray:
    """MinHash signatures (``len(texts)`` × ``num_perm``, uint32) of
    ``shingle_text`` strings, equal to datasketch's for the same shingles."""
    a, b = permutations(num_perm, seed)
    out = np.empty((len(texts), num_perm), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for start in range(0, len(texts), chunk):
            part = texts[start : start + chunk]
            hashes, firsts = _shingle_hashes(part, k)
            mixed = _fmix32(hashes)
            block = out[start : start + len(part)]
            for j in range(num_perm):
                block[:, j] = np.minimum.reduceat(mixed * a[j] + b[j], firsts)
    return out


def to_bytes(signature: np.ndarray) -> bytes:
    return np.ascontiguousarray(signature, dtype="<u4").tobytes()


def from_bytes(data: bytes, num_perm: int = NUM_PERM) -> np.ndarray | None:
    """A stored signature, or None if it was made with other parameters."""
    if data is None or len(data) != 4 * num_perm:
        return None
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray | float:
    """Estimated Jaccard similarity of signatures (rows against rows)."""
    return np.mean(sig_a == sig_b, axis=-1)


@lru_cache(maxsize=8)
def bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) datasketch's MinHashLSH uses for the threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _band_keys(block: np.ndarray) -> np.ndarray:
    key = np.zeros(len(block), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(block.shape[1]):
            key = (key ^ block[:, column].astype(np.uint64)) * _POSITION[column % 6]
            key ^= key >> np.uint64(29)
    return key


@dataclass
class Groups:
    """Near-duplicate groups: ``label`` (per text, a group number) and
    ``representative`` (per text, the index of its group's first text)."""

    label: np.ndarray
    representative: np.ndarray

    @property
    def is_duplicate(self) -> np.ndarray:
        return self.representative != np.arange(len(self.representative))

    def sizes(self) -> np.ndarray:
        """Per text, the size of its group."""
        return np.bincount(self.label)[self.label]


def group(
    sigs: np.ndarray,
    *,
    threshold: float = THRESHOLD,
    valid: np.ndarray | None = None,
) -> Groups:
    """Near-duplicate groups of the signatures' texts. Candidates share a
    whole LSH band; a candidate pair is kept when its estimated Jaccard
    similarity reaches ``threshold``. Each text in a bucket is checked
    against the bucket's first text and the text before it, so a bucket of
    any size (a campaign of thousands) costs linear work. ``valid`` masks
    out texts that take part in nothing (e.g. empty ones)."""
    n, num_perm = sigs.shape
    n_bands, rows = bands(threshold, num_perm)
    indices = np.arange(n) if valid is None else np.flatnonzero(valid)
    candidates = []
    for band in range(n_bands):
        block = sigs[indices, band * rows : (band + 1) * rows]
        keys = _band_keys(block)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        same = keys[1:] == keys[:-1]
        if not same.any():
            continue
        starts = np.concatenate(([True], ~same))
        # The first text of the run of equal keys at each sorted position.
        first = order[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
        member = np.flatnonzero(~starts)
        right = indices[order[member]].astype(np.int64)
        for left in (first[member], order[member - 1]):
            left = indices[left].astype(np.int64)
            low, high = np.minimum(left, right), np.maximum(left, right)
            candidates.append(low * n + high)
    if candidates:
        pairs = np.unique(np.concatenate(candidates))
        pairs = pairs[pairs // n != pairs % n]
    else:
        pairs = np.empty(0, dtype=np.int64)
    kept = []
    for start in range(0, len(pairs), 200_000):
        part = pairs[start : start + 200_000]
        a, b = part // n, part % n
        kept.append(part[jaccard(sigs[a], sigs[b]) >= threshold])
    kept = np.concatenate(kept) if kept else np.empty(0, dtype=np.int64)
    a, b = kept // n, kept % n
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    # The representative is the group's lowest index (its earliest text
    # when texts come in order).
    first_of = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first_of, label, np.arange(n))
    return Groups(label=label, representative=first_of[label])


def distinct_accounts(groups: Groups, accounts: Sequence) -> np.ndarray:
    """Per text, the number of distinct accounts in its group; an input
    without an account (None) counts as one of its own."""
    seen: dict[int, set] = {}
    for index, (label, account) in enumerate(zip(groups.label, accounts, strict=True)):
        key = ("input", index) if account is None else account
        seen.setdefault(int(label), set()).add(key)
    counts = {label: len(keys) for label, keys in seen.items()}
    return np.array([counts[int(label)] for label in groups.label], dtype=np.int64)
