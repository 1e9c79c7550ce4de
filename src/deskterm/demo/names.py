"""Name pools for the demo: people from many cultures and scripts, with where they live.

Each culture lists given names (female, male) and family names as ``native:ascii``
items separated by spaces (``_`` stands for a space inside a name); Latin names may
omit the ascii part, which is then transliterated (Müller → mueller in German). The
ascii parts make plausible email addresses. A place ties a time zone to the phone
number format used there, so a person's zone, phone and language agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from zoneinfo import ZoneInfo

Phone = Callable[[Random], str]


def _d(r: Random, n: int) -> str:
    """``n`` random digits."""
    return f"{r.randrange(10**n):0{n}d}"


@dataclass(frozen=True, slots=True)
class Culture:
    key: str
    language: str
    places: tuple[tuple[str, Phone], ...]  # (IANA time zone, phone maker)
    given_f: tuple[tuple[str, str], ...]
    given_m: tuple[tuple[str, str], ...]
    family_m: tuple[tuple[str, str], ...]
    family_f: tuple[tuple[str, str], ...]
    family_first: bool = False  # "王小明", "Nguyễn Hương"
    joiner: str = " "  # "" for Chinese and Korean full names


_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_NORDIC = {"å": "aa", "ø": "oe", "æ": "ae"}
_LETTERS = {"ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i", "'": ""}


def ascii_of(name: str, special: dict[str, str] | None = None) -> str:
    """A lowercase ascii spelling of a Latin name: Łukasz → lukasz, Müller → muller."""
    text = name.lower()
    for table in (special or {}, _LETTERS):
        for letter, plain in table.items():
            text = text.replace(letter, plain)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if "a" <= c <= "z" or c == "-")


def _pool(items: str, special: dict[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    out = []
    for item in items.split():
        native, _, plain = item.partition(":")
        native = native.replace("_", " ")
        out.append((native, plain or ascii_of(native, special)))
    return tuple(out)


def _culture(
    key: str,
    language: str,
    places: tuple[tuple[str, Phone], ...],
    female: str,
    male: str,
    family: str,
    family_f: str = "",
    *,
    special: dict[str, str] | None = None,
    family_first: bool = False,
    joiner: str = " ",
) -> Culture:
    fam = _pool(family, special)
    return Culture(
        key,
        language,
        places,
        _pool(female, special),
        _pool(male, special),
        fam,
        _pool(family_f, special) if family_f else fam,
        family_first,
        joiner,
    )


_US_AREAS = ("212", "312", "303", "415", "617", "206", "512")


def _us(r: Random) -> str:
    return f"+1 ({r.choice(_US_AREAS)}) 555-01{_d(r, 2)}"


CULTURES: tuple[tuple[Culture, int], ...] = (
    (
        _culture(
            "en-us",
            "English",
            (
                ("America/New_York", _us),
                ("America/Chicago", _us),
                ("America/Denver", _us),
                ("America/Los_Angeles", lambda r: f"+1 (555) 01{_d(r, 2)}"),
            ),
            "Emily Sarah Jessica Ashley Madison Olivia Rachel Dolores Kayla",
            "James Michael Daniel Tyler Marcus Ethan Robert DeShawn Cody",
            "Johnson Williams Brown Miller Davis Anderson Thompson Carter Reyes O'Neill Kowalczyk",
        ),
        14,
    ),
    (
        _culture(
            "en-gb",
            "English",
            (
                ("Europe/London", lambda r: f"+44 20 7946 0{_d(r, 3)}"),
                ("Europe/London", lambda r: f"+44 161 496 0{_d(r, 3)}"),
                ("Europe/Dublin", lambda r: f"+353 1 {_d(r, 3)} {_d(r, 4)}"),
            ),
            "Amelia Isla Siobhan Imogen Poppy Niamh Harriet Gwen",
            "Oliver Harry George Callum Rhys Alistair Declan Hamish",
            "Smith Taylor Evans Hughes Wright Fairclough Ashworth Pemberton O'Brien Lloyd",
        ),
        10,
    ),
    (
        _culture(
            "de",
            "German",
            (
                ("Europe/Berlin", lambda r: f"+49 30 {_d(r, 7)}"),
                ("Europe/Berlin", lambda r: f"+49 89 {_d(r, 4)} {_d(r, 3)}"),
                ("Europe/Vienna", lambda r: f"+43 1 {_d(r, 3)} {_d(r, 4)}"),
                ("Europe/Zurich", lambda r: f"+41 44 {_d(r, 3)} {_d(r, 2)} {_d(r, 2)}"),
            ),
            "Zoë Käthe Anna Sabine Lena Jana Marlene Sophie Jördis",
            "Jürgen Lukas Matthias Stefan Jörg Florian Tobias Uwe",
            "Müller Schröder Weiß Schäfer Becker Hoffmann Krämer Köhler Groß Meyer",
            special=_GERMAN,
        ),
        8,
    ),
    (
        _culture(
            "fr",
            "French",
            (
                ("Europe/Paris", lambda r: f"+33 1 {_d(r, 2)} {_d(r, 2)} {_d(r, 2)} {_d(r, 2)}"),
                ("Europe/Brussels", lambda r: f"+32 2 {_d(r, 3)} {_d(r, 2)} {_d(r, 2)}"),
                ("America/Toronto", lambda r: f"+1 (514) 555-01{_d(r, 2)}"),
            ),
            "Hélène Gaëlle Céline Amélie Élodie Noémie Maëlys",
            "François Jérôme Benoît Loïc Thierry Mathieu Hervé",
            "Lefèvre Dubois Moreau Girard Bélanger Lemaître Fournier Mercier Gauthier",
        ),
        6,
    ),
    (
        _culture(
            "da",
            "Danish",
            (("Europe/Copenhagen", lambda r: f"+45 {_d(r, 2)} {_d(r, 2)} {_d(r, 2)} {_d(r, 2)}"),),
            "Mette Sigrid Freja Astrid Kirsten Ida",
            "Søren Bjørn Mads Jens Anders Rasmus",
            "Sørensen Jørgensen Nielsen Hansen Østergaard Kjær Mikkelsen",
            special=_NORDIC,
        ),
        3,
    ),
    (
        _culture(
            "sv",
            "Swedish",
            (("Europe/Stockholm", lambda r: f"+46 8 {_d(r, 3)} {_d(r, 3)} {_d(r, 2)}"),),
            "Åsa Ingrid Linnéa Maja Sofia Elin",
            "Björn Håkan Oskar Nils Göran Erik",
            "Lindqvist Öberg Åkesson Johansson Lindström Berg",
            special=_NORDIC,
        ),
        2,
    ),
    (
        _culture(
            "pl",
            "Polish",
            (("Europe/Warsaw", lambda r: f"+48 {_d(r, 2)} {_d(r, 3)} {_d(r, 2)} {_d(r, 2)}"),),
            "Małgorzata Agnieszka Katarzyna Żaneta Joanna Ewa",
            "Łukasz Paweł Krzysztof Tomasz Michał Piotr",
            "Wójcik Kowalski Nowak Wiśniewski Zieliński Szymański Dąbrowski Kamiński",
            "Wójcik Kowalska Nowak Wiśniewska Zielińska Szymańska Dąbrowska Kamińska",
        ),
        4,
    ),
    (
        _culture(
            "es",
            "Spanish",
            (
                ("Europe/Madrid", lambda r: f"+34 91{_d(r, 1)} {_d(r, 3)} {_d(r, 3)}"),
                ("America/Mexico_City", lambda r: f"+52 55 {_d(r, 4)} {_d(r, 4)}"),
                ("America/Bogota", lambda r: f"+57 601 {_d(r, 3)} {_d(r, 4)}"),
            ),
            "María Lucía Inés Begoña Ángela Núria Ximena",
            "José Andrés Íñigo Raúl Jesús Álvaro Sebastián",
            "Núñez Peña García Fernández López Martínez Ibáñez Muñoz Castaño",
        ),
        5,
    ),
    (
        _culture(
            "pt",
            "Portuguese",
            (
                ("America/Sao_Paulo", lambda r: f"+55 11 9{_d(r, 4)}-{_d(r, 4)}"),
                ("Europe/Lisbon", lambda r: f"+351 21 {_d(r, 3)} {_d(r, 4)}"),
            ),
            "Conceição Luíza Beatriz Fernanda Letícia Lívia",
            "João Sebastião Antônio Luís Thiago Caio",
            "Gonçalves Araújo Simões Magalhães Silva Souza Brandão Assunção",
        ),
        4,
    ),
    (
        _culture(
            "tr",
            "Turkish",
            (("Europe/Istanbul", lambda r: f"+90 212 {_d(r, 3)} {_d(r, 2)} {_d(r, 2)}"),),
            "Ayşe Çağla Elif Şule Gökçe Zeynep",
            "Mehmet Emre Burak İbrahim Oğuz Çağrı",
            "Öztürk Şahin Yılmaz Çelik Doğan Aydın Kılıç",
        ),
        3,
    ),
    (
        _culture(
            "vi",
            "Vietnamese",
            (("Asia/Ho_Chi_Minh", lambda r: f"+84 28 {_d(r, 4)} {_d(r, 4)}"),),
            "Hương Lan Thảo Ngọc Trang Phương",
            "Minh Tuấn Dũng Quang Hải Đức",
            "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng",
            family_first=True,
        ),
        2,
    ),
    (
        _culture(
            "ng",
            "English",
            (("Africa/Lagos", lambda r: f"+234 803 {_d(r, 3)} {_d(r, 4)}"),),
            "Ngozi Chiamaka Adaeze Funmilayo Yetunde Amaka",
            "Emeka Tunde Oluwaseun Ifeanyi Babajide Obinna",
            "Okeke Adeyemi Nwosu Balogun Eze Okonkwo Adebayo",
        ),
        3,
    ),
    (
        _culture(
            "in",
            "English",
            (("Asia/Kolkata", lambda r: f"+91 98{_d(r, 3)} {_d(r, 5)}"),),
            "Priya Ananya Lakshmi Divya Meera Shreya",
            "Arjun Rohan Vikram Sanjay Karthik Aditya",
            "Raghunathan Iyer Nair Reddy Banerjee Chatterjee Krishnan",
        ),
        3,
    ),
    (
        _culture(
            "hi",
            "Hindi",
            (("Asia/Kolkata", lambda r: f"+91 11 {_d(r, 4)} {_d(r, 4)}"),),
            "प्रिया:priya अनीता:anita सुनीता:sunita नेहा:neha पूजा:pooja कविता:kavita",
            "अमित:amit राहुल:rahul अर्जुन:arjun विकास:vikas संजय:sanjay रोहन:rohan",
            "शर्मा:sharma वर्मा:verma गुप्ता:gupta पटेल:patel सिंह:singh जोशी:joshi मेहता:mehta",
        ),
        4,
    ),
    (
        _culture(
            "zh",
            "Chinese",
            (
                ("Asia/Shanghai", lambda r: f"+86 10 {_d(r, 4)} {_d(r, 4)}"),
                ("Asia/Shanghai", lambda r: f"+86 21 {_d(r, 4)} {_d(r, 4)}"),
                ("Asia/Taipei", lambda r: f"+886 2 {_d(r, 4)} {_d(r, 4)}"),
            ),
            "娜:na 静:jing 丽:li 秀英:xiuying 婷:ting 芳:fang 雪:xue 佳怡:jiayi",
            "小明:xiaoming 伟:wei 强:qiang 磊:lei 军:jun 洋:yang 浩然:haoran 子轩:zixuan",
            "王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou",
            family_first=True,
            joiner="",
        ),
        6,
    ),
    (
        _culture(
            "ja",
            "Japanese",
            (
                ("Asia/Tokyo", lambda r: f"+81 3-{_d(r, 4)}-{_d(r, 4)}"),
                ("Asia/Tokyo", lambda r: f"+81 6-{_d(r, 4)}-{_d(r, 4)}"),
            ),
            "花子:hanako 陽菜:hina 結衣:yui さくら:sakura 美咲:misaki 葵:aoi",
            "健太:kenta 翔太:shota 大輝:daiki 蓮:ren 悠真:yuma 拓海:takumi",
            "佐藤:sato 鈴木:suzuki 高橋:takahashi 田中:tanaka 伊藤:ito 渡辺:watanabe 山本:yamamoto",
            family_first=True,
        ),
        5,
    ),
    (
        _culture(
            "ko",
            "Korean",
            (("Asia/Seoul", lambda r: f"+82 2-{_d(r, 3)}-{_d(r, 4)}"),),
            "서연:seoyeon 하은:haeun 지우:jiwoo 수아:sua 민서:minseo 예은:yeeun",
            "민준:minjun 서준:seojun 도윤:doyoon 지민:jimin 현우:hyunwoo 준호:junho",
            "김:kim 이:lee 박:park 최:choi 정:jung 강:kang 조:cho 윤:yoon",
            family_first=True,
            joiner="",
        ),
        4,
    ),
    (
        _culture(
            "ru",
            "Russian",
            (
                ("Europe/Moscow", lambda r: f"+7 495 {_d(r, 3)}-{_d(r, 2)}-{_d(r, 2)}"),
                ("Asia/Yekaterinburg", lambda r: f"+7 343 {_d(r, 3)}-{_d(r, 2)}-{_d(r, 2)}"),
            ),
            "Анна:anna Мария:maria Елена:elena Ольга:olga Наталья:natalya Екатерина:ekaterina",
            "Дмитрий:dmitry Алексей:alexey Сергей:sergey Иван:ivan Андрей:andrey Михаил:mikhail",
            "Иванов:ivanov Смирнов:smirnov Кузнецов:kuznetsov Попов:popov Соколов:sokolov "
            "Лебедев:lebedev Волков:volkov",
            "Иванова:ivanova Смирнова:smirnova Кузнецова:kuznetsova Попова:popova "
            "Соколова:sokolova Лебедева:lebedeva Волкова:volkova",
        ),
        5,
    ),
    (
        _culture(
            "ar",
            "Arabic",
            (
                ("Asia/Dubai", lambda r: f"+971 4 {_d(r, 3)} {_d(r, 4)}"),
                ("Africa/Cairo", lambda r: f"+20 2 {_d(r, 4)} {_d(r, 4)}"),
                ("Asia/Amman", lambda r: f"+962 6 {_d(r, 3)} {_d(r, 4)}"),
            ),
            "فاطمة:fatima عائشة:aisha مريم:maryam نور:nour ليلى:layla سارة:sara هدى:huda",
            "محمد:mohammed أحمد:ahmed علي:ali عمر:omar يوسف:youssef خالد:khaled حسن:hassan",
            "العلي:alali حداد:haddad منصور:mansour خوري:khoury سعيد:saeed ناصر:nasser "
            "عبد_الله:abdullah",
        ),
        5,
    ),
    (
        _culture(
            "el",
            "Greek",
            (("Europe/Athens", lambda r: f"+30 21 {_d(r, 4)} {_d(r, 4)}"),),
            "Μαρία:maria Ελένη:eleni Κατερίνα:katerina Σοφία:sofia Δέσποινα:despoina",
            "Γιώργος:giorgos Νίκος:nikos Κώστας:kostas Δημήτρης:dimitris Γιάννης:giannis",
            "Παπαδόπουλος:papadopoulos Παπαδάκης:papadakis Νικολάου:nikolaou "
            "Γεωργίου:georgiou Οικονόμου:oikonomou",
            "Παπαδοπούλου:papadopoulou Παπαδάκη:papadaki Νικολάου:nikolaou "
            "Γεωργίου:georgiou Οικονόμου:oikonomou",
        ),
        3,
    ),
    (
        _culture(
            "he",
            "Hebrew",
            (("Asia/Jerusalem", lambda r: f"+972 3-{_d(r, 3)}-{_d(r, 4)}"),),
            "נועה:noa מיכל:michal שירה:shira תמר:tamar יעל:yael רותי:ruti",
            "דוד:david יוסי:yossi אבי:avi משה:moshe איתי:itay נועם:noam",
            "כהן:cohen לוי:levi מזרחי:mizrahi פרץ:peretz ביטון:biton אברהם:avraham",
        ),
        3,
    ),
)

BY_KEY = {c.key: c for c, _ in CULTURES}
# Held so that ZoneInfo's cache keeps them: its strong cache holds only 8 zones, and
# validating each person's zone would otherwise re-read the tz database from disk.
ZONES = tuple({zone: ZoneInfo(zone) for c, _ in CULTURES for zone, _ in c.places}.values())
WEIGHTED = tuple(c for c, weight in CULTURES for _ in range(weight))

# (culture, given, family, female) of the first generated people, so even a small demo
# shows every script and the search examples ("zoe" finds Zoë, "muller" finds Müller).
SHOWCASE: tuple[tuple[str, str, str, bool], ...] = (
    ("de", "Zoë", "Müller", True),
    ("zh", "小明", "王", False),
    ("ru", "Дмитрий", "Иванов", False),
    ("fr", "François", "Lefèvre", False),
    ("ar", "محمد", "العلي", False),
    ("ja", "花子", "佐藤", True),
    ("pl", "Łukasz", "Wójcik", False),
    ("hi", "प्रिया", "शर्मा", True),
    ("ko", "민준", "김", False),
    ("da", "Mette", "Sørensen", True),
    ("el", "Ελένη", "Παπαδοπούλου", True),
    ("he", "נועה", "לוי", True),
    ("en-gb", "[bold]Eve[/]:eve", "Markup", True),  # markup is data: shown literally
)


def showcase_names(index: int) -> tuple[Culture, tuple[str, str], tuple[str, str], bool]:
    """The culture and (native, ascii) names of showcase person ``index``."""
    key, given, family, female = SHOWCASE[index]
    culture = BY_KEY[key]
    known = dict(culture.given_f + culture.given_m + culture.family_m + culture.family_f)
    special = _GERMAN if key == "de" else _NORDIC if key in ("da", "sv") else None
    (g_native, g_plain), (f_native, f_plain) = _pool(f"{given} {family}", special)
    return (
        culture,
        (g_native, known.get(g_native, g_plain)),
        (f_native, known.get(f_native, f_plain)),
        female,
    )
