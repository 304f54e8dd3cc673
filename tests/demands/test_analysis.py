"""The text-analysis library (no database): normalisation, terms,
signatures equal to datasketch's, and the acceptance figures on a fixed
synthetic corpus with planted near-duplicates, a campaign and themes."""

import numpy as np
import pytest
from datasketch import MinHash
from sklearn.metrics import adjusted_rand_score

from demands.analysis import analyse, clusters, duplicates, synthetic, text


def test_variants_of_a_text_normalise_to_one_form():
    forms = [
        "渝中區解放碑的公交車太擠了！",
        "渝中区解放碑的公交车太挤了!",
        "渝中区解放碑的公交车太挤了！",
    ]

    assert len({text.normalise(f) for f in forms}) == 1
    assert text.normalise("ＢＵＳ  Route\t５") == "bus route 5"


def test_chinese_is_segmented_with_place_and_service_terms():
    terms = text.terms(
        "我是渝中区解放碑的居民，老旧小区加装电梯太难了，希望有关部门重视。"
    )

    assert terms[:2] == ["渝中区", "解放碑"]
    assert "老旧小区" in terms and "电梯" in terms and "加装" in terms
    assert not {"我", "的", "希望", "有关部门", "居民"} & set(terms)


def test_english_words_and_phrases_map_to_the_same_terms_as_chinese():
    english = text.terms(
        "The buses are overcrowded at rush hour; please install elevators."
    )
    chinese = text.terms("公交车太挤，早高峰尤其拥挤，请加装电梯")

    assert set(english) == {"公交", "拥挤", "高峰", "加装", "电梯"}
    assert set(english) <= set(chinese)
    assert "the" not in english and "please" not in english


def test_shared_terms_explain_why_two_inputs_are_grouped():
    a = " ".join(text.terms("解放碑的公交车太挤了，请增加班次"))
    b = " ".join(text.terms("The buses near Jiefangbei are crowded; add bus frequency"))

    assert text.shared_terms(a, b) == ["公交", "拥挤", "班次"]
    assert text.shared_terms(a, "") == []
    assert text.explain("停车位不够", "路灯坏了") == []


def test_bulk_signatures_equal_datasketch_minhash():
    texts = [
        text.shingle_text(text.normalise(t))
        for t in ["老旧小区加装电梯", "Street lights are broken", "好", ""]
    ]

    signatures = duplicates.signatures(texts)

    for row, shingle_text in zip(signatures, texts, strict=True):
        reference = MinHash(
            num_perm=duplicates.NUM_PERM, hashfunc=duplicates.shingle_hash
        )
        reference.update_batch(duplicates.shingles(shingle_text))
        assert (reference.hashvalues == row).all()
    stored = duplicates.to_bytes(signatures[0])
    assert (duplicates.from_bytes(stored) == signatures[0]).all()
    assert duplicates.from_bytes(stored[:-4]) is None


def test_lsh_bands_are_datasketchs_for_the_threshold():
    bands, rows = duplicates.bands(0.7, 128)

    assert bands * rows <= 128
    assert (bands, rows) == (14, 9)


def test_campaign_members_are_one_group_however_large():
    base = "反对在我们小区旁边建设垃圾中转站，请重新选址，大家一起来联名"
    texts = [base + ("！" * (i % 3)) + ("王先生" if i % 2 else "") for i in range(3000)]
    texts.append("完全无关的一条意见：路灯坏了很久没人修")

    groups = duplicates.group(
        duplicates.signatures([text.shingle_text(text.normalise(t)) for t in texts])
    )

    assert len(set(groups.label[:3000])) == 1
    assert groups.sizes()[0] == 3000
    assert groups.label[-1] != groups.label[0]
    accounts = [i % 2500 for i in range(3000)] + [None]
    assert duplicates.distinct_accounts(groups, accounts)[0] == 2500


def test_majority_is_weighted_and_ignores_missing_values():
    assert clusters.majority(["a", "b", None, "b"]) == "b"
    assert clusters.majority(["a", "b"], weights=[5, 1]) == "a"
    assert clusters.majority([None]) is None


@pytest.fixture(scope="module")
def corpus():
    return synthetic.generate(originals=1200, seed=7)


@pytest.fixture(scope="module")
def analysis(corpus):
    return analyse(corpus.texts, accounts=corpus.account)


def test_corpus_is_fixed_and_bilingual(corpus):
    again = synthetic.generate(originals=1200, seed=7)

    assert again.texts == corpus.texts
    assert set(corpus.language) == {"zh", "en"}
    assert sum(1 for i, o in enumerate(corpus.origin) if i != o) > 900


def test_planted_near_duplicates_are_found(corpus, analysis):
    origin = np.array(corpus.origin)
    representative = analysis.groups.representative
    planted = np.flatnonzero(origin != np.arange(len(corpus)))
    predicted = np.flatnonzero(analysis.groups.is_duplicate)

    recall = np.mean(representative[planted] == representative[origin[planted]])
    precision = np.mean(origin[predicted] == origin[representative[predicted]])

    assert recall >= 0.95
    assert precision >= 0.95


def test_planted_campaign_is_one_input_with_its_count(corpus, analysis):
    members = np.flatnonzero(np.array(corpus.campaign) == 0)
    leaders = set(analysis.groups.representative[members])

    assert len(members) == 500
    assert len(leaders) == 1
    leader = leaders.pop()
    assert analysis.size[leader] == 500
    assert analysis.accounts[leader] == 500
    assert analysis.is_campaign[leader]
    assert not analysis.is_campaign[analysis.size < 20].any()


def test_planted_themes_are_recovered(corpus, analysis):
    theme = np.array(corpus.theme)
    reps = analysis.representatives

    # Each distinct input once: a campaign is one input, not 500.
    assert adjusted_rand_score(theme[reps], analysis.themes.labels) >= 0.6


def test_each_theme_is_labelled_by_keywords_and_a_central_input(analysis):
    themes = analysis.themes

    for cluster in range(themes.count):
        assert 1 <= len(themes.keywords[cluster]) <= clusters.KEYWORDS
        assert themes.labels[themes.central[cluster]] == cluster
    keywords = {word for words in themes.keywords for word in words}
    assert {"公交", "电梯", "路灯", "停车位"} <= keywords


def test_new_clusters_match_existing_demands_of_the_same_theme():
    first = synthetic.generate(originals=480, campaigns=(), duplicate_share=0, seed=1)
    later = synthetic.generate(originals=120, campaigns=(), duplicate_share=0, seed=2)
    docs = [" ".join(text.terms(t)) for t in first.texts]
    found, model, vectors = clusters.themes(docs)
    theme_of_cluster = [
        np.bincount(np.array(first.theme)[found.members(c)]).argmax()
        for c in range(found.count)
    ]
    new_vectors = model.transform([" ".join(text.terms(t)) for t in later.texts])

    matches = clusters.best_match(
        new_vectors, found.centroids, threshold=clusters.ASSIGN_SIMILARITY
    )

    right = [
        m is not None and theme_of_cluster[m] == t
        for m, t in zip(matches, later.theme, strict=True)
    ]
    assert np.mean(right) >= 0.85
