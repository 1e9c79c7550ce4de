"""People search: folding, matching, ranking, updates, odd input (deskterm.search)."""

from __future__ import annotations

import numpy as np
import pytest

from deskterm.search import SearchCancelled, SearchDoc, SearchIndex, SearchResult, normalize
from deskterm.search.corpus import synthetic_people
from deskterm.search.normalize import is_dense, tokens

PEOPLE = (
    SearchDoc(
        1,
        "Margo Fairweather",
        "margo@fairweather.co",
        "Fairweather Ltd",
        "+1 (555) 0199",
        "vip, billing",
        "Always in a hurry; wants answers in one line",
        "Asked about the March invoice. Promised a callback before noon.",
    ),
    SearchDoc(2, "Margo Smith", "margo.smith@acme.com", "Acme Corp", "+44 20 7946 0958"),
    SearchDoc(3, "Jim Hopper", "jim@hawkins.gov", "Hawkins Lab", "555-0100", "internal"),
    SearchDoc(4, "Alecia Brandt", notes="Her cat is at the vet; upset about the refund."),
    SearchDoc(5, "Zoë Müller", "zoe@example.de", "Müller GmbH"),
    SearchDoc(6, "François Dubois", company="Société Générale"),
    SearchDoc(7, "Søren Sørensen", tags="partner"),
    SearchDoc(8, "Lena Straße", company="Großhandel"),
    SearchDoc(9, "王小明", company="小明贸易"),
    SearchDoc(10, "Дмитрий Иванов", company="Иванов и партнёры"),
    SearchDoc(11, "محمد العلي", company="شركة العلي"),
    SearchDoc(12, "김민준", company="한빛"),
    SearchDoc(13, "ｶﾀｶﾅ ﾀﾛｳ"),  # half-width katakana
    SearchDoc(14, "Élodie ＧＲＥＥＮ"),  # full-width letters
    SearchDoc(15, "Sean O'Brien", matters="Needs invoices in EUR"),
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(PEOPLE)


def ids(index: SearchIndex, query: str, **kw: object) -> list[int]:
    return index.search(query, **kw).ids  # type: ignore[arg-type]


# -- folding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zoë Müller", "zoe muller"),
        ("Straße", "strasse"),
        ("Łódź Ærø", "lodz aero"),
        ("ＭＡＲＧＯ", "margo"),
        ("ｶﾞｷﾞ", "ガギ"),
        ("François", "francois"),
        ("Ёлка", "елка"),
        ("O'Brien", "obrien"),
    ],
)
def test_normalize_folds_case_width_and_accents(text: str, folded: str) -> None:
    assert normalize(text) == folded


# -- matching --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe muller", [5]),
        ("muller", [5]),
        ("Zoë", [5]),
        ("francois", [6]),
        ("sorensen", [7]),
        ("strasse", [8]),
        ("Straße", [8]),
        ("grosshandel", [8]),
        ("obrien", [15]),
        ("o'brien", [15]),
        ("elodie green", [14]),
        ("ＧＲＥＥＮ", [14]),
        ("ｶﾀｶﾅ", [13]),
        ("カタカナ", [13]),
        ("小明", [9]),
        ("王小明", [9]),
        ("дмитрий", [10]),
        ("Дмитрий Иванов", [10]),
        ("محمد", [11]),
        ("민준", [12]),
        ("김민준", [12]),
    ],
)
def test_accents_widths_and_scripts(index: SearchIndex, query: str, expected: list[int]) -> None:
    assert ids(index, query) == expected


@pytest.mark.parametrize(
    ("query", "first"),
    [("mrgo", 1), ("alecai", 4), ("fairwether", 1), ("fiarwe", 1), ("hoper", 3), ("brnadt", 4)],
)
def test_typos(index: SearchIndex, query: str, first: int) -> None:
    assert ids(index, query)[0] == first


def test_typo_finds_every_margo(index: SearchIndex) -> None:
    assert ids(index, "mrgo") == [1, 2]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("555 0199", [1]),
        ("5550199", [1]),
        ("+1 555 0199", [1]),
        ("(555) 01", [3, 1]),
        ("7946", [2]),
        ("margo@fair", [1]),
        ("fairweather.co", [1]),
        ("margo.smith", [2]),
        ("acme", [2]),
        ("hawkins lab", [3]),
        ("billing", [1]),
        ("partner", [7, 10]),  # 10: "партнёры", romanized "partnery", ranks below
        ("invoice", [1, 15]),
        ("vet", [4]),
        ("callback noon", [1]),
        ("hurry", [1]),
        ("societe generale", [6]),
    ],
)
def test_fields(index: SearchIndex, query: str, expected: list[int]) -> None:
    assert ids(index, query) == expected


