"""Text into terms: normalisation, segmentation, stop words and the
public-service term dictionary.

One form for every variant of a text (``normalise``), then the terms the
clustering and the explanations work with (``terms``): Chinese segmented by
jieba with a user dictionary of Chongqing places and public-service terms,
English split into words, stop words of both languages dropped, and every
variant in ``demands/data/terms.tsv`` replaced by its canonical term, so
"bus", "buses" and "公交车" are one term.
"""

import re
import unicodedata
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba
import opencc
from opencc import OpenCC

jieba.setLogLevel(60)  # jieba prints its dictionary loading otherwise.

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Runs of CJK ideographs, and words of Latin letters and digits.
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9][a-z0-9'\-]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")
# Near-duplicate detection reads a text as a string of tokens: each
# ideograph is one, and each run of other letters or digits (an English
# word, a number) becomes one character of a private-use plane, so that
# shingles of three tokens are three characters in any language.
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_RUN = re.compile(rf"[^\W_{_CJK_CLASS}]+")
_NOT_TOKEN = re.compile(r"[^\w\U000F0000-\U000FFFFD]+|_")
_WORD_PLANE = 0xF0000


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters OpenCC's t2s changes; a text without any of them is
    already simplified and skips the (slow) phrase conversion."""
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        source, targets = line.split("\t", 1)
        if source not in targets.split():
            chars.add(source)
    return frozenset(chars)


def normalise(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation → half-width),
    traditional → simplified Chinese (OpenCC t2s), lower case, whitespace
    collapsed. The same text in any of these variants comes out the same."""
    text = unicodedata.normalize("NFKC", text or "")
    traditional = _traditional_chars()
    if not traditional.isdisjoint(text):
        text = _t2s().convert(text)
    return " ".join(text.lower().split())


def _word_token(match: re.Match) -> str:
    return chr(_WORD_PLANE + (zlib.crc32(match.group().encode()) & 0xFFFF))


def shingle_text(normalised: str) -> str:
    """The token string near-duplicate detection compares: ideographs as
    they are, every other word or number as one private-use character, no
    spaces or punctuation."""
    return _NOT_TOKEN.sub("", _WORD_RUN.sub(_word_token, normalised))


def _read_words(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip() for line in lines if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Chinese and English stop words (demands/data/stopwords_*.txt)."""
    return _read_words("stopwords_zh.txt") | _read_words("stopwords_en.txt")


@lru_cache(maxsize=1)
def term_map() -> dict[str, str]:
    """Variant → canonical term, from demands/data/terms.tsv. Multi-word
    English variants are keys with single spaces."""
    mapping = {}
    for line in (DATA_DIR / "terms.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, variants = line.split("\t", 1)
        canonical = normalise(canonical)
        for variant in variants.split("|"):
            if variant.strip():
                mapping[normalise(variant)] = canonical
    return mapping


@lru_cache(maxsize=1)
def _phrase_lengths() -> tuple[int, ...]:
    """Word counts of the multi-word English variants, longest first."""
    lengths = {len(key.split()) for key in term_map() if " " in key}
    return tuple(sorted(lengths, reverse=True))


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer of its own (the search module uses jieba's default
    one) with the user dictionary and every Chinese term of terms.tsv."""
    segmenter = jieba.Tokenizer()
    segmenter.load_userdict(str(DATA_DIR / "userdict.txt"))
    for variant, canonical in term_map().items():
        for word in (variant, canonical):
            if _CJK.search(word) and " " not in word:
                segmenter.add_word(word, freq=3000)
    return segmenter


def _stem(word: str) -> str:
    """A light English plural stemmer (buses → bus, queries → query)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _english_terms(words: list[str], mapping: dict[str, str], stop) -> list[str]:
    out = []
    i = 0
    while i < len(words):
        for size in _phrase_lengths():
            phrase = " ".join(words[i : i + size])
            if size > 1 and i + size <= len(words) and phrase in mapping:
                out.append(mapping[phrase])
                i += size
                break
        else:
            word = words[i]
            i += 1
            if word in mapping:
                out.append(mapping[word])
            elif word not in stop and _LATIN_WORD.fullmatch(word):
                stemmed = _stem(word)
                if stemmed not in stop:
                    out.append(mapping.get(stemmed, stemmed))
    return out


def terms(text: str, *, normalised: bool = False) -> list[str]:
    """The terms of ``text`` in order: Chinese words of two or more
    characters (or a dictionary term), English words of two or more
    letters, each in its canonical form; no stop words, numbers or
    punctuation."""
    if not normalised:
        text = normalise(text)
    mapping = term_map()
    stop = stop_words()
    segmenter = tokenizer()
    out: list[str] = []
    english: list[str] = []
    for match in _RUN.finditer(text):
        run = match.group()
        if not _CJK.match(run):
            english.append(run)
            continue
        if english:
            out.extend(_english_terms(english, mapping, stop))
            english = []
        for word in segmenter.lcut(run, HMM=False):
            if word in mapping:
                out.append(mapping[word])
            elif word not in stop and len(word) > 1:
                out.append(word)
    if english:
        out.extend(_english_terms(english, mapping, stop))
    return out


def shared_terms(a: str | Iterable[str], b: str | Iterable[str]) -> list[str]:
    """The terms two inputs have in common, in ``a``'s order: why the
    analysis put them together. Each side is a space-separated term string
    (``DemandSource.tokens``) or a list of terms."""
    terms_a = a.split() if isinstance(a, str) else list(a)
    terms_b = set(b.split() if isinstance(b, str) else b)
    return list(dict.fromkeys(t for t in terms_a if t in terms_b))


def explain(text_a: str, text_b: str) -> list[str]:
    """``shared_terms`` of two raw texts."""
    return shared_terms(terms(text_a), terms(text_b))
