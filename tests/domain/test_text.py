"""domain.text: the one rule for free text (what a comment may hold) and the one way of showing
any text (visible, mask_secrets)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kplan_desktop.domain.errors import DomainError
from kplan_desktop.domain.text import (
    check_free_text,
    control_characters,
    is_refused_control,
    line_breaks,
    mask_secrets,
    visible,
)


def test_line_breaks_and_tabs_are_ordinary_text() -> None:
    assert check_free_text("前年比\t増\n理由あり", "コメント", "comment") == "前年比\t増\n理由あり"
    assert control_characters("a\tb\nc") == []


def test_carriage_returns_become_line_feeds() -> None:
    assert line_breaks("a\r\nb\rc") == "a\nb\nc"
    assert check_free_text("一行目\r\n二行目", "コメント", "comment") == "一行目\n二行目"


@pytest.mark.parametrize(
    "char",
    [
        "\x1b",  # escape: recolours or moves a terminal's cursor
        "\x00",
        "\x7f",
        "\x85",  # a C1 control (next line)
        "\u202e",  # right-to-left override: reorders what a reader sees
        "\u2066",  # left-to-right isolate
        "\u200b",  # zero-width space
        "\ufeff",  # byte-order mark
        "\u2028",  # line separator
        "\u2029",  # paragraph separator
        "\udc80",  # a lone surrogate (an undecodable byte of a command line)
    ],
)
def test_controls_format_characters_and_separators_are_refused_naming_them(char: str) -> None:
    assert is_refused_control(char)
    with pytest.raises(DomainError) as refused:
        check_free_text(f"説明{char}です{char}", "コメント", "comment", code="E_TEST")
    assert refused.value.code == "E_TEST"
    shown = f"U+{ord(char):04X}"
    # Named once, in both languages, however often it occurs.
    assert refused.value.message_ja.count(shown) == 1
    assert shown in refused.value.message_en and "comment" in refused.value.message_en


@pytest.mark.parametrize("char", ["\u200c", "\u200d", "\u3000", "あ", "😀", " "])
def test_joiners_and_ordinary_characters_are_kept(char: str) -> None:
    assert not is_refused_control(char)
    assert check_free_text(f"a{char}b", "名称", "name") == f"a{char}b"


def test_visible_shows_controls_escaped_and_keeps_the_ideographic_space() -> None:
    assert visible("plain テキスト") == "plain テキスト"
    assert visible("赤\x1b[31m字") == "赤\\u001b[31m字"
    assert visible("一行\n二行") == "一行\\u000a二行"
    assert visible("全角\u3000空白") == "全角\u3000空白"
    assert visible("\u202eevil") == "\\u202eevil"


@given(st.text())
def test_visible_text_holds_no_control_and_stays_on_one_line(text: str) -> None:
    shown = visible(text)
    assert "\n" not in shown and "\x1b" not in shown
    assert all(c.isprintable() or c == "\u3000" or c.isspace() for c in shown), shown
    assert control_characters(shown) == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))
def test_text_without_refused_characters_passes_unchanged(text: str) -> None:
    assert check_free_text(text, "コメント", "comment") == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("postgresql+psycopg://clerk:s3cret@db.city.local/kplan", "s3cret"),
        ("postgresql://clerk:pa/ss?w#o@rd@db/kplan", "pa/ss?w#o@rd"),
        ("host=db user=clerk password=s3cret dbname=kplan", "s3cret"),
        ("connection failed (PWD='two words')", "two words"),
        ('passwd: "quoted secret";', "quoted secret"),
    ],
)
def test_passwords_are_masked_wherever_they_appear(text: str, secret: str) -> None:
    masked = mask_secrets(text)
    assert secret not in masked
    assert "***" in masked


def test_masking_keeps_what_is_not_a_secret() -> None:
    url = "postgresql+psycopg://clerk@db.city.local/kplan"
    assert mask_secrets(url) == url
    assert mask_secrets("clerk:s3cret@server") == "clerk:s3cret@server"  # not a URL
    masked = mask_secrets("postgresql+psycopg://clerk:s3cret@db.city.local/kplan")
    assert masked == "postgresql+psycopg://clerk:***@db.city.local/kplan"
