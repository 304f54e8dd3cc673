"""The outcome (you said, we did): written by the department, published
after closing, announced to every participant."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultations.models import Comment, Consultation, Outcome, OutcomeItem
from consultations.services import outcomes
from notifications.models import Broadcast, Notification
from tests.factories import (
    CommentFactory,
    OutcomeFactory,
    OutcomeItemFactory,
    SectionFactory,
    SupportFactory,
    UserFactory,
    consultation_in,
    official,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def owner_of(consultation):
    return official(consultation.department, mfa=False)


def add_item(consultation, user, **kwargs):
    fields = {
        "theme": "服务时间",
        "what_was_said": "许多居民希望延长社区食堂的营业时间。",
        "decision": OutcomeItem.Decision.ADOPTED,
        "reason": "修改稿第三条已延长至晚上八点。",
        **kwargs,
    }
    return outcomes.outcome_item_save(user=user, consultation=consultation, **fields)


def ready_to_publish(consultation):
    user = owner_of(consultation)
    outcomes.outcome_save_summary(
        user=user, consultation=consultation, summary="共收到意见120条，采纳35条。"
    )
    add_item(consultation, user)
    return user


def test_department_drafts_the_outcome_while_still_open():
    consultation = consultation_in("open")
    user = owner_of(consultation)

    outcome = outcomes.outcome_save_summary(
        user=user, consultation=consultation, summary="  初步汇总  "
    )
    item = add_item(consultation, user)

    assert outcome.summary == "初步汇总"
    assert outcome.published_at is None
    assert list(outcome.items.all()) == [item]


def test_outcome_cannot_be_published_before_closing():
    consultation = consultation_in("open")
    user = ready_to_publish(consultation)

    with pytest.raises(PermissionDenied, match="after the consultation closes"):
        outcomes.outcome_publish(user=user, consultation=consultation)

    assert Outcome.objects.get().published_at is None
    assert not Broadcast.objects.exists()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_outcome_cannot_be_written_before_opening(state):
    consultation = consultation_in(state)

    with pytest.raises(PermissionDenied):
        outcomes.outcome_save_summary(
            user=owner_of(consultation), consultation=consultation, summary="太早"
        )


def test_outcome_is_written_only_by_the_owning_department():
    consultation = consultation_in("closed")

    with pytest.raises(PermissionDenied):
        outcomes.outcome_save_summary(
            user=official(mfa=False), consultation=consultation, summary="越权"
        )
    with pytest.raises(PermissionDenied):
        add_item(consultation, UserFactory())

    assert not Outcome.objects.exists()


def test_publishing_needs_a_summary_and_an_item():
    consultation = consultation_in("closed")

    with pytest.raises(ValidationError) as error:
        outcomes.outcome_publish(user=owner_of(consultation), consultation=consultation)

    text = " ".join(error.value.messages)
    assert "summary" in text
    assert "at least one item" in text
    assert not Outcome.objects.filter(published_at__isnull=False).exists()


def test_publishing_needs_an_item_even_with_a_summary():
    consultation = consultation_in("closed")
    user = owner_of(consultation)
    outcomes.outcome_save_summary(user=user, consultation=consultation, summary="汇总")

    with pytest.raises(ValidationError, match="at least one item"):
        outcomes.outcome_publish(user=user, consultation=consultation)


def test_empty_summary_is_refused():
    consultation = consultation_in("closed")

    with pytest.raises(ValidationError) as error:
        outcomes.outcome_save_summary(
            user=owner_of(consultation), consultation=consultation, summary="   "
        )

    assert "summary" in error.value.message_dict


def test_item_needs_a_theme_and_a_known_decision():
    consultation = consultation_in("closed")
    user = owner_of(consultation)

    with pytest.raises(ValidationError) as error:
        add_item(consultation, user, theme=" ", decision="maybe")

    assert {"theme", "decision"} <= set(error.value.message_dict)
    assert not OutcomeItem.objects.exists()


def test_item_links_the_comments_it_answers():
    consultation = consultation_in("closed")
    user = owner_of(consultation)
    answered = [CommentFactory(consultation=consultation) for _ in range(2)]
    other = CommentFactory(consultation=consultation)

    item = add_item(consultation, user, comments=answered)

    assert set(item.answered_comments.all()) == set(answered)
    assert Comment.objects.get(pk=other.pk).outcome_item is None


def test_saving_an_item_again_unlinks_comments_left_out():
    consultation = consultation_in("closed")
    user = owner_of(consultation)
    first, second = (CommentFactory(consultation=consultation) for _ in range(2))
    item = add_item(consultation, user, comments=[first, second])

    add_item(consultation, user, item=item, comments=[second])

    assert list(item.answered_comments.all()) == [second]


def test_item_refuses_a_comment_of_another_consultation():
    consultation = consultation_in("closed")
    forged = CommentFactory(consultation=consultation_in("closed"))

    with pytest.raises(ValidationError) as error:
        add_item(consultation, owner_of(consultation), comments=[forged])

    assert "another consultation" in error.value.message_dict["comments"][0]
    assert not OutcomeItem.objects.exists()
    assert Comment.objects.get(pk=forged.pk).outcome_item is None


def test_item_refuses_a_section_of_another_consultation():
    consultation = consultation_in("closed")
    foreign = SectionFactory(consultation=consultation_in("closed"))

    with pytest.raises(ValidationError) as error:
        add_item(consultation, owner_of(consultation), section=foreign)

    assert "section" in error.value.message_dict


def test_item_of_another_outcome_cannot_be_changed_through_this_one():
    consultation = consultation_in("closed")
    user = owner_of(consultation)
    outcomes.outcome_save_summary(user=user, consultation=consultation, summary="汇总")
    foreign_item = OutcomeItemFactory(
        outcome=OutcomeFactory(consultation=consultation_in("closed"))
    )

    with pytest.raises(ValidationError, match="another outcome"):
        add_item(consultation, user, item=foreign_item, theme="篡改")

    assert OutcomeItem.objects.get(pk=foreign_item.pk).theme == foreign_item.theme


def test_publishing_makes_the_consultation_responded_and_starts_one_broadcast():
    consultation = consultation_in("closed")
    user = ready_to_publish(consultation)

    outcome = outcomes.outcome_publish(user=user, consultation=consultation)

    assert outcome.published_at is not None
    assert outcome.published_by == user
    status = Consultation.objects.get(pk=consultation.pk).status
    assert status == Consultation.Status.RESPONDED
    broadcast = Broadcast.objects.get()
    assert broadcast.kind == Notification.Kind.OUTCOME
    assert broadcast.audience == Broadcast.Audience.PARTICIPANTS
    assert broadcast.consultation_id == consultation.pk
    assert broadcast.url.endswith("#outcome")


def test_publishing_notifies_commenters_and_supporters_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    consultation = consultation_in("closed")
    comment = CommentFactory(consultation=consultation)
    CommentFactory(consultation=consultation, author=comment.author)
    supporter = SupportFactory(comment=comment).user
    bystander = UserFactory()
    user = ready_to_publish(consultation)

    with django_capture_on_commit_callbacks(execute=True):
        outcomes.outcome_publish(user=user, consultation=consultation)

    notified = set(
        Notification.objects.filter(kind="outcome").values_list("user", flat=True)
    )
    assert notified == {comment.author.pk, supporter.pk}
    assert bystander.pk not in notified
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [comment.author.email, supporter.email]
    )


def test_published_outcome_cannot_be_published_or_changed_again():
    consultation = consultation_in("closed")
    user = ready_to_publish(consultation)
    outcomes.outcome_publish(user=user, consultation=consultation)
    consultation = Consultation.objects.get(pk=consultation.pk)

    with pytest.raises(PermissionDenied):
        outcomes.outcome_publish(user=user, consultation=consultation)
    with pytest.raises(PermissionDenied):
        add_item(consultation, user, theme="事后补充")

    assert Broadcast.objects.count() == 1
    assert OutcomeItem.objects.count() == 1


def test_outcome_is_published_only_by_the_owning_department():
    consultation = consultation_in("closed")
    ready_to_publish(consultation)

    with pytest.raises(PermissionDenied):
        outcomes.outcome_publish(user=official(mfa=False), consultation=consultation)

    assert Outcome.objects.get().published_at is None


def test_item_can_be_deleted_before_publishing():
    consultation = consultation_in("closed")
    user = owner_of(consultation)
    answered = CommentFactory(consultation=consultation)
    item = add_item(consultation, user, comments=[answered])

    outcomes.outcome_item_delete(user=user, item=item)

    assert not OutcomeItem.objects.exists()
    assert Comment.objects.get(pk=answered.pk).outcome_item is None
