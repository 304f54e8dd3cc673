"""A resident with one record of every kind a resident can create, each
carrying a marker in its text, for the export and deletion tests."""

import uuid

from allauth.usersessions.models import UserSession
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from consultations.models import Comment
from demands.models import Demand, DemandSource, Suggestion, SuggestionSupport
from hearings.models import QuestionUpvote
from moderation import audit
from moderation.models import Appeal, Flag, Sanction
from notifications import services as notification_services
from notifications.models import Follow, Notification, Preference
from surveys.models import Question
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ReplyFactory,
    SupportFactory,
    UserFactory,
    area_chain,
)
from tests.hearings.factories import (
    HearingFactory,
    QuestionFactory,
    RegistrationFactory,
    TestimonyFactory,
)
from tests.surveys.factories import PageFactory, SurveyFactory, respond
from tests.surveys.factories import QuestionFactory as SurveyQuestion


def everything_of(user, marker: str, *, consultation=None) -> dict:
    """Records of every kind by ``user``; every text they wrote contains
    ``marker``."""
    _top, district, street, _community = area_chain()
    consultation = consultation or ConsultationFactory(open=True, areas=[district])
    comment = CommentFactory(
        consultation=consultation, author=user, body=f"意见 {marker} 公开"
    )
    hidden = CommentFactory(
        consultation=consultation,
        author=user,
        body=f"被隐藏 {marker}",
        status=Comment.Status.HIDDEN,
        hidden_reason="离题",
    )
    other_comment = CommentFactory(consultation=consultation)
    reply = ReplyFactory(parent=other_comment, author=user, body=f"回复 {marker}")
    support = SupportFactory(comment=other_comment, user=user)

    survey = SurveyFactory(open=True)
    question = SurveyQuestion(
        page=PageFactory(survey=survey), kind=Question.Kind.SHORT_TEXT
    )
    response = respond(
        survey, {question: {question.field_name: [f"问卷 {marker}"]}}, user=user
    )

    hearing = HearingFactory(consultation=consultation)
    registration = RegistrationFactory(
        hearing=hearing, user=user, topic=f"发言 {marker}", kind="speak"
    )
    testimony = TestimonyFactory(hearing=hearing, author=user, body=f"书面 {marker}")
    live = HearingFactory(live=True, consultation=consultation)
    question_asked = QuestionFactory(hearing=live, author=user, body=f"提问 {marker}")
    upvote = QuestionUpvote.objects.create(
        question=QuestionFactory(hearing=live), user=user
    )

    suggestion = Suggestion.objects.create(
        author=user,
        title=f"建议 {marker}",
        body=f"建议内容 {marker}",
        area=street,
        status=Suggestion.Status.VISIBLE,
        form_key=uuid.uuid4(),
    )
    others_suggestion = Suggestion.objects.create(
        author=UserFactory(),
        title="别人的建议",
        body="别人的建议内容",
        status=Suggestion.Status.VISIBLE,
        form_key=uuid.uuid4(),
    )
    me_too = SuggestionSupport.objects.create(suggestion=others_suggestion, user=user)
    demand = Demand.objects.create(title="社区食堂", area=district)
    source = DemandSource.objects.create(
        kind=DemandSource.Kind.COMMENT,
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=comment.pk,
        text=comment.body,
        author=user,
        consultation=consultation,
        demand=demand,
    )

    flag = Flag.objects.create(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=other_comment.pk,
        reporter=user,
        reason="spam",
        text=f"举报 {marker}",
    )
    action = audit.action_record(kind="hide", actor=None, target=hidden, reason="离题")
    appeal = Appeal.objects.create(action=action, appellant=user, text=f"申诉 {marker}")
    sanction = Sanction.objects.create(
        user=user, kind=Sanction.Kind.WARN, reason="警告", starts_at=timezone.now()
    )
    follow = Follow.objects.create(user=user, area=district)
    preference = Preference.objects.create(
        user=user, kind=Notification.Kind.CLOSED, channel=Preference.Channel.WEEKLY
    )
    notification_services.notify(
        users=[user],
        kind=Notification.Kind.REPLY,
        key=f"reply:{marker}",
        url="/",
        consultation=consultation,
    )
    notification_services.email_queue(
        message=EmailMessage(subject=f"邮件 {marker}", body="内容", to=[user.email])
    )
    session = UserSession.objects.create(
        user=user,
        ip="198.51.100.23",
        session_key=uuid.uuid4().hex,
        user_agent=f"Browser {marker}",
    )
    mail.outbox.clear()
    return {
        "consultations.Comment": [comment, hidden, reply],
        "consultations.Support": [support],
        "surveys.Response": [response],
        "hearings.Registration": [registration],
        "hearings.Testimony": [testimony],
        "hearings.LiveQuestion": [question_asked],
        "hearings.QuestionUpvote": [upvote],
        "demands.Suggestion": [suggestion],
        "demands.SuggestionSupport": [me_too],
        "demands.DemandSource": [source],
        "moderation.Flag": [flag],
        "moderation.Appeal": [appeal],
        "moderation.Sanction": [sanction],
        "notifications.Follow": [follow],
        "notifications.Preference": [preference],
        "usersessions.UserSession": [session],
    }
