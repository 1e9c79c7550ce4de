"""Mail, the domain part: parsing, threading, composing and the outbox rules.

No Textual and no database here. The adapters that move bytes (``maildir``, ``imap``,
``smtp``) are small modules of their own behind plain functions; ``services.mail``
joins them to the desk.
"""
