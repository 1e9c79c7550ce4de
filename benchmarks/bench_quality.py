"""Search quality: does the person the agent means land in the top 10? deskterm vs fzf.

``measure(n, queries)`` builds ``n`` people — the deterministic benchmark people
(``deskterm.search.corpus``) plus, for the classes that need them, people with
Cyrillic, Greek, Arabic and Hebrew names and people with given names that have
nicknames — then makes ``queries`` queries per class, each aimed at one person:

- **exact**: the whole name, folded to plain letters ("zoe muller");
- **prefix**: the first 3-4 letters of the given name and 3-5 of the surname;
- **one edit** / **two edits**: one word of the name with 1 (4+ letters) or 2 (6+
  letters) random typos — a letter inserted, dropped, replaced by a keyboard neighbour,
  or two letters swapped, never the first letter — and a 3-5 letter prefix of the other;
- **abbreviation**: each word as its first letter and then its consonants ("mrg frwthr");
- **transliteration**: a non-Latin name typed the way it is commonly spelled in Latin
  letters, as heard on the phone ("mikhail smirnov", "mohammed al-ali", "yorgos
  papadopoulos"), each name in the spellings agents commonly write for it
  ("mohammed", "mohamed", "muhammad"; "alexei", "alexey"; "cohen", "kohen") — a
  hand-made table, not the library deskterm uses;
- **nickname**: a common short form of the given name and the surname ("bob smith");
- **no match**: two random consonant strings; here the share is of queries that
  (correctly) find nobody.

A namesake in the top 10 counts as found: someone with exactly the same name, or
someone the class's own rule could have made the same query from (``_fits``: the same
given name and surname whatever the middle name, the same prefixes, the same
abbreviations, the same typo'd word within the same number of edits keeping its first
letter, a given name with the same nickname). No search can tell them apart, and at a
million people the generated pool of names gives most queries hundreds of such people.

deskterm answers in-process (``SearchIndex``, as the desk); fzf answers
``fzf --filter QUERY`` over the same people as text lines (name | email | company |
phone | tags | what matters | notes), its first 10 lines being its top 10.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from deskterm.search import SearchDoc, SearchIndex, normalize
from deskterm.search.corpus import synthetic_people

CLASSES = (
    "exact", "prefix", "one edit", "two edits", "abbreviation", "transliteration",
    "nickname", "no match",
)  # fmt: skip
TARGETS = {  # the "done" line: share in the top 10
    "exact": 0.98, "prefix": 0.95, "one edit": 0.95, "two edits": 0.90,
    "abbreviation": 0.85, "transliteration": 0.90, "nickname": 0.85, "no match": 1.0,
}  # fmt: skip

# How agents commonly spell these names in Latin letters (not anyascii's output).
HEARD: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "ru": (
        ("Дмитрий", ("dmitry", "dmitri", "dmitriy")), ("Сергей", ("sergey", "sergei")),
        ("Ольга", ("olga",)), ("Иван", ("ivan",)), ("Наталья", ("natalya", "natalia")),
        ("Алексей", ("alexei", "aleksey", "alexey")),
        ("Екатерина", ("ekaterina", "yekaterina")), ("Михаил", ("mikhail", "mihail")),
        ("Татьяна", ("tatiana", "tatyana")), ("Юлия", ("yulia", "yuliya")),
        ("Пётр", ("pyotr", "petr")), ("Анна", ("anna",)),
    ),
    "ru-last": (
        ("Иванов", ("ivanov",)), ("Смирнов", ("smirnov",)),
        ("Кузнецов", ("kuznetsov", "kuznetzov")), ("Попова", ("popova",)),
        ("Соколов", ("sokolov",)), ("Лебедева", ("lebedeva",)), ("Козлов", ("kozlov",)),
        ("Новикова", ("novikova",)), ("Морозов", ("morozov",)), ("Волкова", ("volkova",)),
        ("Фёдоров", ("fyodorov", "fedorov")),
    ),
    "el": (
        ("Γιώργος", ("giorgos", "yorgos", "yiorgos")), ("Μαρία", ("maria",)),
        ("Νίκος", ("nikos",)), ("Ελένη", ("eleni",)), ("Δημήτρης", ("dimitris",)),
        ("Κατερίνα", ("katerina",)),
    ),
    "el-last": (
        ("Παπαδόπουλος", ("papadopoulos",)), ("Οικονόμου", ("oikonomou", "economou")),
        ("Γεωργίου", ("georgiou",)), ("Νικολάου", ("nikolaou", "nicolaou")),
    ),
    "ar": (
        ("محمد", ("mohammed", "muhammad", "mohamed", "mohammad")), ("أحمد", ("ahmed", "ahmad")),
        ("فاطمة", ("fatima", "fatma")), ("علي", ("ali",)), ("عمر", ("omar", "umar")),
        ("ليلى", ("layla", "leila", "laila")), ("يوسف", ("yousef", "yusuf", "youssef")),
        ("مريم", ("maryam", "mariam")),
    ),
    "ar-last": (
        ("العلي", ("al-ali", "alali", "al ali")), ("حسن", ("hassan", "hasan")),
        ("الحسيني", ("al-husseini", "husseini")), ("خليل", ("khalil", "khaleel")),
        ("منصور", ("mansour", "mansoor", "mansur")),
    ),
    "he": (
        ("דוד", ("david",)), ("שרה", ("sarah", "sara")), ("רחל", ("rachel",)),
        ("משה", ("moshe",)), ("יוסף", ("yosef", "yossef")),
    ),
    "he-last": (
        ("כהן", ("cohen", "kohen")), ("לוי", ("levi", "levy")),
        ("מזרחי", ("mizrahi", "mizrachi")), ("פרץ", ("peretz",)), ("ביטון", ("biton",)),
    ),
}  # fmt: skip
NICK = {
    "Robert": ("bob", "rob", "bobby"), "Margaret": ("peggy", "maggie", "meg"),
    "William": ("bill", "will", "billy"), "Elizabeth": ("liz", "beth", "betty"),
    "Richard": ("dick", "rick", "rich"), "Katherine": ("kate", "kathy", "katie"),
    "Thomas": ("tom", "tommy"), "Jennifer": ("jenny", "jen"), "Michael": ("mike", "mikey"),
    "Patricia": ("pat", "patty", "trish"), "Joseph": ("joe", "joey"),
    "Susan": ("sue", "susie"), "Charles": ("chuck", "charlie"), "Deborah": ("debbie", "deb"),
    "Edward": ("ed", "eddie", "ted"), "Rebecca": ("becky",), "Anthony": ("tony",),
    "Christopher": ("chris",), "Daniel": ("dan", "danny"), "Alexander": ("alex",),
    "Nicholas": ("nick",), "Benjamin": ("ben",), "Samuel": ("sam",),
    "Victoria": ("vicky",), "Abigail": ("abby",), "James": ("jim", "jimmy"),
}  # fmt: skip
_NICK_OF = {normalize(given): short for given, short in NICK.items()}
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = set("aeiouy")


def _neighbours(ch: str) -> str:
    for r, row in enumerate(_KEYS):
        c = row.find(ch)
        if c >= 0:
            near = row[max(c - 1, 0) : c] + row[c + 1 : c + 2]
            for other in (r - 1, r + 1):
                if 0 <= other < len(_KEYS):
                    near += _KEYS[other][max(c - 1, 0) : c + 1]
            return near or "e"
    return "e"


def typo(word: str, edits: int, rng: random.Random) -> str:
    """``word`` with ``edits`` random typos, the first letter left alone."""
    out = word
    for _ in range(100):
        out = word
        for _ in range(edits):
            i = rng.randrange(1, len(out))
            kind = rng.randrange(4)
            if kind == 0:
                out = out[:i] + rng.choice(_neighbours(out[i]) + out[i]) + out[i:]
            elif kind == 1 and len(out) > 2:
                out = out[:i] + out[i + 1 :]
            elif kind == 2:
                out = out[:i] + rng.choice(_neighbours(out[i])) + out[i + 1 :]
            elif i + 1 < len(out) and out[i] != out[i + 1]:
                out = out[:i] + out[i + 1] + out[i] + out[i + 2 :]
        if out != word:
            return out
    return out


def abbreviation(word: str) -> str:
    return word[0] + "".join(c for c in word[1:] if c not in _VOWELS)


def _plain(name: str) -> list[str]:
    """The words of a name folded to plain letters (empty if not all Latin letters)."""
    words = normalize(name).split()
    return words if words and all(w.isascii() and w.isalpha() for w in words) else []


def population(n: int, per_class: int, seed: int = 11) -> tuple[list[SearchDoc], dict]:
    """``n`` people (generated ones, then the injected targets) and the targets' ids."""
    rng = random.Random(seed)
    injected: list[tuple[str, str, list[str]]] = []  # (kind, name, query words)
    for i in range(per_class):
        script = ("ru", "el", "ar", "he", "ru", "ar")[i % 6]
        first, heard_first = rng.choice(HEARD[script])
        last, heard_last = rng.choice(HEARD[f"{script}-last"])
        query = [rng.choice(heard_first), rng.choice(heard_last)]
        injected.append(("transliteration", f"{first} {last}", query))
    surnames = [d.name.split()[-1] for d in synthetic_people(2000, seed=seed) if _plain(d.name)]
    for _ in range(per_class):
        given = rng.choice(sorted(NICK))
        surname = rng.choice(surnames)
        injected.append(("nickname", f"{given} {surname}", [rng.choice(NICK[given]), surname]))
    base = synthetic_people(max(n - len(injected), 10), seed=7)
    docs = list(base)
    targets: dict[str, list[tuple[str, int]]] = {c: [] for c in CLASSES}
    for kind, name, words in injected:
        pid = len(docs) + 1
        docs.append(SearchDoc(pid, name, f"p{pid}@example.net", "Example Trading"))
        targets[kind].append((normalize(" ".join(words)), pid))
    latin = [d for d in base if len(_plain(d.name)) >= 2]
    for cls in ("exact", "prefix", "one edit", "two edits", "abbreviation"):
        for d in rng.sample(latin, min(per_class, len(latin))):
            targets[cls].append((_query(cls, _plain(d.name), rng), d.id))
    for _ in range(per_class):
        words = ["".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(5, 8)))]
        words.append("".join(rng.choice("bcdfgjkpqvwxz") for _ in range(rng.randint(5, 7))))
        targets["no match"].append((" ".join(words), 0))
    return docs, targets


