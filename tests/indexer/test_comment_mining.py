import pytest

from indexer.readers.html import parse_html

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title></head>
<body><h1>Der Bolzplatz am Deich</h1><div class="story"><p>Der Platz wird im Mai eröffnet,
sagt die Stadt, und bekommt zwei Tore.</p></div>{comments}</body></html>"""


def read(comments: str, lang: str = "de"):
    return parse_html(PAGE.format(lang=lang, comments=comments).encode())[0]


def test_parse_html_mines_repeated_blocks_under_a_comment_heading() -> None:
    article = read(
        """<h2>Kommentare (2)</h2><div class="liste">
        <div class="eintrag"><p class="kopf"><b>Jonas</b> 3. April 2019 um 18:20 Uhr</p>
        <div class="text"><p>Endlich ein Platz für die Kinder.</p></div></div>
        <div class="eintrag"><p class="kopf"><b>Marta K.</b> 4. April 2019 um 07:05 Uhr</p>
        <div class="text"><p>Hoffentlich mit Flutlicht.</p></div></div></div>"""
    )
    assert [(c.author, c.date.isoformat(), c.body) for c in article.comments] == [
        ("Jonas", "2019-04-03T18:20:00", "Endlich ein Platz für die Kinder."),
        ("Marta K.", "2019-04-04T07:05:00", "Hoffentlich mit Flutlicht."),
    ]
    assert article.comment_markup == "record mining"
    assert "Flutlicht" not in article.body


def test_parse_html_mines_a_table_of_comments() -> None:
    article = read(
        """<h3>Komentarze</h3><table class="lista"><tr><td class="kto"><b>Ola</b><br>
        <small>2019-04-08 07:12</small></td><td class="tresc">Objazd jest fatalny.</td></tr>
        <tr><td class="kto"><b>Piotr</b><br><small>2019-04-08 08:45</small></td>
        <td class="tresc">Zgadzam się.</td></tr></table>""",
        lang="pl",
    )
    assert [(c.author, c.body) for c in article.comments] == [
        ("Ola", "Objazd jest fatalny."),
        ("Piotr", "Zgadzam się."),
    ]


def test_parse_html_reads_dated_header_lines_of_a_flat_thread() -> None:
    article = read(
        """<div id="diskuse"><h3>Komentáře</h3>
        <p><span id="cmt_1">1</span>. <strong>Jana</strong> (10. října 2006 15:38)</p>
        <p>Jízdní řád je konečně srozumitelný.</p>
        <p><span id="cmt_2">2</span>. <strong>Petr</strong> (10. října 2006 17:02)</p>
        <p>K [1] dodám, že noční linky chybí.</p></div>""",
        lang="cs",
    )
    assert [(c.author, c.date.isoformat(), c.key, c.parent) for c in article.comments] == [
        ("Jana", "2006-10-10T15:38:00", "cmt_1", None),
        ("Petr", "2006-10-10T17:02:00", "cmt_2", "cmt_1"),
    ]


def test_parse_html_cuts_a_comment_section_it_cannot_split_and_says_so() -> None:
    article = read(
        """<div id="comments"><h2>3 Comments</h2><p>finally about time the paper ones were
        always sold out by march anyway and the online ones update when the surveys
        change</p></div>"""
    )
    assert article.comments == ()
    assert "sold out" not in article.body
    assert article.comments_not_split.startswith("a comment section")


@pytest.mark.parametrize("heading", ["Neueste Kommentare", "Recent comments", "Leave a Reply"])
def test_parse_html_does_not_mine_widgets_or_forms(heading: str) -> None:
    article = read(
        f"""<div class="box"><h3>{heading}</h3><ul><li><b>Anna</b> 3. April 2019:
        <a href="/other">Ein anderer Artikel</a></li><li><b>Ben</b> 4. April 2019:
        <a href="/more">Noch einer</a></li></ul></div>"""
    )
    assert article.comments == ()
