"""The pure text checks: no database."""

import pytest
from django.core.exceptions import ValidationError

from moderation import textscan
from moderation.textscan import Rule

# A valid resident ID number (checksum X) and the same with a wrong check.
VALID_ID = "11010519491231002X"
WRONG_ID = "110105194912310021"


def test_normalise_folds_full_width_to_half_width():
    assert textscan.normalise("ＡＢＣ１２３") == "abc123"


def test_normalise_turns_traditional_into_simplified():
    assert textscan.normalise("個人資訊與廣告") == "个人资讯与广告"


@pytest.mark.parametrize(
    "text",
    [
        "电话13812345678",
        "call 138 1234 5678",
        "+86 139-1234-5678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_numbers_are_found_in_every_writing(text):
    assert textscan.personal_info(text) == ["phone"]


@pytest.mark.parametrize(
    "text", ["12812345678", "订单号 213812345678901", "1381234567"]
)
def test_other_digit_runs_are_not_mobile_numbers(text):
    assert "phone" not in textscan.personal_info(text)


def test_id_card_checksum_is_verified():
    assert textscan.id_card_valid(VALID_ID)
    assert textscan.id_card_valid(VALID_ID.lower())
    assert not textscan.id_card_valid(WRONG_ID)


def test_id_card_with_a_valid_checksum_is_personal_information():
    assert textscan.personal_info(f"我的身份证{VALID_ID}。") == ["id_card"]


def test_id_card_with_a_wrong_checksum_is_not_flagged():
    assert textscan.personal_info(f"编号{WRONG_ID}") == []


def test_full_width_id_card_is_found():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in VALID_ID)
    assert textscan.personal_info(full_width) == ["id_card"]


def test_email_addresses_are_found():
    assert textscan.personal_info("写信给 zhang.san+x@example.com.cn") == ["email"]
    assert textscan.personal_info("不是邮件 @ 这里") == []


def test_links_are_found():
    assert textscan.has_link("看 https://spam.example/x")
    assert textscan.has_link("访问 www.example.org")
    assert textscan.has_link("加 buy-now.com 便宜")
    assert not textscan.has_link("第3.5条写得好")


BLOCK_FOOL = Rule("傻瓜", False, "block")


@pytest.mark.parametrize("text", ["你这个傻瓜", "你這個傻瓜", "你这个 傻瓜!"])
def test_blocked_word_matches_in_simplified_and_traditional(text):
    assert textscan.match_words(text, [BLOCK_FOOL]) == ("block", "傻瓜")


def test_traditional_pattern_matches_simplified_text():
    rules = [Rule("廣告", False, "hold")]
    assert textscan.match_words("这是广告", rules) == ("hold", "广告")


def test_english_word_matches_across_full_width_and_case():
    rules = [Rule("casino", False, "block")]
    assert textscan.match_words("Best ＣＡＳＩＮＯ here", rules) == ("block", "casino")


def test_regular_expression_patterns_match():
    rules = [Rule(r"加\s*微\s*信", True, "hold")]
    assert textscan.match_words("请加 微信 联系", rules)[0] == "hold"


def test_allow_list_wins_inside_an_allowed_phrase():
    rules = [Rule("傻", False, "block"), Rule("傻瓜相机", False, "allow")]
    assert textscan.match_words("我买了一台傻瓜相机", rules) is None
    assert textscan.match_words("你真傻", rules) == ("block", "傻")


def test_block_is_stronger_than_hold():
    rules = [Rule("广告", False, "hold"), Rule("诈骗", False, "block")]
    assert textscan.match_words("广告诈骗", rules)[0] == "block"


def test_an_invalid_regular_expression_is_refused_with_a_message():
    with pytest.raises(ValidationError):
        textscan.pattern_check("([", is_regex=True)
