"""The attention queue: who needs attention first, and why (PRODUCT.md, ideas 4 and 5).

Pure domain code (numpy, no Textual, no database). The storage layer builds a
``SummaryTable`` of everyone's ``Summary`` and keeps it current with ``upsert`` and
``remove``; ``order_queue`` turns it into an immutable ``Queue`` whose reasons are made
only for the rows shown. The implementation lives in ``deskterm.attention``.
"""

from deskterm.attention.order import (
    CATEGORIES,
    MOOD_LABELS,
    NOT_QUEUED,
    Queue,
    QueueRow,
    QueueSettings,
    mood_mark,
    order_queue,
)
from deskterm.attention.risk import RISKS
from deskterm.attention.table import Summary, SummaryTable
from deskterm.attention.view import VIEWS, QueueView, next_view

__all__ = [
    "CATEGORIES",
    "MOOD_LABELS",
    "NOT_QUEUED",
    "RISKS",
    "VIEWS",
    "Queue",
    "QueueRow",
    "QueueSettings",
    "QueueView",
    "Summary",
    "SummaryTable",
    "mood_mark",
    "next_view",
    "order_queue",
]
