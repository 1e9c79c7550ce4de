"""The ``deskterm`` command line: argparse, one error boundary, no Textual until the TUI."""
