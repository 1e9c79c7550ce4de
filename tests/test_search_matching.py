"""The ways agents type people beyond prefixes and one slip: two slips, fzf-style
abbreviations, other scripts typed in Latin letters, nicknames (deskterm.search)."""

from __future__ import annotations

import pytest

from deskterm.search import SearchDoc, SearchIndex
from deskterm.search.corpus import synthetic_people
from deskterm.search.roman import fits, nickname_forms, romanize, skeletons, sound

WENDELINE = SearchDoc(90_001, "Wendeline Quackenbush", "wq@quackenbush.example", "Duckworks")
MIKHAIL = SearchDoc(90_002, "Михаил Смирнов", "m.smirnov@example.ru", "Смирнов и сыновья")
ROBERT = SearchDoc(90_003, "Robert Smith", "rsmith@example.com", "Smithy Tools")
MARGARET = SearchDoc(90_004, "Margaret Oyelaran", "margaret@oyelaran.example")
WILLIAM = SearchDoc(90_005, "William Tecumseh Ashdown", "w.ashdown@example.com")
GEORGIOS = SearchDoc(90_006, "Γιώργος Παπαδόπουλος", "gp@example.gr", "Αθηναϊκή Ναυτιλία")
MOHAMMED = SearchDoc(90_007, "محمد العلي", "m.alali@example.ae", "شركة العلي")
DAVID = SearchDoc(90_008, "דוד כהן", "david@example.il")
EXTRA = (WENDELINE, MIKHAIL, ROBERT, MARGARET, WILLIAM, GEORGIOS, MOHAMMED, DAVID)


@pytest.fixture(scope="module")
def crowd() -> SearchIndex:
    """Two thousand generated people (Margo Fairweather among them) and the people above."""
    return SearchIndex.build([*synthetic_people(2000), *EXTRA])


def top(index: SearchIndex, query: str, n: int = 10) -> list[int]:
    return index.search(query, limit=n).ids


@pytest.mark.parametrize(
    ("query", "person"),
    [
        # two slips in a longer word (Lucene's AUTO: two edits from 6 letters)
        ("wendlne quack", WENDELINE.id),
        ("wendelien quackenbsuh", WENDELINE.id),
        ("quackenbsh wndeline", WENDELINE.id),
        # fzf-style abbreviations: the first letter, then letters in order
        ("mrg frwthr", 2),  # Margo Fairweather, an anchor of the generated people
        ("wndln qcknbsh", WENDELINE.id),
        ("frwthr", 2),
        # other scripts typed in Latin letters, as heard on the phone (typos allowed)
        ("mikhail smirnov", MIKHAIL.id),
        ("mihail smirnov", MIKHAIL.id),
        ("smirnov synovya", MIKHAIL.id),  # the company, romanized, with a slip
        ("giorgos papadopoulos", GEORGIOS.id),
        ("mohammed al-ali", MOHAMMED.id),
        ("muhammad alali", MOHAMMED.id),
        ("david cohen", DAVID.id),
        # nicknames and short forms of given names
        ("bob smith", ROBERT.id),
        ("peggy", MARGARET.id),
        ("peggy oyelaran", MARGARET.id),
        ("bill ashdown", WILLIAM.id),
    ],
)
def test_agents_find_the_person_in_the_top_ten(crowd: SearchIndex, query: str, person: int) -> None:
    assert person in top(crowd, query)


def test_each_new_kind_of_match_ranks_below_exact_prefix_and_one_edit() -> None:
    index = SearchIndex.build(
        [
            SearchDoc(5, "Ed Fairwayweather"),  # only an in-order subsequence
            SearchDoc(4, "Di Fiarwether"),  # two edits
            SearchDoc(3, "Cy Fairwether"),  # one edit
            SearchDoc(2, "Bo Fairweathers"),  # a word starting with the query
            SearchDoc(1, "Ann Fairweather"),  # the exact word
        ]
    )
    assert top(index, "fairweather") == [1, 2, 3, 4, 5]


def test_a_nickname_ranks_below_the_name_itself() -> None:
    index = SearchIndex.build(
        [SearchDoc(1, "Robert Smith"), SearchDoc(2, "Bob Smith"), SearchDoc(3, "Bobby Smith")]
    )
    assert top(index, "bob smith") == [2, 3, 1]
    assert top(index, "robert smith")[0] == 1
    assert set(top(index, "robert smith")) == {1, 2, 3}  # the short forms, below


def test_a_nickname_or_abbreviation_of_the_name_beats_the_words_inside_notes() -> None:
    crowd = [SearchDoc(1, "Edward Smith"), SearchDoc(2, "Elif Keller")]
    for i in range(10, 22):  # what the agent typed, inside a word of their notes
        crowd.append(SearchDoc(i, "Adrian Smith", notes="Frustrated by herself again"))
        crowd.append(SearchDoc(i + 20, "Zoe Keller", notes="Frustrated by herself again"))
    crowd.append(SearchDoc(50, "Bea Smith", notes="Ted from billing called"))  # a word
    index = SearchIndex.build(crowd)
    assert top(index, "ted smith")[0] == 1
    assert top(index, "elf kllr")[0] == 2  # Elif abbreviated: not "herself"


def test_a_name_typed_with_a_letter_left_out_beats_a_part_of_a_company_word() -> None:
    crowd = [SearchDoc(i, "Ben Andersen", company="HorizonBright GmbH") for i in range(1, 12)]
    index = SearchIndex.build([*crowd, SearchDoc(20, "Ben Ruiz")])
    assert top(index, "ben riz")[0] == 20


