"""Other spellings of a person: romanized scripts, consonant skeletons and nicknames.

- ``romanize``: a name, email or company in a non-Latin script in a standard
  romanization (``anyascii``: Михаил Смирнов → mikhail smirnov, 王小明 → wang xiao ming),
  indexed beside the original so Latin typing finds it (typos allowed: the romanized
  words take part in fuzzy matching like any other).
- ``skeletons``: sound keys of names in Arabic, Hebrew, Cyrillic and Greek script.
  Arabic and Hebrew are written without short vowels, and every language has several
  Latin spellings of one sound, so a word is also indexed as its consonants plus where
  a vowel must be heard ("محمد" → "mhmd" + "00000", "علي" → "l" + "11"); what an agent
  types is heard the same way (``sound``: "mohammed" → "mhmd", vowels in "01010") and
  found when its vowels cover the key's ("ali" fits علي, "eli" does not). The Arabic
  article is also taken off (العلي: "alali", "al-ali" and "ali" all fit).
- ``nickname_forms``: given names a query word may stand for (bob → robert, peggy →
  margaret, bill → william, and back), from the ``nicknames`` data package, loaded on
  first use.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

from anyascii import anyascii

from .normalize import normalize, tokens

__all__ = [
    "ARTICLE", "article", "fits", "needs_roman", "nickname_forms", "romanize", "romanize_all",
    "skeletons", "sound",
]  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ABJAD = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u0300-\u036f]")


def needs_roman(text: str) -> bool:
    """True when ``text`` holds letters of a script other than Latin."""
    return not text.isascii() and _NON_LATIN.search(text) is not None


def romanize(text: str) -> str:
    """``text`` in Latin letters, words of CJK syllables split ("WangXiaoMing" → 3).

    A Russian ё is written e by the standard and yo by most people (Пётр: Petr, Pyotr):
    both spellings are given."""
    out = _CAMEL.sub(" ", anyascii(text))
    if "ё" in text or "Ё" in text:
        out += " " + _CAMEL.sub(" ", anyascii(text.replace("ё", "йо").replace("Ё", "Йо")))
    return out


def romanize_all(texts: Sequence[str]) -> list[str]:
    """The romanization of each text that needs one, "" for the others."""
    return _each_non_ascii(texts, _romanized)


def _each_non_ascii(texts: Sequence[str], keys: Callable[[str], str]) -> list[str]:
    """``keys(text)`` for each text outside ASCII, "" for the others (most of them)."""
    return [keys(text) if text and not text.isascii() else "" for text in texts]


@lru_cache(maxsize=1 << 16)  # names repeat: most are met many times in a build
def _romanized(text: str) -> str:
    return romanize(text) if needs_roman(text) else ""


ARTICLE = "al"  # the Arabic article on its own: no sound key starts with a vowel
_VOWELS = frozenset("aeiouyw_")  # "_": a vowel letter of Arabic or Hebrew (ا و ي ع א …)
_LATIN = (
    ("x", "ks"), ("shch", "x"), ("sch", "x"), ("sh", "x"), ("kh", "h"), ("ch", "h"),
    ("ph", "f"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("tz", "ts"), ("zh", "j"),
    ("ck", "k"), ("c", "k"), ("q", "k"), ("p", "f"), ("z", "s"),
)  # fmt: skip
_LATIN_RE = re.compile("|".join(a for a, _ in _LATIN))
_LATIN_TO = dict(_LATIN)
_FINAL_H = re.compile("(?<=[aeiouy])h$")  # "fatimah", "sarah": the h is not heard
_DOUBLE = re.compile(r"(.)\1+")
# Arabic and Hebrew letters as heard (after ``normalize``: ة is ه, ى is ي); a tuple
# holds the ways one letter is commonly written in Latin letters.
_ABJAD_SOUNDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys("اأإآءؤئعيوى", ("_",)),
    "ب": ("b",), "ت": ("t",), "ث": ("t", "s"), "ج": ("j", "g"), "ح": ("h",), "خ": ("h",),
    "د": ("d",), "ذ": ("d", "s"), "ر": ("r",), "ز": ("s",), "س": ("s",), "ش": ("x",),
    "ص": ("s",), "ض": ("d",), "ط": ("t",), "ظ": ("s", "d"), "غ": ("g",), "ف": ("f",),
    "ق": ("k", "g"), "ك": ("k",), "ل": ("l",), "م": ("m",), "ن": ("n",), "ه": ("h",),
    "پ": ("f",), "چ": ("h",), "ژ": ("j",), "گ": ("g",), "ڤ": ("_",),
    **dict.fromkeys("אעי", ("_",)),
    "ו": ("_", "v"), "ב": ("b", "v"), "ג": ("g",), "ד": ("d",), "ה": ("h",), "ז": ("s",),
    "ח": ("h",), "ט": ("t",), "כ": ("k", "h"), "ך": ("k", "h"), "ל": ("l",), "מ": ("m",),
    "ם": ("m",), "נ": ("n",), "ן": ("n",), "ס": ("s",), "פ": ("f",), "ף": ("f",),
    "צ": ("ts",), "ץ": ("ts",), "ק": ("k",), "ר": ("r",), "ש": ("s", "x"), "ת": ("t",),
}  # fmt: skip
_FINAL_HE = ("_", "h")  # a final ه / ה (ة) is most often a vowel: فاطمة Fatima, שרה Sara
_MAX_SPELLINGS = 16
# A word's key without its article writes its gaps 2 and 3, not 0 and 1: "ali" fits
# both علي and العلي, but علي better (so "ali al-ali" is علي العلي, not أحمد العلي).
_BARE = str.maketrans("01", "23")
_UNBARE = str.maketrans("23", "01")
_SOUNDED = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f]")  # Greek, Cyrillic


def sound(spelling: str) -> tuple[str, str]:
    """How a Latin spelling sounds, roughly: its consonant skeleton and, for each gap
    around the consonants, whether a vowel is heard there ("1") or not ("0").

    "mohammed" → ("mhmd", "01010"); "ahmed" → ("hmd", "1010"); spellings of one
    sound are one letter (kh, ch → h; sh → x; c, q → k; z → s; ph, p → f), doubled
    letters count once and an h after a final vowel is silent ("sarah" = "sara")."""
    word = _LATIN_RE.sub(lambda m: _LATIN_TO[m.group()], _FINAL_H.sub("", spelling))
    return _skeleton(word)


def _skeleton(word: str) -> tuple[str, str]:
    consonants: list[str] = []
    gaps = ["0"]
    for ch in _DOUBLE.sub(r"\1", word):
        if ch in _VOWELS:
            gaps[-1] = "1"
        else:
            consonants.append(ch)
            gaps.append("0")
    return "".join(consonants), "".join(gaps)


def fits(written: str, heard: str) -> bool:
    """True when every vowel ``written`` (a key's gaps) is also in ``heard``, and the
    word starts and ends the same way: Arabic and Hebrew write a vowel that starts or
    ends a word ("husseini" is not حسن, Hasan; "alali" is not ليلى, Layla)."""
    written = written.translate(_UNBARE)
    return (
        len(written) == len(heard)
        and written[0] == heard[0]
        and written[-1] == heard[-1]
        and all(w <= h for w, h in zip(written, heard, strict=True))
    )


def article(word: str) -> bool:
    """True for a query word that is the Arabic article typed alone ("al-ali")."""
    return word in ("al", "el", "ul")


def _abjad_keys(word: str) -> set[str]:
    """Sound keys of one Arabic or Hebrew word: each common way of hearing it.

    Short vowels are not written, so a key's gaps mark only where a vowel *must* be
    heard (a long vowel, ع, א ...); a typed spelling fits if it has vowels there."""
    options = [_ABJAD_SOUNDS.get(ch, (ch,)) for ch in word]
    if word[-1] in "هה":
        options[-1] = _FINAL_HE
    spellings = [""]
    for opt in options:
        spellings = [s + o for s in spellings for o in opt][:_MAX_SPELLINGS]
    keys = set()
    for spelling in spellings:
        bare, gaps = _skeleton(spelling)
        if bare:
            keys.add(bare + gaps)
    return keys


def skeletons(texts: Sequence[str]) -> list[str]:
    """Sound keys (see ``sound``) for texts in Arabic, Hebrew, Cyrillic or Greek script
    ("" for the others).

    Arabic and Hebrew words are heard from their letters (``_abjad_keys``), an Arabic
    word with the article also without it, and the article alone as ``ARTICLE``;
    Cyrillic and Greek ones from their romanization, so "alexey" finds Алексей
    (romanized "aleksey") and "tatiana" Татьяна."""
    return _each_non_ascii(texts, _text_keys)


@lru_cache(maxsize=1 << 16)  # names repeat: most are met many times in a build
def _text_keys(text: str) -> str:
    if _NON_LATIN.search(text) is None:
        return ""
    keys: set[str] = set()
    if _ABJAD.search(text) is not None:
        for word in tokens(normalize(text)):
            if _ABJAD.search(word) is not None:
                keys |= _word_keys(word)
    if _SOUNDED.search(text) is not None:
        for word in tokens(normalize(romanize(text))):
            if word.isascii() and word.isalpha():
                bare, gaps = sound(word)
                if bare:
                    keys.add(bare + gaps)
    return " ".join(sorted(keys))


@lru_cache(maxsize=1 << 14)
def _word_keys(word: str) -> frozenset[str]:
    """The keys of an Arabic or Hebrew word: as written, and an Arabic word with the
    article also without it (``_BARE`` gaps) and the article alone."""
    keys = _abjad_keys(word)
    if word.startswith("\u0627\u0644") and len(word) >= 4:
        keys.update(k.translate(_BARE) for k in _abjad_keys(word[2:]))
        keys.add(ARTICLE)
    return frozenset(keys)


_lock = threading.Lock()
_namer: object | None = None


@lru_cache(maxsize=4096)
def nickname_forms(word: str) -> tuple[str, ...]:
    """Given names ``word`` may stand for, and their other short forms (not ``word``)."""
    global _namer
    if len(word) < 2 or not word.isascii() or not word.isalpha():
        return ()
    with _lock:
        if _namer is None:
            from nicknames import NickNamer

            _namer = NickNamer()
        namer = _namer
    canon = namer.canonicals_of(word)  # type: ignore[attr-defined]
    forms = set(canon) | set(namer.nicknames_of(word))  # type: ignore[attr-defined]
    forms.discard(word)
    return tuple(sorted(f for f in forms if f.isalpha()))
