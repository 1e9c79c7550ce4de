"""Screens of the desk: the main screen (queue and person) and help."""
