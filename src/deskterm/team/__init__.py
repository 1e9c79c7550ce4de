"""The team layer (no Textual): live wake-ups between open desks, who is on whom
(``feed``, ``presence``), whose person it is (``owners``) and the team report (``report``).
"""

from deskterm.team.feed import LiveFeed, open_feed

__all__ = ["LiveFeed", "open_feed"]
