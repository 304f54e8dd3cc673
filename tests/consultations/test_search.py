"""Search helpers: segmentation, safe queries and highlighting."""

import pytest

from consultations import search
from consultations.models import Consultation
from tests.factories import ConsultationFactory


def raw(query) -> str:
    """The tsquery text a SearchQuery sends to PostgreSQL."""
    return query.source_expressions[-1].value


def test_chinese_text_is_segmented_into_words():
    words = search.tokens("重庆市养老服务条例")

    assert "养老" in words
    assert "服务" in words
    assert "条例" in words


def test_full_width_text_is_normalised():
    assert search.tokens("ＢＵＳ ８７１") == search.tokens("bus 871")


def test_punctuation_is_not_a_token():
    assert search.tokens("，。！？…——") == []


def test_query_of_only_punctuation_is_none():
    assert search.query("！？") is None
    assert search.query("   ") is None


def test_query_words_are_capped():
    query = search.query(" ".join(f"word{i}" for i in range(50)))

    assert raw(query).count("&") == search.MAX_QUERY_TOKENS - 1


@pytest.mark.parametrize("text", ["it's", "a\\b", "x:*", "!(a|b)", "'--"])
def test_query_quotes_every_word(text):
    query = search.query(text)

    if query is not None:
        for lexeme in raw(query).split(" & "):
            assert lexeme.startswith("'")
            assert lexeme.endswith("'")


def test_highlight_marks_the_words_and_escapes_the_rest():
    html = search.highlight("<b>养老</b>服务很重要", "养老服务")

    assert "<mark>养老</mark>" in html
    assert "<mark>服务</mark>" in html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_highlight_is_case_insensitive_for_english():
    html = search.highlight("Bus Route 871", "route")

    assert "<mark>Route</mark>" in html


def test_highlight_cuts_long_text_around_the_first_match():
    text = "前" * 500 + "公交线路" + "后" * 500

    html = search.highlight(text, "公交", limit=60)

    assert "<mark>公交</mark>" in html
    assert html.startswith("…")
    assert html.endswith("…")
    assert len(html) < 120


def test_highlight_without_a_query_just_escapes():
    assert search.highlight("<i>x</i>", "") == "&lt;i&gt;x&lt;/i&gt;"


@pytest.mark.django_db
def test_document_vector_and_query_agree_on_chinese_words():
    vector = search.document_vector(("重庆市养老服务条例", "A"))
    query = search.query("养老")
    consultation = ConsultationFactory()
    Consultation.objects.filter(pk=consultation.pk).update(search_vector=vector)

    assert Consultation.objects.filter(search_vector=query).exists()
    assert not Consultation.objects.filter(search_vector=search.query("公交")).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["it's", "a\\b", "x:*", "!(a|b)", "'--", "<->", "a & | b", "\u3000养老\t"]
)
def test_odd_queries_run_without_a_database_error(text):
    query = search.query(text)

    if query is not None:
        assert list(Consultation.objects.filter(search_vector=query)) == []
