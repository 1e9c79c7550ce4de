"""Text out of mail: charsets that lie, encoded words, HTML-only mail, quoted replies."""

from __future__ import annotations

import codecs
import re
from email.header import decode_header, make_header

_FOLD = re.compile(r"\r?\n[ \t]*")
_SURROGATE = re.compile("[\udc80-\udcff]")
MAX_REPLY_SCAN = 200_000  # characters of a body the quote folder looks at
MAX_HTML = 5_000_000  # characters of HTML converted to text; the rest is cut


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from bytes in the declared charset, else UTF-8, else Windows-1252; never fails."""
    for name in (charset, "utf-8", "cp1252"):
        if not name:
            continue
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("latin-1")


def clean(text: str) -> str:
    """Text any backend can store: lone surrogates replaced, NUL shown as ␀."""
    if _SURROGATE.search(text):
        text = _unescape(text)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\u2400")


def _unescape(text: str) -> str:
    """8-bit bytes smuggled in as surrogates (how ``email`` reads them) back to text."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return decode_bytes(raw)


def header_text(value: object) -> str:
    """A header as one line of text: unfolded, encoded words and 8-bit bytes decoded."""
    if value is None:
        return ""
    raw = str(value)
    if _SURROGATE.search(raw):
        raw = _unescape(raw)
    raw = _FOLD.sub(" ", raw)
    if "=?" in raw:
        raw = _decode_words(raw)
    return clean(raw.strip())


def _decode_words(raw: str) -> str:
    try:
        return str(make_header(decode_header(raw)))
    except Exception:  # email raises a zoo of errors on hostile encoded words
        pass
    try:
        parts = decode_header(raw)
    except Exception:  # not decodable at all: the header as written
        return raw
    out = []
    for chunk, charset in parts:
        out.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return "".join(out)


def html_to_text(html: str) -> str:
    """Readable text from HTML (inscriptis keeps tables and lists legible)."""
    from inscriptis import get_text  # lxml: loaded only for HTML-only mail

    html = html[:MAX_HTML]
    try:
        text = get_text(html)
    except Exception:  # lxml refuses some documents outright; fall back to stripping tags
        text = re.sub(r"<[^>]*>", " ", html)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def split_reply(text: str) -> str:
    """The new part of a reply: ``text`` without the earlier mail it quotes.

    The whole text is kept elsewhere; this is what is shown first ("shown on demand"
    for the rest). Returns ``text`` itself when nothing looks quoted.
    """
    if not text.strip():
        return text
    head = text[:MAX_REPLY_SCAN]
    try:
        from mailparser_reply import EmailReplyParser

        fresh = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl"]).parse_reply(head)
    except Exception:  # a library bug must not lose a message; show it whole
        return text
    fresh = (fresh or "").strip()
    if not fresh:
        return text
    fresh = _strip_quoted_lines(fresh)
    return fresh or text


def _strip_quoted_lines(text: str) -> str:
    """Drop a trailing block of ``>``-quoted lines the library left in."""
    lines = text.splitlines()
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip()
