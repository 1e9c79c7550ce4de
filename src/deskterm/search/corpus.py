"""A deterministic synthetic population for search tests and benchmarks.

``synthetic_people(n, seed)`` returns the same ``n`` people for the same seed: names in
several scripts (mostly Latin with accents, some Cyrillic, Chinese, Japanese, Korean,
Arabic, Greek), long-tailed surnames and companies, emails, phones in mixed formats,
tags, "what matters" and notes of 40-500 characters. The first people are fixed
anchors (Jim, Margo, Alecia ...) so tests can look for them by name.
"""

from __future__ import annotations

import random

from .model import SearchDoc

__all__ = ["ANCHORS", "synthetic_people"]

ANCHORS: tuple[SearchDoc, ...] = (
    SearchDoc(1, "Jim Hopper", "jim@hawkins.gov", "Hawkins Lab", "+1 (555) 0100", "vip"),
    SearchDoc(
        2,
        "Margo Fairweather",
        "margo@fairweather.co",
        "Fairweather Ltd",
        "+1 (555) 0199",
        "billing, vip",
        "Always in a hurry; wants answers in one line",
        "Asked about the March invoice. Promised a callback before noon.",
    ),
    SearchDoc(
        3,
        "Alecia Brandt",
        "alecia.brandt@example.org",
        "Brandt & Söhne",
        "+49 30 1234567",
        "refund",
        "Her cat is at the vet",
        "Upset about the late refund.",
    ),
    SearchDoc(4, "Zoë Müller", "zoe.mueller@example.de", "Müller GmbH", "+49 89 555 0101"),
    SearchDoc(5, "王小明", "xiaoming@example.cn", "小明贸易", "+86 10 5555 0102"),
    SearchDoc(6, "Дмитрий Иванов", "dmitry@example.ru", "Иванов и партнёры", "+7 495 555-01-03"),
    SearchDoc(7, "محمد العلي", "m.alali@example.ae", "شركة العلي", "+971 4 555 0104"),
    SearchDoc(8, "김민준", "minjun@example.kr", "한빛", "+82 2 555 0105"),
)


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST_LATIN = _w(
    "Ada Adrian Agnes Ahmed Aisha Alba Alex Alice Amara Amelia Anders Andrea Ángel Anna "
    "Antoine Arjun Astrid Aurélie Ben Bianca Björn Bruno Camille Carla Carlos César Chloé "
    "Chris Clara Daniel Dara David Diego Elena Elif Eliza Emil Emma Enzo Érica Eva Fatima "
    "Felix Finn Florian François Freya Gabriel Georg Greta Hana Hannah Hugo Ian Ingrid Irene "
    "Isabel Ivan Jakob James Jana Javier Jens João Jonas Jorge José Julia Julien Kai Karin "
    "Kofi Lara Lars Laura Lea Léon Lina Linnea Lucas Lucía Luis Maja Malik Marco Margo Maria "
    "Marta Mateo Matteo Max Mia Mikael Nadia Nils Noah Noor Nora Olga Oliver Omar Oscar Paula "
    "Pedro Petra Pierre Priya Rafael Raúl Rosa Ruth Sami Sara Sebastián Siobhán Sofia Søren "
    "Stella Sven Tariq Théo Tomás Ulla Valentina Victor Wiktor Yara Yusuf Zoë Zofia Łukasz"
)
_LAST_LATIN = _w(
    "Andersen Bauer Becker Brandt Brown Castillo Costa Dubois Dupont Eriksson Fernández "
    "Fischer García Goldberg González Hansen Hoffmann Jansen Jensen Johansson Keller Kowalski "
    "Kramer Larsen Laurent Lefèvre Lindqvist López Martín Meyer Moreau Müller Nielsen "
    "Nowak O'Brien Olsen Pérez Petersen Richter Rossi Ruiz Santos Schmidt Schneider Schulz "
    "Silva Smith Sørensen Svensson Thomas Wagner Weber Wiśniewski Wójcik Zimmermann"
)
_SYLLABLES = _w(
    "ba be bo bri ca co da de dor el en fa fer gal gor ha hel in ka kel ko la lan lo ma mar "
    "me mi mo na nel no or pa per ra ren ri ro sa sel so sta ta ten to va ven vi wa wen za"
)
_LAST_END = _w("son sen berg stein man ez ov ova ski ka ini elli ard ier dt ham ley er")
_CYRILLIC = (
    _w("Дмитрий Анна Сергей Ольга Иван Наталья Алексей Екатерина Михаил Татьяна Юлия Пётр"),
    _w("Иванов Смирнова Кузнецов Попова Соколов Лебедева Козлов Новикова Морозов Волкова"),
)
_CHINESE = (_w("王 李 张 刘 陈 杨 黄 赵 吴 周"), _w("小明 伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋"))
_JAPANESE = (_w("佐藤 鈴木 高橋 田中 渡辺 伊藤"), _w("花子 太郎 陽菜 蓮 結衣 大翔"))
_KOREAN = (_w("김 이 박 최 정 강"), _w("민준 서연 지훈 하은 도윤 수아"))
_ARABIC = (_w("محمد أحمد فاطمة علي عمر ليلى يوسف مريم"), _w("العلي حسن الحسيني خليل"))
_GREEK = (_w("Γιώργος Μαρία Νίκος Ελένη"), _w("Παπαδόπουλος Οικονόμου Γεωργίου"))
_COMPANY_WORDS = _w(
    "Acme Apex Atlas Aurora Beacon Blue Bright Cedar Cobalt Crest Delta Ember Evergreen "
    "Fairweather Falcon Globex Granite Harbor Hawkins Horizon Initech Iron Juniper Keystone "
    "Lumen Maple Meridian Nimbus Northwind Oak Orbit Pioneer Quartz Redwood Riverside Sable "
    "Sterling Summit Tidal Umbrella Vandelay Vertex Willow Zenith"
)
_COMPANY_TAIL = _w("Ltd GmbH Inc LLC AG SA Oy AB Co Group Labs Systems Logistics Foods Bank")
_TAGS = _w(
    "vip billing refund shipping enterprise trial churn-risk beta partner internal api "
    "onboarding renewal hardware security mobile legal press reseller education"
)
_MATTERS = (
    "Always in a hurry; wants answers in one line",
    "Likes unhurried service and time to weigh the options",
    "Prefers email over phone, never before 10:00",
    "Worried about the renewal price",
    "Her cat is at the vet this week",
    "Needs invoices in EUR with the VAT number",
    "Runs a small team, decides alone",
    "Asked us to remember the daughter's wedding in June",
    "",
)
_NOTE_WORDS = _w(
    "called about the invoice refund order delivery parcel password login account upgrade "
    "renewal contract discount warranty replacement battery screen printer router license "
    "migration export report dashboard integration webhook timeout error crash slow payment "
    "card bank transfer reminder meeting demo training promised callback tomorrow monday "
    "friday week urgent happy upset frustrated confused patient escalated resolved pending "
    "waiting shipped returned damaged missing duplicate charged twice manager colleague"
)


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(_LAST_LATIN)
    parts = [rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))]
    return ("".join(parts) + rng.choice(_LAST_END)).capitalize()