def test_every_word_must_match_some_field(index: SearchIndex) -> None:
    assert ids(index, "mrgo fair") == [1]
    assert ids(index, "margo acme") == [2]
    assert ids(index, "margo hawkins") == []
    assert ids(index, "jim 0100") == [3]


def test_short_words_match_word_starts_only(index: SearchIndex) -> None:
    assert ids(index, "m") == [1, 2, 5]  # margo, margo, muller (name and email starts)
    assert ids(index, "ar") == []  # inside "margo" but at no word start


# -- ranking ---------------------------------------------------------------------------

RANKED = (
    SearchDoc(106, "Marga Lee"),  # fuzzy (one slip) in the name
    SearchDoc(105, "Amargo Reyes"),  # substring of the name
    SearchDoc(107, "Pat Quinn", notes="ask margolis about it"),  # notes: below any name
    SearchDoc(104, "Bob Stone", company="Margolin Ltd"),  # word start, other field
    SearchDoc(103, "Anne Margolis"),  # word start in the name
    SearchDoc(102, "Margo Lane"),  # the name starts with the query
    SearchDoc(101, "Margo"),  # the whole name
)


def test_ranking_classes() -> None:
    index = SearchIndex.build(RANKED)
    assert ids(index, "margo") == [101, 102, 103, 104, 105, 106, 107]


@pytest.mark.parametrize(
    ("names", "query"),
    [
        (("Ann Zoë Müller", "Zoë Müllerová", "Zoë Müller"), "zoe muller"),
        (("Анна Дмитрий Иванов", "Дмитрий Ивановский", "Дмитрий Иванов"), "дмитрий иванов"),
        (("李 王小明", "王小明明", "王小明"), "王小明"),
    ],
)
def test_whole_name_then_name_prefix_in_any_script(names: tuple[str, ...], query: str) -> None:
    index = SearchIndex.build(SearchDoc(i, name) for i, name in enumerate(names, 1))
    assert ids(index, query) == [3, 2, 1]


def test_ties_follow_the_attention_order_then_the_name() -> None:
    docs = [SearchDoc(i, f"Margo {s}") for i, s in ((1, "Adams"), (2, "Baker"), (3, "Clark"))]
    index = SearchIndex.build(docs)
    assert ids(index, "margo") == [1, 2, 3]
    rank = np.array([9, 1, 2, 0])  # indexed by id: Clark first, then Adams, then Baker
    assert ids(index, "margo", rank_by_id=rank) == [3, 1, 2]
    short = np.array([9, 5, 0])  # id 3 is beyond the array: it ranks last
    assert ids(index, "margo", rank_by_id=short) == [2, 1, 3]
    assert ids(index, "margo clark", rank_by_id=rank) == [3]


def test_better_match_beats_attention_order() -> None:
    index = SearchIndex.build([SearchDoc(1, "Margo"), SearchDoc(2, "Anne Margolis")])
    assert ids(index, "margo", rank_by_id=np.array([0, 5, 0])) == [1, 2]


def test_limit_and_total() -> None:
    index = SearchIndex.build(SearchDoc(i, f"Margo Number{i}") for i in range(1, 301))
    result = index.search("margo", limit=10)
    assert isinstance(result, SearchResult)
    assert result.total == 300
    assert len(result.ids) == 10
    assert result.query == "margo"
    assert index.search("margo", limit=0).ids == []
    assert len(index.search("margo", limit=1000).ids) == 300


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "!!!", "@", "\x00"])
def test_empty_queries_match_nobody(index: SearchIndex, query: str) -> None:
    assert index.search(query) == SearchResult([], 0, query)


# -- updates ---------------------------------------------------------------------------


def test_upsert_rename_and_remove() -> None:
    index = SearchIndex.build(PEOPLE)
    assert len(index) == len(PEOPLE)
    index.upsert(SearchDoc(1, "Margaret Thatcher", company="Downing"))
    assert ids(index, "fairweather") == []
    assert ids(index, "margo fairweather") == []
    assert ids(index, "margo") == [2, 1]  # Margaret: "margo" is one slip from "marga"
    assert ids(index, "thatcher") == [1]
    assert ids(index, "downing") == [1]
    index.upsert(SearchDoc(99, "Nina Newcomer"))
    index.upsert(SearchDoc(99, "Nina Oldfield"))  # changed again before any search
    assert ids(index, "oldfield") == [99]
    assert ids(index, "newcomer") == []
    assert len(index) == len(PEOPLE) + 1
    index.remove(2)
    index.remove(99)
    index.remove(12345)  # unknown: ignored
    assert ids(index, "smith") == []
    assert ids(index, "nina") == []
    assert len(index) == len(PEOPLE) - 1


