"""The team layer: live wake-ups between open desks, and who is on whom (no Textual)."""

from deskterm.team.feed import LiveFeed, open_feed

__all__ = ["LiveFeed", "open_feed"]
