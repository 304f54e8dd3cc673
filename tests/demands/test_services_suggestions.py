"""Suggestions: raise one (with screening, photo re-encoding, idempotency),
and "me too" — refused on one's own suggestion and twice, storing nothing."""

import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config import ratelimit
from demands import services
from demands.models import Suggestion, SuggestionSupport
from moderation.models import WordFilter
from tests.demands.factories import SuggestionFactory
from tests.factories import AreaFactory, TopicFactory, UserFactory, area_chain

pytestmark = pytest.mark.django_db


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x0132] = "2024:01:01 10:00:00"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def create(author, **kwargs):
    arguments = {
        "author": author,
        "title": "小区门口增设公交站",
        "body": "老人出行不便，希望增设公交站。",
        "topic": None,
        "area": None,
    }
    arguments.update(kwargs)
    return services.suggestion_create(**arguments)


def test_suggestion_defaults_to_the_authors_home_area():
    _city, _district, _street, community = area_chain()
    author = UserFactory(home_area=community)
    suggestion = create(author)
    assert suggestion.area == community
    assert suggestion.status == Suggestion.Status.VISIBLE
    assert (
        suggestion.search_vector is not None
        or Suggestion.objects.filter(
            pk=suggestion.pk, search_vector__isnull=False
        ).exists()
    )


def test_suggestion_takes_an_area_and_topic_by_id():
    area = AreaFactory(parent=area_chain()[1])
    topic = TopicFactory()
    suggestion = create(UserFactory(), area=area.pk, topic=str(topic.pk))
    assert suggestion.area == area
    assert suggestion.topic == topic


def test_suggestion_without_text_is_refused(english):
    with pytest.raises(ValidationError) as refused:
        create(UserFactory(), title="  ", body="\x00 ")
    assert refused.value.message_dict == {
        "title": ["Please give your suggestion a short title."],
        "body": ["Please describe your suggestion."],
    }
    assert not Suggestion.objects.exists()


def test_suggestion_with_an_area_that_does_not_exist_is_refused(english):
    with pytest.raises(ValidationError) as refused:
        create(UserFactory(), area=999999)
    assert refused.value.message_dict == {"area": ["This area does not exist."]}
    assert not Suggestion.objects.exists()


def test_unverified_resident_cannot_suggest(english):
    with pytest.raises(PermissionDenied, match="verify your email"):
        create(UserFactory(verified=False))
    assert not Suggestion.objects.exists()


def test_same_form_key_stores_one_suggestion():
    author = UserFactory()
    key = uuid.uuid4()
    first = create(author, form_key=key)
    second = create(author, form_key=key)
    assert first.pk == second.pk
    assert Suggestion.objects.count() == 1


def test_someone_elses_form_key_is_refused():
    key = uuid.uuid4()
    create(UserFactory(), form_key=key)
    with pytest.raises(ValidationError):
        create(UserFactory(), form_key=key)
    assert Suggestion.objects.count() == 1


def test_held_words_make_the_suggestion_pending():
    WordFilter.objects.create(pattern="拆迁", action=WordFilter.Action.HOLD)
    suggestion = create(UserFactory(), body="关于拆迁补偿的建议")
    assert suggestion.status == Suggestion.Status.PENDING
    assert suggestion.hidden_reason


def test_photo_is_re_encoded_without_metadata(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")
    suggestion = create(UserFactory(), photo=upload)
    assert suggestion.photo.name.startswith("suggestions/")
    assert "IMG_0001" not in suggestion.photo.name
    with Image.open(suggestion.photo.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert stored.size == (64, 48)


def test_a_file_that_is_not_an_image_is_refused(english):
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", "image/jpeg")
    with pytest.raises(ValidationError) as refused:
        create(UserFactory(), photo=upload)
    assert "not a photo" in refused.value.message_dict["photo"][0]
    assert not Suggestion.objects.exists()


def test_a_50_mb_photo_is_refused(english):
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (50 * 2**20))
    with pytest.raises(ValidationError) as refused:
        create(UserFactory(), photo=upload)
    assert refused.value.message_dict["photo"] == [
        "The photo is 50 MB; a photo can be at most 10 MB."
    ]
    assert not Suggestion.objects.exists()


def test_suggestions_are_rate_limited(settings):
    settings.RATE_LIMITS = "suggestion=2/3600"
    author = UserFactory()
    create(author)
    create(author)
    with pytest.raises(ratelimit.RateLimited):
        create(author)
    assert Suggestion.objects.count() == 2


def test_me_too_counts_once():
    suggestion = SuggestionFactory()
    supporter = UserFactory()
    services.suggestion_support(user=supporter, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.support_count == 1
    assert SuggestionSupport.objects.filter(user=supporter).count() == 1


def test_me_too_twice_is_refused_and_stores_nothing(english):
    suggestion = SuggestionFactory()
    supporter = UserFactory()
    services.suggestion_support(user=supporter, suggestion=suggestion)
    with pytest.raises(ValidationError, match="already added"):
        services.suggestion_support(user=supporter, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.support_count == 1
    assert SuggestionSupport.objects.count() == 1


def test_me_too_on_ones_own_suggestion_is_refused(english):
    suggestion = SuggestionFactory()
    with pytest.raises(ValidationError, match="your own suggestion"):
        services.suggestion_support(user=suggestion.author, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.support_count == 0
    assert not SuggestionSupport.objects.exists()


def test_me_too_on_a_pending_suggestion_is_refused():
    suggestion = SuggestionFactory(status=Suggestion.Status.PENDING)
    with pytest.raises(ValidationError):
        services.suggestion_support(user=UserFactory(), suggestion=suggestion)
    assert not SuggestionSupport.objects.exists()


def test_me_too_can_be_taken_back():
    suggestion = SuggestionFactory()
    supporter = UserFactory()
    services.suggestion_support(user=supporter, suggestion=suggestion)
    assert services.suggestion_support_withdraw(user=supporter, suggestion=suggestion)
    assert not services.suggestion_support_withdraw(
        user=supporter, suggestion=suggestion
    )
    suggestion.refresh_from_db()
    assert suggestion.support_count == 0