def _name(rng: random.Random) -> tuple[str, str, str]:
    """(display name, ascii first, ascii last) for email addresses."""
    roll = rng.random()
    for limit, (firsts, lasts), sep in (
        (0.04, _CYRILLIC, " "),
        (0.07, _CHINESE, ""),
        (0.09, _JAPANESE, ""),
        (0.11, _KOREAN, ""),
        (0.14, _ARABIC, " "),
        (0.15, _GREEK, " "),
    ):
        if roll < limit:
            first, last = rng.choice(firsts), rng.choice(lasts)
            shown = f"{first}{sep}{last}"
            return shown, f"u{rng.randrange(10**6)}", ""
    first, last = rng.choice(_FIRST_LATIN), _surname(rng)
    if rng.random() < 0.1:
        first = f"{first} {rng.choice(_FIRST_LATIN)}"
    return f"{first} {last}", first.split()[0], last


def _ascii(text: str) -> str:
    from .normalize import normalize

    return "".join(c for c in normalize(text) if c.isascii() and c.isalnum())


def _phone(rng: random.Random) -> str:
    n = [rng.randrange(10) for _ in range(10)]
    s = "".join(map(str, n))
    style = rng.randrange(4)
    if style == 0:
        return f"+1 ({s[:3]}) {s[3:6]}-{s[6:]}"
    if style == 1:
        return f"+{rng.randint(30, 99)} {s[:2]} {s[2:6]} {s[6:]}"
    if style == 2:
        return f"0{s[:3]} {s[3:]}"
    return s


def _notes(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 6)):
        words = [rng.choice(_NOTE_WORDS) for _ in range(rng.randint(4, 12))]
        if rng.random() < 0.3:
            words.append(f"#{rng.randrange(10**5, 10**6)}")
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)[:500]


def synthetic_people(n: int, seed: int = 7) -> list[SearchDoc]:
    """``n`` deterministic people (ids 1..n), the anchors first."""
    rng = random.Random(seed)
    n_companies = max(20, n // 25)
    companies = [
        f"{rng.choice(_COMPANY_WORDS)}{rng.choice(['', ' ', ''])}"
        f"{_surname(rng) if rng.random() < 0.5 else rng.choice(_COMPANY_WORDS)} "
        f"{rng.choice(_COMPANY_TAIL)}"
        for _ in range(n_companies)
    ]
    people: list[SearchDoc] = list(ANCHORS[:n])
    for pid in range(len(people) + 1, n + 1):
        name, first, last = _name(rng)
        company = rng.choice(companies)
        domain = _ascii(company.rsplit(" ", 1)[0]) or "example"
        local = f"{_ascii(first)}.{_ascii(last)}" if last else first
        if rng.random() < 0.3:
            local += str(rng.randrange(100))
        people.append(
            SearchDoc(
                id=pid,
                name=name,
                email=f"{local}@{domain}.{rng.choice(['com', 'co', 'de', 'io', 'org'])}",
                company=company,
                phone=_phone(rng),
                tags=", ".join(rng.sample(_TAGS, rng.randint(0, 3))),
                matters=rng.choice(_MATTERS),
                notes=_notes(rng) if rng.random() < 0.9 else "",
            )
        )
    return people
