"""The full-screen desk (Textual). Start it with ``deskterm.tui.app.run_app``."""
