"""Formatted text becomes Telegram's plain text plus entities (UTF-16 offsets, trimmed)."""

import pytest

from bot.sandbox.errors import ApiError
from bot.sandbox.validation import parse_formatted
from models.telegram_html import TelegramHtmlError, parse_html, visible_length


def test_html_tags_become_entities_with_utf16_offsets() -> None:
    text, entities = parse_formatted("😀 <b>Ābols</b> &amp; <i>co</i>", "HTML", None)
    assert text == "😀 Ābols & co"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "italic", "offset": 11, "length": 2},
    ]


def test_html_links_spoilers_and_pre_with_language() -> None:
    source = (
        '<a href="https://example.invalid/x">site</a> '
        '<tg-spoiler>hidden</tg-spoiler> <pre><code class="language-python">x = 1</code></pre>'
    )
    text, entities = parse_formatted(source, "HTML", None)
    assert text == "site hidden x = 1"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://example.invalid/x"},
        {"type": "spoiler", "offset": 5, "length": 6},
        {"type": "pre", "offset": 12, "length": 5, "language": "python"},
    ]


def test_surrounding_whitespace_is_trimmed_and_entities_move() -> None:
    text, entities = parse_formatted("\n  <b> hi </b>\n", "HTML", None)
    assert text == "hi"
    assert entities == [{"type": "bold", "offset": 0, "length": 2}]


def test_commands_links_and_mentions_are_detected() -> None:
    text, entities = parse_formatted(
        "Use /timetable or see https://example.invalid/a. Ask @study_office #news", None, None
    )
    kinds = {text[e["offset"] : e["offset"] + e["length"]]: e["type"] for e in entities}
    assert kinds == {
        "/timetable": "bot_command",
        "https://example.invalid/a": "url",
        "@study_office": "mention",
        "#news": "hashtag",
    }


def test_nothing_is_detected_inside_code() -> None:
    _, entities = parse_formatted("<code>/start</code>", "HTML", None)
    assert [e["type"] for e in entities] == ["code"]


def test_markdown_v2_entities_and_escapes() -> None:
    text, entities = parse_formatted(
        r"*bold* _it_ __under__ ~gone~ ||secret|| `x\`y` [link](https://a.invalid/\)) 1\.5",
        "MarkdownV2",
        None,
    )
    assert text == "bold it under gone secret x`y link 1.5"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    assert entities[-1]["url"] == "https://a.invalid/)"


def test_markdown_v2_blockquote_and_pre() -> None:
    text, entities = parse_formatted(
        ">quoted\n>lines\nafter\n```python\nprint(1)\n```", "MarkdownV2", None
    )
    assert text == "quoted\nlines\nafter\nprint(1)"  # the trailing line break is trimmed
    assert entities == [
        {"type": "blockquote", "offset": 0, "length": 12},
        {"type": "pre", "offset": 19, "length": 8, "language": "python"},
    ]


def test_legacy_markdown() -> None:
    text, entities = parse_formatted("*b* _i_ [l](https://a.invalid)", "Markdown", None)
    assert text == "b i l"
    assert [e["type"] for e in entities] == ["bold", "italic", "text_link"]


def test_unknown_parse_mode_is_refused() -> None:
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        parse_formatted("x", "BBCode", None)


def test_explicit_entities_are_kept() -> None:
    text, entities = parse_formatted("bold", None, [{"type": "bold", "offset": 0, "length": 4}])
    assert (text, entities) == ("bold", [{"type": "bold", "offset": 0, "length": 4}])


@pytest.mark.parametrize(
    "source",
    ["<b>open", "<b>x</i>", "<script>x</script>", '<span class="x">y</span>', "</b>", "<a href"],
)
def test_the_emulator_refuses_html_with_the_products_own_reason(source: str) -> None:
    with pytest.raises(TelegramHtmlError) as product:
        parse_html(source)
    with pytest.raises(ApiError) as emulator:
        parse_formatted(source, "HTML", None)
    assert emulator.value.error_code == 400
    assert (
        emulator.value.description == f"Bad Request: can't parse entities: {product.value.reason}"
    )


def test_visible_length_counts_utf16_units_of_the_trimmed_text() -> None:
    assert visible_length("😀 <b> a </b> ") == 5  # "😀  a": the emoji is two units
    assert visible_length("&lt;&amp;&gt;") == 3
    assert visible_length("<b> </b><i></i>") == 0
