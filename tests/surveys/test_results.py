import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys import selectors
from surveys.models import SurveyExport
from surveys.results import aggregate, open_answers
from surveys.services import builder
from tests.factories import AreaFactory, area_chain, official
from tests.surveys.factories import every_kind_survey, resident, respond

pytestmark = pytest.mark.django_db


def _three_responses():
    """Two "yes" (Yuzhong, ratings 9 and 7), one "no" (another district,
    rating 4)."""
    _city, yuzhong, street, community = area_chain()
    other = AreaFactory(
        code="500106", name_zh="沙坪坝区", name_en="Shapingba", parent=_city
    )
    built = every_kind_survey()
    q = built["q"]
    no = q["single"].choices.get(text_zh="否")
    other_choice = q["multiple"].choices.get(text_zh="其他")
    ranking = list(q["ranking"].choices.all())
    matrix_rows = list(q["matrix"].choices.filter(is_row=True))
    matrix_cols = list(q["matrix"].choices.filter(is_row=False))
    area = q["area"].field_name
    respond(
        built["survey"],
        {
            q["single"]: {q["single"].field_name: [str(built["yes"].pk)]},
            q["multiple"]: {
                q["multiple"].field_name: [str(other_choice.pk)],
                f"{q['multiple'].field_name}_other": ["上门理发"],
            },
            q["area"]: {f"{area}_district": [str(yuzhong.pk)]},
            q["rating"]: {q["rating"].field_name: ["9"]},
            q["number"]: {q["number"].field_name: ["70"]},
            q["ranking"]: {
                f"{q['ranking'].field_name}_c{c.pk}": [str(i)]
                for i, c in enumerate(ranking, start=1)
            },
            q["matrix"]: {
                f"{q['matrix'].field_name}_r{r.pk}": [str(matrix_cols[0].pk)]
                for r in matrix_rows
            },
            q["long_text"]: {q["long_text"].field_name: ["希望增加社区食堂"]},
        },
        user=resident(),
    )
    respond(
        built["survey"],
        {
            q["single"]: {q["single"].field_name: [str(built["yes"].pk)]},
            q["area"]: {f"{area}_district": [str(yuzhong.pk)]},
            q["rating"]: {q["rating"].field_name: ["7"]},
            q["number"]: {q["number"].field_name: ["80"]},
            q["ranking"]: {
                f"{q['ranking'].field_name}_c{c.pk}": [str(4 - i)]
                for i, c in enumerate(ranking, start=1)
            },
        },
        user=resident(),
    )
    respond(
        built["survey"],
        {
            q["single"]: {q["single"].field_name: [str(no.pk)]},
            q["area"]: {f"{area}_district": [str(other.pk)]},
            q["rating"]: {q["rating"].field_name: ["4"]},
            q["long_text"]: {q["long_text"].field_name: ["hidden page, discarded"]},
        },
        user=resident(),
    )
    return built, yuzhong, other


def _result(results, question):
    return next(r for r in results["questions"] if r.question.pk == question.pk)


def test_counts_percentages_mean_and_median():
    built, _yuzhong, _other = _three_responses()
    survey, q = built["survey"], built["q"]
    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey)
    )
    assert results["responses"] == 3
    single = _result(results, q["single"])
    assert [(b.count, b.percent) for b in single.bars] == [(2, 66.7), (1, 33.3)]
    rating = _result(results, q["rating"])
    assert rating.mean == Decimal("6.67")
    assert rating.median == Decimal("7.00")
    assert sum(b.count for b in rating.bars) == 3
    number = _result(results, q["number"])
    assert number.median == Decimal("75.00")
    assert sum(b.count for b in number.bars) == 2


def test_hidden_questions_count_only_those_who_saw_them():
    built, _yuzhong, _other = _three_responses()
    survey, q = built["survey"], built["q"]
    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey)
    )
    long_text = _result(results, q["long_text"])
    assert (long_text.seen, long_text.answered) == (2, 1)


def test_ranking_average_rank_and_borda():
    built, _yuzhong, _other = _three_responses()
    survey, q = built["survey"], built["q"]
    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey)
    )
    ranking = _result(results, q["ranking"]).ranking
    by_label = {r["label"]: r for r in ranking}
    # 食堂 ranked 1 then 3; 医疗 2 and 2; 文娱 3 then 1 (three options).
    assert by_label["食堂"]["average_rank"] == 2.0
    assert by_label["医疗"]["borda"] == 2
    assert sum(r["borda"] for r in ranking) == 2 * 3


def test_matrix_table_counts_each_row():
    built, _yuzhong, _other = _three_responses()
    survey, q = built["survey"], built["q"]
    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey)
    )
    matrix = _result(results, q["matrix"]).matrix
    assert [row["total"] for row in matrix["rows"]] == [1, 1]
    assert matrix["rows"][0]["cells"][0] == (1, 100.0)


