"""The full-screen desk (Textual). Start it with ``deskterm.tui.app.run_app``.

Textual draws at most ``TEXTUAL_FPS`` frames a second (read once, when Textual is first
imported: this package does it before). At its default of 60, a frame that took longer
than a tick (the full queue after escape) lets the next one wait up to two ticks, 33 ms,
whatever is ready: the results of a query typed right after. At 120 that is 17 ms at
most. Frames are drawn only when something changed, so this costs nothing while idle.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
