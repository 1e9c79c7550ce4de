"""Word lists for the demo: companies, what matters to people, and what the team writes."""

from __future__ import annotations

OUR_COMPANY = "Lantern & Finch Ltd"
OUR_DOMAIN = "lanternfinch.example"
DEPARTMENTS = (
    "finance",
    "warehouse",
    "sales",
    "hr",
    "it",
    "legal",
    "marketing",
    "facilities",
    "logistics",
    "procurement",
)


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


FREE_MAIL = ("mail.example", "post.example", "inbox.example", "webmail.example", "home.example")

_PREFIXES = _split(
    "Fairweather Bramblewood Northgate Copperleaf Bluefin Halden Marigold Ironbridge "
    "Seabright Wrenfield Kestrel Oakhaven Pinecrest Silverline Stonebridge Thistle "
    "Westmoor Amberley Driftwood Foxglove Greyhound Harbourside Juniper Larkfield "
    "Millbrook Nettlebed Quayside Redwater Saltmarsh Tidewell Underhill Vantage Willowmere "
    "Yarrow Zephyr Coldharbour "
)
_SUFFIXES = (
    "Ltd",
    "Logistics",
    "Studio",
    "Bakery",
    "Dental",
    "Imports",
    "Labs",
    "Cycles",
    "Architects",
    "Florists",
    "Print Co",
    "Veterinary",
)


def _generic() -> tuple[tuple[str, str], ...]:
    out = []
    for i, prefix in enumerate(_PREFIXES):
        for j, suffix in enumerate(_SUFFIXES):
            if (i + j) % 3:  # not every combination: keeps the list varied, not a grid
                continue
            slug = prefix.lower() if suffix == "Ltd" else f"{prefix}-{suffix}".lower()
            out.append((f"{prefix} {suffix}", f"{slug.replace(' ', '')}.example"))
    return tuple(out)


# (name, email domain); generic companies first, then ones from particular countries.
COMPANIES = _generic()
LOCAL_COMPANIES: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (
        ("Müller & Söhne GmbH", "mueller-soehne.example"),
        ("Bäckerei Schäfer", "baeckerei.example"),
    ),
    "fr": (
        ("Boulangerie Lefèvre SARL", "lefevre.example"),
        ("Éditions du Château", "chateau.example"),
    ),
    "es": (("Construcciones Peña S.L.", "pena.example"),),
    "pl": (("Łódzkie Młyny sp. z o.o.", "mlyny.example"),),
    "tr": (("Öztürk Tekstil A.Ş.", "ozturk.example"),),
    "zh": (("华新贸易有限公司", "huaxin-trade.example"), ("长城电子", "greatwall-e.example")),
    "ja": (
        ("さくら物産株式会社", "sakura-bussan.example"),
        ("東京デザイン室", "tokyo-design.example"),
    ),
    "ko": (("한빛상사", "hanbit.example"),),
    "ru": (("ООО «Север»", "sever.example"), ("Волга-Логистик", "volga-log.example")),
    "ar": (("شركة النخيل للتجارة", "alnakheel.example"),),
    "hi": (("शर्मा ट्रेडर्स", "sharma-traders.example"),),
    "el": (("Όλυμπος Α.Ε.", "olympos.example"),),
    "he": (("אור טכנולוגיות", "or-tech.example"),),
    "da": (("Østerbro Cykler ApS", "osterbro.example"),),
}

TAGS = (
    "vip",
    "wholesale",
    "retail",
    "reseller",
    "trial",
    "renewal due",
    "newsletter",
    "accessibility",
    "invoice by post",
    "beta",
    "partner",
    "nonprofit",
    "education",
    "long-time customer",
)

MATTERS = (
    "Wants one clear answer, not three partial ones.",
    "Runs a small shop alone; calls are only possible before opening at 9.",
    "Hard of hearing: prefers written follow-ups over phone calls.",
    "Keeps a careful budget; warn early about any price change.",
    "Was let down by a previous supplier and needs to see that we follow through.",
    "Their business depends on the Monday delivery; anything later costs them customers.",
    "Asked us to remember their accountant handles invoices (Mr. Haddad).",
    "Likes to hear the reasoning, not just the decision.",
    "New to the product and a bit anxious about getting it wrong.",
    "Cares a lot about the environment: prefers repairs over replacements.",
    "Travels a lot; time zones make quick calls difficult.",
    "Only signs off on changes after talking to their business partner.",
    "Had a difficult year; patience goes a long way.",
    "Values being called by name by someone who remembers last time.",
    "Needs everything documented for their auditors.",
    "English is their second language: short, plain sentences help.",
    'Wants invoices addressed to "R&D [EMEA]" exactly as written.',
    "Prefers the same agent each time if at all possible.",
    "Expanding to a second location this spring; timing of orders matters.",
    "Gets overwhelmed by long emails: one question per message.",
)
INTERNAL_MATTERS = (
    "Month-end close: avoid anything non-urgent in the last three working days.",
    "Covers two sites; reachable on chat, rarely at a desk.",
    "Needs tickets for stock discrepancies before the Thursday count.",
    "Asked to be copied on anything that affects customer refunds.",
    "Prefers a quick call over long chat threads.",
)