def test_a_word_typed_twice_wants_a_name_holding_it_twice() -> None:
    crowd = [SearchDoc(i, "Ali Hassan") for i in range(1, 12)] + [SearchDoc(20, "Ali Zaki Ali")]
    assert top(SearchIndex.build(crowd), "ali ali")[0] == 20
    index = SearchIndex.build([SearchDoc(1, "Ali Al"), SearchDoc(2, "Ali Al Ali")])
    assert top(index, "ali al ali") == [2, 1]  # the whole name typed, repeats and all
    crowd = [SearchDoc(i, "Ali Al Hassan") for i in range(1, 12)] + [SearchDoc(20, "علي العلي")]
    assert top(SearchIndex.build(crowd), "ali al ali")[0] == 20  # ʿAlī al-ʿAlī


def test_a_romanized_name_ranks_below_the_same_name_in_latin_letters() -> None:
    index = SearchIndex.build([SearchDoc(1, "Михаил Смирнов"), SearchDoc(2, "Mikhail Smirnov")])
    assert top(index, "mikhail smirnov") == [2, 1]
    assert top(index, "михаил") == [1]  # the original script as before


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("ali al-ali", 1),
        ("ali alali", 1),
        ("ahmed al ali", 2),
        ("fatima hasan", 3),
        ("fatima al-husseini", 4),
        ("fatma husseini", 4),
        ("ahmad alali", 2),
        ("david biton", 5),
        ("sara levy", 6),
        ("moshe mizrachi", 7),
        ("alexey kuznetzov", 8),
        ("tatiana fyodorov", 9),
    ],
)
def test_names_written_without_vowels_are_told_apart_by_the_vowels_heard(
    query: str, person: int
) -> None:
    names = (
        "علي العلي", "أحمد العلي", "فاطمة حسن", "فاطمة الحسيني", "דוד ביטון", "שרה לוי",
        "משה מזרחי", "Алексей Кузнецов", "Татьяна Фёдорова",
    )  # fmt: skip
    crowd = [SearchDoc(i, name) for i, name in enumerate(names, 1)]
    for i, name in enumerate(names * 30, 100):  # namesakes of the others, many of them
        crowd.append(SearchDoc(i, name))
    index = SearchIndex.build(crowd)
    first = index.search(query, limit=1).ids[0]
    assert index_name(crowd, first) == names[person - 1]


def index_name(docs: list[SearchDoc], pid: int) -> str:
    return next(d.name for d in docs if d.id == pid)


def test_two_edits_need_six_letters() -> None:
    index = SearchIndex.build([SearchDoc(1, "Hanna Borg"), SearchDoc(2, "Jasper Quill")])
    assert top(index, "hnnaa") == []  # "hanna" has five letters: one edit only
    assert top(index, "jsapre") == [2]  # six letters: two edits (a swap and a swap)
    assert top(index, "jsper") == [2]  # five typed, two edits from a six-letter word


def test_a_whole_name_in_another_script_beats_one_shared_word() -> None:
    index = SearchIndex.build(
        [SearchDoc(i, "Fatima Alani") for i in range(1, 12)] + [SearchDoc(20, "فاطمة العلي")]
    )
    assert top(index, "fatima alali")[0] == 20


def test_abbreviations_start_at_a_word_start() -> None:
    index = SearchIndex.build([SearchDoc(1, "Margo Fairweather"), SearchDoc(2, "Amargo Rowe")])
    assert top(index, "mrg") == [1]  # not inside "amargo"


def test_a_whole_word_abbreviated_beats_a_scattered_or_fuzzy_match() -> None:
    index = SearchIndex.build(
        [
            SearchDoc(1, "Greta Lanstaferdt"),  # "rdt" inside a word
            SearchDoc(2, "David Jansen"),  # "jhnssn": two edits from "jansen"
            SearchDoc(3, "Lina Ridt"),
            SearchDoc(4, "David Johansson"),
            SearchDoc(5, "David Jonathansson"),  # "jhnssn", letters far apart
        ]
    )
    assert top(index, "ln rdt") == [3, 1]
    assert top(index, "dvd jhnssn") == [4, 2, 5]
    assert top(index, "dvd jhnsn")[0] == 4  # a doubled letter typed once


def test_a_word_starting_a_name_and_abbreviating_it_beats_a_mere_start() -> None:
    crowd = [SearchDoc(i, "François Müller") for i in range(1, 12)]
    index = SearchIndex.build([*crowd, SearchDoc(20, "Freya Müller")])
    assert top(index, "fr mllr")[0] == 20  # f, r and only vowels: Freya


def test_changes_are_searchable_in_every_way() -> None:
    index = SearchIndex.build(synthetic_people(300))
    index.upsert(MIKHAIL)
    index.upsert(ROBERT)
    assert top(index, "mikhail smirnov")[0] == MIKHAIL.id
    assert ROBERT.id in top(index, "bob smith")
    index.remove(MIKHAIL.id)
    assert MIKHAIL.id not in top(index, "mikhail smirnov")


def test_the_other_spellings() -> None:
    assert romanize("Михаил Смирнов") == "Mikhail Smirnov"
    assert romanize("王小明") == "Wang Xiao Ming"  # syllables become words
    assert sound("mohammed") == ("mhmd", "01110")  # consonants; where vowels are heard
    assert sound("rachel") == sound("rahel") == sound("rachell")
    assert sound("sarah") == sound("sara")
    assert skeletons(["محمد", "Иван"]) == ["mhmd00000", "vn110"]
    assert "l11" in skeletons(["علي"])[0].split()  # ʿAlī: a vowel heard before and after l
    assert fits("11", sound("ali")[1])
    assert not fits("11", sound("lee")[1])  # no vowel before the l
    assert "robert" in nickname_forms("bob")
    assert "margaret" in nickname_forms("peggy")
    assert "william" in nickname_forms("bill")
    assert nickname_forms("qzxv") == ()
