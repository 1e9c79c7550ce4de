"""Other spellings of a person: romanized scripts, consonant skeletons and nicknames.

- ``romanize``: a name, email or company in a non-Latin script in a standard
  romanization (``anyascii``: Михаил Смирнов → mikhail smirnov, 王小明 → wang xiao ming),
  indexed beside the original so Latin typing finds it (typos allowed: the romanized
  words take part in fuzzy matching like any other).
- ``skeletons``: Arabic and Hebrew are written without most vowels, so their
  romanization is too ("محمد" → "mhmd"); what an agent types ("mohammed") is compared
  by its consonant skeleton (vowels, y and w dropped, doubled letters collapsed): both
  sides become "mhmd". The Arabic article (ال) is also indexed without it and alone.
- ``nickname_forms``: given names a query word may stand for (bob → robert, peggy →
  margaret, bill → william, and back), from the ``nicknames`` data package, loaded on
  first use.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache

from anyascii import anyascii

from .normalize import normalize, tokens

__all__ = [
    "needs_roman", "nickname_forms", "romanize", "romanize_all", "skeleton", "skeletons",
]  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ABJAD = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u0300-\u036f]")
_SKIP = str.maketrans("cqpz", "kkfs", "aeiouywv")  # vav is a vowel; p/f, z/s, c/q/k alike
_DIGRAPH = re.compile("[kf]h")  # after the table: kh, ch → h; ph → f
_DOUBLE = re.compile(r"(.)\1+")
_ARTICLE = re.compile("(?<![^\\W\\d_])\u0627\u0644(?=\\w\\w)")  # ال before a word


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
    return [romanize(t) if needs_roman(t) else "" for t in texts]


def skeleton(word: str) -> str:
    """Consonants only, each run of one letter once: "mohammed" → "mhmd"; sounds
    spelled several ways spelled one way ("rachel" and "rahel" → "rhl")."""
    word = _DIGRAPH.sub(lambda m: "f" if m.group() == "fh" else "h", word.translate(_SKIP))
    return _DOUBLE.sub(r"\1", word)


def skeletons(texts: Sequence[str]) -> list[str]:
    """For texts in Arabic or Hebrew script: the skeletons of their romanized words."""
    out = []
    for text in texts:
        if not text or _ABJAD.search(text) is None:
            out.append("")
            continue
        variants = [text, _ARTICLE.sub(" ", text)] if "\u0627\u0644" in text else [text]
        words = {skeleton(w) for v in variants for w in tokens(normalize(romanize(v)))}
        if len(variants) > 1:
            words.add("l")  # the article on its own: "al-ali" is typed as two words
        out.append(" ".join(w for w in words if w))
    return out


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
