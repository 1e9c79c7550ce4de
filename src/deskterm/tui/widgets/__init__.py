"""Widgets of the main screen: header, search box, queue list and person view."""
