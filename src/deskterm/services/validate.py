"""Check and clean profile fields before they are stored."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deskterm.errors import InvalidInput
from deskterm.models import PACES
from deskterm.services.views import PROFILE_FIELDS

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MAX_NAME = 300
MAX_TEXT = 20_000


def storable(text: str) -> str:
    """Text exactly as given, except NUL, which no backend can store (shown as ␀)."""
    return text.replace("\x00", "\u2400")


def clean_text(value: Any, field: str, *, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: expected text, got {type(value).__name__}")
    if len(value) > limit:
        raise InvalidInput(f"{field}: too long ({len(value)} characters, at most {limit})")
    return storable(value)


def clean_name(value: Any) -> str:
    name = clean_text(value, "name", limit=MAX_NAME).strip()
    if not name:
        raise InvalidInput("name: a person needs a name")
    return name


def clean_email(value: Any) -> str | None:
    email = clean_text(value, "email", limit=320).strip()
    if not email:
        return None
    if not EMAIL.match(email):
        raise InvalidInput(f"email: {email!r} is not an email address")
    return email.lower()


def clean_pace(value: Any) -> str:
    pace = clean_text(value, "pace").strip().lower() or "normal"
    if pace not in PACES:
        raise InvalidInput(f"pace: {pace!r} is not one of {', '.join(PACES)}")
    return pace


def clean_timezone(value: Any) -> str:
    zone = clean_text(value, "timezone").strip()
    if not zone:
        return ""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"timezone: {zone!r} is not a known time zone (e.g. Europe/Berlin)"
        ) from None
    return zone


def clean_tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items: Iterable[Any] = re.split(r"[,;]", value)
    elif isinstance(value, list | tuple):
        items = value
    else:
        raise InvalidInput(f"tags: expected a list or comma-separated text, got {value!r}")
    tags: list[str] = []
    for item in items:
        tag = clean_text(item, "tags", limit=100).strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def clean_bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "1", "internal"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("", "no", "false", "0", "external"):
        return False
    raise InvalidInput(f"{field}: expected yes or no, got {value!r}")


def clean_profile(values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validated profile fields; unknown fields are an error naming them."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    cleaners = {
        "name": clean_name,
        "email": clean_email,
        "pace": clean_pace,
        "timezone": clean_timezone,
        "tags": clean_tags,
        "internal": lambda v: clean_bool(v, "internal"),
    }
    out: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        if name not in values:
            if partial:
                continue
            if name == "name":
                raise InvalidInput("name: a person needs a name")
            continue
        cleaner = cleaners.get(name)
        out[name] = cleaner(values[name]) if cleaner else clean_text(values[name], name).strip()
    return out


def text_row_cleaner(fields: Sequence[str]) -> Callable[[Sequence[str]], dict[str, Any]]:
    """``clean_profile`` for rows of text values in the order of ``fields`` (a CSV's
    columns), without building a dict first: plain values (the usual case) are checked
    inline; anything unusual (a NUL, a long value, a pace, a time zone) goes through
    ``clean_profile`` itself, so the result and every error are exactly its own."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    names = tuple(fields)
    slow = not {"pace", "timezone", "internal"}.isdisjoint(names) or "name" not in names
    email_at = names.index("email") if "email" in names else -1
    tags_at = names.index("tags") if "tags" in names else -1
    split_tags = re.compile(r"[,;]").split

    def general(values: Sequence[str]) -> dict[str, Any]:
        return clean_profile(dict(zip(names, values, strict=True)))

    def clean(values: Sequence[str]) -> dict[str, Any]:
        joined = "".join(values)
        if slow or "\x00" in joined or (len(joined) > 100 and max(map(len, values)) > 100):
            return general(values)
        out = dict(zip(names, map(str.strip, values), strict=True))
        if not out["name"]:
            raise InvalidInput("name: a person needs a name")
        if email_at >= 0:
            email = out["email"]
            if not email:
                out["email"] = None
            elif EMAIL.match(email):
                out["email"] = email.lower()
            else:
                return general(values)
        if tags_at >= 0:
            tag = out["tags"]
            if "," in tag or ";" in tag:
                tags = [t for t in map(str.strip, split_tags(tag)) if t]
                out["tags"] = list(dict.fromkeys(tags)) if len(tags) > 1 else tags
            else:
                out["tags"] = [tag] if tag else []
        return out

    return clean


def encode_tags(tags: list[str]) -> str:
    return json.dumps(tags, ensure_ascii=False)


def decode_tags(raw: str) -> tuple[str, ...]:
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return (raw,)
    return tuple(str(t) for t in value) if isinstance(value, list) else (str(value),)


def clean_level(value: Any) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"mood level: expected a digit 1-5, got {value!r}") from None
    if not 1 <= level <= 5:
        raise InvalidInput(f"mood level: expected 1 (very upset) to 5 (delighted), got {level}")
    return level


def required_text(value: Any, field: str) -> str:
    text = clean_text(value, field).strip()
    if not text:
        raise InvalidInput(f"{field}: cannot be empty")
    return text