def test_district_filter_narrows_every_count():
    built, yuzhong, _other = _three_responses()
    survey, q = built["survey"], built["q"]
    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey), district=yuzhong.pk
    )
    assert results["responses"] == 2
    assert [b.count for b in _result(results, q["single"]).bars] == [2, 0]


def test_open_answers_are_searchable_and_carry_district_and_day():
    built, yuzhong, _other = _three_responses()
    answers = open_answers.open_answers(question=built["q"]["long_text"], q="食堂")
    assert [a.text for a in answers] == ["希望增加社区食堂"]
    inputs = list(open_answers.demand_inputs())
    assert {a.text for a in inputs} == {"希望增加社区食堂", "上门理发"}
    assert all(a.response.district_id == yuzhong.pk for a in inputs)


def test_official_results_page_filters_by_district(
    client, django_assert_max_num_queries
):
    built, yuzhong, _other = _three_responses()
    survey = built["survey"]
    user = official(survey.department)
    client.force_login(user)
    url = reverse("surveys_console:results", args=[survey.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url, {"district": yuzhong.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert "渝中区" in content


def test_crosstab_by_another_question(client):
    built, _yuzhong, _other = _three_responses()
    survey = built["survey"]
    client.force_login(official(survey.department))
    url = reverse("surveys_console:results", args=[survey.pk])
    response = client.get(url, {"by": built["q"]["single"].pk})
    assert response.status_code == 200
    tables = response.context["crosstabs"]
    multiple = next(t for t in tables if t["question"].pk == built["q"]["multiple"].pk)
    assert multiple["totals"] == [1, 0]


def test_public_results_only_once_published(client, django_assert_max_num_queries):
    built, _yuzhong, _other = _three_responses()
    survey = built["survey"]
    url = reverse("surveys:results", args=[survey.pk])
    assert client.get(url).status_code == 404
    builder.results_publish(user=official(survey.department), survey=survey)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    answers_url = reverse(
        "surveys:open_answers", args=[survey.pk, built["q"]["long_text"].pk]
    )
    with django_assert_max_num_queries(10):
        response = client.get(answers_url, {"q": "食堂"})
    assert "希望增加社区食堂" in response.content.decode()


def _export(client, survey, format, capture):
    client.force_login(official(survey.department))
    with capture(execute=True):
        response = client.post(
            reverse("surveys_console:export_request", args=[survey.pk]),
            {"format": format},
        )
    assert response.status_code == 302
    job = SurveyExport.objects.get(format=format)
    assert job.state == SurveyExport.State.DONE
    status = client.get(
        reverse("surveys_console:export_status", args=[survey.pk, job.pk])
    )
    assert status.json()["percent"] == 100
    download = client.get(
        reverse("surveys_console:export_download", args=[survey.pk, job.pk])
    )
    return b"".join(download.streaming_content)


def test_csv_export_marks_hidden_questions_and_keeps_other_text(
    client, django_capture_on_commit_callbacks
):
    built, _yuzhong, _other = _three_responses()
    content = _export(
        client, built["survey"], "csv", django_capture_on_commit_callbacks
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, labels, data = rows[0], rows[1], rows[2:]
    assert len(data) == 3
    other_col = header.index("Q2_other")
    assert header[other_col - 1] == "Q2_3"
    assert sorted(r[other_col] for r in data) == ["", "", "上门理发"]
    long_col = header.index("Q10")
    assert sorted(r[long_col] for r in data) == ["", "(not shown)", "希望增加社区食堂"]
    rating_col = header.index("Q5")
    assert sorted(int(r[rating_col]) for r in data) == [4, 7, 9]
    assert labels[rating_col] == built["q"]["rating"].text_zh


def test_xlsx_export_opens_with_a_codebook(client, django_capture_on_commit_callbacks):
    built, _yuzhong, _other = _three_responses()
    content = _export(
        client, built["survey"], "xlsx", django_capture_on_commit_callbacks
    )
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    responses, codebook = workbook.worksheets
    rows = list(responses.iter_rows(values_only=True))
    header = list(rows[0])
    single = header.index("Q1")
    assert sorted(r[single] for r in rows[1:]) == ["否", "是", "是"]
    codes = [row[0] for row in codebook.iter_rows(values_only=True)]
    assert "Q2_other" in codes


def test_export_is_refused_to_other_officials(client):
    built, _yuzhong, _other = _three_responses()
    client.force_login(official())
    response = client.post(
        reverse("surveys_console:export_request", args=[built["survey"].pk]),
        {"format": "csv"},
    )
    assert response.status_code == 403
    assert not SurveyExport.objects.exists()
