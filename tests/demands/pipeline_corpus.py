"""Loading a synthetic corpus (demands.analysis.synthetic) into the
database as resident inputs of every kind, fast (bulk_create)."""

import uuid
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from consultations.models import Comment
from demands.models import DemandSource, Suggestion
from hearings.models import LiveQuestion, Testimony
from surveys.models import Answer, Question, Response
from tests.factories import AreaFactory, ConsultationFactory, TopicFactory, city
from tests.hearings.factories import HearingFactory
from tests.surveys.factories import PageFactory, QuestionFactory, SurveyFactory


class Loaded:
    """What was stored for each corpus index: ``keys[i]`` is
    (kind, object id), the DemandSource's identity."""

    def __init__(self, corpus):
        self.corpus = corpus
        self.keys: list[tuple[str, int]] = []
        self.districts = {}

    def index_of_sources(self) -> dict[int, int]:
        """DemandSource id → corpus index."""
        position = {key: i for i, key in enumerate(self.keys)}
        return {
            source_id: position[(kind, object_id)]
            for source_id, kind, object_id in DemandSource.objects.values_list(
                "id", "kind", "object_id"
            )
            if (kind, object_id) in position
        }


def _users(corpus, offset=0) -> dict[int, User]:
    accounts = sorted(set(corpus.account))
    users = User.objects.bulk_create(
        [
            User(
                email=f"corpus-{offset}-{account}@example.com",
                display_name=f"居民{account}",
            )
            for account in accounts
        ]
    )
    return dict(zip(accounts, users, strict=True))


def load(corpus, *, start=None, loaded: Loaded | None = None, offset=0) -> Loaded:
    """Store each text as a comment, except every 7th as a suggestion,
    every 11th as testimony, every 13th as a live question and every 17th
    as an open survey answer; campaign texts are all comments. Inputs are
    a minute apart in corpus order."""
    loaded = loaded or Loaded(corpus)
    top = city()
    for name in sorted(set(corpus.district)):
        if name not in loaded.districts:
            loaded.districts[name] = AreaFactory(
                code=f"5001{len(loaded.districts):02d}", name_zh=name, parent=top
            )
    topic = TopicFactory()
    consultation = ConsultationFactory(open=True, topics=[topic])
    hearing = HearingFactory(consultation=consultation, live=True)
    survey = SurveyFactory(open=True, consultation=consultation)
    question = QuestionFactory(
        page=PageFactory(survey=survey), kind=Question.Kind.LONG_TEXT
    )
    users = _users(corpus, offset)
    start = start or timezone.now() - timedelta(days=10)
    comments, suggestions, testimonies, questions, answers = [], [], [], [], []
    order = []
    for i, body in enumerate(corpus.texts):
        author = users[corpus.account[i]]
        area = loaded.districts[corpus.district[i]]
        at = start + timedelta(minutes=i)
        if corpus.campaign[i] < 0 and i % 7 == 3:
            suggestions.append(
                Suggestion(
                    author=author,
                    title=body[:40],
                    body=body,
                    area=area,
                    topic=topic,
                    form_key=uuid.uuid4(),
                    created_at=at,
                )
            )
            order.append(("suggestion", len(suggestions) - 1))
        elif corpus.campaign[i] < 0 and i % 11 == 5:
            testimonies.append(
                Testimony(
                    hearing=hearing,
                    author=author,
                    author_area=area,
                    body=body,
                    status=LiveQuestion.Status.VISIBLE,
                    created_at=at,
                )
            )
            order.append(("testimony", len(testimonies) - 1))
        elif corpus.campaign[i] < 0 and i % 13 == 6:
            questions.append(
                LiveQuestion(
                    hearing=hearing,
                    author=author,
                    author_area=area,
                    body=body[:300],
                    status=LiveQuestion.Status.VISIBLE,
                    idempotency_key=uuid.uuid4(),
                    created_at=at,
                )
            )
            order.append(("question", len(questions) - 1))
        elif corpus.campaign[i] < 0 and i % 17 == 8:
            response = Response.objects.create(
                survey=survey, user=author, district=area, submitted_on=at.date()
            )
            answers.append(
                Answer(response=response, survey=survey, question=question, text=body)
            )
            order.append(("survey_answer", len(answers) - 1))
        else:
            comments.append(
                Comment(
                    consultation=consultation,
                    author=author,
                    author_area=area,
                    body=body,
                    status=Comment.Status.VISIBLE,
                    stance=Comment.Stance.SUGGESTION,
                    idempotency_key=uuid.uuid4(),
                    created_at=at,
                )
            )
            order.append(("comment", len(comments) - 1))
    stored = {
        "comment": Comment.objects.bulk_create(comments),
        "suggestion": Suggestion.objects.bulk_create(suggestions),
        "testimony": Testimony.objects.bulk_create(testimonies),
        "question": LiveQuestion.objects.bulk_create(questions),
        "survey_answer": Answer.objects.bulk_create(answers),
    }
    for kind, position in order:
        loaded.keys.append((kind, stored[kind][position].pk))
    return loaded
