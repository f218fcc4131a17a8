from datetime import datetime

import pytest

from indexer.readers.comment_parts import FoundComment, clean_name, comment_records


@pytest.mark.parametrize(
    ("shown", "name"),
    [
        ("Ben 19. Juni 2018 um 15:28 Uhr - Antworten", "Ben"),
        ("Jeremy Banks says: January 20, 2020 at 11:27 am", "Jeremy Banks"),
        ("Milan Griffes on September 12, 2018 at 4:47 pm", "Milan Griffes"),
        ("Martina Berg Autor", "Martina Berg"),
        ("Hella,", "Hella"),
        ("Phil (not verified)", "Phil"),
        ("Heike (nicht überprüft)", "Heike"),
        ("Posted by: Gareth | March 8, 2012 10:32 AM", "Gareth"),
        ("Scritto da: Elena Morandi | 07 marzo 2012 alle 10:32", "Elena Morandi"),
        ("#3 Tobias K. <tobias.k@example.de>", "Tobias K."),
        ("Bonneville Bob said...", "Bonneville Bob"),
        ("Dave (Swindon)", "Dave (Swindon)"),
        ("Editor", "Editor"),
    ],
)
def test_clean_name_keeps_the_name_alone(shown: str, name: str) -> None:
    assert clean_name(shown) == name


def test_clean_name_keeps_no_address() -> None:
    assert "@" not in clean_name("Jo Bloggs mailto:jo@example.org")


def records(*found: FoundComment) -> list[tuple[str, str | None]]:
    return [(c.author, c.parent) for c in comment_records(list(found))]


def test_comment_records_reply_opening_with_a_name_answers_that_commenter() -> None:
    assert records(
        FoundComment("Heike Brandt", "Endlich die Ampel.", key="c1"),
        FoundComment("Ulla", "Schön.", key="c2"),
        FoundComment("Thorsten", "@Heike Brandt: Die Bügel kommen später.", key="c3"),
    ) == [("Heike Brandt", None), ("Ulla", None), ("Thorsten", "c1")]


def test_comment_records_reply_by_first_name_needs_one_such_commenter() -> None:
    found = [
        FoundComment("Tomás Herrera", "Does rsync copy to a temp file?", key="a"),
        FoundComment("Tomás Ruiz", "Same question.", key="b"),
        FoundComment("Ana", "@Tomás it does.", key="c"),
    ]
    assert [c.parent for c in comment_records(found)] == [None, None, None]


def test_comment_records_numbered_thread_reads_back_references() -> None:
    found = [
        FoundComment("Jana", "První.", key="cmt_1"),
        FoundComment("Petr", "K [1] doplním, že to platí.", key="cmt_2"),
    ]
    comments = comment_records(found, back_references=True)
    assert comments[1].parent == "cmt_1"


@pytest.mark.parametrize(
    "placeholder",
    ["This comment was deleted.", "[deleted]", "Commento eliminato.", "Tento komentář byl smazán."],
)
def test_comment_records_drop_deleted_placeholders_and_forget_them_as_parents(
    placeholder: str,
) -> None:
    comments = comment_records(
        [
            FoundComment("Anonymous", placeholder, key="c1"),
            FoundComment("Lena", "Still a good point.", key="c2", parent="c1"),
        ]
    )
    assert [(c.author, c.parent, c.position) for c in comments] == [("Lena", None, 1)]


@pytest.mark.parametrize("shown", ["Anonimo", "Anônimo", "anonym", ""])
def test_comment_records_name_a_commenter_without_a_name_anonymous(shown: str) -> None:
    assert records(FoundComment(shown, "Hi.", datetime(2020, 1, 1))) == [("Anonymous", None)]
