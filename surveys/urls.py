from django.urls import path

from surveys.views import answer, public, results

app_name = "surveys"
urlpatterns = [
    path("", public.survey_list, name="list"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/answer/", answer.answer, name="answer"),
    path("<int:pk>/receipt/", answer.receipt, name="receipt"),
    path("<int:pk>/results/", results.public_results, name="results"),
    path(
        "<int:pk>/results/print/",
        results.public_results_print,
        name="results_print",
    ),
    path(
        "<int:pk>/results/questions/<int:question_pk>/",
        results.public_open_answers,
        name="open_answers",
    ),
]