def _query(cls: str, words: list[str], rng: random.Random) -> str:
    first, last = words[0], words[-1]
    if cls == "exact":
        return " ".join(words)
    if cls == "prefix":
        return f"{first[: rng.randint(3, 4)]} {last[: rng.randint(3, 5)]}"
    if cls == "abbreviation":
        return " ".join(abbreviation(w) for w in (first, last))
    edits = 1 if cls == "one edit" else 2
    need = 4 if edits == 1 else 6
    long_words = [w for w in (first, last) if len(w) >= need]
    if not long_words:  # no word long enough: the longer word, one edit
        long_words, edits = [max((first, last), key=len)], 1
    chosen = rng.choice(long_words)
    other = last if chosen is first else first
    pair = [typo(chosen, edits, rng), other[: rng.randint(3, 5)]]
    return " ".join(pair if chosen is first else pair[::-1])


def fzf_lines(docs: list[SearchDoc]) -> str:
    fields = ("name", "email", "company", "phone", "tags", "matters", "notes")
    return "".join(
        f"{d.id}\t"
        + " | ".join(" ".join(str(getattr(d, f)).split()) for f in fields if getattr(d, f))
        + "\n"
        for d in docs
    )


def _fzf_top(corpus: Path, query: str) -> list[int]:
    env = {**os.environ, "FZF_DEFAULT_OPTS": "", "FZF_DEFAULT_COMMAND": ""}
    with corpus.open("rb") as stdin:
        done = subprocess.run(
            ["fzf", "--filter", query, "--delimiter", "\t", "--nth", "2.."],
            stdin=stdin,
            capture_output=True,
            env=env,
        )
    lines = done.stdout.decode("utf-8", "replace").splitlines()[:10]
    return [int(line.split("\t", 1)[0]) for line in lines]


