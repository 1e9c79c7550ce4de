"""The full-screen desk (Textual). Start it with ``deskterm.tui.app.run_app``.

Textual draws at most ``TEXTUAL_FPS`` frames a second (read once, when Textual is first
imported: this package does it before). At its default of 60, a frame that took longer
than a tick (the full queue after escape) lets the next one wait up to two ticks, 33 ms,
whatever is ready: the results of a query typed right after. At 240 that is 8 ms at
most (in interleaved runs of ``benchmarks/typing_latency.py`` at 100k, a typed query's
p50 was 26–32 ms at 240 against 33–34 ms at 120). Frames are drawn only when something
changed, so this costs nothing while idle; a frame that takes longer than a tick (most
do, a few ms each) is simply drawn at once.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "240")
