"""The attention queue's implementation; import it from ``deskterm.queue``."""