def _fits(cls: str, query: str, name: str) -> bool:
    """Could this class have made ``query`` from ``name``? (An engine-free rule.)

    Prefix, edit and abbreviation queries are made from the given name and the surname
    only, the typo model never changes a first letter, and a nickname query is a short
    form of the given name with the surname: anyone the same rule fits is someone the
    query cannot tell from its person ("feli ross" fits Felix Ivan Rossi and Felix
    Rossi alike; "lr srnsn" fits Lara and Laura Sørensen).
    """
    words, asked = _plain(name), query.split()
    if cls in ("exact", "transliteration") or not words or len(asked) != 2:
        return normalize(name) == normalize(query) if cls == "exact" else False
    first, last = words[0], words[-1]
    a, b = asked
    if cls == "prefix":
        return first.startswith(a) and last.startswith(b)
    if cls == "abbreviation":
        return abbreviation(first) == a and abbreviation(last) == b
    if cls == "nickname":
        return last == b and a in _NICK_OF.get(first, ())
    edits = 1 if cls == "one edit" else 2

    def typed(q: str, w: str) -> bool:
        return q[0] == w[0] and OSA.distance(q, w) <= edits

    return (typed(a, first) and last.startswith(b)) or (first.startswith(a) and typed(b, last))


def _found(cls: str, query: str, pid: int, top: list[int], names: dict[int, str]) -> bool:
    """In the top 10: the person, a namesake, or someone the query fits as its person."""
    if cls == "no match":
        return not top
    return pid in top or any(
        names.get(other) == names[pid] or _fits(cls, query, names.get(other, "")) for other in top
    )


