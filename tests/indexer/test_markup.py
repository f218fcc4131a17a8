import pytest

from indexer.readers.markup import html_to_text


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
        ("First line<br>second line", "First line\nsecond line"),
        ("Plain\n\nwith   spaces\nand a break", "Plain\n\nwith spaces\nand a break"),
        ("<p>Kept</p><script>alert(1)</script><style>p{}</style>", "Kept"),
        ("<blockquote>quoted</blockquote>reply", "quoted\n\nreply"),
        ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
        ("&lt;script&gt; stays text", "<script> stays text"),
    ],
)
def test_html_to_text_keeps_paragraphs_and_drops_markup(markup, text):
    assert html_to_text(markup) == text


def test_html_to_text_survives_deep_nesting():
    markup = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert html_to_text(markup) == "deep"