# Contact summaries; "{n}" is an order or invoice number.
SUMMARIES = (
    "Asked where order {n} is; tracking has not moved for three days.",
    "Invoice {n} was charged twice; wants the duplicate refunded.",
    "Wants to change the delivery address on order {n}.",
    "Replacement part for order {n} arrived damaged.",
    "Asked how to add two colleagues to their account.",
    "Questions about the new price list before renewing.",
    "Could not log in after the password reset email expired.",
    "Wants to return order {n}: wrong size.",
    "Asked for a copy of invoice {n} with their VAT number on it.",
    "Confused by the new billing page; walked them through it.",
    "Delivery for order {n} came a day early and nobody was there.",
    "Asked whether we can hold order {n} until the end of the month.",
    "Complained about the hold time on our phone line.",
    "Wants a quote for 40 units with next-day delivery.",
    "Export to spreadsheet fails with a timeout since the update.",
    "Thanked us for sorting out order {n} so quickly.",
)
INTERNAL_SUMMARIES = (
    "Needs the refund list for last month before the close.",
    "Stock count for bin {n} does not match the system.",
    "Asked for a summary of complaints about the courier this quarter.",
    "Wants to know which customers are waiting on back-ordered items.",
    "New starter needs access to the shared inbox.",
    "Checking whether order {n} can be expedited from the other warehouse.",
)
CHANNEL_OPENERS = {
    "phone": ("Called: ", "Rang in: ", "Call: ", ""),
    "email": ("Emailed: ", "Email: ", ""),
    "chat": ("Chat: ", "Via chat: ", ""),
    "in person": ("At the counter: ", "Visited: "),
    "video": ("Video call: ", ""),
}
CHANNELS = tuple(CHANNEL_OPENERS)

NOTES = (
    "Prefers we don't call before 10:00 their time.",
    "Spoke to their manager, who approved the goodwill credit.",
    "Asked us to use their mobile number from now on.",
    "Mentioned they are recommending us to a neighbour's business.",
    "Shop closed for renovation for two weeks; hold deliveries.",
    "Pronunciation of the name noted in the profile; please use it.",
    "Their account is shared with a colleague; confirm who you're speaking to.",
    "Agreed to try the new courier on the next order.",
    "Out of office until the end of the month.",
    "Sent a thank-you card to the team.",
)
# The one note with markup in it: data to show literally, never an action.
CLICK_NOTE = "Pasted into chat: [@click=app.quit]claim your prize[/] (spam; shown as typed)."

# Mood notes by level 1..5 (index 0 is level 1).
MOOD_NOTES = (
    (
        "furious: second missed delivery this month",
        "very upset about being charged twice",
        "in tears on the phone; the order was for a funeral",
        "said they will cancel if this happens again",
    ),
    (
        "frustrated: still waiting on the refund",
        "annoyed at being passed between departments",
        "unhappy with the outcome; thinking about other suppliers",
        "frustrated: the fix did not work",
    ),
    ("fine, a bit tired of waiting", "neutral", "okay now, wants it settled", "calm but busy"),
    ("pleased with the quick answer", "happy the refund arrived", "relieved it is sorted"),
    ("delighted: thanked the whole team", "thrilled with the replacement", "very happy"),
)

# (follow-up note, outcome when done)
FOLLOW_UPS = (
    ("check the refund arrived", "refund confirmed on their statement"),
    ("send the tracking number for the replacement", "tracking sent; parcel delivered"),
    ("call back with the courier's answer", "courier found the parcel; redelivered next day"),
    ("confirm the new delivery address", "address updated and confirmed by email"),
    ("send the corrected invoice", "corrected invoice sent and paid"),
    ("check the export works after the fix", "export works; they confirmed"),
    ("send the quote for 40 units", "quote accepted"),
    ("ask how the new courier went", "all fine; they'll keep the new courier"),
    ("make sure the return label arrived", "label received; return on its way"),
    ("follow up on the login problem", "logged in fine after the reset"),
    ("check they got the credit note", "credit note received"),
    ("ring to see if the part fits", "part fits; machine running again"),
)
INTERNAL_FOLLOW_UPS = (
    ("send the refund list", "list sent; close done on time"),
    ("confirm the stock count", "count corrected in the system"),
    ("share the complaint summary", "summary shared at the team meeting"),
)