def measure(
    n: int,
    per_class: int = 50,
    *,
    fzf: bool = True,
    fzf_per_class: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Per class: share found in the top 10 by deskterm and by fzf, and our query times.

    ``fzf_per_class`` runs fzf on only the first that many queries of each class (at a
    million people fzf reads 350 MB for every query); deskterm's share on those same
    queries is then kept too (``ours_fzf``), for a like-for-like comparison.
    """
    docs, targets = population(n, per_class)
    names = {d.id: d.name for d in docs}
    index = SearchIndex.build(docs)
    out: dict[str, Any] = {"n": len(docs), "per_class": per_class, "ours": {}, "ms": {}}
    hits: dict[str, list[bool]] = {}
    for cls, pairs in targets.items():
        hits[cls], times = [], []
        for query, pid in pairs:
            t = time.perf_counter()
            found = index.search(query, limit=10).ids
            times.append((time.perf_counter() - t) * 1e3)
            hits[cls].append(_found(cls, query, pid, found, names))
        out["ours"][cls] = _share(hits[cls])
        out["ms"][cls] = statistics.median(times)
    if fzf and shutil.which("fzf"):
        first = per_class if fzf_per_class is None else min(fzf_per_class, per_class)
        out["fzf"], out["fzf_per_class"] = {}, first
        out["ours_fzf"] = {cls: _share(h[:first]) for cls, h in hits.items()}
        with tempfile.TemporaryDirectory(prefix="deskterm-quality-") as tmp:
            corpus = Path(tmp) / "people.txt"
            corpus.write_text(fzf_lines(docs), encoding="utf-8")
            for cls, pairs in targets.items():
                log(f"  fzf: {cls}…")
                out["fzf"][cls] = _share(
                    [
                        _found(cls, query, pid, _fzf_top(corpus, query), names)
                        for query, pid in pairs[:first]
                    ]
                )
    elif fzf:
        out["fzf_error"] = "fzf not installed"
    return out


def _share(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


def table(results: list[dict[str, Any]]) -> str:
    """Markdown: one row per class, a deskterm / fzf column pair per size (when fzf ran
    on fewer queries, deskterm's share on those same queries follows in brackets)."""
    head = ["class", "target"]
    for r in results:
        fewer = r.get("fzf_per_class", r["per_class"]) < r["per_class"]
        fzf_head = f"fzf {r['n']:,}" + (f" (first {r['fzf_per_class']})" if fewer else "")
        head += [f"deskterm {r['n']:,}", fzf_head, f"ms p50 {r['n']:,}"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for cls in CLASSES:
        row = [cls, f"{TARGETS[cls]:.0%}"]
        for r in results:
            fz = r.get("fzf", {}).get(cls)
            cell = f"{fz:.0%}" if fz is not None else r.get("fzf_error", "-")
            if fz is not None and r["fzf_per_class"] < r["per_class"]:
                cell += f" (deskterm {r['ours_fzf'][cls]:.0%})"
            row += [f"{r['ours'][cls]:.0%}", cell, f"{r['ms'][cls]:.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    print(table([measure(s, 50 if s <= 10_000 else 30) for s in sizes]))