def test_empty_index_grows_by_upserts() -> None:
    index = SearchIndex()
    assert index.search("margo").total == 0
    index.upsert(SearchDoc(5, "Margo"))
    assert ids(index, "margo") == [5]
    assert len(index) == 1


def test_cancellation_raises() -> None:
    index = SearchIndex.build(PEOPLE)
    with pytest.raises(SearchCancelled):
        index.search("margo", cancelled=lambda: True)
    calls = iter(range(100))
    with pytest.raises(SearchCancelled):  # becomes stale after the first stage
        index.search("margo fair", cancelled=lambda: next(calls) >= 1)
    assert ids(index, "margo", cancelled=lambda: False) == [1, 2]


# -- odd input -------------------------------------------------------------------------

HOSTILE = (
    "[bold]Eve[/]",
    "\x1b]0;pwned\x07 Mallory",
    "😀 Smiley 👩‍👩‍👧",
    "مرحبا بالعالم",
    "\u202eevil\u202c RTL",
    "x" * 100_000,
    "\x00\x00 nul \x00",
    "\ud800 lone surrogate",
    "",
    "   ",
    "Z̷̢̛a̸l̶g̵o̷ text",
    "٠١٢٣٤٥٦٧٨٩",
)


def test_hostile_strings_never_raise() -> None:
    docs = [
        SearchDoc(i, text, text, text, text, text, text, text) for i, text in enumerate(HOSTILE, 1)
    ]
    index = SearchIndex.build(docs)
    for text in (*HOSTILE, "x" * 1000, "[/]", "\\", ".*", "(", "+" * 50, "0" * 40):
        result = index.search(text)
        assert result.total >= 0
    assert ids(index, "eve") == [1]
    assert ids(index, "[bold]") == [1]
    assert ids(index, "pwned") == [2]
    assert ids(index, "zalgo") == [11]
    assert ids(index, "0123456") == [12]  # Arabic-Indic digits are digits
    index.upsert(SearchDoc(1, "\x1b[31mred"))
    index.upsert(SearchDoc(30, None, None, "Nullable Inc", None, None, 5, None))  # type: ignore[arg-type]
    assert ids(index, "nullable") == [30]
    assert ids(index, "nullable none") == []  # None is not the word "none"
    index.remove(3)
    assert ids(index, "red") == [1]


# -- a realistic corpus ----------------------------------------------------------------


def test_synthetic_corpus_finds_known_people() -> None:
    index = SearchIndex.build(synthetic_people(10_000))
    assert len(index) == 10_000
    assert ids(index, "margo fairweather")[0] == 2
    assert ids(index, "jim hopper")[0] == 1
    assert ids(index, "alecia brandt")[0] == 3
    assert ids(index, "zoe muller")[0] == 4
    assert 5 in ids(index, "王小明")[:3]
    assert ids(index, "mrgo fairweather")[0] == 2
    assert 2 in ids(index, "555 0199")[:5]
    result = index.search("m", limit=50)
    assert len(result.ids) == 50
    assert result.total > 50


SPELLINGS = (
    "abcdefgh abcdefghi abcdefghijklmnop abcdefghijklmnopq a1b2c3d4e5 ZZZZZZZZZ",
    "Under_score O'Neil rock'n'roll e-mail foo.bar@baz.example 12345678 123456789",
    "Ünïcödé naïve café Ærøskøbing Þór İstanbul ΣΊΣΥΦΟΣ東京 서울특별시 नमस्ते",
)


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_indexed_word_is_found_as_typed(text: str) -> None:
    """The build (numpy, batched) and the query (per word) split and fold alike."""
    docs = [SearchDoc(1, text), SearchDoc(2, "x", company=text), SearchDoc(3, "y", notes=text)]
    index = SearchIndex.build(docs)
    words = tokens(normalize(text))
    assert len(words) > 5
    for word in words:
        everywhere = len(word) >= 3 or is_dense(word)  # short words: not in notes
        assert ids(index, word) == ([1, 2, 3] if everywhere else [1, 2]), word
    assert ids(index, text)[:2] == [1, 2]
